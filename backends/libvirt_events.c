/* cistern — the libvirt engine's pool events (pool-event, the
 * interface): libvirt's callbacks, run by the event loop's thread,
 * write records to a pipe the face polls; a lost connection is the
 * last record. */
#include "libvirt.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/util.h"
#include "../core/watch.h"

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
			   virt.virStoragePoolGetName(pool));
}

static void
lv_ev_refresh(virConnectPtr conn, virStoragePoolPtr pool, void *opaque)
{
	struct lv_ev *ev = opaque;

	(void)conn;
	engine_event_write(ev->fd, POOL_EVENT_REFRESH, POOL_EV_REFRESHED,
			   virt.virStoragePoolGetName(pool));
}

static void
lv_ev_closed(virConnectPtr conn, int reason, void *opaque)
{
	struct lv_ev *ev = opaque;
	virErrorPtr le = virt.virGetLastError();
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

int
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
	virt.virConnectRef(conn);
	lv->ev_conn = conn;
	lv->ev_ids[0] = virt.virConnectStoragePoolEventRegisterAny(conn, NULL,
		VIR_STORAGE_POOL_EVENT_ID_LIFECYCLE,
		VIR_STORAGE_POOL_EVENT_CALLBACK(lv_ev_lifecycle),
		lv_ev_new(p[1], lv->uri), lv_ev_free);
	lv->ev_ids[1] = lv->ev_ids[0] < 0 ? -1 :
		virt.virConnectStoragePoolEventRegisterAny(conn, NULL,
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
	if (virt.virConnectRegisterCloseCallback(conn, lv_ev_closed, cev,
						 NULL) < 0)
		lv_ev_free(cev);
	else
		lv->ev_close = cev;
	virt.virResetLastError();
	close(p[1]);
	return p[0];
}

void
lv_events_close(struct cistern *c, int fd)
{
	struct lv *lv = c->engine_data;

	if (lv != NULL && lv->ev_conn != NULL) {
		for (int i = 0; i < 2; i++)
			if (lv->ev_ids[i] >= 0)
				virt.virConnectStoragePoolEventDeregisterAny(
					lv->ev_conn, lv->ev_ids[i]);
		virt.virConnectUnregisterCloseCallback(lv->ev_conn,
						       lv_ev_closed);
		virt.virResetLastError();
		if (lv->ev_close != NULL)
			lv_ev_free(lv->ev_close);
		lv->ev_close = NULL;
		virt.virConnectClose(lv->ev_conn);
		lv->ev_conn = NULL;
	}
	if (fd >= 0)
		close(fd);
}
