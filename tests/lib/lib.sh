# cistern — helpers for shell tests. Source it first:
#   . "$(dirname "$0")/../lib/lib.sh"
# Every case prints "ok NAME", "not ok NAME: why" or "skip NAME: why".
set -u
: "${CISTERN:?CISTERN must point at the cistern binary}"
: "${TOP:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
# the copy in tests/ (it has the rbd files), else the shared peer data
PEER="$TOP/tests/peer/libvirt"
[ -d "$PEER" ] || PEER="$TOP/../shared/peer/libvirt"
export PEER

T=$(mktemp -d /tmp/cistern-test.XXXXXX)
CFG="$T/cfg"
_cleanups=()
t_cleanup() {
	local i d
	for ((i = ${#_cleanups[@]} - 1; i >= 0; i--)); do
		eval "${_cleanups[$i]}" >/dev/null 2>&1 || true
	done
	# loop devices made in a subshell ($(loop_new ...)) are listed here
	if [ -f "$T/.loops" ]; then
		while read -r d; do losetup -d "$d" >/dev/null 2>&1; done <"$T/.loops"
	fi
	rm -rf "$T"
}
trap t_cleanup EXIT
# Run a command at exit (in reverse order of registration).
on_exit() { _cleanups+=("$*"); }

t_ok() { echo "ok $1"; }
t_fail() { echo "not ok $1: ${2:-failed}"; }
t_skip() { echo "skip $1: $2"; }

# cistern with the test's private config dir
cis() { "$CISTERN" --config-dir "$CFG" "$@"; }

# check NAME CMD...: ok when CMD exits 0
check() {
	local name=$1; shift
	local outf="$T/.check.out"
	if "$@" >"$outf" 2>&1; then t_ok "$name"; else
		t_fail "$name" "command failed: $* :: $(head -c 400 "$outf" | tr '\n' ' ')"; fi
}
# check_fails NAME CMD...: ok when CMD exits non-zero
check_fails() {
	local name=$1; shift
	if "$@" >/dev/null 2>&1; then t_fail "$name" "command succeeded: $*"; else t_ok "$name"; fi
}
# expect_eq NAME ACTUAL EXPECTED
expect_eq() {
	if [ "$2" == "$3" ]; then t_ok "$1"; else
		t_fail "$1" "got '$(printf %s "$2" | head -c 300)' expected '$(printf %s "$3" | head -c 300)'"; fi
}
# expect_match NAME TEXT REGEX
expect_match() {
	if printf '%s' "$2" | grep -Eq -- "$3"; then t_ok "$1"; else
		t_fail "$1" "'$(printf %s "$2" | head -c 300)' does not match /$3/"; fi
}
# A loop device over a new sparse file of SIZE; echoes the device.
loop_new() {
	local size=$1 img
	img=$(mktemp "$T/disk.XXXXXX")
	truncate -s "$size" "$img"
	local dev
	dev=$(losetup -f --show "$img") || return 1
	# on_exit would be lost in the subshell of L=$(loop_new ...)
	echo "$dev" >>"$T/.loops"
	echo "$dev"
}
need_root() {
	if [ "$(id -u)" -ne 0 ]; then t_skip "$1" "needs root"; return 1; fi
}
need_cmd() {
	local name=$1; shift
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 || { t_skip "$name" "$c is not installed"; return 1; }
	done
}
