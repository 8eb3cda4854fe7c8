/* cistern — themes (role = fg,bg[,attrs] files over semantic roles) and
 * glyphs (UTF-8 or plain ASCII). */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/pool.h"
#include "../core/util.h"
#include "ui.h"
#include "ui_theme.h"

#ifndef CISTERN_DATADIR
#define CISTERN_DATADIR "/usr/local/share/cistern"
#endif

static const char *const role_names[R_COUNT] = {
	[R_NORMAL] = "normal", [R_TITLE] = "title", [R_BORDER] = "border",
	[R_HEADER] = "header", [R_SELECTED] = "selected",
	[R_SELECTED_DIM] = "selected_unfocused", [R_RUNNING] = "pool_running",
	[R_INACTIVE] = "pool_inactive", [R_BUILDING] = "pool_building",
	[R_DEGRADED] = "pool_degraded", [R_INACCESSIBLE] = "pool_inaccessible",
	[R_USAGE_LOW] = "usage_low", [R_USAGE_MID] = "usage_mid",
	[R_USAGE_HIGH] = "usage_high", [R_BAR_EMPTY] = "bar_empty",
	[R_EXTENT_FREE] = "extent_free", [R_EXTENT_USED] = "extent_used",
	[R_EXTENT_META] = "extent_meta", [R_KEY] = "key",
	[R_KEY_LABEL] = "key_label", [R_STATUS] = "status", [R_GOOD] = "ok",
	[R_WARNING] = "warning", [R_ERROR] = "error", [R_DIALOG] = "dialog",
	[R_DIALOG_TITLE] = "dialog_title", [R_BUTTON] = "button",
	[R_BUTTON_FOCUS] = "button_focus", [R_INPUT] = "input",
	[R_DANGER] = "danger", [R_PROGRESS] = "progress", [R_DIM] = "dim",
	[R_FILTER] = "filter",
};

/* The built-in themes: the same text as themes/default.theme and
 * themes/mono.theme, so a missing or broken file changes nothing. */
static const char builtin_default[] =
	"normal = default,default\n"
	"title = brightwhite,24,bold\n"
	"border = brightblack,default\n"
	"header = brightcyan,default,bold\n"
	"selected = brightwhite,25,bold\n"
	"selected_unfocused = default,238\n"
	"pool_running = brightgreen,default,bold\n"
	"pool_inactive = brightblack,default\n"
	"pool_building = brightyellow,default,bold\n"
	"pool_degraded = yellow,default,bold\n"
	"pool_inaccessible = brightred,default,bold\n"
	"usage_low = green,default\n"
	"usage_mid = yellow,default\n"
	"usage_high = brightred,default,bold\n"
	"bar_empty = brightblack,default\n"
	"extent_free = brightblack,default\n"
	"extent_used = cyan,default\n"
	"extent_meta = magenta,default\n"
	"key = black,cyan\n"
	"key_label = default,default\n"
	"status = default,default\n"
	"ok = brightgreen,default\n"
	"warning = brightyellow,default,bold\n"
	"error = brightwhite,red,bold\n"
	"dialog = default,236\n"
	"dialog_title = brightwhite,236,bold\n"
	"button = default,238\n"
	"button_focus = black,cyan,bold\n"
	"input = brightwhite,238\n"
	"danger = brightwhite,red,bold\n"
	"progress = black,green\n"
	"dim = brightblack,default\n"
	"filter = black,yellow\n";

static const char builtin_mono[] =
	"normal = default,default\n"
	"title = default,default,reverse\n"
	"border = default,default\n"
	"header = default,default,bold+underline\n"
	"selected = default,default,reverse+bold\n"
	"selected_unfocused = default,default,underline\n"
	"pool_running = default,default,bold\n"
	"pool_inactive = default,default\n"
	"pool_building = default,default,underline\n"
	"pool_degraded = default,default,bold+underline\n"
	"pool_inaccessible = default,default,bold+underline\n"
	"usage_low = default,default\n"
	"usage_mid = default,default\n"
	"usage_high = default,default,bold\n"
	"bar_empty = default,default\n"
	"extent_free = default,default\n"
	"extent_used = default,default,bold\n"
	"extent_meta = default,default,underline\n"
	"key = default,default,reverse\n"
	"key_label = default,default\n"
	"status = default,default\n"
	"ok = default,default,bold\n"
	"warning = default,default,bold\n"
	"error = default,default,reverse+bold\n"
	"dialog = default,default\n"
	"dialog_title = default,default,bold\n"
	"button = default,default\n"
	"button_focus = default,default,reverse+bold\n"
	"input = default,default,underline\n"
	"danger = default,default,bold\n"
	"progress = default,default,reverse\n"
	"dim = default,default\n"
	"filter = default,default,bold+underline\n";

/* A role's name in theme files. */
const char *
role_name(int role)
{
	return role >= 0 && role < R_COUNT ? role_names[role] : "?";
}

static const char *const color_names[] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

/* A colour word: default, a name, bright<name>, or 0..255. */
static int
theme_color(const char *s, short *out)
{
	uint64_t v;

	if (strcmp(s, "default") == 0 || strcmp(s, "-1") == 0) {
		*out = -1;
		return 0;
	}
	for (int i = 0; i < 8; i++) {
		if (strcmp(s, color_names[i]) == 0) {
			*out = (short)i;
			return 0;
		}
		if (strncmp(s, "bright", 6) == 0 &&
		    strcmp(s + 6, color_names[i]) == 0) {
			*out = (short)(i + 8);
			return 0;
		}
	}
	if (strcmp(s, "grey") == 0 || strcmp(s, "gray") == 0) {
		*out = 8;
		return 0;
	}
	if (str_to_u64(s, 10, &v) == 0 && v <= 255) {
		*out = (short)v;
		return 0;
	}
	return -1;
}

/* Attributes joined by '+', '|' or blanks. */
static int
theme_attrs(char *s, attr_t *out, char *bad, size_t n)
{
	static const struct { const char *name; attr_t a; } names[] = {
		{ "bold", A_BOLD }, { "dim", A_DIM },
		{ "underline", A_UNDERLINE }, { "reverse", A_REVERSE },
		{ "standout", A_STANDOUT }, { "italic", A_ITALIC },
		{ "blink", A_BLINK }, { "normal", A_NORMAL },
		{ "none", A_NORMAL },
	};
	char *save = NULL;

	*out = A_NORMAL;
	for (char *w = strtok_r(s, "+| \t", &save); w != NULL;
	     w = strtok_r(NULL, "+| \t", &save)) {
		size_t i;
		for (i = 0; i < ARRAY_SIZE(names); i++)
			if (strcmp(w, names[i].name) == 0)
				break;
		if (i == ARRAY_SIZE(names)) {
			snprintf(bad, n, "%s", w);
			return -1;
		}
		*out |= names[i].a;
	}
	return 0;
}

/* Parse theme text into t (roles not named keep their value). */
int
theme_parse(const char *text, const char *origin, struct theme *t,
	    char *why, size_t n)
{
	const char *s = text;
	int lineno = 0;

	while (*s != '\0') {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		char *line = xstrndup(s, len), *p, *eq, *parts[4];
		int np = 0, role;
		char bad[64];

		lineno++;
		s += len + (eol != NULL);
		if ((p = strchr(line, '#')) != NULL)
			*p = '\0';
		p = str_trim(line);
		if (*p == '\0') {
			free(line);
			continue;
		}
		if ((eq = strchr(p, '=')) == NULL) {
			snprintf(why, n, "%s:%d: expected 'role = fg,bg[,attrs]'",
				 origin, lineno);
			free(line);
			return -1;
		}
		*eq = '\0';
		char *key = str_trim(p), *val = str_trim(eq + 1);
		for (role = 0; role < R_COUNT; role++)
			if (strcmp(key, role_names[role]) == 0)
				break;
		if (role == R_COUNT) {
			snprintf(why, n, "%s:%d: unknown role '%s'", origin,
				 lineno, key);
			free(line);
			return -1;
		}
		for (char *q = val; np < 4; np++) {
			parts[np] = q;
			char *c = strchr(q, ',');
			if (c == NULL) {
				np++;
				break;
			}
			*c = '\0';
			q = c + 1;
		}
		if (np < 2 || np > 3) {
			snprintf(why, n, "%s:%d: role '%s' needs fg,bg[,attrs]",
				 origin, lineno, key);
			free(line);
			return -1;
		}
		struct theme_spec sp = { .set = true };
		for (int i = 0; i < 2; i++) {
			char *c = str_trim(parts[i]);
			if (theme_color(c, i ? &sp.bg : &sp.fg) < 0) {
				snprintf(why, n, "%s:%d: unknown colour '%s'",
					 origin, lineno, c);
				free(line);
				return -1;
			}
		}
		if (np == 3 && theme_attrs(parts[2], &sp.attrs, bad,
					   sizeof(bad)) < 0) {
			snprintf(why, n, "%s:%d: unknown attribute '%s'", origin,
				 lineno, bad);
			free(line);
			return -1;
		}
		t->role[role] = sp;
		free(line);
	}
	return 0;
}

/* The built-in theme (default or mono). */
void
theme_builtin(struct theme *t, bool mono)
{
	char why[64];

	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "%s", mono ? "mono" : "default");
	t->mono = mono;
	theme_parse(mono ? builtin_mono : builtin_default, "built-in", t, why,
		    sizeof(why));
}

/* The directories themes are looked up in, most specific first. */
static size_t
theme_dirs(char dirs[][PATH_MAX], size_t max)
{
	const char *env = getenv("CISTERN_THEME_DIR");
	char exe[PATH_MAX];
	ssize_t n;
	size_t k = 0;

	if (env != NULL && *env != '\0' && k < max)
		snprintf(dirs[k++], PATH_MAX, "%s", env);
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *d = dirname(exe);
		if (k < max)
			snprintf(dirs[k++], PATH_MAX, "%s/themes", d);
		if (k < max)
			snprintf(dirs[k++], PATH_MAX, "%s/../themes", d);
	}
	if (k < max)
		snprintf(dirs[k++], PATH_MAX, "%s/themes", CISTERN_DATADIR);
	return k;
}

/* Load a theme by name or path over the built-in one. */
int
theme_load(const char *name, struct theme *t, char *why, size_t n)
{
	char dirs[4][PATH_MAX];
	size_t nd = theme_dirs(dirs, 4);
	char *path = NULL, *text;
	struct err e;
	size_t len;
	bool mono = strcmp(name, "mono") == 0;
	int rc;

	theme_builtin(t, mono);
	if (strchr(name, '/') != NULL) {
		path = xstrdup(name);
	} else {
		for (size_t i = 0; i < nd && path == NULL; i++) {
			char *p = xasprintf("%s/%s.theme", dirs[i], name);
			if (access(p, R_OK) == 0)
				path = p;
			else
				free(p);
		}
	}
	if (path == NULL) {
		if (strcmp(name, "default") == 0 || mono)
			return 0;
		snprintf(why, n, "theme '%s' not found (looked in %s%s%s)", name,
			 nd > 0 ? dirs[0] : "", nd > 1 ? " and others" : "",
			 "");
		return -1;
	}
	err_init(&e);
	text = file_read_all(path, 1 << 20, &len, &e);
	if (text == NULL) {
		snprintf(why, n, "%s", e.msg);
		err_clear(&e);
		free(path);
		return -1;
	}
	rc = theme_parse(text, path, t, why, n);
	free(text);
	free(path);
	if (rc < 0) {
		theme_builtin(t, mono);
		return -1;
	}
	const char *base = strrchr(name, '/') ? strrchr(name, '/') + 1 : name;
	snprintf(t->name, sizeof(t->name), "%.*s",
		 (int)(strlen(base) - (str_endswith(base, ".theme") ? 6 : 0)),
		 base);
	return 0;
}

/* qsort: strings in order. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every theme that can be picked, sorted. */
char **
theme_names(size_t *count)
{
	char dirs[4][PATH_MAX];
	size_t nd = theme_dirs(dirs, 4), n = 0;
	char **v = NULL;

	strv_push(&v, &n, "default");
	strv_push(&v, &n, "mono");
	for (size_t i = 0; i < nd; i++) {
		DIR *d = opendir(dirs[i]);
		struct dirent *de;
		if (d == NULL)
			continue;
		while ((de = readdir(d)) != NULL) {
			size_t l = strlen(de->d_name);
			bool dup = false;
			if (de->d_name[0] == '.' || !str_endswith(de->d_name, ".theme"))
				continue;
			char *nm = xstrndup(de->d_name, l - 6);
			for (size_t k = 0; k < n; k++)
				dup |= strcmp(v[k], nm) == 0;
			if (!dup)
				strv_push(&v, &n, nm);
			free(nm);
		}
		closedir(d);
	}
	qsort(v, n, sizeof(*v), cmp_str);
	*count = n;
	return v;
}

/* xterm's palette, to map colours down on smaller terminals. */
static void
color_rgb(int c, int rgb[3])
{
	static const int base[16][3] = {
		{ 0, 0, 0 }, { 205, 0, 0 }, { 0, 205, 0 }, { 205, 205, 0 },
		{ 0, 0, 238 }, { 205, 0, 205 }, { 0, 205, 205 },
		{ 229, 229, 229 }, { 127, 127, 127 }, { 255, 0, 0 },
		{ 0, 255, 0 }, { 255, 255, 0 }, { 92, 92, 255 },
		{ 255, 0, 255 }, { 0, 255, 255 }, { 255, 255, 255 },
	};
	static const int lv[6] = { 0, 95, 135, 175, 215, 255 };

	if (c < 16) {
		memcpy(rgb, base[c], sizeof(base[c]));
	} else if (c < 232) {
		c -= 16;
		rgb[0] = lv[c / 36];
		rgb[1] = lv[(c / 6) % 6];
		rgb[2] = lv[c % 6];
	} else {
		rgb[0] = rgb[1] = rgb[2] = 8 + 10 * (c - 232);
	}
}

/* The nearest of the first `n` palette colours. */
static short
color_nearest(int c, int n)
{
	int rgb[3], best = 0;
	long bestd = -1;

	color_rgb(c, rgb);
	for (int i = 0; i < n; i++) {
		int o[3];
		color_rgb(i, o);
		long d = 0;
		for (int k = 0; k < 3; k++)
			d += (long)(rgb[k] - o[k]) * (rgb[k] - o[k]);
		if (bestd < 0 || d < bestd) {
			bestd = d;
			best = i;
		}
	}
	return (short)best;
}

/* Turn the theme into colour pairs and attributes for this terminal. */
void
theme_apply(struct ui *ui)
{
	struct theme base;
	int ncolors = ui->mono ? 0 : COLORS;
	bool defaults = !ui->mono && use_default_colors() == OK;

	theme_builtin(&base, ui->mono || ui->theme.mono);
	for (int r = 0; r < R_COUNT; r++) {
		struct theme_spec sp = ui->theme.role[r].set ? ui->theme.role[r] :
				       base.role[r];
		attr_t a = sp.attrs;
		short fg = sp.fg, bg = sp.bg;

		if (ui->mono || ncolors < 8) {
			ui->attr[r] = a;
			continue;
		}
		if (fg >= ncolors)
			fg = color_nearest(fg, ncolors >= 16 ? 16 : 8);
		if (bg >= ncolors)
			bg = color_nearest(bg, ncolors >= 16 ? 16 : 8);
		if (ncolors < 16 && fg >= 8) {
			fg -= 8;
			a |= A_BOLD;
		}
		if (ncolors < 16 && bg >= 8)
			bg -= 8;
		if (!defaults) {
			if (fg < 0)
				fg = COLOR_WHITE;
			if (bg < 0)
				bg = COLOR_BLACK;
		}
		if (r + 1 < COLOR_PAIRS && init_pair((short)(r + 1), fg, bg) == OK)
			a |= COLOR_PAIR(r + 1);
		ui->attr[r] = a;
	}
}

static const struct glyphs glyphs_utf8 = {
	.vline = "│", .hline = "─", .tl = "┌", .tr = "┐", .bl = "└",
	.br = "┘", .ltee = "├", .rtee = "┤", .sel = "▸",
	.bar_full = "█", .bar_empty = "·",
	.bar_part = { "", "▏", "▎", "▍", "▌", "▋", "▊", "▉" },
	.st_running = "●", .st_inactive = "○", .st_building = "◌",
	.st_degraded = "◐", .st_bad = "✗",
	.ellipsis = "…", .up = "▲", .down = "▼", .check_on = "[x]",
	.check_off = "[ ]", .log_ok = "✓", .log_fail = "✗ FAILED",
	.ext_free = "░", .ext_used = "▓", .ext_grow = "▒",
	.job = "⟳",
};

static const struct glyphs glyphs_ascii = {
	.vline = "|", .hline = "-", .tl = "+", .tr = "+", .bl = "+",
	.br = "+", .ltee = "+", .rtee = "+", .sel = ">",
	.bar_full = "#", .bar_empty = ".",
	.bar_part = { "", "", "", "", "", "", "", "" },
	.st_running = "*", .st_inactive = "-", .st_building = "~",
	.st_degraded = "!", .st_bad = "X",
	.ellipsis = "~", .up = "^", .down = "v", .check_on = "[x]",
	.check_off = "[ ]", .log_ok = "ok", .log_fail = "FAILED",
	.ext_free = ":", .ext_used = "#", .ext_grow = "~",
	.job = "@",
};

/* UTF-8 glyphs, or plain ASCII. */
const struct glyphs *
glyphs_get(bool utf8)
{
	return utf8 ? &glyphs_utf8 : &glyphs_ascii;
}
