#!/usr/bin/env bash
# Disk pools on every label libparted writes (dos gpt mac bsd pc98 sun
# dvh), on an image file and on a loop device over one: build, refresh,
# create in the first free extent, in the smallest that fits and in a
# named one, delete, wipe, pool delete. After every change cistern's
# partitions and free extents must equal parted's (an independent
# reader), byte for byte.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/disk.sh"

need_root disk-labels || exit 0
need_cmd disk-labels parted partx losetup || exit 0

MiB=1048576

# The start of a volume's extent.
vol_start() {
	cis vol-dumpxml --pool "$1" "$2" | sed -n "s/.*<extent start='\([0-9]*\)'.*/\1/p"
}
vol_end() {
	cis vol-dumpxml --pool "$1" "$2" | sed -n "s/.*<extent start='[0-9]*' end='\([0-9]*\)'.*/\1/p"
}
align_up() { echo $(( ($1 + grain - 1) / grain * grain )); }

# step NAME CMD...: a step later ones need; on failure the label's run
# stops (return 1).
step() {
	local name=$1; shift
	local out
	if out=$("$@" 2>&1); then t_ok "$name"; return 0; fi
	t_fail "$name" "$* :: $(echo "$out" | head -c 300 | tr '\n' ' ')"
	return 1
}

# Where DATA lands for a volume: "FILE OFFSET" (image file) or "NODE 0".
vol_where() {
	local pool=$1 vol=$2 medium=$3 img=$4
	if [ "$medium" = file ]; then echo "$img $(vol_start "$pool" "$vol")"
	else echo "$(cis vol-path --pool "$pool" "$vol") 0"; fi
}

run_label() {
	local lab=$1 medium=$2
	local pool="$lab-$medium" img dev base n1 n2 n3 n5 first grain=$MiB
	img=$(image_new "$pool.img" 64M)
	if [ "$medium" = file ]; then dev=$img; base="$(basename "$img")-part"
	else loop_over "$img" || { t_fail "$pool loop" "losetup failed"; return; }
		dev=$LOOP; base="$(basename "$dev")p"; fi
	# partition numbers libparted gives: mac's map is 1, sun keeps 3
	case $lab in
	mac) n1=2 n2=3 n3=4 n5=5 ;;
	sun) n1=1 n2=2 n3=4 n5=5 ;;
	dos) n1=1 n2=2 n3=3 n5=5 ;;   # the 4th slot becomes the extended one
	*) n1=1 n2=2 n3=3 n5=4 ;;
	esac
	# pc98 and sun need cylinder starts; a loop device's 255x2-sector
	# cylinders and 1 MiB have no sane common multiple: cylinders win
	case $lab-$medium in pc98-loop|sun-loop) grain=$((255 * 2 * 512)) ;; esac

	cis pool-define-as "$pool" disk --source-dev "$dev" --source-format "$lab" \
		--target /dev >/dev/null
	step "$pool build" cis pool-build "$pool" || return
	step "$pool start" cis pool-start "$pool" || return
	crosscheck "$pool new label agrees with parted" "$pool" "$dev"
	local empty
	empty=$(cistern_view "$pool")
	first=$(align_up "$(nth_free "$pool" 1)")
	[ "$lab" = dvh ] && first=$((2 * MiB))   # after the volume header

	step "$pool create first" cis vol-create-as "$pool" "$base$n1" 8M || return
	expect_eq "$pool first volume at the first aligned free byte" \
		"$(vol_start "$pool" "$base$n1")" "$first"
	step "$pool create second" cis vol-create-as "$pool" "$base$n2" 8M || return
	step "$pool create third" cis vol-create-as "$pool" "$base$n3" 8M \
		--format none || return
	crosscheck "$pool three partitions agree with parted" "$pool" "$dev"

	local hole
	hole=$(vol_start "$pool" "$base$n2")
	step "$pool delete second" cis vol-delete --pool "$pool" "$base$n2" || return
	crosscheck "$pool after delete agrees with parted" "$pool" "$dev"
	step "$pool create in the smallest extent" \
		cis vol-create-as "$pool" "$base$n2" 4M || return
	expect_eq "$pool smallest fitting extent chosen (the hole)" \
		"$(vol_start "$pool" "$base$n2")" "$hole"

	local last named
	last=$(xml_free "$pool" | tail -n 1 | cut -d' ' -f1)
	step "$pool create in a named extent" cis vol-create-as "$pool" "$base$n5" 4M \
		--extent-start "$last" || return
	named=$(align_up "$last")
	[ "$lab" = dos ] && named=$((named + grain))   # inside the new extended one
	expect_eq "$pool named extent used" "$(vol_start "$pool" "$base$n5")" "$named"
	crosscheck "$pool after named create agrees with parted" "$pool" "$dev"
	if [ "$lab" = dos ]; then
		expect_eq "$pool dos: last slot became extended + logical" \
			"$(parted_types "$dev" | tr '\n' ' ')" \
			"1 primary 2 primary 3 primary 4 extended 5 logical "
	fi

	# wipe: the volume reads zeros, its neighbour keeps its data
	local w1 w3 pat="$T/pattern"
	head -c $MiB /dev/urandom >"$pat"
	read -r -a w1 <<<"$(vol_where "$pool" "$base$n1" "$medium" "$img")"
	read -r -a w3 <<<"$(vol_where "$pool" "$base$n3" "$medium" "$img")"
	dd if="$pat" of="${w1[0]}" bs=$MiB oflag=seek_bytes seek="${w1[1]}" \
		conv=notrunc,fsync status=none
	dd if="$pat" of="${w3[0]}" bs=$MiB oflag=seek_bytes seek="${w3[1]}" \
		conv=notrunc,fsync status=none
	check "$pool wipe" cis vol-wipe --pool "$pool" "$base$n1"
	local size1=$(( $(vol_end "$pool" "$base$n1") - $(vol_start "$pool" "$base$n1") ))
	check "$pool wiped volume reads zeros" \
		cmp -n "$size1" -i "0:${w1[1]}" /dev/zero "${w1[0]}"
	check "$pool neighbour untouched by the wipe" \
		cmp -n $MiB -i "0:${w3[1]}" "$pat" "${w3[0]}"

	for v in "$base$n5" "$base$n3" "$base$n2" "$base$n1"; do
		cis vol-delete --pool "$pool" "$v" >/dev/null 2>&1 ||
			t_fail "$pool delete $v" "$(cis vol-delete --pool "$pool" "$v" 2>&1)"
	done
	[ "$lab" = dos ] && cis vol-delete --pool "$pool" "${base}4" >/dev/null
	crosscheck "$pool emptied agrees with parted" "$pool" "$dev"
	expect_eq "$pool emptied equals the new label" "$(cistern_view "$pool")" "$empty"
	if [ "$medium" = loop ]; then
		local left=""
		[ "$lab" = mac ] && left="${dev}p1"   # the partition map itself
		[ "$lab" = dvh ] && left="${dev}p9"   # the volume header
		expect_eq "$pool no partition nodes left" \
			"$(ls "$dev"p* 2>/dev/null | tr '\n' ' ')" "${left:+$left }"
	fi

	check "$pool stop" cis pool-destroy "$pool"
	check "$pool delete (confirmed)" cis pool-delete "$pool" --overwrite
	check_fails "$pool label gone after delete" parted -s "$dev" print
	if [ "$medium" = loop ]; then
		expect_eq "$pool kernel partitions gone after delete" \
			"$(ls "$dev"p* 2>/dev/null)" ""
	fi
	cis pool-undefine "$pool" >/dev/null
}

for lab in dos gpt mac bsd pc98 sun dvh; do
	for medium in file loop; do
		run_label "$lab" "$medium"
		# a run stopped early leaves its pool behind: take it down
		cis pool-destroy "$lab-$medium" >/dev/null 2>&1
		cis pool-undefine "$lab-$medium" >/dev/null 2>&1 || true
	done
done
