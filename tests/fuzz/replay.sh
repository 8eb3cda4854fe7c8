#!/usr/bin/env bash
# The fuzz harnesses (tests/fuzz/targets/) replayed by a plain driver over
# their seed corpus and every crash ever found (tests/fuzz/regress/): a
# regression test of each, in seconds (`make fuzz` runs them for real).
. "$(dirname "$0")/../lib/lib.sh"
F="$TOP/tests/fuzz"
n=0
for src in "$F"/targets/*.c; do
	t=$(basename "$src" .c)
	bin="$BUILD/fuzz/$t"
	if [ ! -x "$bin" ]; then
		t_fail "fuzz replay $t" "$bin was not built"
		continue
	fi
	n=$((n + 1))
	if out=$("$bin" "$F/corpus/$t" "$F/regress/$t" 2>&1); then
		t_ok "fuzz replay $t: $(echo "$out" | tail -1)"
	else
		t_fail "fuzz replay $t" "$(echo "$out" | tail -3 | tr '\n' ' ')"
	fi
done
expect_eq "every harness has a seed corpus" \
	"$(ls -d "$F"/corpus/*/ | wc -l)" "$n"
