#!/usr/bin/env bash
# cistern — netfs (and fs) pools: the mount command of every libvirt argv
# test case, in dry-run; discovery against a real NFS server (nfs-ganesha
# in a private network namespace); `mount -t nfs` failing here (no NFS
# client in this kernel) reported with mount's own message; a real
# mount/umount cycle of a GlusterFS volume (glusterd in a private network
# namespace) with volumes made on it, and a lazy unmount.
. "$(dirname "$0")/../lib/lib.sh"

# ---- the mount argv of every fs/netfs case of libvirt's test data ----
n=0
for f in "$PEER"/tests/storagepoolxml2argvdata/pool-{fs,netfs}*-linux.argv; do
	case=$(basename "$f" -linux.argv)
	cfg=$T/argv/$case
	mkdir -p "$cfg"
	name=$(sed -n 's|.*<name>\(.*\)</name>.*|\1|p' \
		"$PEER/tests/storagepoolxml2xmlin/$case.xml" | head -1)
	"$CISTERN" --config-dir "$cfg" pool-define \
		"$PEER/tests/storagepoolxml2xmlin/$case.xml" >/dev/null 2>&1
	got=$("$CISTERN" --config-dir "$cfg" --dry-run pool-start "$name" 2>&1)
	want=$(sed -e ':a' -e '/ \\$/{N;s/ \\\n/ /;ba' -e '}' "$f")
	expect_eq "dry-run start argv = libvirt's $case-linux.argv" "$got" "$want"
	n=$((n + 1))
done
expect_eq "every fs/netfs argv case was compared" "$n" "7"

need_root "netfs servers" || exit 0
need_cmd "netfs servers" ip nsenter unshare || exit 0

# Remove what glusterd added to its system directories during the test.
gl_tidy() {
	local d b x
	for d in /var/lib/glusterd /var/run/gluster /var/log/glusterfs; do
		b="$1/before$(echo "$d" | tr / _)"
		if [ ! -f "$b" ]; then
			rm -rf "$d"
			continue
		fi
		ls -A "$d" 2>/dev/null | while read -r x; do
			grep -qxF -- "$x" "$b" || rm -rf "${d:?}/$x"
		done
	done
}

# glusterd, and the gluster tool discovery runs, write beside their private
# directories too: note what is there now and take away what they add
for d in /var/lib/glusterd /var/run/gluster /var/log/glusterfs; do
	[ -d "$d" ] && ls -A "$d" >"$T/before$(echo "$d" | tr / _)"
done
on_exit "gl_tidy $T"

# ---- NFS: discovery against nfs-ganesha, and the mount that fails ----
nfs_tests() {
	local ns=cisfile-nfs-$$ srv=$T/nfs out want i
	need_cmd "nfs-ganesha" ganesha.nfsd rpcbind showmount || return
	# nfs-ganesha and rpcbind in a private network namespace, with a
	# private /run (tests/lib/nfsd.sh)
	on_exit "bash $TOP/tests/lib/nfsd.sh stop $srv $ns"
	if ! bash "$TOP/tests/lib/nfsd.sh" start "$srv" "$ns" >/dev/null 2>&1; then
		t_fail "nfs-ganesha starts in a network namespace" "see $srv/ganesha.log"
		return
	fi
	out=$(nsenter --net=/run/netns/"$ns" "$CISTERN" \
		find-storage-pool-sources-as netfs 127.0.0.1 2>&1)
	want="<sources>
  <source>
    <host name='127.0.0.1'/>
    <dir path='$srv/export'/>
    <format type='nfs'/>
  </source>
</sources>"
	expect_eq "netfs discovery lists the NFS server's export (libvirt's XML)" \
		"$out" "$want"
	printf "<source><host name='127.0.0.1'/><format type='nfs'/></source>" \
		>"$T/spec.xml"
	out=$(nsenter --net=/run/netns/"$ns" "$CISTERN" \
		find-storage-pool-sources netfs "$T/spec.xml" 2>&1)
	expect_eq "discovery from a source spec file" "$out" "$want"
	out=$(nsenter --net=/run/netns/"$ns" "$CISTERN" \
		find-storage-pool-sources netfs --srcSpec "$T/spec.xml" 2>&1)
	expect_eq "--srcSpec FILE, virsh's name" "$out" "$want"
	out=$(nsenter --net=/run/netns/"$ns" "$CISTERN" \
		find-storage-pool-sources-as netfs 192.0.2.1 2>&1)
	expect_match "discovery of an unreachable host: showmount's error" \
		"$out" "error: showmount failed .*(RPC|refused|timed out)"

	# this kernel has no NFS client: the mount fails, with mount's words
	"$CISTERN" --config-dir "$CFG" pool-define-as nfs1 netfs \
		--source-host 127.0.0.1 --source-path "$srv/export" \
		--source-format nfs --target "$T/nfsmnt" >/dev/null
	mkdir -p "$T/nfsmnt"
	want=$(nsenter --net=/run/netns/"$ns" mount -o nodev,nosuid,noexec -t nfs \
		"127.0.0.1:$srv/export" "$T/nfsmnt" 2>&1)
	out=$(nsenter --net=/run/netns/"$ns" "$CISTERN" --config-dir "$CFG" \
		pool-start nfs1 2>&1)
	expect_eq "mount -t nfs failing is reported with mount's own message" \
		"$out" "error: pool 'nfs1': mount failed (exit 32): $want"
	expect_eq "and nothing is mounted" "$(grep -c " $T/nfsmnt " /proc/self/mountinfo)" "0"
}
nfs_tests

# ---- GlusterFS: a real mount and unmount ----
gluster_tests() {
	local ns=cisfile-gl-$$ g=$T/gl host addr out i vol=cisvol$$ G
	need_cmd "glusterfs" glusterd gluster mount.glusterfs || return
	# glusterd wants a brick host other than localhost that resolves to an
	# address of its own: this machine's name, whatever it resolves to
	# (127.0.1.1 on a default Debian install), is put on the namespace's lo
	host=$(hostname)
	addr=$(getent ahostsv4 "$host" | awk '{print $1; exit}')
	if [ -z "$addr" ]; then
		t_skip "glusterfs" "the host name '$host' does not resolve"
		return
	fi
	mkdir -p "$g/wd" "$g/brick" "$g/run"
	cat >"$g/glusterd.vol" <<EOF
volume management
    type mgmt/glusterd
    option working-directory $g/wd
    option transport-type socket
    option transport.socket.listen-port 24007
    option glusterd-sockfile $g/run/glusterd.socket
    option ping-timeout 0
    option event-threads 1
end-volume
EOF
	ip netns add "$ns" || { t_skip "glusterfs" "cannot make a netns"; return; }
	on_exit "ip netns del $ns"
	on_exit "rm -rf /var/run/gluster/vols/$vol /var/log/glusterfs/gfproxy/$vol /var/log/glusterfs/snaps/$vol /var/log/glusterfs/bricks/$(echo "${g#/}/brick" | tr / -).log /var/log/glusterfs/$(echo "${T#/}/gm" | tr / -).log"
	ip netns exec "$ns" ip link set lo up
	[ "$addr" = 127.0.0.1 ] || ip netns exec "$ns" ip addr add "$addr/32" dev lo
	nsenter --net=/run/netns/"$ns" glusterd -f "$g/glusterd.vol" \
		-p "$g/run/glusterd.pid" -l "$g/glusterd.log"
	on_exit "kill -9 \$(cat $g/run/glusterd.pid /var/run/gluster/vols/$vol/*.pid 2>/dev/null)"
	G="nsenter --net=/run/netns/$ns gluster --glusterd-sock=$g/run/glusterd.socket --mode=script"
	for ((i = 0; i < 100; i++)); do
		[ -S "$g/run/glusterd.socket" ] && $G volume list >/dev/null 2>&1 && break
		sleep 0.1
	done
	if ! $G volume create "$vol" "$host:$g/brick" force >"$g/out" 2>&1 ||
	   ! $G volume start "$vol" >>"$g/out" 2>&1; then
		t_fail "glusterfs: a volume to mount" "$(cat "$g/out")"
		return
	fi
	on_exit "$G volume stop $vol force"
	C="nsenter --net=/run/netns/$ns $CISTERN --config-dir $CFG"
	out=$($C find-storage-pool-sources-as netfs "$host" 2>&1)
	expect_match "netfs discovery lists the GlusterFS volume" "$(echo $out)" \
		"<source> <host name='$host'/> <dir path='$vol'/> <format type='glusterfs'/> </source>"
	$C pool-define-as gl netfs --source-host "$host" --source-path "/$vol" \
		--source-format glusterfs --target "$T/gm" >/dev/null
	on_exit "umount -l $T/gm"
	check "glusterfs: start --build mounts it" $C pool-start gl --build
	expect_match "glusterfs: mounted, with libvirt's options" \
		"$(findmnt -n -o SOURCE,FSTYPE,OPTIONS --mountpoint "$T/gm")" \
		"^$host:/$vol fuse.glusterfs .*nosuid,nodev,noexec"
	check "glusterfs: create a volume on it" $C vol-create-as gl a.raw 8M
	[ -f "$g/brick/a.raw" ] && t_ok "glusterfs: the file is on the brick" ||
		t_fail "glusterfs: the file is on the brick"
	expect_match "glusterfs: pool sizes through the timed statvfs" \
		"$($C pool-info gl --bytes)" "Capacity: +[1-9][0-9]+"
	check "glusterfs: clone a volume" $C vol-clone --pool gl a.raw b.raw
	expect_eq "glusterfs: both volumes listed" \
		"$($C vol-list gl --json | jq -r '[.[].name] | join(" ")')" "a.raw b.raw"
	check "glusterfs: stop unmounts" $C pool-destroy gl
	expect_eq "glusterfs: not mounted" "$(grep -c " $T/gm " /proc/self/mountinfo)" "0"
	check "glusterfs: start again" $C pool-start gl
	local sv=${BUILD:-$TOP/build}/tests/lib/statvfs_timeout cpid
	out=$("$sv" "$T/gm" 5000)
	expect_match "glusterfs: statvfs in a child answers on a live mount" \
		"$out" "^ok [1-9]"
	# the server stops answering: freeze the FUSE client of the mount
	cpid=$(ps -eo pid=,args= | awk -v m="$T/gm" \
		'index($0, m) && /glusterfs/ { print $1; exit }')
	if [ -n "$cpid" ]; then
		kill -STOP "$cpid"
		on_exit "kill -CONT $cpid; kill $cpid"
		out=$(timeout 30 "$sv" "$T/gm" 1000)
		expect_match "glusterfs: with the server hung, statvfs gives up after its timeout" \
			"$out" "^error '$T/gm' did not answer within 1 s .*\((1[0-9]{3}) ms\)"
	else
		t_fail "glusterfs: the mount's FUSE client" "not found"
	fi
	out=$(timeout 30 $C pool-destroy gl --lazy 2>&1)
	expect_match "glusterfs: stop with a lazy unmount, the server hung" "$out" \
		"Pool gl destroyed"
	expect_eq "glusterfs: not mounted after the lazy unmount" \
		"$(grep -c " $T/gm " /proc/self/mountinfo)" "0"
	[ -n "$cpid" ] && kill -CONT "$cpid"
	check "glusterfs: delete the pool's directory" $C pool-delete gl
}
gluster_tests
