/* cistern — the full-screen interface: what its files share.
 *
 * Shape (STYLE.md): one generic list pane (ui_list.c) used by the pools
 * and volumes panes; one action table (ui_action.c) from which the key
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

#include "../core/job.h"
#include "../core/pool.h"
#include "../core/util.h"
#include "columns.h"
#include "main.h"

/* Keys: characters are their code points; curses key codes carry K_FN. */
#define K_FN(k)   ((k) | 0x1000000)
#define K_CTRL(c) ((c) & 0x1f)
#define K_ESC     27
#define K_ENTER   '\r'
#define K_TAB     '\t'
#define K_MOUSE   K_FN(KEY_MOUSE)
#define K_RESIZE  K_FN(KEY_RESIZE)
#define K_NONE    (-1)

/* What an event handler asks the main loop to do. */
enum {
	UI_NONE = 0,
	UI_DRAW = 1 << 0,      /* redraw the screen */
	UI_RELOAD = 1 << 1,    /* re-read pools, refresh the selected one */
	UI_REVOLS = 1 << 2,    /* rebuild the volume rows (pool changed) */
	UI_QUIT = 1 << 3,
	UI_REFRESH = 1 << 4,   /* refresh the selected pool's volumes */
};

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

/* ---- the generic list pane ---- */

struct ui;
struct list;

/* One column a pane may show, with a cap on its width. */
struct pane_col {
	const char *id;
	int maxw;              /* 0: no cap */
	int extra;             /* columns the pane's own drawing adds */
	const char *title;     /* a shorter title for the pane, or NULL */
	bool tail;             /* cut on the left (paths: the end matters) */
};

struct list_ops {
	/* Does the row match the filter (lower-case needle)? */
	bool (*match)(const struct row *r, const char *needle);
	/* Draw a special cell; false lets the list draw the text. */
	bool (*cell)(struct ui *ui, const struct column *col,
		     const struct row *r, int y, int x, int w, attr_t base,
		     bool selected);
	/* Name of a row, to keep the selection across rebuilds. */
	const char *(*name)(const struct row *r);
};

#define LIST_MAXCOLS 16

struct list {
	const char *what;                  /* "pools", "volumes" */
	const struct column *cols;
	const struct pane_col *show;       /* NULL-id terminated */
	const struct list_ops *ops;
	struct row *rows;
	size_t nrows;
	size_t *order;                     /* every row, sorted */
	size_t *view;                      /* indices of rows shown */
	size_t nview;
	size_t sel, top;
	char filter[128];
	const struct column *sort;
	bool desc;
	int *maxw;                         /* widest cell per show[] entry,
					      capped */
	int *fullw;                        /* the same, uncapped */
	int nshow;
	/* the last draw, for the mouse */
	int y, x, h, w;
	int ncol;
	int colx[LIST_MAXCOLS], colw[LIST_MAXCOLS];
	const struct column *colp[LIST_MAXCOLS];
	const struct pane_col *colpc[LIST_MAXCOLS];
};

void list_init(struct list *l, const char *what, const struct column *cols,
	       const struct pane_col *show, const struct list_ops *ops,
	       const char *sort_id);
void list_free(struct list *l);
/* Replace the rows (taken), selecting the row named `keep` (else the
 * same index). The old rows are not looked at: they may be gone. */
void list_set_rows(struct list *l, struct row *rows, size_t n,
		   const char *keep);
/* Drop the rows without looking at them (before the model changes). */
void list_clear(struct list *l);
const struct row *list_selected(const struct list *l);
void list_set_filter(struct list *l, const char *filter);
void list_sort_by(struct list *l, const struct column *col, bool desc);
/* Move the selection by delta rows (clamped); page = visible rows. */
void list_move(struct list *l, long delta);
void list_select_name(struct list *l, const char *name);
void list_draw(struct ui *ui, struct list *l, int y, int x, int h, int w,
	       bool focused);
/* Navigation keys (arrows, j/k, pages, home/end): UI_DRAW or UI_NONE. */
int list_key(struct list *l, int key);
/* A click at screen (y, x): selects a row or sorts by a header. */
int list_click(struct list *l, int y, int x, bool *row_hit);

/* ---- dialogs ---- */

struct dialog;
typedef int (*dlg_key_fn)(struct ui *ui, struct dialog *d, int key);
typedef void (*dlg_draw_fn)(struct ui *ui, struct dialog *d);
typedef void (*dlg_free_fn)(struct dialog *d);

struct dialog {
	dlg_draw_fn draw;
	dlg_key_fn key;
	dlg_free_fn free;
	struct dialog *below;
	char *title;
	void *data;                        /* the kind's own state */
	/* the last box, for the mouse */
	int y, x, h, w;
};

enum field_kind { F_TEXT, F_CHOICE, F_CHECK, F_LABEL };

struct field {
	enum field_kind kind;
	char *label;
	char *value;                       /* F_TEXT, F_LABEL */
	size_t cursor;                     /* byte offset in value */
	char **choices;                    /* F_CHOICE */
	int nchoices, choice;
	bool on;                           /* F_CHECK */
	char *hint;                        /* shown after the field */
	bool hidden;
};

struct form;
/* Called with the button pressed (index); returns UI_* flags, or -1 to
 * keep the form open (an error was set with form_error). */
typedef int (*form_done_fn)(struct ui *ui, struct form *f, int button);
/* Called when a field changes (to update hints or hide fields). */
typedef void (*form_change_fn)(struct ui *ui, struct form *f, int field);

struct form {
	char *text;                        /* explanation above the fields */
	struct field *fields;
	int nfields;
	char **buttons;
	int nbuttons;
	int cancel;                        /* index of the Cancel button */
	int focus;                         /* fields first, then buttons */
	bool danger;
	char *error;
	int confirm_field;                 /* F_TEXT that must equal confirm */
	char *confirm;                     /* the name to type back */
	int confirm_button;                /* the button it unlocks */
	form_done_fn done;
	form_change_fn change;
	void *ctx;
	void (*ctx_free)(void *ctx);
	int width;
	/* the last draw, for the mouse */
	int btn_y, btn_x[8], btn_w[8], field_y[24];
};

void dialog_push(struct ui *ui, struct dialog *d);
struct dialog *dialog_new(const char *title, dlg_draw_fn draw, dlg_key_fn key,
			  dlg_free_fn fr, void *data);
/* Take the top dialog off the stack without freeing it; destroy one. */
struct dialog *dialog_unlink(struct ui *ui);
void dialog_destroy(struct dialog *d);
/* Line editing shared by forms and the status-line editor. */
bool key_printable(int key);
bool key_backspace(int key);
bool edit_key(char **value, size_t *cursor, int key);
void input_draw(struct ui *ui, int y, int x, int w, const char *value,
		size_t cursor, bool focused, attr_t a);
/* Close the top dialog. */
void dialog_pop(struct ui *ui);
void dialog_draw_all(struct ui *ui);
bool dialog_is_form(const struct dialog *d);
int form_click(struct ui *ui, struct dialog *d, int y, int x);
/* Draw a framed box and its title; returns nothing, fills d->y.. */
void dialog_box(struct ui *ui, struct dialog *d, int h, int w, int role);

/* A message: title, text, one [OK] button. */
void dialog_message(struct ui *ui, const char *title, const char *text,
		    bool error);
/* A scrollable text view (help, XML, output, details). */
void dialog_text(struct ui *ui, const char *title, const char *text);

/* Forms (confirmations are forms without fields). */
struct form *form_new(const char *text, form_done_fn done, void *ctx,
		      void (*ctx_free)(void *));
int form_add_text(struct form *f, const char *label, const char *value,
		  const char *hint);
int form_add_choice(struct form *f, const char *label,
		    const char *const *choices, int n, int choice);
int form_add_check(struct form *f, const char *label, bool on);
int form_add_label(struct form *f, const char *label, const char *value);
void form_add_button(struct form *f, const char *label);
/* The last button is Cancel and has the focus unless said otherwise. */
void form_open(struct ui *ui, const char *title, struct form *f);
/* Require `name` typed in field `fi` before button `bi` works. */
void form_require_name(struct form *f, int fi, const char *name, int bi);
void form_error(struct form *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *form_text(const struct form *f, int fi);
int form_choice(const struct form *f, int fi);
bool form_check(const struct form *f, int fi);

/* A list to pick from; `move` previews (may be NULL); `pick` gets the
 * index, or -1 when cancelled. */
typedef int (*chooser_fn)(struct ui *ui, int index, void *ctx);
void dialog_chooser(struct ui *ui, const char *title, char **items, int n,
		    int sel, chooser_fn on_move, chooser_fn pick, void *ctx,
		    void (*ctx_free)(void *));

/* One-line editor on the status line (':' prompt, '/' filter). */
typedef int (*line_fn)(struct ui *ui, const char *text, bool done,
		       void *ctx);
/* Tab: the completed line (or NULL), and the candidates to list when
 * several remain. */
typedef char *(*complete_fn)(struct ui *ui, const char *text, char ***cands,
			     size_t *ncands);
void dialog_line(struct ui *ui, const char *prompt, const char *init,
		 line_fn change, line_fn done, complete_fn complete,
		 void *ctx);
/* Up and Down in the line editor on top walk this list (oldest first). */
void dialog_line_history(struct ui *ui, char ***hist, size_t *nhist);

/* ---- actions ---- */

enum {
	A_POOL = 1 << 0,       /* acts on the selected pool */
	A_VOL = 1 << 1,        /* acts on the selected volume */
	A_GLOBAL = 1 << 2,     /* needs no selection */
	A_WRITES = 1 << 3,     /* hidden with --read-only */
	A_DANGER = 1 << 4,     /* destroys data */
	A_BAR = 1 << 5,        /* worth a place in the key bar */
};

struct action {
	const char *name;      /* also a ':' command */
	int fkey;              /* 1..12, 0 none */
	int key;               /* letter key, 0 none */
	const char *label;     /* key bar */
	const char *help;      /* help overlay */
	unsigned flags;
	const char *op;        /* pool_can() operation, or NULL */
	/* State precondition: NULL when usable, else why not. */
	const char *(*usable)(struct ui *ui);
	int (*run)(struct ui *ui);
};

extern const struct action ui_actions[];
/* Is the action offered here (mode, selection, backend)? */
bool action_offered(struct ui *ui, const struct action *a);
/* Offered and usable now. */
bool action_ready(struct ui *ui, const struct action *a);
int action_run(struct ui *ui, const struct action *a);
const struct action *action_find(const char *name);
/* The action bound to a key for the focused pane, or NULL. */
const struct action *action_for_key(struct ui *ui, int key);
/* Run the focused pane's action for a key, or say why nothing runs. */
int action_key(struct ui *ui, int key);
char *action_help_text(struct ui *ui);

/* Pool and volume actions (ui_act_pool.c, ui_act_vol.c). */
#define ACT(name) int name(struct ui *ui)
#define USABLE(name) const char *name(struct ui *ui)
ACT(act_help); ACT(act_quit); ACT(act_prompt); ACT(act_filter);
ACT(act_sort); ACT(act_log); ACT(act_theme); ACT(act_jobs);
ACT(act_details); ACT(act_refresh);
ACT(act_pool_new); ACT(act_pool_start); ACT(act_pool_stop);
ACT(act_pool_build); ACT(act_pool_autostart); ACT(act_pool_delete);
ACT(act_pool_undefine); ACT(act_pool_edit); ACT(act_pool_xml);
ACT(act_vol_create); ACT(act_vol_clone); ACT(act_vol_wipe);
ACT(act_vol_resize); ACT(act_vol_delete); ACT(act_vol_upload);
ACT(act_vol_download); ACT(act_vol_xml);
/* Create a volume as a job (takes v): the volume wizard's Finish. */
int ui_vol_create(struct ui *ui, const char *pool, struct vol_def *v,
		  unsigned flags);
USABLE(need_inactive); USABLE(need_active); USABLE(need_running);
USABLE(need_vol);
void ui_offer_default_pool(struct ui *ui);

/* ---- jobs ---- */

/* Runs in the child with its own copy of everything; `out` collects text
 * to show when the job ends. Returns 0 or -1 with e set. */
typedef int (*job_fn)(struct cistern *c, struct job *j, void *arg,
		      struct sbuf *out, struct err *e);

struct ui_job;
/* Called in the screen's process when a job ends (instead of the usual
 * report); returns UI_* flags. */
typedef int (*job_end_fn)(struct ui *ui, struct ui_job *j, void *arg);

struct ui_job {
	int id;
	char *title;
	char *pool;             /* the pool it changes, or NULL */
	pid_t pid;
	int fd;
	struct job mirror;      /* done, total, phase; rate and ETA */
	bool cancelling, ended, show_output;
	int code;               /* enum err_code of the result */
	char *msg;              /* error message */
	char *output;
	char *buf;              /* partial records from the pipe */
	size_t len, cap;
	int64_t ended_ms;
	job_end_fn on_end;      /* the wizards' jobs report to them */
	void *end_arg;
	bool quiet;             /* abandoned: only the log hears its end */
	char *select_vol;       /* a volume it makes: selected when done */
};

int ui_job_start(struct ui *ui, const char *title, const char *pool,
		 job_fn fn, void *arg, bool show_output);
/* A job whose end is reported to `on_end` (the wizards: discovery,
 * setting a pool up); nothing else is said about it but the log. */
int ui_job_start_cb(struct ui *ui, const char *title, const char *pool,
		    job_fn fn, void *arg, job_end_fn on_end, void *end_arg);
/* Cancel a job and forget who waited for its end. */
void ui_job_abandon(struct ui *ui, int id);
void ui_job_cancel(struct ui *ui, struct ui_job *j);
/* Ask the operator before stopping a job (the default lets it run). */
void ui_job_ask_cancel(struct ui *ui, struct ui_job *j);
/* Read what the children sent; returns UI_* flags. */
int ui_jobs_poll(struct ui *ui, int fd);
size_t ui_jobs_running(const struct ui *ui);
void ui_jobs_cancel_all(struct ui *ui);
/* The progress dialog of a job. */
void dialog_progress(struct ui *ui, int job_id);
struct ui_job *ui_job_by_id(struct ui *ui, int id);
/* "[#####.....]  43%  120M/s  0:32 left" in w columns. */
void ui_draw_progress(struct ui *ui, const struct ui_job *j, int y, int x,
		      int w);

/* ---- the log ---- */

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
	size_t log_scroll;
	struct ui_job **jobs;
	size_t njobs;
	int next_job_id;
	int ino_fd;
	int64_t next_tick, reload_at;
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
struct pool *ui_pool(struct ui *ui);
const struct vol_def *ui_vol(struct ui *ui);
void ui_select_pool(struct ui *ui, const char *name);
void ui_reload(struct ui *ui);
void ui_rebuild_pools(struct ui *ui);
void ui_rebuild_vols(struct ui *ui);
void ui_refresh_selected(struct ui *ui);
void ui_ino_drain(struct ui *ui);
/* Model helpers (ui_model.c): make sure the selected pool's volumes are
 * read, refresh every running pool, keep the volume pane on the pool the
 * selection moved to. */
void ui_ensure_vols(struct ui *ui);
void ui_refresh_all(struct ui *ui);
void ui_follow_pool(struct ui *ui);
/* Select this volume of `pool` when the volumes are read again (a volume
 * just made). */
void ui_select_vol_later(struct ui *ui, const char *pool, const char *vol);
/* Remember the selection by name, then drop the rows (before the core
 * frees what they point at). */
void ui_detach(struct ui *ui);
void ui_sync(struct ui *ui);
/* Leave curses for a program that owns the terminal, and come back. */
void ui_suspend(struct ui *ui);
void ui_resume(struct ui *ui);

/* ui_draw.c */
void ui_layout(struct ui *ui);
void ui_draw(struct ui *ui);
int ui_draw_click(struct ui *ui, int y, int x, int button);
/* The log pane's moving keys; -1 when the key is not one. */
int log_key(struct ui *ui, int key);
extern const struct list_ops pool_list_ops, vol_list_ops;
extern const struct pane_col pool_pane_cols[], vol_pane_cols[];

/* ui_text.c: drawing text by display width. */
void text_init(bool utf8, const char *ellipsis);
int text_width(const char *s);
/* Draw at most w columns of s at (y, x) with attr; pads with spaces to w
 * when pad; right-aligns when right. Returns columns drawn. */
int text_put(int y, int x, const char *s, int w, attr_t a, bool pad,
	     bool right);
/* Exactly w columns of s, cut with an ellipsis or padded (malloc'd). */
char *text_cell(const char *s, int w);
/* The same, but a cut keeps the end ("…/images/web.img"). */
int text_put_tail(int y, int x, const char *s, int w, attr_t a);
/* Wrap text to width w; returns a strv of lines. */
char **text_wrap(const char *s, int w, size_t *n);
void text_hline(struct ui *ui, int y, int x, int w, attr_t a);
void text_fill(int y, int x, int w, attr_t a);
/* Append a UTF-8 encoded code point to buf (at most 4 bytes). */
int text_utf8(char *buf, unsigned cp);

/* ui_theme.c */
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

/* ui_map.c: the map pane (extents of disk and logical pools, usage of
 * file pools). */
bool map_has(const struct pool *p);
enum bottom map_bottom(struct ui *ui);
void map_draw(struct ui *ui, int y, int h);
int map_key(struct ui *ui, int key);
int map_click(struct ui *ui, int y, int x);
bool map_free_selected(struct ui *ui, uint64_t *start, uint64_t *size);
ACT(act_map);
USABLE(need_map);

/* ui_settings.c: read at start; the sort orders are noticed after each
 * key; the theme, the download directory and the history are saved when
 * they change. Nothing is written by a read-only session. */
void settings_load(struct ui *ui);
void settings_apply_sort(struct ui *ui);
void settings_save(struct ui *ui);
void settings_sync(struct ui *ui);
void history_add(struct ui *ui, const char *line);
void settings_free(struct ui *ui);

/* ui_prompt.c */
void ui_prompt_open(struct ui *ui, const char *init);
void ui_filter_open(struct ui *ui);

#endif
