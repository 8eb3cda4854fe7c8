#!/usr/bin/env bash
# cistern — iscsi pools (the kernel's initiator, open-iscsi) against a real
# target: tgtd on 127.0.0.1 with two targets, one behind CHAP.
#
# This kernel has no iSCSI initiator (no iscsi_tcp, so iscsid cannot run):
# discovery is real (through libiscsi), start is checked by its exact
# iscsiadm command lines in dry-run, then run for real up to the point the
# kernel refuses, and iscsiadm's own error must reach the operator intact.
# (stop/refresh and the sysfs walk: tests/backends/iscsi_sysfs.c, over a
# recorded sysfs tree.)
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/tgt.sh"

need_root iscsi || exit 0
need_cmd iscsi tgtd tgtadm iscsiadm ss || exit 0
tgt_start || { t_fail "iscsi tgtd" "tgtd did not start"; exit 1; }

A=iqn.2025-01.org.cistern.test:kernel-a.$$
B=iqn.2025-01.org.cistern.test:kernel-b.$$
INIT=iqn.2025-01.org.cistern.test:kinit.$$
SECRET='Ch4p-S3cret-kernel'
P=127.0.0.1:$TGT_PORT
LOG="$T/all-output.log"
truncate -s 6M "$T/a1.img"
truncate -s 2M "$T/b1.img"
tgt_target 1 "$A" && tgt_lun 1 1 "$T/a1.img" &&
tgt_target 2 "$B" && tgt_lun 2 1 "$T/b1.img" && tgt_chap 2 cistern "$SECRET" ||
	{ t_fail "iscsi target setup" "tgtadm failed"; exit 1; }

# open-iscsi's database: put back what this test adds
made_dirs=""
for d in nodes ifaces static send_targets; do
	[ -e "/etc/iscsi/$d" ] || made_dirs="$made_dirs /etc/iscsi/$d"
done
iscsi_restore() {
	local t
	for t in "$A" "$B"; do
		iscsiadm --mode node --targetname "$t" --op delete >/dev/null 2>&1
	done
	iscsiadm --mode iface --interface "$(iface_of "$INIT")" --op delete >/dev/null 2>&1
	for d in $made_dirs; do rmdir "$d" 2>/dev/null; done
}
on_exit iscsi_restore
# cistern's interface name for an initiator (FNV-1a of the IQN)
iface_of() { printf 'cistern-iface-%s' "$(python3 -c 'import sys
h=2166136261
for c in sys.argv[1].encode(): h=((h^c)*16777619)&0xffffffff
print("%08x"%h)' "$1")"; }

run() { "$CISTERN" --config-dir "$CFG" --verbose "$@" >"$T/out" 2>"$T/err"; local rc=$?
	cat "$T/out" "$T/err" >>"$LOG"; return $rc; }
out() { cat "$T/out"; }
err() { cat "$T/err"; }

# ---- discovery through libiscsi (no iscsid, no kernel initiator) ----
run find-storage-pool-sources-as iscsi 127.0.0.1 "$TGT_PORT"
expect_eq "iscsi discovery through libiscsi lists both targets (libvirt's <sources>)" "$(out)" \
"<sources>
  <source>
    <host name='127.0.0.1' port='$TGT_PORT'/>
    <device path='$A'/>
  </source>
  <source>
    <host name='127.0.0.1' port='$TGT_PORT'/>
    <device path='$B'/>
  </source>
</sources>"
printf "<source><host name='127.0.0.1' port='%s'/><initiator><iqn name='%s'/></initiator></source>" \
	"$TGT_PORT" "$INIT" >"$T/spec.xml"
run find-storage-pool-sources iscsi "$T/spec.xml"
expect_match "iscsi discovery from a <source> spec keeps the initiator" "$(out)" \
	"<iqn name='$INIT'/>"
closed=$(tgt_closed_port)
run find-storage-pool-sources-as iscsi 127.0.0.1 "$closed"
expect_eq "iscsi discovery on a closed port: a clear error" "$(err)" \
	"error: cannot connect to the iSCSI portal 127.0.0.1:$closed: Connection refused"

# ---- start: libvirt's command lines, password never among them ----
printf '%s\n' "$SECRET" | run secret-set-value kernel-chap
run pool-define-as kb iscsi --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$B" --target /dev/disk/by-path --auth-type chap \
	--auth-username cistern --secret-usage kernel-chap
run --dry-run pool-start kb
expect_eq "iscsi dry-run start with CHAP: libvirt's iscsiadm command lines, no password" "$(out)" \
"iscsiadm --mode node --portal $P,1 --targetname $B --op new
iscsiadm --mode node --portal $P,1 --target $B --op update --name node.session.auth.authmethod --value CHAP
iscsiadm --mode node --portal $P,1 --target $B --op update --name node.session.auth.username --value cistern
iscsiadm --mode node --portal $P,1 --targetname $B --login"
IF=$(iface_of "$INIT")
run pool-define-as ka iscsi --source-host 127.0.0.1 --source-dev "$A" \
	--target /dev/disk/by-path --source-initiator "$INIT"
run --dry-run pool-start ka
expect_eq "iscsi dry-run start with an initiator IQN: interface, discovery, login (default port 3260)" "$(out)" \
"iscsiadm --mode node --portal 127.0.0.1:3260,1 --targetname $A --op new
iscsiadm --mode iface
iscsiadm --mode iface --interface $IF --op new
iscsiadm --mode iface --interface $IF --op update --name iface.initiatorname --value $INIT
iscsiadm --mode discovery --type sendtargets --portal 127.0.0.1:3260,1 --interface $IF
iscsiadm --mode node --portal 127.0.0.1:3260,1 --targetname $A --login --interface $IF"
run pool-list --all
expect_match "a dry-run start leaves the pool inactive" "$(out)" "kb +inactive"

# ---- start for real: iscsiadm's error on this kernel, intact ----
if [ -d /sys/module/iscsi_tcp ] || modprobe -n -q iscsi_tcp 2>/dev/null; then
	t_skip "iscsi real start" "this kernel has an iSCSI initiator (iscsi_tcp): the cases below expect one without"
	exit 0
fi
# what iscsiadm itself says when it tries that login here
iscsiadm --mode node --portal "$P,1" --targetname "$B" --op new >/dev/null 2>&1
iscsiadm --mode node --portal "$P,1" --targetname "$B" --login >/dev/null 2>"$T/iscsiadm.err"
iscsiadm --mode node --portal "$P,1" --targetname "$B" --op delete >/dev/null 2>&1
expected=$(grep '^iscsiadm:' "$T/iscsiadm.err" | awk 'NR > 1 { printf "; " } { printf "%s", $0 }')
run pool-start kb
rc=$?
[ $rc -ne 0 ] && t_ok "iscsi pool-start fails on a kernel without iscsi_tcp" ||
	t_fail "iscsi pool-start fails on a kernel without iscsi_tcp"
expect_eq "iscsi login error: every line iscsiadm wrote reaches the operator intact" "$(err | grep "^error:")" \
	"error: pool 'kb': cannot log in to $B: iscsiadm failed (exit 20): $expected"
expect_match "iscsi --verbose shows iscsiadm's full stderr" "$(err)" \
	"^    iscsiadm: Could not log into all portals"
expect_eq "iscsi start ran libvirt's commands, then removed the node record it made" \
	"$(err | sed -n 's/^+ //p')" \
"iscsiadm --mode node --portal $P,1 --targetname $B --op new
iscsiadm --mode node --portal $P,1 --target $B --op update --name node.session.auth.authmethod --value CHAP
iscsiadm --mode node --portal $P,1 --target $B --op update --name node.session.auth.username --value cistern
iscsiadm --mode node --portal $P,1 --targetname $B --login
iscsiadm --mode node --portal $P,1 --targetname $B --op delete"
if iscsiadm --mode node --targetname "$B" >/dev/null 2>&1; then
	t_fail "iscsi failed start leaves no node record (with the CHAP secret) behind"
else t_ok "iscsi failed start leaves no node record (with the CHAP secret) behind"; fi
run pool-info kb
expect_match "iscsi pool that failed to start is inactive and keeps the error" "$(out)" \
	"State: +inactive"

run pool-start ka
expect_match "iscsi initiator IQN on this kernel: iscsiadm's refusal to make the interface" "$(err | grep "^error:")" \
	"^error: pool 'ka': iscsiadm did not make an iSCSI interface for initiator $INIT: .*iscsiadm: "
if iscsiadm --mode iface | grep -q "^$IF "; then
	t_fail "iscsi failed start removes the interface it made"
else t_ok "iscsi failed start removes the interface it made"; fi

# ---- nothing is created or deleted here ----
run pool-define-as kd iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$A" --source-initiator "$INIT.d"
run pool-start kd
run vol-create-as kd x 1M
expect_match "volume create in an iSCSI pool is refused, saying why" "$(err)" \
	"cannot create volumes in an iscsi-direct pool: its volumes are the target's LUNs, which are made and removed on the storage server \(do it there, then pool-refresh\)"

# ---- the secret never shows ----
run pool-dumpxml kb
run --dry-run pool-start kb
leaks=$( { cat "$LOG"; find "$CFG" -path "$CFG/secrets" -prune -o -type f -print0 |
	xargs -0 cat; } | grep -c -F -e "$SECRET")
expect_eq "iscsi: no CHAP secret in argv, --verbose log, errors, XML or state files" "$leaks" 0
