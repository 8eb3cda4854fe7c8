#!/usr/bin/env bash
# A clone into a new partition of a gpt disk carries the partition name
# cistern-partial (written in the same commit as the partition) until its
# data is in. Killed at a chosen system call — before the data, and after
# it but before the name is taken away — the partition stays (it holds
# its place on the disk) and a refresh says it is an interrupted
# cistern's, with incomplete data.
. "$(dirname "$0")/../lib/lib.sh"

need_root disk-partial || exit 0
need_cmd disk-partial strace parted || exit 0
img="$T/d.img"
truncate -s 64M "$img"
cis pool-define-as dk disk --source-dev "$img" --source-format gpt --target /dev >/dev/null
cis pool-build dk >/dev/null && cis pool-start dk >/dev/null
cis vol-create-as dk d.img-part1 8M >/dev/null
head -c 8M /dev/urandom >"$T/r"
cis vol-upload --pool dk d.img-part1 "$T/r" >/dev/null

check "a complete clone" cis vol-clone --pool dk d.img-part1 d.img-part2
expect_eq "a complete clone's partition has no name" \
	"$(parted -sm "$img" unit B print | sed -n 's/^2:[^:]*:[^:]*:[^:]*:[^:]*:\([^:]*\):.*/\1/p')" ""
out=$(cis vol-list dk 2>&1)
expect_eq "...and no warning" "$(echo "$out" | grep -c 'interrupted')" "0"
cis vol-delete --pool dk d.img-part2 >/dev/null

# -P: only the system calls on the image count (libparted's and ours)
for at in copy_file_range:when=1 write:when=6; do
	strace -qq -o /dev/null -P "$img" -e inject=$at:signal=KILL "$CISTERN" \
		--config-dir "$CFG" vol-clone --pool dk d.img-part1 d.img-part2 >/dev/null 2>&1
	expect_eq "clone killed at $at: killed" "$?" "137"
	expect_eq "clone killed at $at: the partition is named cistern-partial" \
		"$(parted -sm "$img" unit B print | sed -n 's/^2:[^:]*:[^:]*:[^:]*:[^:]*:\([^:]*\):.*/\1/p')" \
		"cistern-partial"
	cis vol-list dk >/dev/null 2>"$T/warn"
	expect_match "clone killed at $at: refresh reports it" "$(cat "$T/warn")" \
		"partitions an interrupted cistern was copying into .*: d.img-part2$"
	expect_match "clone killed at $at: vol-info says its data is incomplete" \
		"$(cis vol-info --pool dk d.img-part2 --json 2>/dev/null | jq -r .note)" \
		"interrupted cistern leftover: a clone into it did not finish"
	cis vol-delete --pool dk d.img-part2 >/dev/null
done
