# cistern — helpers for the disk pool tests (source after lib.sh).
#
# parted is the independent reader: `parted -m -s DEV unit B print free`
# prints every partition and every free region libparted knows, with
# inclusive end bytes. libvirt (and cistern) report extents with
# exclusive ends, and a free region starting at byte 0 from the second
# sector ("first block reported as free, even if it is not"). The
# helpers put both sides in one form: "part N START END" / "free START END".

# parted's view of DEV, in the common form.
parted_view() {
	parted -m -s "$1" unit B print free 2>/dev/null | awk -F: '
		NR <= 2 { next }
		{ s = $2; e = $3; sub(/B$/, "", s); sub(/B$/, "", e)
		  if ($5 ~ /^free;/) { if (s == 0) s = 512; printf "free %s %d\n", s, e + 1 }
		  else printf "part %s %s %d\n", $1, s, e + 1 }'
}

# cistern's view of pool POOL (its device map), in the common form.
cistern_view() {
	cis pool-map "$1" --bytes | awk '
		NR <= 3 || NF < 4 { next }
		$4 == "free" { printf "free %s %s\n", $1, $2; next }
		$4 == "primary" || $4 == "logical" || $4 == "extended" {
			n = $5; sub(/.*[^0-9]/, "", n); printf "part %s %s %s\n", n, $1, $2 }'
}

# crosscheck NAME POOL DEV: partitions and free extents agree exactly.
crosscheck() {
	local a b
	a=$(cistern_view "$2")
	b=$(parted_view "$3")
	if [ -n "$a" ] && [ "$a" == "$b" ]; then t_ok "$1"; else
		t_fail "$1" "cistern: $(echo "$a" | tr '\n' '|') parted: $(echo "$b" | tr '\n' '|')"; fi
}

# The free extents in the pool's XML, "START END" per line.
xml_free() {
	cis pool-dumpxml "$1" | sed -n "s/.*<freeExtent start='\([0-9]*\)' end='\([0-9]*\)'.*/\1 \2/p"
}

# The type column of `parted print` (dos: primary/extended/logical).
parted_types() {
	parted -s "$1" unit B print 2>/dev/null | awk '$1 ~ /^[0-9]+$/ { print $1, $5 }' | sort -n
}

# A loop device over image file IMG, in $LOOP (not echoed: the cleanup
# must be registered by this shell, not a command substitution's).
# Partitions are removed before detaching: without partscan the kernel
# keeps them after losetup -d.
loop_over() {
	LOOP=$(losetup -f --show "$1") || return 1
	on_exit "partx -d $LOOP; losetup -d $LOOP"
}

# A fresh sparse image of SIZE in the test dir.
image_new() {
	local img="$T/$1"
	rm -f "$img"
	truncate -s "$2" "$img"
	echo "$img"
}

# The start of the Nth free extent (1-based) of POOL.
nth_free() {
	xml_free "$1" | awk -v n="$2" 'NR == n { print $1 }'
}
