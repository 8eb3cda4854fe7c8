/* cistern — the main screen: layout, title, the pools and volumes panes
 * (users of the list pane), the bottom pane's frame (its details and log:
 * ui_bottom.c; its map: ui_map.c), the jobs strip, the key bar and the
 * status line. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"
#include "actions.h"
#include "keys.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_draw.h"
#include "ui_job.h"
#include "ui_list.h"
#include "ui_map.h"
#include "ui_model.h"
#include "ui_hosts.h"
#include "ui_remote.h"
#include "ui_text.h"
#include "ui_theme.h"

#define MIN_COLS 60
#define MIN_ROWS 16

/* ---- the pools pane ---- */

/* The colour role of a pool's state. */
int
ui_pool_role(const struct pool *p)
{
	switch (p->state) {
	case POOL_RUNNING: return R_RUNNING;
	case POOL_BUILDING: return R_BUILDING;
	case POOL_DEGRADED: return R_DEGRADED;
	case POOL_INACCESSIBLE: return R_INACCESSIBLE;
	default: return R_INACTIVE;
	}
}

/* The glyph of a pool's state. */
const char *
ui_pool_glyph(const struct glyphs *g, const struct pool *p)
{
	switch (p->state) {
	case POOL_RUNNING: return g->st_running;
	case POOL_BUILDING: return g->st_building;
	case POOL_DEGRADED: return g->st_degraded;
	case POOL_INACCESSIBLE: return g->st_bad;
	default: return g->st_inactive;
	}
}

/* Does a pool match the filter (name, type or state)? */
static bool
pool_match(const struct row *r, const char *needle)
{
	return strcasestr(r->pool->def->name, needle) != NULL ||
	       strcasestr(pool_type_name(r->pool->def->type), needle) != NULL ||
	       strcasestr(pool_state_name(r->pool->state), needle) != NULL;
}

/* A pool row's name. */
static const char *
pool_row_name(const struct row *r)
{
	return r->pool->def->name;
}

/* A usage bar of w columns for pct (0..100) with eighths in UTF-8. */
static void
draw_bar(struct ui *ui, int y, int x, int w, int pct, int role)
{
	const struct glyphs *g = ui->g;
	int eighths = pct * w * 8 / 100;

	for (int i = 0; i < w; i++) {
		int cell = eighths - i * 8;
		attrset(ui->attr[role]);
		if (cell >= 8)
			mvaddstr(y, x + i, g->bar_full);
		else if (cell > 0 && g->bar_part[cell][0] != '\0')
			mvaddstr(y, x + i, g->bar_part[cell]);
		else if (cell > 0)
			mvaddstr(y, x + i, g->bar_full);
		else {
			attrset(ui->attr[R_BAR_EMPTY]);
			mvaddstr(y, x + i, g->bar_empty);
		}
	}
}

/* The colour role of a usage percentage. */
static int
usage_role(int pct)
{
	return pct >= 90 ? R_USAGE_HIGH : pct >= 70 ? R_USAGE_MID : R_USAGE_LOW;
}

/* The pools pane's own cells: state with its glyph, usage with a bar. */
static bool
pool_cell(struct ui *ui, const struct column *col, const struct row *r, int y,
	  int x, int w, attr_t base, bool sel)
{
	const struct pool *p = r->pool;

	if (strcmp(col->id, "state") == 0) {
		attr_t a = sel ? base : ui->attr[ui_pool_role(p)];
		char t[64];
		snprintf(t, sizeof(t), "%s %s", ui_pool_glyph(ui->g, p),
			 pool_state_name(p->state));
		text_put(y, x, t, w, a, false, false);
		return true;
	}
	if (strcmp(col->id, "usage") == 0) {
		int pct = pool_usage_percent(p);
		char t[16];
		if (pct < 0) {
			text_put(y, x, "-", 4, base, false, true);
			return true;
		}
		snprintf(t, sizeof(t), "%d%%", pct);
		/* high usage is bold in mono too, not only red */
		text_put(y, x, t, 4, sel ? base : ui->attr[usage_role(pct)],
			 false, true);
		if (w >= 10)
			draw_bar(ui, y, x + 5, w - 5, pct, usage_role(pct));
		return true;
	}
	return false;
}

const struct list_ops pool_list_ops = {
	.match = pool_match,
	.cell = pool_cell,
	.name = pool_row_name,
};

const struct pane_col pool_pane_cols[] = {
	{ "name", 24, 0, NULL , false },
	{ "type", 12, 0, NULL , false },
	{ "state", 10, 2, NULL , false },
	{ "usage", 0, 11, "Used" , false },
	{ "autostart", 0, 0, "Auto" , false },
	{ "capacity", 0, 0, NULL , false },
	{ "allocation", 0, 0, "Alloc" , false },
	{ "available", 0, 0, "Avail" , false },
	{ "target", 40, 0, NULL, true },
	{ NULL, 0, 0, NULL, false },
};

/* ---- the volumes pane ---- */

/* Does a volume match the filter (its name)? */
static bool
vol_match(const struct row *r, const char *needle)
{
	return strcasestr(r->vol->name, needle) != NULL;
}

/* A volume row's name. */
static const char *
vol_row_name(const struct row *r)
{
	return r->vol->name;
}

const struct list_ops vol_list_ops = {
	.match = vol_match,
	.name = vol_row_name,
};

const struct pane_col vol_pane_cols[] = {
	{ "name", 40, 0, NULL , false },
	{ "format", 8, 0, NULL , false },
	{ "capacity", 0, 0, NULL , false },
	{ "allocation", 0, 0, "Alloc" , false },
	{ "type", 0, 0, NULL , false },
	{ "path", 0, 0, NULL, true },
	{ "backing", 40, 0, NULL, true },
	{ NULL, 0, 0, NULL, false },
};

/* ---- layout ---- */

/* Where each part of the screen goes at this size. */
void
ui_layout(struct ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	ui->too_small = ui->cols < MIN_COLS || ui->rows < MIN_ROWS;
	size_t nj = ui_jobs_running(ui);
	ui->jobs_h = nj > 3 ? 3 : (int)nj;
	ui->jobs_y = ui->rows - 2 - ui->jobs_h;
	int avail = ui->jobs_y - 1;
	if (ui->bottom == BOTTOM_LOG)
		ui->bottom_h = avail / 2;
	else
		ui->bottom_h = avail / 3 > 12 ? 12 : avail / 3;
	if (ui->bottom_h < 4)
		ui->bottom_h = avail >= 14 ? 4 : 0;
	ui->bottom_y = ui->jobs_y - ui->bottom_h;
	ui->main_y = 1;
	ui->main_h = ui->bottom_y - 1;
	/* past 80 columns, the pools pane takes a third of what is added */
	ui->pools_w = ui->cols <= 80 ? ui->cols * 2 / 5 + 10 :
		      42 + (ui->cols - 80) / 3;
	if (ui->pools_w > 80)
		ui->pools_w = 80;
}

/* ---- pieces ---- */

/* The title line: host, user, config dir, pool count. */
static void
draw_title(struct ui *ui)
{
	char left[512], right[64];
	attr_t a = ui->attr[R_TITLE];

	if (ui->nhosts > 0)
		/* several hosts: the shown one, by name */
		snprintf(left, sizeof(left), " cistern %s %s %s %s%s%s",
			 ui->g->hline, ui->hosts[ui->cur].name, ui->g->hline,
			 ui->remote ? ui_remote_uri(ui) : ui->host,
			 ui_remote_lost(ui) ? "  [lost]" : "",
			 ui->read_only ? "  [read-only]" : "");
	else if (ui_remote(ui))
		/* over libvirt: where the pools are, not a config dir */
		snprintf(left, sizeof(left), " cistern %s %s%s%s", ui->g->hline,
			 ui_remote_uri(ui), ui_remote_lost(ui) ? "  [lost]" : "",
			 ui->read_only ? "  [read-only]" : "");
	else
		snprintf(left, sizeof(left), " cistern %s %s %s %s %s %s%s%s",
			 ui->g->hline, ui->host, ui->g->hline, ui->user,
			 ui->g->hline, ui->c->store.config_dir,
			 ui->read_only ? "  [read-only]" : "",
			 run_dry_run() ? "  [dry-run]" : "");
	snprintf(right, sizeof(right), "%zu pool%s ", ui->c->npools,
		 ui->c->npools == 1 ? "" : "s");
	text_fill(0, 0, ui->cols, a);
	text_put(0, 0, left, ui->cols - text_width(right) - 1, a, false, false);
	text_put(0, ui->cols - text_width(right), right, text_width(right), a,
		 false, false);
}

/* A pane title line: " Pools (8)", with the filter when there is one. */
static void
draw_pane_title(struct ui *ui, int y, int x, int w, const char *title,
		const struct list *l, bool focused)
{
	char t[512];
	attr_t a = focused ? ui->attr[R_HEADER] : ui->attr[R_DIM];

	text_fill(y, x, w, ui->attr[R_NORMAL]);
	if (l->filter[0] != '\0')
		snprintf(t, sizeof(t), "%s (%zu of %zu)", title, l->nview,
			 l->nrows);
	else
		snprintf(t, sizeof(t), "%s (%zu)", title, l->nrows);
	int used = text_put(y, x + 1, t, w - 1, a | (focused ? A_BOLD : 0),
			    false, false);
	if (l->filter[0] != '\0' && used + 4 < w) {
		char f[160];
		snprintf(f, sizeof(f), "/%s", l->filter);
		text_put(y, x + 2 + used, f, w - used - 2, ui->attr[R_FILTER],
			 false, false);
	}
}

/* The pools pane, the separator and the volumes pane. */
static void
draw_panes(struct ui *ui)
{
	int y = ui->main_y, h = ui->main_h, pw = ui->pools_w;
	struct pool *p = ui_pool(ui);
	char vt[512];

	int ly = y + 1, lh = h - 1;

	draw_pane_title(ui, y, 0, pw, "Pools", &ui->pools,
			ui->focus == FOCUS_POOLS);
	if (ui->nhosts > 0)
		ui_hosts_pane_draw(ui, ly, lh, pw, ui->focus == FOCUS_POOLS);
	else
		list_draw(ui, &ui->pools, ly, 0, lh, pw,
			  ui->focus == FOCUS_POOLS);
	attrset(ui->attr[R_BORDER]);
	for (int i = 0; i < h; i++)
		mvaddstr(y + i, pw, ui->g->vline);
	int vx = pw + 1, vw = ui->cols - vx;
	if (p == NULL) {
		snprintf(vt, sizeof(vt), "Volumes");
	} else {
		/* names shown, the rest on its way (a remote first load) */
		snprintf(vt, sizeof(vt), "Volumes of %s%s", p->def->name,
			 p->vols_brief != 0 ? ", reading sizes" : "");
	}
	draw_pane_title(ui, y, vx, vw, vt, &ui->vols, ui->focus == FOCUS_VOLS);
	list_draw(ui, &ui->vols, y + 1, vx, h - 1, vw, ui->focus == FOCUS_VOLS);
	if (p != NULL && ui->vols.nrows == 0 && h > 4) {
		const char *why = !pool_is_active(p) ? "Not running." :
				  p->error ? p->error : "No volumes.";
		if (!pool_is_active(p) && !ui->read_only)
			why = "Not running: F6 starts it.";
		if (pool_is_active(p) && pool_can(p, VOL_OP_CREATE) &&
		    !ui->read_only && p->error == NULL)
			why = "No volumes yet: F3 creates one.";
		/* a refresh in a job or a remote load still on its way */
		if (pool_is_active(p) && !p->refreshed && p->error == NULL)
			why = "Reading the volumes...";
		text_put(y + 3, vx + 2, why, vw - 3,
			 ui->attr[p->error ? R_ERROR : R_DIM], false, false);
	} else if (p == NULL && h > 4) {
		text_put(y + 3, vx + 2, "No pool selected.", vw - 3,
			 ui->attr[R_DIM], false, false);
	}
}

static const struct {
	const char *title;
	void (*draw)(struct ui *ui, int y, int h);
} bottoms[BOTTOM_COUNT] = {
	[BOTTOM_DETAILS] = { "Details", ui_draw_details },
	[BOTTOM_LOG] = { "Log (L hides)", ui_draw_log },
	[BOTTOM_MAP] = { "Map", map_draw },
};

/* The bottom pane's frame and content. */
static void
draw_bottom(struct ui *ui)
{
	int y = ui->bottom_y, h = ui->bottom_h;
	char t[256];
	struct pool *p = ui_pool(ui);
	const struct vol_def *v = ui->focus == FOCUS_VOLS ? ui_vol(ui) : NULL;

	enum bottom kind = map_bottom(ui);

	if (h < 2)
		return;
	if (kind == BOTTOM_DETAILS && p != NULL)
		snprintf(t, sizeof(t), " %s %s ", v ? "Volume" : "Pool",
			 v ? v->name : p->def->name);
	else if (kind == BOTTOM_MAP && p != NULL)
		snprintf(t, sizeof(t), " %s of %s (m: details) ", p->nmaps ?
			 "Map" : "Usage", p->def->name);
	else
		snprintf(t, sizeof(t), " %s ", bottoms[kind].title);
	text_hline(ui, y, 0, ui->cols, ui->attr[R_BORDER]);
	text_put(y, 1, t, ui->cols - 2, ui->attr[ui->focus == FOCUS_BOTTOM ?
						 R_HEADER : R_BORDER] | A_BOLD,
		 false, false);
	bottoms[kind].draw(ui, y + 1, h - 1);
}

/* One line per running job, with its progress. */
static void
draw_jobs(struct ui *ui)
{
	int row = 0;

	for (size_t i = 0; i < ui->njobs && row < ui->jobs_h; i++) {
		struct ui_job *j = ui->jobs[i];
		int y = ui->jobs_y + row;
		char t[256], why[512];
		const char *down;
		if (j->ended)
			continue;
		/* its host dropped: the row greyed, with the reason */
		down = ui_host_down(ui, j->host, why, sizeof(why));
		snprintf(t, sizeof(t), "%s %s%s", ui->g->job, j->title,
			 j->cancelling ? " (cancelling)" : "");
		int tw = ui->cols / 3;
		text_fill(y, 0, ui->cols, ui->attr[R_NORMAL]);
		text_put(y, 1, t, tw, ui->attr[down ? R_DIM : j->cancelling ?
					      R_WARNING : R_NORMAL],
			 false, false);
		if (down)
			text_put(y, tw + 2, down, ui->cols - tw - 3,
				 ui->attr[R_DIM], false, false);
		else
			ui_draw_progress(ui, j, y, tw + 2, ui->cols - tw - 3);
		row++;
	}
}

/* The key block of an action: "F6/s", "F1/?", "a". */
static void
bar_key(const struct action *a, char *k, size_t n)
{
	if (a->fkey && a->key > 0x20 && a->key < 0x7f)
		snprintf(k, n, "F%d/%c", a->fkey, a->key);
	else if (a->fkey)
		snprintf(k, n, "F%d", a->fkey);
	else
		snprintf(k, n, "%c", a->key);
}

/* Key bar order: F-keys by number, then letters. */
static int
bar_order(const void *x, const void *y)
{
	const struct action *a = *(const struct action *const *)x;
	const struct action *b = *(const struct action *const *)y;
	int fa = a->fkey ? a->fkey : 100, fb = b->fkey ? b->fkey : 100;

	if (fa != fb)
		return fa - fb;
	return a < b ? -1 : a > b;
}

/* The key bar, generated from the action table. */
static void
draw_keybar(struct ui *ui)
{
	int y = ui->rows - 2, x = 0;
	const struct action *pick[32];
	int np = 0, used = 0;

	text_fill(y, 0, ui->cols, ui->attr[R_KEY_LABEL]);
	ui->nbar = 0;
	/* by priority (table order) what fits; shown F-keys first */
	for (const struct action *a = ui_actions; a->name != NULL && np < 32; a++) {
		char k[16];
		if (!(a->flags & A_BAR) || !action_ready(ui, a))
			continue;
		bool dup = false;
		for (int i = 0; i < np; i++)
			dup |= (pick[i]->fkey != 0 && pick[i]->fkey == a->fkey) ||
			       pick[i]->key == a->key;
		if (dup)
			continue;
		bar_key(a, k, sizeof(k));
		int need = text_width(k) + 1 + text_width(a->label) + 1;
		if (used + need > ui->cols)
			continue;
		used += need;
		pick[np++] = a;
	}
	qsort(pick, (size_t)np, sizeof(*pick), bar_order);
	for (int i = 0; i < np; i++) {
		const struct action *a = pick[i];
		char k[16];
		int x0 = x;
		bar_key(a, k, sizeof(k));
		x += text_put(y, x, k, text_width(k), ui->attr[R_KEY], false,
			      false);
		x += 1;
		x += text_put(y, x, a->label, text_width(a->label),
			      ui->attr[R_KEY_LABEL], false, false);
		x += 1;
		if (ui->nbar < 32) {
			ui->bar[ui->nbar].x0 = x0;
			ui->bar[ui->nbar].x1 = x;
			ui->bar[ui->nbar].a = a;
			ui->nbar++;
		}
	}
}

/* The status line and the running jobs count. */
static void
draw_status(struct ui *ui)
{
	int y = ui->rows - 1;
	char right[64] = "";
	size_t nj = ui_jobs_running(ui);

	if (nj > 0)
		snprintf(right, sizeof(right), " %zu job%s running ", nj,
			 nj == 1 ? "" : "s");
	text_fill(y, 0, ui->cols, ui->attr[R_STATUS]);
	int w = ui->cols - 2 - text_width(right);
	if (text_width(ui->status) > w) {
		/* cut (the ellipsis marks it): the log has it whole, and its
		 * key follows, drawn as the key bar draws keys */
		if (w >= 10) {
			text_put(y, 1, ui->status, w - 1,
				 ui->attr[ui->status_role], false, false);
			text_put(y, w, "L", 1, ui->attr[R_KEY], false, false);
		} else {
			text_put(y, 1, ui->status, w, ui->attr[ui->status_role],
				 false, false);
		}
	} else {
		text_put(y, 1, ui->status, w, ui->attr[ui->status_role], false,
			 false);
	}
	if (right[0])
		text_put(y, ui->cols - text_width(right), right, text_width(right),
			 ui->attr[R_WARNING], false, false);
}

/* The screen shown below the minimum size. */
static void
draw_too_small(struct ui *ui)
{
	char t[160];
	size_t n = 0;
	char **lines = NULL;

	erase();
	/* the longest wording that fits, so the minimum is always read */
	for (int v = 0; v < 3; v++) {
		if (v == 0)
			snprintf(t, sizeof(t), "Terminal too small: %dx%d. "
				 "cistern needs at least %dx%d. Enlarge the "
				 "window, or press q to quit.", ui->cols,
				 ui->rows, MIN_COLS, MIN_ROWS);
		else if (v == 1)
			snprintf(t, sizeof(t), "Too small: %dx%d. Needs %dx%d. "
				 "q quits.", ui->cols, ui->rows, MIN_COLS,
				 MIN_ROWS);
		else
			snprintf(t, sizeof(t), "Needs %dx%d", MIN_COLS,
				 MIN_ROWS);
		strv_free(lines);
		lines = text_wrap(t, ui->cols > 2 ? ui->cols - 2 : 1, &n);
		if ((int)n <= ui->rows)
			break;
	}
	for (size_t i = 0; i < n && (int)i < ui->rows; i++)
		text_put((ui->rows > (int)n ? (ui->rows - (int)n) / 2 : 0) +
			 (int)i, 1, lines[i], ui->cols - 1,
			 ui->attr[R_WARNING], false, false);
	strv_free(lines);
}

/* Draw the whole screen (ncurses sends only what changed). */
void
ui_draw(struct ui *ui)
{
	ui->cur_y = -1;
	if (ui->too_small) {
		draw_too_small(ui);
		curs_set(0);
		refresh();
		return;
	}
	erase();
	draw_title(ui);
	draw_panes(ui);
	draw_bottom(ui);
	draw_jobs(ui);
	draw_keybar(ui);
	draw_status(ui);
	dialog_draw_all(ui);
	if (ui->cur_y >= 0) {
		move(ui->cur_y, ui->cur_x);
		curs_set(1);
	} else {
		curs_set(0);
		move(ui->rows - 1, ui->cols - 1);
	}
	attrset(A_NORMAL);
	refresh();
}

/* A click or wheel on the main screen. */
int
ui_draw_click(struct ui *ui, int y, int x, int button)
{
	bool row;
	int r;

	if (y == ui->rows - 2 && button == 1) {
		for (int i = 0; i < ui->nbar; i++)
			if (x >= ui->bar[i].x0 && x < ui->bar[i].x1)
				return action_run(ui, ui->bar[i].a);
		return UI_NONE;
	}
	if (y >= ui->main_y && y < ui->main_y + ui->main_h) {
		struct list *l = x < ui->pools_w ? &ui->pools : &ui->vols;
		enum focus f = x < ui->pools_w ? FOCUS_POOLS : FOCUS_VOLS;
		if (ui->nhosts > 0 && l == &ui->pools && button == 1 &&
		    (r = ui_hosts_pane_click(ui, y)) >= 0)
			return r;
		if (button == 4 || button == 5) {
			list_move(l, button == 4 ? -3 : 3);
			r = UI_DRAW;
		} else {
			r = list_click(l, y, x, &row);
			ui->focus = f;
			if (r < 0)
				r = UI_DRAW;
		}
		if (l == &ui->pools)
			r |= UI_REVOLS;
		return r;
	}
	if (y >= ui->bottom_y && y < ui->bottom_y + ui->bottom_h) {
		if (map_bottom(ui) == BOTTOM_MAP && button == 1)
			return map_click(ui, y, x);
		if (ui->bottom == BOTTOM_LOG && (button == 4 || button == 5))
			log_scroll_key(ui, K_NONE, button == 4 ? -3 : 3);
		return UI_DRAW;
	}
	return UI_NONE;
}
