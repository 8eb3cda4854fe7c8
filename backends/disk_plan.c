/* cistern — disk pools: where a new partition goes.
 *
 * libvirt's rule picks the smallest free extent that fits; cistern says
 * "fits" after alignment. The start is aligned up to libparted's optimal
 * alignment (1 MiB on ordinary disks); the end grows to the next cylinder
 * boundary on dos (as libvirt aligns dos partitions), else to the next
 * alignment boundary, but never past the free extent. A logical partition
 * leaves a sector for its EBR before it. On dos a partition is primary
 * while a primary slot is free; the last slot becomes an extended
 * partition over the whole free extent, holding the new partition as the
 * first logical one; once the four slots are used, only the extended
 * partition's free space is left. A request for DPLAN_WHOLE bytes asks
 * for the largest partition the extent can hold (the largest extent when
 * none is named).
 */
#include "disk.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "../core/util.h"

/* Round `x` up to a multiple of `a`. */
static uint64_t
align_up(uint64_t x, uint64_t a)
{
	return a > 1 ? (x + a - 1) / a * a : x;
}

/* Geometry of a partition of `size` bytes in the free extent `f`, as
 * `kind` (a new extended partition around it with `new_ext`). Returns
 * false when it does not fit. */
static bool
plan_in(const struct dlayout *l, const struct dpart *f, uint64_t size,
	enum seg_kind kind, bool new_ext, struct dplan *pl)
{
	uint64_t g = l->grain ? l->grain : l->sector;
	uint64_t s, e, e1, need;
	uint64_t unit = l->cylinder ? l->cylinder : g;

	memset(pl, 0, sizeof(*pl));
	pl->kind = kind;
	pl->new_extended = new_ext;
	pl->extent_start = f->start;
	if (new_ext) {
		pl->ext_start = align_up(f->start, g);
		pl->ext_end = f->end;
		s = align_up(pl->ext_start + l->sector, g);
	} else if (kind == SEG_LOGICAL) {
		s = align_up(f->start + l->sector, g);
	} else {
		s = align_up(f->start, g);
	}
	if (size == DPLAN_WHOLE)
		need = s < f->end ? (f->end - s) / l->sector * l->sector : 0;
	else
		need = align_up(size, l->sector);
	if (need == 0 || s >= f->end || need > f->end - s)
		return false;
	e = s + need;
	e1 = align_up(e, unit);
	if (e1 > f->end)
		e1 = align_up(e, g);
	if (e1 > f->end)
		e1 = f->end;
	pl->start = s;
	pl->end = e1;
	return true;
}

/* Can free extent `f` hold a partition at all once its start is aligned
 * (the gap before the first partition of a gpt disk cannot)? */
bool
dplan_usable(const struct dlayout *l, const struct dpart *f)
{
	uint64_t g = l->grain ? l->grain : l->sector;
	uint64_t s = align_up(f->start + (f->depth > 0 ? l->sector : 0), g);

	return s < f->end && f->end - s >= g;
}

/* What a new partition in free extent `f` has to be on this label, or an
 * error (no slot left). */
static int
kind_for(const struct dlayout *l, const struct dpart *f, const char *format,
	 const char *dev, enum seg_kind *kind, bool *new_ext, struct err *e)
{
	int used = 0, ext = 0;

	*new_ext = false;
	for (size_t i = 0; i < l->nparts; i++) {
		if (l->parts[i].kind == SEG_EXTENDED)
			ext = l->parts[i].num;
		if (l->parts[i].kind == SEG_PRIMARY ||
		    l->parts[i].kind == SEG_EXTENDED)
			used++;
	}
	if (!str_eq(l->label, "dos")) {
		if (f->depth > 0)
			return err_setc(e, ERR_UNSUPPORTED,
					"the free extent at %" PRIu64 " is inside "
					"partition %d of the %s label on '%s'; "
					"cistern makes partitions outside it",
					f->start, ext, l->label, dev);
		if (used >= l->max_parts)
			return err_setc(e, ERR_REFUSED,
					"the %s label on '%s' is full: it holds "
					"at most %d partitions", l->label, dev,
					l->max_parts);
		*kind = SEG_PRIMARY;
		return 0;
	}
	if (str_eq(format, "extended")) {
		if (ext)
			return err_setc(e, ERR_EXISTS,
					"the dos label on '%s' has an extended "
					"partition already (number %d)", dev, ext);
		if (f->depth > 0 || used >= l->max_parts)
			goto no_slot;
		*kind = SEG_EXTENDED;
		return 0;
	}
	if (f->depth > 0) {
		*kind = SEG_LOGICAL;
		return 0;
	}
	if (used < l->max_parts - 1 || (used == l->max_parts - 1 && ext)) {
		*kind = SEG_PRIMARY;
		return 0;
	}
	if (used == l->max_parts - 1) {
		*kind = SEG_LOGICAL;
		*new_ext = true;
		return 0;
	}
no_slot:
	if (ext)
		return err_setc(e, ERR_REFUSED,
				"the dos label on '%s' has its %d primary "
				"partitions already; a new partition must go in "
				"the free space of the extended partition %d",
				dev, l->max_parts, ext);
	return err_setc(e, ERR_REFUSED,
			"the dos label on '%s' has %d primary partitions and "
			"no extended one: there is no room for another "
			"partition", dev, l->max_parts);
}

/* The named free extent, or an error listing the free extents. */
static const struct dpart *
named_extent(const struct dlayout *l, uint64_t start, const char *dev,
	     struct err *e)
{
	struct sbuf b;

	for (size_t i = 0; i < l->nparts; i++)
		if (l->parts[i].kind == SEG_FREE && l->parts[i].start == start)
			return &l->parts[i];
	sbuf_init(&b);
	for (size_t i = 0; i < l->nparts; i++)
		if (l->parts[i].kind == SEG_FREE)
			sbuf_printf(&b, "%s%" PRIu64, b.len ? ", " : "",
				    l->parts[i].start);
	err_setc(e, ERR_INVALID, "%" PRIu64 " is not the start of a free "
		 "extent on '%s' (free extents start at: %s)", start, dev,
		 b.len ? b.s : "none, the disk is full");
	sbuf_free(&b);
	return NULL;
}

/* Where a new partition goes (see the top of the file). */
int
dplan_make(const struct dlayout *l, const struct dplan_req *rq,
	   const char *dev, struct dplan *pl, struct err *e)
{
	const struct dpart *best = NULL, *largest = NULL;
	struct dplan cand;
	struct err first;
	enum seg_kind kind;
	bool new_ext, kind_ok = false;
	int rc = -1;

	if (rq->has_start) {
		const struct dpart *f = named_extent(l, rq->start, dev, e);
		if (f == NULL)
			return -1;
		if (kind_for(l, f, rq->format, dev, &kind, &new_ext, e) < 0)
			return -1;
		if (!plan_in(l, f, rq->size, kind, new_ext, pl))
			return err_setc(e, ERR_INVALID,
					"the free extent at %" PRIu64 " on '%s' "
					"(%" PRIu64 " bytes) cannot hold %" PRIu64
					" bytes once aligned", f->start, dev,
					f->end - f->start, rq->size);
		return 0;
	}
	/* primary (or new extended) places first, then logical ones: as
	 * libvirt, a primary partition is made while a slot is free */
	err_init(&first);
	for (int pass = 0; pass < 2 && best == NULL; pass++) {
		for (size_t i = 0; i < l->nparts; i++) {
			const struct dpart *f = &l->parts[i];
			struct err ke;

			if (f->kind != SEG_FREE || f->depth != pass)
				continue;
			err_init(&ke);
			if (kind_for(l, f, rq->format, dev, &kind, &new_ext,
				     &ke) < 0) {
				if (!err_isset(&first))
					err_move(&first, &ke);
				err_clear(&ke);
				continue;
			}
			kind_ok = true;
			if (largest == NULL ||
			    f->end - f->start > largest->end - largest->start)
				largest = f;
			if (!plan_in(l, f, rq->size, kind, new_ext, &cand))
				continue;
			/* the whole of an extent: the largest one */
			if (best == NULL || (rq->size == DPLAN_WHOLE ?
			    f->end - f->start > best->end - best->start :
			    f->end - f->start < best->end - best->start)) {
				best = f;
				*pl = cand;
			}
		}
	}
	if (best != NULL)
		rc = 0;
	else if (!kind_ok && err_isset(&first))
		err_move(e, &first);
	else if (largest == NULL)
		err_setc(e, ERR_REFUSED, "'%s' has no free space left", dev);
	else
		err_setc(e, ERR_REFUSED, "no free extent on '%s' can hold %"
			 PRIu64 " bytes (the largest is %" PRIu64 " bytes at %"
			 PRIu64 ")", dev, rq->size,
			 largest->end - largest->start, largest->start);
	err_clear(&first);
	return rc;
}
