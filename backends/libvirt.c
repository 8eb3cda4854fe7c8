/* cistern — the libvirt engine's pools (virStoragePool*): loaded,
 * defined, started, stopped, refreshed; pools and volumes are read back
 * as libvirt writes them (its XML, through core's parser), so the faces
 * see the same struct pool and vol_def as with the local engine. The
 * connection is in libvirt_conn.c, volumes in libvirt_vol.c and
 * libvirt_list.c, events in libvirt_events.c. */
#include "libvirt.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"

/* A new struct pool from libvirt's pool: its live XML, its state and
 * sizes, autostart. NULL with e set. */
static struct pool *
lv_pool_read(struct cistern *c, virStoragePoolPtr pp, struct err *e)
{
	const char *name = virt.virStoragePoolGetName(pp);
	virStoragePoolInfo info;
	struct pool_def *d;
	struct pool *p;
	char *xml;
	int as = 0;

	xml = virt.virStoragePoolGetXMLDesc(pp, 0);
	if (xml == NULL)
		return lv_fail(c, e, "pool '%s'", name), NULL;
	char *origin = xasprintf("libvirt's pool '%s'", name);
	d = pool_def_parse(xml, strlen(xml), origin, e);
	free(origin);
	free(xml);
	if (d == NULL)
		return NULL;
	if (virt.virStoragePoolGetInfo(pp, &info) < 0 ||
	    virt.virStoragePoolGetAutostart(pp, &as) < 0) {
		pool_def_free(d);
		return lv_fail(c, e, "pool '%s'", name), NULL;
	}
	p = pool_new(c, d);
	if (info.state < (int)POOL_STATE_COUNT)
		p->state = (enum pool_state)info.state;
	if (p->state != POOL_INACTIVE) {
		d->capacity = info.capacity;
		d->allocation = info.allocation;
		d->available = info.available;
	}
	p->autostart = as > 0;
	if (virt.virStoragePoolIsPersistent(pp) == 0)
		pool_set_fact(p, "persistent", "no");
	return p;
}

virStoragePoolPtr
lv_pool(struct cistern *c, const struct pool *p, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	virStoragePoolPtr pp;

	if (conn == NULL)
		return NULL;
	pp = virt.virStoragePoolLookupByUUID(conn, p->def->uuid);
	if (pp == NULL)
		pp = virt.virStoragePoolLookupByName(conn, p->def->name);
	if (pp == NULL)
		lv_fail(c, e, "pool '%s'", p->def->name);
	return pp;
}

int
lv_pool_update(struct cistern *c, struct pool *p, bool vols, struct job *j,
	       struct err *e)
{
	virStoragePoolPtr pp = lv_pool(c, p, e);
	struct pool *fresh;
	int rc = 0;

	if (pp == NULL)
		return -1;
	fresh = lv_pool_read(c, pp, e);
	if (fresh == NULL) {
		virt.virStoragePoolFree(pp);
		return -1;
	}
	p = cistern_adopt_pool(c, fresh);
	if (vols && pool_is_active(p))
		rc = lv_vol_list(c, p, pp, false, j, e);
	virt.virStoragePoolFree(pp);
	return rc;
}

static int
cmp_pool_names(const void *a, const void *b)
{
	const struct pool *const *x = a, *const *y = b;

	return strcmp((*x)->def->name, (*y)->def->name);
}

/* Every pool of the connection; with `full`, the volumes of the running
 * ones too (`what`: 0 in full; VOL_LIST_NAMES their names in file pools,
 * one request a pool, and none in the others), and quietly: c's list is
 * left alone and nothing goes through c->warn (a thread may run it while
 * the faces use c). */
static int
lv_load_pools(struct cistern *c, bool full, int what, struct pool ***out,
	      size_t *n, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	virStoragePoolPtr *pps = NULL;
	struct pool **pools;
	int np, rc = 0;
	size_t k = 0;

	if (conn == NULL)
		return -1;
	np = virt.virConnectListAllStoragePools(conn, &pps, 0);
	if (np < 0)
		return lv_fail(c, e, "cannot list the pools");
	pools = xcalloc((size_t)np + 1, sizeof(*pools));
	for (int i = 0; i < np; i++) {
		struct err pe;
		err_init(&pe);
		if (rc == 0)
			pools[k] = lv_pool_read(c, pps[i], &pe);
		if (rc == 0 && pools[k] != NULL) {
			struct pool *p = pools[k++];
			bool file = p->def->type == POOL_DIR ||
				    p->def->type == POOL_FS ||
				    p->def->type == POOL_NETFS;
			if (full && pool_is_active(p) && (what == 0 || file) &&
			    lv_vol_list_as(c, p, pps[i], file ? what : 0, true,
					   NULL, &pe) < 0) {
				p->error = xstrdup(pe.msg);
				p->refreshed = true;
			}
		}
		if (rc == 0 && pe.msg[0] != '\0' &&
		    str_startswith(pe.msg, "cannot reach")) {
			err_move(e, &pe);
			rc = -1;
		} else if (rc == 0 && pe.msg[0] != '\0' && !full && c->warn) {
			c->warn(c->warn_arg, pe.msg);
		}
		err_clear(&pe);
		virt.virStoragePoolFree(pps[i]);
	}
	free(pps);
	if (rc < 0) {
		for (size_t i = 0; i < k; i++)
			pool_discard(pools[i]);
		free(pools);
		return -1;
	}
	/* as virsh lists them */
	qsort(pools, k, sizeof(*pools), cmp_pool_names);
	*out = pools;
	*n = k;
	return 0;
}

static int
lv_load(struct cistern *c, struct pool ***out, size_t *n, struct err *e)
{
	return lv_load_pools(c, false, 0, out, n, e);
}

static int
lv_load_full(struct cistern *c, int what, struct pool ***out, size_t *n,
	     struct err *e)
{
	return lv_load_pools(c, true, what, out, n, e);
}

/* Define the pool, or (create) make it transient and start it. */
static struct pool *
lv_pool_from_def(struct cistern *c, const struct pool_def *d, bool create,
		 struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	virStoragePoolPtr pp;
	struct pool *p;
	char *xml;

	if (conn == NULL)
		return NULL;
	xml = pool_def_format(d, POOL_XML_INACTIVE);
	pp = create ? virt.virStoragePoolCreateXML(conn, xml, 0) :
		      virt.virStoragePoolDefineXML(conn, xml, 0);
	free(xml);
	if (pp == NULL)
		return lv_fail(c, e, "pool '%s'", d->name), NULL;
	p = lv_pool_read(c, pp, e);
	virt.virStoragePoolFree(pp);
	return p;
}

static struct pool *
lv_pool_define(struct cistern *c, const struct pool_def *d, struct err *e)
{
	return lv_pool_from_def(c, d, false, e);
}

static struct pool *
lv_pool_create(struct cistern *c, const struct pool_def *d, struct err *e)
{
	return lv_pool_from_def(c, d, true, e);
}

/* The pattern of the simple pool operations: look the pool up, call,
 * bring p up to date. */
#define LV_POOL_OP(c, p, e, call, vols) \
	do { \
		virStoragePoolPtr pp = lv_pool((c), (p), (e)); \
		int r_; \
		if (pp == NULL) \
			return -1; \
		r_ = (call); \
		if (r_ < 0) { \
			lv_fail((c), (e), "pool '%s'", (p)->def->name); \
			virt.virStoragePoolFree(pp); \
			return -1; \
		} \
		virt.virStoragePoolFree(pp); \
		return lv_pool_update((c), (p), (vols), NULL, (e)); \
	} while (0)

static int
lv_pool_undefine(struct cistern *c, struct pool *p, struct err *e)
{
	virStoragePoolPtr pp = lv_pool(c, p, e);
	int rc;

	if (pp == NULL)
		return -1;
	rc = virt.virStoragePoolUndefine(pp);
	if (rc < 0)
		lv_fail(c, e, "pool '%s'", p->def->name);
	virt.virStoragePoolFree(pp);
	return rc < 0 ? -1 : 0;
}

static int
lv_pool_set_autostart(struct cistern *c, struct pool *p, bool on,
		      struct err *e)
{
	LV_POOL_OP(c, p, e, virt.virStoragePoolSetAutostart(pp, on ? 1 : 0),
		   false);
}

static int
lv_pool_build(struct cistern *c, struct pool *p, unsigned flags,
	      struct job *j, struct err *e)
{
	unsigned lf = 0;

	(void)j;
	if (flags & POOL_BUILD_OVERWRITE)
		lf |= VIR_STORAGE_POOL_BUILD_OVERWRITE;
	if (flags & POOL_BUILD_NO_OVERWRITE)
		lf |= VIR_STORAGE_POOL_BUILD_NO_OVERWRITE;
	LV_POOL_OP(c, p, e, virt.virStoragePoolBuild(pp, lf), false);
}

static int
lv_pool_start(struct cistern *c, struct pool *p, unsigned flags,
	      struct job *j, struct err *e)
{
	unsigned lf = 0;

	(void)j;
	if (flags & POOL_START_BUILD)
		lf |= VIR_STORAGE_POOL_CREATE_WITH_BUILD;
	if (flags & POOL_BUILD_OVERWRITE)
		lf |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_OVERWRITE;
	if (flags & POOL_BUILD_NO_OVERWRITE)
		lf |= VIR_STORAGE_POOL_CREATE_WITH_BUILD_NO_OVERWRITE;
	LV_POOL_OP(c, p, e, virt.virStoragePoolCreate(pp, lf), true);
}

static int
lv_pool_stop(struct cistern *c, struct pool *p, unsigned flags,
	     struct err *e)
{
	(void)flags;
	virStoragePoolPtr pp = lv_pool(c, p, e);
	int rc;

	if (pp == NULL)
		return -1;
	rc = virt.virStoragePoolDestroy(pp);
	if (rc < 0) {
		lv_fail(c, e, "pool '%s'", p->def->name);
		virt.virStoragePoolFree(pp);
		return -1;
	}
	virt.virStoragePoolFree(pp);
	/* a transient pool is gone once stopped */
	if (lv_pool_update(c, p, false, NULL, e) < 0) {
		if (e->code != ERR_NOT_FOUND)
			return -1;
		err_clear(e);
		pool_clear_vols(p);
		p->state = POOL_INACTIVE;
	}
	return 0;
}

static int
lv_pool_delete(struct cistern *c, struct pool *p, unsigned flags,
	       struct job *j, struct err *e)
{
	(void)flags;
	(void)j;
	LV_POOL_OP(c, p, e, virt.virStoragePoolDelete(pp, 0), false);
}

static int
lv_pool_refresh(struct cistern *c, struct pool *p, bool rescan,
		struct job *j, struct err *e)
{
	if (rescan) {
		virStoragePoolPtr pp = lv_pool(c, p, e);
		if (pp == NULL)
			return -1;
		if (virt.virStoragePoolRefresh(pp, 0) < 0) {
			lv_fail(c, e, "pool '%s'", p->def->name);
			virt.virStoragePoolFree(pp);
			return -1;
		}
		virt.virStoragePoolFree(pp);
	}
	return lv_pool_update(c, p, true, j, e);
}

/* Volumes for a list: briefly in file pools, whose keys are paths;
 * in full elsewhere. */
static int
lv_pool_list_vols(struct cistern *c, struct pool *p, int what, struct err *e)
{
	virStoragePoolPtr pp;
	int rc;

	if (p->def->type != POOL_DIR && p->def->type != POOL_FS &&
	    p->def->type != POOL_NETFS)
		return lv_pool_refresh(c, p, false, NULL, e);
	if ((pp = lv_pool(c, p, e)) == NULL)
		return -1;
	pool_clear_vols(p);
	rc = lv_vol_list_as(c, p, pp, what, false, NULL, e);
	virt.virStoragePoolFree(pp);
	return rc;
}

static int
lv_pool_rescan(struct cistern *c, const char *name, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	virStoragePoolPtr pp;
	int rc;

	if (conn == NULL)
		return -1;
	if ((pp = virt.virStoragePoolLookupByName(conn, name)) == NULL)
		return lv_fail(c, e, "pool '%s'", name);
	rc = virt.virStoragePoolRefresh(pp, 0);
	if (rc < 0)
		lv_fail(c, e, "pool '%s'", name);
	virt.virStoragePoolFree(pp);
	return rc < 0 ? -1 : 0;
}

static char *
lv_pool_xml(struct cistern *c, const struct pool *p, unsigned flags,
	    struct err *e)
{
	virStoragePoolPtr pp = lv_pool(c, p, e);
	char *xml;

	if (pp == NULL)
		return NULL;
	xml = virt.virStoragePoolGetXMLDesc(pp, (flags & POOL_XML_INACTIVE) ?
					    VIR_STORAGE_XML_INACTIVE : 0);
	if (xml == NULL)
		lv_fail(c, e, "pool '%s'", p->def->name);
	virt.virStoragePoolFree(pp);
	return xml;
}

static char *
lv_find_sources(struct cistern *c, enum pool_type t,
		const struct source_query *q, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	struct sbuf b;
	char *spec = NULL, *xml;

	if (conn == NULL)
		return NULL;
	if (q->srcspec_xml == NULL && q->host != NULL) {
		sbuf_init(&b);
		sbuf_add(&b, "<source><host name='");
		xml_escape(&b, q->host);
		sbuf_add(&b, "'");
		if (q->port > 0)
			sbuf_printf(&b, " port='%d'", q->port);
		sbuf_add(&b, "/>");
		if (q->initiator != NULL) {
			sbuf_add(&b, "<initiator><iqn name='");
			xml_escape(&b, q->initiator);
			sbuf_add(&b, "'/></initiator>");
		}
		sbuf_add(&b, "</source>");
		spec = sbuf_take(&b);
	}
	xml = virt.virConnectFindStoragePoolSources(conn, pool_type_name(t),
						    q->srcspec_xml ? q->srcspec_xml :
						    spec, 0);
	free(spec);
	if (xml == NULL)
		lv_fail(c, e, "cannot find %s pool sources", pool_type_name(t));
	return xml;
}

static char *
lv_hostname(struct cistern *c, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	char *h;

	if (conn == NULL)
		return NULL;
	if ((h = virt.virConnectGetHostname(conn)) == NULL)
		lv_fail(c, e, "cannot read the host name");
	return h;
}

static char *
lv_uri(struct cistern *c, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	char *u;

	if (conn == NULL)
		return NULL;
	if ((u = virt.virConnectGetURI(conn)) == NULL)
		lv_fail(c, e, "cannot read the URI");
	return u;
}

const struct engine_ops libvirt_engine = {
	.name = "libvirt",
	.open = lv_open,
	.close = lv_close,
	.load = lv_load,
	.load_full = lv_load_full,
	.pool_define = lv_pool_define,
	.pool_create = lv_pool_create,
	.pool_undefine = lv_pool_undefine,
	.pool_set_autostart = lv_pool_set_autostart,
	.pool_build = lv_pool_build,
	.pool_start = lv_pool_start,
	.pool_stop = lv_pool_stop,
	.pool_delete = lv_pool_delete,
	.pool_refresh = lv_pool_refresh,
	.pool_list_vols = lv_pool_list_vols,
	.pool_rescan = lv_pool_rescan,
	.pool_xml = lv_pool_xml,
	.vol_xml = lv_vol_xml,
	.find_sources = lv_find_sources,
	.vol_create = lv_vol_create,
	.vol_create_from = lv_vol_create_from,
	.vol_delete = lv_vol_delete,
	.vol_wipe = lv_vol_wipe,
	.vol_resize = lv_vol_resize,
	.vol_upload = lv_vol_upload,
	.vol_download = lv_vol_download,
	.hostname = lv_hostname,
	.uri = lv_uri,
	.events_open = lv_events_open,
	.events_close = lv_events_close,
	.forked = lv_forked,
};
