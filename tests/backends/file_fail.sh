#!/usr/bin/env bash
# cistern — file volumes when things go wrong: a tool missing, a full
# disk, permission denied, a name taken, Ctrl-C in the middle. Each gives
# a clear error and leaves no file behind (the test looks).
. "$(dirname "$0")/../lib/lib.sh"
need_cmd "failure paths" qemu-img mkfs.ext4 setpriv || exit 0
need_root "failure paths" || exit 0

P=$T/pool
cis pool-define-as f1 dir --target "$P" >/dev/null
cis pool-start f1 --build >/dev/null
# the pool holds exactly these files; "nothing left behind" is checked
# against this list
listing() { (cd "$1" && ls -A | sort | tr '\n' ' '); }
# leftover NAME DIR BEFORE: ok when DIR holds what it held before
leftover() {
	expect_eq "$1: nothing left behind" "$(listing "$2")" "$3"
}

# ---- a tool missing ----
mkdir -p "$T/nobin"
before=$(listing "$P")
out=$(PATH=$T/nobin "$CISTERN" --config-dir "$CFG" vol-create-as f1 x.qcow2 64M \
	--format qcow2 2>&1)
expect_match "no qemu-img: creating a qcow2 says so" "$out" \
	"error: .*qemu-img is not installed"
leftover "no qemu-img: create" "$P" "$before"
truncate -s 8M "$P/src.raw"
before=$(listing "$P")
cat >"$T/q.xml" <<EOF
<volume><name>conv.qcow2</name><target><format type='qcow2'/></target></volume>
EOF
out=$(PATH=$T/nobin "$CISTERN" --config-dir "$CFG" vol-create-from f1 "$T/q.xml" \
	src.raw 2>&1)
expect_match "no qemu-img: converting says so" "$out" "qemu-img is not installed"
leftover "no qemu-img: convert" "$P" "$before"
out=$(PATH=$T/nobin "$CISTERN" find-storage-pool-sources-as netfs 127.0.0.1 2>&1)
expect_match "no showmount: discovery says so" "$out" "showmount is not installed"

# ---- a name taken ----
out=$(cis vol-clone --pool f1 src.raw src.raw 2>&1)
expect_match "clone onto an existing name is refused" "$out" "already exists"
expect_eq "and the existing volume is untouched" "$(stat -c %s "$P/src.raw")" 8388608

# ---- the disk full ----
dev=$(loop_new 16M) || { t_skip "disk full" "no loop device"; exit 0; }
mkfs.ext4 -q -F "$dev" >/dev/null 2>&1
mkdir -p "$T/tiny"
mount "$dev" "$T/tiny" && on_exit "umount -l $T/tiny"
cis pool-define-as tiny dir --target "$T/tiny/p" >/dev/null
cis pool-start tiny --build >/dev/null
before=$(listing "$T/tiny/p")
out=$(cis vol-create-as tiny big.raw 64M 2>&1)
expect_match "disk full: allocating says so" "$out" "No space left on device"
leftover "disk full: create" "$T/tiny/p" "$before"
out=$(cis vol-create-as tiny big.qcow2 64M --format qcow2 --prealloc-metadata 2>&1)
expect_match "disk full: qemu-img's own error is shown" "$out" \
	"qemu-img failed .*(No space|space)"
leftover "disk full: qemu-img create" "$T/tiny/p" "$before"
dd if=/dev/urandom of="$T/tiny/p/data.raw" bs=1M count=6 2>/dev/null
before=$(listing "$T/tiny/p")
cis vol-clone --pool tiny data.raw copy1.raw >/dev/null 2>&1
before=$(listing "$T/tiny/p")
out=$(cis vol-clone --pool tiny data.raw copy2.raw 2>&1)
expect_match "disk full: cloning says so" "$out" "No space left on device"
leftover "disk full: clone" "$T/tiny/p" "$before"
cis pool-destroy tiny >/dev/null

# ---- permission denied ----
R=$T/rootdir
mkdir -m 0755 "$R"
truncate -s 1M "$R/root.raw"
chmod 755 "$T"
U=$T/user
mkdir -p "$U"
chown 65534:65534 "$U"
# nobody runs a copy of the binary, and of the sanitizers' suppression
# files: the checkout need not be readable by other users (/root is 0700)
NB=$T/nobody-bin
mkdir -m 0755 "$NB"
install -m 0755 "$CISTERN" "$NB/cistern"
install -m 0644 "$TOP"/tests/*.supp "$NB/"
nob_env=()
for v in ASAN_OPTIONS LSAN_OPTIONS; do
	[ -n "${!v:-}" ] && nob_env+=("$v=${!v//$TOP\/tests/$NB}")
done
nob() { setpriv --reuid=65534 --regid=65534 --clear-groups \
	env "${nob_env[@]}" HOME="$U" XDG_RUNTIME_DIR="$U" "$NB/cistern" \
	--config-dir "$U/cfg" "$@"; }
nob pool-define-as r1 dir --target "$R" >/dev/null 2>&1
nob pool-start r1 >/dev/null 2>&1
before=$(listing "$R")
out=$(nob vol-create-as r1 mine.raw 1M 2>&1)
expect_match "permission denied: creating says so" "$out" \
	"cannot create '$R/mine.raw': Permission denied"
leftover "permission denied: create" "$R" "$before"
out=$(nob vol-clone --pool r1 root.raw mine2.raw 2>&1)
expect_match "permission denied: cloning says so" "$out" "Permission denied"
leftover "permission denied: clone" "$R" "$before"
out=$(nob vol-delete --pool r1 root.raw 2>&1)
expect_match "permission denied: deleting says so" "$out" \
	"cannot delete '$R/root.raw': Permission denied"
[ -e "$R/root.raw" ] && t_ok "and the volume is still there" ||
	t_fail "and the volume is still there"
out=$(nob vol-wipe --pool r1 root.raw 2>&1)
expect_match "permission denied: wiping says so" "$out" "Permission denied"

# ---- cancelled (Ctrl-C) ----
# Run the operation in the background, stop it the moment its file
# appears (under its hidden name while it is made: a glob), deliver
# SIGINT, let it go on: it must notice, stop and clean up.
interrupt() {   # NAME GLOB-TO-WAIT-FOR COMMAND...
	local name=$1 file=$2 pid rc i
	shift 2
	"$@" >"$T/int.out" 2>&1 &
	pid=$!
	for ((i = 0; i < 5000; i++)); do
		compgen -G "$file" >/dev/null && break
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.002
	done
	kill -STOP "$pid" 2>/dev/null
	kill -INT "$pid" 2>/dev/null
	kill -CONT "$pid" 2>/dev/null
	wait "$pid"
	rc=$?
	expect_match "$name: stops with an error saying so (exit $rc)" \
		"$(cat "$T/int.out")" "error: .*cancelled"
}
dd if=/dev/zero of="$P/data.raw" bs=1M count=512 2>/dev/null
before=$(listing "$P")
interrupt "Ctrl-C during a clone" "$P/.cistern-part-*-copy.raw" \
	"$CISTERN" --config-dir "$CFG" vol-clone --pool f1 data.raw copy.raw
leftover "Ctrl-C during a clone" "$P" "$before"
cat >"$T/c.xml" <<EOF
<volume><name>copy.qcow2</name><target><format type='qcow2'/></target></volume>
EOF
interrupt "Ctrl-C during a qemu-img conversion" "$P/.cistern-part-*-copy.qcow2" \
	"$CISTERN" --config-dir "$CFG" vol-create-from f1 "$T/c.xml" data.raw
leftover "Ctrl-C during a qemu-img conversion" "$P" "$before"
# ext3 has no fallocate: allocating means writing zeros, which takes long
# enough to be interrupted
dev3=$(loop_new 200M)
mkfs.ext3 -q -F "$dev3" >/dev/null 2>&1
mkdir -p "$T/e3"
mount "$dev3" "$T/e3" && on_exit "umount -l $T/e3"
cis pool-define-as e3 dir --target "$T/e3/p" >/dev/null
cis pool-start e3 --build >/dev/null
check "ext3 (no fallocate): a fully allocated volume is made by writing zeros" \
	cis vol-create-as e3 zeros.raw 8M
a=$(( $(stat -c %b "$T/e3/p/zeros.raw") * 512 ))
[ "$a" -ge 8388608 ] && t_ok "ext3: it is allocated ($a bytes)" ||
	t_fail "ext3: it is allocated" "$a bytes"
before=$(listing "$T/e3/p")
interrupt "Ctrl-C during a create" "$T/e3/p/.cistern-part-*-new.raw" \
	"$CISTERN" --config-dir "$CFG" vol-create-as e3 new.raw 150M
leftover "Ctrl-C during a create" "$T/e3/p" "$before"
cis pool-destroy e3 >/dev/null
before=$(listing "$P")
interrupt "Ctrl-C during a qemu-img create" "$P/.cistern-part-*-new.qcow2" \
	"$CISTERN" --config-dir "$CFG" vol-create-as f1 new.qcow2 256M \
	--format qcow2 --prealloc-metadata
leftover "Ctrl-C during a qemu-img create" "$P" "$before"
ps -eo args | grep -q "[q]emu-img .*$P" && t_fail "no qemu-img left running" ||
	t_ok "no qemu-img left running"
