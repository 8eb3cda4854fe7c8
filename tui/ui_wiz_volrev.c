/* cistern — the create-volume wizard's review: what Create will do in
 * words (the overcommit said), the XML of the new volume, and Create
 * itself (a job). */
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

/* The new volume's XML. */
static char *
vw_xml(struct wiz *w)
{
	struct vw *vw = w->ctx;
	struct pool *p = vw_pool(w);
	struct sbuf b;
	uint64_t cap = 0, mode;
	char *why = NULL, *name;
	const char *bk = wiz_get(w, "backing");

	if (vw_capacity(w, &cap, &why) < 0)
		free(why);
	if (vw->type == POOL_DISK)
		name = xstrdup(vw->plan.name ? vw->plan.name : "?");
	else
		name = xstrdup(wiz_get(w, "name"));
	sbuf_init(&b);
	sbuf_add(&b, "<volume>\n");
	b.indent = 2;
	xml_elem(&b, "name", name);
	if (vw->type == POOL_DISK && p != NULL && p->def->source.ndevices > 0 &&
	    vw->plan.name != NULL) {
		sbuf_line(&b, "<source>\n");
		sbuf_line(&b, "  <device path='");
		xml_escape(&b, p->def->source.devices[0].path);
		sbuf_printf(&b, "'>\n");
		sbuf_line(&b, "    <extent start='%" PRIu64 "' end='%" PRIu64
			  "'/>\n", vw->plan.extent_start, vw->plan.end);
		sbuf_line(&b, "  </device>\n");
		sbuf_line(&b, "</source>\n");
	}
	sbuf_line(&b, "<capacity unit='bytes'>%" PRIu64 "</capacity>\n", cap);
	sbuf_line(&b, "<allocation unit='bytes'>%" PRIu64 "</allocation>\n",
		  vw_allocation(w, cap));
	if (wiz_get(w, "format")[0] || wiz_get(w, "mode")[0] ||
	    wiz_get(w, "owner")[0] || wiz_get(w, "group")[0]) {
		struct perms pm;
		perms_init(&pm);
		if (str_to_u64(wiz_get(w, "mode"), 8, &mode) == 0)
			pm.mode = (int64_t)mode;
		pm.uid = vid(wiz_get(w, "owner"), false);
		pm.gid = vid(wiz_get(w, "group"), true);
		sbuf_line(&b, "<target>\n");
		b.indent += 2;
		xml_empty_attr(&b, "format", "type", wiz_get(w, "format")[0] ?
			       wiz_get(w, "format") : NULL);
		xml_perms_format(&b, &pm);
		b.indent -= 2;
		sbuf_line(&b, "</target>\n");
	}
	if (*bk && vw_format_backs(vw->type, wiz_get(w, "format"))) {
		const struct vol_def *bv = cistern_find_vol(w->ui->c, NULL, bk,
							    NULL, NULL);
		sbuf_line(&b, "<backingStore>\n");
		b.indent += 2;
		xml_elem(&b, "path", bk);
		if (bv != NULL && bv->target.format != NULL)
			xml_empty_attr(&b, "format", "type", bv->target.format);
		b.indent -= 2;
		sbuf_line(&b, "</backingStore>\n");
	}
	b.indent = 0;
	sbuf_add(&b, "</volume>\n");
	free(name);
	return sbuf_take(&b);
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
	if (vw->type == POOL_DISK) {
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
	char *xml = vw_xml(w);
	struct vol_def *v;
	struct err e;

	if (p == NULL) {
		wiz_error(w, "Pool %s is gone (another program removed it).",
			  vw->pool);
		free(xml);
		return -1;
	}
	err_init(&e);
	v = vol_def_parse(xml, strlen(xml), "the new volume", p->def->type, 0,
			  &e);
	free(xml);
	if (v == NULL) {
		wiz_error(w, "%s", e.msg);
		err_clear(&e);
		return -1;
	}
	err_clear(&e);
	return ui_vol_create(ui, vw->pool, v, 0);
}
