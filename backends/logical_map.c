/* cistern — logical pools: a report turned into what the pool shows:
 * sizes, one volume per visible LV (with its extents on each PV, as
 * libvirt numbers them) and one device map per PV (in real bytes: the
 * metadata area, each LV's extents, free extents, the unusable tail). */
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "logical.h"

/* The PV extents of an LV, following sub-LVs (libvirt's numbers: the
 * extent's index times the extent size, from the first extent). */
static void
add_extents(const struct lvm_report *r, const struct lvm_lv *lv,
	    struct vol_def *v, int depth)
{
	for (size_t s = 0; s < lv->nsegs && depth < 16; s++) {
		const struct lvm_seg *sg = &lv->segs[s];
		uint64_t bytes = lvm_ref_bytes(sg);
		for (size_t k = 0; k < sg->nrefs; k++) {
			const struct lvm_ref *ref = &sg->refs[k];
			const struct lvm_lv *sub;
			if (lvm_find_pv(r, ref->name, NULL) == NULL &&
			    strcmp(ref->name, "[unknown]") != 0) {
				sub = lvm_report_find(r, ref->name);
				if (sub != NULL && sub != lv)
					add_extents(r, sub, v, depth + 1);
				continue;
			}
			v->extents = xreallocarray(v->extents, v->nextents + 1,
						   sizeof(*v->extents));
			v->extents[v->nextents++] = (struct vol_extent){
				.device = xstrdup(ref->name),
				.start = ref->pe * r->extent_size,
				.end = ref->pe * r->extent_size + bytes,
			};
		}
	}
}

/* Segment types of LVs that hold other LVs and have no device node. */
static bool
is_container(const struct lvm_lv *lv)
{
	const char *t = lv->nsegs > 0 ? lv->segs[0].segtype : "";

	return lv->attr[0] == 't' || strcmp(t, "thin-pool") == 0 ||
	       strcmp(t, "cache-pool") == 0 || strcmp(t, "vdo-pool") == 0;
}

struct vol_def *
lvm_report_vol(const struct lvm_report *r, const struct lvm_lv *lv,
	       const char *target)
{
	struct vol_def *v;
	bool snapshot = lv->attr[0] == 's' || lv->attr[0] == 'S';
	bool sparse = lv->origin[0] == '[';
	struct sbuf note;

	if (lv->hidden || is_container(lv))
		return NULL;
	v = vol_def_new();
	v->type = VOL_BLOCK;
	v->name = xstrdup(lv->name);
	v->key = xstrdup(lv->uuid);
	v->target.path = xasprintf("%s/%s", target, lv->name);
	v->has_capacity = true;
	v->capacity = snapshot && lv->origin_size > 0 ? lv->origin_size :
		      lv->size;
	v->allocation = lv->size;
	if (lv->origin[0] != '\0' && !sparse) {
		v->backing = xcalloc(1, sizeof(*v->backing));
		perms_init(&v->backing->perms);
		v->backing->path = xasprintf("%s/%s", target, lv->origin);
	}
	add_extents(r, lv, v, 0);
	sbuf_init(&note);
	if (sparse)
		sbuf_add(&note, "sparse (thin snapshot)");
	else if (snapshot)
		sbuf_printf(&note, "snapshot of %s", lv->origin);
	else if (lv->attr[0] == 'V')
		sbuf_add(&note, "thin volume");
	if (lv->attr[4] == '-')
		sbuf_printf(&note, "%sinactive", note.len ? ", " : "");
	if (lv->attr[5] == 'o')
		sbuf_printf(&note, "%sopen", note.len ? ", " : "");
	if (note.len > 0)
		v->note = sbuf_take(&note);
	else
		sbuf_free(&note);
	return v;
}

/* One PV's map: metadata, then LV pieces and free gaps, then the tail. */
static void
fill_map(struct pool *p, const struct lvm_report *r, size_t pvi)
{
	const struct lvm_pv *pv = &r->pvs[pvi];
	uint64_t ext = r->extent_size;
	uint64_t at = 0, end = pv->pe_start + pv->pe_count * ext;
	struct dev_map *m = pool_add_map(p, pv->name, pv->dev_size, "lvm2 PV");

	if (pv->pe_start > 0)
		map_add_seg(m, SEG_METADATA, 0, pv->pe_start, NULL, 0);
	for (size_t i = 0; i < r->npieces; i++) {
		const struct lvm_piece *x = &r->pieces[i];
		if (x->pv != pvi)
			continue;
		if (x->pe > at)
			map_add_seg(m, SEG_FREE, pv->pe_start + at * ext,
				    pv->pe_start + x->pe * ext, NULL, 0);
		struct map_seg *last = m->nsegs ? &m->segs[m->nsegs - 1] : NULL;
		if (last != NULL && x->pe == at && last->kind == SEG_PRIMARY &&
		    str_eq(last->vol, x->owner))
			/* the next piece of the same LV (raid meta + image) */
			last->end = pv->pe_start + (x->pe + x->npe) * ext;
		else
			map_add_seg(m, SEG_PRIMARY, pv->pe_start + x->pe * ext,
				    pv->pe_start + (x->pe + x->npe) * ext,
				    x->owner, 0);
		at = x->pe + x->npe;
	}
	if (at < pv->pe_count)
		map_add_seg(m, SEG_FREE, pv->pe_start + at * ext, end, NULL, 0);
	if (pv->dev_size > end)
		map_add_seg(m, SEG_METADATA, end, pv->dev_size, NULL, 0);
}

/* Say which LVs an interrupted cistern left half-made (they are not
 * volumes). A clone in progress elsewhere shows here too: its own
 * cistern removes the tag when done. */
static void
report_leftovers(struct pool *p, struct sbuf *b)
{
	pool_set_fact(p, "leftovers", b->len ? b->s : NULL);
	if (b->len > 0 && p->owner != NULL && p->owner->warn != NULL) {
		char *m = xasprintf("pool '%s': logical volumes tagged %s by an "
				    "interrupted cistern (or one still "
				    "copying), not volumes: %s; remove them "
				    "with 'lvremove %s/NAME'", p->def->name,
				    LVM_PARTIAL_TAG, b->s,
				    p->def->source.name);
		p->owner->warn(p->owner->warn_arg, m);
		free(m);
	}
	sbuf_free(b);
}

void
lvm_report_fill(struct pool *p, const struct lvm_report *r)
{
	bool degraded = false;
	struct sbuf left;

	p->def->capacity = r->vg_size;
	p->def->available = r->vg_free;
	p->def->allocation = r->vg_size - r->vg_free;
	sbuf_init(&left);
	for (size_t i = 0; i < r->nlvs; i++) {
		struct vol_def *v;
		if (r->lvs[i].partial) {
			sbuf_printf(&left, "%s%s", left.len ? ", " : "",
				    r->lvs[i].name);
			continue;
		}
		v = lvm_report_vol(r, &r->lvs[i], p->def->target_path);
		if (v != NULL)
			pool_add_vol(p, v);
	}
	report_leftovers(p, &left);
	for (size_t i = 0; i < r->npvs; i++) {
		if (r->pvs[i].missing)
			degraded = true;
		else
			fill_map(p, r, i);
	}
	if (p->state == POOL_RUNNING || p->state == POOL_DEGRADED)
		p->state = degraded ? POOL_DEGRADED : POOL_RUNNING;
}

int
logical_refresh(struct pool *p, struct job *j, struct err *e)
{
	struct lvm_report r;
	int rc;

	(void)j;
	rc = lvm_report_load(p, &r, e);
	if (rc < 0)
		return -1;
	if (rc == 0)
		lvm_report_fill(p, &r);
	lvm_report_free(&r);
	return 0;
}
