/* cistern — the dialog layer: a stack of modal boxes drawn over the
 * main screen. Kinds: forms (fields and buttons; confirmations and
 * messages are forms), a scrollable text view, a chooser, and a one-line
 * editor on the status line. Each kind owns one draw and one key
 * function. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_scroll.h"
#include "ui_text.h"
#include "ui_theme.h"

/* Put a dialog on top. */
void
dialog_push(struct ui *ui, struct dialog *d)
{
	d->below = ui->dlg;
	ui->dlg = d;
}

/* Take the top dialog off the stack without freeing it. */
struct dialog *
dialog_unlink(struct ui *ui)
{
	struct dialog *d = ui->dlg;

	if (d != NULL)
		ui->dlg = d->below;
	return d;
}

/* Free a dialog that is off the stack. */
void
dialog_destroy(struct dialog *d)
{
	if (d == NULL)
		return;
	if (d->free != NULL)
		d->free(d);
	free(d->title);
	free(d);
}

/* Close the top dialog. */
void
dialog_pop(struct ui *ui)
{
	dialog_destroy(dialog_unlink(ui));
}

/* Draw bottom-up so the top dialog is last. */
static void
dialog_draw_rec(struct ui *ui, struct dialog *d)
{
	if (d == NULL)
		return;
	dialog_draw_rec(ui, d->below);
	ui->cur_y = -1;
	d->draw(ui, d);
}

/* Draw every dialog, the top one last. */
void
dialog_draw_all(struct ui *ui)
{
	dialog_draw_rec(ui, ui->dlg);
}

/* A dialog of some kind with its draw and key functions. */
struct dialog *
dialog_new(const char *title, dlg_draw_fn draw, dlg_key_fn key,
	   dlg_free_fn fr, void *data)
{
	struct dialog *d = xcalloc(1, sizeof(*d));

	d->title = xstrdup(title ? title : "");
	d->draw = draw;
	d->key = key;
	d->free = fr;
	d->data = data;
	return d;
}

/* Draw a framed box with its title, centred. */
void
dialog_box(struct ui *ui, struct dialog *d, int h, int w, int role)
{
	const struct glyphs *g = ui->g;
	attr_t a = ui->attr[role], ta = ui->attr[role == R_DANGER ? R_DANGER :
						   R_DIALOG_TITLE];
	int y, x;

	if (w > ui->cols - 2)
		w = ui->cols - 2;
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	y = (ui->rows - h) / 2;
	x = (ui->cols - w) / 2;
	d->y = y;
	d->x = x;
	d->h = h;
	d->w = w;
	attrset(a);
	for (int i = 0; i < h; i++)
		text_fill(y + i, x, w, ui->attr[R_DIALOG]);
	attrset(a);
	mvaddstr(y, x, g->tl);
	mvaddstr(y, x + w - 1, g->tr);
	mvaddstr(y + h - 1, x, g->bl);
	mvaddstr(y + h - 1, x + w - 1, g->br);
	for (int i = 1; i < w - 1; i++) {
		mvaddstr(y, x + i, g->hline);
		mvaddstr(y + h - 1, x + i, g->hline);
	}
	for (int i = 1; i < h - 1; i++) {
		mvaddstr(y + i, x, g->vline);
		mvaddstr(y + i, x + w - 1, g->vline);
	}
	if (d->title[0] != '\0') {
		char t[256];
		snprintf(t, sizeof(t), " %s ", d->title);
		text_put(y, x + 2, t, w - 4, ta, false, false);
	}
	attrset(ui->attr[R_NORMAL]);
}

/* A key that inserts a character. */
bool
key_printable(int key)
{
	return key >= 0x20 && key != 0x7f && key < 0x110000;
}

/* The keys that delete backwards. */
bool
key_backspace(int key)
{
	return key == K_FN(KEY_BACKSPACE) || key == 0x7f || key == 8;
}

/* Edit a text buffer with a key; true when the key was used. */
bool
edit_key(char **value, size_t *cursor, int key)
{
	char *v = *value;
	size_t len = strlen(v), c = *cursor;

	if (c > len)
		c = len;
	if (key_printable(key)) {
		char enc[4];
		int n = text_utf8(enc, (unsigned)key);
		v = xrealloc(v, len + (size_t)n + 1);
		memmove(v + c + n, v + c, len - c + 1);
		memcpy(v + c, enc, (size_t)n);
		c += (size_t)n;
	} else if (key_backspace(key)) {
		if (c > 0) {
			size_t s = c - 1;
			while (s > 0 && ((unsigned char)v[s] & 0xc0) == 0x80)
				s--;
			memmove(v + s, v + c, len - c + 1);
			c = s;
		}
	} else if (key == K_FN(KEY_DC) || key == K_CTRL('d')) {
		if (c < len) {
			size_t e = c + 1;
			while (e < len && ((unsigned char)v[e] & 0xc0) == 0x80)
				e++;
			memmove(v + c, v + e, len - e + 1);
		}
	} else if (key == K_FN(KEY_LEFT) || key == K_CTRL('b')) {
		while (c > 0) {
			c--;
			if (((unsigned char)v[c] & 0xc0) != 0x80)
				break;
		}
	} else if (key == K_FN(KEY_RIGHT) || key == K_CTRL('f')) {
		if (c < len)
			c++;
		while (c < len && ((unsigned char)v[c] & 0xc0) == 0x80)
			c++;
	} else if (key == K_FN(KEY_HOME) || key == K_CTRL('a')) {
		c = 0;
	} else if (key == K_FN(KEY_END) || key == K_CTRL('e')) {
		c = len;
	} else if (key == K_CTRL('u')) {
		v[0] = '\0';
		c = 0;
	} else if (key == K_CTRL('w')) {
		size_t s = c;
		while (s > 0 && v[s - 1] == ' ')
			s--;
		while (s > 0 && v[s - 1] != ' ')
			s--;
		memmove(v + s, v + c, len - c + 1);
		c = s;
	} else {
		return false;
	}
	*value = v;
	*cursor = c;
	return true;
}

/* Draw an input of w columns showing the cursor; sets ui->cur_*. */
void
input_draw(struct ui *ui, int y, int x, int w, const char *value,
	   size_t cursor, bool focused, attr_t a)
{
	char *before = xstrndup(value, cursor);
	int cw = text_width(before), skip = 0;
	const char *s = value;

	free(before);
	/* scroll so the cursor stays inside */
	while (cw - skip > w - 1 && *s) {
		int one;
		const char *t = s + 1;
		while (((unsigned char)*t & 0xc0) == 0x80)
			t++;
		char *ch = xstrndup(s, (size_t)(t - s));
		one = text_width(ch);
		free(ch);
		skip += one;
		s = t;
	}
	text_fill(y, x, w, a);
	text_put(y, x, s, w, a, true, false);
	if (focused) {
		ui->cur_y = y;
		ui->cur_x = x + cw - skip;
	}
}

/* ---- a scrollable text view ---- */

struct textview {
	char *text;
	char **lines;
	size_t nlines;
	int wrapped_w;
	struct scroll sc;                  /* sc.sel: the first line shown */
	int page;
};

/* Free a text view. */
static void
textview_free(struct dialog *d)
{
	struct textview *t = d->data;

	free(t->text);
	strv_free(t->lines);
	free(t);
}

/* Draw the visible lines of a text view. */
static void
textview_draw(struct ui *ui, struct dialog *d)
{
	struct textview *t = d->data;
	int w = ui->cols - 4 < 100 ? ui->cols - 4 : 100;
	int iw = w - 4;

	if (t->wrapped_w != iw) {
		strv_free(t->lines);
		t->lines = text_wrap(t->text, iw, &t->nlines);
		t->wrapped_w = iw;
	}
	int h = (int)t->nlines + 3;
	if (h > ui->rows - 2)
		h = ui->rows - 2;
	dialog_box(ui, d, h, w, R_DIALOG);
	t->page = d->h - 3;
	if (t->page < 1)
		t->page = 1;
	/* a taller screen shows more: no blank rows after the end */
	if (t->sc.sel + (size_t)t->page > t->nlines)
		t->sc.sel = t->nlines > (size_t)t->page ?
			    t->nlines - (size_t)t->page : 0;
	size_t top = t->sc.sel;
	for (int i = 0; i < t->page && top + (size_t)i < t->nlines; i++)
		text_put(d->y + 1 + i, d->x + 2, t->lines[top + (size_t)i],
			 d->w - 4, ui->attr[R_DIALOG], false, false);
	char foot[96];
	if (t->nlines > (size_t)t->page)
		snprintf(foot, sizeof(foot), " %zu-%zu of %zu  %s%s scroll  Esc close ",
			 top + 1, top + (size_t)t->page, t->nlines,
			 ui->g->up, ui->g->down);
	else
		snprintf(foot, sizeof(foot), " Esc close ");
	text_put(d->y + d->h - 1, d->x + d->w - 2 - text_width(foot), foot,
		 text_width(foot), ui->attr[R_DIALOG_TITLE], false, false);
}

/* Scroll or close a text view. */
static int
textview_key(struct ui *ui, struct dialog *d, int key)
{
	struct textview *t = d->data;

	switch (key) {
	case K_ESC: case 'q': case K_ENTER: case '\n': case K_FN(KEY_F(1)):
	case K_FN(KEY_F(10)):
		dialog_pop(ui);
		return UI_DRAW;
	}
	scroll_view_key(&t->sc, t->nlines, key, (size_t)t->page);
	return UI_DRAW;
}

/* A scrollable text view (help, XML, output, details). */
void
dialog_text(struct ui *ui, const char *title, const char *text)
{
	struct textview *t = xcalloc(1, sizeof(*t));

	t->text = xstrdup(text);
	dialog_push(ui, dialog_new(title, textview_draw, textview_key,
				   textview_free, t));
}

/* ---- a chooser ---- */

struct chooser {
	char **items;
	int n;
	struct scroll sc;
	chooser_fn on_move, pick;
	void *ctx;
	void (*ctx_free)(void *);
};

/* Free a chooser. */
static void
chooser_free(struct dialog *d)
{
	struct chooser *c = d->data;

	strv_free(c->items);
	if (c->ctx_free)
		c->ctx_free(c->ctx);
	free(c);
}

/* Draw a chooser's list. */
static void
chooser_draw(struct ui *ui, struct dialog *d)
{
	struct chooser *c = d->data;
	int w = text_width(d->title) + 8;

	for (int i = 0; i < c->n; i++)
		if (text_width(c->items[i]) + 8 > w)
			w = text_width(c->items[i]) + 8;
	if (w < 30)
		w = 30;
	dialog_box(ui, d, c->n + 2, w, R_DIALOG);
	int rows = d->h - 2;
	scroll_fit(&c->sc, (size_t)c->n, rows > 0 ? (size_t)rows : 0);
	for (int i = 0; i < rows && (int)c->sc.top + i < c->n; i++) {
		int k = (int)c->sc.top + i;
		bool sel = k == (int)c->sc.sel;
		attr_t a = sel ? ui->attr[R_SELECTED] : ui->attr[R_DIALOG];
		text_fill(d->y + 1 + i, d->x + 1, d->w - 2, a);
		if (sel)
			text_put(d->y + 1 + i, d->x + 1, ui->g->sel, 1, a, false,
				 false);
		text_put(d->y + 1 + i, d->x + 3, c->items[k], d->w - 5, a, false,
			 false);
	}
}

/* Move, pick or cancel in a chooser. */
static int
chooser_key(struct ui *ui, struct dialog *d, int key)
{
	struct chooser *c = d->data;
	int r = UI_DRAW;

	switch (key) {
	case K_ESC: case 'q':
	case K_ENTER: case '\n': {
		int idx = key == K_ESC || key == 'q' ? -1 : (int)c->sc.sel;
		dialog_unlink(ui);
		if (c->pick)
			r |= c->pick(ui, idx, c->ctx);
		dialog_destroy(d);
		return r | UI_DRAW;
	}
	}
	/* not drawn yet (keys typed ahead): every row fits */
	if (scroll_key(&c->sc, (size_t)c->n, key, d->h > 2 ? (size_t)d->h - 2 :
		       (size_t)c->n) > 0 && c->on_move)
		r |= c->on_move(ui, (int)c->sc.sel, c->ctx);
	return r;
}

/* A list to pick from, with an optional preview on moves. */
void
dialog_chooser(struct ui *ui, const char *title, char **items, int n, int sel,
	       chooser_fn on_move, chooser_fn pick, void *ctx,
	       void (*ctx_free)(void *))
{
	struct chooser *c = xcalloc(1, sizeof(*c));

	c->items = items;
	c->n = n;
	c->sc.sel = sel >= 0 && sel < n ? (size_t)sel : 0;
	c->on_move = on_move;
	c->pick = pick;
	c->ctx = ctx;
	c->ctx_free = ctx_free;
	dialog_push(ui, dialog_new(title, chooser_draw, chooser_key,
				   chooser_free, c));
}

/* ---- a one-line editor on the status line ---- */

struct lineed {
	char *prompt;
	char *value;
	size_t cursor;
	line_fn change, done;
	complete_fn complete;
	void *ctx;
	char **cands;           /* Tab's candidates when several remain */
	size_t ncands;
	char ***hist;           /* Up/Down walk this history, or NULL */
	size_t *nhist;
	size_t hpos;            /* *nhist: the line being typed */
	char *draft;            /* the line being typed, while in history */
};

/* Free a line editor. */
static void
line_free(struct dialog *d)
{
	struct lineed *l = d->data;

	free(l->prompt);
	free(l->value);
	strv_free(l->cands);
	free(l->draft);
	free(l);
}

/* The candidates in columns above the status line (as a shell lists
 * them), as many rows as fit in half the screen. */
static void
line_draw_cands(struct ui *ui, struct lineed *l)
{
	int cw = 0, ncol, nrow, maxrows = ui->rows / 2 - 1, y;
	size_t shown;

	for (size_t i = 0; i < l->ncands; i++)
		if (text_width(l->cands[i]) > cw)
			cw = text_width(l->cands[i]);
	cw += 2;
	ncol = (ui->cols - 2) / cw > 0 ? (ui->cols - 2) / cw : 1;
	nrow = (int)((l->ncands + (size_t)ncol - 1) / (size_t)ncol);
	if (maxrows < 2)
		maxrows = 2;
	shown = l->ncands;
	if (nrow > maxrows) {
		/* the last row says how many more there are */
		nrow = maxrows;
		shown = (size_t)(nrow - 1) * (size_t)ncol;
	}
	y = ui->rows - 1 - nrow - 1;
	text_hline(ui, y, 0, ui->cols, ui->attr[R_BORDER]);
	text_put(y, 1, " Tab: candidates ", ui->cols - 2,
		 ui->attr[R_BORDER] | A_BOLD, false, false);
	for (int r = 0; r < nrow; r++)
		text_fill(y + 1 + r, 0, ui->cols, ui->attr[R_DIALOG]);
	for (size_t i = 0; i < shown; i++) {
		/* column-major, as ls and bash */
		int r = (int)(i % (size_t)nrow), c = (int)(i / (size_t)nrow);
		text_put(y + 1 + r, 1 + c * cw, l->cands[i], cw - 1,
			 ui->attr[R_DIALOG], false, false);
	}
	if (shown < l->ncands) {
		char more[64];
		snprintf(more, sizeof(more), "%s and %zu more: type more of "
			 "the word", ui->g->ellipsis, l->ncands - shown);
		text_put(y + nrow, 1, more, ui->cols - 2, ui->attr[R_DIM],
			 false, false);
	}
}

/* Draw the line editor on the status line. */
static void
line_draw(struct ui *ui, struct dialog *d)
{
	struct lineed *l = d->data;
	int y = ui->rows - 1, pw = text_width(l->prompt);

	d->y = y;
	d->x = 0;
	d->h = 1;
	d->w = ui->cols;
	text_fill(y, 0, ui->cols, ui->attr[R_STATUS]);
	text_put(y, 0, l->prompt, pw, ui->attr[R_FILTER], false, false);
	input_draw(ui, y, pw, ui->cols - pw, l->value, l->cursor, true,
		   ui->attr[R_STATUS]);
	if (l->ncands > 0)
		line_draw_cands(ui, l);
}

/* Up and Down: an older or newer line of the history. */
static void
line_history(struct lineed *l, int dir)
{
	size_t n = *l->nhist;

	if (l->hpos > n)
		l->hpos = n;
	if ((dir < 0 && l->hpos == 0) || (dir > 0 && l->hpos >= n))
		return;
	if (l->hpos == n) {
		free(l->draft);
		l->draft = xstrdup(l->value);
	}
	l->hpos = dir < 0 ? l->hpos - 1 : l->hpos + 1;
	free(l->value);
	l->value = xstrdup(l->hpos == n ? (l->draft ? l->draft : "") :
			   (*l->hist)[l->hpos]);
	l->cursor = strlen(l->value);
}

/* Edit, complete, accept or leave the line. */
static int
line_key(struct ui *ui, struct dialog *d, int key)
{
	struct lineed *l = d->data;
	int r = UI_DRAW;

	if (key == K_ESC || key == K_ENTER || key == '\n') {
		bool ok = key != K_ESC;
		char *v = xstrdup(l->value);
		dialog_unlink(ui);
		if (l->done)
			r |= l->done(ui, ok ? v : NULL, true, l->ctx);
		free(v);
		dialog_destroy(d);
		return r;
	}
	strv_free(l->cands);
	l->cands = NULL;
	l->ncands = 0;
	if (key == K_TAB && l->complete != NULL) {
		char *c = l->complete(ui, l->value, &l->cands, &l->ncands);
		if (c != NULL) {
			free(l->value);
			l->value = c;
			l->cursor = strlen(c);
		}
		return UI_DRAW;
	}
	if (l->hist != NULL && (key == K_FN(KEY_UP) || key == K_FN(KEY_DOWN) ||
				key == K_CTRL('p') || key == K_CTRL('n'))) {
		line_history(l, key == K_FN(KEY_UP) || key == K_CTRL('p') ?
			     -1 : 1);
		return UI_DRAW;
	}
	if (key_backspace(key) && l->value[0] == '\0' && l->done != NULL) {
		/* backspace on an empty line leaves it, as in vi */
		return line_key(ui, d, K_ESC);
	}
	if (edit_key(&l->value, &l->cursor, key) && l->change)
		r |= l->change(ui, l->value, false, l->ctx);
	return r;
}

/* A one-line editor on the status line (':' and '/'). */
void
dialog_line(struct ui *ui, const char *prompt, const char *init,
	    line_fn change, line_fn done, complete_fn complete, void *ctx)
{
	struct lineed *l = xcalloc(1, sizeof(*l));

	l->prompt = xstrdup(prompt);
	l->value = xstrdup(init ? init : "");
	l->cursor = strlen(l->value);
	l->change = change;
	l->done = done;
	l->complete = complete;
	l->ctx = ctx;
	dialog_push(ui, dialog_new("", line_draw, line_key, line_free, l));
}

/* Give the line editor on top a history for Up and Down. */
void
dialog_line_history(struct ui *ui, char ***hist, size_t *nhist)
{
	struct lineed *l;

	if (ui->dlg == NULL || ui->dlg->draw != line_draw)
		return;
	l = ui->dlg->data;
	l->hist = hist;
	l->nhist = nhist;
	l->hpos = *nhist;
}
