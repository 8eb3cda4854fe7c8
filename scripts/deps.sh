#!/bin/sh
# cistern — install the Debian packages cistern needs to build and to test.
# Runs in well under a second when everything is there already.
set -eu

BUILD_PKGS="gcc make pkg-config libncurses-dev libxml2-dev libblkid-dev \
libparted-dev libjson-c-dev libiscsi-dev librbd-dev librados-dev"
TEST_PKGS="expect tmux libxml2-utils qemu-utils lvm2 parted tgt libiscsi-bin \
open-iscsi xfsprogs btrfs-progs e2fsprogs util-linux iproute2 procps time \
nfs-ganesha nfs-ganesha-vfs rpcbind nfs-common sshfs openssh-server \
openssh-client glusterfs-server glusterfs-client kmod ceph-mon ceph-osd ceph-common ceph-mgr"

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
apt-get install -y --no-install-recommends $missing >/tmp/cistern-apt.log 2>&1 || {
	apt-get update >>/tmp/cistern-apt.log 2>&1 || true
	apt-get install -y --no-install-recommends $missing >>/tmp/cistern-apt.log 2>&1 || rc=$?
}
[ -n "$made_policy" ] && rm -f "$policy"
if [ "$rc" -ne 0 ]; then
	echo "cistern: apt-get failed (see /tmp/cistern-apt.log):" >&2
	tail -n 20 /tmp/cistern-apt.log >&2
	exit 1
fi
echo "cistern: packages installed"
