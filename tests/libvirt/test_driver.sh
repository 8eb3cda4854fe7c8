#!/usr/bin/env bash
# cistern -c over libvirt's test driver (test:///FILE: in process, no
# daemon; every process starts from the same node XML, so each verb is
# one case, and cistern's output is compared with virsh's on the same
# URI).
. "$(dirname "$0")/../lib/lib.sh"
need_cmd "libvirt test driver" virsh || exit 0

cat >"$T/node.xml" <<'EOF'
<node>
  <pool type='dir'>
    <name>images</name>
    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e5555</uuid>
    <capacity unit='bytes'>107374182400</capacity>
    <allocation unit='bytes'>4294967296</allocation>
    <available unit='bytes'>103079215104</available>
    <source/>
    <target><path>/images</path></target>
    <volume type='file'>
      <name>web.img</name>
      <key>/images/web.img</key>
      <capacity unit='bytes'>1073741824</capacity>
      <allocation unit='bytes'>1073741824</allocation>
      <target><path>/images/web.img</path><format type='raw'/></target>
    </volume>
    <volume type='file'>
      <name>db.qcow2</name>
      <key>/images/db.qcow2</key>
      <capacity unit='bytes'>2147483648</capacity>
      <allocation unit='bytes'>3221225472</allocation>
      <target><path>/images/db.qcow2</path><format type='qcow2'/></target>
    </volume>
  </pool>
  <pool type='dir'>
    <name>spare</name>
    <uuid>35bb2ad9-388a-cdfe-461a-b8907f6e6666</uuid>
    <source/>
    <target><path>/spare</path></target>
  </pool>
</node>
EOF
U="test://$T/node.xml"
c() { "$CISTERN" -c "$U" "$@"; }
v() { virsh -c "$U" "$@"; }

. "$(dirname "$0")/../lib/virsh_same.sh"

# ---- the connection ----
expect_eq "uri" "$(c uri)" "$U"
same "hostname as virsh" hostname
expect_eq "CISTERN_CONNECT" "$(CISTERN_CONNECT="$U" "$CISTERN" uri)" "$U"
expect_eq "-c wins over CISTERN_CONNECT" \
	"$(CISTERN_CONNECT=test:///nowhere "$CISTERN" -c "$U" uri)" "$U"
expect_match "local engine without -c" \
	"$("$CISTERN" --config-dir "$CFG" uri)" '^cistern:///(system|session)$'
out=$(timeout 20 "$CISTERN" -c "test://$T/missing.xml" pool-list 2>&1)
expect_match "a bad URI: one clear line" "$out" \
	"^error: cannot reach libvirt at test://$T/missing.xml: .*missing.xml"
expect_eq "a bad URI: one line" "$(printf '%s\n' "$out" | grep -c .)" 1
# the local store is not read over a connection
cis pool-define-as localonly dir --target "$T/lo" >/dev/null
if "$CISTERN" --config-dir "$CFG" -c "$U" pool-list --all | grep -q localonly; then
	t_fail "-c: local pools hidden" "localonly listed"; else
	t_ok "-c: local pools hidden"; fi

# ---- pools: information ----
same "pool-list" pool-list
same "pool-list --all --details" pool-list --all --details
same "pool-list --inactive" pool-list --inactive
same "pool-info" pool-info images
same "pool-info --bytes" pool-info images --bytes
same "pool-dumpxml" pool-dumpxml images
same "pool-dumpxml --inactive" pool-dumpxml images --inactive
same "pool-uuid" pool-uuid images
same "pool-name" pool-name 35bb2ad9-388a-cdfe-461a-b8907f6e5555
json=$(c pool-list --all --json)
expect_match "pool-list --json" "$json" '"name": "spare"'
expect_match "pool-list --json state" \
	"$(printf '%s' "$json" | tr -d ' \n')" '"name":"images","uuid":"[^"]*","type":"dir","state":"running","autostart":false'
expect_eq "pool-info of no pool" "$(c pool-info nope 2>&1)" \
	"error: no storage pool with matching name or uuid 'nope'"

# ---- volumes: information ----
same "vol-list" vol-list images
same "vol-list --details" vol-list images --details
same "vol-dumpxml" vol-dumpxml db.qcow2 --pool images
same "vol-dumpxml by path" vol-dumpxml /images/web.img
same "vol-info" vol-info web.img --pool images
same "vol-info --bytes" vol-info web.img --pool images --bytes
same "vol-path" vol-path web.img --pool images
same "vol-key" vol-key web.img --pool images
same "vol-name" vol-name /images/web.img
expect_match "vol-list --json" "$(c vol-list images --json)" '"name": "db.qcow2"'

# ---- pools: changes (each process starts from node.xml) ----
same "pool-destroy" pool-destroy images
same "pool-start" pool-start spare
same "pool-start of a running pool" pool-start images
same "pool-autostart" pool-autostart images
same "pool-autostart --disable" pool-autostart images --disable
same "pool-refresh" pool-refresh images
same "pool-undefine" pool-undefine spare
same "pool-build" pool-build spare
same "pool-define-as" pool-define-as new dir --target /new
same "pool-define-as of a name in use" pool-define-as spare dir --target /x
out=$(c pool-undefine images 2>&1)
expect_match "pool-undefine of a running pool: libvirt's error" "$out" \
	"^error: pool 'images': Requested operation is not valid: storage pool 'images' is (still )?active\$"
out=$(c -r pool-destroy images 2>&1)
expect_match "read-only refuses" "$out" "^error: cistern is in read-only mode"
dry="error: --dry-run cannot show a libvirt connection's commands (the other side runs them): nothing was changed"
expect_eq "--dry-run refuses a change" "$(c --dry-run pool-destroy images 2>&1)" "$dry"
expect_eq "--dry-run refuses a definition" \
	"$(c --dry-run pool-define-as n dir --target /n 2>&1)" "$dry"
expect_eq "--dry-run refuses a volume" \
	"$(c --dry-run vol-delete web.img --pool images 2>&1)" "$dry"
expect_eq "--dry-run reads" "$(c --dry-run vol-list images)" "$(v vol-list images)"
# libvirt's events (test:///default is per process: none from virsh
# reach cistern's); the verb starts, and --timeout ends it as virsh's
start=$(date +%s)
out=$(timeout 20 "$CISTERN" -c test:///default pool-event --loop --timeout 2 2>&1)
expect_eq "pool-event over -c: --timeout ends it" "$out" \
	"$(printf 'event loop timed out\nevents received: 0\n')"
[ $(( $(date +%s) - start )) -lt 10 ] && t_ok "pool-event over -c: in time" ||
	t_fail "pool-event over -c: in time" "took $(( $(date +%s) - start )) s"
same "find-storage-pool-sources-as logical" find-storage-pool-sources-as logical
same "find-storage-pool-sources-as netfs" find-storage-pool-sources-as netfs example.org

# ---- volumes: changes ----
same "vol-create-as" vol-create-as images new.img 10M
same "vol-create-as qcow2" vol-create-as images new.qcow2 1G --format qcow2
same "vol-create-as that exists" vol-create-as images web.img 10M
same "vol-delete" vol-delete web.img --pool images
same "vol-clone" vol-clone web.img web2.img --pool images
same "vol-resize" vol-resize web.img 2G --pool images
same "vol-wipe" vol-wipe web.img --pool images
same "vol-wipe --algorithm" vol-wipe web.img --pool images --algorithm dod
cat >"$T/vol.xml" <<'EOF'
<volume><name>x.img</name><capacity unit='M'>5</capacity></volume>
EOF
same "vol-create" vol-create images "$T/vol.xml"
same "vol-create-from" vol-create-from images "$T/vol.xml" web.img --inputpool images

# ---- completion names what -c would act on ----
expect_eq "completion: libvirt's pools" \
	"$("$CISTERN" __complete -c "$U" pool-info '' | sort)" "images
spare"
expect_eq "completion: CISTERN_CONNECT" \
	"$(CISTERN_CONNECT="$U" "$CISTERN" __complete vol-info --pool images '' | sort)" \
	"db.qcow2
web.img"
