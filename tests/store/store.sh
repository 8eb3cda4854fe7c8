#!/usr/bin/env bash
# The config store: a write killed at any point leaves the old or the new
# file, never a torn one; concurrent definitions lose nothing; broken files
# are skipped.
. "$(dirname "$0")/../lib/lib.sh"
W="$BUILD/tests/lib/store_writer"

# Two versions of one pool, large enough that a write takes a while.
la=$(head -c 60000 /dev/zero | tr '\0' a)
lb=$(head -c 60000 /dev/zero | tr '\0' b)
u=6b1c8c6e-54a1-4c8e-9a55-1d2e3f4a5b6c
for v in a b; do
	l=$la; [ $v = b ] && l=$lb
	cat >"$T/$v.xml" <<XML
<pool type='dir'><name>p</name><uuid>$u</uuid>
<target><path>/srv/p</path><permissions><label>$l</label></permissions></target></pool>
XML
done
mkdir -p "$CFG"
# the canonical bytes of each version, as the store writes them
"$CISTERN" --config-dir "$T/ca" pool-define "$T/a.xml" >/dev/null && cp "$T/ca/p.xml" "$T/canon-a"
"$CISTERN" --config-dir "$T/cb" pool-define "$T/b.xml" >/dev/null && cp "$T/cb/p.xml" "$T/canon-b"

# wait_defs OUT N PID: until the writer PID has reported (in OUT) N
# definitions on disk; at most 10 s, and not past its death. 0 when it has.
wait_defs() {
	local end=$((${EPOCHREALTIME/./} + 10000000)) lines=()
	while :; do
		mapfile -t lines <"$1"
		[ "${#lines[@]}" -ge "$2" ] && return 0
		[ -e "/proc/$3" ] && [ "${EPOCHREALTIME/./}" -lt "$end" ] || return 1
		sleep 0.005
	done
}

# a first writer runs long enough to have written the file
: >"$T/w.out"   # before the writer's shell opens it: wait_defs reads it
"$W" "$CFG" "$T/a.xml" "$T/b.xml" >>"$T/w.out" 2>/dev/null &
pid=$!
wait_defs "$T/w.out" 1 "$pid"
kill -9 "$pid"; wait "$pid" 2>/dev/null
torn=0 neither=0 seen_a=0 seen_b=0 kills=0 late=0
for i in $(seq 1 200); do
	: >"$T/w.out"
	"$W" "$CFG" "$T/a.xml" "$T/b.xml" >>"$T/w.out" 2>/dev/null &
	pid=$!
	# the kill lands 0-49 ms after the writer's first (A) or second (B)
	# definition is on disk, however long its start-up took (ASan)
	wait_defs "$T/w.out" $((1 + RANDOM % 2)) "$pid" || late=$((late + 1))
	sleep "0.0$((RANDOM % 5))$((RANDOM % 10))"
	kill -9 "$pid" 2>/dev/null && kills=$((kills + 1))
	wait "$pid" 2>/dev/null
	[ -e "$CFG/p.xml" ] || continue
	if cmp -s "$CFG/p.xml" "$T/canon-a"; then seen_a=$((seen_a + 1))
	elif cmp -s "$CFG/p.xml" "$T/canon-b"; then seen_b=$((seen_b + 1))
	else neither=$((neither + 1)); cp "$CFG/p.xml" "$T/torn.$i"; fi
done
expect_eq "200 writers killed with SIGKILL at random points" "$kills" "200"
expect_eq "each writer had its first definitions on disk before its kill" "$late" "0"
expect_eq "the file is always the old or the new version, never torn" "$neither" "0"
if [ "$seen_a" -gt 0 ] && [ "$seen_b" -gt 0 ]; then
	t_ok "both versions were seen after kills (the kills landed between writes: a=$seen_a b=$seen_b)"
else
	t_fail "both versions were seen after kills" "a=$seen_a b=$seen_b"
fi
check "the surviving file loads" cis pool-dumpxml p --inactive
# killed writers may leave temporary files; the next locked write removes them
ls -a "$CFG" | grep -c '^\.cistern-tmp-' >"$T/ntmp"
cis pool-autostart p >/dev/null
left=$(ls -a "$CFG" | grep -c '^\.cistern-tmp-')
expect_eq "stale temporary files are removed by the next write ($(cat "$T/ntmp") before)" "$left" "0"

# the real command line killed at random moments
bad=0
for i in $(seq 1 50); do
	v=a; [ $((i % 2)) = 0 ] && v=b
	"$CISTERN" --config-dir "$CFG" pool-define "$T/$v.xml" >/dev/null 2>&1 &
	pid=$!
	sleep "0.0$((RANDOM % 5))$((RANDOM % 10))"
	kill -9 "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	cmp -s "$CFG/p.xml" "$T/canon-a" || cmp -s "$CFG/p.xml" "$T/canon-b" || bad=$((bad + 1))
done
expect_eq "cistern pool-define killed 50 times never tears the file" "$bad" "0"
cis pool-undefine p >/dev/null

# two processes defining pools at once lose no definition
define_many() {
	for i in $(seq 1 40); do
		"$CISTERN" --config-dir "$CFG" pool-define-as "$1$i" dir --target "$T/t/$1$i" >/dev/null 2>>"$T/err.$1" ||
			echo "failed $1$i" >>"$T/err.$1"
	done
}
define_many x & define_many y & define_many z &
wait
n=$(ls "$CFG"/*.xml | wc -l)
expect_eq "three processes defining 40 pools each at once: 120 pools" "$n" "120"
expect_eq "no definition failed" "$(cat "$T"/err.* 2>/dev/null)" ""
expect_eq "every pool lists" "$(cis -q pool-list --all --name | wc -l)" "120"

# two processes racing for the same target: exactly one wins
for i in $(seq 1 10); do
	"$CISTERN" --config-dir "$CFG" pool-define-as "race$i-a" dir --target "$T/race$i" >/dev/null 2>&1 &
	"$CISTERN" --config-dir "$CFG" pool-define-as "race$i-b" dir --target "$T/race$i" >/dev/null 2>&1 &
done
wait
won=$(ls "$CFG"/race*.xml | wc -l)
expect_eq "racing definitions of the same target: exactly one of each pair wins" "$won" "10"

# broken files are reported and skipped; the rest loads
echo "<pool type='dir'><name>bad" >"$CFG/bad.xml"
echo "<pool type='dir'><name>other</name><target><path>/x</path></target></pool>" >"$CFG/mismatch.xml"
echo "not json" >"$CFG/run/x1.json"
out=$(cis pool-list --all --name 2>"$T/warn")
expect_match "a broken XML file is reported with its name" "$(cat "$T/warn")" "warning: $CFG/bad.xml: line [0-9]+: malformed XML"
expect_match "a file whose pool name differs from its file name is skipped" "$(cat "$T/warn")" \
	"mismatch.xml: pool name 'other' does not match the file name"
expect_match "a broken state file is reported" "$(cat "$T/warn")" "x1.json: broken state file"
expect_eq "the other pools still load" "$(echo "$out" | wc -l)" "130"

# writes are atomic on disk: the config file is never open for writing in place
check "config files are private (0600)" test "$(stat -c %a "$CFG/x1.xml")" = 600
