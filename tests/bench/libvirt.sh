#!/usr/bin/env bash
# cistern — `cistern -c URI vol-list POOL --details` of a 10,000-volume dir
# pool on a private libvirtd (tests/lib/libvirtd.sh) against
# `virsh -c URI vol-list POOL --details` on the same connection, the
# median of several alternating runs: over the unix socket, and over ssh
# (tests/lib/sshd.sh) when sshd is installed. virsh asks for one volume
# at a time; cistern keeps several requests in flight on its connection,
# and on the unix socket (a local URI) reads the files' sizes here once
# it has checked that it sees the daemon's files. The unix socket is
# measured twice: as cistern runs, and with CISTERN_LOCAL_READ=0 (one
# request per volume, as over ssh), the second for information.
set -u
: "${CISTERN:?}" "${TOP:?}"
for t in libvirtd virsh; do
	command -v "$t" >/dev/null || { echo "skip: $t is not installed"; exit 0; }
done
[ "$(id -u)" = 0 ] || { echo "skip: libvirtd needs root"; exit 0; }
B=$(mktemp -d /tmp/cistern-bench-lv.XXXXXX)
D=$B/daemon
cleanup() {
	declare -F sshd_kill >/dev/null && [ -e "$SSHD_DIR/pid" ] && sshd_kill
	bash "$TOP/tests/lib/libvirtd.sh" stop "$D"
	rm -rf "$B"
}
trap cleanup EXIT
if ! out=$(bash "$TOP/tests/lib/libvirtd.sh" start "$D"); then
	echo "skip: $out"; exit 0; fi
SOCK=$D/run/libvirt-sock
L="storage:///system?socket=$SOCK"

. "$(dirname "$0")/../lib/bench.sh"

# ---- 10,000 volumes, made in the directory, then a pool-refresh ----
P=$B/pool
mkdir -p "$P"
(cd "$P" && seq -w 1 10000 | sed 's/$/.img/' | xargs truncate -s 1G)
virsh -q -c "$L" pool-define-as bench dir --target "$P" >/dev/null
virsh -q -c "$L" pool-start bench >/dev/null
virsh -q -c "$L" pool-refresh bench >/dev/null
echo "pool: $(ls "$P" | wc -l) volumes (sparse raw) on a private libvirtd"

# libvirtd's CPU time so far (ms): what serving the requests costs it
LPID=$(cat "$D/run/libvirtd.pid" 2>/dev/null || cat "$D/pid")
daemon_cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '{ printf "%d", ($14 + $15) * 1000 / hz }' \
		"/proc/$LPID/stat"
}

# the whole machine's busy CPU time so far (ms): every process's, the
# transport's (ssh, sshd, nc) and the kernel's included; and the time
# the hypervisor gave its CPUs to others (steal)
machine_cpu_ms() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu / {
		printf "%d", ($2 + $3 + $4 + $7 + $8) * 1000 / hz }' /proc/stat
}
steal_ms() {
	awk -v hz="$(getconf CLK_TCK)" '/^cpu / { printf "%d", $9 * 1000 / hz }' \
		/proc/stat
}

# measure URI NAME TARGET(1|0) [VAR=VALUE...]: alternate virsh and
# cistern (run with the variables), 5 runs each; a target line when asked
measure() {
	local uri=$1 name=$2 target=$3 ct=() vt=() t0 t1 cm vm rr
	shift 3
	local cistern=(env "$@" "$CISTERN")
	if [ "$(timeout 120 "${cistern[@]}" -c "$uri" vol-list bench --details)" != \
	     "$(timeout 120 virsh -c "$uri" vol-list bench --details)" ]; then
		echo "warning: $name: cistern's list differs from virsh's"
	fi
	for r in 1 2 3 4 5; do
		t0=$(now); virsh -c "$uri" vol-list bench --details >/dev/null; t1=$(now)
		vt+=($(( (t1 - t0) / 1000 )))
		t0=$(now); "${cistern[@]}" -c "$uri" vol-list bench --details >/dev/null; t1=$(now)
		ct+=($(( (t1 - t0) / 1000 )))
	done
	cm=$(median "${ct[@]}") vm=$(median "${vt[@]}")
	rr=$(ratio "$vm" "$cm")
	echo "vol-list --details over $name: cistern $((cm / 1000)) ms," \
		"virsh $((vm / 1000)) ms: cistern ${rr}x faster (median of 5)"
	# the floor: libvirtd's own CPU per listing, spread over every CPU
	# of the machine, is the least time any client can take
	local c0 c1 v0 v1 ncpu m0 m1 t0 t1 s0 s1
	ncpu=$(nproc)
	s0=$(steal_ms); m0=$(machine_cpu_ms); t0=$(now)
	c0=$(daemon_cpu_ms); "${cistern[@]}" -c "$uri" vol-list bench --details >/dev/null
	c1=$(daemon_cpu_ms)
	t1=$(now); m1=$(machine_cpu_ms); s1=$(steal_ms)
	v0=$(daemon_cpu_ms); virsh -c "$uri" vol-list bench --details >/dev/null
	v1=$(daemon_cpu_ms)
	echo "  libvirtd's CPU per listing: $((c1 - c0)) ms for cistern's" \
		"requests, $((v1 - v0)) ms for virsh's; on $ncpu CPUs no client" \
		"lists in less than $(( (c1 - c0) / ncpu )) ms here, at most" \
		"$(ratio "$((vm / 1000))" "$(( (c1 - c0) / ncpu + 1 ))")x virsh"
	# and everything the listing made the machine do (the client, the
	# transport, the daemon): how busy its CPUs were meanwhile
	local wall=$(( (t1 - t0) / 1000000 ))
	echo "  the machine's CPU during cistern's listing: $((m1 - m0)) ms in" \
		"$wall ms on $ncpu CPUs ($(( (m1 - m0) * 100 / (wall * ncpu + 1) ))% busy;" \
		"$((s1 - s0)) ms stolen by the hypervisor)"
	[ "$target" = 1 ] || return 0
	verdict "vol-list --details over $name at least 5x faster than virsh" \
		"$(awk -v r="$rr" 'BEGIN { print (r >= 5) }')"
}

measure "$L" "the unix socket" 1
measure "$L" "the unix socket, a request per volume (CISTERN_LOCAL_READ=0)" 0 \
	CISTERN_LOCAL_READ=0

# ---- the full screen: the first screenful, volume names included ----
# (tests/bench/ptytime.c: start on an 80x24 pty, time until the first
# volume's name is on screen), the best of 3, against virsh's plain
# vol-list (names and paths) of the same pool, measured alongside
PT=${BUILD:-$TOP/build}/tests/bench/ptytime
first_screen() {   # URI -> ms
	local best="" f
	for r in 1 2 3; do
		f=$(env TERM=xterm-256color LANG=C.UTF-8 "$PT" "00001.img" "" -- \
			"$CISTERN" -c "$1" --no-mouse | awk '/^first_ms/ { print $2 }')
		if [ -z "$best" ] || awk -v a="$f" -v b="$best" 'BEGIN { exit !(a < b) }'; then
			best=$f
		fi
	done
	echo "$best"
}
if [ -x "$PT" ]; then
	fs=$(first_screen "$L")
	vl=()
	for r in 1 2 3; do
		t0=$(now); virsh -c "$L" vol-list bench >/dev/null; t1=$(now)
		vl+=($(( (t1 - t0) / 1000000 )))
	done
	vm=$(median "${vl[@]}")
	echo "first screenful over the unix socket, 10000 volumes: $fs ms;" \
		"virsh vol-list (names only) $vm ms: ratio $(ratio "$fs" "$vm")"
	verdict "first screenful over the unix socket within 200 ms" \
		"$(awk -v a="$fs" 'BEGIN { print (a < 200) }')"
else
	echo "target: first screenful within 200 ms MISSED (ptytime is not built)"
fi

if [ -x /usr/sbin/sshd ] && command -v nc >/dev/null; then
	. "$TOP/tests/lib/sshd.sh"
	sshd_setup "$B/ssh"
	if sshd_start; then
		measure "$(sshd_uri "$SOCK")" "ssh" 1
	else
		echo "skip: sshd did not start: $(tail -3 "$SSHD_DIR/sshd.log")"
	fi
else
	echo "skip (ssh): no sshd or nc"
fi
