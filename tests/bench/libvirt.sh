#!/usr/bin/env bash
# cistern — `cistern -c URI vol-list POOL --details` of a 10,000-volume dir
# pool on a private libvirtd (tests/lib/libvirtd.sh) against
# `virsh -c URI vol-list POOL --details` on the same connection, the
# median of several alternating runs: over the unix socket, and over ssh
# (tests/lib/sshd.sh) when sshd is installed. virsh asks for one volume
# at a time; cistern keeps several requests in flight on its connection.
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

now() { date +%s%N; }
median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
verdict() {   # WHAT OK?
	if [ "$2" = 1 ]; then echo "target: $1 met"; else echo "target: $1 MISSED"; fi
}

# ---- 10,000 volumes, made in the directory, then a pool-refresh ----
P=$B/pool
mkdir -p "$P"
(cd "$P" && seq -w 1 10000 | sed 's/$/.img/' | xargs truncate -s 1G)
virsh -q -c "$L" pool-define-as bench dir --target "$P" >/dev/null
virsh -q -c "$L" pool-start bench >/dev/null
virsh -q -c "$L" pool-refresh bench >/dev/null
echo "pool: $(ls "$P" | wc -l) volumes (sparse raw) on a private libvirtd"

# measure URI NAME: alternate virsh and cistern, 5 runs each
measure() {
	local uri=$1 name=$2 ct=() vt=() t0 t1 cm vm rr
	if [ "$(timeout 120 "$CISTERN" -c "$uri" vol-list bench --details)" != \
	     "$(timeout 120 virsh -c "$uri" vol-list bench --details)" ]; then
		echo "warning: $name: cistern's list differs from virsh's"
	fi
	for r in 1 2 3 4 5; do
		t0=$(now); virsh -c "$uri" vol-list bench --details >/dev/null; t1=$(now)
		vt+=($(( (t1 - t0) / 1000 )))
		t0=$(now); "$CISTERN" -c "$uri" vol-list bench --details >/dev/null; t1=$(now)
		ct+=($(( (t1 - t0) / 1000 )))
	done
	cm=$(median "${ct[@]}") vm=$(median "${vt[@]}")
	rr=$(ratio "$vm" "$cm")
	echo "vol-list --details over $name: cistern $((cm / 1000)) ms," \
		"virsh $((vm / 1000)) ms: cistern ${rr}x faster (median of 5)"
	verdict "vol-list --details over $name at least 5x faster than virsh" \
		"$(awk -v r="$rr" 'BEGIN { print (r >= 5) }')"
}

measure "$L" "the unix socket"

if [ -x /usr/sbin/sshd ] && command -v nc >/dev/null; then
	. "$TOP/tests/lib/sshd.sh"
	sshd_setup "$B/ssh"
	if sshd_start; then
		measure "$(sshd_uri "$SOCK")" "ssh"
	else
		echo "skip: sshd did not start: $(tail -3 "$SSHD_DIR/sshd.log")"
	fi
else
	echo "skip (ssh): no sshd or nc"
fi
