/* cistern — wizards: pages of fields, shown one page at a time in a
 * dialog with Back / Next (Finish) / Cancel.
 *
 * A wizard keeps every value in its own store by id, so Back and Next
 * keep what was typed; each page builds its fields from that store when
 * it is entered. Every field is checked when it is left (its own check
 * function), and Next stays disabled, with the reason shown, while
 * any field of the page is invalid. Discovery runs as a job: the page
 * stays live and Esc cancels the job first, the wizard second.
 */
#ifndef CISTERN_UI_WIZ_H
#define CISTERN_UI_WIZ_H

#include <stdbool.h>
#include <stddef.h>

#include "ui.h"
#include "ui_dialog.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_scroll.h"

struct wiz;
struct wfield;

/* NULL when the value is fine, else why not (malloc'd). */
typedef char *(*wf_check_fn)(struct wiz *w, const char *value);

/* A wizard's field: the dialogs' field (ui_form.h) as its base -- kind
 * (F_TEXT, F_SECRET, F_CHOICE, F_CHECK, F_LIST, F_VIEW, F_INFO), label,
 * hint, value as typed and its cursor, choices -- and what only a
 * wizard has: the id in the store, the check, list rows, the layout. */
struct wfield {
	struct field base;
	char *id;
	char *text;                 /* F_INFO / F_VIEW: the text shown;
				       F_LIST: the row shown when empty */
	int width;                  /* input columns, 0: the rest of the row */
	wf_check_fn check;
	char **items, **keys;       /* F_LIST / F_VIEW rows; list keys */
	int nitems;
	bool multi;                 /* F_LIST: several keys, '\n' apart */
	struct scroll sc;           /* F_LIST: selection, first row shown;
				       F_VIEW, F_INFO: sc.sel the first */
	int want_rows;              /* F_LIST / F_VIEW / F_INFO */
	int rows;                   /* rows given by the layout */
	int y, x, iw, lw;           /* the input's place in the page, its
				       columns, the label's */
	int hy, hx, hw;             /* the hint's place; hw 0: none */
	struct wiz *w;
};

struct wpage {
	const char *title;
	/* Skip this page in the wizard's present state (dir: no source). */
	bool (*skip)(struct wiz *w);
	/* Add the page's fields (wiz_text, wiz_choice, ...) from the store. */
	void (*build)(struct wiz *w);
	/* A value changed (typed, picked); may update hints and lists. */
	void (*change)(struct wiz *w, const char *id);
	/* The page is entered (start its discovery); F5 calls it again. */
	void (*enter)(struct wiz *w);
	/* The focus left a field whose value passed its check. */
	void (*left)(struct wiz *w, const char *id);
	/* Before Next: NULL or why the page cannot be left (malloc'd). */
	char *(*leave)(struct wiz *w);
};

/* The wizard's owner: pages, what Finish does, what Cancel frees. */
struct wiz_ops {
	const char *title;
	const struct wpage *pages;
	int npages;
	const char *finish;         /* the last page's button: "Define" */
	/* Finish: UI_* flags, or -1 to stay (wiz_error said why). */
	int (*done)(struct ui *ui, struct wiz *w);
	void (*free)(struct wiz *w);
};

struct wiz {
	const struct wiz_ops *ops;
	struct ui *ui;
	void *ctx;                  /* the owner's state */
	int page;
	char **keys, **vals;        /* the store */
	size_t nkv;
	struct wfield *fields;
	int nfields;
	int btn;                    /* focused button, -1: a field */
	char *error;                /* why Next is disabled / what failed */
	char *busy;                 /* "looking for exports on nfs1..." */
	int job;                    /* the running discovery job, 0: none */
	job_end_fn job_end;         /* the page's answer to its job */
	bool rebuild;               /* fields changed: lay out again */
	bool refields;              /* build the page's fields again */
	char *focus_id;             /* the field to focus after a layout */
	int form_rows, form_w;
	int lay_rows, lay_cols;     /* the rows and columns the layout was
				       made for */
	bool laid_out;              /* the page's fields have their places */
	int msg_rows;               /* rows the last draw's messages took */
	int focus;                  /* the field with the focus, -1: none */
	int wy, wx;                 /* where the page's fields are drawn */
};

/* Open a wizard at its first page (takes ctx; ops->free frees it). */
void wiz_open(struct ui *ui, const struct wiz_ops *ops, void *ctx);

/* The store. */
const char *wiz_get(const struct wiz *w, const char *id);   /* "" if none */
void wiz_set(struct wiz *w, const char *id, const char *value);
bool wiz_on(const struct wiz *w, const char *id);           /* "1" */

/* Fields of the page being built. */
struct wfield *wiz_text(struct wiz *w, const char *id, const char *label,
			wf_check_fn check);
struct wfield *wiz_secret(struct wiz *w, const char *id, const char *label,
			  wf_check_fn check);
struct wfield *wiz_choice(struct wiz *w, const char *id, const char *label,
			  const char *const *choices, int n);
struct wfield *wiz_check(struct wiz *w, const char *id, const char *label);
struct wfield *wiz_list(struct wiz *w, const char *id, const char *label,
			int rows, bool multi, wf_check_fn check);
struct wfield *wiz_view(struct wiz *w, const char *id, const char *label,
			const char *text, int rows);
struct wfield *wiz_info(struct wiz *w, const char *id, const char *text,
			int rows);
/* Rows of a list (display text and the key stored when picked). */
void wiz_list_set(struct wiz *w, const char *id, char **items, char **keys,
		  int n);
struct wfield *wiz_field(struct wiz *w, const char *id);
/* Show a field's value again after the store changed under it. */
void wiz_put(struct wiz *w, const char *id);
/* Change a hint, an info text or a view's text in place. */
void wiz_hint(struct wiz *w, const char *id, const char *hint);
void wiz_set_text(struct wiz *w, const char *id, const char *text);
/* Rebuild the page (its fields depend on a value that changed). */
void wiz_relayout(struct wiz *w);
void wiz_error(struct wiz *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* A discovery job for the page: `busy` says what it does; the job's
 * end reaches `on_end` (w as its argument) unless the page is left. */
void wiz_job(struct wiz *w, const char *busy, job_fn fn, void *arg,
	     job_end_fn on_end);
/* Stop the page's job (leaving the page, Esc). */
void wiz_job_stop(struct wiz *w);
/* The wizard on top of the dialogs, or NULL. */
struct wiz *wiz_top(struct ui *ui);

/* ui_wiz.c, ui_wiz_key.c: moving between pages, keys. */
int wiz_next(struct ui *ui, struct dialog *d);
int wiz_back(struct wiz *w);
int wiz_ensure(struct ui *ui, struct wiz *w);
int wiz_key(struct ui *ui, struct dialog *d, int key);

/* ui_wiz_form.c: the page's form (for ui_wiz.c, ui_wiz_key.c). */
int wform_make(struct wiz *w, int fw, int avail);
void wform_free(struct wiz *w);
void wform_put(struct wiz *w, struct wfield *f);
struct wfield *wform_current(struct wiz *w);
bool wform_takes_focus(const struct wiz *w, const struct wfield *f);
bool wform_focus(struct wiz *w, struct wfield *f);
bool wform_check(struct wiz *w);
bool wform_move(struct wiz *w, int dir);
int wform_edit(struct wiz *w, int key);
void wform_draw(struct wiz *w, bool focused);

#endif
