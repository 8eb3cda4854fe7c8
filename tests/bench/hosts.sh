#!/usr/bin/env bash
# cistern — several hosts in one screen (CONFIG/hosts): this machine (a
# dir pool of 2,500 files in the test's config dir) plus three private
# libvirtds (tests/lib/libvirtd.sh), each with a dir pool of 2,500 files,
# measured through a pty by tests/bench/ptytime.c:
#  - the first screen, with all four hosts in the hosts file: from exec
#    to the screen showing the first host's pool and its first volume's
#    name (target 300 ms), against the same screen with this machine
#    only (the baseline, same run);
#  - keystroke to updated screen while hosts cannot answer (target p95
#    10 ms): a fifth libvirtd stopped with SIGSTOP (its socket accepts,
#    nothing answers: the connection hangs until CISTERN_CONNECT_TIMEOUT)
#    and a TCP URI to a closed port (refused: lost, retried with the
#    backoff), against the same keys with the four reachable hosts only.
#    The keys: j/k through the volumes, then ] and [ onto and off every
#    host, the unreachable ones included.
# Every daemon it starts is stopped on the way out, failure or not.
set -u
: "${CISTERN:?}" "${TOP:?}"
BUILD=${BUILD:-$TOP/build}
for t in libvirtd virsh; do
	command -v "$t" >/dev/null || { echo "skip: $t is not installed"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "skip: libvirtd needs root"; exit 0; }
PT=$BUILD/tests/bench/ptytime
[ -x "$PT" ] || { echo "ptytime is not built"; echo "target: several hosts MISSED (no harness)"; exit 0; }
. "$(dirname "$0")/../lib/bench.sh"

NVOL=2500
B=$(mktemp -d /tmp/cistern-bench-hosts.XXXXXX)
DAEMONS="h1 h2 h3 dead"
cleanup() {
	# a stopped libvirtd takes no SIGTERM until it runs again
	[ -e "$B/dead/pid" ] && kill -CONT $(cat "$B/dead/pid" "$B/dead/run/libvirtd.pid" 2>/dev/null) 2>/dev/null
	for d in $DAEMONS; do
		[ -d "$B/$d" ] && bash "$TOP/tests/lib/libvirtd.sh" stop "$B/$d"
	done
	rm -rf "$B"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# the files of a pool: sparse, made at once
files() {   # DIR PREFIX
	mkdir -p "$1"
	(cd "$1" && seq -f "$2%04g.img" 1 "$NVOL" | xargs truncate -s 1G)
}

# ---- this machine: a dir pool in the test's config dir ----
CFG=$B/cfg
files "$B/local" l
"$CISTERN" --config-dir "$CFG" pool-define-as here dir --target "$B/local" >/dev/null
"$CISTERN" --config-dir "$CFG" pool-start here >/dev/null

# ---- three libvirtds, a pool of 2,500 files each; one more, stopped ----
for d in $DAEMONS; do
	if ! out=$(bash "$TOP/tests/lib/libvirtd.sh" start "$B/$d"); then
		echo "skip: $out"; exit 0
	fi
	eval "U_$d='storage:///system?socket=$B/$d/run/libvirt-sock'"
done
for d in h1 h2 h3; do
	eval "u=\$U_$d"
	files "$B/p$d" "$d-"
	virsh -q -c "$u" pool-define-as "p$d" dir --target "$B/p$d" >/dev/null
	virsh -q -c "$u" pool-start "p$d" >/dev/null
	virsh -q -c "$u" pool-refresh "p$d" >/dev/null
done
kill -STOP $(cat "$B/dead/pid" "$B/dead/run/libvirtd.pid" 2>/dev/null | sort -u)
# a loopback port nothing listens on
port=
for p in $(seq 47000 47100); do
	ss -Hltn "sport = :$p" | grep -q . || { port=$p; break; }
done
echo "hosts: this machine + 3 libvirtds (unix sockets), $NVOL sparse files" \
	"in a dir pool on each; unreachable: a libvirtd under SIGSTOP and" \
	"storage+tcp://127.0.0.1:$port (closed)"

write_hosts() {   # unreachable too? (0/1)
	{
		echo "kvm-1 = $U_h1"
		echo "kvm-2 = $U_h2"
		echo "kvm-3 = $U_h3"
		if [ "$1" = 1 ]; then
			echo "stopped = $U_dead"
			echo "refused = storage+tcp://127.0.0.1:$port/system"
		fi
	} >"$CFG/hosts"
}

screen() {   # MARKER KEYS [ENV...] -> ptytime's output
	local m=$1 k=$2
	shift 2
	env TERM=xterm-256color LANG=C.UTF-8 "$@" "$PT" "$m" "$k" -- \
		"$CISTERN" --config-dir "$CFG" --no-mouse
}

# ---- the first screen: the first host's pool and first volume ----
first() {   # -> median ms of 5
	local v=() f
	for r in 1 2 3 4 5; do
		f=$(screen "l0001.img" "" | awk '/^first_ms/ { print $2 }')
		v+=("${f:-99999}")
	done
	median "${v[@]}"
}
rm -f "$CFG/hosts"
b1=$(first)
write_hosts 0
f4=$(first)
echo "first screen, 4 hosts x $NVOL volumes: $f4 ms (median of 5);" \
	"baseline (this machine only) $b1 ms: ratio $(ratio "$f4" "$b1");" \
	"vs the 300 ms target: ratio $(ratio "$f4" 300)"
verdict "first screen with 4 hosts x $NVOL volumes within 300 ms" \
	"$(awk -v a="$f4" 'BEGIN { print (a < 300) }')"

# ---- keystrokes while hosts cannot answer ----
# l: the volumes pane; j/k among the volumes; h: the pools pane; ] and [
# from host to host, onto and off the unreachable ones (the last two)
jk=$(printf 'j%.0s' $(seq 150); printf 'k%.0s' $(seq 100))
keys() {   # HOPS -> "p95 median max silent switch_p95 switch_max"
	local out
	out=$(screen "l0001.img" "l${jk}h$1" PTYTIME_SETTLE_MS=3000 \
		PTYTIME_EACH=1 CISTERN_CONNECT_TIMEOUT=120)
	[ -n "${HOSTS_KEYS_LOG:-}" ] && echo "$out" >>"$HOSTS_KEYS_LOG"
	echo "$out" | awk '
		/^key_ms_p95/ { p = $2 } /^key_ms_median/ { m = $2 }
		/^key_ms_max/ { x = $2 } /^keys_silent/ { s = $2 }
		/^key / && ($3 == 91 || $3 == 93) { sw[n++] = $4 }
		END {
			for (i = 0; i < n; i++)     # in order
				for (j = i + 1; j < n; j++)
					if (sw[j] < sw[i]) { t = sw[i]; sw[i] = sw[j]; sw[j] = t }
			print p, m, x, s, sw[int(n * 95 / 100)], sw[n - 1] }'
}
hops() {   # HOSTS ROUNDS: ] to the last host and [ back, ROUNDS times
	local r
	for ((r = 0; r < $2; r++)); do
		printf ']%.0s' $(seq "$1"); printf '[%.0s' $(seq "$1")
	done
}
write_hosts 0
read -r bp bm bx bs bsp bsx <<<"$(keys "$(hops 3 7)")"
write_hosts 1
read -r p m x s sp sx <<<"$(keys "$(hops 5 4)")"
echo "keystroke to screen, $((${#jk} + 2)) j/k and 40 ] and [, 2 hosts" \
	"unreachable: p95 $p ms, median $m ms, max $x ms, $s without an" \
	"answer; baseline (every host answers, 42 ] and [): p95 $bp ms," \
	"median $bm ms, max $bx ms, $bs without: p95 ratio $(ratio "$p" "$bp");" \
	"vs the 10 ms target: ratio $(ratio "$p" 10)"
echo "switching hosts (] and [ only): p95 $sp ms, max $sx ms; baseline" \
	"p95 $bsp ms, max $bsx ms: p95 ratio $(ratio "$sp" "$bsp"); vs the" \
	"10 ms target: ratio $(ratio "$sp" 10)"
verdict "keystroke to updated screen under 10 ms (p95) while a host is unreachable" \
	"$(awk -v a="$p" -v s="$s" 'BEGIN { print (a != "" && a < 10 && s == 0) }')"
verdict "switching hosts ([ and ]) under 10 ms (p95) while a host is unreachable" \
	"$(awk -v a="$sp" 'BEGIN { print (a != "" && a < 10) }')"
