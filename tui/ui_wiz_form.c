/* cistern — a wizard page on a libformw form: the layout of its fields,
 * their buffers, the check run when a field is left, and the copy of the
 * form's window into the screen.
 *
 * The form lives in a window of its own that is never refreshed: each
 * draw copies it over the dialog (the main loop redraws everything), so
 * the form follows the dialog layer's stacking and the theme.
 */
#include <form.h>
#include <stdlib.h>
#include <string.h>

#include "ui_wiz.h"

static FIELDTYPE *wiz_type;

static void cursor_end(struct wiz *w);

/* A field's buffer without its trailing blanks (malloc'd). */
static char *
buf_value(FIELD *fld)
{
	char *s = xstrdup(field_buffer(fld, 0));
	size_t n = strlen(s);

	while (n > 0 && s[n - 1] == ' ')
		s[--n] = '\0';
	return s;
}

/* libformw's check of the field being left: store its value, then ask
 * the field's own check (not while only syncing). */
static bool
wiz_fcheck(FIELD *fld, const void *arg)
{
	struct wfield *f = field_userptr(fld);
	struct wiz *w;
	char *why;

	(void)arg;
	if (f == NULL)
		return true;
	w = f->w;
	if (f->kind == WF_TEXT || f->kind == WF_SECRET) {
		char *v = buf_value(fld);
		wiz_set(w, f->id, v);
		memset(v, 0, strlen(v));
		free(v);
	}
	if (w->live || f->check == NULL)
		return true;
	why = f->check(w, wiz_get(w, f->id));
	if (why == NULL)
		return true;
	free(w->error);
	w->error = why;
	return false;
}

/* The rows a WF_INFO / WF_VIEW text takes at width fw. */
static void
text_rows(struct wfield *f, int fw)
{
	size_t n = 0;
	char **lines = text_wrap(f->text ? f->text : "", fw, &n);

	strv_free(f->items);
	f->items = lines;
	f->nitems = (int)n;
}

/* Fill a list's, view's or info's buffer from its rows. */
static void
put_rows(struct wiz *w, struct wfield *f)
{
	int fw, rows;
	struct sbuf b;

	if (f->fld == NULL)
		return;
	fw = f->width;
	rows = f->rows;
	if (f->cur >= f->nitems)
		f->cur = f->nitems ? f->nitems - 1 : 0;
	if (f->cur < 0)
		f->cur = 0;
	if (f->kind == WF_LIST) {
		if (f->cur < f->top)
			f->top = f->cur;
		if (f->cur >= f->top + rows)
			f->top = f->cur - rows + 1;
	}
	if (f->top > f->nitems - rows)
		f->top = f->nitems - rows;
	if (f->top < 0)
		f->top = 0;
	sbuf_init(&b);
	for (int r = 0; r < rows; r++) {
		int i = f->top + r;
		char *line, *cell;
		if (i >= f->nitems) {
			const char *none = f->text ? f->text :
					   "  (nothing found)";
			bool first = i == 0 && f->kind == WF_LIST;
			line = xstrdup(first ? none : "");
		} else if (f->kind == WF_LIST && f->multi) {
			bool on = false;
			const char *v = wiz_get(w, f->id);
			for (const char *p = v; *p;) {
				size_t l = strcspn(p, "\n");
				if (l == strlen(f->keys[i]) &&
				    strncmp(p, f->keys[i], l) == 0)
					on = true;
				p += l + (p[l] == '\n');
			}
			line = xasprintf("%s %s", on ? w->ui->g->check_on :
					 w->ui->g->check_off, f->items[i]);
		} else if (f->kind == WF_LIST) {
			line = xasprintf("%s %s", i == f->cur ? w->ui->g->sel :
					 " ", f->items[i]);
		} else {
			line = xstrdup(f->items[i]);
		}
		cell = text_cell(line, fw);
		sbuf_add(&b, cell);
		free(cell);
		free(line);
	}
	set_field_buffer(f->fld, 0, b.s ? b.s : "");
	sbuf_free(&b);
}

/* Put a field's value from the store into its buffer. */
void
wform_put(struct wiz *w, struct wfield *f)
{
	const char *v = wiz_get(w, f->id);
	char *t;

	if (f->fld == NULL)
		return;
	switch (f->kind) {
	case WF_TEXT:
	case WF_SECRET:
		set_field_buffer(f->fld, 0, v);
		break;
	case WF_CHOICE:
		t = xasprintf("< %s >", v);
		set_field_buffer(f->fld, 0, t);
		free(t);
		break;
	case WF_CHECK:
		set_field_buffer(f->fld, 0, strcmp(v, "1") == 0 ?
				 w->ui->g->check_on : w->ui->g->check_off);
		break;
	default:
		put_rows(w, f);
		break;
	}
}

/* Put a hint into its field. */
void
wform_hint(struct wiz *w, struct wfield *f)
{
	FIELD *h = f->hfld;
	int hr, hc;
	char *cell;

	(void)w;
	if (h == NULL ||
	    field_info(h, &hr, &hc, NULL, NULL, NULL, NULL) != E_OK)
		return;
	cell = text_cell(f->hint ? f->hint : "", hc);
	set_field_buffer(h, 0, cell);
	free(cell);
}

/* Drop the form, its fields and its window. */
void
wform_free(struct wiz *w)
{
	FORM *form = w->form;
	FIELD **fl;
	int n;

	if (form == NULL)
		return;
	fl = form_fields(form);
	n = field_count(form);
	/* what a secret field held goes before its memory does */
	for (int i = 0; i < w->nfields; i++)
		if (w->fields[i].kind == WF_SECRET && w->fields[i].fld != NULL)
			set_field_buffer(w->fields[i].fld, 0, "");
	unpost_form(form);
	free_form(form);
	for (int i = 0; i < n; i++)
		free_field(fl[i]);
	free(fl);
	if (w->win != NULL)
		delwin(w->win);
	w->form = NULL;
	w->win = NULL;
	for (int i = 0; i < w->nfields; i++)
		w->fields[i].fld = w->fields[i].lfld = w->fields[i].hfld = NULL;
}

/* A field at (r, c) of h x wd. */
static FIELD *
mkfield(int h, int wd, int r, int c)
{
	FIELD *f = new_field(h, wd, r, c, 0, 0);

	if (f == NULL)
		fatal("cannot make a form field (%dx%d at %d,%d)", h, wd, r, c);
	return f;
}

/* A label, hint or text that cannot take the focus. */
static FIELD *
mklabel(struct ui *ui, int h, int wd, int r, int c, const char *text,
	int role)
{
	FIELD *f = mkfield(h, wd, r, c);
	char *cell = text_cell(text ? text : "", wd * h);

	field_opts_off(f, O_ACTIVE | O_EDIT | O_AUTOSKIP);
	set_field_back(f, ui->attr[role]);
	set_field_fore(f, ui->attr[role]);
	set_field_buffer(f, 0, cell);
	free(cell);
	return f;
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
		if ((f->kind == WF_TEXT || f->kind == WF_SECRET ||
		     f->kind == WF_CHOICE) && text_width(f->label) + 2 > *lw)
			*lw = text_width(f->label) + 2;
	}
	if (*lw > fw / 3)
		*lw = fw / 3;
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		int iw;
		switch (f->kind) {
		case WF_TEXT: case WF_SECRET: case WF_CHOICE:
			iw = f->width > 0 && f->width < fw - *lw ? f->width :
			     fw - *lw;
			f->rows = 1 + (f->hint != NULL &&
				       fw - *lw - iw - 1 < 12);
			break;
		case WF_CHECK:
			f->rows = 1;
			break;
		case WF_INFO:
			text_rows(f, fw);
			f->rows = f->nitems < f->want_rows ? f->nitems :
				  f->want_rows;
			break;
		case WF_VIEW:
			text_rows(f, fw);
			/* fall through */
		case WF_LIST:
			f->rows = f->want_rows > 0 ? f->want_rows : 1;
			if (f->kind == WF_LIST && f->nitems < f->rows)
				f->rows = f->nitems > 0 ? f->nitems : 1;
			rows += f->label[0] != '\0';
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
	static const struct { enum wf_kind kind; int floor; } order[] = {
		{ WF_VIEW, 3 }, { WF_LIST, 2 }, { WF_INFO, 1 }, { WF_VIEW, 1 },
		{ WF_LIST, 1 },
	};

	for (size_t k = 0; k < ARRAY_SIZE(order) && rows > avail; k++) {
		bool moved = true;
		while (rows > avail && moved) {
			moved = false;
			for (int i = 0; i < w->nfields && rows > avail; i++) {
				struct wfield *f = &w->fields[i];
				if (f->kind == order[k].kind &&
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
			if (f->kind == WF_LIST && f->rows < (int)f->nitems) {
				f->rows++;
				rows++;
				moved = true;
			}
		}
	}
	return rows;
}

/* Make the page's form in a window at (y, x) of fw columns and at most
 * `avail` rows; returns the rows used, or -1 when it cannot fit. */
int
wform_make(struct wiz *w, int y, int x, int fw, int avail)
{
	struct ui *ui = w->ui;
	FIELD **fl;
	FORM *form;
	int lw, rows, n = 0, r = 0;

	if (wiz_type == NULL)
		wiz_type = new_fieldtype(wiz_fcheck, NULL);
	rows = grow(w, shrink(w, measure(w, fw, &lw), avail), avail);
	if (rows > avail || rows < 1 || fw < 20)
		return -1;
	fl = xcalloc((size_t)w->nfields * 3 + 1, sizeof(*fl));
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		FIELD *in = NULL;
		int iw = fw - lw;
		switch (f->kind) {
		case WF_TEXT: case WF_SECRET: case WF_CHOICE:
			if (f->width > 0 && f->width < fw - lw)
				iw = f->width;
			fl[n++] = f->lfld = mklabel(ui, 1, lw, r, 0, f->label,
						    R_DIALOG);
			in = mkfield(1, iw, r, lw);
			if (f->kind == WF_CHOICE) {
				field_opts_off(in, O_EDIT);
			} else {
				field_opts_off(in, O_STATIC);
				set_max_field(in, 0);
			}
			if (f->kind == WF_SECRET)
				field_opts_off(in, O_PUBLIC);
			fl[n++] = in;
			if (f->rows == 2)
				f->hfld = mklabel(ui, 1, fw - lw, r + 1, lw,
						  f->hint, R_DIM);
			else if (f->hint != NULL)
				f->hfld = mklabel(ui, 1, fw - lw - iw - 1, r,
						  lw + iw + 1, f->hint, R_DIM);
			if (f->hfld != NULL)
				fl[n++] = f->hfld;
			break;
		case WF_CHECK:
			in = mkfield(1, text_width(ui->g->check_on), r, 0);
			field_opts_off(in, O_EDIT);
			fl[n++] = in;
			f->lfld = mklabel(ui, 1, fw - 4, r, 4, f->label,
					  R_DIALOG);
			fl[n++] = f->lfld;
			break;
		case WF_INFO:
			fl[n++] = f->fld = mklabel(ui, f->rows, fw, r, 0, "",
						   R_DIALOG);
			f->width = fw;
			break;
		case WF_LIST: case WF_VIEW:
			if (f->label[0] != '\0')
				fl[n++] = f->lfld = mklabel(ui, 1, fw, r++, 0,
							    f->label, R_HEADER);
			in = mkfield(f->rows, fw, r, 0);
			field_opts_off(in, O_EDIT | O_WRAP);
			fl[n++] = in;
			f->width = fw;
			break;
		}
		if (in != NULL) {
			bool rows = f->kind == WF_LIST || f->kind == WF_VIEW;
			field_opts_off(in, O_AUTOSKIP | O_BLANK | O_PASSOK |
				       O_NULLOK);
			set_field_type(in, wiz_type);
			set_field_userptr(in, f);
			set_field_back(in, ui->attr[rows ? R_DIALOG : R_INPUT]);
			set_field_fore(in, ui->attr[rows ? R_DIALOG : R_INPUT]);
			f->fld = in;
		}
		wform_put(w, f);
		r += f->rows;
	}
	w->win = newwin(rows, fw, y, x);
	if (w->win == NULL) {
		for (int i = 0; i < n; i++)
			free_field(fl[i]);
		free(fl);
		return -1;
	}
	wbkgdset(w->win, ' ' | ui->attr[R_DIALOG]);
	werase(w->win);
	form = new_form(fl);
	if (form == NULL) {
		for (int i = 0; i < n; i++)
			free_field(fl[i]);
		free(fl);
		delwin(w->win);
		w->win = NULL;
		return -1;
	}
	set_form_win(form, w->win);
	set_form_sub(form, w->win);
	w->form = form;
	w->wy = y;
	w->wx = x;
	w->live = true;
	if (post_form(form) != E_OK) {
		w->live = false;
		wform_free(w);
		return -1;
	}
	w->live = false;
	cursor_end(w);
	return rows;
}

/* The wizard field that has the form's focus, or NULL. */
struct wfield *
wform_current(struct wiz *w)
{
	FIELD *c = w->form ? current_field(w->form) : NULL;

	return c ? field_userptr(c) : NULL;
}

/* A text field is entered with the cursor after its value. */
static void
cursor_end(struct wiz *w)
{
	struct wfield *f = wform_current(w);

	if (f != NULL && (f->kind == WF_TEXT || f->kind == WF_SECRET))
		form_driver(w->form, REQ_END_FIELD);
}

/* Give the focus to a field, without checking the one left (Back, a
 * relayout); false when it cannot take it. */
bool
wform_focus(struct wiz *w, struct wfield *f)
{
	int rc;

	if (w->form == NULL || f == NULL || f->fld == NULL ||
	    !(field_opts(f->fld) & O_ACTIVE))
		return false;
	w->live = true;
	rc = set_current_field(w->form, f->fld);
	w->live = false;
	cursor_end(w);
	return rc == E_OK;
}

/* A request to the form; `check` makes leaving a field check it.
 * Returns libformw's answer (E_INVALID_FIELD: w->error says why). */
int
wform_request(struct wiz *w, int req, bool check)
{
	int rc;

	if (w->form == NULL)
		return E_NOT_POSTED;
	w->live = !check;
	rc = form_driver(w->form, req);
	w->live = false;
	if (rc == E_OK && (req == REQ_NEXT_FIELD || req == REQ_PREV_FIELD))
		cursor_end(w);
	return rc;
}

/* A character typed into the current field. */
void
wform_char(struct wiz *w, int ch)
{
	if (w->form == NULL)
		return;
	w->live = true;
	form_driver_w(w->form, OK, (wchar_t)ch);
	/* copy the buffer into the store at once: hints follow typing */
	form_driver(w->form, REQ_VALIDATION);
	w->live = false;
}

/* Store what the current field holds, checking nothing. */
void
wform_sync(struct wiz *w)
{
	wform_request(w, REQ_VALIDATION, false);
}

/* Copy the form onto the screen; mark the selected rows of lists; put
 * the cursor in the current text field. */
void
wform_draw(struct wiz *w, bool focused)
{
	struct ui *ui = w->ui;
	struct wfield *cur = wform_current(w);
	int h, wd;

	if (w->win == NULL)
		return;
	getmaxyx((WINDOW *)w->win, h, wd);
	pos_form_cursor(w->form);
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		attr_t a;
		bool on = focused && f == cur;
		bool input = f->kind == WF_TEXT || f->kind == WF_SECRET ||
			     f->kind == WF_CHOICE;
		if (f->fld == NULL || !input)
			continue;
		a = ui->attr[on ? R_BUTTON_FOCUS : R_INPUT];
		if (f->kind == WF_TEXT || f->kind == WF_SECRET)
			a = ui->attr[R_INPUT] | (on ? A_BOLD : 0);
		set_field_back(f->fld, a);
		set_field_fore(f->fld, a);
	}
	copywin(w->win, stdscr, 0, 0, w->wy, w->wx, w->wy + h - 1,
		w->wx + wd - 1, FALSE);
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		int fr, fc, row;
		if (f->fld == NULL)
			continue;
		field_info(f->fld, NULL, NULL, &fr, &fc, NULL, NULL);
		if (f->kind == WF_CHECK && focused && f == cur)
			mvchgat(w->wy + fr, w->wx + fc, 3,
				ui->attr[R_BUTTON_FOCUS] & ~A_COLOR,
				PAIR_NUMBER(ui->attr[R_BUTTON_FOCUS]), NULL);
		if (f->kind != WF_LIST || f->nitems == 0)
			continue;
		row = f->cur - f->top;
		if (row < 0 || row >= f->rows)
			continue;
		attr_t a = ui->attr[focused && f == cur ? R_SELECTED :
				    R_SELECTED_DIM];
		mvchgat(w->wy + fr + row, w->wx + fc, f->width, a & ~A_COLOR,
			PAIR_NUMBER(a), NULL);
	}
	if (focused && cur != NULL &&
	    (cur->kind == WF_TEXT || cur->kind == WF_SECRET)) {
		ui->cur_y = w->wy + getcury((WINDOW *)w->win);
		ui->cur_x = w->wx + getcurx((WINDOW *)w->win);
	}
}
