/* cistern — the pools pane with several hosts: every host's line in
 * order; the host on screen has its pools under its line (the list that
 * takes the keys); every other host shows its pools under its line too,
 * in the list's columns, while there is room and unless it is folded
 * (`-` folds or unfolds them all, a click on a host's line folds that
 * one). At 80x24 the shown host's pools take the room and the others are
 * one line each. The filter (`/`) applies to every host's pools. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/engine.h"
#include "../core/pool.h"
#include "../core/util.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_hosts.h"
#include "ui_list.h"
#include "ui_model.h"
#include "ui_remote.h"
#include "ui_text.h"
#include "ui_theme.h"

/* May another host's pools be shown (open, not lost)? */
static bool
host_listable(const struct ui_host *h)
{
	return h->remote == NULL ||
	       (ui_remote_opened(h->remote) && !ui_remote_is_lost(h->remote));
}

static int
pool_by_name(const void *a, const void *b)
{
	const struct pool *const *x = a, *const *y = b;

	return strcmp((*x)->def->name, (*y)->def->name);
}

/* Host h's pools that pass the pools pane's filter, by name. A new
 * array (NULL when none); *n gets the count. */
static struct pool **
host_pools(struct ui *ui, const struct ui_host *h, size_t *n)
{
	struct pool **v = NULL;
	const char *f = ui->pools.filter;

	*n = 0;
	if (!host_listable(h) || h->c->npools == 0)
		return NULL;
	v = xreallocarray(NULL, h->c->npools, sizeof(*v));
	for (size_t k = 0; k < h->c->npools; k++) {
		struct row r = { .pool = h->c->pools[k] };
		if (f[0] == '\0' || pool_list_ops.match(&r, f))
			v[(*n)++] = h->c->pools[k];
	}
	qsort(v, *n, sizeof(*v), pool_by_name);
	return v;
}

/* The columns as wide as the other hosts' pools need too, as the list's
 * own rows make them (capped as they are). */
static void
widen_for(struct ui *ui, struct pool **v, size_t n)
{
	struct row *r = xcalloc(n + 1, sizeof(*r));

	for (size_t k = 0; k < n; k++)
		r[k].pool = v[k];
	list_widen(&ui->pools, r, n);
	free(r);
}

/* One host's line: "[-] kvm-a  connected  2 pools  504G"; under a
 * filter, how many of its pools pass it (`count`). */
static void
draw_host_line(struct ui *ui, size_t i, int y, int w, bool open,
	       size_t count)
{
	char line[512], full[600];
	long matching = -1;
	int role;

	if (ui->pools.filter[0] != '\0' && host_listable(&ui->hosts[i]))
		matching = (long)count;
	ui_host_line_matching(ui, i, matching, line, sizeof(line), &role);
	snprintf(full, sizeof(full), "%s %s", open ? "[-]" : "[+]", line);
	text_fill(y, 0, w, ui->attr[R_NORMAL]);
	text_put(y, 0, full, w, ui->attr[role] |
		 (i == ui->cur ? A_BOLD : 0), false, false);
}

void
ui_hosts_pane_draw(struct ui *ui, int y, int h, int w, bool focused)
{
	size_t n = ui->nhosts, nview = ui->pools.nview;
	int avail = h - (int)n, cur_rows, rest, at = y;
	int *rows = xcalloc(n, sizeof(*rows));
	size_t *count = xcalloc(n, sizeof(*count));
	struct pool ***v = xcalloc(n, sizeof(*v));

	/* each host's pools that pass the filter, once per draw (the shown
	 * host's are its list's) */
	for (size_t i = 0; i < n; i++) {
		ui->hosts[i].line_y = ui->hosts[i].pool_y = -1;
		if (i == ui->cur)
			count[i] = nview;
		else
			v[i] = host_pools(ui, &ui->hosts[i], &count[i]);
	}
	if (avail < 2) {
		/* no room for the others: the shown host alone */
		draw_host_line(ui, ui->cur, y, w, true, count[ui->cur]);
		ui->hosts[ui->cur].line_y = y;
		list_draw(ui, &ui->pools, y + 1, 0, h - 1, w, focused);
		goto out;
	}
	/* the shown host's pools first (the header and at least one row),
	 * then each other host in order, as far as the room goes; what is
	 * left stays blank below the last host */
	cur_rows = 1 + (nview > 0 ? (int)nview : 1);
	if (cur_rows > avail)
		cur_rows = avail;
	rest = avail - cur_rows;
	for (size_t i = 0; i < n && rest > 0; i++) {
		if (i == ui->cur || ui->hosts[i].folded)
			continue;
		rows[i] = count[i] < (size_t)rest ? (int)count[i] : rest;
		widen_for(ui, v[i], (size_t)rows[i]);
		rest -= rows[i];
	}
	/* the list first: the other rows use its columns */
	for (size_t i = 0; i < ui->cur; i++)
		at += 1 + rows[i];
	list_draw(ui, &ui->pools, at + 1, 0, cur_rows, w, focused);
	at = y;
	for (size_t i = 0; i < n; i++) {
		struct ui_host *hh = &ui->hosts[i];
		size_t cnt = count[i];
		int shown;

		/* open: its pools shown, or none to show */
		draw_host_line(ui, i, at, w, i == ui->cur || rows[i] > 0 ||
			       (!hh->folded && cnt == 0 && host_listable(hh)),
			       cnt);
		hh->line_y = at++;
		if (i == ui->cur) {
			at += cur_rows;
			continue;
		}
		if (rows[i] == 0)
			continue;
		/* the last row says how many more when they do not fit */
		shown = (size_t)rows[i] < cnt ? rows[i] - 1 : rows[i];
		hh->pool_y = at;
		hh->pool_n = shown;
		for (int k = 0; k < shown; k++) {
			struct row r = { .pool = v[i][k] };
			list_draw_row(ui, &ui->pools, &r, at++,
				      ui->attr[R_NORMAL], false);
		}
		if (shown < rows[i]) {
			char more[64];
			snprintf(more, sizeof(more), "  %s %zu more pool%s",
				 ui->g->ellipsis, cnt - (size_t)shown,
				 cnt - (size_t)shown == 1 ? "" : "s");
			text_fill(at, 0, w, ui->attr[R_NORMAL]);
			text_put(at++, 0, more, w, ui->attr[R_DIM], false,
				 false);
		}
	}
	while (at < y + h)
		text_fill(at++, 0, w, ui->attr[R_NORMAL]);
out:
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
	free(rows);
	free(count);
}

int
ui_hosts_pane_click(struct ui *ui, int y)
{
	for (size_t i = 0; i < ui->nhosts; i++) {
		struct ui_host *h = &ui->hosts[i];
		struct pool **v;
		size_t cnt;

		if (y == h->line_y) {
			if (i != ui->cur)
				h->folded = !h->folded;
			return UI_DRAW;
		}
		if (i == ui->cur || h->pool_y < 0 || y < h->pool_y ||
		    y >= h->pool_y + h->pool_n)
			continue;
		/* another host's pool: that host, with the pool selected */
		v = host_pools(ui, h, &cnt);
		if ((size_t)(y - h->pool_y) < cnt) {
			free(h->pool_name);
			h->pool_name = xstrdup(v[y - h->pool_y]->def->name);
			free(h->vol_name);
			h->vol_name = NULL;
		}
		free(v);
		ui_host_browse(ui, i);
		ui->focus = FOCUS_POOLS;
		return UI_DRAW | UI_REVOLS;
	}
	return -1;
}

int
ui_hosts_fold(struct ui *ui)
{
	bool any_open = false;

	for (size_t i = 0; i < ui->nhosts; i++)
		if (i != ui->cur && !ui->hosts[i].folded)
			any_open = true;
	for (size_t i = 0; i < ui->nhosts; i++)
		ui->hosts[i].folded = any_open;
	ui_status(ui, R_STATUS, any_open ?
		  "The other hosts are one line each (- shows their pools)." :
		  "The other hosts show their pools where there is room.");
	return UI_DRAW;
}
