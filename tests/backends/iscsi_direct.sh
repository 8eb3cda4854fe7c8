#!/usr/bin/env bash
# cistern — iscsi-direct pools against a real target: tgtd on 127.0.0.1
# (private port and control port), two targets, file-backed LUNs of
# different sizes, one target behind CHAP; cistern talks to it through
# libiscsi in process. The test reads the backing files to check what
# wipe and upload moved.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/tgt.sh"

need_root iscsi-direct || exit 0
need_cmd iscsi-direct tgtd tgtadm ss cmp od || exit 0
tgt_start || { t_fail "iscsi-direct tgtd" "tgtd did not start"; exit 1; }

A=iqn.2025-01.org.cistern.test:direct-a.$$
B=iqn.2025-01.org.cistern.test:direct-b.$$
INIT=iqn.2025-01.org.cistern.test:initiator.$$
SECRET='Ch4p-S3cret-direct'
WRONG='Wr0ng-Password-xyz'
P=127.0.0.1:$TGT_PORT
LOG="$T/all-output.log"
head -c $((8 << 20)) /dev/urandom >"$T/a1.img"
head -c $((3 << 20)) /dev/urandom >"$T/a2.img"
head -c $((5 << 20)) /dev/urandom >"$T/b1.img"
tgt_target 1 "$A" && tgt_lun 1 1 "$T/a1.img" && tgt_lun 1 2 "$T/a2.img" &&
tgt_target 2 "$B" && tgt_lun 2 1 "$T/b1.img" && tgt_chap 2 cistern "$SECRET" ||
	{ t_fail "iscsi-direct target setup" "tgtadm failed"; exit 1; }

# every cistern run, verbose, with its output kept for the secret check
run() { "$CISTERN" --config-dir "$CFG" --verbose "$@" >"$T/out" 2>"$T/err"; local rc=$?
	cat "$T/out" "$T/err" >>"$LOG"; return $rc; }
out() { cat "$T/out"; }
err() { cat "$T/err"; }

# ---- discovery ----
run find-storage-pool-sources-as iscsi-direct 127.0.0.1 "$TGT_PORT" --initiator "$INIT"
expect_eq "iscsi-direct discovery (SendTargets) lists both targets as libvirt's <sources>" "$(out)" \
"<sources>
  <source>
    <host name='127.0.0.1' port='$TGT_PORT'/>
    <device path='$A'/>
    <initiator>
      <iqn name='$INIT'/>
    </initiator>
  </source>
  <source>
    <host name='127.0.0.1' port='$TGT_PORT'/>
    <device path='$B'/>
    <initiator>
      <iqn name='$INIT'/>
    </initiator>
  </source>
</sources>"
run find-storage-pool-sources-as iscsi-direct 127.0.0.1 "$TGT_PORT"
expect_match "iscsi-direct discovery without --initiator says it needs one" "$(err)" \
	"^error: missing initiator IQN"

# ---- define, start, refresh ----
run pool-define-as da iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$A" --source-initiator "$INIT"
check "iscsi-direct pool-start logs in and refreshes" run pool-start da
run vol-list da
expect_eq "iscsi-direct refresh lists exactly the disk LUNs (not the controller LUN 0)" \
	"$(out | awk 'NR > 2 && NF { print $1, $2 }')" \
"unit:0:0:1 iscsi://$P/$A/1
unit:0:0:2 iscsi://$P/$A/2"
caps=""
for v in unit:0:0:1 unit:0:0:2; do
	run vol-info "$v" --pool da --bytes
	caps="$caps $(out | awk '/^Capacity:/ { print $2 }')"
done
expect_eq "iscsi-direct LUN sizes come from READ CAPACITY 16" "$caps" " $((8 << 20)) $((3 << 20))"
run vol-key unit:0:0:1 --pool da; k1=$(out)
run vol-key unit:0:0:2 --pool da; k2=$(out)
# tgt's NAA-6 designator for target 1, LUN 1 and 2 (VPD page 0x83), as
# udev's scsi_id prints it
expect_eq "iscsi-direct volume keys are the LUNs' scsi_id (VPD 0x83 NAA)" "$k1 $k2" \
	"360000000000000000e00000000010001 360000000000000000e00000000010002"
sn=$(tgtadm -C "$TGT_CTL" --op show --mode target | awk '/SCSI SN:/ { print $3 }' | sed -n 2p)
run vol-info unit:0:0:1 --pool da --json
expect_eq "iscsi-direct volume shows its unit serial number (VPD 0x80)" \
	"$(out | jq -r .note)" "IET VIRTUAL-DISK, serial $sn"
run pool-info da --bytes
expect_match "iscsi-direct pool capacity is the sum of its LUNs" "$(out)" \
	"Capacity: +$((11 << 20))"
run vol-path "iscsi://$P/$A/2"
expect_eq "iscsi-direct volumes are found by their iscsi:// path" "$(out)" "iscsi://$P/$A/2"
run vol-dumpxml unit:0:0:2 --pool da
expect_eq "iscsi-direct vol-dumpxml" "$(out)" \
"<volume type='network'>
  <name>unit:0:0:2</name>
  <key>360000000000000000e00000000010002</key>
  <capacity unit='bytes'>3145728</capacity>
  <allocation unit='bytes'>3145728</allocation>
  <target>
    <path>iscsi://$P/$A/2</path>
  </target>
</volume>"

# ---- upload and download move the right bytes ----
head -c 1500001 /dev/urandom >"$T/up.bin"
if run vol-upload unit:0:0:1 "$T/up.bin" --pool da --offset 4097 &&
   cmp -s -i 0:4097 -n 1500001 "$T/up.bin" "$T/a1.img"; then
	t_ok "iscsi-direct upload at an unaligned offset lands in the backing file"
else t_fail "iscsi-direct upload at an unaligned offset lands in the backing file" "$(err)"; fi
cp "$T/a1.img" "$T/a1.before"
head -c 1000 /dev/zero | tr '\0' 'x' >"$T/small.bin"
run vol-upload unit:0:0:1 "$T/small.bin" --pool da --offset 700
if cmp -s -n 700 "$T/a1.before" "$T/a1.img" &&
   cmp -s -i 0:700 -n 1000 "$T/small.bin" "$T/a1.img" &&
   cmp -s -i 1700:1700 "$T/a1.before" "$T/a1.img"; then
	t_ok "iscsi-direct upload inside one block keeps the bytes around it"
else t_fail "iscsi-direct upload inside one block keeps the bytes around it"; fi
if run vol-download unit:0:0:1 "$T/down.bin" --pool da && cmp -s "$T/down.bin" "$T/a1.img"; then
	t_ok "iscsi-direct download of a whole LUN equals its backing file"
else t_fail "iscsi-direct download of a whole LUN equals its backing file" "$(err)"; fi
if run vol-download unit:0:0:2 "$T/part.bin" --pool da --offset 1000 --length 123457 &&
   [ "$(stat -c %s "$T/part.bin")" = 123457 ] &&
   cmp -s -i 1000:0 -n 123457 "$T/a2.img" "$T/part.bin"; then
	t_ok "iscsi-direct download of a byte range"
else t_fail "iscsi-direct download of a byte range" "$(err)"; fi
run vol-upload unit:0:0:2 "$T/up.bin" --pool da --offset $((2 << 20))
expect_match "iscsi-direct upload that does not fit is refused before writing" "$(err)" \
	"do not fit in 3145728 bytes"
cmp -s -n 123457 -i 1000:0 "$T/a2.img" "$T/part.bin" &&
	t_ok "iscsi-direct refused upload wrote nothing" ||
	t_fail "iscsi-direct refused upload wrote nothing"

# ---- wipe ----
if run vol-wipe unit:0:0:2 --pool da && cmp -s "$T/a2.img" <(head -c $((3 << 20)) /dev/zero); then
	t_ok "iscsi-direct wipe (zero) zeroes the LUN's backing file"
else t_fail "iscsi-direct wipe (zero) zeroes the LUN's backing file" "$(err)"; fi
if run vol-download unit:0:0:2 "$T/sparse.bin" --pool da --sparse &&
   cmp -s "$T/sparse.bin" "$T/a2.img" && [ "$(stat -c %b "$T/sparse.bin")" -lt 64 ]; then
	t_ok "iscsi-direct sparse download of a zeroed LUN makes a sparse file"
else t_fail "iscsi-direct sparse download of a zeroed LUN makes a sparse file"; fi
if run vol-wipe unit:0:0:2 --pool da --algorithm dod &&
   [ "$(od -An -v -tx1 "$T/a2.img" | tr -s ' \n' '\n' | sort -u | grep .)" = ff ]; then
	t_ok "iscsi-direct wipe dod (random, 0x00, verified 0xff) leaves 0xff"
else t_fail "iscsi-direct wipe dod (random, 0x00, verified 0xff) leaves 0xff" "$(err)"; fi
if run vol-wipe unit:0:0:2 --pool da --algorithm gutmann &&
   [ "$(od -An -v -tx1 "$T/a2.img" | tr -s ' \n' '\n' | sort -u | grep -c .)" -gt 200 ]; then
	t_ok "iscsi-direct wipe gutmann (35 passes) ends with random data"
else t_fail "iscsi-direct wipe gutmann (35 passes) ends with random data" "$(err)"; fi
cmp -s "$T/a1.img" "$T/down.bin" && t_ok "iscsi-direct wipe touched only its own LUN" ||
	t_fail "iscsi-direct wipe touched only its own LUN"

# ---- volumes are the server's: no create, no delete ----
run vol-create-as da new 1M
expect_match "iscsi-direct vol-create is refused, saying why" "$(err)" \
	"cannot create volumes in an iscsi-direct pool: its volumes are the target's LUNs, which are made and removed on the storage server"
run vol-delete unit:0:0:1 --pool da
expect_match "iscsi-direct vol-delete is refused, saying why" "$(err)" \
	"cannot delete volumes in an iscsi-direct pool: its volumes are the target's LUNs"

# ---- CHAP ----
printf '%s\n' "$SECRET" | run secret-set-value cistern-chap-b
check "secret-set-value stores a secret read from stdin" test -f "$CFG/secrets/usage-cistern-chap-b"
expect_eq "the secret file is private (0600)" "$(stat -c %a "$CFG/secrets/usage-cistern-chap-b")" 600
printf '%s' "$WRONG" >"$T/wrong.txt"
run secret-set-value 6e1c0c5e-2b44-4bde-9d0c-4f2a5d1e0b11 --file "$T/wrong.txt"
run secret-list
expect_eq "secret-list shows names only" "$(out)" \
"6e1c0c5e-2b44-4bde-9d0c-4f2a5d1e0b11
usage cistern-chap-b"
run pool-define-as db iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$B" --source-initiator "$INIT" --auth-type chap \
	--auth-username cistern --secret-usage cistern-chap-b
run pool-start db
run vol-list db
expect_eq "iscsi-direct CHAP login with the stored secret lists the LUN" \
	"$(out | awk 'NR > 2 && NF { print $1, $2 }')" "unit:0:0:1 iscsi://$P/$B/1"
run vol-key unit:0:0:1 --pool db
expect_eq "iscsi-direct key of target 2 LUN 1" "$(out)" 360000000000000000e00000000020001

run pool-define-as dwrong iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$B" --source-initiator "$INIT.wrong" --auth-type chap \
	--auth-username cistern --secret-uuid 6e1c0c5e-2b44-4bde-9d0c-4f2a5d1e0b11
run pool-start dwrong
expect_eq "iscsi-direct wrong CHAP password: a clear error" "$(err)" \
	"error: pool 'dwrong': cannot log in to $B on $P: Failed to log in to target. Status: Authentication failure(513) (check the CHAP user name and secret)"
run pool-define-as dnoauth iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$B" --source-initiator "$INIT.noauth"
run pool-start dnoauth
expect_match "iscsi-direct CHAP target without <auth>: says CHAP may be needed" "$(err)" \
	"Authentication failure\(513\) \(the target may require CHAP: add <auth>\)$"
run pool-define-as dunknown iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$A.nosuch" --source-initiator "$INIT"
run pool-start dunknown
expect_eq "iscsi-direct unknown target IQN: a clear error" "$(err)" \
	"error: pool 'dunknown': cannot log in to $A.nosuch on $P: Failed to log in to target. Status: Target not found(515) (no such target on this portal)"
closed=$(tgt_closed_port)
run pool-define-as dclosed iscsi-direct --source-host 127.0.0.1 --source-port "$closed" \
	--source-dev "$A" --source-initiator "$INIT"
run pool-start dclosed
expect_eq "iscsi-direct closed port: a clear error" "$(err)" \
	"error: pool 'dclosed': cannot connect to the iSCSI portal 127.0.0.1:$closed: Connection refused"
run pool-list --all
expect_match "iscsi-direct pools that failed to start stay inactive" "$(out)" \
	"dwrong +inactive"
run pool-define-as dmissing iscsi-direct --source-host 127.0.0.1 --source-port "$TGT_PORT" \
	--source-dev "$B" --source-initiator "$INIT.missing" --auth-type chap \
	--auth-username cistern --secret-usage not-stored
run pool-start dmissing
expect_eq "iscsi-direct secret not stored: says how to store it" "$(err)" \
	"error: pool 'dmissing': CHAP user 'cistern': secret usage 'not-stored' is not stored (set it with 'cistern secret-set-value not-stored')"
chmod 644 "$CFG/secrets/usage-cistern-chap-b"
run pool-refresh db
expect_match "a secret file others can read is refused" "$(err)" \
	"must belong to you and be readable by no one else \(chmod 600\)"
chmod 600 "$CFG/secrets/usage-cistern-chap-b"
check "iscsi-direct pool-refresh works again with the private secret" run pool-refresh db

# ---- the secret never shows ----
run pool-dumpxml db
run --dry-run pool-start dwrong
run vol-dumpxml unit:0:0:1 --pool db
leaks=$( { cat "$LOG"; find "$CFG" -path "$CFG/secrets" -prune -o -type f -print0 |
	xargs -0 cat; } | grep -c -F -e "$SECRET" -e "$WRONG")
expect_eq "no CHAP secret in any output, --verbose log, XML, error or state file" "$leaks" 0

check "iscsi-direct pool-destroy" run pool-destroy da
run secret-undefine cistern-chap-b
check "secret-undefine removes the file" test ! -e "$CFG/secrets/usage-cistern-chap-b"
