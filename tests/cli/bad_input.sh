#!/usr/bin/env bash
# Bad input gets a one-line error naming the file and the problem, exit
# status 1, and no file written.
. "$(dirname "$0")/../lib/lib.sh"

mkdir -p "$T/images"
cis pool-define-as images dir --target "$T/images" >/dev/null
cis pool-start images --build >/dev/null

# the config dir and the pool's directory (run-time state may record sizes)
snapshot() { (cd "$CFG" && find . -path ./run -prune -o -type f -print | sort | xargs -r md5sum) ; ls -la --time-style=+%s "$T/images" | grep -v " \.\.$" | md5sum; }

# refused NAME EXPECTED-REGEX CMD...: exit 1, one stderr line "error: ...",
# matching the regex, stdout empty, nothing changed on disk
refused() {
	local name=$1 re=$2; shift 2
	local before after rc
	before=$(snapshot)
	"$@" >"$T/out" 2>"$T/err"; rc=$?
	after=$(snapshot)
	local lines; lines=$(wc -l <"$T/err")
	if [ "$rc" -ne 1 ]; then t_fail "$name" "exit status $rc, want 1"; return; fi
	if [ "$lines" -ne 1 ]; then t_fail "$name" "stderr has $lines lines: $(cat "$T/err")"; return; fi
	if ! grep -Eq "^error: .*$re" "$T/err"; then t_fail "$name" "stderr '$(cat "$T/err")' lacks /$re/"; return; fi
	if [ "$before" != "$after" ]; then t_fail "$name" "files changed"; return; fi
	t_ok "$name"
}

w() { printf '%s' "$2" >"$T/$1"; }

w malformed.xml "<pool type='dir'><name>x</name><target><path>/tmp/x</path></target>"
refused "malformed XML names the file and the line" "malformed.xml: line [0-9]+: malformed XML" \
	cis pool-define "$T/malformed.xml"
w notxml.xml "this is not xml"
refused "non-XML text is refused" "notxml.xml: line 1: malformed XML" cis pool-define "$T/notxml.xml"
w empty.xml ""
refused "an empty file is refused" "empty.xml: empty document" cis pool-define "$T/empty.xml"
w wrongroot.xml "<volume><name>x</name></volume>"
refused "a wrong root element is refused" "wrongroot.xml: unexpected root element <volume>" \
	cis pool-define "$T/wrongroot.xml"

w zfs.xml "<pool type='zfs'><name>z</name><source><name>tank</name></source></pool>"
refused "unknown pool type" "zfs.xml: unknown pool type 'zfs'" cis pool-define "$T/zfs.xml"
w notype.xml "<pool><name>z</name></pool>"
refused "missing pool type" "notype.xml: missing pool type" cis pool-define "$T/notype.xml"
refused "unknown pool type in pool-define-as" "unknown pool type 'sheepdog'" \
	cis pool-define-as r sheepdog --source-name x
refused "an rbd pool needs a monitor" "missing storage pool source host name" \
	cis pool-define-as r rbd --source-name x

w nopath.xml "<pool type='dir'><name>d</name></pool>"
refused "dir pool without a target path" "nopath.xml: missing storage pool target path" \
	cis pool-define "$T/nopath.xml"
w nohost.xml "<pool type='netfs'><name>n</name><source><dir path='/x'/></source><target><path>/mnt/n</path></target></pool>"
refused "netfs pool without a host" "nohost.xml: missing storage pool source host name" \
	cis pool-define "$T/nohost.xml"
w nodir.xml "<pool type='netfs'><name>n</name><source><host name='h'/></source><target><path>/mnt/n</path></target></pool>"
refused "netfs pool without an export path" "nodir.xml: missing storage pool source path" \
	cis pool-define "$T/nodir.xml"
w nodev.xml "<pool type='fs'><name>f</name><target><path>/mnt/f</path></target></pool>"
refused "fs pool without a device" "nodev.xml: missing storage pool source device path" \
	cis pool-define "$T/nodev.xml"
w noname.xml "<pool type='dir'><target><path>/tmp/x</path></target></pool>"
refused "pool without a name" "noname.xml: missing pool name element" cis pool-define "$T/noname.xml"
w badfmt.xml "<pool type='fs'><name>f</name><source><device path='/dev/x'/><format type='ntfs'/></source><target><path>/mnt/f</path></target></pool>"
refused "unknown source format" "badfmt.xml: unknown pool format type 'ntfs'" cis pool-define "$T/badfmt.xml"
w reltarget.xml "<pool type='dir'><name>d</name><target><path>images</path></target></pool>"
refused "relative target path" "reltarget.xml: target path 'images' must be an absolute path" \
	cis pool-define "$T/reltarget.xml"
w baduuid.xml "<pool type='dir'><name>d</name><uuid>not-a-uuid</uuid><target><path>/tmp/d</path></target></pool>"
refused "malformed uuid" "baduuid.xml: malformed uuid" cis pool-define "$T/baduuid.xml"
w badmode.xml "<pool type='dir'><name>d</name><target><path>/tmp/d</path><permissions><mode>0999</mode></permissions></target></pool>"
refused "malformed octal mode" "badmode.xml: malformed octal mode" cis pool-define "$T/badmode.xml"

w slash.xml "<pool type='dir'><name>a/b</name><target><path>/tmp/d</path></target></pool>"
refused "a pool name with '/'" "slash.xml: pool name 'a/b' cannot contain '/'" cis pool-define "$T/slash.xml"
w newline.xml "<pool type='dir'><name>a&#10;b</name><target><path>/tmp/d</path></target></pool>"
refused "a pool name with a newline" "newline.xml: pool name cannot contain a newline" \
	cis pool-define "$T/newline.xml"
long=$(printf 'n%.0s' $(seq 1 256))
w long.xml "<pool type='dir'><name>$long</name><target><path>/tmp/d</path></target></pool>"
refused "a pool name over 255 bytes" "long.xml: pool name is longer than 250 bytes" \
	cis pool-define "$T/long.xml"
n251=$(printf 'n%.0s' $(seq 1 251))
w n251.xml "<pool type='dir'><name>$n251</name><target><path>/tmp/d</path></target></pool>"
refused "a pool name of 251 bytes (NAME.json would pass NAME_MAX)" \
	"n251.xml: pool name is longer than 250 bytes \(its files NAME.xml" cis pool-define "$T/n251.xml"
ok250=$(printf 'n%.0s' $(seq 1 250))
w ok250.xml "<pool type='dir'><name>$ok250</name><target><path>$T/d251</path></target></pool>"
check "a pool name of exactly 250 bytes is accepted" cis pool-define "$T/ok250.xml"
cis pool-undefine "$ok250" >/dev/null 2>&1
long=$(printf 'v%.0s' $(seq 1 256))
refused "a volume name over 255 bytes" "volume name is longer than 255 bytes" \
	cis vol-create-as images "$long" 1M
refused "pool-define-as refuses a name with '/'" "pool name 'x/y' cannot contain '/'" \
	cis pool-define-as x/y dir --target /tmp/xy
refused "pool-define-as refuses a name starting with '.'" "cannot start with '.'" \
	cis pool-define-as .hidden dir --target /tmp/xy

# volumes: names and sizes
refused "vol-create-as: unknown unit" "unknown size unit 'Q'" cis vol-create-as images v.img 10Q
refused "vol-create-as: negative size" "invalid size '-5G'" cis vol-create-as images v.img -- -5G
refused "vol-create-as: size past 2^63-1" "size too large" cis vol-create-as images v.img 9EiB
refused "vol-create-as: fractional size" "invalid size '1.5G'" cis vol-create-as images v.img 1.5G
refused "vol-create-as: bad allocation" "unknown size unit" cis vol-create-as images v.img 1G --allocation 5X
refused "vol-create-as: name with '/'" "volume name 'a/b' cannot contain '/'" cis vol-create-as images a/b 1M
refused "vol-create-as: unknown format" "unknown volume format type 'ntfs'" \
	cis vol-create-as images v.img 1M --format ntfs
w volunit.xml "<volume><name>v.img</name><capacity unit='XB'>5</capacity></volume>"
refused "vol-create: bad unit in XML names the file" "volunit.xml: <capacity>: unknown size unit 'XB'" \
	cis vol-create images "$T/volunit.xml"
w volbig.xml "<volume><name>v.img</name><capacity unit='EiB'>8</capacity></volume>"
refused "vol-create: capacity past 2^63-1" "volbig.xml: <capacity>: size too large" \
	cis vol-create images "$T/volbig.xml"
w volnocap.xml "<volume><name>v.img</name></volume>"
refused "vol-create: missing capacity" "volnocap.xml: missing capacity element" \
	cis vol-create images "$T/volnocap.xml"
w volnoname.xml "<volume><capacity>5</capacity></volume>"
refused "vol-create: missing name" "volnoname.xml: missing volume name element" \
	cis vol-create images "$T/volnoname.xml"

# entities: never expanded, never fetched
cat >"$T/bomb.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE pool [
 <!ENTITY a "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa">
 <!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">
 <!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;">
 <!ENTITY d "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">
 <!ENTITY e "&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;&d;">
 <!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;">
 <!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">
]>
<pool type='dir'><name>&g;</name><target><path>/tmp/bomb</path></target></pool>
XML
start=$(date +%s%N)
refused "an entity-expansion bomb is refused" "bomb.xml: DOCTYPE and entity declarations are not allowed" \
	cis pool-define "$T/bomb.xml"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
if [ "$ms" -lt 5000 ]; then t_ok "the bomb is refused without expanding it"; else
	t_fail "the bomb is refused without expanding it" "took $ms ms"; fi
cat >"$T/xxe.xml" <<'XML'
<?xml version="1.0"?>
<!DOCTYPE pool [ <!ENTITY x SYSTEM "file:///etc/passwd"> ]>
<pool type='dir'><name>&x;</name><target><path>/tmp/xxe</path></target></pool>
XML
refused "an external entity pointing at /etc/passwd is refused" \
	"xxe.xml: DOCTYPE and entity declarations are not allowed" cis pool-define "$T/xxe.xml"
if grep -rq "root:" "$CFG" 2>/dev/null || cis pool-list --all 2>&1 | grep -q "root:"; then
	t_fail "nothing of /etc/passwd leaks" "found"; else t_ok "nothing of /etc/passwd leaks"; fi
cat >"$T/xxevol.xml" <<'XML'
<!DOCTYPE volume [ <!ENTITY x SYSTEM "/etc/passwd"> ]>
<volume><name>&x;</name><capacity>1</capacity></volume>
XML
refused "an external entity in volume XML is refused" \
	"xxevol.xml: DOCTYPE and entity declarations are not allowed" cis vol-create images "$T/xxevol.xml"
cat >"$T/netent.xml" <<'XML'
<!DOCTYPE pool SYSTEM "http://127.0.0.1:9/pool.dtd">
<pool type='dir'><name>n</name><target><path>/tmp/n</path></target></pool>
XML
refused "an external DTD is never fetched" "netent.xml: DOCTYPE and entity declarations are not allowed" \
	cis pool-define "$T/netent.xml"

# bad command lines
refused "an unknown verb" "unknown verb 'pool-frobnicate'" cis pool-frobnicate
refused "an unknown option" "unknown option '--frob'" cis pool-list --frob
refused "a missing argument" "missing argument pool" cis pool-info
refused "a missing pool" "no storage pool with matching name or uuid 'nosuch'" cis pool-info nosuch
refused "--overwrite with --no-overwrite" "mutually exclusive" cis pool-build images --overwrite --no-overwrite

# an fs pool mounts one device: two are refused at define, nothing written
refused "an fs pool with two source devices (define-as)" \
	"expected exactly 1 device for the storage pool" \
	cis pool-define-as fs2 fs --source-dev /dev/loop1 --source-dev /dev/loop2 --target "$T/fs2"
cat >"$T/fs2.xml" <<'XML'
<pool type='fs'><name>fs2</name><source><device path='/dev/loop1'/><device path='/dev/loop2'/></source>
<target><path>/tmp/fs2</path></target></pool>
XML
refused "an fs pool with two source devices (XML)" \
	"fs2.xml: expected exactly 1 device for the storage pool" cis pool-define "$T/fs2.xml"
check "no fs2 definition was written" test ! -e "$CFG/fs2.xml"
