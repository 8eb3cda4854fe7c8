#!/usr/bin/env bash
# Hostile files in cistern's own directories: a FIFO, a device node or a
# symbolic link where a definition, a state file, a secret or an autostart
# link should be is reported in one line and skipped; nothing waits on it.
. "$(dirname "$0")/../lib/lib.sh"

mkdir -p "$CFG"
cis pool-define-as good dir --target "$T/good" >/dev/null
mkfifo "$CFG/x.xml"
out=$(timeout 10 "$CISTERN" --config-dir "$CFG" pool-list --all --name 2>"$T/warn")
rc=$?
expect_eq "a FIFO named x.xml in the config dir: pool-list returns" "$rc" "0"
expect_match "the FIFO is named in a one-line warning" "$(cat "$T/warn")" \
	"^warning: .$CFG/x.xml. is not a regular file; skipped$"
expect_eq "the other pools still list" "$out" "good"
rm -f "$CFG/x.xml"

ln -s "$CFG/good.xml" "$CFG/link.xml"
timeout 10 "$CISTERN" --config-dir "$CFG" pool-list --all --name >/dev/null 2>"$T/warn"
expect_match "a symbolic link named link.xml is skipped with a warning" "$(cat "$T/warn")" \
	"link.xml.*symbolic link"
rm -f "$CFG/link.xml"

mkdir -p "$CFG/run"
mkfifo "$CFG/run/good.json"
out=$(timeout 10 "$CISTERN" --config-dir "$CFG" pool-list --all --name 2>"$T/warn")
expect_eq "a FIFO as a pool's state file: pool-list returns" "$?:$out" "0:good"
expect_match "the state FIFO is reported" "$(cat "$T/warn")" "good.json.*not a regular file"
rm -f "$CFG/run/good.json"

mkfifo "$CFG/autostart/good.xml"
out=$(timeout 10 "$CISTERN" --config-dir "$CFG" pool-list --all --autostart 2>"$T/warn")
expect_eq "a FIFO as an autostart link: pool-list returns" "$?" "0"
expect_match "the autostart FIFO is reported and ignored" "$(cat "$T/warn")" \
	"autostart/good.xml: not a symbolic link; autostart ignored"
rm -f "$CFG/autostart/good.xml"

mkdir -p "$CFG/secrets" && chmod 700 "$CFG/secrets"
mkfifo -m 600 "$CFG/secrets/usage-fifo"
cis pool-define-as sand iscsi-direct --source-host 127.0.0.1 \
	--source-dev iqn.2025-01.test:t --source-initiator iqn.2025-01.test:i \
	--auth-type chap --auth-username u --secret-usage fifo >/dev/null
timeout 10 "$CISTERN" --config-dir "$CFG" pool-start sand >/dev/null 2>"$T/err"
expect_eq "a FIFO as a CHAP secret: pool-start returns, refused" "$?" "1"
expect_match "the secret FIFO is named" "$(cat "$T/err")" "not a regular file"
out=$(timeout 10 "$CISTERN" --config-dir "$CFG" secret-list 2>&1)
expect_eq "secret-list returns and lists no FIFO" "$?:$(echo "$out" | grep -c fifo)" "0:0"
