#!/usr/bin/env bash
# cistern -c over libvirt's ssh transport: a real libvirtd (its unix
# socket) behind a real sshd that the test starts on a loopback port with
# its own host and user keys; libvirt runs ssh and, on the far side, nc
# to the socket. What cistern does over ssh is checked with virsh on the
# plain socket; sshd killed in the middle of a transfer gives a clear
# one-line error, and the next run works once sshd is back.
. "$(dirname "$0")/../lib/lib.sh"
need_root "libvirt over ssh" || exit 0
need_cmd "libvirt over ssh" libvirtd virsh ssh ssh-keygen nc || exit 0
[ -x /usr/sbin/sshd ] || { t_skip "libvirt over ssh" "no /usr/sbin/sshd"; exit 0; }

D="$T/daemon"
if ! out=$(bash "$TOP/tests/lib/libvirtd.sh" start "$D"); then
	t_fail "libvirtd starts" "$out"; exit 0; fi
on_exit bash "$TOP/tests/lib/libvirtd.sh" stop "$D"
SOCK="$D/run/libvirt-sock"

# ---- sshd: its own host key, root's key, a free loopback port ----
. "$TOP/tests/lib/sshd.sh"
sshd_setup "$T/ssh"
S=$SSHD_DIR
sshd_start || { t_fail "sshd starts" "$(tail -3 "$S/sshd.log")"; exit 0; }
on_exit sshd_kill

U=$(sshd_uri "$SOCK")
L="storage:///system?socket=$SOCK"
c() { timeout 60 "$CISTERN" -c "$U" "$@"; }
v() { timeout 60 virsh -c "$U" "$@"; }
vl() { timeout 60 virsh -c "$L" "$@"; }
. "$(dirname "$0")/../lib/virsh_same.sh"

expect_eq "uri over ssh" "$(c uri)" "$U"
same "pool-list over ssh, as virsh" pool-list --all
mkdir -p "$T/p"
expect_eq "pool-define-as over ssh" "$(c pool-define-as p dir --target "$T/p")" \
	"Pool p defined"
expect_eq "pool-start over ssh" "$(c pool-start p)" "Pool p started"
expect_match "the daemon has it" "$(vl pool-info p)" 'State: +running'
expect_eq "vol-create-as over ssh" "$(c vol-create-as p v.img 8M)" "Vol v.img created"
same "vol-dumpxml over ssh, as virsh" vol-dumpxml v.img --pool p
expect_eq "the same XML as on the socket" "$(c vol-dumpxml v.img --pool p)" \
	"$(vl vol-dumpxml v.img --pool p)"
head -c 4M /dev/urandom >"$T/data"
c vol-upload v.img "$T/data" --pool p >/dev/null
vl vol-download v.img "$T/back" --pool p --length 4194304 >/dev/null
check "vol-upload over ssh: the data" cmp "$T/data" "$T/back"
c vol-download v.img "$T/back2" --pool p --length 4194304 >/dev/null
check "vol-download over ssh: the data" cmp "$T/data" "$T/back2"
same "pool-list --details over ssh" pool-list --all --details
# the files are on this machine too, but an ssh URI is another host's:
# libvirt is asked for each volume's sizes, none is read here
c vol-create-as p w.img 2M >/dev/null
same "vol-list --details over ssh" vol-list p --details
rm -f "$T/lv.log"
LIBVIRT_LOG_FILTERS="1:libvirt 4:*" LIBVIRT_LOG_OUTPUTS="1:file:$T/lv.log" \
	c vol-list p --details >/dev/null 2>&1
expect_eq "over ssh no volume is read here: one request per volume" \
	"$(grep -c 'virStorageVolGetInfo:' "$T/lv.log")" 2

# ---- a wrong key: libvirt's ssh error, one line ----
ssh-keygen -q -t ed25519 -N '' -f "$S/other_key"
out=$(timeout 30 "$CISTERN" -c "${U/user_key/other_key}" pool-list 2>&1)
expect_match "a refused key: cannot reach" "$out" '^error: cannot reach libvirt at storage\+ssh://.*Permission denied'
expect_eq "a refused key: one line" "$(printf '%s\n' "$out" | grep -c .)" 1

# ---- sshd killed in the middle of a transfer ----
c vol-create-as p big.img 64M >/dev/null
( head -c 1M /dev/zero; sleep 3; head -c 1M /dev/zero ) |
	timeout 30 "$CISTERN" -c "$U" vol-upload big.img /dev/stdin --pool p \
	>"$T/up.out" 2>"$T/up.err" &
up=$!
sleep 1.5
sshd_kill
wait "$up"
expect_eq "sshd killed mid-upload: a failure, no hang" "$?" 1
out=$(cat "$T/up.err")
if [ "${out#"error: cannot reach libvirt at $U: "}" != "$out" ]; then
	t_ok "sshd killed mid-upload: one clear line"; else
	t_fail "sshd killed mid-upload: one clear line" "$out"; fi
expect_eq "sshd killed mid-upload: one line" "$(grep -c . "$T/up.err")" 1
out=$(timeout 30 "$CISTERN" -c "$U" pool-list 2>&1)
expect_match "sshd gone: a clear error" "$out" \
	'^error: cannot reach libvirt at storage\+ssh://.*Connection refused'
sshd_start || { t_fail "sshd starts again" "$(tail -3 "$S/sshd.log")"; exit 0; }
expect_match "sshd back: the pools again" "$(c pool-list)" '^ p +active +no'
