#!/usr/bin/env bash
# cistern -c URI pool-map of a gpt disk pool on a loop device, served by a
# private libvirtd: the map is libvirt's picture (the live pool XML's
# <freeExtent>s and the volumes' source <extent>s), checked against
# virsh's XML on the same connection, in text and --json.
. "$(dirname "$0")/../lib/lib.sh"
need_root "libvirt disk map" || exit 0
need_cmd "libvirt disk map" libvirtd virsh parted losetup || exit 0

D="$T/daemon"
if ! out=$(bash "$TOP/tests/lib/libvirtd.sh" start "$D"); then
	t_fail "libvirtd starts" "$out"; exit 0; fi
on_exit bash "$TOP/tests/lib/libvirtd.sh" stop "$D"
U="storage:///system?socket=$D/run/libvirt-sock"
c() { timeout 60 "$CISTERN" -c "$U" "$@"; }
v() { timeout 60 virsh -q -c "$U" "$@"; }

dev=$(loop_new 128M) || { t_fail "a loop device" "losetup failed"; exit 0; }
parted -s "$dev" mklabel gpt
dk=$(basename "$dev")
cat >"$T/pk.xml" <<EOF
<pool type='disk'>
  <name>pk</name>
  <source>
    <device path='$dev'/>
    <format type='gpt'/>
  </source>
  <target>
    <path>/dev</path>
  </target>
</pool>
EOF
v pool-define "$T/pk.xml" >/dev/null
v pool-start pk >/dev/null
v vol-create-as pk "${dk}p1" 20M >/dev/null
v vol-create-as pk "${dk}p2" 30M >/dev/null

# what libvirt says: the free extent and each partition's extent
xml=$(v pool-dumpxml pk)
fs=$(sed -n "s/.*<freeExtent start='\([0-9]*\)' end='\([0-9]*\)'.*/\1 \2/p" <<<"$xml")
ext() { v vol-dumpxml "$1" --pool pk |
	sed -n "s/.*<extent start='\([0-9]*\)' end='\([0-9]*\)'.*/\1 \2/p"; }
read -r s1 e1 <<<"$(ext "${dk}p1")"
read -r s2 e2 <<<"$(ext "${dk}p2")"
read -r fs0 fe0 <<<"$fs"
expect_match "libvirt reports a free extent" "$fs0 $fe0" '^[0-9]+ [0-9]+$'

out=$(c pool-map pk --bytes)
expect_match "the device and its label" "$(sed -n 1p <<<"$out")" "^$dev  gpt  [0-9]+\$"
rows=$(sed -n '4,$p' <<<"$out" | awk 'NF { print $1, $2, $4, $5 }')
expect_eq "partitions then free space, libvirt's extents" "$rows" \
"$s1 $e1 primary ${dk}p1
$s2 $e2 primary ${dk}p2
$fs0 $fe0 free "
json=$(c pool-map pk --json | tr -d ' \n')
expect_match "--json: the free extent" "$json" \
	"\"kind\":\"free\",\"start\":$fs0,\"end\":$fe0,\"volume\":null"
expect_match "--json: the first partition" "$json" \
	"\"kind\":\"primary\",\"start\":$s1,\"end\":$e1,\"volume\":\"${dk}p1\""

# a partition made through cistern takes the free extent's start; the
# map after it is libvirt's again
c vol-create-as pk "${dk}p3" 10M >/dev/null
read -r s3 e3 <<<"$(ext "${dk}p3")"
expect_eq "the new partition starts where the free space did" "$s3" "$fs0"
expect_eq "the map after it" \
	"$(c pool-map pk --bytes | sed -n '6,$p' | awk 'NF { print $1, $2, $4, $5 }')" \
"$s3 $e3 primary ${dk}p3
$(v pool-dumpxml pk | sed -n "s/.*<freeExtent start='\([0-9]*\)' end='\([0-9]*\)'.*/\1 \2/p") free "
v pool-destroy pk >/dev/null
