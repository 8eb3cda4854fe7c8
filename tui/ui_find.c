/* cistern — find a volume on every host of the screen: a dialog with a
 * line to type into and the volumes that match it, found again at each
 * key and each draw. The search reads the hosts' models as the loop
 * holds them, so no request goes out and a dead host cannot hold the
 * keys: a host whose connection is not open is named as not searched,
 * one whose first load is on its way as still loading (what it has
 * shown so far is searched). Enter shows the volume on its host. */
#include "ui_find.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hosts.h"
#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "keys.h"
#include "main.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_hosts.h"
#include "ui_model.h"
#include "ui_remote.h"
#include "ui_scroll.h"
#include "ui_text.h"
#include "ui_theme.h"

/* One match: pointers into the model, good until it changes (the
 * matches are found again before each use). */
struct hit {
	size_t host;                 /* in ui->hosts; 0 with one host */
	const char *hname;
	const struct pool *pool;
	const struct vol_def *vol;
};

struct find {
	char *value;
	size_t cursor;
	struct hit *hits;
	size_t nhits, cap;
	size_t nhosts_hit;           /* hosts with a match */
	char notes[512];             /* hosts not searched, or loading */
	struct scroll sc;
	int page;                    /* result rows at the last draw */
};

/* How many hosts the screen has (one connection: one). */
static size_t
host_count(const struct ui *ui)
{
	return ui->nhosts > 0 ? ui->nhosts : 1;
}

/* Host i: its name, model and loads (NULL: this machine). */
static void
host_get(struct ui *ui, size_t i, const char **name, struct cistern **c,
	 struct ui_remote **r)
{
	if (ui->nhosts > 0) {
		*name = ui->hosts[i].name;
		*c = ui->hosts[i].c;
		*r = ui->hosts[i].remote;
		return;
	}
	*c = ui->c;
	*r = ui->remote;
	*name = ui->remote == NULL ? HOST_LOCAL :
		ui->o->nconnects == 1 ? ui->o->connects[0] : ui_remote_uri(ui);
}

/* Why a host's volumes are not searched, in a word; NULL: they are. */
static const char *
host_skipped(const struct ui_remote *r, char *buf, size_t n)
{
	int role;

	if (r == NULL || (ui_remote_opened(r) && !ui_remote_is_lost(r)))
		return NULL;
	ui_remote_state(r, now_ms(), buf, n, &role);
	if (str_startswith(buf, "lost"))
		return "lost";
	if (str_eq(buf, "auth failed") || str_eq(buf, "connecting") ||
	    str_eq(buf, "disconnected"))
		return buf;
	return "not connected";
}

/* Add to the line that names the hosts not searched. */
static void
note(struct find *f, const char *fmt, ...)
{
	size_t len = strlen(f->notes);
	va_list ap;

	if (len > 0 && len + 2 < sizeof(f->notes)) {
		memcpy(f->notes + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(f->notes + len, sizeof(f->notes) - len, fmt, ap);
	va_end(ap);
}

/* Any part of the name or the path, in any case ("" matches all). */
static bool
vol_matches(const struct vol_def *v, const char *q)
{
	return q[0] == '\0' || strcasestr(v->name, q) != NULL ||
	       (v->target.path != NULL && strcasestr(v->target.path, q) != NULL);
}

/* Host, pool, volume: by name. */
static int
hit_cmp(const void *a, const void *b)
{
	const struct hit *x = a, *y = b;
	int d = strcmp(x->hname, y->hname);

	if (d == 0)
		d = strcmp(x->pool->def->name, y->pool->def->name);
	if (d == 0)
		d = strcmp(x->vol->name, y->vol->name);
	return d;
}

/* Find the matches in every host's model as it is now. */
static void
find_run(struct ui *ui, struct find *f)
{
	char buf[256];

	f->nhits = 0;
	f->nhosts_hit = 0;
	f->notes[0] = '\0';
	for (size_t i = 0; i < host_count(ui); i++) {
		const char *name, *why;
		struct cistern *c;
		struct ui_remote *r;
		size_t before = f->nhits, unread = 0;

		host_get(ui, i, &name, &c, &r);
		if ((why = host_skipped(r, buf, sizeof(buf))) != NULL) {
			note(f, "%s: %s, not searched", name, why);
			continue;
		}
		if (r != NULL && ui_remote_loading(r))
			note(f, "%s: still loading", name);
		for (size_t k = 0; k < c->npools; k++) {
			const struct pool *p = c->pools[k];

			if (!pool_is_active(p))
				continue;
			/* this machine's pools are read when first shown */
			if (r == NULL && !p->refreshed && p->vols_brief == 0) {
				unread++;
				continue;
			}
			for (size_t j = 0; j < p->nvols; j++) {
				if (!vol_matches(p->vols[j], f->value))
					continue;
				if (f->nhits == f->cap) {
					f->cap = f->cap ? 2 * f->cap : 64;
					f->hits = xreallocarray(f->hits, f->cap,
								sizeof(*f->hits));
				}
				f->hits[f->nhits++] = (struct hit){
					i, name, p, p->vols[j] };
			}
		}
		if (f->nhits > before)
			f->nhosts_hit++;
		if (unread > 0)
			note(f, "%s: %zu pool%s not read yet", name, unread,
			     unread == 1 ? "" : "s");
	}
	qsort(f->hits, f->nhits, sizeof(*f->hits), hit_cmp);
	if (f->sc.sel >= f->nhits)
		f->sc.sel = f->nhits > 0 ? f->nhits - 1 : 0;
}

static void
find_free(struct dialog *d)
{
	struct find *f = d->data;

	free(f->value);
	free(f->hits);
	free(f);
}

/* The widest cell of a column over the matches, between lo and hi. */
static int
col_width(const struct find *f, int which, int lo, int hi)
{
	int w = lo;

	for (size_t i = 0; i < f->nhits && w < hi; i++) {
		const struct hit *h = &f->hits[i];
		const char *s = which == 0 ? h->hname : which == 1 ?
				h->pool->def->name : h->vol->name;
		int tw = text_width(s);
		if (tw > w)
			w = tw;
	}
	return w < hi ? w : hi;
}

/* One row: host, pool, volume, size, and the path if there is room
 * (w[4] > 0). */
static void
row_draw(int y, int x, const int *w, const char *const *cell, attr_t a)
{
	for (int i = 0; i < 4; i++) {
		text_put(y, x, cell[i], w[i], a, false, i == 3);
		x += w[i] + 2;
	}
	if (w[4] > 0 && cell[4] != NULL)
		text_put_tail(y, x, cell[4], w[4], a);
}

/* A match's row. */
static void
hit_draw(const struct hit *h, int y, int x, const int *w, attr_t a)
{
	const struct pool *p = h->pool;
	char size[32] = "";

	/* names only so far: the size comes with the rest */
	if (p->vols_brief == 0 || p->vols_brief >= VOL_LIST_SIZES)
		size_short(h->vol->capacity, size, sizeof(size));
	row_draw(y, x, w, (const char *const[]){ h->hname, p->def->name,
		 h->vol->name, size, h->vol->target.path }, a);
}

static void
find_draw(struct ui *ui, struct dialog *d)
{
	struct find *f = d->data;
	attr_t a = ui->attr[R_DIALOG];
	int w[5], iw, x, y, rest;
	char line[128];
	const char *foot = " Enter shows it  Esc closes ";

	find_run(ui, f);
	dialog_box(ui, d, ui->rows - 4, ui->cols - 4 > 120 ? 120 : ui->cols - 4,
		   R_DIALOG);
	x = d->x + 2;
	y = d->y + 1;
	iw = d->w - 4;
	text_put(y, x, "Find:", iw, ui->attr[R_DIALOG_TITLE], false, false);
	input_draw(ui, y, x + 6, iw - 6, f->value, f->cursor, true,
		   ui->attr[R_INPUT]);
	/* the columns: the path takes what is left, if that is enough */
	w[0] = col_width(f, 0, 4, 16);
	w[1] = col_width(f, 1, 4, 20);
	w[2] = col_width(f, 2, 6, 40);
	w[3] = 6;
	rest = iw - (w[0] + w[1] + w[2] + w[3] + 6);
	if (rest < 0) {
		w[2] += rest;
		rest = 0;
	}
	w[4] = rest >= 14 ? rest - 2 : 0;
	y++;
	text_fill(y, x, iw, ui->attr[R_HEADER]);
	row_draw(y, x, w, (const char *const[]){ "HOST", "POOL", "VOLUME",
		 "SIZE", "PATH" }, ui->attr[R_HEADER]);
	f->page = d->h - 6 > 1 ? d->h - 6 : 1;
	scroll_fit(&f->sc, f->nhits, (size_t)f->page);
	for (int i = 0; i < f->page && f->sc.top + (size_t)i < f->nhits; i++) {
		size_t k = f->sc.top + (size_t)i;
		bool sel = k == f->sc.sel;
		attr_t ra = sel ? ui->attr[R_SELECTED] : a;

		text_fill(y + 1 + i, d->x + 1, d->w - 2, ra);
		if (sel)
			text_put(y + 1 + i, d->x + 1, ui->g->sel, 1, ra, false,
				 false);
		hit_draw(&f->hits[k], y + 1 + i, x, w, ra);
	}
	y = d->y + d->h - 3;
	if (f->nhits == 0)
		snprintf(line, sizeof(line), "no volume matches");
	else
		snprintf(line, sizeof(line), "%zu volume%s on %zu host%s",
			 f->nhits, f->nhits == 1 ? "" : "s", f->nhosts_hit,
			 f->nhosts_hit == 1 ? "" : "s");
	text_put(y, x, line, iw, f->nhits == 0 ? ui->attr[R_DIM] : a, false,
		 false);
	if (f->notes[0] != '\0')
		text_put(y + 1, x, f->notes, iw, ui->attr[R_WARNING], false,
			 false);
	text_put(d->y + d->h - 1, d->x + d->w - 2 - text_width(foot), foot,
		 text_width(foot), ui->attr[R_DIALOG_TITLE], false, false);
}

/* Enter: show the chosen volume on its host, in the volumes pane. */
static int
find_go(struct ui *ui, struct dialog *d)
{
	struct find *f = d->data;
	const struct hit *h;
	size_t host;
	char *pool, *vol, *msg;

	find_run(ui, f);
	if (f->nhits == 0)
		return UI_DRAW;
	h = &f->hits[f->sc.sel];
	/* names: switching hosts reloads what the pointers point at */
	host = h->host;
	pool = xstrdup(h->pool->def->name);
	vol = xstrdup(h->vol->name);
	msg = xasprintf("%s: volume %s of pool %s.", h->hname, vol, pool);
	dialog_pop(ui);
	if (ui->nhosts > 0 && host != ui->cur)
		ui_host_switch(ui, host);
	/* the selection by name, kept by the reload a switch starts; a
	 * filter could hide it */
	ui_detach(ui);
	ui->pools.filter[0] = '\0';
	ui->vols.filter[0] = '\0';
	free(ui->pool_name);
	ui->pool_name = pool;
	free(ui->vol_name);
	ui->vol_name = vol;
	ui_rebuild_pools(ui);
	ui_ensure_vols(ui);
	ui_rebuild_vols(ui);
	ui->focus = FOCUS_VOLS;
	ui_status(ui, R_STATUS, "%s", msg);
	free(msg);
	return UI_DRAW;
}

static int
find_key(struct ui *ui, struct dialog *d, int key)
{
	struct find *f = d->data;

	switch (key) {
	case K_ESC:
		dialog_pop(ui);
		return UI_DRAW;
	case K_ENTER: case '\n':
		return find_go(ui, d);
	case K_CTRL('p'):
		key = K_FN(KEY_UP);
		break;
	case K_CTRL('n'):
		key = K_FN(KEY_DOWN);
		break;
	}
	if (key == K_FN(KEY_UP) || key == K_FN(KEY_DOWN) ||
	    key == K_FN(KEY_PPAGE) || key == K_FN(KEY_NPAGE)) {
		/* not drawn yet (keys typed ahead): every row fits */
		scroll_key(&f->sc, f->nhits, key, f->page > 0 ?
			   (size_t)f->page : f->nhits);
		return UI_DRAW;
	}
	if (edit_key(&f->value, &f->cursor, key)) {
		f->sc = (struct scroll){ 0, 0 };
		find_run(ui, f);
	}
	return UI_DRAW;
}

int
act_find(struct ui *ui)
{
	struct find *f = xcalloc(1, sizeof(*f));

	f->value = xstrdup("");
	dialog_push(ui, dialog_new("Find a volume on every host", find_draw,
				   find_key, find_free, f));
	return UI_DRAW;
}
