#!/usr/bin/env bash
# Disk pools refuse what would lose data, say why, and change nothing:
# build over ext4, a gpt label or an LVM PV without --overwrite (and
# relabel with it), start with the wrong label, pool delete without
# confirmation, and volume requests that cannot be met: too large, a
# start that is no free extent, a 129th gpt partition, a 5th dos primary,
# a disk with a mounted partition. Every refusal is checked byte for
# byte against a copy of the disk taken before.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/disk.sh"

need_root disk-refuse || exit 0
need_cmd disk-refuse parted partx mkfs.ext4 pvcreate blkid || exit 0

# refused NAME REGEX IMG CMD...: CMD fails, its message matches REGEX and
# the image is byte for byte what it was.
refused() {
	local name=$1 re=$2 img=$3 out; shift 3
	cp --sparse=always "$img" "$T/before"
	if out=$("$@" 2>&1); then
		t_fail "$name" "succeeded: $*"
	else
		expect_match "$name: message" "$out" "$re"
		check "$name: disk unchanged" cmp "$T/before" "$img"
	fi
}

define() {   # define POOL DEV FORMAT
	cis pool-define-as "$1" disk --source-dev "$2" --source-format "$3" \
		--target /dev >/dev/null
}

# ---- build over data ----
img=$(image_new ext4.img 64M)
mkfs.ext4 -q -F -L keep "$img"
define p-ext4 "$img" dos
refused "build refuses ext4" "ext4 filesystem labelled 'keep'.*--overwrite" "$img" \
	cis pool-build p-ext4
check "build --overwrite relabels ext4" cis pool-build p-ext4 --overwrite
expect_eq "ext4 gone, a dos label there" \
	"$(blkid -p -o value -s TYPE -s PTTYPE "$img")" "dos"

img=$(image_new gpt.img 64M)
parted -s "$img" mklabel gpt mkpart data 1MiB 10MiB
define p-gpt "$img" dos
refused "build refuses a gpt label" "gpt partition table.*--overwrite" "$img" \
	cis pool-build p-gpt
refused "start refuses a label of another format" \
	"has a gpt partition table, but the pool's format is dos" "$img" \
	cis pool-start p-gpt
check "build --overwrite relabels gpt" cis pool-build p-gpt --overwrite
expect_eq "gpt gone (backup header too), a dos label there" \
	"$(blkid -p -o value -s PTTYPE "$img"; parted -m -s "$img" print | sed -n 2p | cut -d: -f6)" \
	"$(printf 'dos\nmsdos')"

img=$(image_new blank.img 16M)
define p-blank "$img" gpt
refused "start on a blank disk says it needs a build" "requires build" "$img" \
	cis pool-start p-blank

# an LVM physical volume, seen by a private LVM configuration
img=$(image_new pv.img 64M)
loop_over "$img"
pvdev=$LOOP
mkdir -p "$T/lvm"
printf 'global { activation = 0 }\ndevices { global_filter = [ "a|^%s$|", "r|.*|" ] }\n' \
	"$pvdev" >"$T/lvm/lvm.conf"
if LVM_SYSTEM_DIR="$T/lvm" LVM_SUPPRESS_FD_WARNINGS=1 pvcreate -q -y "$pvdev" \
	>/dev/null 2>&1; then
	define p-pv "$pvdev" gpt
	refused "build refuses an LVM PV" "LVM2 physical volume.*--overwrite" "$img" \
		cis pool-build p-pv
	check "build --overwrite relabels the PV" cis pool-build p-pv --overwrite
	expect_eq "PV gone, a gpt label there" \
		"$(blkid -p -o value -s TYPE -s PTTYPE "$pvdev")" "gpt"
else
	t_skip "build refuses an LVM PV" "pvcreate failed on $pvdev"
fi

# ---- pool delete needs confirmation ----
check "start the relabelled pool" cis pool-start p-ext4
check "stop it" cis pool-destroy p-ext4
refused "pool delete without confirmation" "confirm it \(pool-delete --overwrite\)" \
	"$(cis pool-dumpxml p-ext4 | sed -n "s/.*<device path='\([^']*\)'.*/\1/p")" \
	cis pool-delete p-ext4

# ---- requests that cannot be met ----
img=$(image_new req.img 64M)
define p-req "$img" gpt
cis pool-build p-req >/dev/null && cis pool-start p-req >/dev/null
base="$(basename "$img")-part"
check "a partition to start with" cis vol-create-as p-req "${base}1" 8M
refused "too large for every free extent" "no free extent .* can hold 1073741824 bytes" \
	"$img" cis vol-create-as p-req "${base}2" 1G
refused "a start that is no free extent" \
	"12345 is not the start of a free extent .*free extents start at: 17408, 9437184" \
	"$img" cis vol-create-as p-req "${base}2" 1M --extent-start 12345
refused "a free extent too small once aligned" "cannot hold .* once aligned" \
	"$img" cis vol-create-as p-req "${base}2" 1M --extent-start 17408
refused "a name that is not the partition's" "the new partition will be '${base}2'" \
	"$img" cis vol-create-as p-req other 1M
refused "an encrypted volume" "do not support encrypted" "$img" \
	cis vol-create p-req <(printf '%s\n' "<volume><name>${base}2</name>" \
		"<capacity>1048576</capacity><target><encryption format='luks'>" \
		"<secret type='passphrase' uuid='0a81f5b2-8403-7b23-c8d6-21ccc2f80d6f'/>" \
		"</encryption></target></volume>")
cp --sparse=always "$img" "$T/before"
check "dry run: the create is planned" cis --dry-run vol-create-as p-req "${base}2" 4M
check "dry run: delete and wipe" sh -c "'$CISTERN' --config-dir '$CFG' --dry-run \
	vol-delete --pool p-req ${base}1 && '$CISTERN' --config-dir '$CFG' --dry-run \
	vol-wipe --pool p-req ${base}1"
check "dry run: disk unchanged" cmp "$T/before" "$img"

# a full gpt label: 128 partitions made by parted, the 129th refused
img=$(image_new full.img 160M)
args=(mklabel gpt)
for i in $(seq 1 128); do args+=(mkpart "p$i" "${i}MiB" "$((i + 1))MiB"); done
parted -s "$img" "${args[@]}"
define p-full "$img" gpt
cis pool-start p-full >/dev/null
expect_eq "128 partitions listed" "$(cis vol-list p-full | grep -c part)" "128"
refused "a 129th partition on gpt" "gpt label .* is full: it holds at most 128 partitions" \
	"$img" cis vol-create-as p-full "$(basename "$img")-part129" 4M

# dos: four primaries made by parted leave no slot
img=$(image_new four.img 64M)
parted -s "$img" mklabel msdos mkpart primary 1MiB 5MiB mkpart primary 5MiB 9MiB \
	mkpart primary 9MiB 13MiB mkpart primary 13MiB 17MiB
define p-four "$img" dos
cis pool-start p-four >/dev/null
refused "a 5th primary on dos" "has 4 primary partitions and no extended one" \
	"$img" cis vol-create-as p-four "$(basename "$img")-part5" 4M

# dos: with the slots used by 3 primaries and an extended partition,
# space outside the extended one cannot be used
img=$(image_new ext.img 64M)
parted -s "$img" mklabel msdos mkpart primary 1MiB 5MiB mkpart primary 5MiB 9MiB \
	mkpart primary 9MiB 13MiB mkpart extended 13MiB 40MiB mkpart logical 14MiB 20MiB
define p-ext "$img" dos
cis pool-start p-ext >/dev/null
b="$(basename "$img")-part"
refused "dos: outside the extended partition with no slot left" \
	"must go in the free space of the extended partition 4" "$img" \
	cis vol-create-as p-ext "${b}6" 4M --extent-start 41943040
refused "dos: an extended partition holding logical ones is not deleted" \
	"extended partition 4 still holds logical partitions \(5\)" "$img" \
	cis vol-delete --pool p-ext "${b}4"
refused "dos: a second extended partition" "has an extended partition already" \
	"$img" cis vol-create-as p-ext "${b}6" 4M --format extended
refused "dos: the extended partition is not wiped" "cannot wipe the extended partition" \
	"$img" cis vol-wipe --pool p-ext "${b}4"
expect_match "dos: the map nests logical partitions in the extended one" \
	"$(cis pool-map p-ext --json | tr -d ' \n')" \
	'"kind":"extended","start":13631488,"end":41943040,"volume":"ext.img-part4","depth":0\},\{"kind":"free","start":13647872,"end":14614528,"volume":null,"depth":1\},\{"kind":"logical","start":14680064,"end":20971520,"volume":"ext.img-part5","depth":1'
check "dos: a logical partition in the extended one's free space" \
	cis vol-create-as p-ext "${b}6" 4M
expect_eq "dos: it is logical, inside the extended partition" \
	"$(parted_types "$img" | tr '\n' ' ')" \
	"1 primary 2 primary 3 primary 4 extended 5 logical 6 logical "
crosscheck "dos: extended and logical partitions agree with parted" p-ext "$img"
check "dos: delete a logical partition" cis vol-delete --pool p-ext "${b}5"
expect_eq "dos: the logical partitions renumber as the kernel does" \
	"$(cis vol-list p-ext | awk 'NR > 2 && NF { print $1 }' | tr '\n' ' ')" \
	"${b}1 ${b}2 ${b}3 ${b}4 ${b}5 "
crosscheck "dos: after deleting a logical partition, parted agrees" p-ext "$img"

# ---- a mounted partition ----
img=$(image_new mnt.img 64M)
loop_over "$img"
dev=$LOOP
define p-mnt "$dev" dos
cis pool-build p-mnt >/dev/null && cis pool-start p-mnt >/dev/null
n="$(basename "$dev")p"
check "a partition to mount" cis vol-create-as p-mnt "${n}1" 16M
if mkfs.ext4 -q -F "${dev}p1" && mkdir -p "$T/mnt" &&
	mount -o ro,noload "${dev}p1" "$T/mnt"; then
	on_exit "umount $T/mnt"
	refused "create while a partition is mounted" "${dev}p1 is mounted on $T/mnt" \
		"$img" cis vol-create-as p-mnt "${n}2" 4M
	refused "delete while a partition is mounted" "${dev}p1 is mounted on $T/mnt" \
		"$img" cis vol-delete --pool p-mnt "${n}1"
	refused "wipe of the mounted partition" "in use: ${dev}p1 is mounted" \
		"$img" cis vol-wipe --pool p-mnt "${n}1"
	cis pool-destroy p-mnt >/dev/null
	refused "build --overwrite while a partition is mounted" \
		"${dev}p1 is mounted on $T/mnt" "$img" cis pool-build p-mnt --overwrite
	# the image file itself, as a pool, is in use through the loop device
	define p-mntfile "$img" dos
	cis pool-start p-mntfile >/dev/null
	refused "image file attached to a loop device with a mounted partition" \
		"attached to $dev, which is in use: ${dev}p1 is mounted" "$img" \
		cis vol-create-as p-mntfile "$(basename "$img")-part2" 4M
	umount "$T/mnt"
	check "after unmounting, the create goes through" \
		cis vol-create-as p-mntfile "$(basename "$img")-part2" 4M
else
	t_fail "mount an ext4 partition" "mkfs or mount failed on ${dev}p1"
fi
exit 0
