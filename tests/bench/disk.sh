#!/usr/bin/env bash
# Disk pool refresh of a gpt disk with 128 partitions, against
# `parted -m -s DEV unit B print free` (one process reading the same
# label) measured in the same run. Two ratios: cistern's refresh in
# process (the target: at least 5x faster than the parted process), and
# the whole `cistern vol-list` process (start-up, config, refresh, output).
set -u
: "${CISTERN:?}" "${BUILD:?}"
N=${N:-40}
T=$(mktemp -d /tmp/cistern-bench.XXXXXX)
LOOP=""
cleanup() {
	if [ -n "$LOOP" ]; then partx -d "$LOOP" 2>/dev/null; losetup -d "$LOOP"; fi
	rm -rf "$T"
}
trap cleanup EXIT

img="$T/disk.img"
truncate -s 160M "$img"
args=(mklabel gpt)
for i in $(seq 1 128); do args+=(mkpart "p$i" "${i}MiB" "$((i + 1))MiB"); done
parted -s "$img" "${args[@]}"
dev=$img
if [ "$(id -u)" -eq 0 ] && LOOP=$(losetup -f --show "$img" 2>/dev/null); then
	dev=$LOOP
	partx -a "$dev" 2>/dev/null
fi
echo "disk: $dev (gpt, 128 partitions), $N runs each"

# mean milliseconds of one run of "$@"
per_run_ms() {
	local t0 t1
	t0=$(date +%s%N)
	for ((i = 0; i < N; i++)); do "$@" >/dev/null 2>&1; done
	t1=$(date +%s%N)
	awk -v a="$t0" -v b="$t1" -v n="$N" 'BEGIN { printf "%.3f", (b - a) / n / 1e6 }'
}

parted -m -s "$dev" unit B print free >/dev/null   # warm the cache
parted_ms=$(per_run_ms parted -m -s "$dev" unit B print free)
read -r cold_us warm_us mean_us nvols <<<"$("$BUILD/tests/bench/disk_refresh" "$dev" "$N")"
ms() { awk -v u="$1" 'BEGIN { printf "%.3f", u / 1000 }'; }
refresh_ms=$(ms "$mean_us")

cfg="$T/cfg"
"$CISTERN" --config-dir "$cfg" pool-define-as bench disk --source-dev "$dev" \
	--source-format gpt --target /dev >/dev/null
"$CISTERN" --config-dir "$cfg" pool-start bench >/dev/null
listed=$("$CISTERN" --config-dir "$cfg" vol-list bench | grep -c -E 'p?[0-9]+ ')
vollist_ms=$(per_run_ms "$CISTERN" --config-dir "$cfg" vol-list bench)
"$CISTERN" --config-dir "$cfg" pool-destroy bench >/dev/null

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a / b }'; }
echo "parted -m -s DEV unit B print free: $parted_ms ms per run (baseline)"
echo "cistern refresh in process ($nvols volumes): $refresh_ms ms per refresh" \
	"over $N, $(ratio "$parted_ms" "$refresh_ms")x faster than parted"
echo "  first of the process: $(ms "$cold_us") ms ($(ratio "$parted_ms" "$(ms "$cold_us")")x)," \
	"later ones: $(ms "$warm_us") ms ($(ratio "$parted_ms" "$(ms "$warm_us")")x)"
echo "cistern vol-list process ($listed volumes): $vollist_ms ms per run," \
	"$(ratio "$parted_ms" "$vollist_ms")x against parted"
if awk -v p="$parted_ms" -v r="$refresh_ms" 'BEGIN { exit !(p >= 5 * r) }'; then
	echo "target: disk refresh in process at least 5x faster than parted met"
else
	echo "target: disk refresh in process at least 5x faster than parted MISSED"
fi
