#!/usr/bin/env bash
# cistern — a real libvirtd for tests: Debian's libvirtd (9.0, monolithic:
# the storage driver runs inside it) started by hand, without systemd, in
# a private mount namespace where /etc/libvirt, /run/libvirt,
# /var/lib/libvirt and /var/cache/libvirt are directories of the test's.
# Its pools, pid file and socket never meet another libvirtd's. The qemu
# driver is left out (it wants the libvirt-qemu user, which only
# libvirt-daemon-system makes): every other connection driver is loaded
# from a private module directory (LIBVIRT_DRIVER_DIR).
#
#   libvirtd.sh start DIR [ENV=VALUE...]   start; the socket is DIR/run/libvirt-sock,
#                                          the URI storage:///system?socket=...
#                                          (exit 1: it did not start; the log says why)
#   libvirtd.sh stop DIR                   stop it (by its pid)
set -u
cmd=$1 dir=$2
shift 2
drivers=/usr/lib/x86_64-linux-gnu/libvirt/connection-driver
case "$cmd" in
start)
	command -v libvirtd >/dev/null && command -v virsh >/dev/null ||
		{ echo "libvirtd or virsh is missing"; exit 2; }
	mkdir -p "$dir"/{etc,run,lib,cache,log,drivers}
	for so in "$drivers"/libvirt_driver_*.so; do
		case $so in *qemu*) continue ;; esac
		ln -sf "$so" "$dir/drivers/"
	done
	# the mount points, as the package would make them
	mkdir -p /run/libvirt /var/lib/libvirt /var/cache/libvirt
	printf 'log_outputs="3:file:%s/log/libvirtd.log"\n' "$dir" >"$dir/etc/libvirtd.conf"
	cat >"$dir/run.sh" <<RUN
mount --bind "$dir/etc" /etc/libvirt &&
mount --bind "$dir/run" /run/libvirt &&
mount --bind "$dir/lib" /var/lib/libvirt &&
mount --bind "$dir/cache" /var/cache/libvirt &&
exec /usr/sbin/libvirtd --config /etc/libvirt/libvirtd.conf --pid-file /run/libvirt/libvirtd.pid
RUN
	env LIBVIRT_DRIVER_DIR="$dir/drivers" "$@" setsid \
		unshare --mount --propagation private sh "$dir/run.sh" \
		>"$dir/log/stdout.log" 2>&1 </dev/null &
	echo $! >"$dir/pid"
	uri="storage:///system?socket=$dir/run/libvirt-sock"
	for ((i = 0; i < 100; i++)); do
		[ -S "$dir/run/libvirt-sock" ] &&
			virsh -q -c "$uri" pool-list --all >/dev/null 2>&1 && exit 0
		kill -0 "$(cat "$dir/pid")" 2>/dev/null || break
		sleep 0.1
	done
	echo "libvirtd did not start: $(tail -n 3 "$dir/log/stdout.log" "$dir/log/libvirtd.log" 2>/dev/null | tr '\n' ' ')"
	exit 1
	;;
stop)
	# the pid the starter recorded, and libvirtd's own (they differ when
	# setsid had to fork)
	pids=$(cat "$dir/pid" "$dir/run/libvirtd.pid" 2>/dev/null | sort -u)
	[ -n "$pids" ] || exit 0
	alive() {
		local p
		for p in $pids; do kill -0 "$p" 2>/dev/null && return 0; done
		return 1
	}
	kill -TERM $pids 2>/dev/null
	for ((i = 0; i < 50; i++)); do
		alive || exit 0
		sleep 0.1
	done
	kill -KILL $pids 2>/dev/null
	exit 0
	;;
esac
