#!/usr/bin/env bash
# cistern — one truth and honest refusals: a pool whose directory is gone
# is inaccessible in every listing; two definitions with one UUID load one
# and say so; reading creates nothing and works on a config dir cistern
# cannot write; names that are not UTF-8 or that hide characters
# (bidi controls, zero-width) are refused with what is wrong.
. "$(dirname "$0")/../lib/lib.sh"
need_cmd "truth" setpriv || exit 0

# ---- one truth for a pool whose directory is gone ----
cis pool-define-as g dir --target "$T/g" >/dev/null
cis pool-start g --build >/dev/null
rmdir "$T/g"
expect_match "pool-info: inaccessible" "$(cis pool-info g)" "^State: +inaccessible$"
expect_eq "pool-list says the same" "$(cis -q pool-list --all)" " g   inaccessible   no"
expect_match "pool-list --details too" "$(cis -q pool-list --all --details)" \
	"^ g +inaccessible "

# ---- one UUID, two definitions ----
sed "s|<name>g</name>|<name>h</name>|" "$CFG/g.xml" >"$CFG/h.xml"
out=$(cis -q pool-list --all --name 2>"$T/warn")
expect_eq "a duplicate UUID loads one pool" "$out" "g"
expect_match "and names both, and which is left out" "$(cat "$T/warn")" \
	"^warning: pools 'g' and 'h' have the same UUID [0-9a-f-]{36}; 'h' is not loaded"
rm -f "$CFG/h.xml"

# ---- reading creates nothing ----
M=$T/missing
out=$("$CISTERN" --config-dir "$M" -q pool-list --all 2>&1)
expect_eq "pool-list on a missing config dir: no pools, no error" "$out" ""
[ ! -e "$M" ] && t_ok "and the config dir is not created" ||
	t_fail "and the config dir is not created" "$(find "$M")"
check "pool-define-as creates it" \
	"$CISTERN" --config-dir "$M" pool-define-as m dir --target "$T/m"

# ---- a config dir cistern cannot write ----
R=$T/ro
mkdir -p "$R"
"$CISTERN" --config-dir "$R/cfg" pool-define-as r dir --target "$T/r" >/dev/null
chmod 644 "$R/cfg/r.xml"
chmod 755 "$T" "$R"
chmod 555 "$R/cfg"
nob() { setpriv --reuid=65534 --regid=65534 --clear-groups "$NB" \
	--config-dir "$R/cfg" "$@"; }
NB=$T/cistern
install -m 0755 "$CISTERN" "$NB"
out=$(nob -q pool-list --all 2>&1)
expect_eq "another user lists a config dir it cannot write" "$out" " r   inactive   no"
out=$(nob pool-define-as s dir --target "$T/s" 2>&1)
expect_match "a write there says why it cannot" "$out" \
	"^error: cannot open lock file '$R/cfg/.lock': Permission denied$"
chmod 755 "$R/cfg"

# ---- names ----
refuse_name() { # NAME-BYTES WHY
	local out
	out=$(cis pool-define-as "$1" dir --target "$T/n" 2>&1)
	expect_match "$2" "$out" "$3"
	[ ! -e "$CFG/$1.xml" ] && t_ok "$2: nothing defined" ||
		t_fail "$2: nothing defined"
}
refuse_name "$(printf 'a\xffb')" "a name that is not UTF-8" \
	"^error: pool-define-as: pool name is not UTF-8 \(byte 2\)$"
refuse_name "$(printf 'ab\xe2\x80\xaec')" "a name with a right-to-left override" \
	"^error: pool-define-as: pool name cannot contain the invisible or direction-changing character U\+202E$"
refuse_name "$(printf 'a\xe2\x80\x8bb')" "a name with a zero-width space" \
	"character U\+200B$"
refuse_name "$(printf 'a\xe2\x81\xa6b')" "a name with a bidi isolate" \
	"character U\+2066$"
printf "<pool type='dir'><name>\xffx</name><target><path>%s</path></target></pool>" \
	"$T/x" >"$T/bad.xml"
expect_match "XML that is not UTF-8 says so, with where" \
	"$(cis pool-define "$T/bad.xml" 2>&1)" "bad.xml: line 1: not UTF-8 \(byte 24\)$"
check "a name in another script is fine" cis pool-define-as "données-éé" dir \
	--target "$T/u"
