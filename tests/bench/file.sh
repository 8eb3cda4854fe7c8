#!/usr/bin/env bash
# cistern — file pool benchmarks, each against a baseline run in the same
# place, warm cache on both sides, the median of several runs:
#   refresh + list of a dir pool of 10,000 volumes (70% sparse raw, 30%
#     qcow2) against build/tests/lib/bench_readdir (readdir + fstatat +
#     open + pread 512 bytes + close per file), and cistern's peak memory;
#   clone of a 1 GiB file against `cp --reflink=auto`;
#   zero-wipe of a 1 GiB file against `dd if=/dev/zero` (both synced).
set -u
: "${CISTERN:?}" "${BUILD:?}"
B=$(mktemp -d /tmp/cistern-bench.XXXXXX)
# run-time state on tmpfs, where /run/cistern lives on a normal host (here
# /run is on the root disk, and every status write would wait for a
# journal commit)
RUN=$(mktemp -d /dev/shm/cistern-bench-run.XXXXXX)
trap 'rm -rf "$B" "$RUN"' EXIT
CFG=$B/cfg
cis() { "$CISTERN" --config-dir "$CFG" --run-dir "$RUN" "$@"; }
base=$BUILD/tests/lib/bench_readdir
for t in qemu-img /usr/bin/time; do
	command -v "$t" >/dev/null || { echo "skip: $t is not installed"; exit 0; }
done
[ -x "$base" ] || { echo "skip: $base is not built"; exit 0; }

. "$(dirname "$0")/../lib/bench.sh"

# ---- 10,000 volumes ----
P=$B/pool
mkdir -p "$P"
cis pool-define-as bench dir --target "$P" >/dev/null
cis pool-start bench >/dev/null
names=()
for i in $(seq -w 1 7000); do names+=("$P/raw$i.img"); done
truncate -s 10G "${names[@]}"
qemu-img create -q -f qcow2 -o cluster_size=4096 "$B/tmpl.qcow2" 20G
for b in 0 1 2 3 4 5; do
	q=()
	for i in $(seq -w $((b * 500 + 1)) $((b * 500 + 500))); do
		q+=("$P/disk$i.qcow2")
	done
	tee "${q[@]}" <"$B/tmpl.qcow2" >/dev/null
done
n=$(ls "$P" | wc -l)
echo "pool: $n volumes (7000 sparse raw, 3000 qcow2) in $P"
[ "$(cis vol-list bench --json | grep -c '"format": "qcow2"')" = 3000 ] ||
	echo "warning: cistern did not find 3000 qcow2 volumes"

# warm both, then alternate
"$base" "$P" >/dev/null
cis vol-list bench --details >/dev/null
ct=() bt=()
for r in 1 2 3 4 5 6 7; do
	t0=$(now); "$base" "$P" >/dev/null; t1=$(now)
	bt+=($(( (t1 - t0) / 1000 )))
	t0=$(now); cis vol-list bench --details >/dev/null; t1=$(now)
	ct+=($(( (t1 - t0) / 1000 )))
done
cm=$(median "${ct[@]}") bm=$(median "${bt[@]}")
rr=$(ratio "$cm" "$bm")
echo "refresh+list: cistern $((cm / 1000)) ms, baseline $((bm / 1000)) ms:" \
	"ratio $rr (median of 7)"
verdict "refresh+list within 1.5x of the baseline" \
	"$(awk -v r="$rr" 'BEGIN { print (r <= 1.5) }')"

# peak memory of the same run, and of an empty pool for reference
mem=$( { /usr/bin/time -f %M "$CISTERN" --config-dir "$CFG" --run-dir "$RUN" \
	vol-list bench --details >/dev/null; } 2>&1 | tail -1)
mkdir -p "$B/empty"
cis pool-define-as empty dir --target "$B/empty" >/dev/null
cis pool-start empty >/dev/null
mem0=$( { /usr/bin/time -f %M "$CISTERN" --config-dir "$CFG" --run-dir "$RUN" \
	vol-list empty --details >/dev/null; } 2>&1 | tail -1)
per=$(( mem * 1024 / n ))
echo "peak memory: $mem KiB for $n volumes = $per bytes per volume" \
	"(all of it, program included; an empty pool takes $mem0 KiB," \
	"so $(( (mem - mem0) * 1024 / n )) bytes per volume above that)"
verdict "peak memory under 2 KiB per volume" "$([ "$per" -lt 2048 ] && echo 1)"
rm -rf "$P"/*
cis pool-destroy bench >/dev/null

# ---- clone and zero-wipe of 1 GiB ----
# The clone is measured on an ext4 filesystem kept in RAM (an image in
# /dev/shm on a loop device): the root disk here is mounted with online
# discard, and its writeback makes any 1 GiB copy take 0.25 s or 1.1 s at
# random, whoever does it. Rounds alternate which side goes first.
FAST=""
if [ "$(id -u)" -eq 0 ] && command -v losetup >/dev/null && command -v mkfs.ext4 >/dev/null; then
	IMG=$(mktemp /dev/shm/cistern-bench-fs.XXXXXX)
	truncate -s 3G "$IMG"
	mkfs.ext4 -q -F "$IMG"
	LOOP=$(losetup -f --show "$IMG")
	mkdir -p "$B/fast"
	mount "$LOOP" "$B/fast"
	trap 'umount -l "$B/fast" 2>/dev/null; losetup -d "$LOOP" 2>/dev/null; rm -rf "$B" "$RUN" "$IMG"' EXIT
	FAST=$B/fast
	cis pool-define-as fast dir --target "$FAST" >/dev/null
	cis pool-start fast >/dev/null
fi
CP=${FAST:-$P}
CPOOL=bench
[ -n "$FAST" ] && CPOOL=fast
dd if=/dev/urandom of="$CP/big.raw" bs=1M count=1024 status=none
sync
cis pool-refresh "$CPOOL" >/dev/null 2>&1
# settle: the last copy removed and written back before the next
settle() { rm -f "$@"; sync; }
engine=$BUILD/tests/bench/clone_engine
ct=() bt=() pt=()
for r in $(seq 1 11); do
	# alternate which side goes first
	for side in $([ $((r % 2)) -eq 1 ] && echo "cp engine process" || echo "process engine cp"); do
		case $side in
		cp)
			t0=$(now); cp --reflink=auto "$CP/big.raw" "$CP/cp.raw"; t1=$(now)
			bt+=($(( (t1 - t0) / 1000 )))
			settle "$CP/cp.raw" ;;
		engine)
			us=$("$engine" "$CFG" "$RUN" "$CPOOL" big.raw copy.raw) || us=999999999
			ct+=("$us")
			settle "$CP/copy.raw" ;;
		process)
			t0=$(now); cis vol-clone --pool "$CPOOL" big.raw copy.raw >/dev/null; t1=$(now)
			pt+=($(( (t1 - t0) / 1000 )))
			settle "$CP/copy.raw" ;;
		esac
	done
done
cm=$(median "${ct[@]}") bm=$(median "${bt[@]}") pm=$(median "${pt[@]}")
echo "clone of 1 GiB: cistern's clone $((cm / 1000)) ms, cp --reflink=auto" \
	"$((bm / 1000)) ms: ratio $(ratio "$cm" "$bm") (median of 11, on" \
	"$(stat -f -c %T "$CP")${FAST:+ in RAM}: no reflink, both copy in the kernel)"
echo "  for information, 'cistern vol-clone' as a whole process: $((pm / 1000)) ms," \
	"ratio $(ratio "$pm" "$bm") (process start-up included)"
verdict "clone at least as fast as cp --reflink=auto" "$([ "$cm" -le "$bm" ] && echo 1)"
if [ -n "$FAST" ]; then
	rm -f "$CP/big.raw"
	cis pool-destroy fast >/dev/null
fi

dd if=/dev/urandom of="$P/big.raw" bs=1M count=1024 status=none
sync
cis pool-refresh bench >/dev/null 2>&1 || cis pool-start bench >/dev/null
cp "$P/big.raw" "$B/dd.raw"
sync
ct=() bt=()
for r in 1 2 3 4 5; do
	t0=$(now)
	dd if=/dev/zero of="$B/dd.raw" bs=1M count=1024 conv=notrunc,fdatasync status=none
	t1=$(now)
	bt+=($(( (t1 - t0) / 1000 )))
	t0=$(now); cis vol-wipe --pool bench big.raw >/dev/null; t1=$(now)
	ct+=($(( (t1 - t0) / 1000 )))
	# give the file its data back for the next round (not timed)
	tr '\0' '\377' </dev/zero | dd of="$P/big.raw" bs=1M count=1024 \
		iflag=fullblock conv=notrunc status=none
	sync
done
cm=$(median "${ct[@]}") bm=$(median "${bt[@]}")
echo "zero-wipe of 1 GiB: cistern $((cm / 1000)) ms, dd if=/dev/zero" \
	"(fdatasync) $((bm / 1000)) ms: ratio $(ratio "$cm" "$bm") (median of 5)"
verdict "zero-wipe at least as fast as dd" "$([ "$cm" -le "$bm" ] && echo 1)"
cis pool-destroy bench >/dev/null
cis pool-destroy empty >/dev/null
