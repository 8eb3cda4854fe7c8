/* cistern — the libvirt engine: a connection (virConnectOpenAuth, with
 * keepalive), libvirt's errors as one line, and the pool operations
 * (virStoragePool*). Pools and volumes are read back as libvirt writes
 * them (its XML, through core's parser), so the faces see the same
 * struct pool and vol_def as with the local engine. */
#include "libvirt.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>


#include "../core/util.h"
#include "../core/watch.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"

/* libvirt prints its errors on stderr unless told otherwise; cistern
 * reports them itself, once, as a struct err. */
static void
lv_quiet(void *arg, virErrorPtr err)
{
	(void)arg;
	(void)err;
}

/* Is the last error a lost (or never made) connection? */
static bool
lv_lost(const struct lv *lv, virErrorPtr le)
{
	if (le == NULL)
		return false;
	if (le->code == VIR_ERR_NO_CONNECT || le->code == VIR_ERR_RPC ||
	    le->code == VIR_ERR_AUTH_FAILED || le->code == VIR_ERR_AUTH_CANCELLED)
		return true;
	/* the transport's own errors, unless the connection is known to
	 * be alive: a refusal the daemon sent back over a good connection
	 * (libvirt's "Too many storage_vols" limit is one) is not a loss */
	if ((le->domain == VIR_FROM_RPC || le->domain == VIR_FROM_REMOTE) &&
	    (le->code == VIR_ERR_SYSTEM_ERROR ||
	     le->code == VIR_ERR_INTERNAL_ERROR ||
	     le->code == VIR_ERR_OPERATION_FAILED))
		return lv->conn == NULL || lv->pid != getpid() ||
		       virConnectIsAlive(lv->conn) != 1;
	return lv->conn != NULL && lv->pid == getpid() &&
	       virConnectIsAlive(lv->conn) == 0;
}

static enum err_code
lv_code(virErrorPtr le)
{
	if (le == NULL)
		return ERR_GENERIC;
	switch (le->code) {
	case VIR_ERR_NO_STORAGE_POOL:
	case VIR_ERR_NO_STORAGE_VOL:
		return ERR_NOT_FOUND;
	case VIR_ERR_OPERATION_INVALID:
		return ERR_STATE;
	case VIR_ERR_NO_SUPPORT:
	case VIR_ERR_ARGUMENT_UNSUPPORTED:
		return ERR_UNSUPPORTED;
	case VIR_ERR_XML_ERROR:
	case VIR_ERR_XML_DETAIL:
	case VIR_ERR_INVALID_ARG:
	case VIR_ERR_CONFIG_UNSUPPORTED:
		return ERR_INVALID;
	case VIR_ERR_STORAGE_VOL_EXIST:
	case VIR_ERR_STORAGE_POOL_BUILT:
		return ERR_EXISTS;
	case VIR_ERR_OPERATION_DENIED:
	case VIR_ERR_ACCESS_DENIED:
		return ERR_REFUSED;
	default:
		return ERR_GENERIC;
	}
}

static void
lv_fail_va(struct cistern *c, struct err *e, virErrorPtr le,
	   const char *fmt, va_list ap)
{
	struct lv *lv = c->engine_data;
	const char *msg = (le && le->message) ? le->message :
			  "unknown libvirt error";
	char what[512];

	if (lv_lost(lv, le)) {
		err_setc(e, ERR_GENERIC, "cannot reach libvirt at %s: %s",
			 lv->uri, msg);
	} else {
		vsnprintf(what, sizeof(what), fmt, ap);
		err_setc(e, lv_code(le), "%s: %s", what, msg);
	}
}

int
lv_fail(struct cistern *c, struct err *e, const char *fmt, ...)
{
	/* a copy: asking whether the connection lives resets the error */
	virErrorPtr le = virSaveLastError();
	va_list ap;

	va_start(ap, fmt);
	lv_fail_va(c, e, le, fmt, ap);
	va_end(ap);
	virFreeError(le);
	return -1;
}

int
lv_fail_with(struct cistern *c, struct err *e, virErrorPtr le,
	     const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	lv_fail_va(c, e, le, fmt, ap);
	va_end(ap);
	return -1;
}

/* Open lv->conn in this process. */
static int
lv_open_conn(struct cistern *c, struct lv *lv, struct err *e)
{
	lv->conn = lv_open_timed(lv->uri, lv->flags, e);
	lv->pid = getpid();
	if (lv->conn == NULL)
		return -1;
	/* the test driver has no keepalive (it is in process); a child (a
	 * job) has no event thread: keepalive in the parent only */
	if (lv_event_ours())
		virConnectSetKeepAlive(lv->conn, LV_KEEPALIVE_S,
				       LV_KEEPALIVE_COUNT);
	virResetLastError();
	(void)c;
	return 0;
}

/* A lost connection, kept open until close for whoever still holds it
 * (under lv->lock). */
static void
lv_bury(struct lv *lv, virConnectPtr conn)
{
	lv->dead = xreallocarray(lv->dead, lv->ndead + 1, sizeof(*lv->dead));
	lv->dead[lv->ndead++] = conn;
}

void
lv_abandon(struct cistern *c, virConnectPtr conn, struct err *e)
{
	struct lv *lv = c->engine_data;

	pthread_mutex_lock(&lv->lock);
	/* not closed, not kept with the dead ones (closed at the end): its
	 * reference goes with the waiting threads' volumes */
	if (conn == lv->conn && lv->pid == getpid())
		lv->conn = NULL;
	if (conn == lv->bulk && lv->pid == getpid())
		lv->bulk = NULL;
	pthread_mutex_unlock(&lv->lock);
	err_setc(e, ERR_GENERIC, "cannot reach libvirt at %s: no answer in "
		 "%d s", lv->uri, LV_DEAD_MS / 1000);
}

virConnectPtr
lv_bulk(struct cistern *c)
{
	struct lv *lv = c->engine_data;
	virConnectPtr conn;
	struct err e;

	if (!(lv->flags & ENGINE_LONG_LIVED) || !lv_event_ours() ||
	    lv->pid != getpid())
		return NULL;
	pthread_mutex_lock(&lv->lock);
	if (lv->bulk != NULL && virConnectIsAlive(lv->bulk) == 0) {
		lv_bury(lv, lv->bulk);
		lv->bulk = NULL;
	}
	if (lv->bulk == NULL && (lv->bulk_failed_ms == 0 ||
				 now_ms() - lv->bulk_failed_ms > 60000)) {
		err_init(&e);
		/* in the background: no credentials asked for again (no
		 * second connection then, the first one carries the burst) */
		lv->bulk = lv_open_timed(lv->uri, lv->flags | LV_OPEN_NO_PROMPT,
					 &e);
		lv->bulk_failed_ms = lv->bulk == NULL ? now_ms() : 0;
		err_clear(&e);
	}
	conn = lv->bulk;
	pthread_mutex_unlock(&lv->lock);
	virResetLastError();
	return conn;
}

virConnectPtr
lv_conn(struct cistern *c, struct err *e)
{
	struct lv *lv = c->engine_data;
	virConnectPtr conn;

	/* forked (a job): one of the parent's threads may have held the lock
	 * at the fork, and would never let go of this copy */
	if (lv->pid != getpid())
		pthread_mutex_init(&lv->lock, NULL);
	pthread_mutex_lock(&lv->lock);
	if (lv->pid != getpid()) {
		/* forked: the parent's connection shares its socket; leave it
		 * alone (closing it would talk on the parent's behalf) */
		lv->conn = NULL;
		lv->ndead = 0;
		if (lv_open_conn(c, lv, e) < 0)
			goto out;
	} else if (lv->conn == NULL || virConnectIsAlive(lv->conn) == 0) {
		/* lost (the daemon or the link went away): a new one, the old
		 * one kept for whoever still holds it */
		if (lv->conn != NULL) {
			lv_bury(lv, lv->conn);
			lv->conn = NULL;
		}
		lv_open_conn(c, lv, e);
	}
out:
	conn = lv->conn;
	pthread_mutex_unlock(&lv->lock);
	return conn;
}

static int
lv_open(struct cistern *c, const char *uri, unsigned flags, struct err *e)
{
	struct lv *lv = xcalloc(1, sizeof(*lv));

	virSetErrorFunc(NULL, lv_quiet);
	lv_event_start();
	lv->uri = xstrdup(uri);
	lv->flags = flags;
	pthread_mutex_init(&lv->lock, NULL);
	c->engine_data = lv;
	if (lv_open_conn(c, lv, e) < 0) {
		free(lv->uri);
		free(lv);
		c->engine_data = NULL;
		return -1;
	}
	return 0;
}

static void
lv_close(struct cistern *c)
{
	struct lv *lv = c->engine_data;

	if (lv == NULL)
		return;
	if (lv->conn != NULL && lv->pid == getpid())
		virConnectClose(lv->conn);
	if (lv->bulk != NULL && lv->pid == getpid())
		virConnectClose(lv->bulk);
	for (size_t i = 0; i < lv->ndead && lv->pid == getpid(); i++)
		virConnectClose(lv->dead[i]);
	free(lv->dead);
	pthread_mutex_destroy(&lv->lock);
	free(lv->uri);
	free(lv);
	c->engine_data = NULL;
}

/* A new struct pool from libvirt's pool: its live XML, its state and
 * sizes, autostart. NULL with e set. */
static struct pool *
lv_pool_read(struct cistern *c, virStoragePoolPtr pp, struct err *e)
{
	const char *name = virStoragePoolGetName(pp);
	virStoragePoolInfo info;
	struct pool_def *d;
	struct pool *p;
	char *xml;
	int as = 0;

	xml = virStoragePoolGetXMLDesc(pp, 0);
	if (xml == NULL)
		return lv_fail(c, e, "pool '%s'", name), NULL;
	char *origin = xasprintf("libvirt's pool '%s'", name);
	d = pool_def_parse(xml, strlen(xml), origin, e);
	free(origin);
	free(xml);
	if (d == NULL)
		return NULL;
	if (virStoragePoolGetInfo(pp, &info) < 0 ||
	    virStoragePoolGetAutostart(pp, &as) < 0) {
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
	if (virStoragePoolIsPersistent(pp) == 0)
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
	pp = virStoragePoolLookupByUUID(conn, p->def->uuid);
	if (pp == NULL)
		pp = virStoragePoolLookupByName(conn, p->def->name);
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
		virStoragePoolFree(pp);
		return -1;
	}
	p = cistern_adopt_pool(c, fresh);
	if (vols && pool_is_active(p))
		rc = lv_vol_list(c, p, pp, false, j, e);
	virStoragePoolFree(pp);
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
	np = virConnectListAllStoragePools(conn, &pps, 0);
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
		virStoragePoolFree(pps[i]);
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
	pp = create ? virStoragePoolCreateXML(conn, xml, 0) :
		      virStoragePoolDefineXML(conn, xml, 0);
	free(xml);
	if (pp == NULL)
		return lv_fail(c, e, "pool '%s'", d->name), NULL;
	p = lv_pool_read(c, pp, e);
	virStoragePoolFree(pp);
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
			virStoragePoolFree(pp); \
			return -1; \
		} \
		virStoragePoolFree(pp); \
		return lv_pool_update((c), (p), (vols), NULL, (e)); \
	} while (0)

static int
lv_pool_undefine(struct cistern *c, struct pool *p, struct err *e)
{
	virStoragePoolPtr pp = lv_pool(c, p, e);
	int rc;

	if (pp == NULL)
		return -1;
	rc = virStoragePoolUndefine(pp);
	if (rc < 0)
		lv_fail(c, e, "pool '%s'", p->def->name);
	virStoragePoolFree(pp);
	return rc < 0 ? -1 : 0;
}

static int
lv_pool_set_autostart(struct cistern *c, struct pool *p, bool on,
		      struct err *e)
{
	LV_POOL_OP(c, p, e, virStoragePoolSetAutostart(pp, on ? 1 : 0), false);
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
	LV_POOL_OP(c, p, e, virStoragePoolBuild(pp, lf), false);
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
	LV_POOL_OP(c, p, e, virStoragePoolCreate(pp, lf), true);
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
	rc = virStoragePoolDestroy(pp);
	if (rc < 0) {
		lv_fail(c, e, "pool '%s'", p->def->name);
		virStoragePoolFree(pp);
		return -1;
	}
	virStoragePoolFree(pp);
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
	LV_POOL_OP(c, p, e, virStoragePoolDelete(pp, 0), false);
}

static int
lv_pool_refresh(struct cistern *c, struct pool *p, bool rescan,
		struct job *j, struct err *e)
{
	if (rescan) {
		virStoragePoolPtr pp = lv_pool(c, p, e);
		if (pp == NULL)
			return -1;
		if (virStoragePoolRefresh(pp, 0) < 0) {
			lv_fail(c, e, "pool '%s'", p->def->name);
			virStoragePoolFree(pp);
			return -1;
		}
		virStoragePoolFree(pp);
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
	virStoragePoolFree(pp);
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
	if ((pp = virStoragePoolLookupByName(conn, name)) == NULL)
		return lv_fail(c, e, "pool '%s'", name);
	rc = virStoragePoolRefresh(pp, 0);
	if (rc < 0)
		lv_fail(c, e, "pool '%s'", name);
	virStoragePoolFree(pp);
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
	xml = virStoragePoolGetXMLDesc(pp, (flags & POOL_XML_INACTIVE) ?
				       VIR_STORAGE_XML_INACTIVE : 0);
	if (xml == NULL)
		lv_fail(c, e, "pool '%s'", p->def->name);
	virStoragePoolFree(pp);
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
	xml = virConnectFindStoragePoolSources(conn, pool_type_name(t),
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
	if ((h = virConnectGetHostname(conn)) == NULL)
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
	if ((u = virConnectGetURI(conn)) == NULL)
		lv_fail(c, e, "cannot read the URI");
	return u;
}

/* ---- pool events: libvirt's callbacks, run by the event loop's
 * thread, write records to a pipe the face polls ---- */

/* What one callback holds: its own copy of the pipe's write end (closed
 * when libvirt lets the callback go) and, for the close callback, the
 * URI to name. */
struct lv_ev {
	int fd;
	char *uri;
};

static struct lv_ev *
lv_ev_new(int fd, const char *uri)
{
	struct lv_ev *ev = xcalloc(1, sizeof(*ev));

	ev->fd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	ev->uri = xstrdup(uri);
	return ev;
}

static void
lv_ev_free(void *opaque)
{
	struct lv_ev *ev = opaque;

	if (ev->fd >= 0)
		close(ev->fd);
	free(ev->uri);
	free(ev);
}

static void
lv_ev_lifecycle(virConnectPtr conn, virStoragePoolPtr pool, int event,
		int detail, void *opaque)
{
	static const enum pool_event_detail map[] = {
		[VIR_STORAGE_POOL_EVENT_DEFINED] = POOL_EV_DEFINED,
		[VIR_STORAGE_POOL_EVENT_UNDEFINED] = POOL_EV_UNDEFINED,
		[VIR_STORAGE_POOL_EVENT_STARTED] = POOL_EV_STARTED,
		[VIR_STORAGE_POOL_EVENT_STOPPED] = POOL_EV_STOPPED,
		[VIR_STORAGE_POOL_EVENT_CREATED] = POOL_EV_CREATED,
		[VIR_STORAGE_POOL_EVENT_DELETED] = POOL_EV_DELETED,
	};
	struct lv_ev *ev = opaque;

	(void)conn;
	(void)detail;
	if (event < 0 || (size_t)event >= sizeof(map) / sizeof(map[0]))
		return;
	engine_event_write(ev->fd, POOL_EVENT_LIFECYCLE, map[event],
			   virStoragePoolGetName(pool));
}

static void
lv_ev_refresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
	struct lv_ev *ev = opaque;

	(void)conn;
	engine_event_write(ev->fd, POOL_EVENT_REFRESH, POOL_EV_REFRESHED,
			   virStoragePoolGetName(pool));
}

static void
lv_ev_closed(virConnectPtr conn, int reason, void *opaque)
{
	struct lv_ev *ev = opaque;
	virErrorPtr le = virGetLastError();
	const char *why;
	char *line;

	(void)conn;
	switch (reason) {
	case VIR_CONNECT_CLOSE_REASON_EOF:
		why = "end of file from the daemon";
		break;
	case VIR_CONNECT_CLOSE_REASON_KEEPALIVE:
		why = "connection closed due to keepalive timeout";
		break;
	case VIR_CONNECT_CLOSE_REASON_CLIENT:
		why = "connection closed by the client";
		break;
	default:
		why = "connection error";
		break;
	}
	if (le != NULL && le->message != NULL)
		why = le->message;
	line = xasprintf("cannot reach libvirt at %s: %s", ev->uri, why);
	engine_event_write(ev->fd, ENGINE_EVENT_LOST, 0, line);
	free(line);
}

static void lv_events_close(struct cistern *c, int fd);

static int
lv_events_open(struct cistern *c, struct err *e)
{
	struct lv *lv = c->engine_data;
	virConnectPtr conn = lv_conn(c, e);
	struct lv_ev *cev;
	int p[2];

	if (conn == NULL)
		return -1;
	if (!lv_event_ours())
		return err_setc(e, ERR_UNSUPPORTED, "cannot watch libvirt's "
				"events: no event loop");
	if (lv->ev_conn != NULL)
		return err_setc(e, ERR_STATE, "libvirt's events are already "
				"watched");
	if (pipe2(p, O_CLOEXEC) < 0)
		return err_setc(e, ERR_GENERIC, "pipe: %s", strerror(errno));
	/* the event loop's thread never waits on the reader */
	fcntl(p[1], F_SETFL, fcntl(p[1], F_GETFL) | O_NONBLOCK);
	virConnectRef(conn);
	lv->ev_conn = conn;
	lv->ev_ids[0] = virConnectStoragePoolEventRegisterAny(conn, NULL,
		VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
		VIR_STORAGE_POOL_EVENT_CALLBACK(lv_ev_lifecycle),
		lv_ev_new(p[1], lv->uri), lv_ev_free);
	lv->ev_ids[1] = lv->ev_ids[0] < 0 ? -1 :
		virConnectStoragePoolEventRegisterAny(conn, NULL,
		VIR_STORAGE_POOL_EVENT_ID_REFRESH,
		VIR_STORAGE_POOL_EVENT_CALLBACK(lv_ev_refresh),
		lv_ev_new(p[1], lv->uri), lv_ev_free);
	if (lv->ev_ids[1] < 0) {
		lv_fail(c, e, "cannot watch libvirt's pool events");
		close(p[1]);
		lv_events_close(c, p[0]);
		return -1;
	}
	/* a lost connection is a last record (the test driver, in process,
	 * has no close callback and never loses it) */
	/* freed here on close: a driver without close callbacks (the test
	 * driver) says yes to the registration and never calls a free
	 * function */
	cev = lv_ev_new(p[1], lv->uri);
	if (virConnectRegisterCloseCallback(conn, lv_ev_closed, cev,
					    NULL) < 0)
		lv_ev_free(cev);
	else
		lv->ev_close = cev;
	virResetLastError();
	close(p[1]);
	return p[0];
}

static void
lv_events_close(struct cistern *c, int fd)
{
	struct lv *lv = c->engine_data;

	if (lv != NULL && lv->ev_conn != NULL) {
		for (int i = 0; i < 2; i++)
			if (lv->ev_ids[i] >= 0)
				virConnectStoragePoolEventDeregisterAny(
					lv->ev_conn, lv->ev_ids[i]);
		virConnectUnregisterCloseCallback(lv->ev_conn, lv_ev_closed);
		virResetLastError();
		if (lv->ev_close != NULL)
			lv_ev_free(lv->ev_close);
		lv->ev_close = NULL;
		virConnectClose(lv->ev_conn);
		lv->ev_conn = NULL;
	}
	if (fd >= 0)
		close(fd);
}

static int
lv_forked(struct cistern *c)
{
	if (lv_event_usable() < 0)
		return -1;
#if defined(__SANITIZE_ADDRESS__)
	/* ASan's allocator (GCC 12's) takes none of its locks at a fork: a
	 * size class another thread was filling stays locked in the child,
	 * and the first request's buffer waits on it. The connection is
	 * opened here, so that a child stuck so never says it is ready and
	 * the screen makes it again (tui/ui_job.c). */
	{
		struct err e;

		err_init(&e);
		(void)lv_conn(c, &e);
		err_clear(&e);
	}
#else
	(void)c;
#endif
	return 0;
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
