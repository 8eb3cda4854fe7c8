/* cistern — forms: labelled fields (text, choice, check box) and
 * buttons. Confirmations and messages are forms without fields; a
 * destructive one can require the object's name typed back before its
 * button works. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "keys.h"
#include "ui_hosts.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_form.h"
#include "ui_text.h"
#include "ui_theme.h"

/* ---- forms ---- */

/* A form with an explanation and a callback. */
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

/* Append a field of some kind. */
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

/* Append a text field. */
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

/* Append a choice among fixed values. */
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

/* Append a check box. */
int
form_add_check(struct form *f, const char *label, bool on)
{
	int i = form_add(f, F_CHECK, label);

	f->fields[i].on = on;
	return i;
}

/* Append a read-only line. */
int
form_add_label(struct form *f, const char *label, const char *value)
{
	int i = form_add(f, F_LABEL, label);

	free(f->fields[i].value);
	f->fields[i].value = xstrdup(value ? value : "");
	return i;
}

/* Append a button (the last is Cancel). */
void
form_add_button(struct form *f, const char *label)
{
	size_t n = (size_t)f->nbuttons;

	if (n >= 8)
		return;
	strv_push(&f->buttons, &n, label);
	f->nbuttons = (int)n;
}

/* Require a name typed back before a button works. */
void
form_require_name(struct form *f, int fi, const char *name, int bi)
{
	f->confirm_field = fi;
	free(f->confirm);
	f->confirm = xstrdup(name);
	f->confirm_button = bi;
}

/* Show an error in the form (it stays open). */
void
form_error(struct form *f, const char *fmt, ...)
{
	va_list ap;

	free(f->error);
	va_start(ap, fmt);
	f->error = xvasprintf(fmt, ap);
	va_end(ap);
}

/* The text of a field. */
const char *
form_text(const struct form *f, int fi)
{
	return fi >= 0 && fi < f->nfields ? f->fields[fi].value : "";
}

/* The index chosen in a field. */
int
form_choice(const struct form *f, int fi)
{
	return fi >= 0 && fi < f->nfields ? f->fields[fi].choice : -1;
}

/* Is a check box ticked? */
bool
form_check(const struct form *f, int fi)
{
	return fi >= 0 && fi < f->nfields && f->fields[fi].on;
}

/* Free what a field holds (a dialog's or a wizard's); a typed value's
 * bytes are cleared first (it may be a secret). */
void
field_free(struct field *fl)
{
	if (fl->value != NULL)
		explicit_bzero(fl->value, strlen(fl->value));
	free(fl->label);
	free(fl->value);
	free(fl->hint);
	strv_free(fl->choices);
	fl->label = fl->value = fl->hint = NULL;
	fl->choices = NULL;
	fl->nchoices = 0;
	fl->cursor = 0;
}

/* Free a form. */
static void
form_free(struct dialog *d)
{
	struct form *f = d->data;

	for (int i = 0; i < f->nfields; i++)
		field_free(&f->fields[i]);
	free(f->fields);
	strv_free(f->buttons);
	free(f->text);
	free(f->error);
	free(f->confirm);
	if (f->ctx_free != NULL)
		f->ctx_free(f->ctx);
	free(f);
}

/* Can the focus go to this field or button? */
static bool
form_focusable(const struct form *f, int i)
{
	if (i >= f->nfields)
		return true;
	return f->fields[i].kind != F_LABEL && !f->fields[i].hidden;
}

/* The button Enter in a field presses: the one the typed-back name
 * unlocks, else the first. */
static int
form_default(const struct form *f)
{
	return f->confirm_button >= 0 ? f->confirm_button : 0;
}

/* Is this button waiting for the name to be typed back? */
static bool
button_locked(const struct form *f, int b)
{
	return b == f->confirm_button && f->confirm_field >= 0 &&
	       strcmp(f->fields[f->confirm_field].value, f->confirm) != 0;
}

/* Draw a form: text, fields, error, buttons. */
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
		/* a locked button looks off, unless it has the focus */
		if (button_locked(f, b) && !foc)
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

/* Move the focus to the next usable field or button. */
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

/* Keys in a form. */
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
		/* Enter in a field presses the default button, as in mc
		 * (Tab moves); a check the button makes keeps the form. A
		 * destructive form without a name to type back has no
		 * default: Enter goes to its button, a second one presses it */
		if (f->danger && f->confirm_button < 0) {
			f->focus = n;
			return UI_DRAW;
		}
		return form_press(ui, d, form_default(f));
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

/* Show a form; destructive ones focus Cancel. */
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

void
form_open_action(struct ui *ui, const char *title, struct form *f)
{
	char *t;

	if (ui->nhosts == 0) {
		form_open(ui, title, f);
		return;
	}
	/* several hosts: every question names the host it is about */
	t = xasprintf("%s on %s", title, ui->hosts[ui->cur].name);
	form_open(ui, t, f);
	free(t);
}

/* A message was acknowledged. */
static int
message_done(struct ui *ui, struct form *f, int b)
{
	(void)ui;
	(void)f;
	(void)b;
	return UI_DRAW;
}

/* A message with one OK button. */
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


/* Is the top dialog a form (for mouse clicks)? */
bool
dialog_is_form(const struct dialog *d)
{
	return d != NULL && d->draw == form_draw;
}
