/* cistern — a wizard page's form: the layout of its fields, what a text
 * field holds while it is typed in, the check run when a field is left,
 * and the drawing. Text is edited and drawn by the dialogs' line editor
 * (edit_key, input_draw in ui_dialog.c), and each field is a dialog's
 * struct field (ui_form.h) with a wizard's extension: one form engine
 * and one field model for dialogs and wizards, in plain curses.
 */
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_scroll.h"
#include "ui_text.h"
#include "ui_theme.h"
#include "ui_wiz.h"

/* A field that holds typed text. */
static bool
is_text(const struct wfield *f)
{
	return f->base.kind == F_TEXT || f->base.kind == F_SECRET;
}

/* A field drawn as label, input and hint on one row. */
static bool
is_input(const struct wfield *f)
{
	return is_text(f) || f->base.kind == F_CHOICE;
}

/* Can the field take the focus? */
bool
wform_takes_focus(const struct wiz *w, const struct wfield *f)
{
	return w->laid_out && f != NULL && f->base.kind != F_INFO;
}

/* Copy what a text field holds into the store, without its trailing
 * blanks (as a form field's buffer gives it). */
static void
store_text(struct wiz *w, struct wfield *f)
{
	char *s = xstrdup(f->base.value ? f->base.value : "");
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	wiz_set(w, f->id, s);
	explicit_bzero(s, n);
	free(s);
}

/* Forget what a text field holds (a secret's bytes first). */
static void
buf_drop(struct wfield *f)
{
	if (f->base.value != NULL)
		explicit_bzero(f->base.value, strlen(f->base.value));
	free(f->base.value);
	f->base.value = NULL;
	f->base.cursor = 0;
}

/* The rows a F_INFO / F_VIEW text takes at width fw. */
static void
text_rows(struct wfield *f, int fw)
{
	size_t n = 0;
	char **lines = text_wrap(f->text ? f->text : "", fw, &n);

	strv_free(f->items);
	f->items = lines;
	f->nitems = (int)n;
}

/* Keep a list's selection, and the first row shown, in range. */
static void
rows_clamp(struct wfield *f)
{
	size_t n = f->nitems > 0 ? (size_t)f->nitems : 0;
	size_t rows = f->rows > 0 ? (size_t)f->rows : 1;

	if (f->base.kind == F_LIST) {
		scroll_move(&f->sc, n, 0);
		scroll_fit(&f->sc, n, rows);
	} else {
		/* a view or info: sc.sel is the first line shown */
		scroll_move(&f->sc, n > rows ? n - rows + 1 : 1, 0);
	}
}

/* The first row a list, view or info shows. */
static int
rows_top(const struct wfield *f)
{
	return (int)(f->base.kind == F_LIST ? f->sc.top : f->sc.sel);
}

/* Take a field's value from the store again. */
void
wform_put(struct wiz *w, struct wfield *f)
{
	if (!w->laid_out)
		return;
	if (is_text(f)) {
		bool cur = wform_current(w) == f;
		size_t keep = f->base.cursor;
		buf_drop(f);
		f->base.value = xstrdup(wiz_get(w, f->id));
		f->base.cursor = cur && keep < strlen(f->base.value) ? keep :
			    strlen(f->base.value);
	} else if (f->base.kind == F_LIST || f->base.kind == F_VIEW ||
		   f->base.kind == F_INFO) {
		rows_clamp(f);
	}
}

/* Drop the layout and what the text fields held. */
void
wform_free(struct wiz *w)
{
	for (int i = 0; i < w->nfields; i++)
		buf_drop(&w->fields[i]);
	w->laid_out = false;
	w->focus = -1;
}

/* Rows each field needs at width fw (lists and views: what they want),
 * and the label column. */
static int
measure(struct wiz *w, int fw, int *lw)
{
	int rows = 0;

	*lw = 0;
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		if (is_input(f) && text_width(f->base.label) + 2 > *lw)
			*lw = text_width(f->base.label) + 2;
	}
	if (*lw > fw / 3)
		*lw = fw / 3;
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		int iw;
		switch (f->base.kind) {
		case F_TEXT: case F_SECRET: case F_CHOICE:
			iw = f->width > 0 && f->width < fw - *lw ? f->width :
			     fw - *lw;
			f->rows = 1 + (f->base.hint != NULL &&
				       fw - *lw - iw - 1 < 12);
			break;
		case F_CHECK:
			f->rows = 1;
			break;
		case F_LABEL:
			/* the dialogs' read-only line: no wizard makes one */
			f->rows = 0;
			break;
		case F_INFO:
			text_rows(f, fw);
			f->rows = f->nitems < f->want_rows ? f->nitems :
				  f->want_rows;
			break;
		case F_VIEW:
			text_rows(f, fw);
			/* fall through */
		case F_LIST:
			f->rows = f->want_rows > 0 ? f->want_rows : 1;
			if (f->base.kind == F_LIST && f->nitems < f->rows)
				f->rows = f->nitems > 0 ? f->nitems : 1;
			rows += f->base.label[0] != '\0';
			break;
		}
		rows += f->rows;
	}
	return rows;
}

/* Shrink views, then lists, then texts until the page fits in `avail`
 * rows (what is read is cut before what is picked or said). */
static int
shrink(struct wiz *w, int rows, int avail)
{
	static const struct { enum field_kind kind; int floor; } order[] = {
		{ F_VIEW, 3 }, { F_LIST, 2 }, { F_INFO, 1 }, { F_VIEW, 1 },
		{ F_LIST, 1 },
	};

	for (size_t k = 0; k < ARRAY_SIZE(order) && rows > avail; k++) {
		bool moved = true;
		while (rows > avail && moved) {
			moved = false;
			for (int i = 0; i < w->nfields && rows > avail; i++) {
				struct wfield *f = &w->fields[i];
				if (f->base.kind == order[k].kind &&
				    f->rows > order[k].floor) {
					f->rows--;
					rows--;
					moved = true;
				}
			}
		}
	}
	return rows;
}

/* Then grow the lists that hold more than they show into the rows left
 * over: a taller terminal shows more of a long list (block devices). */
static int
grow(struct wiz *w, int rows, int avail)
{
	bool moved = true;

	while (rows < avail && moved) {
		moved = false;
		for (int i = 0; i < w->nfields && rows < avail; i++) {
			struct wfield *f = &w->fields[i];
			if (f->base.kind == F_LIST &&
			    f->rows < (int)f->nitems) {
				f->rows++;
				rows++;
				moved = true;
			}
		}
	}
	return rows;
}

/* Lay the page out in fw columns and at most `avail` rows (drawn where
 * w->wy, w->wx say); returns the rows used, or -1 when it cannot fit.
 * The focus goes to the first field that takes it. */
int
wform_make(struct wiz *w, int fw, int avail)
{
	int lw, rows, r = 0;

	rows = grow(w, shrink(w, measure(w, fw, &lw), avail), avail);
	if (rows > avail || rows < 1 || fw < 20)
		return -1;
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		f->lw = 0;
		f->hw = 0;
		switch (f->base.kind) {
		case F_TEXT: case F_SECRET: case F_CHOICE:
			f->lw = lw;
			f->iw = f->width > 0 && f->width < fw - lw ? f->width :
				fw - lw;
			f->y = r;
			f->x = lw;
			if (f->rows == 2) {
				f->hy = r + 1;
				f->hx = lw;
				f->hw = fw - lw;
			} else if (f->base.hint != NULL) {
				f->hy = r;
				f->hx = lw + f->iw + 1;
				f->hw = fw - lw - f->iw - 1;
			}
			break;
		case F_CHECK:
			f->y = r;
			f->x = 0;
			f->iw = text_width(w->ui->g->check_on);
			break;
		case F_LABEL:
			break;
		case F_INFO:
			f->y = r;
			f->x = 0;
			f->iw = f->width = fw;
			break;
		case F_LIST: case F_VIEW:
			if (f->base.label[0] != '\0')
				r++;
			f->y = r;
			f->x = 0;
			f->iw = f->width = fw;
			break;
		}
		r += f->rows;
	}
	w->form_w = fw;
	w->laid_out = true;
	w->focus = -1;
	for (int i = 0; i < w->nfields; i++) {
		wform_put(w, &w->fields[i]);
		if (w->focus < 0 && wform_takes_focus(w, &w->fields[i]))
			w->focus = i;
	}
	return rows;
}

/* The wizard field that has the form's focus, or NULL. */
struct wfield *
wform_current(struct wiz *w)
{
	return w->laid_out && w->focus >= 0 && w->focus < w->nfields ?
	       &w->fields[w->focus] : NULL;
}

/* A text field is entered with the cursor after its value. */
static void
cursor_end(struct wiz *w)
{
	struct wfield *f = wform_current(w);

	if (f != NULL && is_text(f))
		f->base.cursor = f->base.value ? strlen(f->base.value) : 0;
}

/* Give the focus to a field, without checking the one left (Back, a
 * relayout); false when it cannot take it. */
bool
wform_focus(struct wiz *w, struct wfield *f)
{
	if (!wform_takes_focus(w, f))
		return false;
	w->focus = (int)(f - w->fields);
	cursor_end(w);
	return true;
}

/* Check the field that has the focus (its value stored first); false
 * with w->error saying why when it does not pass. */
bool
wform_check(struct wiz *w)
{
	struct wfield *f = wform_current(w);
	char *why;

	if (f == NULL)
		return true;
	if (is_text(f))
		store_text(w, f);
	if (f->check == NULL)
		return true;
	why = f->check(w, wiz_get(w, f->id));
	if (why == NULL)
		return true;
	free(w->error);
	w->error = why;
	return false;
}

/* Leave the field for the next (dir > 0) or previous one that takes the
 * focus, round the page, once it passes its check. */
bool
wform_move(struct wiz *w, int dir)
{
	int n = w->nfields;

	if (!wform_check(w))
		return false;
	if (w->focus < 0)
		return true;
	for (int k = 1; k < n; k++) {
		int i = ((w->focus + dir * k) % n + n) % n;
		if (wform_takes_focus(w, &w->fields[i])) {
			w->focus = i;
			break;
		}
	}
	cursor_end(w);
	return true;
}

/* An editing key in the current text field: 1 when it may change the
 * value (typing, deleting), 0 when it only moves, -1 when it is not one. */
int
wform_edit(struct wiz *w, int key)
{
	struct wfield *f = wform_current(w);
	bool change = key_printable(key) || key_backspace(key) ||
		      key == K_FN(KEY_DC) || key == K_CTRL('d') ||
		      key == K_CTRL('u') || key == K_CTRL('k') ||
		      key == K_CTRL('w');

	if (f == NULL || !is_text(f))
		return -1;
	if (f->base.value == NULL)
		f->base.value = xstrdup("");
	if (key == K_CTRL('k')) {
		/* the rest of the field, from the cursor */
		size_t n = strlen(f->base.value);
		f->base.value[f->base.cursor < n ? f->base.cursor : n] = '\0';
	} else if (!edit_key(&f->base.value, &f->base.cursor, key)) {
		return -1;
	}
	/* the store follows typing: hints and checks see it at once */
	store_text(w, f);
	return change ? 1 : 0;
}

/* Draw a list's or view's rows and mark a list's selection. */
static void
rows_draw(struct wiz *w, struct wfield *f, int y, int x, bool on)
{
	struct ui *ui = w->ui;

	rows_clamp(f);
	for (int r = 0; r < f->rows; r++) {
		int i = rows_top(f) + r;
		char *line;
		if (i >= f->nitems) {
			const char *none = f->text ? f->text :
					   "  (nothing found)";
			bool first = i == 0 && f->base.kind == F_LIST;
			line = xstrdup(first ? none : "");
		} else if (f->base.kind == F_LIST && f->multi) {
			bool tick = false;
			const char *v = wiz_get(w, f->id);
			for (const char *p = v; *p;) {
				size_t l = strcspn(p, "\n");
				if (l == strlen(f->keys[i]) &&
				    strncmp(p, f->keys[i], l) == 0)
					tick = true;
				p += l + (p[l] == '\n');
			}
			line = xasprintf("%s %s", tick ? ui->g->check_on :
					 ui->g->check_off, f->items[i]);
		} else if (f->base.kind == F_LIST) {
			line = xasprintf("%s %s", i == (int)f->sc.sel ? ui->g->sel :
					 " ", f->items[i]);
		} else {
			line = xstrdup(f->items[i]);
		}
		text_put(y + r, x, line, f->iw, ui->attr[R_DIALOG], true,
			 false);
		free(line);
	}
	if (f->base.kind == F_LIST && f->nitems > 0) {
		int row = (int)f->sc.sel - rows_top(f);
		attr_t a = ui->attr[on ? R_SELECTED : R_SELECTED_DIM];
		if (row >= 0 && row < f->rows)
			mvchgat(y + row, x, f->width, a & ~A_COLOR,
				PAIR_NUMBER(a), NULL);
	}
}

/* Draw the page's fields; the focused one (when the fields have the
 * focus) stands out, and a text field gets the cursor. */
void
wform_draw(struct wiz *w, bool focused)
{
	struct ui *ui = w->ui;
	struct wfield *cur = wform_current(w);

	if (!w->laid_out)
		return;
	for (int r = 0; r < w->form_rows; r++)
		text_fill(w->wy + r, w->wx, w->form_w, ui->attr[R_DIALOG]);
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		bool on = focused && f == cur;
		int y = w->wy + f->y, x = w->wx + f->x;
		attr_t a;

		switch (f->base.kind) {
		case F_TEXT:
			text_put(y, w->wx, f->base.label, f->lw,
				 ui->attr[R_DIALOG], true, false);
			a = ui->attr[R_INPUT] | (on ? A_BOLD : 0);
			/* a field not being typed in shows its start */
			input_draw(ui, y, x, f->iw,
				   f->base.value ? f->base.value : "",
				   on ? f->base.cursor : 0, on, a);
			break;
		case F_SECRET:
			text_put(y, w->wx, f->base.label, f->lw,
				 ui->attr[R_DIALOG], true, false);
			a = ui->attr[R_INPUT] | (on ? A_BOLD : 0);
			text_fill(y, x, f->iw, a);
			if (on) {
				char *before = xstrndup(f->base.value ?
							f->base.value : "",
							f->base.cursor);
				int cw = text_width(before);
				free(before);
				ui->cur_y = y;
				ui->cur_x = x + (cw < f->iw ? cw : f->iw - 1);
			}
			break;
		case F_CHOICE: {
			char *t = xasprintf("< %s >", wiz_get(w, f->id));
			text_put(y, w->wx, f->base.label, f->lw,
				 ui->attr[R_DIALOG], true, false);
			text_put(y, x, t, f->iw,
				 ui->attr[on ? R_BUTTON_FOCUS : R_INPUT], true,
				 false);
			free(t);
			break;
		}
		case F_CHECK:
			text_put(y, x, wiz_on(w, f->id) ? ui->g->check_on :
				 ui->g->check_off, f->iw, ui->attr[R_INPUT],
				 true, false);
			text_put(y, x + 4, f->base.label, w->form_w - 4,
				 ui->attr[R_DIALOG], true, false);
			if (on)
				mvchgat(y, x, 3,
					ui->attr[R_BUTTON_FOCUS] & ~A_COLOR,
					PAIR_NUMBER(ui->attr[R_BUTTON_FOCUS]),
					NULL);
			break;
		case F_INFO:
			rows_clamp(f);
			for (int r = 0; r < f->rows; r++) {
				int k = rows_top(f) + r;
				text_put(y + r, x, k < f->nitems ? f->items[k] :
					 "", f->iw, ui->attr[R_DIALOG], true,
					 false);
			}
			break;
		case F_LIST: case F_VIEW:
			if (f->base.label[0] != '\0')
				text_put(y - 1, x, f->base.label, w->form_w,
					 ui->attr[R_HEADER], true, false);
			rows_draw(w, f, y, x, on);
			break;
		case F_LABEL:
			break;
		}
		if (f->hw > 0)
			text_put(w->wy + f->hy, w->wx + f->hx,
				 f->base.hint ? f->base.hint : "", f->hw,
				 ui->attr[R_DIM], true, false);
	}
}
