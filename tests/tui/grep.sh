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
# one form engine (ui_form.c's editor and drawing serve the wizards too):
# libformw is neither included nor linked
bad=$(grep -nE '#[[:space:]]*include[[:space:]]*<form\.h>' tui/* || true)
bad="$bad$(grep -nE '^PKGS[[:space:]]*:?=.*[[:space:]]formw([[:space:]]|$)' Makefile || true)"
if [ -z "$bad" ]; then t_ok "one form engine: no libformw"; else
	t_fail "one form engine: no libformw" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
# the mount table is read through libmount (core/mounts.c), never by hand
bad=$(grep -nF '"/proc/self/mountinfo"' core/*.c backends/*.c tui/*.c || true)
if [ -z "$bad" ]; then t_ok "no hand parser of /proc/self/mountinfo"; else
	t_fail "no hand parser of /proc/self/mountinfo" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
# no import loop between the command line and the screen: from the
# objects' symbols (a file imports another when it uses what that one
# defines), no cli-side file (cli*.c, man.c, complete.c, table.c,
# globals.c) and ui*.c file reach each other; the manual page reads the
# action table (actions.c), not the interface
objs=${BUILD:-$TOP/build}/tui
loops() {
	for o in "$1"/*.o; do
		nm "$o" | awk -v f="$(basename "$o" .o)" '
			$1 == "U" { print "U", f, $2 }
			NF == 3 && $2 ~ /^[TDRBC]$/ { print "D", f, $3 }'
	done | awk '
	$1 == "D" { def[$3] = $2 }
	$1 == "U" { n++; uf[n] = $2; us[n] = $3 }
	END {
		for (i = 1; i <= n; i++) {
			if (!(us[i] in def) || def[us[i]] == uf[i])
				continue
			adj[uf[i]] = adj[uf[i]] " " def[us[i]]
			files[uf[i]] = 1; files[def[us[i]]] = 1
		}
		for (a in files) {
			delete seen; top = 0
			m = split(adj[a], q, " ")
			for (k = 1; k <= m; k++)
				if (!(q[k] in seen)) { seen[q[k]] = 1; st[++top] = q[k] }
			while (top > 0) {
				x = st[top--]; reach[a, x] = 1
				mm = split(adj[x], r, " ")
				for (k = 1; k <= mm; k++)
					if (!(r[k] in seen)) { seen[r[k]] = 1; st[++top] = r[k] }
			}
		}
		for (a in files)
			for (b in files)
				if (a ~ /^(cli|cli_.*|man|complete|table|globals)$/ &&
				    b ~ /^ui(_.*)?$/ && reach[a, b] && reach[b, a])
					print a ".c <-> " b ".c"
	}' | sort
}
if ! ls "$objs"/*.o >/dev/null 2>&1 || ! command -v nm >/dev/null; then
	t_skip "no import loop between cli and ui files" "no objects in $objs"
else
	bad=$(loops "$objs")
	if [ -z "$bad" ]; then t_ok "no import loop between cli and ui files"; else
		t_fail "no import loop between cli and ui files" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
	# the check finds a loop where one is: two objects that use each other
	mkdir -p "$T/objs"
	printf 'int ui_x(void);\nint cli_y(void) { return ui_x(); }\n' > "$T/cli.c"
	printf 'int cli_y(void);\nint ui_x(void) { return cli_y(); }\n' > "$T/ui.c"
	if cc -c -o "$T/objs/cli.o" "$T/cli.c" && cc -c -o "$T/objs/ui.o" "$T/ui.c" &&
	    [ -n "$(loops "$T/objs")" ]; then
		t_ok "the loop check finds a loop"
	else
		t_fail "the loop check finds a loop" "cli.c <-> ui.c not reported"
	fi
fi
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
# one field model: a wizard's field (struct wfield, tui/ui_wiz.h) embeds
# the dialogs' struct field (tui/ui_form.h) and declares none of its
# members again; one enum of field kinds
fields_dup() {
	awk '/^struct wfield \{/ { in_f = 1; next } in_f && /^\};/ { in_f = 0 }
	     in_f' "$1" | sed -e 's|/\*.*\*/||g' -e 's|^[[:space:]]*\*.*||' |
	grep -nE '[[:space:]*](kind|label|hint|buf|value|cursor|choices|nchoices|choice|on|hidden)[[:space:]]*[;,[]' || true
}
bad=$(fields_dup tui/ui_wiz.h)
grep -qE '^[[:space:]]*struct field base;' tui/ui_wiz.h || bad="$bad no 'struct field base;'"
bad="$bad$(grep -nE 'enum[[:space:]]+wf_kind' tui/*.c tui/*.h || true)"
if [ -z "$bad" ]; then t_ok "one field model: struct wfield extends struct field"; else
	t_fail "one field model: struct wfield extends struct field" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
printf 'struct wfield {\n\tstruct field base;\n\tchar *label;\n};\n' > "$T/w.h"
if [ -n "$(fields_dup "$T/w.h")" ]; then t_ok "the check finds a member declared twice"; else
	t_fail "the check finds a member declared twice" "missed char *label"; fi
# the faces read no printed text back: errors come as struct err (or the
# cli's), results as fields
bad=$(grep -nE 'strstr\([^,]*(out|output|buf)\b' tui/*.c || true)
if [ -z "$bad" ]; then t_ok "tui/ scrapes no command or job output"; else
	t_fail "tui/ scrapes no command or job output" "$(echo "$bad" | head -3 | tr '\n' ' ')"; fi
# the check itself finds a call where one would be
printf 'static void f(void) { refresh(); }\n' > "$T/x.c"
if grep -qE "$calls" "$T/x.c"; then t_ok "the pattern finds an ncurses call"; else
	t_fail "the pattern finds an ncurses call" "grep missed refresh()"; fi
