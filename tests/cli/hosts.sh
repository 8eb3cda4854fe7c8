#!/usr/bin/env bash
# The hosts file (CONFIG/hosts) and its verbs: host-list, host-add,
# host-edit, host-remove; every refusal is one line, exit 1, and the file
# byte for byte as it was; comments survive a rewrite; writes are atomic
# (a new file renamed over the old) and never happen in read-only mode or
# with --dry-run. `-c NAME` connects to the URI of host NAME (checked on
# libvirt's test driver, in process, no daemon).
. "$(dirname "$0")/../lib/lib.sh"
H="$CFG/hosts"

# -q: no closing blank line, no table header
q() { cis -q "$@"; }

# --- an empty (missing) file: only this machine
expect_eq "no hosts file: host-list shows this machine only" \
	"$(cis host-list)" " Name    URI   Autoconnect
----------------------------
 local         yes"
expect_eq "listing creates nothing" "$(ls -A "$T")" ""

# --- add, list, edit, remove
check "host-add NAME URI" cis host-add kvm-03 test:///default
expect_eq "host-add says what it did" \
	"$(cis host-add lab qemu+ssh://root@lab.example/system --no-autoconnect)" \
	"Host lab added"
expect_eq "the file has one line a host, autoconnect=no only when off" \
	"$(cat "$H")" "kvm-03 = test:///default
lab = qemu+ssh://root@lab.example/system autoconnect=no"
expect_eq "the file is the config dir's, mode 0600" "$(stat -c %a "$H")" "600"
expect_eq "host-list: local first, then the file's order" "$(cis host-list)" \
" Name     URI                                  Autoconnect
------------------------------------------------------------
 local                                         yes
 kvm-03   test:///default                      yes
 lab      qemu+ssh://root@lab.example/system   no"
expect_eq "host-list -q: no header" "$(q host-list)" \
" local                                         yes
 kvm-03   test:///default                      yes
 lab      qemu+ssh://root@lab.example/system   no"
expect_eq "host-list --json" "$(q host-list --json)" '[
  {
    "name": "local",
    "uri": "",
    "autoconnect": true
  },
  {
    "name": "kvm-03",
    "uri": "test:///default",
    "autoconnect": true
  },
  {
    "name": "lab",
    "uri": "qemu+ssh://root@lab.example/system",
    "autoconnect": false
  }
]'

check "host-edit --uri --autoconnect" cis host-edit lab --uri qemu:///system --autoconnect
expect_eq "host-edit changed the URI and autoconnect" "$(sed -n 2p "$H")" \
	"lab = qemu:///system"
check "host-edit --no-autoconnect" cis host-edit kvm-03 --no-autoconnect
expect_eq "autoconnect off" "$(sed -n 1p "$H")" "kvm-03 = test:///default autoconnect=no"
check "host-edit --name renames" cis host-edit lab --name lab-2
expect_eq "renamed in place" "$(cat "$H")" "kvm-03 = test:///default autoconnect=no
lab-2 = qemu:///system"
expect_eq "host-remove says what it did" "$(cis host-remove lab-2)" "Host lab-2 removed"
expect_eq "removed" "$(cat "$H")" "kvm-03 = test:///default autoconnect=no"
check "host-edit --name to its own name is allowed" cis host-edit kvm-03 --name kvm-03

# --- refusals: one line, exit 1, the file unchanged (and nothing else
# made in the config dir)
snapshot() { (cd "$CFG" && find . -print0 | sort -z | xargs -0 ls -ld --time-style=+%s.%N 2>/dev/null; cat hosts 2>/dev/null | md5sum); }
refused() {
	local name=$1 want=$2; shift 2
	local before after rc
	cp "$H" "$T/hosts.before" 2>/dev/null || rm -f "$T/hosts.before"
	before=$(snapshot)
	"$@" >"$T/out" 2>"$T/err"; rc=$?
	after=$(snapshot)
	if [ "$rc" -ne 1 ]; then t_fail "$name" "exit status $rc, want 1"; return; fi
	if [ "$(wc -l <"$T/err")" -ne 1 ]; then t_fail "$name" "stderr: $(cat "$T/err")"; return; fi
	if [ "$(cat "$T/err")" != "error: $want" ]; then
		t_fail "$name" "got '$(cat "$T/err")', want 'error: $want'"; return; fi
	if grep -q . "$T/out"; then t_fail "$name" "stdout: $(cat "$T/out")"; return; fi
	if [ -f "$T/hosts.before" ] && ! cmp -s "$T/hosts.before" "$H"; then
		t_fail "$name" "the hosts file changed"; return; fi
	if [ "$before" != "$after" ]; then t_fail "$name" "the config dir changed"; return; fi
	t_ok "$name"
}
cat >>"$H" <<'EOF'
# the lab
lab = qemu:///system
EOF
refused "a blank in a name" \
	"'kvm 04': a host name is letters, digits, '.', '_' and '-'" \
	cis host-add "kvm 04" test:///default
refused "a slash in a name" \
	"'a/b': a host name is letters, digits, '.', '_' and '-'" \
	cis host-add a/b test:///default
refused "a name starting with '-'" "'-x': a host name does not start with '-'" \
	cis host-add -- -x test:///default
refused "a name starting with '.'" "'.x': a host name does not start with '.'" \
	cis host-add .x test:///default
long=$(printf 'h%.0s' {1..65})
refused "a name of 65 characters" \
	"'hhhhhhhhhhhhhhhhhhhh...': a host name is at most 64 characters" \
	cis host-add "$long" test:///default
check "a name of 64 characters is taken" cis --dry-run host-add "${long:1}" test:///default
refused "an empty name" "a host needs a name" cis host-add "" test:///default
refused "'local' is reserved" "'local': the name is reserved for this machine" \
	cis host-add local test:///default
refused "a duplicate name" "host 'lab' is already in $H" \
	cis host-add lab test:///default
refused "a rename onto another host" "host 'lab' is already in $H" \
	cis host-edit kvm-03 --name lab
refused "a rename to 'local'" "'local': the name is reserved for this machine" \
	cis host-edit kvm-03 --name local
refused "a URI without a scheme" \
	"'kvm-03.example': a URI is DRIVER[+TRANSPORT]://[HOST]/PATH, such as qemu+ssh://root@kvm-03/system" \
	cis host-add kvm-04 kvm-03.example
refused "a URI with a bad scheme" \
	"'1x://h/system': a URI is DRIVER[+TRANSPORT]://[HOST]/PATH, such as qemu+ssh://root@kvm-03/system" \
	cis host-add kvm-04 1x://h/system
refused "a URI with a blank" "a URI holds no blank or control characters" \
	cis host-add kvm-04 "qemu:///sys tem"
refused "a URI with a control character" "a URI holds no blank or control characters" \
	cis host-add kvm-04 "$(printf 'qemu:///sys\ttem')"
refused "an empty URI" "a host needs a URI" cis host-add kvm-04 ""
refused "a bad URI on edit" "a URI holds no blank or control characters" \
	cis host-edit lab --uri "qemu:// x"
refused "edit of an unknown host" "no host 'nosuch' in $H" \
	cis host-edit nosuch --uri test:///default
refused "remove of an unknown host" "no host 'nosuch' in $H" \
	cis host-remove nosuch
refused "remove of this machine" "'local' is this machine, not a host of $H" \
	cis host-remove local
refused "edit with nothing to change" \
	"host-edit: nothing to change (--name, --uri, --autoconnect, --no-autoconnect)" \
	cis host-edit lab
refused "edit with both autoconnect flags" \
	"host-edit: --autoconnect or --no-autoconnect, not both" \
	cis host-edit lab --autoconnect --no-autoconnect
refused "host-add without a URI" "host-add: missing argument uri (see 'cistern help host-add')" \
	cis host-add kvm-04
refused "read-only mode: add" "cistern is in read-only mode" \
	cis --read-only host-add kvm-04 test:///default
refused "read-only mode: edit" "cistern is in read-only mode" \
	cis -r host-edit lab --no-autoconnect
refused "read-only mode: remove" "cistern is in read-only mode" \
	cis -r host-remove lab

# --dry-run: nothing written, and it says so
before=$(snapshot)
expect_eq "--dry-run host-add says nothing was added" \
	"$(cis --dry-run host-add kvm-04 test:///default)" "Host kvm-04 not added (dry run)"
expect_eq "--dry-run wrote nothing" "$(snapshot)" "$before"

# read-only mode on a config dir that does not exist makes none
refused "read-only mode, no config dir" "cistern is in read-only mode" \
	"$CISTERN" --config-dir "$T/none" -r host-add a test:///default
expect_eq "read-only: no config dir made" "$(ls -A "$T" | grep -c '^none$')" "0"

# --- comments and blank lines survive a rewrite
cat >"$H" <<'EOF'
# cistern's hosts

# the rack
kvm-03 = test:///default   autoconnect=no
   # the lab, second row
lab = qemu:///system

# spare
EOF
check "host-add with comments in the file" cis host-add kvm-05 test:///default
expect_eq "comments, blank lines and untouched hosts kept as written" "$(cat "$H")" \
"# cistern's hosts

# the rack
kvm-03 = test:///default   autoconnect=no
   # the lab, second row
lab = qemu:///system

# spare
kvm-05 = test:///default"
check "host-remove lab" cis host-remove lab
expect_eq "a removed host's comment stays, before the next host" "$(cat "$H")" \
"# cistern's hosts

# the rack
kvm-03 = test:///default   autoconnect=no
   # the lab, second row

# spare
kvm-05 = test:///default"
check "host-edit kvm-03" cis host-edit kvm-03 --autoconnect
expect_eq "an edited host is written anew, in its place" "$(sed -n 4p "$H")" \
	"kvm-03 = test:///default"

# --- atomic: a new file is renamed over the old one (a hard link to the
# old one keeps the old text), no temporary file is left
ln "$H" "$T/old-hosts"
cp "$H" "$T/hosts.copy"
check "host-add (atomic)" cis host-add kvm-06 test:///default
if cmp -s "$T/old-hosts" "$T/hosts.copy" && ! cmp -s "$H" "$T/hosts.copy"; then
	t_ok "the file was replaced by rename, not rewritten in place"
else
	t_fail "the file was replaced by rename, not rewritten in place" "the old inode changed"
fi
expect_eq "no temporary file left" "$(ls -A "$CFG" | grep -c tmp)" "0"
# a writer killed earlier leaves a temporary file: the next write (under
# the lock) clears it
: >"$CFG/.cistern-tmp-AbCdEf"
check "host-remove" cis host-remove kvm-06
expect_eq "a stale temporary file is cleared under the lock" \
	"$(ls -A "$CFG" | grep -c tmp)" "0"

# --- two cisterns at once: the lock keeps both changes
for i in 1 2 3 4 5 6 7 8; do
	q host-add "par-$i" test:///default &
done
wait
expect_eq "8 host-adds at once: all 8 in the file" \
	"$(grep -c '^par-[1-8] = test:///default$' "$H")" "8"
for i in 1 2 3 4 5 6 7 8; do q host-remove "par-$i" & done
wait
expect_eq "8 host-removes at once: none left" "$(grep -c '^par-' "$H")" "0"

# --- a bad file: one line naming the file and the line, for every reader
cp "$H" "$T/good-hosts"
printf 'a = test:///default\n# c\nkvm 03 = test:///default\n' >"$H"
refused "a bad name in the file: file:line" \
	"$H:3: 'kvm 03': a host name is letters, digits, '.', '_' and '-'" \
	cis host-list
refused "a bad file stops host-add too" \
	"$H:3: 'kvm 03': a host name is letters, digits, '.', '_' and '-'" \
	cis host-add b test:///default
refused "a bad file stops -c NAME" \
	"$H:3: 'kvm 03': a host name is letters, digits, '.', '_' and '-'" \
	cis -c a uri
printf 'a = test:///default\na = test:///default\n' >"$H"
refused "a duplicate in the file" "$H:2: host 'a' is defined twice" cis host-list
printf 'a test:///default\n' >"$H"
refused "a line without '='" "$H:1: 'a test:///default': a host line is NAME = URI [autoconnect=no]" \
	cis host-list
printf 'a =\n' >"$H"
refused "a line without a URI" "$H:1: host 'a': no URI after '='" cis host-list
printf 'a = test:///default autostart=no\n' >"$H"
refused "an unknown option" \
	"$H:1: 'autostart=no': the one option after the URI is autoconnect=yes or autoconnect=no" \
	cis host-list
printf 'local = test:///default\n' >"$H"
refused "'local' in the file" "$H:1: 'local': the name is reserved for this machine" \
	cis host-list
cp "$T/good-hosts" "$H"

# --- -c NAME
check "host test-host: the test driver's URI" cis host-add test-host test:///default
expect_eq "-c NAME connects to the host's URI" "$(q -c test-host uri)" "test:///default"
expect_eq "--connect NAME too" "$(q --connect test-host uri)" "test:///default"
expect_eq "CISTERN_CONNECT=NAME too" \
	"$(CISTERN_CONNECT=test-host "$CISTERN" --config-dir "$CFG" -q uri)" "test:///default"
expect_eq "-c NAME reaches the host's pools (the test driver's 'default-pool')" \
	"$(q -c test-host pool-list --all --name)" "default-pool"
expect_eq "-c local: this machine (the local engine)" "$(q -c local uri)" "$(q uri)"
expect_eq "-c URI: as it is" "$(q -c test:///default uri)" "test:///default"
refused "-c of an unknown host" "no host 'nosuch' in $H" cis -c nosuch uri
refused "-c of an unknown host, no hosts file" "no host 'nosuch' in $T/empty/hosts" \
	"$CISTERN" --config-dir "$T/empty" -c nosuch uri
refused "two -c on a verb" \
	"-c given 2 times: uri runs on one connection (several are for the interface)" \
	cis -c test-host -c local uri
refused "two -c without a verb and without a terminal (the pool list)" \
	"-c given 2 times: the pool list runs on one connection (several are for the interface)" \
	cis -c test-host -c local </dev/null
expect_match "the host verbs never connect (-c is left alone)" \
	"$(q -c qemu+ssh://nowhere.invalid/system host-list | head -1)" "^ local +yes$"
expect_eq "help with an unknown -c" "$(cis -c nosuch help host-add | head -1)" \
	"usage: cistern host-add NAME URI [--no-autoconnect]"

# --- the verb table: help, manual, completion
expect_match "help lists the host verbs" "$(cis help)" "host-list .*host-add .*host-edit .*host-remove|host-remove"
for v in host-list host-add host-edit host-remove; do
	expect_match "the manual has $v" "$(cis help --man)" "^\\.B ${v%%-*}\\\\-${v#*-}$"
done
expect_eq "completion: --connect offers local and the hosts" \
	"$("$CISTERN" __complete --config-dir "$CFG" --connect "" | tr '\n' ' ')" \
	"local kvm-03 kvm-05 test-host "
expect_eq "completion: host-edit offers the hosts" \
	"$("$CISTERN" __complete --config-dir "$CFG" host-edit k | tr '\n' ' ')" \
	"kvm-03 kvm-05 "
expect_eq "completion: the verbs" \
	"$("$CISTERN" __complete host- | tr '\n' ' ')" \
	"host-list host-add host-edit host-remove "
