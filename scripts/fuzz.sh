#!/bin/sh
# cistern — run every libFuzzer harness (`make fuzz`).
#   sh scripts/fuzz.sh BUILDDIR SECONDS NAME...
# Each target starts from its seed corpus (tests/fuzz/corpus/NAME) and
# every crash ever found (tests/fuzz/regress/NAME); what it learns goes
# to BUILDDIR/corpus/NAME, crashes to BUILDDIR/crash/ (copy one into
# tests/fuzz/regress/NAME/ once fixed, so `make check` replays it).
set -u
dir=$1 secs=$2
shift 2
mkdir -p "$dir/crash"
# the library bug tests/asan.supp names (in libparted, before main)
export ASAN_OPTIONS="suppressions=$(pwd)/tests/asan.supp${ASAN_OPTIONS:+:$ASAN_OPTIONS}"
export LSAN_OPTIONS="suppressions=$(pwd)/tests/lsan.supp${LSAN_OPTIONS:+:$LSAN_OPTIONS}"
printf '%-10s %12s %10s %8s  %s\n' target executions "exec/s" seconds result
failed=0
for t in "$@"; do
	mkdir -p "$dir/corpus/$t"
	log="$dir/$t.log"
	# the longest input worth trying: a theme file or a command line is
	# short, and long ones only slow the run down
	case "$t" in
	theme|cli) max=2048 ;;
	*) max=8192 ;;
	esac
	start=$(date +%s)
	"$dir/bin/$t" -max_total_time="$secs" -print_final_stats=1 \
		-max_len="$max" -timeout=10 -rss_limit_mb=2048 \
		-artifact_prefix="$dir/crash/$t-" "$dir/corpus/$t" \
		"tests/fuzz/corpus/$t" \
		$( [ -d "tests/fuzz/regress/$t" ] && echo "tests/fuzz/regress/$t") \
		>"$log" 2>&1
	rc=$?
	end=$(date +%s)
	n=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
	if [ "$rc" -eq 0 ]; then
		res="no finding"
	else
		res="FOUND (see $log, $dir/crash/)"
		failed=$((failed + 1))
	fi
	printf '%-10s %12s %10s %8s  %s\n' "$t" "${n:-?}" "${rate:-?}" \
		"$((end - start))" "$res"
done
[ "$failed" -eq 0 ]
