#!/usr/bin/env bash
# cistern — run every benchmark (tests/bench/*.sh). Each prints its
# measurements as ratios against a baseline measured in the same run, and
# a line "target: ... met" or "target: ... MISSED".
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
: "${CISTERN:=$top/build/cistern}"
: "${BUILD:=$top/build}"
export CISTERN BUILD TOP="$top"
missed=0
for b in "$here"/*.sh; do
	[ "$(basename "$b")" = run.sh ] && continue
	echo "== $(basename "$b" .sh)"
	out=$(bash "$b" 2>&1)
	echo "$out"
	echo "$out" | grep -q 'MISSED' && missed=$((missed + 1))
done
echo
if [ "$missed" -gt 0 ]; then
	echo "benchmarks: $missed with a missed target"
else
	echo "benchmarks: every target met"
fi
