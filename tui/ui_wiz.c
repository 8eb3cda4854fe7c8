/* cistern — wizards: the store of values, the fields a page adds, the
 * way from page to page (Back, Next, Finish, Cancel), keys, drawing and
 * the page's discovery job. The form itself is ui_wiz_form.c's. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "keys.h"
#include "ui_hosts.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_job.h"
#include "ui_text.h"
#include "ui_theme.h"
#include "ui_wiz.h"

static void wiz_draw(struct ui *ui, struct dialog *d);

/* ---- the store ---- */

/* A value by id ("" when there is none). */
const char *
wiz_get(const struct wiz *w, const char *id)
{
	for (size_t i = 0; i < w->nkv; i++)
		if (strcmp(w->keys[i], id) == 0)
			return w->vals[i];
	return "";
}

/* Wipe and free a value (secrets pass through here too). */
static void
val_free(char *v)
{
	if (v != NULL) {
		memset(v, 0, strlen(v));
		free(v);
	}
}

/* Set a value by id. */
void
wiz_set(struct wiz *w, const char *id, const char *value)
{
	for (size_t i = 0; i < w->nkv; i++) {
		if (strcmp(w->keys[i], id) == 0) {
			if (strcmp(w->vals[i], value) != 0) {
				char *nv = xstrdup(value);
				val_free(w->vals[i]);
				w->vals[i] = nv;
			}
			return;
		}
	}
	w->keys = xreallocarray(w->keys, w->nkv + 1, sizeof(*w->keys));
	w->vals = xreallocarray(w->vals, w->nkv + 1, sizeof(*w->vals));
	w->keys[w->nkv] = xstrdup(id);
	w->vals[w->nkv] = xstrdup(value);
	w->nkv++;
}

/* Is a check box (or any "1" value) on? */
bool
wiz_on(const struct wiz *w, const char *id)
{
	return strcmp(wiz_get(w, id), "1") == 0;
}

/* ---- fields ---- */

/* Free the page's fields (the form first). */
static void
fields_free(struct wiz *w)
{
	wform_free(w);
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		field_free(&f->base);
		free(f->id);
		free(f->text);
		strv_free(f->items);
		strv_free(f->keys);
	}
	free(w->fields);
	w->fields = NULL;
	w->nfields = 0;
}

/* Append a field to the page. */
static struct wfield *
field_add(struct wiz *w, enum field_kind kind, const char *id,
	  const char *label)
{
	struct wfield *f;

	w->fields = xreallocarray(w->fields, (size_t)w->nfields + 1,
				  sizeof(*w->fields));
	/* the form points at fields: it is made again after this */
	f = &w->fields[w->nfields++];
	memset(f, 0, sizeof(*f));
	f->base.kind = kind;
	f->id = xstrdup(id);
	f->base.label = xstrdup(label ? label : "");
	f->w = w;
	for (int i = 0; i < w->nfields; i++)
		w->fields[i].w = w;
	w->rebuild = true;
	return f;
}

/* A field by id, or NULL. */
struct wfield *
wiz_field(struct wiz *w, const char *id)
{
	for (int i = 0; i < w->nfields; i++)
		if (strcmp(w->fields[i].id, id) == 0)
			return &w->fields[i];
	return NULL;
}

/* A line of text. */
struct wfield *
wiz_text(struct wiz *w, const char *id, const char *label, wf_check_fn check)
{
	struct wfield *f = field_add(w, F_TEXT, id, label);

	f->check = check;
	return f;
}

/* A line of text never shown. */
struct wfield *
wiz_secret(struct wiz *w, const char *id, const char *label,
	   wf_check_fn check)
{
	struct wfield *f = field_add(w, F_SECRET, id, label);

	f->check = check;
	return f;
}

/* One of fixed values; the store keeps the value (the first by default). */
struct wfield *
wiz_choice(struct wiz *w, const char *id, const char *label,
	   const char *const *choices, int n)
{
	struct wfield *f = field_add(w, F_CHOICE, id, label);
	const char *v = wiz_get(w, id);
	bool known = false;
	size_t nc = 0;

	for (int i = 0; i < n; i++) {
		strv_push(&f->base.choices, &nc, choices[i]);
		known |= strcmp(choices[i], v) == 0;
	}
	f->base.nchoices = n;
	if (!known && n > 0)
		wiz_set(w, id, choices[0]);
	return f;
}

/* A check box ("1" in the store when ticked). */
struct wfield *
wiz_check(struct wiz *w, const char *id, const char *label)
{
	return field_add(w, F_CHECK, id, label);
}

/* Rows to pick from (their keys are set with wiz_list_set). */
struct wfield *
wiz_list(struct wiz *w, const char *id, const char *label, int rows,
	 bool multi, wf_check_fn check)
{
	struct wfield *f = field_add(w, F_LIST, id, label);

	f->want_rows = rows;
	f->multi = multi;
	f->check = check;
	return f;
}

/* Rows of text to read (scrolled). */
struct wfield *
wiz_view(struct wiz *w, const char *id, const char *label, const char *text,
	 int rows)
{
	struct wfield *f = field_add(w, F_VIEW, id, label);

	f->text = xstrdup(text ? text : "");
	f->want_rows = rows;
	return f;
}

/* Wrapped text that takes no focus. */
struct wfield *
wiz_info(struct wiz *w, const char *id, const char *text, int rows)
{
	struct wfield *f = field_add(w, F_INFO, id, NULL);

	f->text = xstrdup(text ? text : "");
	f->want_rows = rows;
	return f;
}

/* The rows of a list; the selection follows the stored key. */
void
wiz_list_set(struct wiz *w, const char *id, char **items, char **keys,
	     int n)
{
	struct wfield *f = wiz_field(w, id);
	const char *v;
	size_t ni = 0, nk = 0;

	if (f == NULL)
		return;
	strv_free(f->items);
	strv_free(f->keys);
	f->items = f->keys = NULL;
	for (int i = 0; i < n; i++) {
		strv_push(&f->items, &ni, items[i]);
		strv_push(&f->keys, &nk, keys[i]);
	}
	f->nitems = n;
	f->sc.sel = 0;
	v = wiz_get(w, id);
	for (int i = 0; i < n && !f->multi; i++)
		if (strcmp(keys[i], v) == 0)
			f->sc.sel = (size_t)i;
	if (!f->multi)
		wiz_set(w, id, n > 0 ? keys[f->sc.sel] : "");
	w->rebuild = true;
}

/* Show a field's value again after the store changed. */
void
wiz_put(struct wiz *w, const char *id)
{
	struct wfield *f = wiz_field(w, id);

	if (f != NULL)
		wform_put(w, f);
}

/* Change a field's hint in place. */
void
wiz_hint(struct wiz *w, const char *id, const char *hint)
{
	struct wfield *f = wiz_field(w, id);

	if (f == NULL)
		return;
	free(f->base.hint);
	f->base.hint = xstrdup(hint ? hint : "");
}

/* Change an info's or a view's text. */
void
wiz_set_text(struct wiz *w, const char *id, const char *text)
{
	struct wfield *f = wiz_field(w, id);

	if (f == NULL || str_eq(f->text, text))
		return;
	free(f->text);
	f->text = xstrdup(text ? text : "");
	w->rebuild = true;
}

/* The page's fields depend on something that changed: build them again. */
void
wiz_relayout(struct wiz *w)
{
	w->refields = true;
}

/* Say why something cannot go on. */
void
wiz_error(struct wiz *w, const char *fmt, ...)
{
	va_list ap;

	free(w->error);
	va_start(ap, fmt);
	w->error = xvasprintf(fmt, ap);
	va_end(ap);
}

/* ---- jobs ---- */

/* The page's job ended: tell the page. */
static int
wiz_job_ended(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;
	job_end_fn fn = w->job_end;

	w->job = 0;
	w->job_end = NULL;
	free(w->busy);
	w->busy = NULL;
	return (fn != NULL ? fn(ui, j, w) : 0) | UI_DRAW;
}

/* Start the page's discovery (stopping one that runs). */
void
wiz_job(struct wiz *w, const char *busy, job_fn fn, void *arg,
	job_end_fn on_end)
{
	wiz_job_stop(w);
	w->job_end = on_end;
	w->job = ui_job_start_cb(w->ui, busy, NULL, fn, arg, wiz_job_ended, w);
	if (w->job > 0) {
		free(w->busy);
		w->busy = xstrdup(busy);
	}
}

/* Stop the page's discovery; its end is not reported. */
void
wiz_job_stop(struct wiz *w)
{
	if (w->job > 0)
		ui_job_abandon(w->ui, w->job);
	w->job = 0;
	w->job_end = NULL;
	free(w->busy);
	w->busy = NULL;
}

/* ---- pages ---- */

/* The next page to show from `i` in direction `dir`, or -1. */
static int
page_step(struct wiz *w, int i, int dir)
{
	for (i += dir; i >= 0 && i < w->ops->npages; i += dir) {
		const struct wpage *pg = &w->ops->pages[i];
		if (pg->skip == NULL || !pg->skip(w))
			return i;
	}
	return -1;
}

/* Build the fields of the present page. */
static void
page_build(struct wiz *w)
{
	fields_free(w);
	w->ops->pages[w->page].build(w);
	w->refields = false;
	w->rebuild = true;
}

/* Go to a page (Back keeps every value: they live in the store). */
static void
page_goto(struct wiz *w, int i)
{
	wiz_job_stop(w);
	free(w->error);
	w->error = NULL;
	free(w->focus_id);
	w->focus_id = NULL;
	w->page = i;
	w->btn = -1;
	page_build(w);
	if (w->ops->pages[i].enter != NULL)
		w->ops->pages[i].enter(w);
}

/* Why the page cannot be left (the first invalid field), or NULL;
 * `*where` gets that field. */
static char *
page_invalid(struct wiz *w, struct wfield **where)
{
	const struct wpage *pg = &w->ops->pages[w->page];

	*where = NULL;
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		char *why;
		if (f->check == NULL)
			continue;
		why = f->check(w, wiz_get(w, f->id));
		if (why != NULL) {
			*where = f;
			return why;
		}
	}
	return pg->leave ? pg->leave(w) : NULL;
}

/* Close the wizard (its owner's state goes with it). */
static void
wiz_free(struct dialog *d)
{
	struct wiz *w = d->data;

	wiz_job_stop(w);
	fields_free(w);
	if (w->ops->free != NULL)
		w->ops->free(w);
	for (size_t i = 0; i < w->nkv; i++) {
		free(w->keys[i]);
		val_free(w->vals[i]);
	}
	free(w->keys);
	free(w->vals);
	free(w->error);
	free(w->busy);
	free(w->focus_id);
	free(w);
}

/* Finish: the owner acts; the wizard closes unless it says to stay. */
static int
wiz_finish(struct ui *ui, struct dialog *d)
{
	struct wiz *w = d->data;
	int r;

	dialog_unlink(ui);
	r = w->ops->done(ui, w);
	if (r < 0) {
		d->below = NULL;
		/* below whatever the owner opened (a message) */
		if (ui->dlg != NULL) {
			struct dialog *top = dialog_unlink(ui);
			dialog_push(ui, d);
			dialog_push(ui, top);
		} else {
			dialog_push(ui, d);
		}
		return UI_DRAW;
	}
	dialog_destroy(d);
	return r | UI_DRAW;
}

/* Next (or Finish on the last page), once the page is valid. */
int
wiz_next(struct ui *ui, struct dialog *d)
{
	struct wiz *w = d->data;
	struct wfield *bad;
	char *why;
	int next;

	if (w->btn < 0) {
		struct wfield *cur = wform_current(w);
		if (!wform_check(w))
			return UI_DRAW;
		if (cur != NULL && w->ops->pages[w->page].left != NULL) {
			char *id = xstrdup(cur->id);
			w->ops->pages[w->page].left(w, id);
			free(id);
		}
	}
	why = page_invalid(w, &bad);
	if (why != NULL) {
		free(w->error);
		w->error = why;
		if (bad != NULL && wform_focus(w, bad))
			w->btn = -1;
		return UI_DRAW;
	}
	free(w->error);
	w->error = NULL;
	next = page_step(w, w->page, 1);
	if (next < 0)
		return wiz_finish(ui, d);
	page_goto(w, next);
	return UI_DRAW;
}

/* Back: the previous page, as it was left. */
int
wiz_back(struct wiz *w)
{
	int prev = page_step(w, w->page, -1);

	if (prev < 0)
		return UI_DRAW;
	page_goto(w, prev);
	return UI_DRAW;
}

/* Open a wizard on its first page. */
void
wiz_open(struct ui *ui, const struct wiz_ops *ops, void *ctx)
{
	struct wiz *w = xcalloc(1, sizeof(*w));
	struct dialog *d;

	w->ops = ops;
	w->ui = ui;
	w->ctx = ctx;
	w->btn = -1;
	if (ui->nhosts > 0) {
		/* several hosts: the wizard names the one it works on */
		char *t = xasprintf("%s on %s", ops->title,
				    ui->hosts[ui->cur].name);
		d = dialog_new(t, wiz_draw, wiz_key, wiz_free, w);
		free(t);
	} else {
		d = dialog_new(ops->title, wiz_draw, wiz_key, wiz_free, w);
	}
	dialog_push(ui, d);
	page_goto(w, page_step(w, -1, 1));
}

/* The wizard on top, or NULL. */
struct wiz *
wiz_top(struct ui *ui)
{
	return ui->dlg != NULL && ui->dlg->draw == wiz_draw ? ui->dlg->data :
	       NULL;
}

/* ---- drawing ---- */

/* The buttons: Back, Next (or the owner's Finish), Cancel. */
static void
draw_buttons(struct ui *ui, struct wiz *w, struct dialog *d, bool next_ok)
{
	bool last = page_step(w, w->page, 1) < 0;
	bool first = page_step(w, w->page, -1) < 0;
	char *lab[3];
	int bw = 0, bx, y = d->y + d->h - 2;

	lab[0] = xasprintf("[ < Back ]");
	lab[1] = xasprintf("[ %s ]", last ? w->ops->finish : "Next >");
	lab[2] = xasprintf("[ Cancel ]");
	for (int b = 0; b < 3; b++)
		bw += text_width(lab[b]) + 1;
	bx = d->x + d->w - 1 - bw;
	for (int b = 0; b < 3; b++) {
		attr_t a = ui->attr[w->btn == b ? R_BUTTON_FOCUS : R_BUTTON];
		if ((b == 0 && first) || (b == 1 && !next_ok))
			a = ui->attr[R_DIM] | (w->btn == b ? A_REVERSE : 0);
		text_put(y, bx, lab[b], text_width(lab[b]), a, false, false);
		if (w->btn == b) {
			ui->cur_y = -1;
		}
		bx += text_width(lab[b]) + 1;
		free(lab[b]);
	}
}

/* Lay the page out again if its fields or the screen changed. */
static int
wiz_layout(struct ui *ui, struct wiz *w, int fw, int avail)
{
	struct wfield *cur = wform_current(w);
	int rows;

	/* a layout that had rows to spare is the same with any avail it
	 * still fits in */
	if (!w->rebuild && !w->refields && w->lay_cols == ui->cols &&
	    w->laid_out && (w->lay_rows == avail ||
	    (w->form_rows > 0 && w->form_rows < w->lay_rows &&
	     w->form_rows < avail)))
		return w->form_rows;
	if (cur != NULL) {
		free(w->focus_id);
		w->focus_id = xstrdup(cur->id);
	}
	if (w->refields)
		page_build(w);
	wform_free(w);
	rows = wform_make(w, fw, avail);
	if (rows > 0 && w->focus_id != NULL)
		wform_focus(w, wiz_field(w, w->focus_id));
	w->rebuild = false;
	w->lay_rows = avail;
	w->lay_cols = ui->cols;
	w->form_rows = rows;
	return rows;
}

/* The dialog's width at this screen size. */
static int
wiz_width(const struct ui *ui)
{
	return ui->cols - 2 < 100 ? ui->cols - 2 : 100;
}

/* The page's form as the screen is now (keys may come before a draw):
 * the rows below it that messages do not take (two and a blank one are
 * kept for them) are the form's too, so a page cut on a small screen
 * shows more instead of leaving them empty. */
int
wiz_ensure(struct ui *ui, struct wiz *w)
{
	return wiz_layout(ui, w, wiz_width(ui) - 4, ui->rows - 7 -
			  (w->msg_rows > 0 ? w->msg_rows + 1 : 0));
}

/* The rows the busy line and the reason or error take in the box. */
static int
wiz_msg_rows(struct wiz *w, const char *why, int width)
{
	int n = w->busy != NULL;

	if (w->error != NULL || why != NULL) {
		char *m = w->error ? xstrdup(w->error) :
			  xasprintf("Next is disabled: %s", why);
		size_t nl;
		char **lines = text_wrap(m, width, &nl);
		n += (int)nl;
		strv_free(lines);
		free(m);
	}
	return n < 2 ? n : 2;
}

/* Draw the wizard: step, form, what is going on, why not, buttons. */
static void
wiz_draw(struct ui *ui, struct dialog *d)
{
	struct wiz *w = d->data;
	const struct wpage *pg = &w->ops->pages[w->page];
	int bw = wiz_width(ui), rows, step = 0, nsteps = 0, y;
	struct wfield *bad;
	char *why, t[256];
	bool next_ok;

	for (int i = 0; i < w->ops->npages; i++) {
		const struct wpage *p = &w->ops->pages[i];
		if (p->skip != NULL && p->skip(w))
			continue;
		nsteps++;
		if (i <= w->page)
			step++;
	}
	rows = wiz_ensure(ui, w);
	why = page_invalid(w, &bad);
	if (wiz_msg_rows(w, why, bw - 4) != w->msg_rows) {
		w->msg_rows = wiz_msg_rows(w, why, bw - 4);
		rows = wiz_ensure(ui, w);
		free(why);
		why = page_invalid(w, &bad);
	}
	/* the box keeps two rows for messages where the screen has them */
	int bh = (rows > 0 ? rows : 1) + 8;
	if (bh > ui->rows - 2)
		bh = (rows > 0 ? rows : 1) + 5 +
		     (w->msg_rows > 0 ? w->msg_rows + 1 : 0);
	dialog_box(ui, d, bh, bw, R_DIALOG);
	snprintf(t, sizeof(t), "Step %d of %d: %s", step, nsteps, pg->title);
	text_put(d->y + 1, d->x + 2, t, d->w - 4, ui->attr[R_DIALOG_TITLE] |
		 A_BOLD, false, false);
	w->wy = d->y + 3;
	w->wx = d->x + 2;
	if (rows > 0)
		wform_draw(w, w->btn < 0);
	else
		text_put(w->wy, w->wx, "The terminal is too small for this "
			 "page: enlarge it, or Esc.", d->w - 4,
			 ui->attr[R_WARNING], false, false);
	next_ok = why == NULL && rows > 0;
	y = d->y + 4 + (rows > 0 ? rows : 1);
	if (w->busy != NULL) {
		char *b = xasprintf("%s %s... (Esc cancels)", ui->g->job,
				    w->busy);
		text_put(y++, d->x + 2, b, d->w - 4, ui->attr[R_WARNING], false,
			 false);
		free(b);
	}
	if (w->error != NULL || why != NULL) {
		char *m = w->error ? xstrdup(w->error) :
			  xasprintf("Next is disabled: %s", why);
		size_t n;
		char **lines = text_wrap(m, d->w - 4, &n);
		for (size_t i = 0; i < n && y < d->y + d->h - 2; i++)
			text_put(y++, d->x + 2, lines[i], d->w - 4,
				 ui->attr[w->error ? R_ERROR : R_WARNING],
				 false, false);
		strv_free(lines);
		free(m);
	}
	free(why);
	draw_buttons(ui, w, d, next_ok);
}
