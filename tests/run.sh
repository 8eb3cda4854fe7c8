#!/usr/bin/env bash
# cistern — run every test and count.
#
# A test is an executable (C binaries from tests/**/*.c, built into
# $BUILD/tests) or a script tests/*/*.sh (or *.exp). Each prints one line
# per case:  "ok NAME",  "not ok NAME: why",  "skip NAME: why".
# A test that exits non-zero without reporting a failure counts as one.
# The last line is "N passed, N failed, N skipped".
#
#   bash tests/run.sh [PATTERN...]   only tests whose path matches a pattern
set -u
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/.." && pwd)
: "${CISTERN:=$top/build/cistern}"
: "${BUILD:=$top/build}"
export CISTERN BUILD TOP="$top"
export LC_ALL=C.UTF-8

out="$top/tests/out"
rm -rf "$out"
mkdir -p "$out"

pass=0 fail=0 skip=0
failed_list=()

tests=()
for f in "$BUILD"/tests/unit/* "$BUILD"/tests/conformance/* \
	 "$BUILD"/tests/store/* "$BUILD"/tests/backends/* "$BUILD"/tests/fuzz/*; do
	[ -x "$f" ] && [ -f "$f" ] && tests+=("$f")
done
for f in "$top"/tests/cli/*.sh "$top"/tests/conformance/*.sh \
	 "$top"/tests/store/*.sh "$top"/tests/backends/*.sh \
	 "$top"/tests/tui/*.sh "$top"/tests/tui/*.exp "$top"/tests/fuzz/*.sh \
	 "$top"/tests/interop/*.sh "$top"/tests/libvirt/*.sh; do
	[ -f "$f" ] && tests+=("$f")
done

selected() {
	[ $# -le 1 ] && return 0
	local t=$1; shift
	for p in "$@"; do
		case "$t" in *"$p"*) return 0 ;; esac
	done
	return 1
}

start_all=$(date +%s)
for t in "${tests[@]}"; do
	selected "$t" "$@" || continue
	name=${t#"$BUILD"/tests/}
	name=${name#"$top"/tests/}
	log="$out/$(echo "$name" | tr '/' '_').log"
	t0=$(date +%s.%N)
	case "$t" in
	*.sh) timeout -k 10 600 bash "$t" >"$log" 2>&1 ;;
	*.exp) timeout -k 10 600 expect "$t" >"$log" 2>&1 ;;
	*) timeout -k 10 600 "$t" >"$log" 2>&1 ;;
	esac
	rc=$?
	t1=$(date +%s.%N)
	np=$(grep -c '^ok ' "$log")
	nf=$(grep -c '^not ok ' "$log")
	ns=$(grep -c '^skip ' "$log")
	if [ "$rc" -ne 0 ] && [ "$nf" -eq 0 ]; then
		echo "not ok $name: exited with status $rc" >>"$log"
		nf=$((nf + 1))
	fi
	pass=$((pass + np)); fail=$((fail + nf)); skip=$((skip + ns))
	printf '%-44s %4d ok %3d failed %3d skipped  %6.1fs\n' "$name" "$np" "$nf" "$ns" \
		"$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')"
	grep -E '^(not ok|skip) ' "$log" | sed 's/^/    /'
	[ "$nf" -gt 0 ] && failed_list+=("$log")
done
end_all=$(date +%s)

if [ ${#failed_list[@]} -gt 0 ]; then
	echo
	echo "Logs of failing tests:"
	for l in "${failed_list[@]}"; do echo "  $l"; done
fi
echo "total time: $((end_all - start_all)) s"
if [ "$skip" -gt 0 ]; then
	echo "$pass passed, $fail failed, $skip skipped"
else
	echo "$pass passed, $fail failed"
fi
[ "$fail" -eq 0 ]
