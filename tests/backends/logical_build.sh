#!/usr/bin/env bash
# cistern — building logical pools safely: probe first, refuse data
# unless --overwrite, never touch a busy device, and undo a half-done
# build (no PV label stays behind: checked with blkid).
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lvm.sh"

lvm_init logical_build 32M 2 || exit 0
A=${LVM_DEVS[0]} B=${LVM_DEVS[1]}
VG=cistbd$$
vg_cleanup "$VG"
vg_cleanup "other$$"
label() { blkid -p -o value -s TYPE "$1"; }

cis pool-define-as bd logical --source-name "$VG" --source-dev "$A" \
	--source-dev "$B" >/dev/null

# 0. a PV label LVM does not list (filtered out) is nobody's to take
lvm_q pvcreate -q "$B" >/dev/null
all=("${LVM_DEVS[@]}")
LVM_DEVS=("$A")
lvm_conf
out=$(cis pool-build bd 2>&1)
expect_match logical_build_refuses_unlisted_pv "$out" \
	"device '$B' holds an LVM2 physical volume .* that LVM does not list"
expect_eq logical_build_unlisted_pv_first_untouched "$(label "$A")" ""
LVM_DEVS=("${all[@]}")
lvm_conf
lvm_q pvremove -y "$B" >/dev/null

# 1. the second device fails in pvcreate (LVM's filter rejects it):
# the first one was initialised, and must be cleaned again
all=("${LVM_DEVS[@]}")
LVM_DEVS=("$A")
lvm_conf
LVM_DEVS=("${all[@]}")
out=$(cis pool-build bd 2>&1)
expect_match logical_build_second_bad_fails "$out" \
	"^error: pool 'bd': pvcreate failed \(exit 5\):.*$B"
expect_eq logical_build_second_bad_first_has_no_pv_label "$(label "$A")" ""
expect_eq logical_build_second_bad_second_has_no_label "$(label "$B")" ""
expect_eq logical_build_second_bad_no_vg "$(lvm_q vgs --noheadings | wc -l)" 0
expect_eq logical_build_second_bad_no_pv "$(lvm_q pvs --noheadings | wc -l)" 0
expect_match logical_build_failure_recorded "$(cis pool-info bd)" "State: +inactive"
lvm_conf

# 2. the second device is read-only: refused before anything is written
printf 'cistern-marker' | dd of="$A" conv=notrunc status=none
img=$(mktemp "$T/ro.XXXXXX")
truncate -s 32M "$img"
RO=$(losetup -r -f --show "$img")
on_exit "losetup -d $RO"
cis pool-undefine bd >/dev/null
cis pool-define-as ro logical --source-name "ro$$" --source-dev "$A" \
	--source-dev "$RO" >/dev/null
out=$(cis pool-build ro 2>&1)
expect_match logical_build_readonly_refused "$out" \
	"device '$RO' is read-only"
expect_eq logical_build_readonly_first_untouched \
	"$(dd if="$A" bs=14 count=1 status=none)" cistern-marker
expect_eq logical_build_readonly_first_has_no_pv_label "$(label "$A")" ""
cis pool-undefine ro >/dev/null
cis pool-define-as bd logical --source-name "$VG" --source-dev "$A" \
	--source-dev "$B" >/dev/null

# 3. a filesystem is refused unless --overwrite
mkfs.ext4 -q -F "$A" >/dev/null 2>&1
out=$(cis pool-build bd 2>&1)
expect_match logical_build_refuses_filesystem "$out" \
	"device '$A' holds an ext4 filesystem \(give --overwrite"
expect_eq logical_build_refused_fs_kept "$(label "$A")" ext4
check_fails logical_build_no_overwrite_refuses cis pool-build bd --no-overwrite
expect_eq logical_build_no_overwrite_fs_kept "$(label "$A")" ext4

# 4. a busy device is refused even with --overwrite
mkdir "$T/mnt"
if mount "$A" "$T/mnt" 2>/dev/null; then
	on_exit "umount $T/mnt"
	out=$(cis pool-build bd --overwrite 2>&1)
	expect_match logical_build_refuses_mounted "$out" \
		"device '$A' is in use: .*mounted on $T/mnt"
	expect_eq logical_build_mounted_kept "$(label "$A")" ext4
	umount "$T/mnt"
else
	t_skip logical_build_refuses_mounted "cannot mount ext4 here"
fi

# 5. a PV of another volume group is refused, even with --overwrite
# (that group lives on other disks too)
vgcreate -q "other$$" "$B"
out=$(cis pool-build bd --overwrite 2>&1)
expect_match logical_build_refuses_pv_of_other_vg "$out" \
	"device '$B' is a physical volume of volume group 'other$$'; take it out"
expect_eq logical_build_other_vg_kept "$(lvm_field pvs vg_name "$B")" "other$$"
expect_eq logical_build_refused_left_fs "$(label "$A")" ext4
lvm_q vgremove -f "other$$" >/dev/null
lvm_q pvremove -y "$B" >/dev/null

# 6. a volume group of that name on a device outside the definition
lvm_q vgcreate -q "dup$$" "$B" >/dev/null
vg_cleanup "dup$$"
cis pool-undefine bd >/dev/null
cis pool-define-as dup logical --source-name "dup$$" --source-dev "$A" \
	>/dev/null
out=$(cis pool-build dup --overwrite 2>&1)
expect_match logical_build_refuses_existing_vg "$out" \
	"volume group 'dup$$' already exists \(on $B\)"
expect_eq logical_build_existing_vg_left_fs "$(label "$A")" ext4
cis pool-undefine dup >/dev/null
lvm_q vgremove -f "dup$$" >/dev/null
lvm_q pvremove -y "$B" >/dev/null
cis pool-define-as bd logical --source-name "$VG" --source-dev "$A" \
	--source-dev "$B" >/dev/null

# 7. with --overwrite the filesystem goes and the VG is made
check logical_build_overwrite cis pool-build bd --overwrite
expect_eq logical_build_overwrite_label "$(label "$A")" LVM2_member
expect_eq logical_build_overwrite_vg "$(lvm_field pvs vg_name "$A")" "$VG"

# 8. building again finds its devices in use by the VG
out=$(cis pool-build bd 2>&1)
expect_match logical_build_twice_refused "$out" \
	"is a physical volume of volume group '$VG'"
