# cistern — a throw-away single-node Ceph cluster for the rbd tests.
#
#   . tests/lib/ceph.sh
#   ceph_start || { t_skip ...; exit 0; }   # sets CEPH_DIR CEPH_CONF CEPH_PORT
#   ...                                     #      CEPH_KEY (client.admin's)
#   ceph_stop                               # (also run from the EXIT trap)
#
# One monitor (msgr v2 on 127.0.0.1:CEPH_PORT, v1 on CEPH_PORT+1), one OSD
# on memstore (its data lives in RAM), cephx on, a pool "rbd". The ports
# are a random free range on loopback; the directory is short (/tmp/cephXXXX)
# because the daemons' admin sockets are unix sockets (107-byte paths).
# Takes about a second: paxos proposes every 0.1 s instead of every 1 s.
# Without a mgr the cluster's usage figures read 0; CEPH_MGR=1 starts one
# (package ceph-mgr) for tests that need them.

ceph_log() { echo "# ceph: $*"; }

# A free range of 40 ports on loopback (mon v2, v1, then the OSD's).
ceph_pick_port() {
	local p i busy
	for i in $(seq 1 30); do
		p=$((20000 + (RANDOM * 7 + i * 40) % 40000))
		busy=$(ss -Hltn | awk -v lo="$p" -v hi=$((p + 39)) \
			'{ n = split($4, a, ":"); if (a[n] >= lo && a[n] <= hi) print }')
		[ -z "$busy" ] && { echo "$p"; return 0; }
	done
	return 1
}

# Kill the daemons we started (by their pid files, checking each is ours).
ceph_kill() {
	local dir=${1:-$CEPH_DIR} n pid i
	[ -n "$dir" ] && [ -d "$dir/run" ] || return 0
	for n in osd.0 mgr.x mon.a; do
		[ -f "$dir/run/$n.pid" ] || continue
		pid=$(cat "$dir/run/$n.pid" 2>/dev/null)
		[ -n "$pid" ] || continue
		tr '\0' ' ' </proc/"$pid"/cmdline 2>/dev/null | grep -qF "$dir/ceph.conf" || continue
		kill -KILL "$pid" 2>/dev/null
		for i in $(seq 1 100); do
			[ -e /proc/"$pid" ] && [ "$(awk '{print $3}' /proc/"$pid"/stat 2>/dev/null)" != Z ] || break
			sleep 0.05
		done
	done
}

# ceph_spawn NAME CMD...: a daemon in the background, not a job of the
# test's shell (whose "Killed" notices would land in the test's output).
ceph_spawn() {
	local n=$1; shift
	( "$@" </dev/null >"$CEPH_DIR/log/$n.out" 2>&1 & echo $! >"$CEPH_DIR/run/$n.pid" )
}

ceph_stop() {
	[ -n "${CEPH_DIR:-}" ] || return 0
	ceph_kill "$CEPH_DIR"
	rm -rf "$CEPH_DIR"
	CEPH_DIR=
}

# Start the cluster; 1 with the reason on stdout when it cannot.
ceph_start() {
	local c k mid osd_uuid osd_key fsid
	for c in ceph-mon ceph-osd ceph ceph-authtool monmaptool rbd; do
		command -v "$c" >/dev/null || { echo "$c is not installed (make deps)"; return 1; }
	done
	CEPH_PORT=$(ceph_pick_port) || { echo "no free port range on loopback"; return 1; }
	CEPH_DIR=$(mktemp -d /tmp/cephXXXX)
	CEPH_CONF=$CEPH_DIR/ceph.conf
	local d=$CEPH_DIR p=$CEPH_PORT
	mkdir -p "$d"/{mon,osd/ceph-0,run,log}
	fsid=$(cat /proc/sys/kernel/random/uuid)
	cat >"$CEPH_CONF" <<EOF
[global]
fsid = $fsid
mon host = [v2:127.0.0.1:$p,v1:127.0.0.1:$((p + 1))]
auth cluster required = cephx
auth service required = cephx
auth client required = cephx
auth allow insecure global id reclaim = false
ms bind ipv6 = false
ms bind port min = $((p + 2))
ms bind port max = $((p + 39))
run dir = $d/run
admin socket = $d/run/\$name.asok
pid file = $d/run/\$name.pid
log file = $d/log/\$name.log
crash dir = $d/log
mon cluster log file = $d/log/cluster.log
osd pool default size = 1
osd pool default min size = 1
osd pool default pg autoscale mode = off
osd crush chooseleaf type = 0
mon allow pool size one = true
mon allow pool delete = true
mon warn on pool no redundancy = false
mon data avail warn = 2
mon data avail crit = 1
paxos propose interval = 0.1
[mon]
mon data = $d/mon/ceph-\$id
[mgr]
mgr data = $d/mgr
public addr = 127.0.0.1
mgr disabled modules = alerts balancer crash devicehealth influx insights iostat localpool mirroring nfs orchestrator osd_perf_query osd_support pg_autoscaler progress prometheus rbd_support restful selftest snap_schedule stats status telegraf telemetry test_orchestrator volumes zabbix diskprediction_local rook k8sevents cephadm dashboard
mgr stats period = 1
mgr tick period = 1
[osd]
osd data = $d/osd/ceph-\$id
osd objectstore = memstore
memstore device bytes = ${CEPH_MEMSTORE_BYTES:-1073741824}
public addr = 127.0.0.1
cluster addr = 127.0.0.1
osd op num shards = 1
osd op num threads per shard = 2
[client]
keyring = $d/keyring
log file = $d/log/client.log
admin socket =
EOF
	ceph-authtool "$d/mon.keyring" --create-keyring --gen-key -n mon. --cap mon 'allow *' >/dev/null &&
	ceph-authtool "$d/keyring" --create-keyring --gen-key -n client.admin \
		--cap mon 'allow *' --cap osd 'allow *' --cap mgr 'allow *' >/dev/null &&
	ceph-authtool "$d/mon.keyring" --import-keyring "$d/keyring" >/dev/null &&
	monmaptool --create --fsid "$fsid" --addv a "[v2:127.0.0.1:$p,v1:127.0.0.1:$((p + 1))]" \
		"$d/monmap" >/dev/null &&
	ceph-mon -c "$CEPH_CONF" --mkfs -i a --monmap "$d/monmap" \
		--keyring "$d/mon.keyring" >"$d/log/mkfs" 2>&1 ||
		{ echo "ceph-mon --mkfs failed: $(tail -1 "$d/log/mkfs")"; ceph_stop; return 1; }
	ceph_spawn mon.a ceph-mon -c "$CEPH_CONF" -i a -f
	osd_uuid=$(cat /proc/sys/kernel/random/uuid)
	osd_key=$(ceph-authtool --gen-print-key)
	printf '{"cephx_secret": "%s"}\n' "$osd_key" >"$d/osd/new.json"
	mid=$(timeout 30 ceph -c "$CEPH_CONF" osd new "$osd_uuid" -i "$d/osd/new.json" 2>"$d/log/osdnew") ||
		{ echo "the monitor did not answer: $(tail -1 "$d/log/osdnew")"; ceph_stop; return 1; }
	ceph-authtool "$d/osd/ceph-0/keyring" --create-keyring -n "osd.$mid" --add-key "$osd_key" >/dev/null
	ceph-osd -c "$CEPH_CONF" -i "$mid" --mkfs --osd-uuid "$osd_uuid" >"$d/log/osdmkfs" 2>&1 ||
		{ echo "ceph-osd --mkfs failed: $(tail -1 "$d/log/osdmkfs")"; ceph_stop; return 1; }
	ceph_spawn osd.0 ceph-osd -c "$CEPH_CONF" -i "$mid" -f
	if [ "${CEPH_MGR:-0}" = 1 ]; then
		mkdir -p "$d/mgr"
		timeout 30 ceph -c "$CEPH_CONF" auth get-or-create mgr.x mon 'allow profile mgr' \
			osd 'allow *' -o "$d/mgr/keyring" >/dev/null 2>&1 || { echo "mgr key failed"; ceph_stop; return 1; }
		ceph_spawn mgr.x ceph-mgr -c "$CEPH_CONF" -i x -f
	fi
	timeout 30 ceph -c "$CEPH_CONF" osd pool create rbd 8 8 >/dev/null 2>&1 &&
	timeout 60 rbd -c "$CEPH_CONF" pool init rbd ||
		{ echo "pool rbd could not be made (OSD not up?)"; ceph_stop; return 1; }
	k=$(ceph-authtool -p -n client.admin "$d/keyring") || { echo "no admin key"; ceph_stop; return 1; }
	CEPH_KEY=$k
	export CEPH_DIR CEPH_CONF CEPH_PORT CEPH_KEY
	return 0
}
