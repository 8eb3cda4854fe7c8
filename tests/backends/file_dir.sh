#!/usr/bin/env bash
# cistern — dir pools for real: every image format qemu-img makes (and the
# ones it only reads) against `qemu-img info --output=json`; raw creation
# (sparse, allocated, mode, owner); a refresh that survives links, FIFOs,
# unreadable, odd and vanishing files; sparse clones; conversion; resize;
# upload and download ranges; pool delete.
. "$(dirname "$0")/../lib/lib.sh"

P=$T/pool
Q=$T/q                    # qemu-img's scratch for reference images
mkdir -p "$Q"
need_cmd "dir pools" qemu-img jq || exit 0

check "dir: define" cis pool-define-as d1 dir --target "$P"
check "dir: start --build makes the directory" cis pool-start d1 --build
expect_eq "dir: target mode 0711 by default" "$(stat -c %a "$P")" "711"

# ---- every format, cross-checked with qemu-img info ----
for f in raw qcow qcow2 qed vmdk vpc vdi; do
	cis vol-create-as d1 "made.$f" 100M --format "$f" --allocation 0 \
		>"$T/out" 2>&1 || t_fail "create $f" "$(cat "$T/out")"
done
qemu-img create -q -f raw "$P/base.raw" 64M
qemu-img create -q -f qcow2 -b base.raw -F raw "$P/rel.qcow2" 80M
qemu-img create -q -f qcow2 -b "$P/rel.qcow2" -F qcow2 "$P/chain.qcow2"
qemu-img create -q -f qcow2 -o compat=0.10 "$P/old.qcow2" 1G
qemu-img create -q -f qcow2 -o lazy_refcounts=on,cluster_size=4096 \
	"$P/lazy.qcow2" 3G
qemu-img create -q -f qed -b base.raw -F raw "$P/child.qed" 64M
qemu-img create -q -f vmdk "$P/parent.vmdk" 32M
qemu-img create -q -f vmdk -b parent.vmdk -F vmdk "$P/child.vmdk"
qemu-img create -q -f vmdk -o subformat=monolithicFlat "$Q/flat.vmdk" 10M
mv "$Q/flat.vmdk" "$P/desc.vmdk"
mv "$Q/flat-flat.vmdk" "$P/flat-flat.vmdk"
# a fixed VHD has its footer only at the end: raw for qemu and for cistern
qemu-img create -q -f vpc -o subformat=fixed "$P/fixed.vpc" 20M
qemu-img create -q -f vpc -o force_size=on "$P/forced.vpc" 50M
qemu-img create -q -f parallels "$P/disk.hds" 64M
# vhdx is no libvirt format: a vhdx file is listed as raw, its file size
qemu-img create -q -f vhdx "$P/disk.vhdx" 64M
# qemu-img times its key derivation; on a busy machine it often fails to
# measure it ("Unable to get accurate CPU usage"), so try again
for it in 10 20 50 10 20 50 100 10 20 50 100 200; do
	qemu-img create -q -f luks --object secret,id=s0,data=pw \
		-o key-secret=s0,iter-time=$it "$P/crypt.luks" 16M 2>/dev/null && break
done
# formats qemu-img reads but cannot make: write their headers by hand
putb() { printf "$3" | dd of="$1" bs=1 seek="$2" conv=notrunc 2>/dev/null; }
truncate -s 2048 "$P/disk.bochs"
putb "$P/disk.bochs" 0 'Bochs Virtual HD Image'
putb "$P/disk.bochs" 32 'Redolog'
putb "$P/disk.bochs" 48 'Growing'
putb "$P/disk.bochs" 64 '\0\0\2\0\0\2\0\0\2\0\0\0\1\0\0\0\0\0\200\0'
putb "$P/disk.bochs" 88 '\0\0\0\1\0\0\0\0'
truncate -s 4096 "$P/disk.cloop"
putb "$P/disk.cloop" 0 '#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && mount -r -t iso9660 /dev/cloop $1\n'
putb "$P/disk.cloop" 128 '\0\1\0\0\0\0\0\4'
for i in 0 1 2 3 4; do
	putb "$P/disk.cloop" $((136 + 8 * i)) '\0\0\0\0\0\0\1\0'
done

cis vol-list d1 --json >"$T/list.json" 2>"$T/err" ||
	t_fail "vol-list --json" "$(cat "$T/err")"
# name -> "format capacity backing" as cistern sees it, as qemu-img does
ours() {
	jq -r --arg n "$1" '.[] | select(.name == $n) |
		"\(.format) \(.capacity) \(.backing)"' "$T/list.json"
}
theirs() {
	local j
	if [ "$1" = crypt.luks ]; then
		j=$(qemu-img info --output=json --object secret,id=s0,data=pw \
			--image-opts "driver=luks,key-secret=s0,file.filename=$P/$1")
	else
		j=$(qemu-img info --output=json "$P/$1" 2>/dev/null)
	fi
	# qemu's "parallels" is libvirt's "ploop"
	jq -r '"\(.format | sub("^parallels$"; "ploop")) \(."virtual-size") \(."full-backing-filename" // "")"' <<<"$j"
}
for v in made.raw made.qcow made.qcow2 made.qed made.vmdk made.vpc made.vdi \
	 base.raw rel.qcow2 chain.qcow2 old.qcow2 lazy.qcow2 child.qed \
	 parent.vmdk child.vmdk desc.vmdk flat-flat.vmdk fixed.vpc forced.vpc \
	 crypt.luks disk.bochs disk.cloop disk.hds; do
	if [ ! -f "$P/$v" ]; then
		t_skip "refresh = qemu-img info: $v" "qemu-img could not make it"
		continue
	fi
	o=$(ours "$v") q=$(theirs "$v")
	if [ -z "$o" ] || [ -z "$q" ]; then
		t_fail "refresh = qemu-img info: $v" "cistern: '$o', qemu-img: '$q'"
	else
		expect_eq "refresh = qemu-img info: $v (format size backing)" "$o" "$q"
	fi
done
expect_eq "a vhdx image (no libvirt format) is listed as raw" "$(ours disk.vhdx)" \
	"raw $(stat -c %s "$P/disk.vhdx") "
# the backing format from the qcow2 header extension, as qemu-img reads it
bf() { cis vol-dumpxml --pool d1 "$1" | sed -n '/<backingStore>/,$p' |
	sed -n "s/.*<format type='\(.*\)'\/>.*/\1/p"; }
expect_eq "backing format from the header: rel.qcow2" "$(bf rel.qcow2)" \
	"$(qemu-img info --output=json "$P/rel.qcow2" | jq -r '."backing-filename-format"')"
expect_eq "backing format from the header: chain.qcow2" "$(bf chain.qcow2)" \
	"$(qemu-img info --output=json "$P/chain.qcow2" | jq -r '."backing-filename-format"')"
x=$(cis vol-dumpxml --pool d1 lazy.qcow2 | tr -d '\n')
expect_match "qcow2 features and cluster size in the volume XML" "$x" \
	"<compat>1.1</compat>.*<clusterSize unit='B'>4096</clusterSize>.*<lazy_refcounts/>"
expect_eq "an old (version 2) qcow2 has no <compat>, as libvirt writes it" \
	"$(cis vol-dumpxml --pool d1 old.qcow2 | grep -c '<compat>')" "0"
[ -f "$P/crypt.luks" ] &&
	expect_match "luks volume carries its encryption" \
		"$(cis vol-dumpxml --pool d1 crypt.luks)" "<encryption format='luks'/>"
# iso: qemu-img calls it raw; libvirt (and cistern) see the CD001 magic
truncate -s 1M "$P/cd.iso"
printf '\1CD001\1' | dd of="$P/cd.iso" bs=1 seek=32768 conv=notrunc 2>/dev/null
expect_eq "iso recognised by its volume descriptor" \
	"$(cis vol-list d1 --json | jq -r '.[] | select(.name=="cd.iso") | .format')" "iso"

# ---- raw creation ----
blocks() { echo $(( $(stat -c %b "$1") * 512 )); }
check "create a sparse raw volume" cis vol-create-as d1 sparse.raw 1G --allocation 0
expect_eq "sparse: nothing allocated, full size" \
	"$(blocks "$P/sparse.raw") $(stat -c %s "$P/sparse.raw")" "0 1073741824"
check "create a raw volume without --allocation (fully allocated, as libvirt)" \
	cis vol-create-as d1 full.raw 32M
a=$(blocks "$P/full.raw")
[ "$a" -ge 33554432 ] && t_ok "full: allocated with fallocate ($a bytes)" ||
	t_fail "full: allocated" "$a bytes"
check "create a partly allocated raw volume" \
	cis vol-create-as d1 part.raw 64M --allocation 16M
a=$(blocks "$P/part.raw")
[ "$a" -ge 16777216 ] && [ "$a" -lt 20000000 ] &&
	t_ok "partial: the first 16 MiB allocated ($a bytes)" ||
	t_fail "partial allocation" "$a bytes"
expect_eq "default mode 0600" "$(stat -c %a "$P/sparse.raw")" "600"
cat >"$T/perm.xml" <<EOF
<volume><name>perm.raw</name><capacity>1048576</capacity>
<allocation>0</allocation><target><permissions><mode>0640</mode>
<owner>65534</owner><group>65534</group></permissions></target></volume>
EOF
check "create from XML with permissions" cis vol-create d1 "$T/perm.xml"
expect_eq "mode and owner from the XML" "$(stat -c '%a %u %g' "$P/perm.raw")" \
	"640 65534 65534"
out=$(cis vol-create-as d1 sparse.raw 2G 2>&1)
expect_match "an existing name is refused" "$out" "already exists"
expect_eq "and the existing volume is untouched" "$(stat -c %s "$P/sparse.raw")" \
	"1073741824"
out=$(cis vol-create-as d1 'a/b' 1M 2>&1)
expect_match "a name with '/' is refused" "$out" "cannot contain '/'"
out=$(cis vol-create-as d1 $'a\nb' 1M 2>&1)
expect_match "a name with a control character is refused" "$out" "control character"
out=$(cis vol-create-as d1 lost+found 1M 2>&1)
expect_match "'lost+found' (never listed) is refused" "$out" "belongs to the filesystem"
check "create a directory volume" cis vol-create-as d1 sub 0 --format dir
expect_eq "directory volume listed as type dir" \
	"$(cis vol-list d1 --json | jq -r '.[] | select(.name=="sub") | "\(.type) \(.format)"')" \
	"dir dir"

# ---- a refresh that nothing breaks ----
R=$T/odd
check "odd pool: define and build" cis pool-define-as odd dir --target "$R"
cis pool-start odd --build >/dev/null
chmod 755 "$R"
truncate -s 1M "$R/good.img"
ln -s good.img "$R/link.img"
ln -s nowhere "$R/dangling.img"
mkfifo "$R/fifo.img"
truncate -s 1M "$R/secret.img"
chmod 000 "$R/secret.img"
touch "$R/$(printf 'bad\001name')" "$R/$(printf 'new\nline')" "$R/.hidden"
out=$(timeout 20 "$CISTERN" --config-dir "$CFG" vol-list odd --json 2>&1)
expect_eq "refresh lists the file and the link, skips FIFO, dangling link, control characters, hidden" \
	"$(jq -r '[.[].name] | sort | join(" ")' <<<"$out")" "good.img link.img secret.img"
# unreadable for an unprivileged user: listed, with the reason
U=$T/user
mkdir -p "$U"
cp -r "$CFG" "$U/cfg"
chown -R 65534:65534 "$U"
chmod 755 "$T"
out=$(timeout 20 setpriv --reuid=65534 --regid=65534 --clear-groups \
	"$CISTERN" --config-dir "$U/cfg" vol-info --pool odd secret.img --json 2>&1)
expect_eq "an unreadable file is listed with the reason" \
	"$(jq -r .note <<<"$out")" "cannot read it: Permission denied"
# files appearing and vanishing during refreshes
( for i in $(seq 400); do touch "$R/churn$((i % 20))"; rm -f "$R/churn$(((i + 7) % 20))"; done ) &
churn=$!
fails=0
for i in 1 2 3 4 5 6 7 8; do
	cis pool-refresh odd >/dev/null 2>&1 || fails=$((fails + 1))
done
wait "$churn"
expect_eq "refresh while files appear and vanish never fails" "$fails" "0"

# ---- clone ----
truncate -s 1G "$P/big.raw"
for off in 0 100 300 700 1000; do
	dd if=/dev/urandom of="$P/big.raw" bs=1M count=2 seek="$off" \
		conv=notrunc 2>/dev/null
done
cis pool-refresh d1 >/dev/null
check "clone a 1 GiB file holding 10 MiB" cis vol-clone --pool d1 big.raw big2.raw
a=$(blocks "$P/big2.raw")
[ "$a" -le $((12 * 1048576)) ] && t_ok "clone stays sparse ($a bytes allocated)" ||
	t_fail "clone stays sparse" "$a bytes allocated"
check "clone has the same bytes" cmp "$P/big.raw" "$P/big2.raw"
out=$(cis vol-clone --pool d1 big.raw big3.raw --reflink 2>&1)
if [ "$(stat -f -c %T "$P")" = "btrfs" ] || [ "$(stat -f -c %T "$P")" = "xfs" ]; then
	t_skip "reflink refused where unsupported" "this filesystem reflinks"
else
	expect_match "--reflink where the filesystem cannot: a clear error" "$out" \
		"cannot reflink"
	[ ! -e "$P/big3.raw" ] && t_ok "--reflink failure leaves no file" ||
		t_fail "--reflink failure leaves no file"
fi
cat >"$T/conv.xml" <<EOF
<volume><name>big.qcow2</name><target><format type='qcow2'/></target></volume>
EOF
check "create-from converts raw to qcow2" cis vol-create-from d1 "$T/conv.xml" big.raw --inputpool d1
check "the conversion holds the same data" \
	qemu-img compare -f raw -F qcow2 "$P/big.raw" "$P/big.qcow2"
cat >"$T/grow.xml" <<EOF
<volume><name>grown.raw</name><capacity unit='G'>2</capacity></volume>
EOF
check "create-from with a larger capacity" cis vol-create-from d1 "$T/grow.xml" big.raw
expect_eq "the copy is grown to the capacity asked for" \
	"$(stat -c %s "$P/grown.raw")" "2147483648"

# ---- resize ----
check "resize raw: grow" cis vol-resize --pool d1 sparse.raw 2G
expect_eq "grown" "$(stat -c %s "$P/sparse.raw")" "2147483648"
out=$(cis vol-resize --pool d1 sparse.raw 1G 2>&1)
expect_match "shrinking needs --shrink" "$out" "--shrink"
check "resize raw: shrink with --shrink" cis vol-resize --pool d1 sparse.raw 512M --shrink
expect_eq "shrunk" "$(stat -c %s "$P/sparse.raw")" "536870912"
check "resize raw: grow by a delta, allocating it" \
	cis vol-resize --pool d1 sparse.raw 16M --delta --allocate
a=$(blocks "$P/sparse.raw")
expect_eq "--allocate allocated the new 16 MiB" "$(stat -c %s "$P/sparse.raw") $a" \
	"553648128 16777216"
check "resize qcow2 through qemu-img" cis vol-resize --pool d1 made.qcow2 300M
expect_eq "qcow2 virtual size" \
	"$(qemu-img info --output=json "$P/made.qcow2" | jq '."virtual-size"')" "314572800"
check "shrink qcow2 with --shrink" cis vol-resize --pool d1 made.qcow2 200M --shrink
expect_eq "qcow2 shrunk" \
	"$(qemu-img info --output=json "$P/made.qcow2" | jq '."virtual-size"')" "209715200"

# ---- upload and download ----
head -c 3M /dev/urandom >"$T/data"
check "upload at an offset" cis vol-upload --pool d1 part.raw "$T/data" --offset 1M
check "upload a range of a file" cis vol-upload --pool d1 part.raw "$T/data" \
	--offset 10M --length 1M
check "upload from a pipe" sh -c "cat '$T/data' | '$CISTERN' --config-dir '$CFG' \
	vol-upload --pool d1 part.raw /dev/stdin --offset 20M"
check "download a range" cis vol-download --pool d1 part.raw "$T/got" \
	--offset 1M --length 3M
check "downloaded range = uploaded data" cmp "$T/got" "$T/data"
head -c 1M "$T/data" >"$T/data1"
cis vol-download --pool d1 part.raw "$T/got1" --offset 10M --length 1M >/dev/null
check "upload --length took only that much" cmp "$T/got1" "$T/data1"
cis vol-download --pool d1 part.raw "$T/pipe" --offset 20M --length 3M >/dev/null
check "the piped upload arrived whole" cmp "$T/pipe" "$T/data"
check "download --sparse" cis vol-download --pool d1 big.raw "$T/sp" --sparse
a=$(blocks "$T/sp")
[ "$a" -le $((12 * 1048576)) ] && [ "$(stat -c %s "$T/sp")" = 1073741824 ] &&
	t_ok "--sparse keeps the holes ($a bytes allocated)" ||
	t_fail "--sparse keeps the holes" "$a bytes allocated"
check "the sparse download has the volume's bytes" cmp "$T/sp" "$P/big.raw"
rm -f "$T/sp"
out=$(cis vol-download --pool d1 part.raw "$T/x" --offset 60M --length 8M 2>&1)
expect_match "a range past the end is refused" "$out" "past the end"
[ ! -e "$T/x" ] && t_ok "and leaves no output file" || t_fail "no output file"

# ---- wipe: every algorithm, its result read back ----
last_byte_only() { [ "$(tr -d "$2" <"$1" | wc -c)" = 0 ]; }
for alg in zero trim nnsa dod bsi gutmann schneier pfitzner7 pfitzner33 random; do
	head -c 1M /dev/urandom >"$P/w.raw"
	cp "$P/w.raw" "$T/orig"
	check "wipe --algorithm $alg" cis vol-wipe --pool d1 w.raw --algorithm "$alg"
	case $alg in
	zero|trim|nnsa) last_byte_only "$P/w.raw" '\000' &&
		t_ok "$alg: the volume reads back as zeros" ||
		t_fail "$alg: the volume reads back as zeros" ;;
	dod) last_byte_only "$P/w.raw" '\377' &&
		t_ok "dod: its last pass (0xff) is on disk" ||
		t_fail "dod: its last pass (0xff) is on disk" ;;
	bsi) last_byte_only "$P/w.raw" '\177' &&
		t_ok "bsi: its last pass (0x7f) is on disk" ||
		t_fail "bsi: its last pass (0x7f) is on disk" ;;
	*)	# a random last pass: nothing of the old data, incompressible
		same=$(cmp -l "$P/w.raw" "$T/orig" | wc -l)
		z=$(gzip -c "$P/w.raw" | wc -c)
		[ "$same" -gt 1040000 ] && [ "$z" -gt 1040000 ] &&
			t_ok "$alg: its last (random) pass replaced every byte" ||
			t_fail "$alg: random last pass" "$same bytes differ, gzip $z"
		;;
	esac
	expect_eq "$alg: size kept" "$(stat -c %s "$P/w.raw")" "1048576"
done
check "wipe a qcow2 volume" cis vol-wipe --pool d1 big.qcow2
truncate -s 1G "$T/zero1g"
check "a wiped qcow2 is still a qcow2 of its capacity, reading zeros" \
	qemu-img compare -f qcow2 -F raw "$P/big.qcow2" "$T/zero1g"
rm -f "$T/zero1g"

# ---- progress: a line on a terminal, none otherwise ----
if command -v script >/dev/null; then
	out=$(script -qec "'$CISTERN' --config-dir '$CFG' vol-clone --pool d1 big.raw prog.raw" /dev/null)
	expect_match "on a terminal a clone draws a progress line" \
		"$(printf %s "$out" | tr '\r' '|')" "\|cloning: +[0-9]+%"
	out=$(cis vol-clone --pool d1 big.raw prog2.raw)
	expect_eq "without a terminal, no progress line" "$out" \
		"Vol prog2.raw cloned from big.raw"
fi

# ---- delete ----
check "delete a volume" cis vol-delete --pool d1 big2.raw
[ ! -e "$P/big2.raw" ] && t_ok "the file is gone" || t_fail "the file is gone"
check "delete a directory volume" cis vol-delete --pool d1 sub
check "stop the pool" cis pool-destroy d1
out=$(cis pool-delete d1 2>&1)
expect_match "deleting a pool that still holds volumes is refused" "$out" "not empty"
find "$P" -mindepth 1 -delete
check "delete the emptied pool" cis pool-delete d1
[ ! -e "$P" ] && t_ok "its directory is gone" || t_fail "its directory is gone"
out=$(cis pool-start d1 2>&1)
expect_match "starting without its directory says to build" "$out" "build the pool"
cis pool-destroy odd >/dev/null 2>&1
chmod 600 "$R/secret.img"
