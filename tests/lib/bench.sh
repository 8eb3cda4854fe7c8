# cistern — what the benchmarks (tests/bench/*.sh) share: a clock, the
# median of runs, a ratio, and the "target: ... met|MISSED" line that
# tests/bench/run.sh counts.
now() { date +%s%N; }
# median of the arguments
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() {   # WHAT OK?
	if [ "$2" = 1 ]; then echo "target: $1 met"; else echo "target: $1 MISSED"; fi
}
