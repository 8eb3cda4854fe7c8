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
# libvirt is one engine among others: only backends/libvirt*.c name it
# (its calls vir[A-Z]..., its headers)
libvirt_re='(^|[^[:alnum:]_])vir[A-Z][A-Za-z]+|#[[:space:]]*include[[:space:]]*<libvirt/'
# code only: comments may cite libvirt's names (virStorageBackend)
uncomment() {
	sed -e 's|/\*.*\*/||g' -e 's|^[[:space:]]*\*.*||' -e 's|/\*.*||' "$1"
}
bad=$(for f in core/* backends/* tui/*; do
	case $f in backends/libvirt*.[ch]) continue ;; esac
	uncomment "$f" | grep -nE "$libvirt_re" | sed "s|^|$f:|"
done || true)
if [ -z "$bad" ]; then t_ok "libvirt is named only in backends/libvirt*"; else
	t_fail "libvirt is named only in backends/libvirt*" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
printf 'static int f(void) { return virConnectClose(0); }\n' > "$T/y.c"
if uncomment "$T/y.c" | grep -qE "$libvirt_re"; then t_ok "the pattern finds a libvirt call"; else
	t_fail "the pattern finds a libvirt call" "grep missed virConnectClose"; fi
# the check itself finds a call where one would be
printf 'static void f(void) { refresh(); }\n' > "$T/x.c"
if grep -qE "$calls" "$T/x.c"; then t_ok "the pattern finds an ncurses call"; else
	t_fail "the pattern finds an ncurses call" "grep missed refresh()"; fi
