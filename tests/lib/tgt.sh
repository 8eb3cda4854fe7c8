# cistern — a private iSCSI target (tgtd) for tests. Source after lib.sh.
#
#   tgt_start                 tgtd on 127.0.0.1:$TGT_PORT (a free port) with a
#                             private control port $TGT_CTL; stopped at exit
#   tgt_target TID IQN        a target, open to every initiator
#   tgt_lun TID LUN FILE      a LUN backed by FILE
#   tgt_chap TID USER SECRET  CHAP on a target
#   tgt_closed_port           a port nothing listens on
#
# tgtd ignores SIGTERM: it is stopped by deleting its targets (--force)
# and then the system (--op delete --mode system), by PID as a last resort.

TGT_PORT= TGT_CTL= TGT_PID= TGT_TIDS=
_tgt_rundir_made=

_port_free() { ! ss -Hltn "sport = :$1" 2>/dev/null | grep -q .; }

tgt_start() {
	local try port ctl pid i
	[ -d /var/run/tgtd ] || _tgt_rundir_made=1
	for try in 1 2 3 4 5 6 7 8; do
		port=$((20000 + RANDOM % 30000))
		ctl=$((1000 + RANDOM % 30000))
		_port_free "$port" || continue
		[ -e "/var/run/tgtd/socket.$ctl" ] && continue
		tgtd -f -C "$ctl" --iscsi "portal=127.0.0.1:$port" \
			>"$T/tgtd.$ctl.log" 2>&1 &
		pid=$!
		for i in $(seq 1 100); do
			kill -0 "$pid" 2>/dev/null || break
			if tgtadm -C "$ctl" --op show --mode sys >/dev/null 2>&1 &&
			   ! _port_free "$port"; then
				TGT_PORT=$port TGT_CTL=$ctl TGT_PID=$pid
				on_exit tgt_stop
				return 0
			fi
			sleep 0.05
		done
		kill -9 "$pid" 2>/dev/null
		wait "$pid" 2>/dev/null
	done
	echo "tgtd did not start: $(cat "$T"/tgtd.*.log 2>/dev/null)" >&2
	return 1
}

tgt_stop() {
	local tid i
	[ -n "$TGT_PID" ] || return 0
	for tid in $TGT_TIDS; do
		tgtadm -C "$TGT_CTL" --lld iscsi --op delete --mode target \
			--tid "$tid" --force >/dev/null 2>&1
	done
	tgtadm -C "$TGT_CTL" --op delete --mode system >/dev/null 2>&1
	for i in $(seq 1 100); do
		kill -0 "$TGT_PID" 2>/dev/null || break
		sleep 0.05
	done
	kill -9 "$TGT_PID" 2>/dev/null
	wait "$TGT_PID" 2>/dev/null
	rm -f "/var/run/tgtd/socket.$TGT_CTL" "/var/run/tgtd/socket.$TGT_CTL.lock"
	[ -n "$_tgt_rundir_made" ] && rmdir /var/run/tgtd 2>/dev/null
	TGT_PID=
}

tgt_target() {
	tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode target --tid "$1" \
		-T "$2" &&
	tgtadm -C "$TGT_CTL" --lld iscsi --op bind --mode target --tid "$1" \
		-I ALL && TGT_TIDS="$TGT_TIDS $1"
}

tgt_lun() {
	tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode logicalunit \
		--tid "$1" --lun "$2" --backing-store "$3"
}

tgt_chap() {
	tgtadm -C "$TGT_CTL" --lld iscsi --op new --mode account --user "$2" \
		--password "$3" &&
	tgtadm -C "$TGT_CTL" --lld iscsi --op bind --mode account --tid "$1" \
		--user "$2"
}

tgt_closed_port() {
	local p=$((TGT_PORT + 1))
	while ! _port_free "$p"; do p=$((p + 1)); done
	echo "$p"
}
