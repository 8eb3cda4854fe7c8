/* cistern — the main screen's bottom pane: the details of the pool or
 * volume in focus, and the log of what ran (ui_draw.c draws the frame
 * and picks one; ui_map.c draws the map). */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_draw.h"
#include "ui_model.h"
#include "ui_scroll.h"
#include "ui_text.h"
#include "ui_theme.h"

/* "Label  value" lines for the details pane. */
static void
detail_line(struct ui *ui, int *y, int ymax, const char *label,
	    const char *value, int role)
{
	if (*y >= ymax || value == NULL || *value == '\0')
		return;
	text_put(*y, 1, label, 10, ui->attr[R_HEADER], true, false);
	text_put(*y, 11, value, ui->cols - 12, ui->attr[role], false, false);
	(*y)++;
}

/* A pool's source in one line. */
static char *
pool_source_text(const struct pool_def *d)
{
	const struct pool_source *s = &d->source;
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < s->nhosts; i++) {
		sbuf_printf(&b, "%shost %s", b.len ? "  " : "", s->hosts[i].name);
		if (s->hosts[i].port)
			sbuf_printf(&b, ":%d", s->hosts[i].port);
	}
	for (size_t i = 0; i < s->ndevices; i++)
		sbuf_printf(&b, "%sdevice %s", b.len ? "  " : "",
			    s->devices[i].path);
	if (s->dir)
		sbuf_printf(&b, "%sdir %s", b.len ? "  " : "", s->dir);
	if (s->name)
		sbuf_printf(&b, "%sname %s", b.len ? "  " : "", s->name);
	if (s->format)
		sbuf_printf(&b, "%sformat %s", b.len ? "  " : "", s->format);
	if (s->initiator_iqn)
		sbuf_printf(&b, "%sinitiator %s", b.len ? "  " : "",
			    s->initiator_iqn);
	if (s->auth && s->auth->username)
		sbuf_printf(&b, "%sauth %s %s", b.len ? "  " : "",
			    s->auth->type ? s->auth->type : "", s->auth->username);
	if (b.len == 0)
		sbuf_add(&b, "-");
	return sbuf_take(&b);
}

/* The details pane for a pool. */
static void
draw_pool_details(struct ui *ui, struct pool *p, int y, int ymax)
{
	char line[512], cap[32], alloc[32], avail[32], uuid[37];
	char *src;

	snprintf(line, sizeof(line), "%s %s  %s  autostart %s",
		 ui_pool_glyph(ui->g, p), pool_state_name(p->state),
		 pool_type_name(p->def->type), p->autostart ? "on" : "off");
	detail_line(ui, &y, ymax, "State", line, ui_pool_role(p));
	detail_line(ui, &y, ymax, "Target",
		    p->def->target_path ? p->def->target_path : "-", R_NORMAL);
	src = pool_source_text(p->def);
	detail_line(ui, &y, ymax, "Source", src, R_NORMAL);
	free(src);
	if (p->state == POOL_RUNNING || p->state == POOL_DEGRADED) {
		int pct = pool_usage_percent(p);
		snprintf(line, sizeof(line), "capacity %s  allocation %s (%d%%)  "
			 "available %s  %zu volume%s",
			 size_pretty(p->def->capacity, cap, sizeof(cap)),
			 size_pretty(p->def->allocation, alloc, sizeof(alloc)),
			 pct < 0 ? 0 : pct,
			 size_pretty(p->def->available, avail, sizeof(avail)),
			 p->nvols, p->nvols == 1 ? "" : "s");
		detail_line(ui, &y, ymax, "Size", line, R_NORMAL);
	}
	if (p->error != NULL)
		detail_line(ui, &y, ymax, "Error", p->error, R_ERROR);
	uuid_format(p->def->uuid, uuid);
	detail_line(ui, &y, ymax, "UUID", uuid, R_DIM);
}

/* The details pane for a volume. */
static void
draw_vol_details(struct ui *ui, struct pool *p, const struct vol_def *v, int y,
		 int ymax)
{
	char line[512], cap[32], alloc[32];

	snprintf(line, sizeof(line), "%s  in pool %s  %s%s%s", v->name,
		 p->def->name, vol_type_name(v->type),
		 v->target.format ? "  " : "",
		 v->target.format ? v->target.format : "");
	detail_line(ui, &y, ymax, "Volume", line, R_NORMAL);
	detail_line(ui, &y, ymax, "Path", v->target.path, R_NORMAL);
	snprintf(line, sizeof(line), "capacity %s  allocation %s",
		 size_pretty(v->capacity, cap, sizeof(cap)),
		 size_pretty(v->allocation, alloc, sizeof(alloc)));
	detail_line(ui, &y, ymax, "Size", line, R_NORMAL);
	if (v->backing != NULL) {
		snprintf(line, sizeof(line), "%s%s%s%s", v->backing->path,
			 v->backing->format ? " (" : "",
			 v->backing->format ? v->backing->format : "",
			 v->backing->format ? ")" : "");
		detail_line(ui, &y, ymax, "Backing", line, R_NORMAL);
	}
	detail_line(ui, &y, ymax, "Note", v->note, R_WARNING);
	detail_line(ui, &y, ymax, "Key", v->key, R_DIM);
}

/* The details pane. */
void
ui_draw_details(struct ui *ui, int y, int h)
{
	struct pool *p = ui_pool(ui);
	const struct vol_def *v = ui->focus == FOCUS_VOLS ? ui_vol(ui) : NULL;

	if (p == NULL) {
		text_put(y, 1, ui->c->npools ? "No pool matches the filter." :
			 "No storage pools yet: F2 or N defines one.",
			 ui->cols - 2, ui->attr[R_DIM], false, false);
		return;
	}
	if (v != NULL)
		draw_vol_details(ui, p, v, y, y + h);
	else
		draw_pool_details(ui, p, y, y + h);
}

/* The lines of a log entry: its text (a message wraps; a command line,
 * which has its own line, is cut), then its stderr; *ntext of them are
 * text. A strv. */
static char **
log_entry_lines(struct ui *ui, const struct log_line *l, size_t *n,
		size_t *ntext)
{
	char *t = l->repeats > 0 ? xasprintf("%dx %s", l->repeats + 1, l->text) :
		  xstrdup(l->text);
	char **v = NULL, **det;
	size_t nd = 0;

	*n = 0;
	if (l->cmd == NULL && text_width(t) > ui->cols - 12) {
		v = text_wrap(t, ui->cols - 12 > 8 ? ui->cols - 12 : 8, n);
	} else {
		strv_push(&v, n, t);
	}
	free(t);
	if (*n == 0)
		strv_push(&v, n, "");
	*ntext = *n;
	det = l->detail ? text_wrap(l->detail, ui->cols - 14, &nd) : NULL;
	for (size_t d = 0; d < nd; d++)
		strv_push(&v, n, det[d]);
	strv_free(det);
	return v;
}

/* How many lines the whole log takes (entries and their stderr). */
static size_t
log_lines(struct ui *ui)
{
	size_t total = 0;

	for (size_t k = 0; k < ui->nlog; k++) {
		const struct log_line *l = &ui->log[(ui->log_head + LOG_MAX - 1 -
						     k) % LOG_MAX];
		size_t n, nt;
		strv_free(log_entry_lines(ui, l, &n, &nt));
		total += n;
	}
	return total;
}

/* The log pane: newest at the bottom, stderr under its command. */
void
ui_draw_log(struct ui *ui, int y, int h)
{
	/* newest at the bottom; each entry takes its line and stderr lines */
	int line = y + h - 1;
	size_t n = log_lines(ui), max = n > (size_t)h ? n - (size_t)h : 0;
	size_t skip = ui->log_scroll > max ? max : ui->log_scroll;

	ui->log_rows = h;

	for (size_t k = 0; k < ui->nlog && line >= y; k++) {
		size_t idx = (ui->log_head + LOG_MAX - 1 - k) % LOG_MAX;
		const struct log_line *l = &ui->log[idx];
		size_t n, nt;
		char **v = log_entry_lines(ui, l, &n, &nt);
		for (size_t i = n; i > 0 && line >= y; i--) {
			if (skip > 0) {
				skip--;
				continue;
			}
			if (i > nt) {
				/* stderr under its command */
				text_put(line--, 12, v[i - 1], ui->cols - 13,
					 ui->attr[R_DIM], false, false);
				continue;
			}
			if (i == 1) {
				char ts[16];
				time_t t = (time_t)l->when;
				struct tm tm;
				localtime_r(&t, &tm);
				strftime(ts, sizeof(ts), "%H:%M:%S", &tm);
				text_put(line, 1, ts, 9, ui->attr[R_DIM], false,
					 false);
			}
			text_put(line--, 11, v[i - 1], ui->cols - 12,
				 ui->attr[l->role], false, false);
		}
		strv_free(v);
	}
	if (ui->nlog == 0)
		text_put(y, 1, "No commands have run yet.", ui->cols - 2,
			 ui->attr[R_DIM], false, false);
}

/* Scroll the log by a key (or by `delta` lines when key is K_NONE): the
 * one list model over the lines it can start at. It is kept as the lines
 * hidden below, so that new lines stay in view while it is at its end.
 * -1 when the key is not one. */
int
log_scroll_key(struct ui *ui, int key, long delta)
{
	size_t page = ui->log_rows > 0 ? (size_t)ui->log_rows : 1;
	size_t n = log_lines(ui), max = n > page ? n - page : 0;
	struct scroll s = {
		.sel = max - (ui->log_scroll < max ? ui->log_scroll : max),
	};

	if (key == K_NONE)
		scroll_move(&s, max + 1, delta);
	else if (scroll_view_key(&s, n, key, page) < 0)
		return -1;
	ui->log_scroll = max - s.sel;
	return UI_DRAW;
}
