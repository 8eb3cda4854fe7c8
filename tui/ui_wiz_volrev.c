/* cistern — the create-volume wizard's review: what Create will do in
 * words (the overcommit said), the XML of the new volume, and Create
 * itself (a job). */
#include <grp.h>
#include <inttypes.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/build.h"
#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_wiz_vol.h"

/* A user or group as a number. */
static int64_t
vid(const char *v, bool group)
{
	uint64_t n;

	if (*v == '\0')
		return -1;
	if (str_to_u64(v, 10, &n) == 0)
		return (int64_t)n;
	if (group) {
		struct group *g = getgrnam(v);
		return g ? (int64_t)g->gr_gid : -1;
	}
	struct passwd *p = getpwnam(v);
	return p ? (int64_t)p->pw_uid : -1;
}

/* The new volume as vol-create-as's arguments (core/build.h); `name`
 * holds the name's storage. */
static void
vw_args(struct wiz *w, struct vol_args *a, char **name)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	uint64_t cap = 0, mode;
	char *why = NULL;
	const char *bk = wiz_get(w, "backing");

	if (vw_capacity(w, &cap, &why) < 0)
		free(why);
	vol_args_init(a);
	if (vw_is(vw, POOL_TI_PARTITIONS))
		*name = xstrdup(vw->plan.name ? vw->plan.name : "?");
	else
		*name = xstrdup(wiz_get(w, "name"));
	a->name = *name;
	if (vw_is(vw, POOL_TI_PARTITIONS) && p != NULL && p->def->source.ndevices > 0 &&
	    vw->plan.name != NULL) {
		a->device = p->def->source.devices[0].path;
		a->has_start = true;
		a->start = vw->plan.extent_start;
	}
	a->capacity = cap;
	a->has_allocation = true;
	a->allocation = vw_allocation(w, cap);
	a->format = wiz_get(w, "format");
	if (str_to_u64(wiz_get(w, "mode"), 8, &mode) == 0)
		a->mode = (int64_t)mode;
	a->uid = vid(wiz_get(w, "owner"), false);
	a->gid = vid(wiz_get(w, "group"), true);
	if (*bk && vw_format_backs(vw->type, wiz_get(w, "format"))) {
		const struct vol_def *bv = cistern_find_vol(w->ui->c, NULL, bk,
							    NULL, NULL);
		a->backing_path = bk;
		if (bv != NULL)
			a->backing_format = bv->target.format;
	}
}

/* The new volume's XML (what vol-create-as --print-xml shows). */
static char *
vw_xml(struct wiz *w)
{
	struct vol_args a;
	char *name, *xml;

	vw_args(w, &a, &name);
	xml = vol_args_xml(&a);
	free(name);
	return xml;
}

/* What Create will do, in words. */
static char *
review_words(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	uint64_t cap = 0;
	char a[32], b[32], *why = NULL, *t;
	struct sbuf s;

	if (p == NULL || vw_capacity(w, &cap, &why) < 0) {
		free(why);
		return xstrdup("The pool is gone.");
	}
	sbuf_init(&s);
	if (vw_is(vw, POOL_TI_PARTITIONS)) {
		t = vw_plan_words(w);
		sbuf_printf(&s, "%s.\n", t);
		free(t);
	} else {
		const char *fmt = wiz_get(w, "format");
		sbuf_printf(&s, "Create %s%s%s%s in pool %s: %s, %s.\n",
			    wiz_get(w, "name"), *fmt ? " (" : "", fmt,
			    *fmt ? ")" : "", p->def->name,
			    size_pretty(cap, a, sizeof(a)),
			    vw_allocation(w, cap) ? "all of it allocated now" :
			    "sparse (space is taken as it is written)");
		if (vw_allocation(w, cap) == 0 && cap > p->def->available)
			sbuf_printf(&s, "Warning: it may grow past the %s "
				    "free in the pool (overcommit).\n",
				    size_pretty(p->def->available, b,
						sizeof(b)));
	}
	if (wiz_get(w, "backing")[0] &&
	    vw_format_backs(vw->type, wiz_get(w, "format")))
		sbuf_printf(&s, "Backed by %s.\n", wiz_get(w, "backing"));
	return sbuf_take(&s);
}

/* The review: what will happen and the XML. */
void
vw_review_build(struct wiz *w)
{
	char *t = review_words(w), *x = vw_xml(w);

	wiz_info(w, "what", t, 4);
	wiz_view(w, "xml", "XML (Up/Down scroll)", x, 12);
	free(t);
	free(x);
}

/* Create: the volume as a job. */
int
vw_done(struct ui *ui, struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	struct vol_args a;
	struct vol_def *v;
	struct err e;
	char *name;

	if (p == NULL) {
		wiz_error(w, "Pool %s is gone (another program removed it).",
			  vw->pool);
		return -1;
	}
	err_init(&e);
	vw_args(w, &a, &name);
	v = vol_args_def(&a, p->def->type, "the new volume", NULL, &e);
	free(name);
	if (v == NULL) {
		wiz_error(w, "%s", e.msg);
		err_clear(&e);
		return -1;
	}
	err_clear(&e);
	return ui_vol_create(ui, vw->pool, v, 0);
}
