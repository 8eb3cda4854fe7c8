#!/usr/bin/env bash
# A clone into a new partition of a gpt disk carries the partition name
# cistern-partial (written in the same commit as the partition) until its
# data is in; on a dos label, which has no names, a marker block at the
# partition's end does the same. Killed at a chosen system call — before the data, and after
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

# ---- dos: no partition names; the marker block at the partition's end ----
img2="$T/m.img"
truncate -s 64M "$img2"
cis pool-define-as mk disk --source-dev "$img2" --source-format dos --target /dev >/dev/null
cis pool-build mk >/dev/null && cis pool-start mk >/dev/null
cis vol-create-as mk m.img-part1 8M >/dev/null
cis vol-upload --pool mk m.img-part1 "$T/r" >/dev/null
check "dos: a complete clone" cis vol-clone --pool mk m.img-part1 m.img-part2
out=$(cis vol-list mk 2>&1)
expect_eq "dos: a complete clone leaves no warning" "$(echo "$out" | grep -c 'interrupted')" "0"
expect_eq "dos: and its data is the original's" \
	"$(cis vol-download --pool mk m.img-part2 /dev/stdout | head -c 8M | md5sum)" \
	"$(md5sum <"$T/r")"
cis vol-delete --pool mk m.img-part2 >/dev/null
strace -qq -o /dev/null -P "$img2" -e inject=copy_file_range:when=1:signal=KILL \
	"$CISTERN" --config-dir "$CFG" vol-clone --pool mk m.img-part1 m.img-part2 >/dev/null 2>&1
expect_eq "dos: clone killed in its copy: killed" "$?" "137"
cis vol-list mk >/dev/null 2>"$T/warn"
expect_match "dos: refresh reports the partition" "$(cat "$T/warn")" \
	"partitions an interrupted cistern was copying into .*: m.img-part2$"
expect_match "dos: vol-info says its data is incomplete" \
	"$(cis vol-info --pool mk m.img-part2 --json 2>/dev/null | jq -r .note)" \
	"interrupted cistern leftover: a clone into it did not finish"
cis vol-delete --pool mk m.img-part2 >/dev/null
# a plain partition made where the interrupted one was is not taken for one
check "dos: a plain partition in its place" cis vol-create-as mk m.img-part2 8M
expect_eq "dos: is not reported" "$(cis vol-list mk 2>&1 | grep -c 'interrupted')" "0"
