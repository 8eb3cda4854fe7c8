/* cistern — the libvirt engine's connection: opened with a deadline
 * (libvirt_open.c) and keepalive, a dead one replaced at the next call,
 * a long-lived process's second one for bursts (lv_bulk); a forked job
 * opens its own; libvirt's errors as one line. */
#include "libvirt.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/util.h"
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
		       virt.virConnectIsAlive(lv->conn) != 1;
	return lv->conn != NULL && lv->pid == getpid() &&
	       virt.virConnectIsAlive(lv->conn) == 0;
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
	virErrorPtr le = virt.virSaveLastError();
	va_list ap;

	va_start(ap, fmt);
	lv_fail_va(c, e, le, fmt, ap);
	va_end(ap);
	virt.virFreeError(le);
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
		virt.virConnectSetKeepAlive(lv->conn, LV_KEEPALIVE_S,
					    LV_KEEPALIVE_COUNT);
	virt.virResetLastError();
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
	if (lv->bulk != NULL && virt.virConnectIsAlive(lv->bulk) == 0) {
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
	virt.virResetLastError();
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
	} else if (lv->conn == NULL || virt.virConnectIsAlive(lv->conn) == 0) {
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

int
lv_open(struct cistern *c, const char *uri, unsigned flags, struct err *e)
{
	struct lv *lv;

	if (virt_load(e) < 0)
		return -1;
	lv = xcalloc(1, sizeof(*lv));
	virt.virSetErrorFunc(NULL, lv_quiet);
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

void
lv_close(struct cistern *c)
{
	struct lv *lv = c->engine_data;

	if (lv == NULL)
		return;
	if (lv->conn != NULL && lv->pid == getpid())
		virt.virConnectClose(lv->conn);
	if (lv->bulk != NULL && lv->pid == getpid())
		virt.virConnectClose(lv->bulk);
	for (size_t i = 0; i < lv->ndead && lv->pid == getpid(); i++)
		virt.virConnectClose(lv->dead[i]);
	free(lv->dead);
	pthread_mutex_destroy(&lv->lock);
	free(lv->uri);
	free(lv);
	c->engine_data = NULL;
}

int
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
