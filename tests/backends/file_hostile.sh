#!/usr/bin/env bash
# File pools against hostile files and faults: links inside a pool are
# never followed by a write, a target that now leads elsewhere is refused,
# an upload never grows a volume, and a create or clone killed at any
# point (SIGKILL injected by strace at a given system call) leaves no
# volume, only a leftover that a refresh reports.
. "$(dirname "$0")/../lib/lib.sh"

mkdir -p "$CFG" "$T/p" "$T/outside"
cis pool-define-as p dir --target "$T/p" >/dev/null
cis pool-start p >/dev/null

# ---- links inside the pool ----
printf 'precious' >"$T/outside/victim"
ln -s "$T/outside/victim" "$T/p/link.img"
cis pool-refresh p >/dev/null 2>&1
for verb in "vol-wipe --pool p link.img" \
	    "vol-upload --pool p link.img $T/outside/victim" \
	    "vol-resize --pool p link.img 1M" \
	    "vol-download --pool p link.img $T/dl"; do
	out=$(cis $verb 2>&1)
	expect_match "${verb%% *} on a link in the pool is refused and says why" \
		"$out" "error: .*'link.img' is a symbolic link; cistern does not follow links"
done
expect_eq "the file the link points to is unchanged" "$(cat "$T/outside/victim")" "precious"
check "vol-delete of a link removes the link itself" cis vol-delete --pool p link.img
check "...and not the file it pointed to" test -f "$T/outside/victim"
mkfifo "$T/p/fifo.img"
out=$(timeout 10 "$CISTERN" --config-dir "$CFG" vol-wipe --pool p fifo.img 2>&1)
expect_eq "a FIFO in the pool: a wipe of it returns at once" "$?" "1"
rm -f "$T/p/fifo.img"

# ---- a target replaced by a link ----
mv "$T/p" "$T/p.real"
ln -s "$T/outside" "$T/p"
out=$(cis vol-create-as p evil.img 1M 2>&1)
expect_match "a target now leading elsewhere: create is refused, both paths named" \
	"$out" "error: .*target '$T/p' now leads to '$T/outside', not to '$T/p' as when the pool was defined"
check "nothing was written where the link leads" test ! -e "$T/outside/evil.img"
out=$(cis vol-delete --pool p victim 2>&1)
check "delete through the moved target is refused too" test -f "$T/outside/victim"
rm "$T/p" && mv "$T/p.real" "$T/p"
check "back in place: create works" cis vol-create-as p ok.img 1M
# a target that was a link when the pool was defined stays usable
ln -s "$T/p" "$T/plink"
cis pool-define-as pl dir --target "$T/plink" >/dev/null
cis pool-start pl >/dev/null
check "a target that was a link at define time works" cis vol-create-as pl ok2.img 1M

# ---- upload never grows a volume ----
cis vol-create-as p one.raw 1M >/dev/null
head -c 4096 /dev/urandom >"$T/small"
out=$(cis vol-upload --pool p one.raw "$T/small" --offset 2M 2>&1)
expect_match "upload --offset past the end is refused" "$out" "error: .*offset 2097152 is past the end"
expect_eq "the volume keeps its size" "$(stat -c %s "$T/p/one.raw")" "1048576"
head -c 2M /dev/urandom >"$T/big"
out=$(cis vol-upload --pool p one.raw "$T/big" 2>&1)
expect_match "upload of a file longer than the volume is refused" "$out" "error: .*longer than"
out=$(cat "$T/big" | cis vol-upload --pool p one.raw /dev/stdin 2>&1)
expect_match "a stream running past the end stops with an error" "$out" "error: .*ran past the end"
expect_eq "the volume still keeps its size" "$(stat -c %s "$T/p/one.raw")" "1048576"
check "an upload that fits still works" cis vol-upload --pool p one.raw "$T/small" --offset 1044480

# ---- SIGKILL at chosen points: no half-made volume ----
if need_cmd "SIGKILL injection" strace; then
	# killat NAME SYSCALL[:when=N] VOLUME COMMAND...
	killat() {
		local name=$1 at=$2 vol=$3; shift 3
		strace -f -qq -o /dev/null -e inject="$at":signal=KILL "$CISTERN" \
			--config-dir "$CFG" "$@" >/dev/null 2>&1
		expect_eq "$name: killed" "$?" "137"
		check "$name: no volume named $vol" test ! -e "$T/p/$vol"
		out=$(cis vol-list p 2>"$T/warn")
		expect_eq "$name: vol-list does not list it" "$(echo "$out" | grep -c -- "$vol")" "0"
		expect_match "$name: refresh reports the leftover" "$(cat "$T/warn")" \
			"interrupted cistern leftovers, not volumes: \.cistern-part-[a-z0-9]{6}-$vol"
		rm -f "$T/p"/.cistern-part-*
	}
	killat "full create killed before fallocate" fallocate full.raw \
		vol-create-as p full.raw 4M --allocation 4M
	killat "create killed before the rename" renameat2 late.raw \
		vol-create-as p late.raw 4M
	killat "qemu-img create killed before the rename" renameat2 late.qcow2 \
		vol-create-as p late.qcow2 4M --format qcow2
	dd if=/dev/zero of="$T/p/src.raw" bs=1M count=130 2>/dev/null
	killat "clone killed mid-copy (after 64 MiB)" copy_file_range:when=2 half.raw \
		vol-clone --pool p src.raw half.raw
	killat "clone killed before the rename" renameat2 whole.raw \
		vol-clone --pool p src.raw whole.raw
fi

# ---- sizes read from headers are held to the limit of sizes typed in ----
q="$T/p/huge.qcow2"
head -c 4096 /dev/zero >"$q"
printf 'QFI\373\0\0\0\3' | dd of="$q" conv=notrunc 2>/dev/null
printf '\0\0\0\020\377\377\377\377\377\377\377\377' | dd of="$q" bs=1 seek=20 conv=notrunc 2>/dev/null
out=$(cis vol-info --pool p huge.qcow2 2>&1)
expect_match "a qcow2 whose size is 0xff... is shown as damaged, with why" \
	"$(cis vol-info --pool p huge.qcow2 --json | jq -r .note)" \
	"damaged qcow2 image: its header gives a size of 18446744073709551615 bytes, past the limit"
expect_match "...with the file's size as capacity, not 16 EiB" "$out" "Capacity: +4\.00 KiB"
out=$(cis vol-resize --pool p huge.qcow2 1G --delta 2>&1)
expect_match "vol-resize --delta of a damaged volume is refused" "$out" "error: .*is damaged"
out=$(cis vol-dumpxml --pool p huge.qcow2 2>&1)
expect_match "its XML gives a capacity cistern itself accepts" "$out" "<capacity unit='bytes'>4096</capacity>"

# a target made after the define is recorded by the build that makes it:
# a link put there before the first volume operation is refused
cis pool-define-as later dir --target "$T/later" >/dev/null
cis pool-build later >/dev/null
cis pool-start later >/dev/null
mv "$T/later" "$T/later.real" && ln -s "$T/outside" "$T/later"
out=$(cis vol-create-as later evil2.img 1M 2>&1)
expect_match "a target built after the define, then replaced by a link: refused" \
	"$out" "error: .*now leads to '$T/outside', not to '$T/later'"
check "nothing written through it" test ! -e "$T/outside/evil2.img"
