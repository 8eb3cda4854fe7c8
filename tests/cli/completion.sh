#!/usr/bin/env bash
# cistern — bash completion (docs/cistern.bash): verbs, options, pool and
# volume names, all from `cistern __complete`; the script runs as bash
# runs it for a TAB (COMP_LINE/COMP_POINT), and once for real through
# readline in tmux.
. "$(dirname "$0")/../lib/lib.sh"
need_cmd "completion" tmux || exit 0

B=$T/bin
mkdir -p "$B"
ln -s "$CISTERN" "$B/cistern"
R=$T/run
cistern() { "$B/cistern" --config-dir "$CFG" --run-dir "$R" "$@"; }
cistern pool-define-as imgs dir --target "$T/imgs" >/dev/null
cistern pool-start imgs --build >/dev/null
cistern vol-create-as imgs web.qcow2 1M --format qcow2 >/dev/null
cistern vol-create-as imgs db.raw 1M >/dev/null
cistern pool-define-as iso dir --target "$T/iso" >/dev/null

# comp LINE: what a TAB at the end of LINE offers, space separated
comp() {
	PATH="$B:$PATH" bash -c '
		. "$1"
		COMP_LINE=$2 COMP_POINT=${#2}
		_cistern
		printf "%s\n" "${COMPREPLY[@]}"' _ "$TOP/docs/cistern.bash" "$1" |
		sort | tr '\n' ' ' | sed 's/ $//'
}
G="cistern --config-dir $CFG --run-dir $R"

expect_eq "a verb" "$(comp "cistern vol-l")" "vol-list"
expect_eq "verbs by prefix" "$(comp "cistern pool-de")" \
	"pool-define pool-define-as pool-delete pool-destroy"
expect_eq "global options" "$(comp "cistern --co")" "--color --config-dir --connect"
expect_eq "a global option's values" "$(comp "cistern --color ")" \
	"always auto never"
expect_eq "a verb's options" "$(comp "cistern vol-delete --")" \
	"--delete-snapshots --pool"
expect_eq "pool names, from the command line's config dir" \
	"$(comp "$G pool-start ")" "imgs iso"
expect_eq "pool names by prefix" "$(comp "$G vol-list i")" "imgs iso"
expect_eq "volume names of the --pool given" \
	"$(comp "$G vol-info --pool imgs ")" "db.raw web.qcow2"
expect_eq "--pool=NAME: the pool's names after '='" \
	"$(comp "$G vol-wipe --pool=i")" "imgs iso"
expect_eq "a volume by path without --pool" \
	"$(comp "$G vol-path $T/imgs/w")" "$T/imgs/web.qcow2"
expect_eq "the second positional: a pool for vol-create-as" \
	"$(comp "$G vol-create-as i")" "imgs iso"
expect_eq "pool types" "$(comp "cistern pool-define-as p l")" "logical"
expect_eq "a file argument: nothing, bash completes file names" \
	"$(comp "$G pool-define ")" ""
expect_eq "help takes a verb" "$(comp "cistern help vol-cr")" \
	"vol-create vol-create-as vol-create-from"

# for real: readline, a TAB typed in an interactive bash
S=$T/tmux.sock
tmux -S "$S" -f /dev/null new-session -d -x 100 -y 10 \
	"env PATH=$B:$PATH bash --norc --noprofile -i"
on_exit "tmux -S $S kill-server"
tmux -S "$S" send-keys ". $TOP/docs/cistern.bash; PS1='\$ '" Enter
tmux -S "$S" send-keys "clear" Enter
tmux -S "$S" send-keys "cistern vol-l" Tab
for ((i = 0; i < 50; i++)); do
	tmux -S "$S" capture-pane -p | grep -q 'cistern vol-list' && break
	sleep 0.1
done
expect_match "a TAB in bash completes 'cistern vol-l'" \
	"$(tmux -S "$S" capture-pane -p)" '\$ cistern vol-list *$'
