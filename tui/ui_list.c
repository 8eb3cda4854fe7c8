/* cistern — the one list pane: rows, selection, scrolling, a header,
 * an incremental filter and sorting by any column. Pools and volumes are
 * thin users of it (ui_draw.c gives the callbacks).
 *
 * Speed: the sorted order of every row is kept; a filter only walks it;
 * only visible rows are formatted.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/units.h"
#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_list.h"
#include "ui_scroll.h"
#include "ui_text.h"
#include "ui_theme.h"

struct sortkey {
	uint64_t num;
	bool has_num;
	char *text;
};

struct sortctx {
	const struct list *l;
	struct sortkey *keys;
};

/* Set up a list pane over declared columns. */
void
list_init(struct list *l, const char *what, const struct column *cols,
	  const struct pane_col *show, const struct list_ops *ops,
	  const char *sort_id)
{
	memset(l, 0, sizeof(*l));
	l->what = what;
	l->cols = cols;
	l->show = show;
	l->ops = ops;
	while (show[l->nshow].id != NULL)
		l->nshow++;
	l->maxw = xcalloc((size_t)l->nshow, sizeof(*l->maxw));
	l->fullw = xcalloc((size_t)l->nshow, sizeof(*l->fullw));
	l->sort = column_find(cols, sort_id);
}

/* Free a list pane. */
void
list_free(struct list *l)
{
	free(l->rows);
	free(l->view);
	free(l->maxw);
	free(l->fullw);
	free(l->order);
	memset(l, 0, sizeof(*l));
}

/* The selected row, or NULL. */
const struct row *
list_selected(const struct list *l)
{
	if (l->nview == 0 || l->sc.sel >= l->nview)
		return NULL;
	return &l->rows[l->view[l->sc.sel]];
}

/* Order two rows by their cached keys, then by name. */
static int
list_cmp(const void *a, const void *b, void *arg)
{
	const struct sortctx *sc = arg;
	size_t x = *(const size_t *)a, y = *(const size_t *)b;
	const struct sortkey *kx = &sc->keys[x], *ky = &sc->keys[y];
	int r;

	if (kx->has_num && ky->has_num)
		r = kx->num < ky->num ? -1 : kx->num > ky->num;
	else if (kx->has_num != ky->has_num)
		r = kx->has_num ? 1 : -1;
	else
		r = strcmp(kx->text ? kx->text : "", ky->text ? ky->text : "");
	if (r == 0 && sc->l->ops->name != NULL)
		r = strcmp(sc->l->ops->name(&sc->l->rows[x]),
			   sc->l->ops->name(&sc->l->rows[y]));
	return sc->l->desc ? -r : r;
}

/* Sort every row into l->order by the sort column. */
static void
list_sort_all(struct list *l)
{
	struct sortctx sc = { .l = l };

	free(l->order);
	l->order = xcalloc(l->nrows ? l->nrows : 1, sizeof(*l->order));
	for (size_t i = 0; i < l->nrows; i++)
		l->order[i] = i;
	if (l->sort == NULL || l->nrows < 2)
		return;
	sc.keys = xcalloc(l->nrows, sizeof(*sc.keys));
	for (size_t i = 0; i < l->nrows; i++) {
		struct cell c;
		column_cell(l->sort, &l->rows[i], &c, true);
		sc.keys[i].num = c.num;
		sc.keys[i].has_num = c.has_num;
		sc.keys[i].text = c.has_num ? NULL : xstrdup(c.text);
	}
	qsort_r(l->order, l->nrows, sizeof(*l->order), list_cmp, &sc);
	for (size_t i = 0; i < l->nrows; i++)
		free(sc.keys[i].text);
	free(sc.keys);
}

/* Walk `from` (n indices) keeping rows that match the filter. */
static void
list_filter_from(struct list *l, const size_t *from, size_t n)
{
	size_t *v = xcalloc(n ? n : 1, sizeof(*v)), k = 0;

	for (size_t i = 0; i < n; i++)
		if (l->filter[0] == '\0' || l->ops->match == NULL ||
		    l->ops->match(&l->rows[from[i]], l->filter))
			v[k++] = from[i];
	free(l->view);
	l->view = v;
	l->nview = k;
}

/* Keep a row selected: the one with this name, else the same index. */
static void
list_reselect(struct list *l, const char *name, size_t old_sel)
{
	if (name != NULL && l->ops->name != NULL) {
		for (size_t i = 0; i < l->nview; i++) {
			if (strcmp(l->ops->name(&l->rows[l->view[i]]), name) == 0) {
				l->sc.sel = i;
				return;
			}
		}
	}
	l->sc.sel = old_sel < l->nview ? old_sel : (l->nview ? l->nview - 1 : 0);
}

/* The selected row's name (malloc'd), or NULL. */
static char *
list_sel_name(const struct list *l)
{
	const struct row *r = list_selected(l);

	return r != NULL && l->ops->name != NULL ? xstrdup(l->ops->name(r)) :
	       NULL;
}

/* Drop the rows without reading them. */
void
list_clear(struct list *l)
{
	free(l->rows);
	l->rows = NULL;
	l->nrows = 0;
	l->nview = 0;
}

/* The width a column's cells need over n rows. */
static int
col_width(const struct column *col, const struct row *rows, size_t n)
{
	int w = 0;

	if (col->kind == COL_SIZE)
		return 6;
	if (col->kind == COL_BOOL)
		return 3;
	if (col->kind != COL_TEXT)
		return col->min_width;
	for (size_t i = 0; i < n; i++) {
		struct cell cell;
		column_cell(col, &rows[i], &cell, false);
		if ((int)strlen(cell.text) > w) {
			int tw = text_width(cell.text);
			if (tw > w)
				w = tw;
		}
	}
	return w;
}

/* Widths for rows (reset: the list's own; else rows shown beside). */
static void
list_widths_of(struct list *l, const struct row *rows, size_t n, bool reset)
{
	for (int c = 0; c < l->nshow; c++) {
		const struct column *col = column_find(l->cols, l->show[c].id);
		int w, full;
		if (col == NULL)
			continue;
		w = col_width(col, rows, n);
		full = w + l->show[c].extra;
		if (l->show[c].maxw > 0 && w > l->show[c].maxw)
			w = l->show[c].maxw;
		w += l->show[c].extra;
		if (reset || full > l->fullw[c])
			l->fullw[c] = full;
		if (reset || w > l->maxw[c])
			l->maxw[c] = w;
	}
}

void
list_widen(struct list *l, const struct row *rows, size_t n)
{
	list_widths_of(l, rows, n, false);
}

/* Take new rows: widths, order, filter, selection by name. */
void
list_set_rows(struct list *l, struct row *rows, size_t n, const char *keep)
{
	char *name = keep ? xstrdup(keep) : NULL;

	free(l->rows);
	l->rows = rows;
	l->nrows = n;
	list_widths_of(l, rows, n, true);
	list_sort_all(l);
	list_filter_from(l, l->order, l->nrows);
	list_reselect(l, name, l->sc.sel);
	free(name);
}

/* Filter as typed: a longer filter only narrows what is shown. */
void
list_set_filter(struct list *l, const char *filter)
{
	char *name = list_sel_name(l);
	char low[sizeof(l->filter)];
	size_t i;
	bool narrower;

	for (i = 0; filter[i] != '\0' && i + 1 < sizeof(low); i++)
		low[i] = (char)tolower((unsigned char)filter[i]);
	low[i] = '\0';
	narrower = l->filter[0] != '\0' && str_startswith(low, l->filter);
	memcpy(l->filter, low, sizeof(low));
	if (narrower) {
		size_t *cur = l->view;
		l->view = NULL;
		list_filter_from(l, cur, l->nview);
		free(cur);
	} else {
		list_filter_from(l, l->order, l->nrows);
	}
	list_reselect(l, name, 0);
	l->sc.top = 0;
	free(name);
}

/* Sort by a column, keeping the selection. */
void
list_sort_by(struct list *l, const struct column *col, bool desc)
{
	char *name = list_sel_name(l);

	l->sort = col;
	l->desc = desc;
	list_sort_all(l);
	list_filter_from(l, l->order, l->nrows);
	list_reselect(l, name, l->sc.sel);
	free(name);
}

/* Select the row with this name. */
void
list_select_name(struct list *l, const char *name)
{
	list_reselect(l, name, l->sc.sel);
}

/* Move the selection, clamped. */
void
list_move(struct list *l, long delta)
{
	scroll_move(&l->sc, l->nview, delta);
}

/* Navigation keys; -1 when the key is not one. */
int
list_key(struct list *l, int key)
{
	int r = scroll_key(&l->sc, l->nview, key, l->h > 2 ? (size_t)l->h - 2 :
			   1);

	return r < 0 ? -1 : r > 0 ? UI_DRAW : UI_NONE;
}

/* Widths of the columns idx[0..n) by priority (0: left out); returns
 * the columns used. `boost`, when >= 0, is the sorted-by column shown in
 * place of others: as narrow as it is useful. */
static int
list_widths(struct list *l, const int *idx, const int *prio, int n, int w,
	    int boost, int *want)
{
	bool take[LIST_MAXCOLS] = { false };
	int used = 0;

	for (int i = 0; i < n; i++)
		want[i] = 0;
	for (;;) {
		int best = -1, bp = -1;
		for (int i = 0; i < n; i++) {
			if (!take[i] && prio[i] > bp) {
				bp = prio[i];
				best = i;
			}
		}
		if (best < 0)
			break;
		take[best] = true;
		const struct column *col = column_find(l->cols,
						       l->show[idx[best]].id);
		const char *title = l->show[idx[best]].title ?
				    l->show[idx[best]].title : col->title;
		int tw = text_width(title) + (col == l->sort);
		int desired = l->maxw[idx[best]] > tw ? l->maxw[idx[best]] : tw;
		int mw = col->min_width < desired ? col->min_width : desired;
		int gap = used ? 1 : 0;
		if (mw < tw)
			mw = tw;
		if (best == boost)
			desired = mw;
		int left = w - used - gap;
		if (left < mw)
			continue;
		want[best] = desired < left ? desired : left;
		used += want[best] + gap;
	}
	return used;
}

/* Choose the columns that fit in w and their widths: by priority, each
 * as wide as its (capped) content needs if that fits, else as wide as
 * what is left (not below its narrowest useful width); then capped
 * columns get their full width back while room is left, and a path
 * column (else the name) takes the rest. */
static void
list_layout(struct list *l, int w)
{
	int idx[LIST_MAXCOLS], n = 0, used, want[LIST_MAXCOLS];
	int prio[LIST_MAXCOLS] = { 0 }, top = -1, sorted = -1;

	for (int c = 0; c < l->nshow && n < LIST_MAXCOLS; c++)
		if (column_find(l->cols, l->show[c].id) != NULL)
			idx[n++] = c;
	for (int i = 0; i < n; i++) {
		const struct column *col = column_find(l->cols,
						       l->show[idx[i]].id);
		prio[i] = col->priority;
		if (prio[i] > top)
			top = prio[i];
		if (col == l->sort)
			sorted = i;
	}
	used = list_widths(l, idx, prio, n, w, -1, want);
	/* the sorted-by column shows even where its priority would leave
	 * it out: ranked next to the first column, it takes the place of
	 * the last optional one */
	if (sorted >= 0 && want[sorted] <= 0 && prio[sorted] < top) {
		prio[sorted] = top;
		used = list_widths(l, idx, prio, n, w, sorted, want);
	}
	l->ncol = 0;
	for (int i = 0, x = 0; i < n; i++) {
		if (want[i] <= 0)
			continue;
		l->colp[l->ncol] = column_find(l->cols, l->show[idx[i]].id);
		l->colpc[l->ncol] = &l->show[idx[i]];
		l->colx[l->ncol] = x;
		l->colw[l->ncol] = want[i];
		x += want[i] + 1;
		l->ncol++;
	}
	int extra = w - used;
	/* room left: capped columns get back what their content needs */
	for (int c = 0; c < l->ncol && extra > 0; c++) {
		int si = (int)(l->colpc[c] - l->show);
		int need = l->fullw[si] - l->colw[c];
		if (need <= 0)
			continue;
		int give = need < extra ? need : extra;
		l->colw[c] += give;
		for (int k = c + 1; k < l->ncol; k++)
			l->colx[k] += give;
		extra -= give;
	}
	/* the rest: to a path column if one shows, else to the name */
	if (l->ncol > 0 && extra > 0) {
		int i = 0;
		for (int c = 0; c < l->ncol; c++)
			if (l->colpc[c]->tail)
				i = c;
		l->colw[i] += extra;
		for (int k = i + 1; k < l->ncol; k++)
			l->colx[k] += extra;
	}
}

/* Draw the header and the visible rows. */
void
list_draw(struct ui *ui, struct list *l, int y, int x, int h, int w,
	  bool focused)
{
	int rows = h - 1;

	l->y = y;
	l->x = x;
	l->h = h;
	l->w = w;
	if (h < 1 || w < 4)
		return;
	list_layout(l, w - 1);
	/* header */
	text_fill(y, x, w, ui->attr[R_HEADER]);
	for (int c = 0; c < l->ncol; c++) {
		const struct column *col = l->colp[c];
		char t[64];
		snprintf(t, sizeof(t), "%s%s", l->colpc[c]->title ?
			 l->colpc[c]->title : col->title,
			 col == l->sort ? (l->desc ? ui->g->down : ui->g->up) :
			 "");
		for (char *p = t; *p && (unsigned char)*p < 0x80; p++)
			*p = (char)toupper((unsigned char)*p);
		text_put(y, x + 1 + l->colx[c], t, l->colw[c],
			 ui->attr[R_HEADER], false, col->right);
	}
	/* keep the selection visible */
	if (rows > 0) {
		scroll_fit(&l->sc, l->nview, (size_t)rows);
	}
	for (int i = 0; i < rows; i++) {
		size_t vi = l->sc.top + (size_t)i;
		int ry = y + 1 + i;
		if (vi >= l->nview) {
			text_fill(ry, x, w, ui->attr[R_NORMAL]);
			continue;
		}
		bool sel = vi == l->sc.sel;
		list_draw_row(ui, l, &l->rows[l->view[vi]], ry, sel ?
			      ui->attr[focused ? R_SELECTED : R_SELECTED_DIM] :
			      ui->attr[R_NORMAL], sel);
	}
	attrset(ui->attr[R_NORMAL]);
}

void
list_draw_row(struct ui *ui, const struct list *l, const struct row *r,
	      int y, attr_t base, bool sel)
{
	text_fill(y, l->x, l->w, base);
	if (sel)
		text_put(y, l->x, ui->g->sel, 1, base, false, false);
	for (int c = 0; c < l->ncol; c++) {
		const struct column *col = l->colp[c];
		int cx = l->x + 1 + l->colx[c];
		struct cell cell;
		if (l->ops->cell != NULL &&
		    l->ops->cell(ui, col, r, y, cx, l->colw[c], base, sel))
			continue;
		column_cell(col, r, &cell, true);
		const char *txt = cell.text;
		char sb[32];
		if (col->kind == COL_SIZE && cell.has_num)
			txt = size_short(cell.num, sb, sizeof(sb));
		if (l->colpc[c]->tail)
			text_put_tail(y, cx, txt, l->colw[c], base);
		else
			text_put(y, cx, txt, l->colw[c], base, false,
				 col->right);
	}
}

/* A click on a header sorts, on a row selects. */
int
list_click(struct list *l, int y, int x, bool *row_hit)
{
	*row_hit = false;
	if (y < l->y || y >= l->y + l->h || x < l->x || x >= l->x + l->w)
		return -1;
	if (y == l->y) {
		for (int c = 0; c < l->ncol; c++) {
			int cx = l->x + 1 + l->colx[c];
			if (x >= cx && x < cx + l->colw[c] + 1) {
				list_sort_by(l, l->colp[c],
					     l->sort == l->colp[c] ? !l->desc : false);
				return UI_DRAW;
			}
		}
		return UI_NONE;
	}
	size_t vi = l->sc.top + (size_t)(y - l->y - 1);
	if (vi < l->nview) {
		l->sc.sel = vi;
		*row_hit = true;
	}
	return UI_DRAW;
}
