# cistern — LVM for tests, after lib.sh: a private LVM configuration
# (TESTING.md) that sees only this test's loop devices, activates
# nothing (this kernel has no device-mapper) and keeps its locks, hints
# and metadata archives in the test's temp dir, so parallel runs never
# meet. Volume group names carry $$.
#
#   lvm_init NAME SIZE [N]   N (default 1) loop devices of SIZE in $LVM_DEVS
#   lvm_conf [activation]    rewrite lvm.conf (activation: leave it on)
#   lvm_q TOOL ARGS...       an LVM tool with the private config, quietly
#   lvm_field TOOL FIELD OBJ the value of FIELD for OBJ ("lvs lv_size vg/lv")
#   vg_cleanup VG            remove VG and its PV labels at exit

# lvm_init NAME SIZE [N]: skip NAME (return 1) when LVM cannot run here.
lvm_init() {
	local name=$1 size=$2 n=${3:-1} i dev
	need_root "$name" || return 1
	need_cmd "$name" pvcreate vgcreate lvcreate lvs vgs pvs blkid losetup \
		|| return 1
	LVM_DEVS=()
	for ((i = 0; i < n; i++)); do
		dev=$(loop_new "$size") || { t_skip "$name" "no loop device"; return 1; }
		LVM_DEVS+=("$dev")
	done
	export LVM_SYSTEM_DIR="$T/lvm"
	export LVM_SUPPRESS_FD_WARNINGS=1
	mkdir -p "$LVM_SYSTEM_DIR/lock"
	lvm_conf
}

# Write the private lvm.conf; "activation" leaves activation on (to see
# what this kernel answers to vgchange -aly).
lvm_conf() {
	local filter="" d act="activation = 0"
	for d in "${LVM_DEVS[@]}"; do filter+="\"a|^$d\$|\", "; done
	[ "${1:-}" = activation ] && act=""
	cat >"$LVM_SYSTEM_DIR/lvm.conf" <<EOF
global { $act locking_dir = "$LVM_SYSTEM_DIR/lock" use_lvmpolld = 0 }
devices { global_filter = [ ${filter}"r|.*|" ] hints = "none" use_devicesfile = 0 }
backup { backup = 0 archive = 0 }
EOF
}

lvm_q() { "$@" 2>/dev/null; }

# lvm_field TOOL FIELD OBJ: one value, bytes for sizes, no padding.
lvm_field() {
	"$1" --noheadings --units b --nosuffix -o "$2" "$3" 2>/dev/null |
		head -n 1 | tr -d ' '
}

# Remove a VG and its PV labels at exit (before the loop devices go).
vg_cleanup() {
	on_exit "vgremove -f $1; for d in ${LVM_DEVS[*]}; do pvremove -y \$d; done"
}

# lvm_restore_lvs VG FILE: give a VG that has no LVs yet the LVs whose
# metadata text (LVM's backup format, PVs named pv0, pv1, ... in the
# order vgcreate got them) is in FILE, with one vgcfgrestore: LVs of any
# segment type, made without device-mapper and much faster than lvcreate.
lvm_restore_lvs() {
	local vg=$1 file=$2
	vgcfgbackup -f "$T/$vg.bak" "$vg" >/dev/null 2>&1 || return 1
	awk -v f="$file" '
		{ line[NR] = $0 }
		$0 == "}" { last = NR }
		END {
			for (i = 1; i < last; i++) print line[i]
			print "\tlogical_volumes {"
			while ((getline l < f) > 0) print l
			print "\t}"
			for (i = last; i <= NR; i++) print line[i]
		}' "$T/$vg.bak" >"$T/$vg.new" || return 1
	vgcfgrestore -f "$T/$vg.new" "$vg" >/dev/null 2>&1
}

# lvm_lv_text NAME UUID STATUS EXTENTS TYPE [PV EXT]...: one LV of one
# segment; TYPE "striped" takes PV/EXT pairs, "raid1" takes sub-LV names.
lvm_lv_text() {
	local name=$1 id=$2 status=$3 count=$4 type=$5 i
	shift 5
	printf '\t\t%s {\n\t\t\tid = "%s"\n\t\t\tstatus = [%s]\n' "$name" "$id" "$status"
	printf '\t\t\tflags = []\n\t\t\tsegment_count = 1\n\t\t\tsegment1 {\n'
	printf '\t\t\t\tstart_extent = 0\n\t\t\t\textent_count = %s\n' "$count"
	if [ "$type" = raid1 ]; then
		printf '\t\t\t\ttype = "raid1"\n\t\t\t\tdevice_count = %s\n' $(($# / 2))
		printf '\t\t\t\tregion_size = 1024\n\t\t\t\traids = [\n'
		for ((i = 1; i <= $#; i += 2)); do
			printf '\t\t\t\t\t"%s", "%s"%s\n' "${!i}" "$(eval echo \${$((i + 1))})" \
				"$([ $((i + 1)) -lt $# ] && echo ,)"
		done
	else
		printf '\t\t\t\ttype = "striped"\n\t\t\t\tstripe_count = %s\n' $(($# / 2))
		[ $# -gt 2 ] && printf '\t\t\t\tstripe_size = 128\n'
		printf '\t\t\t\tstripes = [\n'
		for ((i = 1; i <= $#; i += 2)); do
			printf '\t\t\t\t\t"%s", %s%s\n' "${!i}" "$(eval echo \${$((i + 1))})" \
				"$([ $((i + 1)) -lt $# ] && echo ,)"
		done
	fi
	printf '\t\t\t\t]\n\t\t\t}\n\t\t}\n'
}
