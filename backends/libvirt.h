/* cistern — the libvirt engine: what its files share (backends/libvirt*.c).
 * Nothing outside backends/libvirt*.c names a libvirt symbol. */
#ifndef CISTERN_LIBVIRT_H
#define CISTERN_LIBVIRT_H

#include <pthread.h>
#include <sys/types.h>

#include "../core/engine.h"
#include "../core/pool.h"
#include "libvirt_api.h"

/* One connection (c->engine_data). */
struct lv {
	virConnectPtr conn;
	char *uri;
	unsigned flags;            /* ENGINE_READ_ONLY, ENGINE_LONG_LIVED */
	pid_t pid;                 /* the process that opened conn */
	/* conn is replaced when it dies (the interface's loads run in a
	 * thread); the dead ones stay open until close, since another
	 * thread may still be using them */
	pthread_mutex_t lock;
	virConnectPtr *dead;
	size_t ndead;
	/* a long-lived process's second connection, without keepalive, for
	 * bursts of requests (lv_bulk), or NULL; when it last failed to open */
	virConnectPtr bulk;
	int64_t bulk_failed_ms;
	/* pool-event: the connection the callbacks are on (a reference),
	 * and libvirt's ids of the two callbacks */
	virConnectPtr ev_conn;
	int ev_ids[2];
	struct lv_ev *ev_close;       /* the close callback's: ours to free */
};

/* virConnectOpenAuth with a deadline (backends/libvirt_open.c):
 * CISTERN_CONNECT_TIMEOUT seconds, 30 by default, 0 for none; a
 * credentials prompt stops the clock. NULL with e set: "cannot reach
 * libvirt at URI: ...". */
virConnectPtr lv_open_timed(const char *uri, unsigned flags, struct err *e);
/* lv_open_timed's flag, beside ENGINE_*: no credentials are asked for
 * (the open fails instead), and ssh is run without a terminal (libvirt's
 * no_tty=1), for a connection opened in the background. */
#define LV_OPEN_NO_PROMPT (1u << 16)

/* The event loop keepalive and pool events need: started once, in a
 * thread of its own; is it this process's (a forked job has none)? */
void lv_event_start(void);
bool lv_event_ours(void);

/* In a forked job, before its first request: can this copy of the event
 * loop be used (0), or was its lock held by another thread at the fork
 * (-1: the fork must be made again)? Answers within half a second. */
int lv_event_usable(void);

/* Hold the event loop between its turns (true), or let it go (false).
 * Each request wakes the loop twice, which costs a burst of thousands
 * of requests more CPU than the requests themselves; the burst holds it,
 * and lets it go when no answer comes for a while, so keepalive can
 * tell a dead connection. */
void lv_event_hold(bool hold);

/* The connection of this process (a forked child opens its own). */
virConnectPtr lv_conn(struct cistern *c, struct err *e);

/* keepalive: every 5 s; the connection is dead after 3 unanswered, in
 * 20 s. Where keepalive cannot tell, a burst of requests gives up after
 * LV_DEAD_MS with no answer. */
#define LV_KEEPALIVE_S 5
#define LV_KEEPALIVE_COUNT 3
#define LV_DEAD_MS 30000

/* The connection for a burst of requests from several threads (NULL:
 * lv_conn's). libvirt 9.0's client does not survive keepalive ending a
 * connection several threads wait on (one waits on for ever, and runs a
 * stale callback when the daemon answers again: SIGSEGV), and keepalive
 * cannot be stopped and started again; a command ends with the error,
 * but a long-lived process (ENGINE_LONG_LIVED: the interface) would go
 * on to crash. So there a second connection, opened at the first burst
 * and without keepalive, carries the bursts, and they keep the time
 * themselves (LV_DEAD_MS). It is opened without asking for credentials
 * (LV_OPEN_NO_PROMPT); when it cannot be, the first connection carries
 * the burst, and the second is tried again a minute later. */
virConnectPtr lv_bulk(struct cistern *c);

/* A burst of requests had no answer for LV_DEAD_MS (keepalive did not
 * tell: a forked job has no event loop, lv_bulk none): conn is dropped
 * (the next request opens a new one) and left to the threads still
 * waiting on it, which finish when the daemon answers or the link
 * breaks. e: "cannot reach libvirt at URI: no answer in 30 s". */
void lv_abandon(struct cistern *c, virConnectPtr conn, struct err *e);

/* Fill e from libvirt's last error: "WHAT: libvirt's message", or
 * "cannot reach libvirt at URI: ..." when the connection is gone.
 * Returns -1. */
int lv_fail(struct cistern *c, struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* The same from an error saved earlier (virSaveLastError; le stays the
 * caller's). */
int lv_fail_with(struct cistern *c, struct err *e, virErrorPtr le,
		 const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* The engine's ops on the connection (backends/libvirt_conn.c): open
 * (the event loop started, the connection made), close, and a forked
 * job's first step (engine_ops.forked). */
int lv_open(struct cistern *c, const char *uri, unsigned flags,
	    struct err *e);
void lv_close(struct cistern *c);
int lv_forked(struct cistern *c);
/* Pool events (backends/libvirt_events.c): engine_ops.events_open and
 * events_close. */
int lv_events_open(struct cistern *c, struct err *e);
void lv_events_close(struct cistern *c, int fd);

/* The libvirt pool of p (virStoragePoolFree it), or NULL with e set. */
virStoragePoolPtr lv_pool(struct cistern *c, const struct pool *p,
			  struct err *e);
/* Re-read p's definition, state and autostart (its volumes are dropped;
 * with `vols`, read again when it is running). */
int lv_pool_update(struct cistern *c, struct pool *p, bool vols,
		   struct job *j, struct err *e);

/* Volumes (backends/libvirt_vol.c; lists: backends/libvirt_list.c). */
/* A volume's definition from libvirt's XML of it (`name`, for errors). */
struct vol_def *lv_vol_parse(const struct pool *p, const char *name,
			     const char *xml, struct err *e);
/* With `quiet`, an unreadable volume is skipped without c->warn (from
 * a thread). */
int lv_vol_list(struct cistern *c, struct pool *p, virStoragePoolPtr pp,
		bool quiet, struct job *j, struct err *e);
/* The same for a list only (`what`: 0 in full, or VOL_LIST_NAMES /
 * VOL_LIST_SIZES, see pool_ensure_listed). */
int lv_vol_list_as(struct cistern *c, struct pool *p, virStoragePoolPtr pp,
		   int what, bool quiet, struct job *j, struct err *e);
/* A file pool's volumes read here (backends/libvirt_local.c): the
 * pool's directory open when this process is shown to see the daemon's
 * files over a local URI, else -1; and one volume's type and sizes read
 * in it (the pool's target `dir`) as libvirtd reads them (false: ask
 * libvirt). */
int lv_local_dir(struct cistern *c, const struct pool *p,
		 virStorageVolPtr *vols, int n);
bool lv_local_info(const char *dir, int dfd, virStorageVolPtr vol,
		   virStorageVolInfo *info);
/* Disk pools (backends/libvirt_map.c): a volume's source extents from
 * its XML, and p's device maps from its live XML and its volumes. */
void lv_vol_extents(struct vol_def *v, const char *xml);
int lv_disk_map(struct cistern *c, struct pool *p, virStoragePoolPtr pp,
		struct err *e);
char *lv_vol_xml(struct cistern *c, const struct pool *p,
		 const struct vol_def *v, struct err *e);
int lv_vol_create(struct cistern *c, struct pool *p, const struct vol_def *v,
		  unsigned flags, struct job *j, struct err *e);
int lv_vol_create_from(struct cistern *c, struct pool *p,
		       const struct vol_def *v, struct pool *src_pool,
		       const struct vol_def *src, unsigned flags,
		       struct job *j, struct err *e);
int lv_vol_delete(struct cistern *c, struct pool *p, const struct vol_def *v,
		  unsigned flags, struct err *e);
int lv_vol_wipe(struct cistern *c, struct pool *p, const struct vol_def *v,
		enum wipe_alg alg, struct job *j, struct err *e);
int lv_vol_resize(struct cistern *c, struct pool *p, const struct vol_def *v,
		  uint64_t capacity, unsigned flags, struct job *j,
		  struct err *e);
int lv_vol_upload(struct cistern *c, struct pool *p, const struct vol_def *v,
		  int fd, uint64_t offset, uint64_t length, unsigned flags,
		  struct job *j, struct err *e);
int lv_vol_download(struct cistern *c, struct pool *p,
		    const struct vol_def *v, int fd, uint64_t offset,
		    uint64_t length, unsigned flags, struct job *j,
		    struct err *e);

#endif
