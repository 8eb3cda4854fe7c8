/* cistern — the dialog layer: a stack of modal boxes drawn over the
 * main screen. Kinds: forms (fields and buttons; confirmations and
 * messages are forms), a scrollable text view, a chooser, and a one-line
 * editor on the status line. Each kind owns one draw and one key
 * function. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ui.h"

void
dialog_push(struct ui *ui, struct dialog *d)
{
	d->below = ui->dlg;
	ui->dlg = d;
}

/* Take the top dialog off the stack without freeing it. */
static struct dialog *
dialog_unlink(struct ui *ui)
{
	struct dialog *d = ui->dlg;

	if (d != NULL)
		ui->dlg = d->below;
	return d;
}

static void
dialog_destroy(struct dialog *d)
{
	if (d == NULL)
		return;
	if (d->free != NULL)
		d->free(d);
	free(d->title);
	free(d);
}

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

void
dialog_draw_all(struct ui *ui)
{
	dialog_draw_rec(ui, ui->dlg);
}

static struct dialog *
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

static bool
key_printable(int key)
{
	return key >= 0x20 && key != 0x7f && key < 0x110000;
}

static bool
key_backspace(int key)
{
	return key == K_FN(KEY_BACKSPACE) || key == 0x7f || key == 8;
}

/* Edit a text buffer with a key; true when the key was used. */
static bool
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
static void
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

/* ---- forms ---- */

struct form *
form_new(const char *text, form_done_fn done, void *ctx,
	 void (*ctx_free)(void *))
{
	struct form *f = xcalloc(1, sizeof(*f));

	f->text = text ? xstrdup(text) : NULL;
	f->done = done;
	f->ctx = ctx;
	f->ctx_free = ctx_free;
	f->confirm_field = -1;
	f->confirm_button = -1;
	f->cancel = -1;
	return f;
}

static int
form_add(struct form *f, enum field_kind k, const char *label)
{
	f->fields = xreallocarray(f->fields, (size_t)f->nfields + 1,
				  sizeof(*f->fields));
	struct field *fl = &f->fields[f->nfields];
	memset(fl, 0, sizeof(*fl));
	fl->kind = k;
	fl->label = xstrdup(label);
	fl->value = xstrdup("");
	return f->nfields++;
}

int
form_add_text(struct form *f, const char *label, const char *value,
	      const char *hint)
{
	int i = form_add(f, F_TEXT, label);

	free(f->fields[i].value);
	f->fields[i].value = xstrdup(value ? value : "");
	f->fields[i].cursor = strlen(f->fields[i].value);
	f->fields[i].hint = hint ? xstrdup(hint) : NULL;
	return i;
}

int
form_add_choice(struct form *f, const char *label, const char *const *choices,
		int n, int choice)
{
	int i = form_add(f, F_CHOICE, label);

	for (int k = 0; k < n; k++) {
		size_t nc = (size_t)f->fields[i].nchoices;
		strv_push(&f->fields[i].choices, &nc, choices[k]);
		f->fields[i].nchoices = (int)nc;
	}
	f->fields[i].choice = choice >= 0 && choice < n ? choice : 0;
	return i;
}

int
form_add_check(struct form *f, const char *label, bool on)
{
	int i = form_add(f, F_CHECK, label);

	f->fields[i].on = on;
	return i;
}

int
form_add_label(struct form *f, const char *label, const char *value)
{
	int i = form_add(f, F_LABEL, label);

	free(f->fields[i].value);
	f->fields[i].value = xstrdup(value ? value : "");
	return i;
}

void
form_add_button(struct form *f, const char *label)
{
	size_t n = (size_t)f->nbuttons;

	if (n >= 8)
		return;
	strv_push(&f->buttons, &n, label);
	f->nbuttons = (int)n;
}

void
form_require_name(struct form *f, int fi, const char *name, int bi)
{
	f->confirm_field = fi;
	free(f->confirm);
	f->confirm = xstrdup(name);
	f->confirm_button = bi;
}

void
form_error(struct form *f, const char *fmt, ...)
{
	va_list ap;

	free(f->error);
	va_start(ap, fmt);
	f->error = xvasprintf(fmt, ap);
	va_end(ap);
}

const char *
form_text(const struct form *f, int fi)
{
	return fi >= 0 && fi < f->nfields ? f->fields[fi].value : "";
}

int
form_choice(const struct form *f, int fi)
{
	return fi >= 0 && fi < f->nfields ? f->fields[fi].choice : -1;
}

bool
form_check(const struct form *f, int fi)
{
	return fi >= 0 && fi < f->nfields && f->fields[fi].on;
}

static void
form_free(struct dialog *d)
{
	struct form *f = d->data;

	for (int i = 0; i < f->nfields; i++) {
		free(f->fields[i].label);
		free(f->fields[i].value);
		free(f->fields[i].hint);
		strv_free(f->fields[i].choices);
	}
	free(f->fields);
	strv_free(f->buttons);
	free(f->text);
	free(f->error);
	free(f->confirm);
	if (f->ctx_free != NULL)
		f->ctx_free(f->ctx);
	free(f);
}

static bool
form_focusable(const struct form *f, int i)
{
	if (i >= f->nfields)
		return true;
	return f->fields[i].kind != F_LABEL && !f->fields[i].hidden;
}

static bool
button_locked(const struct form *f, int b)
{
	return b == f->confirm_button && f->confirm_field >= 0 &&
	       strcmp(f->fields[f->confirm_field].value, f->confirm) != 0;
}

static void
form_draw(struct ui *ui, struct dialog *d)
{
	struct form *f = d->data;
	int w = f->width > 0 ? f->width : 64, lw = 0, nvis = 0;
	char **lines = NULL, **elines = NULL;
	size_t nl = 0, nel = 0;

	if (w > ui->cols - 2)
		w = ui->cols - 2;
	if (f->text != NULL)
		lines = text_wrap(f->text, w - 4, &nl);
	if (f->error != NULL)
		elines = text_wrap(f->error, w - 4, &nel);
	for (int i = 0; i < f->nfields; i++) {
		if (f->fields[i].hidden)
			continue;
		nvis++;
		if (f->fields[i].kind != F_CHECK &&
		    text_width(f->fields[i].label) + 2 > lw)
			lw = text_width(f->fields[i].label) + 2;
	}
	if (lw > w / 2)
		lw = w / 2;
	int h = 2 + (int)nl + (nl && nvis ? 1 : 0) + nvis + (int)nel + 2 +
		(nel ? 1 : 0);
	int maxl = ui->rows - 2 - (h - (int)nl);
	if ((int)nl > maxl && maxl > 0) {
		h -= (int)nl - maxl;
		nl = (size_t)maxl;
	}
	dialog_box(ui, d, h, w, f->danger ? R_DANGER : R_DIALOG);
	int y = d->y + 1, x = d->x + 2, iw = d->w - 4;
	attr_t da = ui->attr[R_DIALOG];
	for (size_t i = 0; i < nl; i++)
		text_put(y++, x, lines[i], iw, da, false, false);
	if (nl && nvis)
		y++;
	for (int i = 0; i < f->nfields; i++) {
		struct field *fl = &f->fields[i];
		bool foc = f->focus == i;
		f->field_y[i < 24 ? i : 23] = -1;
		if (fl->hidden)
			continue;
		if (i < 24)
			f->field_y[i] = y;
		if (fl->kind == F_CHECK) {
			char t[256];
			snprintf(t, sizeof(t), "%s %s",
				 fl->on ? ui->g->check_on : ui->g->check_off,
				 fl->label);
			text_put(y, x, t, iw, foc ? ui->attr[R_BUTTON_FOCUS] : da,
				 false, false);
			if (fl->hint)
				text_put(y, x + text_width(t) + 2, fl->hint,
					 iw - text_width(t) - 2, ui->attr[R_DIM],
					 false, false);
			y++;
			continue;
		}
		text_put(y, x, fl->label, lw, da, true, false);
		int fx = x + lw, fw = iw - lw;
		int hw = fl->hint ? text_width(fl->hint) + 1 : 0;
		if (fl->kind == F_TEXT) {
			int inw = fw - hw;
			if (inw < 12) {
				inw = fw;
				hw = 0;
			}
			input_draw(ui, y, fx, inw, fl->value, fl->cursor, foc,
				   ui->attr[R_INPUT]);
			if (hw)
				text_put(y, fx + inw + 1, fl->hint, hw - 1,
					 ui->attr[R_DIM], false, false);
		} else if (fl->kind == F_CHOICE) {
			char t[256];
			snprintf(t, sizeof(t), "< %s >",
				 fl->nchoices ? fl->choices[fl->choice] : "");
			text_put(y, fx, t, fw, foc ? ui->attr[R_BUTTON_FOCUS] :
				 ui->attr[R_INPUT], false, false);
			if (fl->hint)
				text_put(y, fx + text_width(t) + 1, fl->hint,
					 fw - text_width(t) - 1, ui->attr[R_DIM],
					 false, false);
		} else {
			text_put(y, fx, fl->value, fw, da, false, false);
		}
		y++;
	}
	if (nel) {
		y++;
		for (size_t i = 0; i < nel; i++)
			text_put(y++, x, elines[i], iw, ui->attr[R_ERROR], false,
				 false);
	}
	/* buttons, right-aligned */
	y = d->y + d->h - 2;
	int bw = 0;
	for (int b = 0; b < f->nbuttons; b++)
		bw += text_width(f->buttons[b]) + 4 + 1;
	int bx = d->x + d->w - 2 - bw;
	if (bx < d->x + 1)
		bx = d->x + 1;
	f->btn_y = y;
	for (int b = 0; b < f->nbuttons; b++) {
		char t[128];
		bool foc = f->focus == f->nfields + b;
		attr_t a = foc ? ui->attr[R_BUTTON_FOCUS] : ui->attr[R_BUTTON];
		if (button_locked(f, b))
			a = ui->attr[R_DIM];
		snprintf(t, sizeof(t), "[ %s ]", f->buttons[b]);
		f->btn_x[b] = bx;
		f->btn_w[b] = text_width(t);
		text_put(y, bx, t, f->btn_w[b], a, false, false);
		if (foc && ui->cur_y < 0) {
			ui->cur_y = y;
			ui->cur_x = bx + 2;
		}
		bx += f->btn_w[b] + 1;
	}
	strv_free(lines);
	strv_free(elines);
}

/* Press a button: unlink, call done, free (or put back on -1). */
static int
form_press(struct ui *ui, struct dialog *d, int b)
{
	struct form *f = d->data;
	int r;

	if (button_locked(f, b)) {
		form_error(f, "Type '%s' to confirm.", f->confirm);
		f->focus = f->confirm_field;
		return UI_DRAW;
	}
	dialog_unlink(ui);
	r = f->done != NULL ? f->done(ui, f, b) : UI_DRAW;
	if (r < 0) {
		d->below = NULL;
		dialog_push(ui, d);
		f->focus = f->focus < f->nfields + f->nbuttons ? f->focus : 0;
		return UI_DRAW;
	}
	dialog_destroy(d);
	return r | UI_DRAW;
}

static void
form_move(struct form *f, int dir)
{
	int n = f->nfields + f->nbuttons;

	for (int k = 0; k < n; k++) {
		f->focus = (f->focus + dir + n) % n;
		if (form_focusable(f, f->focus))
			return;
	}
}

static int
form_key(struct ui *ui, struct dialog *d, int key)
{
	struct form *f = d->data;
	int n = f->nfields;

	if (key == K_ESC)
		return form_press(ui, d, f->cancel >= 0 ? f->cancel :
				  f->nbuttons - 1);
	if (key == K_TAB || key == K_FN(KEY_DOWN)) {
		form_move(f, 1);
		return UI_DRAW;
	}
	if (key == K_FN(KEY_BTAB) || key == K_FN(KEY_UP)) {
		form_move(f, -1);
		return UI_DRAW;
	}
	if (f->focus >= n) {
		int b = f->focus - n;
		if (key == K_FN(KEY_LEFT) && b > 0)
			f->focus--;
		else if (key == K_FN(KEY_RIGHT) && b + 1 < f->nbuttons)
			f->focus++;
		else if (key == K_ENTER || key == '\n' || key == ' ')
			return form_press(ui, d, b);
		return UI_DRAW;
	}
	struct field *fl = &f->fields[f->focus];
	if (key == K_ENTER || key == '\n') {
		/* the next field, or the first button after the last one */
		int i = f->focus + 1;
		while (i < n && !form_focusable(f, i))
			i++;
		f->focus = i;
		return UI_DRAW;
	}
	if (fl->kind == F_TEXT) {
		if (edit_key(&fl->value, &fl->cursor, key)) {
			free(f->error);
			f->error = NULL;
			if (f->change)
				f->change(ui, f, f->focus);
		}
		return UI_DRAW;
	}
	if (fl->kind == F_CHOICE && fl->nchoices > 0) {
		if (key == K_FN(KEY_RIGHT) || key == ' ' || key == 'l')
			fl->choice = (fl->choice + 1) % fl->nchoices;
		else if (key == K_FN(KEY_LEFT) || key == 'h')
			fl->choice = (fl->choice + fl->nchoices - 1) % fl->nchoices;
		else if (key_printable(key)) {
			/* jump to the next choice starting with the letter */
			for (int k = 1; k <= fl->nchoices; k++) {
				int c = (fl->choice + k) % fl->nchoices;
				if (fl->choices[c][0] == key) {
					fl->choice = c;
					break;
				}
			}
		} else
			return UI_DRAW;
		if (f->change)
			f->change(ui, f, f->focus);
		return UI_DRAW;
	}
	if (fl->kind == F_CHECK && key == ' ') {
		fl->on = !fl->on;
		if (f->change)
			f->change(ui, f, f->focus);
	}
	return UI_DRAW;
}

/* A click inside a form: buttons and fields. */
int
form_click(struct ui *ui, struct dialog *d, int y, int x)
{
	struct form *f = d->data;

	if (y == f->btn_y) {
		for (int b = 0; b < f->nbuttons; b++)
			if (x >= f->btn_x[b] && x < f->btn_x[b] + f->btn_w[b])
				return form_press(ui, d, b);
	}
	for (int i = 0; i < f->nfields && i < 24; i++) {
		if (f->field_y[i] == y && form_focusable(f, i)) {
			f->focus = i;
			if (f->fields[i].kind == F_CHECK)
				f->fields[i].on = !f->fields[i].on;
			return UI_DRAW;
		}
	}
	return UI_NONE;
}

void
form_open(struct ui *ui, const char *title, struct form *f)
{
	struct dialog *d;

	if (f->nbuttons == 0)
		form_add_button(f, "OK");
	if (f->cancel < 0)
		f->cancel = f->nbuttons - 1;
	f->focus = 0;
	while (f->focus < f->nfields && !form_focusable(f, f->focus))
		f->focus++;
	if (f->danger && f->confirm_field < 0)
		f->focus = f->nfields + f->cancel;
	d = dialog_new(title, form_draw, form_key, form_free, f);
	dialog_push(ui, d);
}

static int
message_done(struct ui *ui, struct form *f, int b)
{
	(void)ui;
	(void)f;
	(void)b;
	return UI_DRAW;
}

void
dialog_message(struct ui *ui, const char *title, const char *text, bool error)
{
	struct form *f = form_new(text, message_done, NULL, NULL);

	f->danger = error;
	form_add_button(f, "OK");
	f->width = text_width(text) + 6 < 72 ? text_width(text) + 6 : 72;
	if (f->width < 40)
		f->width = 40;
	form_open(ui, title, f);
}

/* ---- a scrollable text view ---- */

struct textview {
	char *text;
	char **lines;
	size_t nlines;
	int wrapped_w;
	size_t top;
	int page;
};

static void
textview_free(struct dialog *d)
{
	struct textview *t = d->data;

	free(t->text);
	strv_free(t->lines);
	free(t);
}

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
	if (t->top + (size_t)t->page > t->nlines)
		t->top = t->nlines > (size_t)t->page ? t->nlines - (size_t)t->page : 0;
	for (int i = 0; i < t->page && t->top + (size_t)i < t->nlines; i++)
		text_put(d->y + 1 + i, d->x + 2, t->lines[t->top + (size_t)i],
			 d->w - 4, ui->attr[R_DIALOG], false, false);
	char foot[96];
	if (t->nlines > (size_t)t->page)
		snprintf(foot, sizeof(foot), " %zu-%zu of %zu  %s%s scroll  Esc close ",
			 t->top + 1, t->top + (size_t)t->page, t->nlines,
			 ui->g->up, ui->g->down);
	else
		snprintf(foot, sizeof(foot), " Esc close ");
	text_put(d->y + d->h - 1, d->x + d->w - 2 - text_width(foot), foot,
		 text_width(foot), ui->attr[R_DIALOG_TITLE], false, false);
}

static int
textview_key(struct ui *ui, struct dialog *d, int key)
{
	struct textview *t = d->data;
	size_t max = t->nlines > (size_t)t->page ? t->nlines - (size_t)t->page : 0;

	switch (key) {
	case K_ESC: case 'q': case K_ENTER: case '\n': case K_FN(KEY_F(1)):
	case K_FN(KEY_F(10)):
		dialog_pop(ui);
		return UI_DRAW;
	case K_FN(KEY_UP): case 'k':
		if (t->top > 0)
			t->top--;
		break;
	case K_FN(KEY_DOWN): case 'j':
		if (t->top < max)
			t->top++;
		break;
	case K_FN(KEY_PPAGE): case K_CTRL('b'):
		t->top = t->top > (size_t)t->page ? t->top - (size_t)t->page : 0;
		break;
	case K_FN(KEY_NPAGE): case ' ': case K_CTRL('f'):
		t->top = t->top + (size_t)t->page < max ? t->top + (size_t)t->page :
			 max;
		break;
	case K_FN(KEY_HOME): case 'g':
		t->top = 0;
		break;
	case K_FN(KEY_END): case 'G':
		t->top = max;
		break;
	}
	return UI_DRAW;
}

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
	int n, sel, top;
	chooser_fn on_move, pick;
	void *ctx;
	void (*ctx_free)(void *);
};

static void
chooser_free(struct dialog *d)
{
	struct chooser *c = d->data;

	strv_free(c->items);
	if (c->ctx_free)
		c->ctx_free(c->ctx);
	free(c);
}

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
	if (c->sel < c->top)
		c->top = c->sel;
	if (c->sel >= c->top + rows)
		c->top = c->sel - rows + 1;
	for (int i = 0; i < rows && c->top + i < c->n; i++) {
		int k = c->top + i;
		attr_t a = k == c->sel ? ui->attr[R_SELECTED] : ui->attr[R_DIALOG];
		text_fill(d->y + 1 + i, d->x + 1, d->w - 2, a);
		if (k == c->sel)
			text_put(d->y + 1 + i, d->x + 1, ui->g->sel, 1, a, false,
				 false);
		text_put(d->y + 1 + i, d->x + 3, c->items[k], d->w - 5, a, false,
			 false);
	}
}

static int
chooser_key(struct ui *ui, struct dialog *d, int key)
{
	struct chooser *c = d->data;
	int old = c->sel, r = UI_DRAW;

	switch (key) {
	case K_FN(KEY_UP): case 'k': if (c->sel > 0) c->sel--; break;
	case K_FN(KEY_DOWN): case 'j': if (c->sel + 1 < c->n) c->sel++; break;
	case K_FN(KEY_HOME): case 'g': c->sel = 0; break;
	case K_FN(KEY_END): case 'G': c->sel = c->n ? c->n - 1 : 0; break;
	case K_ESC: case 'q':
	case K_ENTER: case '\n': {
		int idx = key == K_ESC || key == 'q' ? -1 : c->sel;
		dialog_unlink(ui);
		if (c->pick)
			r |= c->pick(ui, idx, c->ctx);
		dialog_destroy(d);
		return r | UI_DRAW;
	}
	}
	if (c->sel != old && c->on_move)
		r |= c->on_move(ui, c->sel, c->ctx);
	return r;
}

void
dialog_chooser(struct ui *ui, const char *title, char **items, int n, int sel,
	       chooser_fn on_move, chooser_fn pick, void *ctx,
	       void (*ctx_free)(void *))
{
	struct chooser *c = xcalloc(1, sizeof(*c));

	c->items = items;
	c->n = n;
	c->sel = sel >= 0 && sel < n ? sel : 0;
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
};

static void
line_free(struct dialog *d)
{
	struct lineed *l = d->data;

	free(l->prompt);
	free(l->value);
	free(l);
}

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
}

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
	if (key == K_TAB && l->complete != NULL) {
		char *c = l->complete(ui, l->value);
		if (c != NULL) {
			free(l->value);
			l->value = c;
			l->cursor = strlen(c);
		}
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

/* Is the top dialog a form (for mouse clicks)? */
bool
dialog_is_form(const struct dialog *d)
{
	return d != NULL && d->draw == form_draw;
}
