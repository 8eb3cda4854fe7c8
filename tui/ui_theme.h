/* cistern — colour roles, glyphs and themes (ui_theme.c): themes are data
 * files mapping roles to colours and attributes. */
#ifndef CISTERN_UI_THEME_H
#define CISTERN_UI_THEME_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

struct ui;

/* Semantic colour roles; themes map them to colours and attributes. */
enum role {
	R_NORMAL, R_TITLE, R_BORDER, R_HEADER, R_SELECTED, R_SELECTED_DIM,
	R_RUNNING, R_INACTIVE, R_BUILDING, R_DEGRADED, R_INACCESSIBLE,
	R_USAGE_LOW, R_USAGE_MID, R_USAGE_HIGH, R_BAR_EMPTY,
	R_EXTENT_FREE, R_EXTENT_USED, R_EXTENT_META,
	R_KEY, R_KEY_LABEL, R_STATUS, R_GOOD, R_WARNING, R_ERROR,
	R_DIALOG, R_DIALOG_TITLE, R_BUTTON, R_BUTTON_FOCUS, R_INPUT,
	R_DANGER, R_PROGRESS, R_DIM, R_FILTER,
	R_COUNT
};

struct glyphs {
	const char *vline, *hline, *tl, *tr, *bl, *br, *ltee, *rtee;
	const char *sel;                 /* selection marker */
	const char *bar_full, *bar_empty;
	const char *bar_part[8];         /* eighths, [0] unused */
	const char *st_running, *st_inactive, *st_building, *st_degraded,
		   *st_bad;
	const char *ellipsis, *up, *down, *check_on, *check_off;
	const char *log_ok, *log_fail;   /* a command that ran: it worked, not */
	const char *ext_free, *ext_used, *ext_grow;
	const char *job;
};

struct theme_spec {
	short fg, bg;          /* -1 default, 0..255 */
	attr_t attrs;
	bool set;
};

struct theme {
	char name[64];
	bool mono;             /* attributes only */
	struct theme_spec role[R_COUNT];
};


void theme_builtin(struct theme *t, bool mono);
/* Parse a theme file's text into t; -1 with a one-line reason in why. */
int theme_parse(const char *text, const char *origin, struct theme *t,
		char *why, size_t n);
/* Load a theme by name or path; on error fills why (file:line: ...) and
 * leaves t as the built-in theme. */
int theme_load(const char *name, struct theme *t, char *why, size_t n);
char **theme_names(size_t *n);
void theme_apply(struct ui *ui);
const struct glyphs *glyphs_get(bool utf8);
const char *role_name(int role);

#endif
