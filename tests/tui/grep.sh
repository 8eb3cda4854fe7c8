#!/usr/bin/env bash
# cistern — layering: ncurses is called only from tui/ui*.c, tui/ includes
# no backend, and core/ and backends/ include neither ncurses nor tui/.
. "$(dirname "$0")/../lib/lib.sh"
cd "$TOP"
calls='(^|[^>.[:alnum:]_])(initscr|newterm|endwin|refresh|wrefresh|doupdate|getch|wgetch|wget_wch|get_wch|mvaddstr|waddstr|addstr|mvprintw|printw|wprintw|attrset|wattrset|attron|attroff|init_pair|start_color|has_colors|mousemask|getmouse|keypad|cbreak|nocbreak|noecho|curs_set|newwin|delwin|mvhline|hline|erase|werase|clear|wclear|resizeterm|set_escdelay|use_default_colors|tigetstr|getmaxyx)[[:space:]]*\('
bad=$(grep -nE "$calls" core/*.c core/*.h backends/*.c tui/*.c tui/*.h 2>/dev/null |
	grep -vE '^tui/ui[^/]*\.(c|h):' | grep -v '^core/.*sbuf' || true)
if [ -z "$bad" ]; then t_ok "no ncurses call outside tui/ui*.c"; else
	t_fail "no ncurses call outside tui/ui*.c" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
bad=$(grep -nE '#[[:space:]]*include[[:space:]]*[<"].*(n?curses|form|menu|panel|term)\.h' core/* backends/* tui/*.c tui/*.h |
	grep -vE '^tui/ui[^/]*\.(c|h):' || true)
if [ -z "$bad" ]; then t_ok "curses headers only in tui/ui*"; else
	t_fail "curses headers only in tui/ui*" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
# the entry point registers the backends (backends/registry.h); nothing
# else of the faces or core names one
bad=$(grep -nE '#[[:space:]]*include[[:space:]]*"(\.\./)?backends/' tui/* core/* |
	grep -v '^tui/main\.c:[0-9]*:#include "\.\./backends/registry\.h"$' || true)
if [ -z "$bad" ]; then t_ok "tui/ and core/ include no backend (main.c: the registry)"; else
	t_fail "tui/ and core/ include no backend (main.c: the registry)" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
bad=$(grep -nE '#[[:space:]]*include[[:space:]]*"(\.\./)?tui/' core/* backends/* || true)
if [ -z "$bad" ]; then t_ok "core/ and backends/ include nothing of tui/"; else
	t_fail "core/ and backends/ include nothing of tui/" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
# the faces test no pool type: what a type is and does is in the table
# (pool_types[], core/model.c) and its backend; a default type for a new
# pool (an enum value used as data) is the one exception
types='POOL_(DIR|FS|NETFS|LOGICAL|DISK|ISCSI|ISCSI_DIRECT|RBD)\b'
bad=$(grep -nE "$types" tui/*.c tui/*.h |
	grep -vE '^tui/ui_wiz_pool\.c:[0-9]+:.*\? POOL_DIR : \(enum pool_type\)t;' || true)
if [ -z "$bad" ]; then t_ok "tui/ tests no pool type (the table says)"; else
	t_fail "tui/ tests no pool type (the table says)" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
printf 'if (t == POOL_DISK) x();\n' > "$T/y.c"
if grep -qE "$types" "$T/y.c"; then t_ok "the pattern finds a pool type test"; else
	t_fail "the pattern finds a pool type test" "grep missed POOL_DISK"; fi
# the faces read no printed text back: errors come as struct err (or the
# cli's), results as fields
bad=$(grep -nE 'strstr\([^,]*(out|output|buf)\b' tui/*.c || true)
if [ -z "$bad" ]; then t_ok "tui/ scrapes no command or job output"; else
	t_fail "tui/ scrapes no command or job output" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
# the check itself finds a call where one would be
printf 'static void f(void) { refresh(); }\n' > "$T/x.c"
if grep -qE "$calls" "$T/x.c"; then t_ok "the pattern finds an ncurses call"; else
	t_fail "the pattern finds an ncurses call" "grep missed refresh()"; fi
