/* cistern — the one list pane (ui_list.c): rows, selection, scrolling, a
 * header, an incremental filter and sorting by any column; pools and
 * volumes are thin users of it. */
#ifndef CISTERN_UI_LIST_H
#define CISTERN_UI_LIST_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

#include "columns.h"
#include "ui_scroll.h"

struct ui;

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
	struct scroll sc;                  /* selection (in view[]), first row */
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
/* Columns as wide as rows shown beside the list's own need too (another
 * host's pools), until the next list_set_rows. */
void list_widen(struct list *l, const struct row *rows, size_t n);
/* One row in the list's columns as its last draw laid them out, at line
 * y (also a row that is not the list's: another host's pool). */
void list_draw_row(struct ui *ui, const struct list *l, const struct row *r,
		   int y, attr_t base, bool sel);
void list_draw(struct ui *ui, struct list *l, int y, int x, int h, int w,
	       bool focused);
/* Navigation keys (arrows, j/k, pages, home/end): UI_DRAW or UI_NONE. */
int list_key(struct list *l, int key);
/* A click at screen (y, x): selects a row or sorts by a header. */
int list_click(struct list *l, int y, int x, bool *row_hit);

#endif
