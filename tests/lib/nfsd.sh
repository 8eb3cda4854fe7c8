#!/usr/bin/env bash
# cistern — an NFS server for tests: nfs-ganesha and
# rpcbind in a private network namespace (TESTING.md), with a private
# /run so nothing of theirs meets another rpcbind on this machine.
#
#   nfsd.sh start DIR NS   export DIR/export from namespace NS; waits until
#                          showmount inside NS lists it (exit 1: it did not)
#   nfsd.sh stop DIR NS    stop the daemons (by their pid files), remove NS
set -u
cmd=$1 srv=$2 ns=$3
case "$cmd" in
start)
	command -v ganesha.nfsd >/dev/null && command -v rpcbind >/dev/null &&
		command -v showmount >/dev/null || { echo "nfs-ganesha, rpcbind or showmount is missing"; exit 2; }
	mkdir -p "$srv/export" "$srv/recov"
	cat >"$srv/ganesha.conf" <<CONF
NFS_CORE_PARAM { Protocols = 3, 4; }
NFSV4 { Graceless = true; RecoveryRoot = "$srv/recov"; }
EXPORT {
  Export_Id = 1; Path = "$srv/export"; Pseudo = "$srv/export";
  Access_Type = RW; Squash = No_Root_Squash; Protocols = 3, 4;
  FSAL { Name = VFS; }
}
LOG { Default_Log_Level = WARN; }
CONF
	cat >"$srv/run.sh" <<RUN
mount -t tmpfs tmpfs /run
rpcbind -f -w & echo \$! >"$srv/rpcbind.pid"
for i in \$(seq 100); do [ -S /run/rpcbind.sock ] && break; sleep 0.05; done
exec ganesha.nfsd -F -f "$srv/ganesha.conf" -L "$srv/ganesha.log" -p "$srv/ganesha.pid"
RUN
	ip netns add "$ns" || exit 1
	ip netns exec "$ns" ip link set lo up
	ip netns exec "$ns" unshare -m --propagation private sh "$srv/run.sh" \
		>/dev/null 2>&1 </dev/null &
	echo $! >"$srv/unshare.pid"
	for ((i = 0; i < 150; i++)); do
		nsenter --net=/run/netns/"$ns" showmount --no-headers -e 127.0.0.1 \
			2>/dev/null | grep -q export && exit 0
		sleep 0.1
	done
	exit 1
	;;
stop)
	kill -9 $(cat "$srv/ganesha.pid" "$srv/rpcbind.pid" "$srv/unshare.pid" 2>/dev/null) 2>/dev/null
	ip netns del "$ns" 2>/dev/null
	exit 0
	;;
esac
