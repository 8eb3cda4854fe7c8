#!/usr/bin/env bash
# Pool verbs of the batch command line, laid out as virsh lays them out,
# with --json from json-c, and every document written valid against
# libvirt's schemas.
. "$(dirname "$0")/../lib/lib.sh"
JQ="$BUILD/tests/lib/jsonq"
RNG="$PEER/src/conf/schemas"

valid_pool() { xmllint --noout --relaxng "$RNG/storagepool.rng" "$1" >/dev/null 2>&1; }

# define pools of every type with pool-define-as (virsh's options)
check "pool-define-as dir" cis pool-define-as images dir --target "$T/images"
check "pool-define-as fs" cis pool-define-as data fs --source-dev /dev/sdz9 \
	--source-format ext4 --target "$T/mnt-data"
check "pool-define-as netfs" cis pool-define-as nfs1 netfs --source-host nas.example.com \
	--source-path /export/vm --source-format nfs --source-protocol-ver 4.1 --target "$T/mnt-nfs"
check "pool-define-as logical with two PVs" cis pool-define-as vg0 logical \
	--source-dev /dev/sdy1 --source-dev /dev/sdy2 --source-name vg0
check "pool-define-as disk" cis pool-define-as sdx disk --source-dev /dev/sdx \
	--source-format gpt --target /dev
check "pool-define-as iscsi with CHAP" cis pool-define-as san iscsi --source-host 192.0.2.10 \
	--source-dev iqn.2024-01.com.example:store --source-initiator iqn.2024-01.com.example:host1 \
	--auth-type chap --auth-username admin --secret-usage san-secret --target /dev/disk/by-path
check "pool-define-as positional arguments (name type host path dev name target)" \
	cis pool-define-as nfs2 netfs nas2.example.com /export/b "" "" "$T/mnt-nfs2"

for f in "$CFG"/*.xml; do
	if valid_pool "$f"; then t_ok "stored $(basename "$f") validates against storagepool.rng"
	else t_fail "stored $(basename "$f") validates against storagepool.rng" "$(xmllint --noout --relaxng "$RNG/storagepool.rng" "$f" 2>&1 | head -3)"; fi
done

out=$(cis pool-define-as x netfs --source-host h --source-path /e --target /mnt/x --print-xml)
expect_eq "pool-define-as --print-xml prints virsh's XML" "$out" "<pool type='netfs'>
  <name>x</name>
  <source>
    <host name='h'/>
    <dir path='/e'/>
  </source>
  <target>
    <path>/mnt/x</path>
  </target>
</pool>"
check_fails "--print-xml defines nothing" test -e "$CFG/x.xml"

# pool-list: virsh's table
out=$(cis pool-list --all)
expect_eq "pool-list --all is virsh's table" "$out" " Name     State      Autostart
--------------------------------
 data     inactive   no
 images   inactive   no
 nfs1     inactive   no
 nfs2     inactive   no
 san      inactive   no
 sdx      inactive   no
 vg0      inactive   no"
out=$(cis pool-list)
expect_eq "pool-list shows only active pools" "$out" " Name   State   Autostart
---------------------------"
check "pool-start --build of a dir pool" cis pool-start images --build
out=$(cis pool-list --type dir,logical --all --name)
expect_eq "pool-list --type filters (comma-separated)" "$out" "images
vg0"
out=$(cis pool-list --inactive --name --type netfs)
expect_eq "pool-list --inactive --name" "$out" "nfs1
nfs2"
check "pool-autostart" cis pool-autostart images
out=$(cis pool-list --autostart --name)
expect_eq "pool-list --autostart" "$out" "images"
out=$(cis -q pool-list --all --no-autostart --name | wc -l)
expect_eq "pool-list --no-autostart" "$out" "6"
out=$(cis pool-list --all --details)
expect_match "pool-list --details has virsh's columns" "$(echo "$out" | head -1)" \
	"^ Name +State +Autostart +Persistent +Capacity +Allocation +Available"
expect_match "pool-list --details shows sizes of a running pool" "$(echo "$out" | grep images)" \
	"images +running +yes +yes +[0-9.]+ [KMGT]iB +[0-9.]+ [KMGT]?i?B +[0-9.]+ [KMGT]iB"

# JSON
json=$(cis pool-list --all --json)
check "pool-list --json is valid JSON" sh -c "printf '%s' '$json' | $JQ"
expect_eq "pool-list --json lists every pool" "$(printf '%s' "$json" | $JQ length)" "7"
expect_eq "pool-list --json: name" "$(printf '%s' "$json" | $JQ 1.name)" "images"
expect_eq "pool-list --json: state" "$(printf '%s' "$json" | $JQ 1.state)" "running"
expect_eq "pool-list --json: autostart is a boolean" "$(printf '%s' "$json" | $JQ 1.autostart)" "true"
expect_match "pool-list --json: capacity is a number" "$(printf '%s' "$json" | $JQ 1.capacity)" "^[0-9]+$"
expect_eq "pool-list --json: an inactive pool has no capacity" "$(printf '%s' "$json" | $JQ 0.capacity)" "null"
json=$(cis pool-info images --json)
expect_eq "pool-info --json" "$(printf '%s' "$json" | $JQ name type active)" "images
dir
true"

# pool-info
out=$(cis pool-info images)
expect_match "pool-info is virsh's layout" "$out" "^Name:           images
UUID:           [0-9a-f-]{36}
State:          running
Persistent:     yes
Autostart:      yes
Capacity:       [0-9.]+ [KMGT]iB
Allocation:     .*
Available:      .*"
out=$(cis pool-info images --bytes | grep Capacity)
expect_match "pool-info --bytes" "$out" "^Capacity:       [0-9]+$"
uuid=$(cis pool-uuid images)
expect_match "pool-uuid" "$uuid" "^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"
expect_eq "pool-name from a uuid" "$(cis pool-name "$uuid")" "images"
expect_eq "pool-info by uuid" "$(cis pool-info "$uuid" | head -1)" "Name:           images"

# pool-dumpxml
cis pool-dumpxml images >"$T/images.xml"
check "pool-dumpxml validates" valid_pool "$T/images.xml"
expect_match "pool-dumpxml of a running pool has live sizes" "$(cat "$T/images.xml")" \
	"<capacity unit='bytes'>[1-9][0-9]*</capacity>"
cis pool-dumpxml images --inactive >"$T/images-inactive.xml"
expect_match "pool-dumpxml --inactive has none" "$(cat "$T/images-inactive.xml")" \
	"<capacity unit='bytes'>0</capacity>"
cis pool-dumpxml san >"$T/san.xml"
check "iscsi pool XML validates" valid_pool "$T/san.xml"

# redefinition rules (libvirt's)
cis pool-dumpxml data --inactive >"$T/data.xml"
check "pool-define of the same pool again updates it" cis pool-define "$T/data.xml"
sed "s|<uuid>.*</uuid>|<uuid>11111111-2222-4333-8444-555555555555</uuid>|" "$T/data.xml" >"$T/data-uuid.xml"
out=$(cis pool-define "$T/data-uuid.xml" 2>&1)
expect_match "same name, another uuid is refused" "$out" "^error: pool 'data' already exists with uuid"
sed "s|<name>data</name>|<name>data2</name>|" "$T/data.xml" >"$T/data-name.xml"
out=$(cis pool-define "$T/data-name.xml" 2>&1)
expect_match "same uuid, another name is refused" "$out" "^error: pool 'data' is already defined with uuid"
out=$(cis pool-define-as images2 dir --target "$T/images" 2>&1)
expect_match "same target dir (dir) is refused" "$out" \
	"^error: pool 'images2': storage source conflicts with pool 'images' \(the same target directory"
out=$(cis pool-define-as nfs3 netfs --source-host nas.example.com --source-path /export/vm --target /mnt/n3 2>&1)
expect_match "same host+dir (netfs) is refused" "$out" "conflicts with pool 'nfs1' \(the same export nas.example.com:/export/vm\)"
out=$(cis pool-define-as data3 fs --source-dev /dev/sdz9 --target /mnt/d3 2>&1)
expect_match "a shared device (fs) is refused" "$out" "conflicts with pool 'data' \(the same device '/dev/sdz9'\)"
out=$(cis pool-define-as vg1 logical --source-dev /dev/sdy2 --source-name vg1 2>&1)
expect_match "a shared device (logical) is refused" "$out" "conflicts with pool 'vg0' \(the same device '/dev/sdy2'\)"
out=$(cis pool-define-as sdx2 disk --source-dev /dev/sdx --target /dev 2>&1)
expect_match "a shared device (disk) is refused" "$out" "conflicts with pool 'sdx'"
out=$(cis pool-define-as san2 iscsi --source-host 192.0.2.10 --source-dev iqn.2024-01.com.example:store \
	--source-initiator iqn.2024-01.com.example:host1 --target /dev/disk/by-path 2>&1)
expect_match "same host+IQN+initiator (iscsi) is refused" "$out" "conflicts with pool 'san' \(the same iSCSI target"
check "same host+IQN with another initiator is allowed" cis pool-define-as san3 iscsi \
	--source-host 192.0.2.10 --source-dev iqn.2024-01.com.example:store \
	--source-initiator iqn.2024-01.com.example:host2 --target /dev/disk/by-path
sed -i 's|<mode>0700</mode>|<mode>0750</mode>|; s|</target>|<permissions><mode>0750</mode></permissions></target>|' "$T/images-inactive.xml"
sed "s|<path>$T/images</path>|<path>$T/elsewhere</path>|" "$T/images-inactive.xml" >"$T/images-moved.xml"
out=$(cis pool-define "$T/images-moved.xml" 2>&1)
expect_match "an active pool's definition cannot change" "$out" "^error: pool 'images' is active: stop it"

# pool-edit through $EDITOR (argv split on blanks, no shell)
cis pool-destroy images >/dev/null
EDITOR="sed -i s|<name>nfs2</name>|<name>nfs2</name>|" cis pool-edit nfs2 >"$T/out" 2>&1
expect_eq "pool-edit with no change says so" "$(cat "$T/out")" "Pool nfs2 XML configuration not changed."
EDITOR="sed -i s|/export/b|/export/c|" cis pool-edit nfs2 >"$T/out" 2>&1
expect_eq "pool-edit saves a valid change" "$(cat "$T/out")" "Pool nfs2 XML configuration edited."
expect_match "the edit is stored" "$(cat "$CFG/nfs2.xml")" "<dir path='/export/c'/>"
before=$(md5sum <"$CFG/nfs2.xml")
EDITOR="sed -i s|<pool|<pol|" cis pool-edit nfs2 </dev/null >"$T/out" 2>&1
expect_match "pool-edit refuses invalid XML" "$(cat "$T/out")" "^error: .*malformed XML"
expect_eq "an invalid edit changes nothing" "$(md5sum <"$CFG/nfs2.xml")" "$before"

# autostart links and undefine
check "autostart link exists" test -L "$CFG/autostart/images.xml"
check "pool-autostart --disable" cis pool-autostart images --disable
check_fails "the link is gone" test -L "$CFG/autostart/images.xml"
out=$(cis pool-undefine nfs2)
expect_eq "pool-undefine" "$out" "Pool nfs2 has been undefined"
check_fails "its file is gone" test -e "$CFG/nfs2.xml"
cis pool-start images >/dev/null
out=$(cis pool-undefine images 2>&1)
expect_match "an active pool cannot be undefined" "$out" "^error: pool 'images' is still active"
cis pool-destroy images >/dev/null

# capabilities
cis pool-capabilities >"$T/caps.xml"
check "pool-capabilities is well-formed XML" xmllint --noout "$T/caps.xml"
expect_match "pool-capabilities lists dir" "$(cat "$T/caps.xml")" "<pool type='dir' supported='yes'>"

# a broken file in the config dir is skipped with a warning
echo "<pool type='dir'><name>broken" >"$CFG/broken.xml"
out=$(cis pool-list --all --name 2>"$T/err")
expect_match "a broken config file is reported" "$(cat "$T/err")" "^warning: $CFG/broken.xml: line [0-9]+: malformed XML"
expect_match "the other pools still load" "$out" "images"
rm -f "$CFG/broken.xml"

# import-libvirt
mkdir -p "$T/libvirt/autostart"
cp "$PEER/tests/storagepoolxml2xmlout/pool-dir.xml" "$T/libvirt/virtimages.xml"
cp "$PEER/tests/storagepoolxml2xmlout/pool-logical.xml" "$T/libvirt/HostVG.xml"
# libvirt's link is absolute: it need not resolve from here
ln -s /etc/libvirt/storage/HostVG.xml "$T/libvirt/autostart/HostVG.xml"
printf "<pool type='scsi'>\n  <name>hba0</name>\n  <source>\n    <adapter name='host0'/>\n  </source>\n  <target>\n    <path>/dev/disk/by-path</path>\n  </target>\n</pool>\n" >"$T/libvirt/hba0.xml"
printf "<pool type='mpath'>\n  <name>mpath</name>\n  <target>\n    <path>/dev/mapper</path>\n  </target>\n</pool>\n" >"$T/libvirt/mpath.xml"
echo "junk" >"$T/libvirt/junk.xml"
out=$(cis import-libvirt "$T/libvirt" 2>/dev/null)
expect_match "import-libvirt imports libvirt's pools; names what it skips" "$out" \
	"^2 pools imported, 3 skipped: hba0 \(type scsi, not supported\), mpath \(type mpath, not supported\), 1 unreadable \(see the warnings\)$"
expect_eq "imported pools keep their uuid" "$(cis pool-uuid virtimages)" "70a7eb15-6c34-ee9c-bf57-69e8e5ff3fb2"
expect_eq "imported autostart" "$(cis pool-list --all --autostart --name)" "HostVG"
out=$(cis import-libvirt "$T/libvirt" 2>&1)
expect_match "importing again skips what is there" "$out" "0 pools imported, 5 skipped: .*HostVG \(already defined\)"

# help and version
expect_match "--version" "$("$CISTERN" --version)" "^cistern [0-9]+\.[0-9]+"
expect_match "help lists the verbs" "$(cis help)" "vol-create-as"
expect_match "help VERB shows its options" "$(cis help pool-list)" "usage: cistern pool-list .*--details"

# first start with no pools: the default pool is offered
mkdir -p "$T/empty"
out=$("$CISTERN" --config-dir "$T/empty/cfg" </dev/null)
expect_match "with no pools, the default pool is offered" "$out" "^No storage pools are defined"
expect_match "... with the commands that make it" "$out" "cistern pool-define-as default dir --target .*/cistern/images"
