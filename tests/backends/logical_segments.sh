#!/usr/bin/env bash
# cistern — LVs made of several parts on real LVM: a raid1 LV (its
# images and metadata are hidden LVs), a striped LV and a linear one.
# The raid LV cannot be made here with lvcreate (no device-mapper), so
# its metadata is restored with vgcfgrestore; lvs reads it for real.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lvm.sh"

lvm_init logical_segments 64M 2 || exit 0
A=${LVM_DEVS[0]} B=${LVM_DEVS[1]}
VG=cistsg$$
vg_cleanup "$VG"
ext=$((4 << 20))

cis pool-define-as sg logical --source-name "$VG" --source-dev "$A" \
	--source-dev "$B" >/dev/null
check logical_segments_build cis pool-build sg
vis='"READ", "WRITE", "VISIBLE"' sub='"READ", "WRITE"'
{
	lvm_lv_text r1 Raid01-aaaa-bbbb-cccc-dddd-eeee-000001 "$vis" 2 raid1 \
		r1_rmeta_0 r1_rimage_0 r1_rmeta_1 r1_rimage_1
	lvm_lv_text r1_rmeta_0 Raid01-aaaa-bbbb-cccc-dddd-eeee-000002 "$sub" 1 striped pv0 0
	lvm_lv_text r1_rimage_0 Raid01-aaaa-bbbb-cccc-dddd-eeee-000003 "$sub" 2 striped pv0 1
	lvm_lv_text r1_rmeta_1 Raid01-aaaa-bbbb-cccc-dddd-eeee-000004 "$sub" 1 striped pv1 0
	lvm_lv_text r1_rimage_1 Raid01-aaaa-bbbb-cccc-dddd-eeee-000005 "$sub" 2 striped pv1 1
	lvm_lv_text st Strip1-aaaa-bbbb-cccc-dddd-eeee-000001 "$vis" 2 striped pv0 3 pv1 3
	lvm_lv_text lin Linea1-aaaa-bbbb-cccc-dddd-eeee-000001 "$vis" 3 striped pv0 5
} >"$T/lvs.txt"
check logical_segments_restore lvm_restore_lvs "$VG" "$T/lvs.txt"
expect_eq logical_segments_lvs_sees_raid \
	"$(lvm_field lvs segtype "$VG/r1")" raid1
check logical_segments_start cis pool-start sg

expect_eq logical_segments_volumes_are_visible_lvs \
	"$(cis vol-list sg | awk 'NR > 2 && NF { print $1 }' | tr '\n' ' ')" \
	"lin r1 st "
expect_eq logical_segments_raid_capacity \
	"$(cis vol-info --pool sg r1 --bytes | awk '/^Capacity:/ {print $2}')" \
	"$(lvm_field lvs lv_size "$VG/r1")"

# extents as "DEVICE START END" lines, from cistern and from lvs
vol_extents() {
	cis vol-dumpxml --pool sg "$1" | awk -F"'" '
		/<device path=/ { d = $2 } /<extent / { print d, $2, $4 }' | sort
}
lvs_extents() {   # the PV extents of the given LVs (hidden ones too)
	local lv
	for lv in "$@"; do
		lvm_q lvs -a --noheadings --units b --nosuffix -o devices,seg_size,stripes \
			"$VG/$lv" | awk -v e=$ext '{
			n = split($1, d, ","); for (i = 1; i <= n; i++) {
				split(d[i], a, /[()]/)
				printf "%s %d %d\n", a[1], a[2] * e, a[2] * e + $2 / $3 } }'
	done | sort
}
expect_eq logical_segments_raid_extents_are_its_images \
	"$(vol_extents r1)" "$(lvs_extents r1_rimage_0 r1_rimage_1)"
expect_eq logical_segments_striped_extents_per_stripe \
	"$(vol_extents st)" "$(lvs_extents st)"
expect_eq logical_segments_striped_stripe_is_one_extent \
	"$(vol_extents st | awk '{ print $3 - $2 }' | sort -u)" "$ext"
expect_eq logical_segments_linear_extents "$(vol_extents lin)" "$(lvs_extents lin)"

# the maps: the raid LV's metadata and image are one piece named r1
map=$(cis pool-map sg --bytes | awk '
	/^\// { dev = $1; next } $1 ~ /^[0-9]+$/ { print dev, $1, $2, $4, $5 }')
pe0=$(lvm_field pvs pe_start "$A")
expect_eq logical_segments_map_raid_piece \
	"$(printf '%s\n' "$map" | awk -v d="$A" '$1 == d && $5 == "r1" { print $2, $3 }')" \
	"$pe0 $((pe0 + 3 * ext))"
expect_eq logical_segments_map_on_A \
	"$(printf '%s\n' "$map" | awk -v d="$A" '$1 == d { printf "%s:%s ", $4, $5 }')" \
	"metadata: primary:r1 primary:st free: primary:lin free: metadata: "
for d in "$A" "$B"; do
	expect_eq "logical_segments_map_alloc_$(basename "$d")" \
		"$(printf '%s\n' "$map" | awk -v d="$d" '$1 == d && $4 == "primary" { s += $3 - $2 } END { print s }')" \
		$(( $(lvm_field pvs pv_pe_alloc_count "$d") * ext ))
done

# deleting the raid LV removes its hidden parts too
check logical_segments_delete_raid cis vol-delete --pool sg r1
expect_eq logical_segments_delete_raid_lvs \
	"$(lvm_q lvs -a --noheadings -o lv_name "$VG" | tr -d ' ' | sort | tr '\n' ' ')" "lin st "
cis pool-refresh sg >/dev/null
expect_eq logical_segments_map_after_delete \
	"$(cis pool-map sg --bytes | awk -v d="$B" '/^\// { dev = $1; next }
		dev == d && $1 ~ /^[0-9]+$/ { printf "%s:%s ", $4, $5 }')" \
	"metadata: free: primary:st free: metadata: "
