#!/usr/bin/env bash
# cistern — rbd pools when the cluster is gone, frozen or refuses the key:
# every wait is bounded and ends in a clear one-line error, the screen
# stays usable meanwhile, and the key shows nowhere. The cluster is real
# (tests/lib/ceph.sh); "frozen" is SIGSTOP on its daemons. The slow cases
# run side by side so the test takes about one timeout.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ceph.sh"

need_cmd rbd ceph-mon ceph-osd ss tmux || exit 0
on_exit ceph_stop
ceph_start >"$T/why" 2>&1 || { t_skip "rbd cluster" "Ceph cannot start here: $(tail -1 "$T/why")"; exit 0; }
export CISTERN_RUN_DIR=$T/run
MON=$(cat "$CEPH_DIR/run/mon.a.pid")
OSD=$(cat "$CEPH_DIR/run/osd.0.pid")
on_exit "kill -CONT $MON $OSD"

printf '%s\n' "$CEPH_KEY" >"$T/key"
cis secret-set-value cephadm --usage --file "$T/key" >/dev/null
WRONG=$(ceph-authtool --gen-print-key)
printf '%s\n' "$WRONG" >"$T/key"
cis secret-set-value wrongkey --usage --file "$T/key" >/dev/null
printf 'not-a-key\n' >"$T/key"
cis secret-set-value junk --usage --file "$T/key" >/dev/null
rm -f "$T/key"

# pool NAME PORT SECRET [OPTION=VALUE...]
pool() {
	local name=$1 port=$2 secret=$3 o; shift 3
	{
		echo "<pool type='rbd' xmlns:rbd='http://libvirt.org/schemas/storagepool/rbd/1.0'>"
		echo "  <name>$name</name><source><name>rbd</name>"
		echo "  <host name='127.0.0.1' port='$port'/>"
		echo "  <auth type='ceph' username='admin'><secret usage='$secret'/></auth></source>"
		echo "  <rbd:config_opts>"
		for o in "$@"; do echo "    <rbd:option name='${o%%=*}' value='${o#*=}'/>"; done
		echo "  </rbd:config_opts></pool>"
	} >"$T/$name.xml"
	cis pool-define "$T/$name.xml" >/dev/null
}
# a port nobody listens on
DEAD=$(ceph_pick_port)
pool good "$CEPH_PORT" cephadm
pool quick "$CEPH_PORT" cephadm client_mount_timeout=3 rados_osd_op_timeout=3 rados_mon_op_timeout=3
pool dead "$DEAD" cephadm
pool wrong "$CEPH_PORT" wrongkey client_mount_timeout=3
pool junk "$CEPH_PORT" junk
cis pool-start good >/dev/null
cis pool-start quick >/dev/null
rbd -c "$CEPH_CONF" create --size 4M rbd/img1

# timed NAME CMD...: run in the background, keep output and seconds
timed() {
	local name=$1; shift
	( s=$(date +%s%N); "$CISTERN" --config-dir "$CFG" "$@" >"$T/$name.out" 2>"$T/$name.err"
	  rc=$?; echo "$rc $(( ($(date +%s%N) - s) / 1000000 ))" >"$T/$name.rc" ) &
}
secs() { awk '{printf "%.1f", $2 / 1000}' "$T/$1.rc"; }
within() { awk -v t="$(secs "$1")" -v lo="$2" -v hi="$3" 'BEGIN { exit !(t >= lo && t <= hi) }'; }

# the monitors are unreachable (default timeouts): in the background
timed dead pool-start dead

# a malformed key never reaches librados (it would print it)
cis pool-start junk >"$T/junk.out" 2>&1
expect_eq "a stored key that is not a cephx key is refused at once" "$(cat "$T/junk.out")" \
	"error: pool 'junk': the stored cephx key of user 'admin' is not a cephx key (base64, as \`ceph auth get-key\` prints it)"

# a wrong key: the monitor refuses, cistern says so
timed wrong pool-start wrong
wait_rc() { local i; for i in $(seq 1 300); do [ -f "$T/$1.rc" ] && return 0; sleep 0.05; done; return 1; }
wait_rc wrong
expect_eq "a wrong cephx key is a clear auth error" "$(cat "$T/wrong.err")" \
	"error: pool 'wrong': the Ceph monitors at 127.0.0.1:$CEPH_PORT refused user 'client.admin': wrong cephx key, unknown user, or no permission"
if within wrong 2 6; then t_ok "the auth error comes within the pool's client_mount_timeout (3 s)"; else
	t_fail "the auth error comes within the pool's client_mount_timeout (3 s)" "$(secs wrong) s"; fi

# the OSD freezes: a refresh fails after the operation timeout
kill -STOP "$OSD"
s=$(date +%s)
cis pool-refresh quick >"$T/frozen.out" 2>&1
el=$(( $(date +%s) - s ))
expect_match "a frozen OSD: refresh fails with a clear timeout" "$(cat "$T/frozen.out")" \
	"^error: pool 'quick': .*the Ceph cluster did not answer: timed out after 3 s$"
if [ "$el" -le 8 ]; then t_ok "a frozen OSD: the error comes within the timeout ($el s)"; else
	t_fail "a frozen OSD: the error comes within the timeout" "$el s"; fi

# the monitors freeze too, while the screen shows the pool: F5 must not
# block it, and the error must reach it
kill -STOP "$MON"
S=$T/tmux.sock
tmux -S "$S" -f /dev/null new-session -d -x 100 -y 30 \
	"CISTERN_RUN_DIR=$T/run $CISTERN --config-dir $CFG"
on_exit "tmux -S $S kill-server"
screen() { tmux -S "$S" capture-pane -p; }
wait_screen() { local i; for i in $(seq 1 "$2"); do screen | grep -qE -- "$1" && return 0; sleep 0.1; done; return 1; }
wait_screen "Pools \\(5\\)" 50 || t_fail "screen up" "$(screen | head -5)"
tmux -S "$S" send-keys -t 0 Home
for i in $(seq 1 10); do screen | grep -q "^▸quick" && break; tmux -S "$S" send-keys Down; sleep 0.1; done
tmux -S "$S" send-keys F5
sleep 0.3
tmux -S "$S" send-keys Down
if wait_screen "^▸wrong" 20; then t_ok "while the cluster is frozen, the screen still answers keys"; else
	t_fail "while the cluster is frozen, the screen still answers keys" "$(screen | head -8)"; fi
tmux -S "$S" send-keys Up
if wait_screen "cannot reach the Ceph monitors at 127.0.0.1:$CEPH_PORT: timed out after 3 s" 80; then
	t_ok "the frozen monitors' error reaches the screen"
else t_fail "the frozen monitors' error reaches the screen" "$(screen | grep -i -E 'error|pool' | head -5)"; fi
expect_match "the pool is shown inaccessible" "$(screen | grep -E "^.quick " | head -1)" "quick +rbd +✗ inaccess"
kill -CONT "$MON" "$OSD"

wait_rc dead
expect_eq "unreachable monitors: the clear error" "$(cat "$T/dead.err")" \
	"error: pool 'dead': cannot reach the Ceph monitors at 127.0.0.1:$DEAD: timed out after 10 s"
if within dead 9 13; then t_ok "unreachable monitors: it gives up after 10 s"; else
	t_fail "unreachable monitors: it gives up after 10 s" "$(secs dead) s"; fi

# after SIGCONT all is well again
check "the thawed cluster refreshes again" cis pool-refresh good
leaks=$( { cat "$T"/*.out "$T"/*.err; screen; find "$CFG" "$T/run" -path "$CFG/secrets" -prune -o -type f -print0 |
	xargs -0 cat; } | grep -c -F -e "$CEPH_KEY" -e "$WRONG" -e "not-a-key")
expect_eq "no key in any error, screen, XML or state file" "$leaks" 0
