#!/bin/sh
# cistern — install the Debian packages cistern needs to build and to test.
# Runs in well under a second when everything is there already.
#
#   deps.sh         what building and `make check` need
#   deps.sh --deb   what building the Debian package needs (`make deb`)
set -eu
here=$(cd "$(dirname "$0")" && pwd)

# What building needs is debian/control's Build-Depends: one list for
# `make deps` and for the package (debhelper-compat is debhelper's).
BUILD_PKGS=$(sed -n '/^Build-Depends:/,/^[A-Z]/p' "$here/../debian/control" |
	sed -e 's/^Build-Depends://' -e '/^[A-Z]/d' -e 's/([^)]*)//g' |
	tr ',' '\n' | sed -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' \
	    -e 's/^debhelper-compat$/debhelper/' | grep -v '^$' | tr '\n' ' ')
TEST_PKGS="expect tmux libxml2-utils qemu-utils lvm2 parted tgt libiscsi-bin \
open-iscsi xfsprogs btrfs-progs e2fsprogs util-linux iproute2 procps time \
nfs-ganesha nfs-ganesha-vfs rpcbind nfs-common sshfs openssh-server \
openssh-client glusterfs-server glusterfs-client kmod jq strace clang-14 \
libclang-rt-14-dev libvirt-daemon libvirt-clients netcat-openbsd ceph-mon ceph-osd ceph-common \
ceph-mgr"
if [ "${1:-}" = "--deb" ]; then
	TEST_PKGS="build-essential dpkg-dev lintian fakeroot"
fi

if ! command -v dpkg-query >/dev/null 2>&1; then
	echo "cistern: not a Debian system; install by hand: $BUILD_PKGS $TEST_PKGS" >&2
	exit 0
fi

missing=""
for p in $BUILD_PKGS $TEST_PKGS; do
	st=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
	case "$st" in
	*" installed") ;;
	*) missing="$missing $p" ;;
	esac
done
# A default install has /etc/mtab (systemd-tmpfiles links it); a bare
# root (debootstrap, containers) may not, and nfs-ganesha then finds no
# filesystem to export.
if [ ! -e /etc/mtab ] && [ "$(id -u)" -eq 0 ]; then
	ln -s ../proc/self/mounts /etc/mtab &&
		echo "cistern: linked /etc/mtab to /proc/self/mounts (as systemd does)"
fi
[ -z "$missing" ] && exit 0

if [ "$(id -u)" -ne 0 ]; then
	echo "cistern: these Debian packages are missing:$missing" >&2
	echo "cistern: as root, run:  apt-get install -y$missing" >&2
	echo "cistern: (or: sudo make deps)" >&2
	exit 1
fi

echo "cistern: installing:$missing"
export DEBIAN_FRONTEND=noninteractive
# services must not start during the install (tests start their own)
policy=/usr/sbin/policy-rc.d
made_policy=""
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' > "$policy"
	chmod 0755 "$policy"
	made_policy=1
fi
rc=0
apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing >/tmp/cistern-apt.log 2>&1 || {
	apt-get update >>/tmp/cistern-apt.log 2>&1 || true
	apt-get -o DPkg::Lock::Timeout=300 install -y --no-install-recommends $missing >>/tmp/cistern-apt.log 2>&1 || rc=$?
}
[ -n "$made_policy" ] && rm -f "$policy"
if [ "$rc" -ne 0 ]; then
	echo "cistern: apt-get failed (see /tmp/cistern-apt.log):" >&2
	tail -n 20 /tmp/cistern-apt.log >&2
	exit 1
fi
echo "cistern: packages installed"
