/* cistern — the full-screen interface's state (struct ui) and ui.c's
 * functions; each module has its own header (ui_list.h, ui_form.h...).
 *
 * Shape (STYLE.md): one generic list pane (ui_list.c) used by the pools
 * and volumes panes; one action table (actions.c) from which the key
 * bar, the help overlay and the ':' prompt's completion come; a dialog
 * layer (ui_dialog.c: message, confirm, form, text view, chooser, line
 * editor); jobs run in forked children that report over pipes
 * (ui_job.c); themes are data files (ui_theme.c). Event handlers return
 * what must happen (UI_* flags); the loop in ui.c decides. Only tui/ui*.c
 * call ncurses.
 */
#ifndef CISTERN_UI_H
#define CISTERN_UI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <curses.h>

#include "keys.h"
#include "ui_list.h"
#include "ui_theme.h"

struct action;
struct cistern;
struct dialog;
struct options;
struct ui_job;
struct ui_host;
struct ui_remote;

struct log_line {
	int64_t when;           /* unix time */
	int role;
	char *text;             /* the command line or message */
	char *detail;           /* stderr, or NULL */
	char *cmd;              /* the command line, for repeats, or NULL */
	int repeats;            /* the same command again since */
};

#define LOG_MAX 500

/* ---- what is remembered between runs (ui_settings.c) ---- */

struct ui_settings {
	char theme[64];         /* picked with t, or "" */
	char sort[2][64];       /* pools, volumes: "COLUMN asc|desc" */
	char *dl_dir;           /* the last download's directory, or NULL */
	char **hist;            /* the ':' prompt's history, oldest first */
	size_t nhist;
};

/* ---- the whole state ---- */

enum focus { FOCUS_POOLS, FOCUS_VOLS, FOCUS_BOTTOM };
/* The bottom pane's kinds, each with its own draw function (ui_draw.c's
 * bottoms[]): details, the log, the map (ui_map.c). */
enum bottom { BOTTOM_DETAILS, BOTTOM_LOG, BOTTOM_MAP, BOTTOM_COUNT };

struct ui {
	struct cistern *c;
	const struct options *o;
	bool utf8, mono, color_ok, mouse, read_only;
	const struct glyphs *g;
	struct theme theme;
	attr_t attr[R_COUNT];
	int rows, cols;
	bool too_small;
	enum focus focus;
	struct list pools, vols;
	char *pool_name;        /* the selected pool, kept across reloads */
	char *vol_name;         /* the selected volume */
	enum bottom bottom;
	bool map_auto;          /* disk and logical pools show their map */
	int map_dev, map_kind;  /* the map's selection (device, segment) */
	uint64_t map_start;
	struct dialog *dlg;
	char status[512];
	int status_role;
	struct log_line log[LOG_MAX];
	size_t nlog, log_head;  /* ring */
	size_t log_scroll;      /* lines hidden below: 0 follows the newest */
	int log_rows;           /* the log pane's rows at the last draw */
	struct ui_job **jobs;
	size_t njobs;
	int next_job_id;
	int ino_fd;
	int64_t next_tick, reload_at;
	struct ui_remote *remote;  /* loads over a remote engine, or NULL */
	/* several hosts (ui_hosts.c): none with one connection; ui->c and
	 * ui->remote are then the shown host's, and home is this machine's
	 * connection (settings, history) */
	struct cistern *home;
	struct ui_host *hosts;
	size_t nhosts, cur;
	char host[64], user[64];
	/* key bar hit regions, for the mouse */
	int nbar;
	struct { int x0, x1; const struct action *a; } bar[32];
	int cur_y, cur_x;       /* where the text cursor goes, -1: hidden */
	struct ui_settings set;
	/* layout */
	int main_y, main_h, pools_w, bottom_y, bottom_h, jobs_y, jobs_h;
};

/* ui.c */
void ui_status(struct ui *ui, int role, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A message too long for the status line is logged whole too. */
bool ui_status_fits(struct ui *ui, const char *msg);
void ui_log(struct ui *ui, int role, const char *text, const char *detail);
/* A command that ran, marked as it ended; the same command with the same
 * result among the latest entries (a periodic refresh) is counted there,
 * not logged again. */
void ui_log_cmd(struct ui *ui, const char *cmd, int status, bool dry,
		int64_t ms, const char *detail);
/* Leave curses for a program that owns the terminal, and come back. */
void ui_suspend(struct ui *ui);
void ui_resume(struct ui *ui);

#endif
