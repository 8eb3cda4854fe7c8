#!/usr/bin/env bash
# cistern — bench: refreshing an rbd pool of 500 images (a real cluster,
# tests/lib/ceph.sh), beside one `rbd ls -l` process listing the same
# images with their sizes, in the same rounds. Target: the refresh at
# least 3x faster. Both open every image; cistern overlaps the opens.
. "$TOP/tests/lib/lib.sh"
. "$TOP/tests/lib/ceph.sh"

N=500 ROUNDS=7
on_exit ceph_stop
ceph_start >"$T/why" 2>&1 || { echo "skip: Ceph cannot start here: $(tail -1 "$T/why")"; exit 0; }
printf '%s\n' "$CEPH_KEY" >"$T/key"
cis secret-set-value bench --usage --file "$T/key" >/dev/null
rm -f "$T/key"
cis pool-define-as bp rbd --source-host 127.0.0.1 --source-port "$CEPH_PORT" \
	--source-name rbd --auth-type ceph --auth-username admin --secret-usage bench >/dev/null
cis pool-start bp >/dev/null || { echo "cannot start the pool"; exit 1; }
t=$(date +%s%N)
"$BUILD/tests/bench/rbd_refresh" "$CFG" bp --make $N || { echo "cannot make $N images"; exit 1; }
echo "made $N images in $(( ($(date +%s%N) - t) / 1000000 )) ms"

out=$("$BUILD/tests/bench/rbd_refresh" "$CFG" bp $ROUNDS "$CEPH_CONF") || {
	echo "bench helper failed"; exit 1; }
nvols=$(printf '%s\n' "$out" | awk '$1 == "volumes" { print $2 }')
rows=$(printf '%s\n' "$out" | awk 'NF == 3')
med() { sort -n | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'; }
l=$(printf '%s\n' "$rows" | awk '{ print $2 }' | med)
f=$(printf '%s\n' "$rows" | awk '{ print $3 }' | med)
ratio=$(printf '%s\n' "$rows" | awk '{ printf "%.3f\n", $2 / $3 }' | med)
echo "volumes: $nvols"
echo "one rbd ls -l:          $(awk -v x="$l" 'BEGIN { printf "%.1f", x / 1000 }') ms (median of $ROUNDS)"
echo "refresh of $N images: $(awk -v x="$f" 'BEGIN { printf "%.1f", x / 1000 }') ms (median of $ROUNDS)"
echo "ratio: $(awk -v x="$ratio" 'BEGIN { printf "%.2f", x }')x faster (median of the rounds' ratios)"
if [ "$nvols" = "$N" ] && awk -v x="$ratio" 'BEGIN { exit !(x >= 3) }'; then
	echo "target: refresh of $N images at least 3x faster than rbd ls -l met"
else
	echo "target: refresh of $N images at least 3x faster than rbd ls -l MISSED"
fi
