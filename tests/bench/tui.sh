#!/usr/bin/env bash
# cistern — the interface's speed with 10,000 volumes in the selected
# pool: the first screen (target 100 ms) and keystroke to updated screen
# (target 10 ms), measured through a pty by tests/bench/ptytime.c, each as
# a ratio against the same measurement with a 10-volume pool (the
# baseline, same run) and against the target.
set -u
: "${CISTERN:?}" "${BUILD:?}"
T=$(mktemp -d /tmp/cistern-bench.XXXXXX)
trap 'rm -rf "$T"' EXIT
PT="$BUILD/tests/bench/ptytime"
[ -x "$PT" ] || { echo "ptytime is not built"; echo "target: interface speed MISSED (no harness)"; exit 0; }

setup() {   # setup DIR COUNT
	mkdir -p "$1/vols"
	"$CISTERN" --config-dir "$1/cfg" pool-define-as big dir --target "$1/vols" >/dev/null
	"$CISTERN" --config-dir "$1/cfg" pool-start big >/dev/null
	(cd "$1/vols" && seq -f "vol%05g.img" 1 "$2" | xargs touch)
}
setup "$T/base" 10
setup "$T/big" 10000

keys=$(printf '\tjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjGgkkjj/999\177\177\177\rjjjjjjjjjj')
run() {   # run DIR -> "first median p95 max" (best first-screen of 3 runs)
	local best="" out
	for i in 1 2 3; do
		out=$(env TERM=xterm-256color LANG=C.UTF-8 "$PT" "every key" "$keys" -- \
			"$CISTERN" --config-dir "$1/cfg" --no-mouse)
		f=$(echo "$out" | awk '/^first_ms/ {print $2}')
		if [ -z "$best" ] || awk -v a="$f" -v b="${best%% *}" 'BEGIN{exit !(a<b)}'; then
			best="$f $(echo "$out" | awk '/^key_ms_median/ {m=$2} /^key_ms_p95/ {p=$2} /^key_ms_max/ {x=$2} END {print m, p, x}')"
		fi
	done
	echo "$best"
}
read -r bf bm bp bx <<<"$(run "$T/base")"
read -r f m p x <<<"$(run "$T/big")"
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
echo "first screen, 10000 volumes: $f ms; baseline (10 volumes) $bf ms: ratio $(ratio "$f" "$bf"); vs the 100 ms target: ratio $(ratio "$f" 100)"
echo "keystroke to screen, 10000 volumes: median $m ms, p95 $p ms, max $x ms; baseline median $bm ms: ratio $(ratio "$m" "$bm"); p95 vs the 10 ms target: ratio $(ratio "$p" 10)"
if awk -v a="$f" 'BEGIN{exit !(a < 100)}'; then
	echo "target: first screen within 100 ms with 10000 volumes met"
else
	echo "target: first screen within 100 ms with 10000 volumes MISSED"
fi
if awk -v a="$p" 'BEGIN{exit !(a < 10)}'; then
	echo "target: keystroke to updated screen under 10 ms (p95) with 10000 volumes met"
else
	echo "target: keystroke to updated screen under 10 ms (p95) with 10000 volumes MISSED"
fi
