/* cistern — the map pane: a disk pool's disk (or a logical pool's PVs)
 * as a bar of blocks in proportion to their size, in disk order, free
 * extents in a pattern of their own (not only a colour), the extended
 * partition enclosing its logical ones in braces; and, for file pools,
 * the filesystem's use with what sparse volumes may still take.
 *
 * A block is never narrower than two cells (its boundary and one cell of
 * pattern), so a tiny partition stays visible and selectable; the other
 * blocks share what is left in proportion to their size, each within one
 * cell of its share. A bar that does not fit on one row goes on over the
 * next ones. The map and the volume list select together. (The usage
 * bar of file and rbd pools: ui_usage.c.)
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "actions.h"
#include "keys.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_draw.h"
#include "ui_list.h"
#include "ui_map.h"
#include "ui_model.h"
#include "ui_text.h"
#include "ui_theme.h"

#define MINW 2            /* boundary + one cell of pattern */
#define HIT_ROWS 64
#define HIT_COLS 512

/* Which unit each cell of the last drawn map shows (+1; 0: none), for
 * the mouse. */
static short hit[HIT_ROWS][HIT_COLS];
static int hit_y0;

/* One block of a device's bar: a segment that is not a container. */
struct block {
	const struct map_seg *seg;
	int unit;             /* the selectable unit it belongs to */
	int x0, w;            /* first cell, width (cells) */
	int ext;              /* index of the enclosing extended unit, -1 */
};

/* A selectable unit: a partition, an LV piece, a free extent, or an
 * extended partition (which selects all it encloses). */
struct unit {
	int dev;
	const struct map_seg *seg;
};

struct mapview {
	struct pool *p;
	struct unit *units;
	int nunits;
};

/* ---- units ---- */

/* The units of a pool's maps, in disk order. */
static void
units_make(struct pool *p, struct mapview *mv)
{
	memset(mv, 0, sizeof(*mv));
	mv->p = p;
	for (size_t d = 0; d < p->nmaps; d++) {
		const struct dev_map *m = &p->maps[d];
		for (size_t i = 0; i < m->nsegs; i++) {
			/* a gap too small for a partition is no place for
			 * one: the interface leaves it out */
			if (m->segs[i].kind == SEG_METADATA ||
			    m->segs[i].too_small)
				continue;
			mv->units = xreallocarray(mv->units,
						  (size_t)mv->nunits + 1,
						  sizeof(*mv->units));
			mv->units[mv->nunits++] = (struct unit){ (int)d,
								 &m->segs[i] };
		}
	}
}

/* The unit the map's selection names (the segment of that kind at that
 * start; else, the map having changed, the last one starting before it),
 * or -1. */
static int
unit_find(const struct mapview *mv, int dev, uint64_t start, int kind)
{
	int near = -1;

	for (int i = 0; i < mv->nunits; i++) {
		const struct unit *u = &mv->units[i];
		if (u->dev != dev)
			continue;
		if (u->seg->start == start && (int)u->seg->kind == kind)
			return i;
		if (u->seg->start <= start)
			near = i;
	}
	return near;
}

/* The first unit of a volume, or -1. */
static int
unit_of_vol(const struct mapview *mv, const char *vol)
{
	for (int i = 0; vol != NULL && i < mv->nunits; i++)
		if (str_eq(mv->units[i].seg->vol, vol))
			return i;
	return -1;
}

/* The selected unit: the map's own when it has the focus, else the
 * volume list's. */
static int
unit_selected(struct ui *ui, const struct mapview *mv)
{
	const struct vol_def *v = ui_vol(ui);
	int i;

	if (ui->focus != FOCUS_BOTTOM && v != NULL &&
	    (i = unit_of_vol(mv, v->name)) >= 0)
		return i;
	i = unit_find(mv, ui->map_dev, ui->map_start, ui->map_kind);
	if (i < 0 && v != NULL)
		i = unit_of_vol(mv, v->name);
	return i < 0 && mv->nunits > 0 ? 0 : i;
}

/* Remember a unit as the map's selection. */
static void
unit_remember(struct ui *ui, const struct mapview *mv, int i)
{
	if (i < 0 || i >= mv->nunits)
		return;
	ui->map_dev = mv->units[i].dev;
	ui->map_start = mv->units[i].seg->start;
	ui->map_kind = (int)mv->units[i].seg->kind;
}

/* ---- the proportional layout ---- */

/* Widths of the blocks over `cells`: each at least its minimum, the
 * rest shared in proportion to size (cumulative rounding keeps every
 * block within one cell of its share). Returns false when the minimums
 * do not fit. */
static bool
layout(struct block *b, int n, int cells, int minw)
{
	bool *fixed = xcalloc((size_t)n + 1, sizeof(*fixed));
	bool moved = true;
	int rest;
	uint64_t total;

	while (moved) {
		moved = false;
		rest = cells;
		total = 0;
		for (int i = 0; i < n; i++) {
			int mw = b[i].seg->kind == SEG_METADATA ? 0 : minw;
			if (fixed[i])
				rest -= mw;
			else
				total += b[i].seg->end - b[i].seg->start;
		}
		if (rest < 0) {
			free(fixed);
			return false;
		}
		for (int i = 0; i < n && total > 0; i++) {
			int mw = b[i].seg->kind == SEG_METADATA ? 0 : minw;
			uint64_t sz = b[i].seg->end - b[i].seg->start;
			double share = (double)sz * rest / (double)total;
			if (!fixed[i] && share < mw) {
				fixed[i] = true;
				moved = true;
			}
		}
	}
	uint64_t cum = 0;
	int x = 0, prev = 0;
	for (int i = 0; i < n; i++) {
		b[i].x0 = x;
		if (fixed[i]) {
			b[i].w = b[i].seg->kind == SEG_METADATA ? 0 : minw;
		} else {
			cum += b[i].seg->end - b[i].seg->start;
			int at = total ? (int)((double)cum * rest /
					       (double)total + 0.5) : 0;
			b[i].w = at - prev;
			prev = at;
		}
		x += b[i].w;
	}
	free(fixed);
	return true;
}

/* The blocks of device `d` (containers left out), with their units. */
static int
blocks_make(const struct mapview *mv, int d, struct block **out)
{
	const struct dev_map *m = &mv->p->maps[d];
	struct block *b = xcalloc(m->nsegs + 1, sizeof(*b));
	int n = 0, ext = -1;
	uint64_t ext_end = 0;

	for (size_t i = 0; i < m->nsegs; i++) {
		const struct map_seg *s = &m->segs[i];
		int unit = -1;
		if (s->too_small)
			continue;
		for (int k = 0; k < mv->nunits; k++)
			if (mv->units[k].seg == s)
				unit = k;
		if (s->kind == SEG_EXTENDED) {
			ext = unit;
			ext_end = s->end;
			continue;
		}
		if (ext >= 0 && s->start >= ext_end)
			ext = -1;
		b[n].seg = s;
		b[n].unit = unit;
		b[n].ext = s->depth > 0 ? ext : -1;
		n++;
	}
	*out = b;
	return n;
}

/* ---- drawing ---- */

/* How many pieces an LV has over all the maps (split LVs say "1/2"). */
static int
pieces(const struct pool *p, const char *vol, const struct map_seg *s,
       int *which)
{
	int n = 0;

	*which = 0;
	for (size_t d = 0; d < p->nmaps; d++)
		for (size_t i = 0; i < p->maps[d].nsegs; i++)
			if (str_eq(p->maps[d].segs[i].vol, vol)) {
				n++;
				if (&p->maps[d].segs[i] == s)
					*which = n;
			}
	return n;
}

/* The label of a block, fitted to `w` cells (or ""). */
static void
block_label(const struct pool *p, const struct block *b, int w, char *out,
	    size_t n)
{
	const struct map_seg *s = b->seg;
	char sz[32], lab[160];
	int which = 0, np = 0;

	size_short(s->end - s->start, sz, sizeof(sz));
	out[0] = '\0';
	if (s->kind == SEG_FREE)
		snprintf(lab, sizeof(lab), "free %s", sz);
	else if (s->vol == NULL)
		snprintf(lab, sizeof(lab), "%s", sz);
	else if ((np = pieces(p, s->vol, s, &which)) > 1)
		snprintf(lab, sizeof(lab), "%s %d/%d %s", s->vol, which, np,
			 sz);
	else
		snprintf(lab, sizeof(lab), "%s %s", s->vol, sz);
	if (text_width(lab) + 2 <= w) {
		snprintf(out, n, "%s", lab);
		return;
	}
	if (s->kind == SEG_FREE)
		snprintf(lab, sizeof(lab), "free");
	else if (s->vol != NULL && np > 1)
		snprintf(lab, sizeof(lab), "%s %d/%d", s->vol, which, np);
	else if (s->vol != NULL)
		snprintf(lab, sizeof(lab), "%s", s->vol);
	if (text_width(lab) + 2 <= w) {
		snprintf(out, n, "%s", lab);
		return;
	}
	if (s->vol != NULL && text_width(s->vol) + 1 <= w) {
		snprintf(out, n, "%s", s->vol);
		return;
	}
	/* a partition by its number: "#3" */
	const char *dig = s->vol ? s->vol + strlen(s->vol) : NULL;
	while (dig != NULL && dig > s->vol && dig[-1] >= '0' && dig[-1] <= '9')
		dig--;
	if ((pool_type_info(p->def->type)->kind & POOL_TI_PARTITIONS) &&
	    dig != NULL && *dig &&
	    (int)strlen(dig) + 1 <= w)
		snprintf(out, n, "#%s", dig);
}

/* Put one cell of the bar (which wraps over rows of `rw` cells) and
 * remember which unit it shows. */
static void
cell_put(int y, int x, int rw, int c, const char *g, attr_t a, int unit)
{
	int row = y + c / rw - hit_y0, col = x + c % rw;

	attrset(a);
	mvaddstr(y + c / rw, x + c % rw, g);
	if (row >= 0 && row < HIT_ROWS && col >= 0 && col < HIT_COLS)
		hit[row][col] = (short)(unit + 1);
}

/* Draw one device's bar; returns the rows used. The selected unit (and,
 * for an extended partition or a split LV, all that goes with it) is
 * drawn selected. */
static int
draw_bar(struct ui *ui, const struct mapview *mv, int d, int y, int x,
	 int rw, int maxrows, int sel)
{
	struct block *b;
	int n = blocks_make(mv, d, &b), rows = 1, minw = MINW;
	const struct map_seg *ss = sel >= 0 ? mv->units[sel].seg : NULL;
	bool focused = ui->focus == FOCUS_BOTTOM;

	/* more rows while the blocks at their minimum would take more than
	 * half of the cells (proportions need room); then the fewest rows
	 * that hold them all, or narrower minimums */
	int nmin = 0;
	for (int i = 0; i < n; i++)
		nmin += b[i].seg->kind != SEG_METADATA;
	while (rows < maxrows && nmin * minw * 2 > rows * rw)
		rows++;
	while (!layout(b, n, rows * rw, minw)) {
		if (rows < maxrows)
			rows++;
		else if (minw > 1)
			minw = 1;
		else
			break;
	}
	int first = -1;
	attrset(ui->attr[R_BORDER]);
	mvaddstr(y, x - 1, "[");
	for (int i = 0; i < n; i++) {
		const struct map_seg *s = b[i].seg;
		bool on = ss != NULL && (s == ss ||
			  (ss->kind == SEG_EXTENDED && b[i].ext == sel) ||
			  (ss->vol != NULL && s->vol != NULL &&
			   ss->kind != SEG_FREE &&
			   strcmp(ss->vol, s->vol) == 0));
		int role = s->kind == SEG_FREE ? R_EXTENT_FREE :
			   s->kind == SEG_METADATA ? R_EXTENT_META :
			   R_EXTENT_USED;
		const char *fill = s->kind == SEG_FREE ? ui->g->ext_free :
				   s->kind == SEG_METADATA ? ui->g->bar_empty :
				   ui->g->ext_used;
		int srole = focused ? R_SELECTED : R_SELECTED_DIM;
		attr_t a = on ? ui->attr[srole] | A_BOLD : ui->attr[role];
		char lab[160];
		if (b[i].w <= 0 || b[i].x0 >= rows * rw)
			continue;
		if (first < 0)
			first = i;
		for (int c = 0; c < b[i].w && b[i].x0 + c < rows * rw; c++) {
			const char *g = fill;
			attr_t ca = a;
			if (c == 0 && i > first) {
				bool ext_in = b[i].ext >= 0 &&
					      b[i - 1].ext != b[i].ext;
				bool ext_out = b[i].ext < 0 &&
					       b[i - 1].ext >= 0;
				g = ext_in ? "{" : ext_out ? "}" : "|";
				ca = on ? a : ui->attr[R_BORDER];
			} else if (c == 0 && b[i].ext >= 0) {
				g = "{";
			}
			cell_put(y, x, rw, b[i].x0 + c, g, ca, b[i].unit);
		}
		block_label(mv->p, &b[i], b[i].w - 1, lab, sizeof(lab));
		if (lab[0] != '\0') {
			int lw = text_width(lab), lx = b[i].x0 + 1 +
							(b[i].w - 1 - lw) / 2;
			/* a label never crosses a row's end */
			if (lx / rw == (lx + lw - 1) / rw)
				text_put(y + lx / rw, x + lx % rw, lab, lw, a,
					 false, false);
		}
	}
	attrset(ui->attr[R_BORDER]);
	int last = n > 0 ? b[n - 1].x0 + b[n - 1].w : 0;
	if (last > rows * rw)
		last = rows * rw;
	mvaddstr(y + (last > 0 ? (last - 1) / rw : 0),
		 x + (last > 0 ? (last - 1) % rw + 1 : 0),
		 n > 0 && b[n - 1].ext >= 0 ? "}" : "]");
	free(b);
	return rows;
}

/* The legend: label type, size, free total and the largest extent. */
static void
draw_legend(struct ui *ui, struct pool *p, int y)
{
	uint64_t size = 0, free_ = 0, largest = 0;
	size_t nfree = 0;
	char a[32], b[32], c[32], line[512];
	const struct dev_map *m0 = &p->maps[0];

	for (size_t d = 0; d < p->nmaps; d++) {
		size += p->maps[d].size;
		for (size_t i = 0; i < p->maps[d].nsegs; i++) {
			const struct map_seg *s = &p->maps[d].segs[i];
			if (s->kind != SEG_FREE || s->too_small)
				continue;
			free_ += s->end - s->start;
			nfree++;
			if (s->end - s->start > largest)
				largest = s->end - s->start;
		}
	}
	size_short(size, a, sizeof(a));
	size_short(free_, b, sizeof(b));
	size_short(largest, c, sizeof(c));
	if (pool_type_info(p->def->type)->kind & POOL_TI_VOLUME_GROUP)
		snprintf(line, sizeof(line), "VG %s: %zu PV%s, %s; free %s in "
			 "%zu extent%s, largest %s", p->def->source.name ?
			 p->def->source.name : p->def->name, p->nmaps,
			 p->nmaps == 1 ? "" : "s", a, b, nfree,
			 nfree == 1 ? "" : "s", c);
	else
		snprintf(line, sizeof(line), "%s label, %s disk %s; free %s in "
			 "%zu extent%s, largest %s",
			 m0->label ? m0->label : "?", a, m0->device, b, nfree,
			 nfree == 1 ? "" : "s", c);
	text_put(y, 1, line, ui->cols - 2, ui->attr[R_HEADER], false, false);
}

/* A line about the selected unit (and what Enter does with it). */
static void
draw_info(struct ui *ui, const struct mapview *mv, int sel, int y)
{
	const struct unit *u;
	char sz[32], line[512];
	const char *kind;

	if (sel < 0) {
		text_put(y, 1, "Nothing on this device yet.", ui->cols - 2,
			 ui->attr[R_DIM], false, false);
		return;
	}
	u = &mv->units[sel];
	size_pretty(u->seg->end - u->seg->start, sz, sizeof(sz));
	kind = u->seg->kind == SEG_EXTENDED ? "extended" :
	       u->seg->kind == SEG_LOGICAL ? "logical" :
	       (pool_type_info(mv->p->def->type)->kind &
		POOL_TI_VOLUME_GROUP) ? "LV extents" : "primary";
	if (u->seg->kind == SEG_FREE)
		snprintf(line, sizeof(line), "%s free %s at %" PRIu64
			 " on %s%s", ui->g->sel, sz, u->seg->start,
			 mv->p->maps[u->dev].device,
			 (pool_type_info(mv->p->def->type)->kind &
			  POOL_TI_PARTITIONS) && !ui->read_only ?
			 ": Enter creates a partition here" : "");
	else
		snprintf(line, sizeof(line), "%s %s: %s %s, bytes %" PRIu64
			 "-%" PRIu64 " of %s", ui->g->sel,
			 u->seg->vol ? u->seg->vol : "?", kind, sz,
			 u->seg->start, u->seg->end,
			 mv->p->maps[u->dev].device);
	text_put(y, 1, line, ui->cols - 2,
		 ui->attr[ui->focus == FOCUS_BOTTOM ? R_NORMAL : R_DIM], false,
		 false);
}

/* The map of a disk or logical pool. */
static void
draw_devices(struct ui *ui, struct pool *p, int y, int h)
{
	struct mapview mv;
	int sel, pre = 0, row = y + 1;

	units_make(p, &mv);
	sel = unit_selected(ui, &mv);
	memset(hit, 0, sizeof(hit));
	hit_y0 = y;
	draw_legend(ui, p, y);
	if (p->nmaps > 1)
		for (size_t d = 0; d < p->nmaps; d++) {
			const char *b = strrchr(p->maps[d].device, '/');
			int w = text_width(b ? b + 1 : p->maps[d].device) + 1;
			pre = w > pre ? w : pre;
		}
	if (pre > ui->cols / 4)
		pre = ui->cols / 4;
	int rw = ui->cols - 3 - pre;
	for (size_t d = 0; d < p->nmaps && row < y + h - 1; d++) {
		int left = y + h - 1 - row - (int)(p->nmaps - 1 - d);
		if (pre > 0) {
			const char *b = strrchr(p->maps[d].device, '/');
			text_put(row, 1, b ? b + 1 : p->maps[d].device, pre - 1,
				 ui->attr[R_DIM], false, false);
		}
		row += draw_bar(ui, &mv, (int)d, row, 2 + pre, rw,
				left > 1 ? left : 1, sel);
	}
	draw_info(ui, &mv, sel, y + h - 1);
	free(mv.units);
}

/* ---- the pane ---- */

/* Do the pool's volumes share its space (files, rbd images: its map is
 * the usage bar)? */
static bool
file_pool(const struct pool *p)
{
	return (pool_type_info(p->def->type)->kind & POOL_TI_SHARED_SPACE) != 0;
}

/* Has the pool something for the map pane now? */
bool
map_has(const struct pool *p)
{
	if (p == NULL || !pool_is_active(p) || !p->refreshed)
		return false;
	return p->nmaps > 0 || file_pool(p);
}

/* What the bottom pane shows: the map comes by itself for disk and
 * logical pools (unless 'm' put it away), for file pools on 'm'. */
enum bottom
map_bottom(struct ui *ui)
{
	struct pool *p = ui_pool(ui);

	if (ui->bottom == BOTTOM_LOG)
		return BOTTOM_LOG;
	if (!map_has(p))
		return BOTTOM_DETAILS;
	if (ui->bottom == BOTTOM_MAP)
		return BOTTOM_MAP;
	return ui->map_auto && p->nmaps > 0 ? BOTTOM_MAP : BOTTOM_DETAILS;
}

/* Draw the map pane's content. */
void
map_draw(struct ui *ui, int y, int h)
{
	struct pool *p = ui_pool(ui);

	if (!map_has(p))
		return;
	if (p->nmaps > 0)
		draw_devices(ui, p, y, h);
	else
		map_usage_draw(ui, p, y, h);
}

/* The free extent selected in the map, if the map has the focus. */
bool
map_free_selected(struct ui *ui, uint64_t *start, uint64_t *size)
{
	struct pool *p = ui_pool(ui);
	struct mapview mv;
	int sel;
	bool ok = false;

	if (ui->focus != FOCUS_BOTTOM || map_bottom(ui) != BOTTOM_MAP ||
	    p == NULL || p->nmaps == 0)
		return false;
	units_make(p, &mv);
	sel = unit_selected(ui, &mv);
	if (sel >= 0 && mv.units[sel].seg->kind == SEG_FREE) {
		*start = mv.units[sel].seg->start;
		*size = mv.units[sel].seg->end - mv.units[sel].seg->start;
		ok = true;
	}
	free(mv.units);
	return ok;
}

/* A key of a volume action on the map's selection acts on that volume,
 * as in the volume list; on free space it is refused (never passed on to
 * the pool's action of the same key). -1: not a volume action. */
static int
map_act(struct ui *ui, const struct mapview *mv, int sel, int key)
{
	const struct map_seg *s = sel >= 0 ? mv->units[sel].seg : NULL;
	const struct action *a;
	int r;

	if (key == '\n')
		key = K_ENTER;
	ui->focus = FOCUS_VOLS;
	a = action_for_key(ui, key);
	ui->focus = FOCUS_BOTTOM;
	if (a == NULL || !(a->flags & A_VOL) || (a->flags & A_POOL))
		return -1;
	if (s == NULL || s->vol == NULL) {
		ui_status(ui, R_WARNING, "Free space is selected: %s acts on a "
			  "%s.", a->label, (pool_type_info(mv->p->def->type)->kind &
			  POOL_TI_VOLUME_GROUP) ?
			  "logical volume" : "partition");
		return UI_DRAW;
	}
	list_select_name(&ui->vols, s->vol);
	ui->focus = FOCUS_VOLS;
	r = action_run(ui, a);
	ui->focus = FOCUS_BOTTOM;
	return r;
}

/* Keys of the focused map: move along the blocks (the volume list
 * follows); Enter on a free extent creates a partition there. Returns
 * UI flags, or -1 for keys it leaves to others. */
int
map_key(struct ui *ui, int key)
{
	struct pool *p = ui_pool(ui);
	struct mapview mv;
	int sel, to, r = UI_DRAW;

	if (p == NULL || p->nmaps == 0)
		return -1;
	units_make(p, &mv);
	sel = unit_selected(ui, &mv);
	to = sel;
	switch (key) {
	case K_FN(KEY_LEFT): case 'h': case K_FN(KEY_UP): case 'k':
		to = sel > 0 ? sel - 1 : 0;
		break;
	case K_FN(KEY_RIGHT): case 'l': case K_FN(KEY_DOWN): case 'j':
		to = sel + 1 < mv.nunits ? sel + 1 : sel;
		break;
	case K_FN(KEY_HOME): case 'g':
		to = 0;
		break;
	case K_FN(KEY_END): case 'G':
		to = mv.nunits - 1;
		break;
	case K_ENTER: case '\n':
		if (sel >= 0 && mv.units[sel].seg->kind == SEG_FREE &&
		    (pool_type_info(p->def->type)->kind & POOL_TI_PARTITIONS)) {
			unit_remember(ui, &mv, sel);
			free(mv.units);
			return action_run(ui, action_find("vol-create"));
		}
		r = map_act(ui, &mv, sel, key);
		break;
	default:
		r = map_act(ui, &mv, sel, key);
		break;
	}
	if (r >= 0 && to >= 0 && to < mv.nunits) {
		unit_remember(ui, &mv, to);
		if (mv.units[to].seg->vol != NULL)
			list_select_name(&ui->vols, mv.units[to].seg->vol);
	}
	free(mv.units);
	return r;
}

/* m: the map, or the details again. */
/* A click on a block selects it (the volume list follows). */
int
map_click(struct ui *ui, int y, int x)
{
	struct pool *p = ui_pool(ui);
	struct mapview mv;
	int u;

	if (p == NULL || p->nmaps == 0 || y - hit_y0 < 0 ||
	    y - hit_y0 >= HIT_ROWS || x < 0 || x >= HIT_COLS)
		return UI_DRAW;
	u = hit[y - hit_y0][x] - 1;
	units_make(p, &mv);
	if (u >= 0 && u < mv.nunits) {
		ui->focus = FOCUS_BOTTOM;
		unit_remember(ui, &mv, u);
		if (mv.units[u].seg->vol != NULL)
			list_select_name(&ui->vols, mv.units[u].seg->vol);
	}
	free(mv.units);
	return UI_DRAW;
}

/* m: the map, or the details again. */
ACT(act_map)
{
	if (map_bottom(ui) == BOTTOM_MAP) {
		ui->bottom = BOTTOM_DETAILS;
		ui->map_auto = false;
		if (ui->focus == FOCUS_BOTTOM)
			ui->focus = FOCUS_VOLS;
		ui_status(ui, R_STATUS, "Details below; m shows the map "
			  "again.");
	} else {
		struct pool *p = ui_pool(ui);

		ui->bottom = BOTTOM_MAP;
		ui->map_auto = true;
		if (p != NULL && p->nmaps == 0)
			/* a file or rbd pool's use: nothing to move along */
			ui_status(ui, R_STATUS, "Usage below; m shows the "
				  "details again.");
		else
			ui_status(ui, R_STATUS, "Map below: Tab reaches it; "
				  "Left/Right move along the disk.");
	}
	ui_layout(ui);
	return UI_DRAW;
}

/* The map needs a running pool that has one. */
USABLE(need_map)
{
	if (map_has(ui_pool(ui)))
		return NULL;
	return "The map needs a running pool (F6 starts it).";
}
