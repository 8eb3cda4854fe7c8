#!/usr/bin/env bash
# cistern — Ceph's client libraries are loaded when an rbd pool first
# needs its cluster, not at every start: cistern does not link them.
# Without them (librbd.so.1 hidden by a bind mount of /dev/null in a
# private mount namespace: the dynamic loader finds an empty file) every
# other pool type works, and an rbd pool says in one line what is
# missing, changing nothing.
. "$(dirname "$0")/../lib/lib.sh"
need_root "no librbd" || exit 0
need_cmd "no librbd" unshare ldconfig || exit 0

if ldd "$CISTERN" | grep -Eq 'librbd|librados|libceph'; then
	t_fail "cistern does not link Ceph's libraries" "$(ldd "$CISTERN" | grep -E 'rbd|rados|ceph')"
else
	t_ok "cistern does not link Ceph's libraries"
fi
LIB=$(ldconfig -p | awk '$1 == "librbd.so.1" { print $NF; exit }')
if [ -z "$LIB" ]; then
	t_skip "no librbd" "librbd.so.1 is not installed here"; exit 0
fi

# nolib CMD...: cistern with librbd.so.1 an empty file
nolib() {
	unshare -m sh -c 'mount --bind /dev/null "$1" && shift && exec "$@"' \
		sh "$LIB" "$CISTERN" --config-dir "$CFG" "$@"
}
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
