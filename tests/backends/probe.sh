#!/usr/bin/env bash
# Probing before touching: a blank partition is blank (its own entry in
# the disk's table is not a signature), what a device holds is named.
. "$(dirname "$0")/../lib/lib.sh"
need_root "probe tests" || exit 0
need_cmd "probe tests" parted partx mkfs.ext4 blkid || exit 0

dev=$(loop_new 64M) || { t_fail "a loop device" "losetup failed"; exit 0; }
parted -s "$dev" mklabel gpt mkpart a 1MiB 17MiB mkpart b 17MiB 33MiB
partx -a "$dev" 2>/dev/null || partx -u "$dev" 2>/dev/null
p1=${dev}p1 p2=${dev}p2
check "the partition nodes exist" test -b "$p1" -a -b "$p2"
mkfs.ext4 -q -L data "$p2"

mkdir -p "$T/m1" "$T/m2"
cis pool-define-as blank fs --source-dev "$p1" --source-format ext4 --target "$T/m1" >/dev/null
cis pool-define-as full fs --source-dev "$p2" --source-format ext4 --target "$T/m2" >/dev/null
check "build --no-overwrite makes a filesystem on a blank partition" \
	cis pool-build blank --no-overwrite
expect_eq "... an ext4 one" "$(blkid -p -o value -s TYPE "$p1")" "ext4"
out=$(cis pool-build full --no-overwrite 2>&1)
expect_match "build --no-overwrite refuses a partition holding ext4, naming it" "$out" \
	"^error: .*an ext4 filesystem labelled 'data'"
expect_eq "... and leaves it alone" "$(blkid -p -o value -s LABEL "$p2")" "data"
cis pool-define-as whole disk --source-dev "$dev" --source-format gpt --target /dev >/dev/null
out=$(cis pool-build whole 2>&1)
expect_match "a disk build refuses the whole disk holding a gpt table" "$out" "a gpt partition table"
partx -d "$dev" 2>/dev/null
