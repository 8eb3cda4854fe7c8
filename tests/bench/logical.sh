#!/usr/bin/env bash
# cistern — bench: refreshing a logical pool whose VG holds 500 LVs,
# beside one `lvs` process asking for the same fields, in the same run.
# Target: the refresh within 1.3x of that single lvs: one lvs and one
# vgs per refresh (run at the same time), never one command per volume.
# The 500 LVs come from one vgcfgrestore.
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/lvm.sh"

N=500 ROUNDS=21
lvm_init logical_bench 1G 1 || exit 0
VG=cistbn$$
vg_cleanup "$VG"
lvm_q vgcreate -q -s 1M "$VG" "${LVM_DEVS[0]}" >/dev/null
awk -v n=$N 'BEGIN {
	for (i = 0; i < n; i++) {
		printf "\t\tlv%04d {\n\t\t\tid = \"Bench1-aaaa-bbbb-cccc-dddd-eeee-%06d\"\n", i, i
		printf "\t\t\tstatus = [\"READ\", \"WRITE\", \"VISIBLE\"]\n\t\t\tflags = []\n"
		printf "\t\t\tsegment_count = 1\n\t\t\tsegment1 {\n\t\t\t\tstart_extent = 0\n"
		printf "\t\t\t\textent_count = 1\n\t\t\t\ttype = \"striped\"\n"
		printf "\t\t\t\tstripe_count = 1\n\t\t\t\tstripes = [\n\t\t\t\t\t\"pv0\", %d\n", i
		printf "\t\t\t\t]\n\t\t\t}\n\t\t}\n"
	} }' >"$T/lvs.txt"
lvm_restore_lvs "$VG" "$T/lvs.txt" || { echo "cannot restore $N LVs"; exit 1; }
cis pool-define-as bp logical --source-name "$VG" >/dev/null
cis pool-start bp >/dev/null || { echo "cannot start the pool"; exit 1; }
nvols=$(cis vol-list bp | awk 'NR > 2 && NF' | wc -l)
cmds=$(cis --verbose pool-refresh bp 2>&1 >/dev/null | awk '$1 == "+" { print $2 }' |
	sort | uniq -c | awk '{ printf "%s %s, ", $1, $2 }')
echo "volumes: $nvols; commands per refresh: ${cmds%, }"

# in process: pool_refresh against one lvs with the same fields, round
# by round through the same runner (the ratio of each round, so load
# from elsewhere hits both sides alike)
out=$("$BUILD/tests/bench/logical_refresh" "$CFG" bp $ROUNDS) || {
	echo "bench helper failed"; exit 1; }
rows=$(printf '%s\n' "$out" | awk 'NF == 3')
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
l=$(printf '%s\n' "$rows" | awk '{ print $2 }' | med)
f=$(printf '%s\n' "$rows" | awk '{ print $3 }' | med)
ratio=$(printf '%s\n' "$rows" | awk '{ printf "%.3f\n", $3 / $2 }' | med)
echo "one lvs (same fields): $(awk -v x="$l" 'BEGIN { printf "%.1f", x / 1000 }') ms (median of $ROUNDS)"
echo "refresh of $N LVs:     $(awk -v x="$f" 'BEGIN { printf "%.1f", x / 1000 }') ms (median of $ROUNDS)"
echo "ratio: $(awk -v x="$ratio" 'BEGIN { printf "%.2f", x }')x (median of the rounds' ratios)"

# for information: the whole command, process start and state file too
fields=$("$BUILD/tests/bench/logical_refresh" --fields)
cl=() cc=()
for ((r = 0; r < 7; r++)); do
	t=$(date +%s%N)
	lvs -a --reportformat json --units b --nosuffix -o "$fields" "$VG" >/dev/null 2>&1
	cl+=($(( ($(date +%s%N) - t) / 1000 )))
	t=$(date +%s%N)
	cis pool-refresh bp >/dev/null
	cc+=($(( ($(date +%s%N) - t) / 1000 )))
done
echo "for information, 'cistern pool-refresh' as a whole process:" \
	"$(awk -v a="$(printf '%s\n' "${cc[@]}" | med)" -v b="$(printf '%s\n' "${cl[@]}" | med)" \
	'BEGIN { printf "%.2fx", a / b }') of an lvs process"

if [ "$nvols" -eq "$N" ] && [ "${cmds%, }" = "1 lvs, 1 vgs" ] && awk -v x="$ratio" 'BEGIN { exit !(x <= 1.3) }'; then
	echo "target: refresh of $N LVs within 1.3x of one lvs met"
else
	echo "target: refresh of $N LVs within 1.3x of one lvs MISSED"
fi
