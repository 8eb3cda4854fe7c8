/* cistern — the map pane of file and rbd pools: the filesystem's or
 * the cluster's use as one bar, with what sparse volumes may still take
 * (ui_map.c draws disk and logical pools' extents and picks this). */
#include <stdio.h>
#include <stdlib.h>

#include "../core/pool.h"
#include "../core/units.h"
#include "ui.h"
#include "ui_map.h"
#include "ui_text.h"
#include "ui_theme.h"

/* Used, promised to sparse volumes, free; overcommit said as such. */
void
map_usage_draw(struct ui *ui, struct pool *p, int y, int h)
{
	uint64_t cap = p->def->capacity, used = p->def->allocation;
	uint64_t avail = p->def->available, vcap = 0, valloc = 0, grow = 0;
	char a[32], b[32], c[32], d[32], line[512];
	int w = ui->cols - 4, nu, ng, nf;
	/* what is neither used nor free to take: reserved blocks, and
	 * whatever the filesystem keeps for itself */
	uint64_t rest;
	/* libvirt's "available" counts the blocks reserved for root; the
	 * backend says how many (a fact) so the bar shows them apart */
	const char *rsv = pool_fact(p, "reserved");
	uint64_t reserved = rsv ? strtoull(rsv, NULL, 10) : 0;

	if (reserved <= avail)
		avail -= reserved;
	rest = cap > used + avail ? cap - used - avail : 0;

	for (size_t i = 0; i < p->nvols; i++) {
		vcap += p->vols[i]->capacity;
		valloc += p->vols[i]->allocation;
		if (p->vols[i]->capacity > p->vols[i]->allocation)
			grow += p->vols[i]->capacity - p->vols[i]->allocation;
	}
	/* a cluster's pool (rbd): named as the cluster calls its space */
	const char *space = pool_type_info(p->def->type)->usage_label;
	if (space != NULL && cap == 0)
		snprintf(line, sizeof(line), "%s %s: the cluster reports "
			 "no usage (it has no ceph-mgr running)", space,
			 p->def->source.name);
	else if (space != NULL)
		snprintf(line, sizeof(line), "%s %s: cluster %s, pool "
			 "%s used, %s free", space, p->def->source.name,
			 size_pretty(cap, a, sizeof(a)),
			 size_pretty(used, b, sizeof(b)),
			 size_pretty(avail, c, sizeof(c)));
	else
		snprintf(line, sizeof(line), "Filesystem of %s: %s, %s used, "
			 "%s free%s%s%s", p->def->target_path ?
			 p->def->target_path : p->def->name,
			 size_pretty(cap, a, sizeof(a)),
			 size_pretty(used, b, sizeof(b)),
			 size_pretty(avail, c, sizeof(c)), rest ? ", " : "",
			 rest ? size_pretty(rest, d, sizeof(d)) : "",
			 rest ? " reserved" : "");
	text_put(y, 1, line, ui->cols - 2, ui->attr[R_HEADER], false, false);
	if (h < 3 || cap == 0)
		return;
	/* used | what sparse volumes may take | free | reserved: each
	 * part in proportion to the legend's numbers */
	nu = (int)((double)used * w / (double)cap + 0.5);
	nf = (int)((double)(used + avail) * w / (double)cap + 0.5) - nu;
	ng = (int)((double)(grow < avail ? grow : avail) * w / (double)cap +
		   0.5);
	if (nu > w)
		nu = w;
	if (nf > w - nu)
		nf = w - nu;
	if (ng > nf)
		ng = nf;
	attrset(ui->attr[R_BORDER]);
	mvaddstr(y + 1, 1, "[");
	for (int i = 0; i < w; i++) {
		bool u = i < nu, g = !u && i < nu + ng;
		bool r = i >= nu + nf;
		attrset(ui->attr[u ? R_EXTENT_USED : g ? R_WARNING :
				 r ? R_EXTENT_META : R_EXTENT_FREE]);
		mvaddstr(y + 1, 2 + i, u ? ui->g->ext_used :
			 g ? ui->g->ext_grow : r ? ui->g->bar_empty :
			 ui->g->ext_free);
	}
	attrset(ui->attr[grow > avail ? R_DANGER : R_BORDER]);
	mvaddstr(y + 1, 2 + w, grow > avail ? "!" : "]");
	snprintf(line, sizeof(line), "%s used  %s sparse volumes may still "
		 "take  %s free%s%s%s", ui->g->ext_used, ui->g->ext_grow,
		 ui->g->ext_free, rest ? "  " : "", rest ? ui->g->bar_empty :
		 "", rest ? " reserved (not free to take)" : "");
	text_put(y + 2, 1, line, ui->cols - 2, ui->attr[R_DIM], false, false);
	if (h < 4)
		return;
	if (grow > avail)
		snprintf(line, sizeof(line), "%zu volume%s: capacity %s, "
			 "allocated %s: overcommitted by %s (they may grow "
			 "past the free space)", p->nvols,
			 p->nvols == 1 ? "" : "s",
			 size_pretty(vcap, a, sizeof(a)),
			 size_pretty(valloc, b, sizeof(b)),
			 size_pretty(grow - avail, d, sizeof(d)));
	else
		snprintf(line, sizeof(line), "%zu volume%s: capacity %s, "
			 "allocated %s; not overcommitted", p->nvols,
			 p->nvols == 1 ? "" : "s",
			 size_pretty(vcap, a, sizeof(a)),
			 size_pretty(valloc, b, sizeof(b)));
	text_put(y + 3, 1, line, ui->cols - 2,
		 ui->attr[grow > avail ? R_DANGER : R_NORMAL], false, false);
}
