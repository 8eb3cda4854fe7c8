#!/usr/bin/env bash
# cistern — libvirt's and Ceph's client libraries and libparted are
# loaded when first needed (a libvirt URI; an rbd pool's cluster; a disk
# pool's label), not at every start: cistern does not link them. Without one (hidden by a bind mount of
# /dev/null in a private mount namespace: the dynamic loader finds an
# empty file) everything else works, and what needs it says in one line
# what is missing, changing nothing.
. "$(dirname "$0")/../lib/lib.sh"
need_root "no librbd" || exit 0
need_cmd "no librbd" unshare ldconfig || exit 0

if ldd "$CISTERN" | grep -Eq 'libvirt|librbd|librados|libceph|libparted'; then
	t_fail "cistern does not link libvirt's, Ceph's nor libparted" \
		"$(ldd "$CISTERN" | grep -E 'virt|rbd|rados|ceph|parted')"
else
	t_ok "cistern does not link libvirt's, Ceph's nor libparted"
fi

# libparted's constructor runs `sh -c "dmidecode ..."`: loaded at start,
# every run of cistern started a shell
if command -v strace >/dev/null; then
	strace -f -qq -o "$T/start.trace" -e trace=execve "$CISTERN" \
		--config-dir "$CFG" pool-list --all >/dev/null
	expect_eq "a start of cistern (pool-list) runs no other program" \
		"$(grep -c execve "$T/start.trace")" 1
else
	t_skip "a start of cistern runs no other program" "no strace here"
fi

# without LIB CMD...: cistern with the library LIB an empty file
without() {
	local path
	path=$(ldconfig -p | awk -v l="$1" '$1 == l { print $NF; exit }')
	shift
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' \
		sh "$path" "$CISTERN" --config-dir "$CFG" "$@"
}

# ---- libvirt ----
if ! ldconfig -p | grep -q 'libvirt\.so\.0 '; then
	t_skip "no libvirt" "libvirt.so.0 is not installed here"
else
	out=$(without libvirt.so.0 -c test:///default pool-list 2>&1); rc=$?
	expect_eq "no libvirt: -c test:///default fails" "$rc" 1
	expect_eq "no libvirt: and says which library is missing, in one line" \
		"$out" "error: cannot load libvirt's client library (libvirt0): $(ldconfig -p |
			awk '$1 == "libvirt.so.0" { print $NF; exit }'): file too short"
	check "no libvirt: the local engine works" \
		without libvirt.so.0 pool-define-as lv0 dir --target "$T/lv0"
	expect_match "no libvirt: and lists its pools" \
		"$(without libvirt.so.0 pool-list --all)" "^ lv0 +inactive"
	check "no libvirt: with libvirt, -c test:///default works" \
		"$CISTERN" -c test:///default pool-list
fi

# ---- libparted ----
if ! ldconfig -p | grep -q 'libparted\.so\.2 '; then
	t_skip "no libparted" "libparted.so.2 is not installed here"
else
	img=$T/disk.img
	truncate -s 64M "$img"
	check "no libparted: a disk pool is defined" \
		without libparted.so.2 pool-define-as dk disk --source-dev "$img" \
		--source-format gpt --target /dev
	out=$(without libparted.so.2 pool-build dk 2>&1); rc=$?
	expect_eq "no libparted: building its label fails" "$rc" 1
	expect_eq "no libparted: and says which library is missing, in one line" \
		"$out" "error: pool 'dk': cannot load libparted (libparted2): $(ldconfig -p |
			awk '$1 == "libparted.so.2" { print $NF; exit }'): file too short"
	expect_eq "no libparted: the disk is left as it was (all zeros)" \
		"$(cmp -n $((64 << 20)) "$img" /dev/zero 2>&1)" ""
	check_fails "no libparted: the pool does not start" \
		without libparted.so.2 pool-start dk
	expect_match "no libparted: and stays inactive" \
		"$(cis pool-list --all | awk '$1 == "dk"')" "inactive"
	check "no libparted: with libparted the label is built" cis pool-build dk
	expect_match "no libparted: and it is gpt (parted reads it)" \
		"$(parted -s -m "$img" print 2>/dev/null | sed -n 2p)" ":gpt:"
fi

# ---- Ceph ----
if ! ldconfig -p | grep -q 'librbd\.so\.1 '; then
	t_skip "no librbd" "librbd.so.1 is not installed here"; exit 0
fi
nolib() { without librbd.so.1 "$@"; }
P=$T/pool
check "no librbd: a dir pool is defined" nolib pool-define-as d dir --target "$P"
check "no librbd: and built and started" nolib pool-start d --build
check "no librbd: a volume is made in it" nolib vol-create-as d v.img 1M
expect_eq "no librbd: and listed" "$(nolib vol-list d --json | grep -c '"name": "v.img"')" 1

cat >"$T/r.xml" <<'EOF'
<pool type='rbd'>
  <name>r</name>
  <source><name>rbd</name><host name='127.0.0.1' port='1'/></source>
</pool>
EOF
check "no librbd: an rbd pool is defined (its XML needs no library)" \
	nolib pool-define "$T/r.xml"
out=$(nolib pool-start r 2>&1); rc=$?
expect_eq "no librbd: starting the rbd pool fails" "$rc" 1
expect_match "no librbd: and says which libraries are missing, in one line" \
	"$out" "^error: .*cannot load Ceph's client libraries \(librados2, librbd1\): .*librbd\.so\.1"
expect_eq "no librbd: one line" "$(printf '%s\n' "$out" | wc -l)" 1
expect_match "no librbd: the rbd pool stays inactive" \
	"$(nolib pool-list --all | awk '$1 == "r"')" "inactive"
expect_match "no librbd: the dir pool still runs" \
	"$(nolib pool-list --all | awk '$1 == "d"')" "active"
