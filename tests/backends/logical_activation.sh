#!/usr/bin/env bash
# cistern — starting and stopping logical pools. This kernel has no
# device-mapper, so real activation cannot succeed here: the start and
# stop command lines are checked exactly (dry-run), and a real
# `vgchange -aly` with activation left on must fail with LVM's own words
# reaching the operator intact. Start's pvs check is tested for real.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lvm.sh"

lvm_init logical_activation 16M 2 || exit 0
A=${LVM_DEVS[0]} B=${LVM_DEVS[1]}
VG=cistac$$
vg_cleanup "$VG"

cis pool-define-as ac logical --source-name "$VG" --source-dev "$A" >/dev/null
cis pool-build ac >/dev/null
cis pool-start ac >/dev/null
cis vol-create-as ac lv1 4M >/dev/null
cis pool-destroy ac >/dev/null

# the exact command lines (the argv test compares libvirt's fixtures)
expect_eq logical_start_argv_dry_run "$(cis --dry-run pool-start ac)" \
	"vgchange -aly $VG"
expect_match logical_start_dry_run_changed_nothing "$(cis pool-info ac)" \
	"State: +inactive"
cis pool-start ac >/dev/null
expect_eq logical_stop_argv_dry_run "$(cis --dry-run pool-destroy ac)" \
	"vgchange -aln $VG"
expect_match logical_stop_dry_run_changed_nothing "$(cis pool-info ac)" \
	"State: +running"
cis pool-destroy ac >/dev/null

# activation on, as on a host: this kernel cannot do it
lvm_conf activation
vgchange -aly "$VG" >/dev/null 2>"$T/vgchange.err"
lvm_rc=$?
out=$(cis pool-start ac 2>&1)
rc=$?
expect_eq logical_activation_no_devmapper_fails "$rc/$lvm_rc" 1/5
expect_match logical_activation_no_devmapper_error_names_pool "$out" \
	"^error: pool 'ac': vgchange failed \(exit 5\): "
# every line LVM wrote, in its order, is in cistern's message
lines=$(sed 's/^ *//; /^$/d' "$T/vgchange.err")
joined=$(printf '%s\n' "$lines" | awk 'NR > 1 { printf "; " } { printf "%s", $0 }')
if [ -n "$lines" ] && [[ "$out" == *"$joined"* ]]; then
	t_ok logical_activation_no_devmapper_error_intact
else
	t_fail logical_activation_no_devmapper_error_intact \
		"LVM said '$joined'; cistern said '$out'"
fi
expect_match logical_activation_no_devmapper_error_is_dm "$out" \
	"/dev/mapper/control: open failed: No such device"
vout=$(cis --verbose pool-start ac 2>&1)
expect_match logical_activation_verbose_shows_command "$vout" \
	"command: vgchange -aly $VG"
first=$(printf '%s\n' "$lines" | head -n 1)
expect_match logical_activation_verbose_shows_stderr "$vout" "^  stderr:\$"
expect_match logical_activation_verbose_stderr_lines "$vout" \
	"^ +$(printf '%s' "$first" | sed 's/[][\.*^$()|+?{}]/\\&/g')\$"
expect_match logical_activation_failed_pool_inactive "$(cis pool-info ac)" \
	"State: +inactive"
lvm_conf

# start checks with pvs that the VG and its PVs are what the pool says
cis pool-define-as novg logical --source-name "none$$" >/dev/null
out=$(cis pool-start novg 2>&1)
expect_match logical_start_missing_vg "$out" \
	"volume group 'none$$' does not exist"
cis pool-undefine ac >/dev/null
cis pool-define-as ac logical --source-name "$VG" --source-dev "$B" >/dev/null
out=$(cis pool-start ac 2>&1)
expect_match logical_start_device_not_pv "$out" \
	"source device '$B' is not a physical volume of volume group '$VG'"
lvm_q pvcreate -q "$B" >/dev/null
out=$(cis pool-start ac 2>&1)
expect_match logical_start_device_orphan_pv "$out" \
	"source device '$B' is a physical volume in no volume group"
expect_match logical_start_mismatch_inactive "$(cis pool-info ac)" \
	"State: +inactive"
cis pool-undefine ac >/dev/null
cis pool-define-as ac logical --source-name "$VG" --source-dev "$A" >/dev/null
check logical_start_matching cis pool-start ac
expect_match logical_start_lists_volume "$(cis vol-list ac)" lv1
check logical_stop cis pool-destroy ac

# a pool whose VG went away behind its back can still be stopped
check logical_start_again cis pool-start ac
lvm_q vgremove -f "$VG" >/dev/null
check logical_stop_vg_gone cis pool-destroy ac
expect_match logical_stop_vg_gone_inactive "$(cis pool-info ac)" "State: +inactive"
