#!/usr/bin/env bash
# cistern — fs pools on loop devices, really formatted, mounted and
# unmounted: ext4, xfs (300 MiB, its minimum) and btrfs (format auto: no
# libvirt format names it); build without a flag, --no-overwrite refusing a
# filesystem and a partition table, --overwrite; an already mounted target
# recognised; a mount that fails; reflinked clones on btrfs.
. "$(dirname "$0")/../lib/lib.sh"
need_root "fs pools" || exit 0
need_cmd "fs pools" mkfs.ext4 mkfs.xfs mkfs.btrfs parted blkid findmnt \
	filefrag || exit 0

fsdef() {   # NAME DEVICE FORMAT TARGET
	cat >"$T/$1.xml" <<EOF
<pool type='fs'>
  <name>$1</name>
  <source><device path='$2'/><format type='$3'/></source>
  <target><path>$4</path></target>
</pool>
EOF
	cis pool-define "$T/$1.xml" >/dev/null
}
mounted() { findmnt -n -o SOURCE,FSTYPE,OPTIONS --mountpoint "$1" 2>/dev/null; }
nmounts() { grep -c " $1 " /proc/self/mountinfo; }

# ---- ext4: build flags ----
d4=$(loop_new 64M) || { t_skip "fs pools" "no loop device"; exit 0; }
fsdef e4 "$d4" ext4 "$T/m4"
check "build without a flag" cis pool-build e4
[ -d "$T/m4" ] && [ -z "$(blkid -p "$d4")" ] &&
	t_ok "build without a flag makes the directory and leaves the device alone" ||
	t_fail "build without a flag only makes the directory"
check "build --no-overwrite on a blank device" cis pool-build e4 --no-overwrite
expect_eq "it made an ext4 filesystem" "$(blkid -p -s TYPE -o value "$d4")" "ext4"
out=$(cis pool-build e4 --no-overwrite 2>&1)
expect_match "build --no-overwrite refuses a device holding a filesystem" \
	"$out" "error: pool 'e4': device '$d4' holds an ext4 filesystem; not overwriting"
dp=$(loop_new 64M)
parted -s "$dp" mklabel gpt mkpart p1 1MiB 10MiB >/dev/null 2>&1
fsdef pt "$dp" ext4 "$T/mp"
out=$(cis pool-build pt --no-overwrite 2>&1)
expect_match "build --no-overwrite refuses a device holding a partition table" \
	"$out" "device '$dp' holds a gpt partition table; not overwriting"
expect_eq "the partition table is untouched" "$(blkid -p -s PTTYPE -o value "$dp")" "gpt"
out=$("$CISTERN" --config-dir "$CFG" --dry-run pool-build pt --overwrite 2>&1)
expect_eq "dry-run build --overwrite: mkfs with its force flag, nothing run" \
	"$out" "mkfs -t ext4 -F $dp"
expect_eq "dry-run changed nothing" "$(blkid -p -s PTTYPE -o value "$dp")" "gpt"
check "build --overwrite replaces the partition table" cis pool-build pt --overwrite
expect_eq "now only an ext4 filesystem" \
	"$(blkid -p -s TYPE -o value "$dp")/$(blkid -p -s PTTYPE -o value "$dp")" "ext4/"

# ---- ext4: start, stop, recognise ----
check "start mounts" cis pool-start e4
expect_match "mounted from the device with nodev,nosuid,noexec" "$(mounted "$T/m4")" \
	"^$d4 ext4 .*nosuid,nodev,noexec"
check "volumes on it" cis vol-create-as e4 a.raw 8M
expect_match "pool sizes come from the filesystem" "$(cis pool-info e4 --bytes)" \
	"Capacity: +[1-9][0-9]{6,}"
check "stop unmounts" cis pool-destroy e4
expect_eq "not mounted any more" "$(mounted "$T/m4")" ""
mount "$d4" "$T/m4"
check "start on a target already mounted from the device" cis pool-start e4
expect_eq "it was recognised, not mounted twice" "$(nmounts "$T/m4")" "1"
expect_eq "and the volume is there (lost+found is no volume)" \
	"$(cis vol-list e4 --json | jq -r '.[].name')" "a.raw"
umount "$T/m4"
out=$(cis pool-refresh e4 2>&1)
expect_match "unmounted behind cistern's back: refresh says so" "$out" \
	"'$T/m4' is not mounted"
expect_match "and the pool shows as inaccessible" "$(cis pool-info e4)" \
	"State: +inaccessible"
cis pool-destroy e4 >/dev/null 2>&1
mount "$dp" "$T/m4"
out=$(cis pool-start e4 2>&1)
expect_match "a target mounted from another device is not taken over" "$out" \
	"'$T/m4' is already a mount point \\(of '$dp'"
umount "$T/m4"

# ---- a target with a space: mountinfo writes it "\040" ----
ds=$(loop_new 32M)
mkfs.ext4 -q "$ds"
fsdef sp "$ds" ext4 "$T/m 4"
mkdir -p "$T/m 4"
# however the test ends, nothing stays mounted there
on_exit "while umount '$T/m 4'; do :; done"
mount "$ds" "$T/m 4"
check "start on a target with a space, already mounted from the device" \
	cis pool-start sp
expect_eq "it was recognised, not mounted twice" \
	"$(findmnt -n -o TARGET --mountpoint "$T/m 4" | wc -l)" "1"
check "stop unmounts the target with a space" cis pool-destroy sp
expect_eq "not mounted any more" "$(mounted "$T/m 4")" ""
mount "$ds" "$T/m 4"
out=$(cis pool-build sp --overwrite 2>&1)
expect_match "formatting a device mounted there names the mount point" \
	"$out" "will not format '$ds': $ds is mounted on $T/m 4\$"
umount "$T/m 4"
cis pool-undefine sp >/dev/null

# ---- a mount that fails ----
db=$(loop_new 32M)
fsdef bad "$db" ext4 "$T/mb"
out=$(cis pool-start bad --build 2>&1)
want=$(mkdir -p "$T/probe" && mount -o nodev,nosuid,noexec -t ext4 "$db" "$T/probe" 2>&1;
       rmdir "$T/probe")
expect_match "mount fails: mount's own message is shown" "$out" \
	"error: pool 'bad': mount failed \\(exit 32\\): $(printf %s "$want" |
	sed 's/[][\.*^$()]/\\&/g; s|/tmp/[^:]*probe|.*|')"
expect_eq "nothing mounted" "$(mounted "$T/mb")" ""
[ ! -e "$T/mb" ] && t_ok "start --build took away the directory it made" ||
	t_fail "start --build took away the directory it made"
mkdir -p "$T/nobin"
cis pool-build bad >/dev/null
out=$(PATH=$T/nobin "$CISTERN" --config-dir "$CFG" pool-start bad 2>&1)
expect_match "no mount tool: a clear error" "$out" "mount is not installed"
out=$(PATH=$T/nobin "$CISTERN" --config-dir "$CFG" pool-build bad --overwrite 2>&1)
expect_match "no mkfs tool: a clear error" "$out" "mkfs is not installed"
expect_eq "and the device is untouched" "$(blkid -p "$db")" ""
check "delete removes the target directory" cis pool-delete bad
[ ! -e "$T/mb" ] && t_ok "target gone" || t_fail "target gone"

# ---- xfs ----
dx=$(loop_new 300M)
fsdef xf "$dx" xfs "$T/mx"
check "xfs: start --build --overwrite" cis pool-start xf --build --overwrite
expect_match "xfs: mounted" "$(mounted "$T/mx")" "^$dx xfs "
check "xfs: a volume" cis vol-create-as xf x.qcow2 1G --format qcow2
check "xfs: a clone" cis vol-clone --pool xf x.qcow2 y.qcow2
check "xfs: stop" cis pool-destroy xf
expect_eq "xfs: unmounted" "$(mounted "$T/mx")" ""

# ---- btrfs: reflinks ----
dbt=$(loop_new 256M)
mkfs.btrfs -q -f "$dbt" >/dev/null 2>&1
fsdef bt "$dbt" auto "$T/mbt"
cis pool-build bt >/dev/null
check "btrfs: start (format auto)" cis pool-start bt
expect_match "btrfs: mounted" "$(mounted "$T/mbt")" "^$dbt btrfs "
truncate -s 1G "$T/mbt/big.raw"
for off in 0 200 400 600 900; do
	dd if=/dev/urandom of="$T/mbt/big.raw" bs=1M count=2 seek="$off" \
		conv=notrunc,fsync 2>/dev/null
done
cis pool-refresh bt >/dev/null
t0=$(date +%s%N)
check "btrfs: clone --reflink" cis vol-clone --pool bt big.raw twin.raw --reflink
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
sync
shared=$(filefrag -v "$T/mbt/twin.raw" | grep -c shared)
[ "$shared" -gt 0 ] && t_ok "btrfs: the clone shares its extents ($shared shared, ${ms} ms)" ||
	t_fail "btrfs: the clone shares its extents" "$(filefrag -v "$T/mbt/twin.raw" | tail -3)"
check "btrfs: same bytes" cmp "$T/mbt/big.raw" "$T/mbt/twin.raw"
check "btrfs: stop" cis pool-destroy bt
expect_eq "btrfs: unmounted" "$(mounted "$T/mbt")" ""
