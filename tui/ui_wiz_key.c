/* cistern — wizards: what each key does on a field of each kind, on the
 * buttons, and anywhere (Esc, F5, Ctrl-P back, Ctrl-N next). */
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_job.h"
#include "ui_scroll.h"
#include "ui_theme.h"
#include "ui_wiz.h"

/* The first and last fields that take the focus. */
static void
focus_ends(struct wiz *w, struct wfield **first, struct wfield **last)
{
	*first = *last = NULL;
	for (int i = 0; i < w->nfields; i++) {
		struct wfield *f = &w->fields[i];
		if (!wform_takes_focus(w, f))
			continue;
		if (*first == NULL)
			*first = f;
		*last = f;
	}
}

/* Leave the field forwards or backwards (checking it); past the ends,
 * to the buttons. */
static void
wiz_move(struct wiz *w, int dir)
{
	struct wfield *first, *last, *cur = wform_current(w);
	const struct wpage *pg = &w->ops->pages[w->page];
	char *id = cur ? xstrdup(cur->id) : NULL;
	bool ok;

	focus_ends(w, &first, &last);
	if (cur != NULL && cur == (dir > 0 ? last : first)) {
		ok = wform_check(w);
		if (ok)
			w->btn = dir > 0 ? 1 : 2;
	} else {
		ok = wform_move(w, dir);
	}
	if (ok) {
		free(w->error);
		w->error = NULL;
		if (id != NULL && pg->left != NULL)
			pg->left(w, id);
	}
	free(id);
}

/* Tell the page a value changed. */
static void
changed(struct wiz *w, struct wfield *f)
{
	const struct wpage *pg = &w->ops->pages[w->page];

	free(w->error);
	w->error = NULL;
	if (pg->change != NULL)
		pg->change(w, f->id);
}

/* Move in a list or view; false at its edge (the key moves on). */
static bool
list_key_move(struct wiz *w, struct wfield *f, int delta)
{
	if (f->base.kind == F_VIEW) {
		/* a view: the lines it can start at */
		int starts = f->nitems > f->rows ? f->nitems - f->rows + 1 : 1;
		if (!scroll_move(&f->sc, (size_t)starts, delta))
			return false;
		wform_put(w, f);
		return true;
	}
	if (f->nitems == 0 || !scroll_move(&f->sc, (size_t)f->nitems, delta))
		return false;
	if (!f->multi)
		wiz_set(w, f->id, f->keys[f->sc.sel]);
	wform_put(w, f);
	changed(w, f);
	return true;
}

/* Tick or untick the list row under the cursor (multi lists). */
static void
list_toggle(struct wiz *w, struct wfield *f)
{
	const char *v = wiz_get(w, f->id), *key;
	struct sbuf b;
	bool had = false;

	if (f->nitems == 0)
		return;
	key = f->keys[f->sc.sel];
	sbuf_init(&b);
	for (const char *p = v; *p;) {
		size_t l = strcspn(p, "\n");
		if (l == strlen(key) && strncmp(p, key, l) == 0)
			had = true;
		else {
			sbuf_printf(&b, "%s%.*s", b.len ? "\n" : "", (int)l, p);
		}
		p += l + (p[l] == '\n');
	}
	if (!had)
		sbuf_printf(&b, "%s%s", b.len ? "\n" : "", key);
	wiz_set(w, f->id, b.s ? b.s : "");
	sbuf_free(&b);
	wform_put(w, f);
	changed(w, f);
}

/* Step a choice by one (or to the next one starting with a letter). */
static void
choice_step(struct wiz *w, struct wfield *f, int dir, int letter)
{
	const char *v = wiz_get(w, f->id);
	int i = 0;

	for (int k = 0; k < f->base.nchoices; k++)
		if (strcmp(f->base.choices[k], v) == 0)
			i = k;
	if (letter) {
		for (int k = 1; k <= f->base.nchoices; k++) {
			int c = (i + k) % f->base.nchoices;
			if (f->base.choices[c][0] == letter) {
				i = c;
				break;
			}
		}
	} else {
		i = (i + dir + f->base.nchoices) % f->base.nchoices;
	}
	wiz_set(w, f->id, f->base.choices[i]);
	wform_put(w, f);
	changed(w, f);
}

/* Editing keys of a text field; false when the key is not one. */
static bool
text_key(struct wiz *w, struct wfield *f, int key)
{
	int r = wform_edit(w, key);

	if (r > 0)
		changed(w, f);
	return r >= 0;
}

/* Keys on a field: each kind has its own, the rest move. */
static int
field_key(struct ui *ui, struct dialog *d, struct wfield *f, int key)
{
	struct wiz *w = d->data;
	bool list = f->base.kind == F_LIST || f->base.kind == F_VIEW;

	if (key == K_ENTER || key == '\n')
		return wiz_next(ui, d);
	if (key == K_TAB)
		wiz_move(w, 1);
	else if (key == K_FN(KEY_BTAB))
		wiz_move(w, -1);
	else if (key == K_FN(KEY_DOWN) || key == K_FN(KEY_UP)) {
		int dir = key == K_FN(KEY_DOWN) ? 1 : -1;
		if (!list || !list_key_move(w, f, dir))
			wiz_move(w, dir);
	} else if (list && (key == K_FN(KEY_NPAGE) || key == K_FN(KEY_PPAGE))) {
		list_key_move(w, f, key == K_FN(KEY_NPAGE) ? f->rows :
			      -f->rows);
	} else if (list && (key == K_FN(KEY_HOME) || key == K_FN(KEY_END))) {
		list_key_move(w, f, key == K_FN(KEY_HOME) ? -f->nitems :
			      f->nitems);
	} else if (f->base.kind == F_LIST && f->multi && key == ' ') {
		list_toggle(w, f);
	} else if (f->base.kind == F_CHECK && key == ' ') {
		wiz_set(w, f->id, wiz_on(w, f->id) ? "0" : "1");
		wform_put(w, f);
		changed(w, f);
	} else if (f->base.kind == F_CHOICE && f->base.nchoices > 0) {
		if (key == K_FN(KEY_RIGHT) || key == ' ' || key == 'l')
			choice_step(w, f, 1, 0);
		else if (key == K_FN(KEY_LEFT) || key == 'h')
			choice_step(w, f, -1, 0);
		else if (key_printable(key) && key < 0x80)
			choice_step(w, f, 0, key);
	} else if (f->base.kind == F_TEXT || f->base.kind == F_SECRET) {
		text_key(w, f, key);
	}
	return UI_DRAW;
}

/* Keys on the buttons. */
static int
button_key(struct ui *ui, struct dialog *d, int key)
{
	struct wiz *w = d->data;
	struct wfield *first, *last;

	focus_ends(w, &first, &last);
	if (key == K_FN(KEY_LEFT) && w->btn > 0)
		w->btn--;
	else if (key == K_FN(KEY_RIGHT) && w->btn < 2)
		w->btn++;
	else if (key == K_TAB || key == K_FN(KEY_DOWN)) {
		if (w->btn < 2)
			w->btn++;
		else if (first != NULL && wform_focus(w, first))
			w->btn = -1;
	} else if (key == K_FN(KEY_BTAB) || key == K_FN(KEY_UP)) {
		if (w->btn > 0)
			w->btn--;
		else if (last != NULL && wform_focus(w, last))
			w->btn = -1;
	} else if (key == K_ENTER || key == '\n' || key == ' ') {
		if (w->btn == 0)
			return wiz_back(w);
		if (w->btn == 1)
			return wiz_next(ui, d);
		dialog_pop(ui);
		ui_status(ui, R_STATUS, "%s: cancelled; nothing was made.",
			  w->ops->title);
	}
	return UI_DRAW;
}

/* A key in the wizard. */
int
wiz_key(struct ui *ui, struct dialog *d, int key)
{
	struct wiz *w = d->data;
	const struct wpage *pg = &w->ops->pages[w->page];
	struct wfield *cur;

	if (key == K_ESC) {
		struct ui_job *j = w->job > 0 ? ui_job_by_id(ui, w->job) : NULL;
		if (j != NULL && !j->ended) {
			/* its end (cancelled) still reaches the page */
			if (!j->cancelling)
				ui_job_cancel(ui, j);
			wiz_error(w, "Discovery cancelled: type the value, or "
				  "F5 looks again.");
			return UI_DRAW;
		}
		dialog_pop(ui);
		ui_status(ui, R_STATUS, "Cancelled; nothing was made.");
		return UI_DRAW;
	}
	wiz_ensure(ui, w);
	if (key == K_FN(KEY_F(5)) && pg->enter != NULL) {
		pg->enter(w);
		return UI_DRAW;
	}
	if (key == K_CTRL('p'))
		return wiz_back(w);
	if (key == K_CTRL('n'))
		return wiz_next(ui, d);
	if (w->btn >= 0 || !w->laid_out)
		return !w->laid_out && key != K_ESC ? UI_NONE :
		       button_key(ui, d, key);
	cur = wform_current(w);
	if (cur == NULL) {
		w->btn = 1;
		return UI_DRAW;
	}
	return field_key(ui, d, cur, key);
}
