#!/usr/bin/env bash
# Set-up a new user meets: default directories, the first start, make
# install with DESTDIR/PREFIX, --verbose and --dry-run, the manual page.
. "$(dirname "$0")/../lib/lib.sh"

# an ordinary user gets XDG directories
if id nobody >/dev/null 2>&1 && command -v setpriv >/dev/null; then
	home="$T/home"
	chmod 0755 "$T"
	mkdir -p "$home/rt" && chown -R nobody "$home" && chmod 0700 "$home/rt"
	runuser() { env -i PATH="$PATH" HOME="$home" XDG_CONFIG_HOME="$home/cfg" \
		ASAN_OPTIONS="${ASAN_OPTIONS:-}" UBSAN_OPTIONS="${UBSAN_OPTIONS:-}" \
		LSAN_OPTIONS="${LSAN_OPTIONS:-}" \
		XDG_RUNTIME_DIR="$home/rt" XDG_DATA_HOME="$home/data" \
		setpriv --reuid=nobody --regid=nogroup --clear-groups "$@"; }
	out=$(runuser "$CISTERN" </dev/null 2>&1)
	expect_match "a user's first start offers the default pool under XDG_DATA_HOME" \
		"$out" "cistern pool-define-as default dir --target $home/data/cistern/images"
	[ ! -e "$home/cfg/cistern" ] && t_ok "the first start, a read, creates no directory" ||
		t_fail "the first start, a read, creates no directory" "$(find "$home/cfg")"
	runuser "$CISTERN" pool-define-as t dir --target "$home/t" >/dev/null 2>&1
	runuser "$CISTERN" pool-start t --build >/dev/null 2>&1
	check "a user's config lives under XDG_CONFIG_HOME" test -f "$home/cfg/cistern/storage/t.xml"
	check "a user's run-time state lives under XDG_RUNTIME_DIR" test -f "$home/rt/cistern/t.json"
	runuser "$CISTERN" pool-destroy t >/dev/null 2>&1
	runuser "$CISTERN" pool-undefine t >/dev/null 2>&1
	runuser "$CISTERN" pool-define-as default dir --target "$home/data/cistern/images" >/dev/null 2>&1
	runuser "$CISTERN" pool-start default --build >/dev/null 2>&1
	expect_eq "a user can define and start the default pool" \
		"$(runuser "$CISTERN" pool-list --name)" "default"
	check "its images directory exists" test -d "$home/data/cistern/images"
else
	t_skip "a user's directories" "no 'nobody' user or setpriv here"
fi

# root's defaults (read, never written, by this test)
out=$(env -u CISTERN_CONFIG_DIR "$CISTERN" --dry-run help --man | grep -c '/etc/cistern/storage')
[ "$out" -ge 1 ] && t_ok "the manual names root's config dir" || t_fail "the manual names root's config dir"

# --verbose prints each command and a failing tool's stderr
mkdir -p "$T/p1"
cis pool-define-as p1 dir --target "$T/p1" >/dev/null
out=$(EDITOR="sed -i s|0700|0700|" cis --verbose pool-edit p1 2>&1 >/dev/null)
expect_match "--verbose prints each command run" "$out" "^\+ sed -i 's\|0700\|0700\|' /tmp/cistern-edit-"
printf '#!/bin/sh\nexit 4\n' >"$T/bad-editor" && chmod +x "$T/bad-editor"
out=$(EDITOR="$T/bad-editor" cis --verbose pool-edit p1 2>&1)
expect_match "a failing tool's exit status is reported" "$out" "error: $T/bad-editor failed \(exit 4\)"

# --read-only refuses changes with one clear line
out=$("$CISTERN" --config-dir "$CFG" --read-only pool-define-as p2 dir --target "$T/p2" 2>&1)
expect_eq "--read-only refuses a definition" "$out" "error: cistern is in read-only mode"
out=$("$CISTERN" --config-dir "$CFG" --read-only pool-list --all --name 2>&1)
expect_eq "--read-only still lists" "$out" "p1"

# --dry-run changes nothing
"$CISTERN" --config-dir "$CFG" --dry-run pool-define-as p3 dir --target "$T/p3" >/dev/null 2>&1
check_fails "--dry-run defines nothing" test -e "$CFG/p3.xml"
"$CISTERN" --config-dir "$CFG" --dry-run pool-start p1 --build >/dev/null 2>&1
check_fails "--dry-run builds nothing" test -e "$T/p1/.probe" -o "$(cis pool-list --name)" = p1

# make install with DESTDIR and PREFIX
if make -s -C "$TOP" install DESTDIR="$T/inst" PREFIX=/opt/cis >/dev/null 2>&1; then
	check "make install puts the binary in PREFIX/bin" test -x "$T/inst/opt/cis/bin/cistern"
	check "... the manual page" test -s "$T/inst/opt/cis/share/man/man1/cistern.1"
	check "... the autostart unit, pointing at PREFIX" grep -q "ExecStart=/opt/cis/bin/cistern start-autostart" \
		"$T/inst/opt/cis/lib/systemd/system/cistern-autostart.service"
	check "the installed binary runs" "$T/inst/opt/cis/bin/cistern" --version
else
	t_fail "make install with DESTDIR and PREFIX" "make install failed"
fi

# the binary defines none of libuuid's names, so libparted's own calls
# (uuid_generate for a new GPT) never bind to cistern's functions
if need_cmd "no libuuid names exported" nm; then
	expect_eq "cistern exports no uuid_* function for libraries to bind to" \
		"$(nm -D --defined-only "$CISTERN" | grep -cE ' uuid_[a-z_]+$')" "0"
fi
