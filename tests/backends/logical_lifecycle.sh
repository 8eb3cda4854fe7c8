#!/usr/bin/env bash
# cistern — logical pools on real LVM over two loop devices: build,
# start, refresh, volumes (create, resize, delete), maps, stop, pool
# delete; every result checked again with lvs/vgs/pvs/blkid run here.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lvm.sh"

lvm_init logical_lifecycle 64M 2 || exit 0
A=${LVM_DEVS[0]} B=${LVM_DEVS[1]}
VG=cistlc$$
vg_cleanup "$VG"
ext=$((4 << 20))

check logical_define cis pool-define-as lc logical --source-name "$VG" \
	--source-dev "$A" --source-dev "$B"
check logical_build cis pool-build lc
expect_eq logical_build_pvs_in_vg \
	"$(lvm_q pvs --noheadings -o pv_name,vg_name "$A" "$B" | awk '{print $1, $2}' | sort)" \
	"$(printf '%s %s\n%s %s' "$A" "$VG" "$B" "$VG" | sort)"
expect_eq logical_build_vg_pv_count "$(lvm_field vgs pv_count "$VG")" 2

check logical_start cis pool-start lc
info=$(cis pool-info lc --bytes)
expect_match logical_pool_running "$info" "State: +running"
expect_match logical_pool_capacity_is_vg_size "$info" \
	"Capacity: +$(lvm_field vgs vg_size "$VG")\$"
expect_match logical_pool_available_is_vg_free "$info" \
	"Available: +$(lvm_field vgs vg_free "$VG")\$"

# a volume: what cistern says equals what lvs says
check logical_vol_create cis vol-create-as lc small 10M
expect_eq logical_vol_create_lvs_lists_it \
	"$(lvm_q lvs --noheadings -o lv_name "$VG" | tr -d ' ')" small
expect_eq logical_vol_capacity_is_lv_size \
	"$(cis vol-info --pool lc small --bytes | awk '/^Capacity:/ {print $2}')" \
	"$(lvm_field lvs lv_size "$VG/small")"
expect_eq logical_vol_size_aligned_to_extents "$(lvm_field lvs lv_size "$VG/small")" \
	$((3 * ext))
expect_eq logical_vol_key_is_lv_uuid "$(cis vol-key --pool lc small)" \
	"$(lvm_field lvs lv_uuid "$VG/small")"
expect_eq logical_vol_path "$(cis vol-path --pool lc small)" "/dev/$VG/small"
key=$(cis vol-key --pool lc small)
expect_eq logical_vol_lookup_by_key "$(cis vol-name "$key")" small

# a volume larger than one PV lands on both: two maps, same name
check logical_vol_create_split cis vol-create-as lc big 80M
xml=$(cis vol-dumpxml --pool lc big)
devs=$(lvm_q lvs --noheadings -o devices "$VG/big" | tr -d ' ' | sed 's/([0-9]*)//g' | sort | tr '\n' ' ')
expect_eq logical_vol_split_extents_on_both_pvs \
	"$(printf '%s\n' "$xml" | sed -n "s/.*<device path='\([^']*\)'>.*/\1/p" | sort | tr '\n' ' ')" \
	"$devs"
# libvirt's extent numbers: first extent index times the extent size
want=$(lvm_q lvs --noheadings --units b --nosuffix -o devices,seg_size "$VG/big" |
	awk -v e=$ext '{ split($1, a, /[()]/); printf "%s %d %d\n", a[1], a[2] * e, a[2] * e + $2 }' | sort)
got=$(printf '%s\n' "$xml" | awk -F"'" '/<device path=/ { d = $2 } /<extent / { print d, $2, $4 }' | sort)
expect_eq logical_vol_split_extents_match_lvs "$got" "$want"
# the map as "DEVICE DEVSIZE START END KIND [VOLUME]" lines
map=$(cis pool-map lc --bytes | awk '
	/^\// { dev = $1; size = $NF; next }
	$1 ~ /^[0-9]+$/ { print dev, size, $1, $2, $4, $5 }')
for d in "$A" "$B"; do
	n=$(printf '%s\n' "$map" | awk -v d="$d" '$1 == d && $6 == "big"' | wc -l)
	expect_eq "logical_map_big_on_$(basename "$d")" "$n" 1
	# allocated bytes in the map equal what pvs says is allocated
	used=$(printf '%s\n' "$map" | awk -v d="$d" \
		'$1 == d && $5 == "primary" { s += $4 - $3 } END { print s + 0 }')
	expect_eq "logical_map_alloc_matches_pvs_$(basename "$d")" "$used" \
		$(( $(lvm_field pvs pv_pe_alloc_count "$d") * ext ))
	# the map covers the whole device, in order, without gaps
	cover=$(printf '%s\n' "$map" | awk -v d="$d" '$1 == d {
		if (at != $3) gaps++; at = $4; size = $2 } END { print size, at, gaps + 0 }')
	expect_eq "logical_map_covers_$(basename "$d")" "$cover" \
		"$(blockdev --getsize64 "$d") $(blockdev --getsize64 "$d") 0"
	expect_eq "logical_map_pe_start_$(basename "$d")" \
		"$(printf '%s\n' "$map" | awk -v d="$d" '$1 == d { print $5, $4; exit }')" \
		"metadata $(lvm_field pvs pe_start "$d")"
done

# refresh sees what happened behind cistern's back
lvm_q lvcreate --yes -n outside -L 4M "$VG" >/dev/null
check logical_refresh cis pool-refresh lc
expect_match logical_refresh_sees_new_lv "$(cis vol-list lc)" "outside"
lvm_q lvremove -f "$VG/outside" >/dev/null
cis pool-refresh lc >/dev/null
check_fails logical_refresh_drops_removed_lv cis vol-info --pool lc outside
expect_match logical_refresh_pool_alloc \
	"$(cis pool-info lc --bytes)" \
	"Allocation: +$(( $(lvm_field vgs vg_size "$VG") - $(lvm_field vgs vg_free "$VG") ))\$"

# resize: grow, refuse to shrink without --shrink, shrink with it
check logical_vol_grow cis vol-resize --pool lc small 20M
expect_eq logical_vol_grow_lvs "$(lvm_field lvs lv_size "$VG/small")" $((5 * ext))
check_fails logical_vol_shrink_needs_flag cis vol-resize --pool lc small 8M
expect_eq logical_vol_shrink_refused_kept "$(lvm_field lvs lv_size "$VG/small")" $((5 * ext))
check logical_vol_shrink cis vol-resize --pool lc small 8M --shrink
expect_eq logical_vol_shrink_lvs "$(lvm_field lvs lv_size "$VG/small")" $((2 * ext))
check logical_vol_grow_delta cis vol-resize --pool lc small 4M --delta
expect_eq logical_vol_grow_delta_lvs "$(lvm_field lvs lv_size "$VG/small")" $((3 * ext))

# failed creates leave no LV behind; the tool's words reach the operator
out=$(cis vol-create-as lc huge 1G 2>&1)
expect_match logical_vol_create_too_big_error "$out" "lvcreate failed .*insufficient free space"
out=$(cis vol-create-as lc thin 100M --allocation 4M 2>&1)
expect_match logical_vol_create_sparse_error_is_lvms \
	"$out" "lvcreate failed \(exit 5\):.*Can't create snapshot without using device-mapper"
out=$(cis vol-create-as lc snap 8M --backing-vol small 2>&1)
expect_match logical_vol_create_snapshot_error_is_lvms \
	"$out" "lvcreate failed \(exit 5\):.*Can't create snapshot without using device-mapper"
expect_eq logical_vol_failed_creates_left_nothing \
	"$(lvm_q lvs --noheadings -o lv_name "$VG" | tr -d ' ' | sort | tr '\n' ' ')" "big small "
check_fails logical_vol_create_bad_name cis vol-create-as lc 'a b' 4M
check_fails logical_vol_create_existing cis vol-create-as lc small 4M

# data operations need the LV's node, which activation would make
out=$(cis vol-wipe --pool lc small 2>&1)
expect_match logical_vol_wipe_needs_node_error "$out" \
	"device node /dev/$VG/small does not exist.*not active"

# delete
check logical_vol_delete cis vol-delete --pool lc big
expect_eq logical_vol_delete_lvs "$(lvm_q lvs --noheadings -o lv_name "$VG" | tr -d ' ')" small
expect_eq logical_vol_delete_frees_extents "$(lvm_field vgs vg_free "$VG")" \
	$(( $(lvm_field vgs vg_size "$VG") - 3 * ext ))

# stop, then delete the storage (only when confirmed)
check logical_stop cis pool-destroy lc
expect_match logical_stopped "$(cis pool-info lc)" "State: +inactive"
out=$(cis pool-delete lc 2>&1)
expect_match logical_delete_needs_overwrite "$out" \
	"destroys volume group '$VG' .* physical volume labels of ($A, $B|$B, $A); give --overwrite"
expect_eq logical_delete_refused_vg_kept "$(lvm_field vgs vg_name "$VG")" "$VG"
check logical_delete cis pool-delete lc --overwrite
expect_eq logical_delete_no_vg "$(lvm_q vgs --noheadings -o vg_name | tr -d ' ' | grep -c "^$VG\$")" 0
expect_eq logical_delete_no_pvs "$(lvm_q pvs --noheadings -o pv_name | wc -l)" 0
for d in "$A" "$B"; do
	expect_eq "logical_delete_no_label_$(basename "$d")" \
		"$(blkid -p -o value -s TYPE "$d")" ""
done
check_fails logical_start_after_delete cis pool-start lc
check logical_undefine cis pool-undefine lc
