#!/usr/bin/env bash
# cistern — finding LVM volume groups (find-storage-pool-sources logical,
# libvirt's <sources> XML, cross-checked with pvs), using what it finds,
# and refusing a second pool on the same VG or device.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lvm.sh"

lvm_init logical_discovery 16M 4 || exit 0
A=${LVM_DEVS[0]} B=${LVM_DEVS[1]} C=${LVM_DEVS[2]} D=${LVM_DEVS[3]}
V1=cistda$$ V2=cistdb$$
vg_cleanup "$V1"
vg_cleanup "$V2"
lvm_q vgcreate -q "$V1" "$A" "$B" >/dev/null
lvm_q vgcreate -q "$V2" "$C" >/dev/null
lvm_q pvcreate -q "$D" >/dev/null    # a PV in no VG: not a source

# libvirt's format, grouped by VG in pvs order, from an independent pvs
want=$(lvm_q pvs --noheadings -o pv_name,vg_name | awk '
	NF == 2 { if (!($2 in seen)) { order[n++] = $2; seen[$2] = 1 }
		  devs[$2] = devs[$2] "    <device path='\''" $1 "'\''/>\n" }
	END { printf "<sources>\n"
	      for (i = 0; i < n; i++)
		printf "  <source>\n%s    <name>%s</name>\n    <format type='\''lvm2'\''/>\n  </source>\n", devs[order[i]], order[i]
	      printf "</sources>\n" }')
got=$(cis find-storage-pool-sources logical)
printf "%s\n" "$got"
expect_eq logical_find_sources_xml "$got" "$want"
expect_eq logical_find_sources_two_vgs "$(printf '%s' "$got" | grep -c '<source>')" 2
expect_eq logical_find_sources_skips_orphan_pv \
	"$(printf '%s' "$got" | grep -c "path='$D'")" 0
expect_eq logical_find_sources_as "$(cis find-storage-pool-sources-as logical)" "$got"
if command -v xmllint >/dev/null; then
	check logical_find_sources_well_formed xmllint --noout - <<<"$got"
fi

# what discovery found defines a working pool
src=$(printf '%s\n' "$got" | awk -v vg="$V2" '
	/<source>/ { buf = ""; keep = 0 } { buf = buf $0 "\n" }
	$0 ~ "<name>" vg "</name>" { keep = 1 }
	/<\/source>/ && keep { printf "%s", buf }')
printf "<pool type='logical'>\n  <name>found</name>\n%s  <target>\n    <path>/dev/%s</path>\n  </target>\n</pool>\n" \
	"$src" "$V2" >"$T/found.xml"
check logical_define_from_discovery cis pool-define "$T/found.xml"
check logical_start_from_discovery cis pool-start found
expect_match logical_discovered_pool_size "$(cis pool-info found --bytes)" \
	"Capacity: +$(lvm_field vgs vg_size "$V2")\$"
cis pool-destroy found >/dev/null

# a second pool on the same storage is refused
check logical_define_first cis pool-define-as p1 logical --source-name "$V1" \
	--source-dev "$A" --source-dev "$B"
out=$(cis pool-define-as p2 logical --source-name "$V1" 2>&1)
expect_match logical_duplicate_vg_refused "$out" \
	"conflicts with pool 'p1' \(the same volume group '$V1'\)"
out=$(cis pool-define-as p3 logical --source-name "other$$" --source-dev "$B" 2>&1)
expect_match logical_duplicate_device_refused "$out" \
	"conflicts with pool 'p1' \(the same device '$B'\)"
printf "<pool type='logical'>\n  <source>\n    <name>%s</name>\n  </source>\n</pool>\n" \
	"$V1" >"$T/dup.xml"
check_fails logical_duplicate_vg_by_xml_refused cis pool-define "$T/dup.xml"
out=$(cis pool-define-as p4 fs --source-dev "$A" --target "$T/mnt" 2>&1)
expect_match logical_duplicate_device_other_type_refused "$out" \
	"the same device '$A'"
expect_eq logical_duplicates_not_defined \
	"$(cis pool-list --all --name | sed '/^$/d' | sort | tr '\n' ' ')" "found p1 "
expect_eq logical_duplicates_no_files "$(ls "$CFG" | grep -c '\.xml$')" 2
