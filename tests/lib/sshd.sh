# cistern — an sshd for tests of libvirt's ssh transport (sourced): its
# own host key and root's key, on a free loopback port, and an ssh wrapper
# that leaves root's known_hosts alone (libvirt's command= parameter).
#
#   sshd_setup DIR     keys, config and wrapper in DIR; sets SSHD_DIR and
#                      SSHD_PORT
#   sshd_start         start it; 1 when it does not listen (DIR/sshd.log)
#   sshd_kill          stop the listener and the sessions it forked
#   sshd_uri SOCK      the storage+ssh:// URI of a libvirtd socket SOCK
sshd_setup() {
	SSHD_DIR=$1
	mkdir -p "$SSHD_DIR" /run/sshd
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/host_key"
	ssh-keygen -q -t ed25519 -N '' -f "$SSHD_DIR/user_key"
	cp "$SSHD_DIR/user_key.pub" "$SSHD_DIR/authorized_keys"
	SSHD_PORT=$((20000 + $$ % 20000))
	while ss -ltn | grep -q ":$SSHD_PORT "; do SSHD_PORT=$((SSHD_PORT + 1)); done
	cat >"$SSHD_DIR/sshd_config" <<EOF
Port $SSHD_PORT
ListenAddress 127.0.0.1
HostKey $SSHD_DIR/host_key
PidFile $SSHD_DIR/sshd.pid
AuthorizedKeysFile $SSHD_DIR/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
EOF
	cat >"$SSHD_DIR/ssh" <<'EOF'
#!/bin/sh
exec ssh -o UserKnownHostsFile=/dev/null -o GlobalKnownHostsFile=/dev/null \
	-o LogLevel=ERROR -o ConnectTimeout=10 "$@"
EOF
	chmod +x "$SSHD_DIR/ssh"
}

sshd_start() {
	/usr/sbin/sshd -D -e -f "$SSHD_DIR/sshd_config" 2>>"$SSHD_DIR/sshd.log" &
	echo $! >"$SSHD_DIR/pid"
	for ((i = 0; i < 50; i++)); do
		ss -ltn | grep -q "127.0.0.1:$SSHD_PORT " && return 0
		sleep 0.1
	done
	return 1
}

sshd_kill() {
	local pid
	pid=$(cat "$SSHD_DIR/pid")
	kill $(pgrep -P "$pid") "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
}

sshd_uri() {
	echo "storage+ssh://root@127.0.0.1:$SSHD_PORT/system?socket=$1&keyfile=$SSHD_DIR/user_key&no_verify=1&command=$SSHD_DIR/ssh"
}
