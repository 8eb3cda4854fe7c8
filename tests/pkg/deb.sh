#!/usr/bin/env bash
# cistern — the Debian package, installed as an operator installs it: a
# fresh minimal Debian 12 root (debootstrap, cached in /var/tmp), the .deb
# installed with apt-get (its Depends and Recommends from the mirror),
# then: the binary runs, the manual page is found, a TAB completes
# through bash-completion, a pool is made with the installed binary, the
# systemd unit is enabled, and removal leaves nothing behind.
#
#   bash tests/pkg/deb.sh PATH/cistern_VERSION_ARCH.deb     (as root)
# Run by `make check-deb` (not by `make check`: it downloads packages and
# takes minutes).
set -u
deb=$(readlink -f "${1:?usage: deb.sh FILE.deb}")
pass=0 fail=0
ok() { echo "ok $1"; pass=$((pass + 1)); }
notok() { echo "not ok $1: $2"; fail=$((fail + 1)); }
check() { # check NAME CMD...: ok when CMD (in the root) exits 0
	local name=$1 out; shift
	if out=$(in_root "$@" 2>&1); then ok "$name"; else
		notok "$name" "$(echo "$out" | tail -n 5 | tr '\n' ' ')"; fi
}

[ "$(id -u)" -eq 0 ] || { echo "not ok package test: needs root"; echo "0 passed, 1 failed"; exit 1; }
for c in debootstrap tmux; do
	command -v $c >/dev/null || apt-get -o DPkg::Lock::Timeout=300 install -y -qq $c >/dev/null 2>&1
done

R=/var/tmp/cistern-pkg-root
BASE=/var/tmp/cistern-pkg-base.tar
MIRROR=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/*.sources 2>/dev/null)
[ -n "$MIRROR" ] || MIRROR=$(awk '/^deb / {print $2; exit}' /etc/apt/sources.list 2>/dev/null)
[ -n "$MIRROR" ] || MIRROR=http://deb.debian.org/debian

umount_root() {
	mount | awk -v r="$R" '$3 == r || index($3, r "/") == 1 {print $3}' |
		sort -r | while read -r m; do umount -l "$m"; done
}
cleanup() {
	tmux -S "$R.tmux" kill-server 2>/dev/null
	umount_root
	rm -rf "$R" "$R.tmux"
}
trap cleanup EXIT
in_root() { chroot "$R" /usr/bin/env -i HOME=/root TERM=xterm LANG=C.UTF-8 \
	PATH=/usr/sbin:/usr/bin:/sbin:/bin "$@"; }

if [ ! -f "$BASE" ]; then
	echo "# making a minimal Debian 12 root (debootstrap, once)"
	rm -rf "$R"
	if ! debootstrap --variant=minbase bookworm "$R" "$MIRROR" >/var/tmp/cistern-pkg-debootstrap.log 2>&1; then
		notok "a fresh Debian 12 root" "debootstrap failed: $(tail -n 3 /var/tmp/cistern-pkg-debootstrap.log | tr '\n' ' ')"
		echo "$pass passed, $fail failed"; exit 1
	fi
	tar -C "$R" -cf "$BASE" .
	rm -rf "$R"
fi
umount_root
rm -rf "$R"
mkdir -p "$R"
tar -C "$R" -xf "$BASE"
cp /etc/resolv.conf "$R/etc/resolv.conf" 2>/dev/null
mount -t proc proc "$R/proc"
mount --rbind /dev "$R/dev" && mount --make-rslave "$R/dev"
cp "$deb" "$R/tmp/"
pkg=/tmp/$(basename "$deb")

# what an operator has: man-db, bash-completion; then the package
in_root apt-get update -qq >/dev/null 2>&1
check "man-db and bash-completion installed" \
	apt-get -o DPkg::Lock::Timeout=300 install -y -qq man-db bash-completion
check "apt-get installs the package with what it needs" \
	apt-get -o DPkg::Lock::Timeout=300 install -y -qq "$pkg"
out=$(in_root cistern --version 2>&1)
[ "$out" = "cistern $(dpkg-deb -f "$deb" Version)" ] &&
	ok "cistern --version" || notok "cistern --version" "$out"
out=$(in_root man -w cistern 2>&1)
[ "$out" = /usr/share/man/man1/cistern.1.gz ] && ok "man -w cistern" ||
	notok "man -w cistern" "$out"
check "the manual page renders" sh -c 'man -P cat cistern | grep -q "vol-create-as"'
check "the themes are installed where cistern reads them" \
	test -f /usr/share/cistern/themes/light.theme
check "the systemd unit is installed and enabled" sh -c \
	'test -f /lib/systemd/system/cistern-autostart.service &&
	 test -L /etc/systemd/system/multi-user.target.wants/cistern-autostart.service'
check "the installed binary makes a pool and a volume" sh -c \
	'cistern pool-define-as imgs dir --target /var/tmp/imgs &&
	 cistern pool-start imgs --build && cistern vol-create-as imgs a.qcow2 1M --format qcow2 &&
	 cistern vol-list imgs | grep -q a.qcow2'
# libparted is loaded when first needed, not linked: named by hand
case "$(dpkg-deb -f "$deb" Depends)" in
*libparted2*) ok "Depends names libparted2" ;;
*) notok "Depends names libparted2" "$(dpkg-deb -f "$deb" Depends)" ;;
esac
check "the installed binary labels a disk (libparted)" sh -c \
	'truncate -s 64M /var/tmp/disk.img &&
	 cistern pool-define-as dk disk --source-dev /var/tmp/disk.img \
		--source-format gpt --target /dev &&
	 cistern pool-build dk && cistern pool-start dk &&
	 cistern vol-create-as dk disk.img-part1 8M &&
	 cistern vol-list dk | grep -q disk.img-part1 &&
	 cistern pool-destroy dk && cistern pool-undefine dk &&
	 rm /var/tmp/disk.img'

# a TAB through bash-completion's loader, in an interactive login bash
S=$R.tmux
tmux -S "$S" -f /dev/null new-session -d -x 100 -y 10 \
	"chroot $R /usr/bin/env -i HOME=/root TERM=xterm LANG=C.UTF-8 PATH=/usr/sbin:/usr/bin:/sbin:/bin bash --login -i"
sleep 0.5
# tab NAME TYPED EXPECTED: TYPED then a TAB shows "$ EXPECTED"
tab() {
	tmux -S "$S" send-keys C-u "$2" Tab
	for ((i = 0; i < 50; i++)); do
		tmux -S "$S" capture-pane -p | grep -q "$3" && break
		sleep 0.1
	done
	tmux -S "$S" capture-pane -p | grep -Eq "[\$#] $3 *\$" && ok "$1" ||
		notok "$1" "$(tmux -S "$S" capture-pane -p | tr '\n' ' ')"
}
tab "a TAB completes 'cistern vol-l' through bash-completion" \
	"cistern vol-l" "cistern vol-list"
tab "a TAB completes a pool name" "cistern vol-list im" "cistern vol-list imgs"
tmux -S "$S" kill-server 2>/dev/null

# removal: nothing of the package left
files=$(dpkg-deb -c "$deb" | awk '$1 !~ /^d/ {sub(/^\./, "", $6); print $6}')
check "apt-get purge removes it" apt-get purge -y -qq cistern
left=""
for f in $files /etc/systemd/system/multi-user.target.wants/cistern-autostart.service; do
	[ -e "$R$f" ] || [ -L "$R$f" ] && left="$left $f"
done
[ -z "$left" ] && ok "no file of the package is left" ||
	notok "no file of the package is left" "$left"
out=$(in_root dpkg-query -W -f='${Status}' cistern 2>&1)
case "$out" in
*not-installed*|*"no packages found"*) ok "dpkg no longer lists it" ;;
*) notok "dpkg no longer lists it" "$out" ;;
esac

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
