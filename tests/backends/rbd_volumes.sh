#!/usr/bin/env bash
# cistern — rbd pools against a real single-node Ceph cluster (one mon, one
# memstore OSD, cephx; tests/lib/ceph.sh): define, start, refresh, every
# volume operation, discovery. Each result is checked with the `rbd` and
# `ceph` tools on the same cluster, and the cephx key must appear in no
# command line, output, log, XML, error or state file.
. "$(dirname "$0")/../lib/lib.sh"
. "$(dirname "$0")/../lib/ceph.sh"

need_cmd rbd ceph-mon ceph-osd ss cmp || exit 0
on_exit ceph_stop
export CEPH_MGR=1     # for the usage figures
ceph_start >"$T/why" 2>&1 || { t_skip "rbd cluster" "Ceph cannot start here: $(tail -1 "$T/why")"; exit 0; }
export CISTERN_RUN_DIR=$T/run
RBD() { rbd -c "$CEPH_CONF" "$@"; }
LOG="$T/all-output.log"

# every cistern run, verbose, with its output kept for the key check
run() { "$CISTERN" --config-dir "$CFG" --verbose "$@" >"$T/out" 2>"$T/err"; local rc=$?
	cat "$T/out" "$T/err" >>"$LOG"; return $rc; }
out() { cat "$T/out"; }
err() { cat "$T/err"; }

printf '%s\n' "$CEPH_KEY" >"$T/key"
run secret-set-value cephadm --usage --file "$T/key"
rm -f "$T/key"
expect_eq "the cephx key is stored privately (0600)" \
	"$(stat -c %a "$CFG/secrets/usage-cephadm" 2>&1)" 600

# ---- define and start ----
cat >"$T/pool.xml" <<EOF
<pool type='rbd' xmlns:rbd='http://libvirt.org/schemas/storagepool/rbd/1.0'>
  <name>ceph</name>
  <source>
    <name>rbd</name>
    <host name='127.0.0.1' port='$CEPH_PORT'/>
    <auth username='admin' type='ceph'>
      <secret usage='cephadm'/>
    </auth>
  </source>
  <rbd:config_opts>
    <rbd:option name='rbd_cache' value='false'/>
  </rbd:config_opts>
</pool>
EOF
# bad definitions: one clear line, nothing defined
bad() { sed "$1" "$T/pool.xml" >"$T/bad.xml"; run pool-define "$T/bad.xml"; err; }
expect_eq "an rbd pool without <source><name> is refused" "$(bad '/<name>rbd<\/name>/d')" \
	"error: $T/bad.xml: an rbd pool needs <source><name> (the Ceph pool)"
expect_eq "chap auth on an rbd pool is refused" "$(bad "s/type='ceph'/type='chap'/")" \
	"error: $T/bad.xml: auth type 'chap' is not for rbd pools (use 'ceph')"
expect_eq "a key in rbd:config_opts is refused" "$(bad "s/name='rbd_cache' value='false'/name='key' value='x'/")" \
	"error: $T/bad.xml: the cephx key belongs in the secrets store, not in an option: 'key'"
run pool-list --all
expect_eq "the refused definitions left nothing" "$(out | grep -c ceph)" 0
check "rbd pool-define" run pool-define "$T/pool.xml"
run pool-dumpxml ceph
expect_match "rbd pool XML keeps the hosts, the ceph auth and rbd:config_opts" "$(out)" \
	"<rbd:option name='rbd_cache' value='false'/>"
RBD create --size 12M rbd/outside
check "rbd pool-start connects and refreshes" run pool-start ceph
run vol-list ceph --details
expect_match "rbd refresh lists an image made with the rbd tool, with its size" "$(out)" \
	"^ outside +rbd/outside +network +12.00 MiB +0.00 B"

# ---- create ----
check "rbd vol-create-as" run vol-create-as ceph v1 20M
info=$(RBD info --format json rbd/v1)
expect_match "rbd tool: the new image is 20 MiB, format 2" "$info" \
	'"size":20971520,.*"format":2'
expect_match "rbd tool: it has libvirt's default features" "$info" \
	'"features":\["layering","exclusive-lock","object-map","fast-diff","deep-flatten"\]'
RBD create --size 1M rbd/late
run vol-create-as ceph late 2M
expect_match "rbd vol-create-as over an image made outside cistern fails clearly" "$(err)" \
	"volume 'late' already exists in pool 'ceph'|an image of that name exists in Ceph pool 'rbd'"
expect_match "rbd tool: the other image is untouched" "$(RBD info --format json rbd/late)" '"size":1048576,'
RBD rm rbd/late >/dev/null 2>&1
run vol-create-as ceph bad@name 1M
expect_match "rbd image names with '@' are refused" "$(err)" "cannot contain '/' or '@'"
run vol-create-as ceph v3 1M --format qcow2
expect_match "rbd images are raw only" "$(err)" "raw|format"
expect_eq "nothing was made by the refused creates" "$(RBD ls rbd | tr '\n' ' ')" "outside v1 "

# ---- upload, allocation, download ----
head -c $((3 << 20)) /dev/urandom >"$T/data"
check "rbd vol-upload" run vol-upload v1 "$T/data" --pool ceph --offset 1048576
RBD export rbd/v1 "$T/exp" >/dev/null 2>&1
if cmp -s -n $((3 << 20)) -i $((1 << 20)):0 "$T/exp" "$T/data" &&
   [ "$(head -c 1048576 "$T/exp" | tr -d '\0' | wc -c)" = 0 ]; then
	t_ok "rbd tool: the uploaded bytes are in the image at the offset"
else t_fail "rbd tool: the uploaded bytes are in the image at the offset"; fi
run pool-refresh ceph
run vol-info v1 --pool ceph --bytes
used=$(RBD du --format json rbd/v1 | grep -o '"used_size":[0-9]*' | head -1 | cut -d: -f2)
expect_match "rbd allocation comes from the object map (rbd du: $used bytes)" "$(out)" \
	"Allocation: +$used\b"
run vol-create-as ceph tail 6M
head -c 4096 /dev/urandom >"$T/4k"
run vol-upload tail "$T/4k" --pool ceph --offset $((5 << 20))
run pool-refresh ceph
run vol-info tail --pool ceph --bytes
used=$(RBD du --format json rbd/tail | grep -o '"used_size":[0-9]*' | head -1 | cut -d: -f2)
expect_match "rbd allocation of a partly used last object equals rbd du ($used bytes)" "$(out)" \
	"Allocation: +$used\b"
run vol-delete tail --pool ceph
check "rbd vol-download" run vol-download v1 "$T/dl" --pool ceph
check "rbd tool: the download equals rbd export" cmp "$T/dl" "$T/exp"
run vol-download v1 "$T/dlr" --pool ceph --offset 1048576 --length 1048576
check "rbd vol-download of a range" cmp "$T/dlr" <(head -c 1048576 "$T/data")

# ---- resize ----
check "rbd vol-resize grows" run vol-resize v1 30M --pool ceph
expect_match "rbd tool: the image is 30 MiB" "$(RBD info --format json rbd/v1)" '"size":31457280,'
run vol-resize v1 10M --pool ceph
expect_match "rbd shrink without --shrink is refused" "$(err)" "give --shrink"
check "rbd vol-resize --shrink" run vol-resize v1 10M --pool ceph --shrink
expect_match "rbd tool: the image is 10 MiB" "$(RBD info --format json rbd/v1)" '"size":10485760,'

# ---- clone ----
check "rbd vol-clone" run vol-clone v1 c1 --pool ceph
expect_match "rbd tool: the clone is a child of a protected snapshot of v1" \
	"$(RBD info --format json rbd/c1)" '"parent":\{"pool":"rbd",.*"image":"v1",.*"snapshot":"cistern-clone-'
RBD export rbd/c1 "$T/c1" >/dev/null 2>&1
RBD export rbd/v1 "$T/v1" >/dev/null 2>&1
check "rbd tool: the clone holds the same bytes" cmp "$T/c1" "$T/v1"
check "a second clone reuses the unchanged protected snapshot" run vol-clone v1 c2 --pool ceph
expect_eq "rbd tool: v1 has exactly one snapshot" "$(RBD snap ls rbd/v1 | tail -n +2 | wc -l)" 1
RBD create --size 4M --image-feature exclusive-lock rbd/flat
printf 'flat image data' | RBD import - rbd/flatsrc >/dev/null 2>&1 || true
run pool-refresh ceph
run vol-info flat --pool ceph --bytes
expect_match "rbd allocation without fast-diff is the whole size (libvirt's rule)" "$(out)" \
	"Allocation: +4194304\b"
check "rbd vol-clone of an image without layering copies it" run vol-clone flat flatcopy --pool ceph
expect_match "rbd tool: the copy has no parent" "$(RBD info --format json rbd/flatcopy)" \
	'"size":4194304'
if RBD info --format json rbd/flatcopy | grep -q '"parent"'; then
	t_fail "rbd copy is independent" "it has a parent"; else t_ok "rbd copy is independent"; fi

# ---- wipe ----
check "rbd vol-wipe (zero = discard)" run vol-wipe c2 --pool ceph
RBD export rbd/c2 "$T/c2" >/dev/null 2>&1
expect_eq "rbd tool: the wiped clone reads as zeros" "$(tr -d '\0' <"$T/c2" | wc -c)" 0
run vol-wipe c2 --pool ceph --algorithm dod
expect_match "rbd wipe with a pattern is refused clearly" "$(err)" "'zero' or 'trim'"

# ---- delete ----
run vol-delete v1 --pool ceph
expect_match "rbd vol-delete refuses an image with snapshots" "$(err)" \
	"the image has 1 snapshot \(first 'cistern-clone-[0-9]+'\); snapshots are deleted only with --delete-snapshots"
run vol-delete v1 --pool ceph --delete-snapshots
expect_match "rbd --delete-snapshots refuses while the snapshot has clones" "$(err)" "has clones"
check "rbd vol-delete of the clones" run vol-delete c1 --pool ceph
run vol-delete c2 --pool ceph
check "rbd vol-delete --delete-snapshots" run vol-delete v1 --pool ceph --delete-snapshots
expect_eq "rbd tool: v1 and its clones are gone" "$(RBD ls rbd | tr '\n' ' ')" \
	"flat flatcopy flatsrc outside "
run vol-list ceph
expect_match "cistern's list agrees" "$(out | awk 'NR>2 && NF {print $1}' | tr '\n' ' ')" \
	"^flat flatcopy flatsrc outside $"

# ---- discovery ----
ceph -c "$CEPH_CONF" osd pool create plain 4 4 >/dev/null 2>&1
run find-storage-pool-sources-as rbd 127.0.0.1 "$CEPH_PORT" --auth-username admin --secret-usage cephadm
expect_eq "rbd discovery lists the cluster's RBD pools (not the plain one)" "$(out)" \
"<sources>
  <source>
    <host name='127.0.0.1' port='$CEPH_PORT'/>
    <name>rbd</name>
    <auth type='ceph' username='admin'>
      <secret usage='cephadm'/>
    </auth>
  </source>
</sources>"
run find-storage-pool-sources-as rbd 127.0.0.1 "$CEPH_PORT" --auth-username admin
expect_match "rbd discovery with a user needs the stored secret" "$(err)" "needs --secret-usage"

# ---- usage, as the cluster reports it (through its mgr; lags 1-2 s) ----
usage() { rados -c "$CEPH_CONF" df --format json 2>/dev/null | tr -d '\n' |
	sed -E 's/.*"name":"rbd",[^}]*"size_bytes":([0-9]+).*"total_avail":([0-9]+),"total_space":([0-9]+).*/\3 \1 \2/'; }
got= want=
for i in $(seq 1 40); do
	a=$(usage)
	run pool-refresh ceph
	run pool-info ceph --bytes
	got=$(out | awk '$1 == "Capacity:" { c = $2 } $1 == "Allocation:" { u = $2 }
		$1 == "Available:" { f = $2 } END { print c, u, f }')
	want=$(echo "$(usage)" | awk '{ print $1 * 1024, $2, $3 * 1024 }')
	[ "$a" = "$(usage)" ] && [ "$got" = "$want" ] && case $a in *" 0 "*) ;; *) break;; esac
	sleep 0.25
done
expect_eq "rbd pool capacity, allocation, available = rados df (cluster, pool, free)" "$got" "$want"
expect_match "rbd pool figures are real (not the zeros of a cluster without mgr)" "$got" "^[1-9][0-9]* [1-9][0-9]* [1-9]"

# ---- the key is never shown nor passed ----
(while :; do cat /proc/[0-9]*/cmdline 2>/dev/null | tr '\0' ' '; echo; sleep 0.02; done) >"$T/argv" &
spy=$!
run vol-create-as ceph big 64M
head -c $((32 << 20)) /dev/zero | tr '\0' 'k' >"$T/big"
run vol-upload big "$T/big" --pool ceph
run pool-refresh ceph
kill "$spy"; wait "$spy" 2>/dev/null
expect_match "the argv spy saw cistern running" "$(cat "$T/argv")" "vol-upload big"
run pool-dumpxml ceph
run vol-dumpxml big --pool ceph
leaks=$( { cat "$LOG" "$T/argv"; find "$CFG" "$T/run" -path "$CFG/secrets" -prune -o -type f -print0 |
	xargs -0 cat; } | grep -c -F -e "$CEPH_KEY")
expect_eq "no cephx key in any argv, output, --verbose log, XML, error or state file" "$leaks" 0
check "rbd pool-destroy" run pool-destroy ceph
