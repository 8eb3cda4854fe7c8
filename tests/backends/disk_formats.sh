#!/usr/bin/env bash
# Disk pool volume formats become partition types and flags, per label:
# what cistern reads back, parted's flags and the type code libblkid
# reads (partx) must all say the same. A label that cannot hold a
# format refuses it, and nothing is written. On dos: an extended
# partition, primaries while a slot is free, logical ones after.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/disk.sh"

need_root disk-formats || exit 0
need_cmd disk-formats parted partx || exit 0

# label  format      reads-back  parted-flags  partx-type ("-": refused)
table="
dos extended extended - 0x5
dos none linux - 0x83
dos linux linux - 0x83
dos fat16 fat16 - 0x6
dos fat32 fat32 - 0xb
dos linux-swap linux-swap swap 0x82
dos linux-lvm linux-lvm lvm 0x8e
dos linux-raid linux-raid raid 0xfd
gpt none linux - 0fc63daf-8483-4772-8e79-3d69d8477de4
gpt linux linux - 0fc63daf-8483-4772-8e79-3d69d8477de4
gpt fat16 - - -
gpt fat32 fat32 msftdata ebd0a0a2-b9e5-4433-87c0-68b6b72699c7
gpt linux-swap linux-swap swap 0657fd6d-a4ab-43c4-84e5-0933c84b4f4f
gpt linux-lvm linux-lvm lvm e6d6d379-f507-44c2-a23c-238f2a3df928
gpt linux-raid linux-raid raid a19d880f-05fc-4d3b-a006-743f0f84911e
gpt extended - - -
mac none none - 0x0
mac linux linux - Apple_UNIX_SVR2
mac fat32 - - -
mac linux-swap linux-swap swap Apple_UNIX_SVR2
mac linux-lvm linux-lvm lvm Linux_LVM
mac linux-raid linux-raid raid Linux_RAID
bsd none none - 0x8
bsd linux - - -
bsd linux-swap linux-swap - 0x1
bsd linux-lvm - - -
pc98 none none - -
pc98 linux-swap - - -
sun none linux - 0x83
sun linux linux - 0x83
sun fat16 - - -
sun linux-swap linux-swap - 0x82
sun linux-lvm linux-lvm lvm 0x8e
sun linux-raid linux-raid raid 0xfd
dvh none none - 0x3
dvh linux - - -
dvh linux-swap linux-swap swap 0x3
dvh linux-lvm - - -
"

# The partition number the next partition of the pool gets (libparted
# takes the lowest free one; mac's map is 1, sun keeps 3 for the disk).
next_num() {
	local lab=$1 used=$2 n=1
	[ "$lab" = mac ] && n=2
	while :; do
		case " $used " in *" $n "*) n=$((n + 1)); continue ;; esac
		if [ "$lab" = sun ] && [ "$n" = 3 ]; then n=4; continue; fi
		break
	done
	echo "$n"
}

declare -A devs imgs used

# One row of the table, on MEDIUM (file: the image itself; loop: a loop
# device over an image).
run_row() {
	local medium=$1 lab=$2 fmt=$3 want=$4 flags=$5 type=$6
	local key="$lab-$medium" pool="fmt-$lab-$medium" img dev base size num name out
	if [ -z "${devs[$key]:-}" ]; then
		img=$(image_new "$pool.img" 64M)
		dev=$img
		if [ "$medium" = loop ]; then loop_over "$img"; dev=$LOOP; fi
		cis pool-define-as "$pool" disk --source-dev "$dev" --source-format "$lab" \
			--target /dev >/dev/null
		cis pool-build "$pool" >/dev/null && cis pool-start "$pool" >/dev/null ||
			{ t_fail "$pool build" "cannot build"; return; }
		devs[$key]=$dev
		imgs[$key]=$img
		used[$key]=""
	fi
	dev=${devs[$key]}
	img=${imgs[$key]}
	if [ "$medium" = file ]; then base="$(basename "$img")-part"
	else base="$(basename "$dev")p"; fi
	size=4M
	[ "$fmt" = extended ] && size=40M
	if [ "$want" = - ]; then
		cp "$img" "$T/before"
		out=$(cis vol-create-as "$pool" "${base}99" "$size" --format "$fmt" 2>&1)
		expect_match "$key $fmt refused with the reason" "$out" \
			"no partition type for the format|one partition type for FAT|on dos labels only"
		check "$key $fmt refused: disk unchanged" cmp "$T/before" "$img"
		return
	fi
	num=$(next_num "$lab" "${used[$key]}")
	name="$base$num"
	if ! out=$(cis vol-create-as "$pool" "$name" "$size" --format "$fmt" 2>&1); then
		t_fail "$key $fmt create" "$out"
		return
	fi
	used[$key]="${used[$key]} $num"
	local xml start
	xml=$(cis vol-dumpxml --pool "$pool" "$name")
	start=$(echo "$xml" | sed -n "s/.*<extent start='\([0-9]*\)'.*/\1/p")
	expect_eq "$key $fmt reads back as $want" \
		"$(echo "$xml" | sed -n "s/.*<format type='\([^']*\)'.*/\1/p")" "$want"
	[ "$flags" = - ] && flags=""
	expect_eq "$key $fmt: parted's flags" \
		"$(parted -m -s "$dev" unit B print | awk -F: -v n="$num" '$1 == n { sub(/;$/, "", $7); print $7 }')" \
		"$flags"
	if [ "$type" != - ]; then
		expect_eq "$key $fmt: partition type code (libblkid, partx)" \
			"$(partx -g -o START,TYPE "$dev" | awk -v s=$((start / 512)) '$1 == s { print $2 }')" \
			"$type"
	fi
}

for medium in file loop; do
	while read -r lab fmt want flags type; do
		[ -n "$lab" ] && run_row "$medium" "$lab" "$fmt" "$want" "$flags" "$type"
	done <<<"$table"
	# dos: the extended partition, primaries, then logical ones
	expect_eq "dos-$medium: partition kinds agree with parted" \
		"$(parted_types "${devs[dos-$medium]}" | tr '\n' ' ')" \
		"1 extended 2 primary 3 primary 4 primary 5 logical 6 logical 7 logical 8 logical "
	for lab in dos gpt mac bsd pc98 sun dvh; do
		crosscheck "$lab-$medium: formats layout agrees with parted" \
			"fmt-$lab-$medium" "${devs[$lab-$medium]}"
	done
done
exit 0
