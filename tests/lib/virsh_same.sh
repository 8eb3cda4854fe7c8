# cistern — compare cistern -c URI with virsh -c URI, verb by verb.
# Source after lib.sh; define c() and v() (cistern and virsh on the URI).
# The same stdout from cistern and virsh; where virsh fails, cistern
# fails with one line that ends in libvirt's message (virsh prints two:
# what failed, then libvirt's message).
same() {
	local name=$1; shift
	local a b ae be cause
	a=$(c "$@" 2>"$T/c.err"); b=$(v "$@" 2>"$T/v.err")
	ae=$(cat "$T/c.err"); be=$(cat "$T/v.err")
	if [ "$a" != "$b" ]; then
		expect_eq "$name" "$a" "$b"
	elif [ -z "$be" ]; then
		expect_eq "$name" "$ae" ""
	else
		cause=$(printf '%s\n' "$be" | tail -n 1)
		cause=${cause#error: }
		if [ "$(printf '%s\n' "$ae" | grep -c .)" = 1 ] &&
		   [ "${ae%"$cause"}" != "$ae" ]; then
			t_ok "$name"
		else
			t_fail "$name" "cistern: '$ae'; virsh: '$be'"
		fi
	fi
}
