#!/usr/bin/env bash
# cistern — what logical pools do with an LV's device node. This kernel
# cannot activate LVs (no device-mapper), so the node /dev/VG/LV that
# activation would make is SIMULATED: a symlink to a spare loop device.
# LVM itself is real; through the node the tests drive wipe (every
# algorithm), upload/download, clone, and the refusals while the LV is
# mounted (stop, delete, wipe).
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/lvm.sh"

lvm_init logical_simulated_node 32M 1 || exit 0
VG=cistsn$$
vg_cleanup "$VG"
S1=$(loop_new 4M) && S2=$(loop_new 4M) || { t_skip logical_simulated_node "no loop device"; exit 0; }
on_exit "rm -rf /dev/$VG"
# cistern sets an LV node's mode (0600 unless given), as libvirt does:
# give the loop devices standing in for nodes their own mode back
on_exit "chown $(stat -c %u:%g "$S1") $S1 $S2; chmod $(stat -c %a "$S1") $S1 $S2"

cis pool-define-as sn logical --source-name "$VG" --source-dev "${LVM_DEVS[0]}" >/dev/null
cis pool-build sn >/dev/null
cis pool-start sn >/dev/null
check logical_simnode_create cis vol-create-as sn lv1 4M
mkdir "/dev/$VG"
ln -s "$S1" "/dev/$VG/lv1"

# wipe with every algorithm; the last pass decides what is left
fill() { head -c 4M /dev/urandom >"$1"; }
for alg in zero nnsa dod bsi gutmann schneier pfitzner7 pfitzner33 random trim; do
	fill "$S1"
	before=$(sha1sum <"$S1")
	if ! out=$(cis vol-wipe --pool sn lv1 --algorithm "$alg" 2>&1); then
		t_fail "logical_simnode_wipe_$alg" "$out"
		continue
	fi
	case $alg in
	zero | nnsa | trim) want=$(head -c 4M /dev/zero | sha1sum) ;;
	dod) want=$(head -c 4M /dev/zero | tr '\0' '\377' | sha1sum) ;;
	bsi) want=$(head -c 4M /dev/zero | tr '\0' '\177' | sha1sum) ;;
	*) want="" ;;
	esac
	after=$(sha1sum <"$S1")
	if [ -n "$want" ]; then
		expect_eq "logical_simnode_wipe_$alg" "$after" "$want"
	elif [ "$after" != "$before" ]; then
		t_ok "logical_simnode_wipe_$alg"
	else
		t_fail "logical_simnode_wipe_$alg" "content unchanged"
	fi
done

# upload and download through the node
head -c 1M /dev/urandom >"$T/up"
check logical_simnode_upload cis vol-upload --pool sn lv1 "$T/up" --offset 1M
check logical_simnode_download cis vol-download --pool sn lv1 "$T/down" --offset 1M --length 1M
check logical_simnode_roundtrip cmp "$T/up" "$T/down"
check_fails logical_simnode_upload_past_end cis vol-upload --pool sn lv1 "$T/up" --offset 4M

# clone: without the new LV's node the half-made LV goes again
out=$(cis vol-clone --pool sn lv1 lv2 2>&1)
expect_match logical_simnode_clone_without_node_fails "$out" \
	"device node /dev/$VG/lv2 does not exist"
expect_eq logical_simnode_clone_failure_removed_lv \
	"$(lvm_q lvs --noheadings -o lv_name "$VG" | tr -d ' ')" lv1
ln -s "$S2" "/dev/$VG/lv2"
check logical_simnode_clone cis vol-clone --pool sn lv1 lv2
expect_eq logical_simnode_clone_lvs "$(lvm_field lvs lv_size "$VG/lv2")" \
	"$(lvm_field lvs lv_size "$VG/lv1")"
check logical_simnode_clone_data cmp "$S1" "$S2"

# a clone killed half way (SIGKILL at a chosen system call of cistern's
# own process) leaves an LV tagged as a leftover: reported as one, never
# listed as a volume. The points: before any data, mid-copy, and at the
# sync of the copied data (-P: the fsync of the new LV's device), just
# before the tag is taken away.
if need_cmd logical_simnode_clone_killed strace; then
	ln -s "$S2" "/dev/$VG/lv4"
	check logical_simnode_clone_complete cis vol-clone --pool sn lv1 lv4
	expect_eq logical_simnode_clone_complete_no_tag "$(lvm_field lvs lv_tags "$VG/lv4")" ""
	cis vol-delete --pool sn lv4 >/dev/null
	for at in pwrite64:when=1 pwrite64:when=3 fsync; do
		strace -qq -o /dev/null -P "$S2" -e inject=$at:signal=KILL "$CISTERN" \
			--config-dir "$CFG" vol-clone --pool sn lv1 lv4 >/dev/null 2>&1
		expect_eq "logical_simnode_clone_killed_at_$at" "$?" "137"
		expect_eq "logical_simnode_clone_killed_at_${at}_lv_tagged" \
			"$(lvm_field lvs lv_tags "$VG/lv4")" "cistern_partial"
		out=$(cis vol-list sn 2>"$T/warn")
		expect_eq "logical_simnode_clone_killed_at_${at}_not_listed" \
			"$(echo "$out" | grep -c lv4)" "0"
		expect_match "logical_simnode_clone_killed_at_${at}_reported" \
			"$(cat "$T/warn")" "tagged cistern_partial by an interrupted cistern.*: lv4;"
		lvm_q lvremove -f "$VG/lv4"
	done
	rm -f "/dev/$VG/lv4"
fi

# a new LV's node gets the owner and mode asked for
check logical_simnode_delete_clone cis vol-delete --pool sn lv2
rm "/dev/$VG/lv2"
ln -s "$S2" "/dev/$VG/lv3"
cat >"$T/lv3.xml" <<EOF
<volume>
  <name>lv3</name>
  <capacity unit='M'>4</capacity>
  <target>
    <permissions>
      <mode>0640</mode>
      <owner>0</owner>
      <group>6</group>
    </permissions>
  </target>
</volume>
EOF
check logical_simnode_create_with_perms cis vol-create sn "$T/lv3.xml"
expect_eq logical_simnode_node_perms "$(stat -L -c '%a %u %g' "/dev/$VG/lv3")" "640 0 6"

# a mounted LV stops the pool from stopping, and is neither deleted
# nor wiped
if mkfs.ext4 -q -F "$S1" >/dev/null 2>&1 && mkdir "$T/mnt" &&
   mount "$S1" "$T/mnt" 2>/dev/null; then
	on_exit "umount $T/mnt"
	out=$(cis pool-destroy sn 2>&1); echo "$out"
	expect_match logical_simnode_stop_refused_while_mounted "$out" \
		"logical volume '$VG/lv1' is in use: .*mounted on $T/mnt"
	expect_match logical_simnode_stop_refused_still_running \
		"$(cis pool-info sn)" "State: +running"
	out=$(cis vol-delete --pool sn lv1 2>&1)
	expect_match logical_simnode_delete_refused_while_mounted "$out" \
		"logical volume /dev/$VG/lv1 is in use"
	expect_eq logical_simnode_delete_refused_lv_kept \
		"$(lvm_q lvs --noheadings -o lv_name "$VG/lv1" | tr -d ' ')" lv1
	check_fails logical_simnode_wipe_refused_while_mounted \
		cis vol-wipe --pool sn lv1
	umount "$T/mnt"
else
	t_skip logical_simnode_stop_refused_while_mounted "cannot mount ext4 here"
fi
check logical_simnode_stop cis pool-destroy sn
