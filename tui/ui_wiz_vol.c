/* cistern — the create-volume wizard (F3): name (the extension follows
 * the format in file pools), format (only what the pool type makes),
 * capacity with a unit and a live "of N free", allocation (sparse or
 * full where the type has both), backing volume and permissions; for
 * disk pools the free extent (from the map, or the smallest that fits),
 * the partition type and the aligned size the backend will really make
 * (vol_plan). Sparse volumes may overcommit (it says so); an allocation
 * beyond the free space is refused. */
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "keys.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_map.h"
#include "ui_model.h"
#include "ui_wiz_vol.h"

static const char *const units[] = { "bytes", "KiB", "MiB", "GiB", "TiB" };

/* The wizard's pool now (NULL when another program removed it). */
struct pool *
vw_pool(struct wiz *w)
{
	struct vw *vw = w->ctx;

	return cistern_find_pool(w->ui->c, vw->pool);
}

/* The volume formats this wizard offers: what the type makes. */
static int
vw_formats(struct wiz *w, const char **out, int max)
{
	static const char *const file[] = {
		"raw", "qcow2", "qed", "vmdk", "vdi", "vpc", "qcow", NULL,
	};
	struct vw *vw = w->ctx;
	const char *const *tab = model_vol_formats(vw->type);
	struct pool *p = vw_pool(w);
	int n = 0;

	if (tab == NULL)
		return 0;
	if (vw_is(vw, POOL_TI_PARTITIONS)) {
		bool dos = p != NULL && p->nmaps > 0 &&
			   str_eq(p->maps[0].label, "dos");
		for (int i = 0; tab[i] != NULL && n < max; i++)
			if (strcmp(tab[i], "extended") != 0 || dos)
				out[n++] = tab[i];
		return n;
	}
	for (int i = 0; file[i] != NULL && n < max; i++)
		if (model_format_allowed(tab, file[i]))
			out[n++] = file[i];
	return n;
}

/* The usual file name extension of a format. */
static const char *
format_ext(const char *fmt)
{
	static const struct { const char *fmt, *ext; } map[] = {
		{ "raw", ".img" }, { "qcow2", ".qcow2" }, { "qcow", ".qcow" },
		{ "qed", ".qed" }, { "vmdk", ".vmdk" }, { "vdi", ".vdi" },
		{ "vpc", ".vhd" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(map); i++)
		if (str_eq(fmt, map[i].fmt))
			return map[i].ext;
	return NULL;
}

/* Does this format keep a backing file (and so a backing volume)? */
bool
vw_format_backs(enum pool_type t, const char *fmt)
{
	/* an LV's snapshot has its origin */
	if (pool_type_info(t)->kind & POOL_TI_VOLUME_GROUP)
		return true;
	return str_eq(fmt, "qcow2") || str_eq(fmt, "qcow") ||
	       str_eq(fmt, "qed") || str_eq(fmt, "vmdk");
}

/* Can a volume be sparse here (allocated as it is written)? */
static bool
type_sparse(enum pool_type t)
{
	return (pool_type_info(t)->kind & POOL_TI_ALLOC_CHOICE) != 0;
}

/* The capacity asked for: a number in the chosen unit, or a size with
 * its own unit ("20G"). */
int
vw_capacity(struct wiz *w, uint64_t *cap, char **why)
{
	const char *v = wiz_get(w, "cap");
	struct err e;
	uint64_t n;

	*why = NULL;
	if (*v == '\0') {
		*why = xstrdup("give the capacity (a number; the unit is "
			       "beside it, or write 20G)");
		return -1;
	}
	err_init(&e);
	if (str_to_u64(v, 10, &n) == 0) {
		const char *u = wiz_get(w, "unit");
		if (size_parse_unit(v, strcmp(u, "bytes") == 0 ? "b" : u, cap,
				    &e) < 0)
			*why = xstrdup(e.msg);
	} else if (size_parse(v, cap, &e) < 0) {
		*why = xasprintf("%s (a whole number, with a unit if you like: "
				 "20G, 512M)", e.msg);
	}
	err_clear(&e);
	if (*why == NULL && *cap == 0)
		*why = xstrdup("the capacity must be more than 0");
	return *why ? -1 : 0;
}

/* The allocation the volume will have now. */
uint64_t
vw_allocation(struct wiz *w, uint64_t cap)
{
	struct vw *vw = w->ctx;

	if (!type_sparse(vw->type) && vw_is(vw, POOL_TI_SHARED_SPACE))
		return 0;       /* an RBD image takes space as it is written */
	if (!type_sparse(vw->type) || strcmp(wiz_get(w, "alloc"), "full") == 0)
		return cap;
	return 0;
}

/* ---- disk pools: the free extent and the plan ---- */

/* Ask the backend what the request would really make. */
static void
vw_replan(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	struct vol_def *v;
	struct err e;
	uint64_t cap;
	char *why;

	vol_plan_clear(&vw->plan);
	free(vw->plan_error);
	vw->plan_error = NULL;
	if (!vw_is(vw, POOL_TI_PARTITIONS) || p == NULL)
		return;
	if (vw_capacity(w, &cap, &why) < 0) {
		vw->plan_error = why;
		return;
	}
	v = vol_def_new();
	v->name = xstrdup("new");
	v->capacity = cap;
	v->has_capacity = true;
	v->target.format = xstrdup(wiz_get(w, "format"));
	if (wiz_get(w, "extent")[0] != '\0' && !wiz_on(w, "extent_auto")) {
		v->has_want_start = true;
		v->want_start = strtoull(wiz_get(w, "extent"), NULL, 10);
	}
	err_init(&e);
	if (vol_plan(w->ui->c, p, v, &vw->plan, &e) < 0)
		vw->plan_error = xstrdup(e.msg);
	err_clear(&e);
	vol_def_free(v);
	/* the smallest extent that fits, as the backend chose it */
	if (vw->plan_error == NULL && wiz_on(w, "extent_auto")) {
		char s[32];
		snprintf(s, sizeof(s), "%" PRIu64, vw->plan.extent_start);
		wiz_set(w, "extent", s);
	}
}

/* The largest partition the backend can make in the free extent at
 * `start` (any extent when !has_start), or 0. */
static uint64_t
vw_whole(struct ui *ui, struct pool *p, const char *format, bool has_start,
	 uint64_t start)
{
	struct vol_def *v = vol_def_new();
	struct vol_plan pl;
	struct err e;
	uint64_t cap = 0;

	v->name = xstrdup("new");
	v->capacity = UINT64_MAX;
	v->has_capacity = true;
	v->target.format = xstrdup(format ? format : "none");
	v->has_want_start = has_start;
	v->want_start = start;
	err_init(&e);
	if (vol_plan(ui->c, p, v, &pl, &e) == 0)
		cap = pl.capacity;
	vol_plan_clear(&pl);
	err_clear(&e);
	vol_def_free(v);
	return cap;
}

/* The plan in words. */
char *
vw_plan_words(struct wiz *w)
{
	struct vw *vw = w->ctx;
	char a[32];

	if (vw->plan_error != NULL)
		return xasprintf("Cannot be made: %s", vw->plan_error);
	if (vw->plan.name == NULL)
		return xstrdup("");
	return xasprintf("Will make %s: %s (%" PRIu64 " bytes) at bytes %"
			 PRIu64 "-%" PRIu64 ", aligned%s%s", vw->plan.name,
			 size_pretty(vw->plan.capacity, a, sizeof(a)),
			 vw->plan.capacity, vw->plan.start, vw->plan.end,
			 vw->plan.note ? "; " : "", vw->plan.note ?
			 vw->plan.note : "");
}

/* The free extents of the disk as list rows. */
static void
extents_list(struct wiz *w)
{
	struct pool *p = vw_pool(w);
	char **items = NULL, **keys = NULL;
	size_t ni = 0, nk = 0;

	for (size_t d = 0; p != NULL && d < p->nmaps; d++)
		for (size_t i = 0; i < p->maps[d].nsegs; i++) {
			const struct map_seg *s = &p->maps[d].segs[i];
			char sz[32], *line, *key;
			if (s->kind != SEG_FREE || s->too_small)
				continue;
			size_short(s->end - s->start, sz, sizeof(sz));
			line = xasprintf("%7s at %" PRIu64 "%s", sz, s->start,
					 s->depth ?
					 " (in the extended partition)" : "");
			key = xasprintf("%" PRIu64, s->start);
			strv_push(&items, &ni, line);
			strv_push(&keys, &nk, key);
			free(line);
			free(key);
		}
	wiz_list_set(w, "extent", items, keys, (int)ni);
	strv_free(items);
	strv_free(keys);
}

/* ---- page 1: the volume ---- */

/* A new volume's name. */
static char *
check_vname(struct wiz *w, const char *v)
{
	struct pool *p = vw_pool(w);
	struct err e;
	char *why = NULL;

	if (*v == '\0')
		return xstrdup("give the volume a name");
	err_init(&e);
	if (model_check_name("volume", v, &e) < 0)
		why = xstrdup(e.msg);
	else if (p == NULL)
		why = xstrdup("the pool is gone (another program removed it)");
	else if (pool_find_vol(p, v) != NULL)
		why = xasprintf("pool %s has a volume %s already", p->def->name,
				v);
	err_clear(&e);
	return why;
}

/* The capacity: a number (with a unit, or the unit beside it). */
static char *
check_cap(struct wiz *w, const char *v)
{
	uint64_t cap;
	char *why;

	(void)v;
	return vw_capacity(w, &cap, &why) < 0 ? why : NULL;
}

/* Room for it: on a disk an extent that holds it once aligned; an
 * allocation beyond the pool's free space is refused (a sparse volume
 * may overcommit: the hint and the review say so). */
static char *
vol_leave(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	uint64_t cap, need;
	char *why, a[32], b[32], c[32];

	if (p == NULL)
		return xasprintf("pool %s is gone (another program removed it)",
				 vw->pool);
	if (vw_capacity(w, &cap, &why) < 0)
		return why;
	if (vw_is(vw, POOL_TI_PARTITIONS))
		return vw->plan_error ? xstrdup(vw->plan_error) : NULL;
	need = vw_allocation(w, cap);
	if (need > p->def->available)
		return xasprintf("%s allocated now needs %s, and pool %s has "
				 "%s free (choose sparse, or less)",
				 size_pretty(cap, a, sizeof(a)),
				 size_pretty(need, c, sizeof(c)), p->def->name,
				 size_pretty(p->def->available, b, sizeof(b)));
	return NULL;
}

/* A free extent must be picked (disk pools). */
static char *
check_extent(struct wiz *w, const char *v)
{
	(void)w;
	return *v ? NULL : xstrdup("the disk has no free extent");
}

/* "= 20.00 GiB; 44.0 MiB free" and what overcommit would mean. */
static char *
cap_hint(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	uint64_t cap, grow = 0;
	char a[32], b[32], c[32], *why = NULL;

	if (p == NULL || vw_capacity(w, &cap, &why) < 0) {
		free(why);
		return xasprintf("of %s free", p ?
				 size_short(p->def->available, b, sizeof(b)) :
				 "?");
	}
	size_pretty(cap, a, sizeof(a));
	if (vw_is(vw, POOL_TI_PARTITIONS))
		return xasprintf("= %s; made: %s", a, vw->plan.name ?
				 size_pretty(vw->plan.capacity, c, sizeof(c)) :
				 "-");
	size_short(p->def->available, b, sizeof(b));
	for (size_t i = 0; i < p->nvols; i++)
		if (p->vols[i]->capacity > p->vols[i]->allocation)
			grow += p->vols[i]->capacity - p->vols[i]->allocation;
	if (vw_allocation(w, cap) == 0 && cap + grow > p->def->available)
		return xasprintf("= %s of %s free: sparse, "
				 "overcommitted", a, b);
	return xasprintf("= %s of %s free", a, b);
}

/* Name, format, capacity and unit, allocation; the extent on disks. */
static void
vol_build(struct wiz *w)
{
	struct vw *vw = w->ctx;
	const char *fmts[16];
	int nf = vw_formats(w, fmts, 16);
	struct wfield *f;
	char *t;

	if (vw_is(vw, POOL_TI_PARTITIONS)) {
		vw_replan(w);
		t = xasprintf("Name: %s (disk pool volumes are named as their "
			      "partitions)", vw->plan.name ? vw->plan.name :
			      "-");
		wiz_info(w, "nameinfo", t, 1);
		free(t);
	} else {
		wiz_text(w, "name", "Name", check_vname);
	}
	if (nf > 0)
		wiz_choice(w, "format", vw_is(vw, POOL_TI_PARTITIONS) ?
			   "Partition type" : "Format", fmts, nf);
	f = wiz_text(w, "cap", "Capacity", check_cap);
	f->width = 14;
	f->base.hint = cap_hint(w);
	wiz_choice(w, "unit", "Unit", units, 5);
	if (type_sparse(vw->type)) {
		static const char *const al[] = { "sparse", "full" };
		wiz_choice(w, "alloc", "Allocation", al, 2);
		wiz_info(w, "allocinfo", "sparse: takes space as it is written "
			 "(may overcommit); full: all of it now", 1);
	}
	if (vw_is(vw, POOL_TI_PARTITIONS)) {
		wiz_list(w, "extent", "Free extent (the smallest that fits, or "
			 "pick one)", 4, false, check_extent);
		extents_list(w);
		t = vw_plan_words(w);
		wiz_info(w, "plan", t, 2);
		free(t);
	}
}

/* Keep the hints, the extension and the plan in step. */
static void
vol_change(struct wiz *w, const char *id)
{
	struct vw *vw = w->ctx;
	char *t;

	if (strcmp(id, "format") == 0 && !vw_is(vw, POOL_TI_PARTITIONS)) {
		/* swap a known extension for the new format's */
		static const char *const known[] = {
			".img", ".raw", ".qcow2", ".qcow", ".qed", ".vmdk",
			".vdi", ".vhd",
		};
		const char *name = wiz_get(w, "name");
		const char *dot = strrchr(name, '.');
		const char *ext = format_ext(wiz_get(w, "format"));
		for (size_t i = 0; dot != NULL && dot != name && ext != NULL &&
		     i < ARRAY_SIZE(known); i++) {
			if (strcmp(dot, known[i]) != 0)
				continue;
			t = xasprintf("%.*s%s", (int)(dot - name), name, ext);
			wiz_set(w, "name", t);
			wiz_put(w, "name");
			free(t);
			break;
		}
	}
	if (strcmp(id, "extent") == 0)
		wiz_set(w, "extent_auto", "0");
	if (strcmp(id, "cap") == 0 || strcmp(id, "unit") == 0)
		vw->cap_typed = true;
	if (vw_is(vw, POOL_TI_PARTITIONS) && (strcmp(id, "cap") == 0 ||
				      strcmp(id, "unit") == 0 ||
				      strcmp(id, "format") == 0 ||
				      strcmp(id, "extent") == 0)) {
		vw_replan(w);
		t = vw_plan_words(w);
		wiz_set_text(w, "plan", t);
		free(t);
		t = xasprintf("Name: %s (disk pool volumes are named as their "
			      "partitions)", vw->plan.name ? vw->plan.name :
			      "-");
		wiz_set_text(w, "nameinfo", t);
		free(t);
	}
	t = cap_hint(w);
	wiz_hint(w, "cap", t);
	free(t);
}

/* ---- page 2: backing volume and permissions ---- */

/* Only where there is something to choose. */
static bool
more_skip(struct wiz *w)
{
	struct vw *vw = w->ctx;

	/* backing volumes and permissions are files' and LVs' */
	return !vw_is(vw, POOL_TI_FILES | POOL_TI_VOLUME_GROUP);
}

/* The volumes a new one can be backed by: this pool's first (the only
 * ones for LVM snapshots), then those of the other running file pools. */
static void
backing_list(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct cistern *c = w->ui->c;
	char **items = NULL, **keys = NULL;
	size_t ni = 0, nk = 0;

	strv_push(&items, &ni, "(none)");
	strv_push(&keys, &nk, "");
	for (int pass = 0; pass < 2; pass++)
		for (size_t k = 0; k < c->npools && ni < 2000; k++) {
			struct pool *p = c->pools[k];
			bool self = strcmp(p->def->name, vw->pool) == 0;
			if ((pass == 0) != self || !pool_is_active(p) ||
			    (vw_is(vw, POOL_TI_VOLUME_GROUP) && !self) ||
			    (!vw_is(vw, POOL_TI_VOLUME_GROUP) &&
			     !(pool_type_info(p->def->type)->kind &
			       POOL_TI_FILES)))
				continue;
			for (size_t i = 0; i < p->nvols && ni < 2000; i++) {
				const struct vol_def *v = p->vols[i];
				char *line = xasprintf("%s/%s  (%s)",
						       p->def->name,
						       v->name,
						       v->target.format ?
						       v->target.format : "-");
				strv_push(&items, &ni, line);
				strv_push(&keys, &nk, v->target.path ?
					  v->target.path : "");
				free(line);
			}
		}
	wiz_list_set(w, "backing", items, keys, (int)ni);
	strv_free(items);
	strv_free(keys);
}

/* An octal mode, or nothing. */
static char *
check_vmode(struct wiz *w, const char *v)
{
	uint64_t m;

	(void)w;
	if (*v == '\0' || (str_to_u64(v, 8, &m) == 0 && m <= 0777))
		return NULL;
	return xasprintf("'%s' is not an octal mode (0600, 0644, ...)", v);
}

/* A user or group, by name or number, or nothing. */
static char *
check_vid(struct wiz *w, const char *v)
{
	uint64_t n;

	(void)w;
	if (*v == '\0' || str_to_u64(v, 10, &n) == 0 || getpwnam(v) != NULL ||
	    getgrnam(v) != NULL)
		return NULL;
	return xasprintf("there is no user or group '%s'", v);
}

/* Backing volume (formats that have one) and permissions. */
static void
more_build(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct wfield *f;

	if (vw_format_backs(vw->type, wiz_get(w, "format"))) {
		wiz_list(w, "backing", vw_is(vw, POOL_TI_VOLUME_GROUP) ?
			 "Snapshot of (an LV of this pool, or none)" :
			 "Backing volume (reads fall through to it)", 6, false,
			 NULL);
		backing_list(w);
	} else {
		char *t = xasprintf("A %s volume has no backing volume.",
				    wiz_get(w, "format"));
		wiz_info(w, "nobacking", t, 1);
		free(t);
	}
	f = wiz_text(w, "mode", "Mode", check_vmode);
	f->width = 6;
	f->base.hint = xstrdup("octal; empty: 0600");
	f = wiz_text(w, "owner", "Owner", check_vid);
	f->width = 12;
	f = wiz_text(w, "group", "Group", check_vid);
	f->width = 12;
}

static void whole_unit(uint64_t bytes, char *num, size_t n,
		       const char **unit);

/* An overlay is as large as its backing volume unless the operator
 * said otherwise. */
static void
more_change(struct wiz *w, const char *id)
{
	struct vw *vw = w->ctx;
	struct cistern *c = w->ui->c;
	const char *path = wiz_get(w, "backing");
	const char *unit;
	char num[32];

	if (strcmp(id, "backing") != 0 || vw->cap_typed || path[0] == '\0')
		return;
	for (size_t k = 0; k < c->npools; k++)
		for (size_t i = 0; i < c->pools[k]->nvols; i++) {
			const struct vol_def *v = c->pools[k]->vols[i];
			if (!str_eq(v->target.path, path) || v->capacity == 0)
				continue;
			whole_unit(v->capacity, num, sizeof(num), &unit);
			wiz_set(w, "cap", num);
			wiz_set(w, "unit", unit);
			return;
		}
}

static const struct wpage vol_pages[] = {
	{ "The volume", NULL, vol_build, vol_change, NULL, NULL, vol_leave },
	{ "Backing volume and permissions", more_skip, more_build, more_change,
	  NULL, NULL, NULL },
	{ "Review", NULL, vw_review_build, NULL, NULL, NULL, NULL },
};

/* Free the wizard's state. */
static void
vw_free(struct wiz *w)
{
	struct vw *vw = w->ctx;

	vol_plan_clear(&vw->plan);
	free(vw->plan_error);
	free(vw->pool);
	free(vw);
}

static const struct wiz_ops vol_wizard = {
	.title = "New volume",
	.pages = vol_pages,
	.npages = (int)ARRAY_SIZE(vol_pages),
	.finish = "Create",
	.done = vw_done,
	.free = vw_free,
};

/* A name no volume of the pool has yet: vol1.img, vol2.img, ... */
static char *
free_name(struct pool *p, const char *ext)
{
	for (int i = 1;; i++) {
		char *n = xasprintf("vol%d%s", i, ext ? ext : "");
		if (pool_find_vol(p, n) == NULL)
			return n;
		free(n);
	}
}

/* The unit in which a size is a whole number, and that number. */
static void
whole_unit(uint64_t bytes, char *num, size_t n, const char **unit)
{
	int u = 4;

	while (u > 0 && bytes % ((uint64_t)1 << (10 * u)) != 0)
		u--;
	snprintf(num, n, "%" PRIu64, bytes >> (10 * u));
	*unit = units[u];
}

/* F3: the create-volume wizard, on the free extent selected in the
 * map if there is one. */
ACT(act_vol_create)
{
	struct pool *p = ui_pool(ui);
	struct vw *vw = xcalloc(1, sizeof(*vw));
	struct wiz *w;
	uint64_t start, size;
	const char *def = model_vol_default_format(p->def->type), *unit;
	char num[32];

	vw->pool = xstrdup(p->def->name);
	vw->type = p->def->type;
	wiz_open(ui, &vol_wizard, vw);
	w = wiz_top(ui);
	/* the first page is built: fill in its defaults and build it again */
	wiz_set(w, "unit", "GiB");
	wiz_set(w, "cap", "1");
	wiz_set(w, "alloc", "sparse");
	if (def != NULL)
		wiz_set(w, "format", def);
	if (!vw_is(vw, POOL_TI_PARTITIONS)) {
		/* only files are named with an extension (not RBD images) */
		char *n = free_name(p, !vw_is(vw, POOL_TI_FILES) ? NULL :
				    format_ext(def));
		wiz_set(w, "name", n);
		free(n);
	}
	wiz_set(w, "extent_auto", "1");
	if (vw_is(vw, POOL_TI_PARTITIONS) && !map_free_selected(ui, &start, &size)) {
		/* 1 GiB, or the largest partition that can be made when
		 * less */
		uint64_t largest = vw_whole(ui, p, def, false, 0);
		if (largest > 0 && largest < ((uint64_t)1 << 30)) {
			whole_unit(largest, num, sizeof(num), &unit);
			wiz_set(w, "cap", num);
			wiz_set(w, "unit", unit);
		}
	}
	if (map_free_selected(ui, &start, &size)) {
		/* "create a partition here": the largest it can hold once
		 * aligned (as cfdisk offers) */
		uint64_t whole = vw_whole(ui, p, def, true, start);
		snprintf(num, sizeof(num), "%" PRIu64, start);
		wiz_set(w, "extent", num);
		wiz_set(w, "extent_auto", "0");
		whole_unit(whole ? whole : size, num, sizeof(num), &unit);
		wiz_set(w, "cap", num);
		wiz_set(w, "unit", unit);
		vw->from_map = true;
	}
	wiz_relayout(w);
	return UI_DRAW;
}
