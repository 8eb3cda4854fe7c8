/* cistern — engines: who carries out what the faces ask of a connection.
 *
 * The faces call core's functions (pool_start, vol_create, ...) on a
 * struct cistern. The `local` engine — the default, no daemon — is core
 * itself: the store and the backends. Another engine (libvirt, in
 * backends/libvirt*.c, registered at start-up) is chosen by a URI
 * (`cistern -c URI`); core's functions then check only what needs no
 * connection (read-only mode) and forward to the engine's op, which
 * talks to the other side and fills the same struct pool / pool_def /
 * vol_def that the local engine fills. Core and the faces never name
 * an engine's library.
 *
 * Every op of a remote engine may block on the network (a slow or dead
 * host): the full-screen interface must call them from a job (a forked
 * child) or a thread, never from its poll loop. An engine whose
 * connection cannot be shared across fork() reopens it in the child by
 * itself (it notices the pid changed).
 *
 * A NULL op means "not supported over this connection"; core turns it
 * into a clear error.
 */
#ifndef CISTERN_ENGINE_H
#define CISTERN_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "err.h"
#include "job.h"
#include "model.h"
#include "store.h"

struct cistern;
struct pool;

/* engine open flags */
enum {
	ENGINE_READ_ONLY = 1 << 0,     /* open the connection read-only */
	ENGINE_LONG_LIVED = 1 << 1,    /* CISTERN_LONG_LIVED */
};

struct engine_ops {
	const char *name;              /* "local", "libvirt" */

	/* Connect to `uri`; keeps its state in c->engine_data. */
	int (*open)(struct cistern *c, const char *uri, unsigned flags,
		    struct err *e);
	void (*close)(struct cistern *c);
	/* Every pool of the connection, as new struct pools (pool_new) with
	 * definition, state and autostart filled; no volumes yet. */
	int (*load)(struct cistern *c, struct pool ***out, size_t *n,
		    struct err *e);
	/* Have the other side look at the storage of the pool named
	 * `name` again (pool-refresh); like load_full, it touches nothing
	 * of c but the connection. */
	int (*pool_rescan)(struct cistern *c, const char *name,
			   struct err *e);
	/* Every pool as load reads them, with the volumes of every running
	 * pool: in full (`what` 0: refreshed set, or error on a pool whose
	 * volumes could not be read), or (VOL_LIST_NAMES) only their names
	 * where one request a pool gives them (vols_brief set; the others
	 * left unread). It touches nothing of c but the connection and
	 * never calls c->warn, so a thread may run it while the faces use
	 * c. */
	int (*load_full)(struct cistern *c, int what, struct pool ***out,
			 size_t *n, struct err *e);

	/* Pools. Define returns the pool as now defined (pool_new). After
	 * the others, the engine has brought p up to date (state, sizes,
	 * autostart; volumes after start). */
	struct pool *(*pool_define)(struct cistern *c, const struct pool_def *d,
				    struct err *e);
	/* A transient pool, made and started at once (libvirt's
	 * virStoragePoolCreateXML); NULL op: not over this engine. */
	struct pool *(*pool_create)(struct cistern *c, const struct pool_def *d,
				    struct err *e);
	int (*pool_undefine)(struct cistern *c, struct pool *p, struct err *e);
	int (*pool_set_autostart)(struct cistern *c, struct pool *p, bool on,
				  struct err *e);
	int (*pool_build)(struct cistern *c, struct pool *p, unsigned flags,
			  struct job *j, struct err *e);
	int (*pool_start)(struct cistern *c, struct pool *p, unsigned flags,
			  struct job *j, struct err *e);
	int (*pool_stop)(struct cistern *c, struct pool *p, unsigned flags,
			 struct err *e);
	int (*pool_delete)(struct cistern *c, struct pool *p, unsigned flags,
			   struct job *j, struct err *e);
	/* Re-read the pool and its volumes (pool_add_vol); with `rescan`,
	 * have the other side look at its storage again first. */
	int (*pool_refresh)(struct cistern *c, struct pool *p, bool rescan,
			    struct job *j, struct err *e);
	/* Read p's volumes for a list only (pool_ensure_listed: `what` is
	 * VOL_LIST_NAMES or VOL_LIST_SIZES), setting p->vols_brief, or in
	 * full (refreshed) where that is as cheap. NULL: pool_refresh. */
	int (*pool_list_vols)(struct cistern *c, struct pool *p, int what,
			      struct err *e);
	/* The XML as the other side writes it (malloc'd). */
	char *(*pool_xml)(struct cistern *c, const struct pool *p,
			  unsigned flags, struct err *e);
	char *(*vol_xml)(struct cistern *c, const struct pool *p,
			 const struct vol_def *v, struct err *e);
	/* libvirt's <sources> XML (malloc'd). */
	char *(*find_sources)(struct cistern *c, enum pool_type t,
			      const struct source_query *q, struct err *e);

	/* Volumes: flags are core/backend.h's. A volume made is added to
	 * p's list (pool_add_vol) as the other side reports it. */
	int (*vol_create)(struct cistern *c, struct pool *p,
			  const struct vol_def *v, unsigned flags,
			  struct job *j, struct err *e);
	int (*vol_create_from)(struct cistern *c, struct pool *p,
			       const struct vol_def *v, struct pool *src_pool,
			       const struct vol_def *src, unsigned flags,
			       struct job *j, struct err *e);
	int (*vol_delete)(struct cistern *c, struct pool *p,
			  const struct vol_def *v, unsigned flags,
			  struct err *e);
	int (*vol_wipe)(struct cistern *c, struct pool *p,
			const struct vol_def *v, enum wipe_alg alg,
			struct job *j, struct err *e);
	int (*vol_resize)(struct cistern *c, struct pool *p,
			  const struct vol_def *v, uint64_t capacity,
			  unsigned flags, struct job *j, struct err *e);
	int (*vol_upload)(struct cistern *c, struct pool *p,
			  const struct vol_def *v, int fd, uint64_t offset,
			  uint64_t length, unsigned flags, struct job *j,
			  struct err *e);
	int (*vol_download)(struct cistern *c, struct pool *p,
			    const struct vol_def *v, int fd, uint64_t offset,
			    uint64_t length, unsigned flags, struct job *j,
			    struct err *e);

	/* The host and the URI, as virsh's `hostname` and `uri` print
	 * them (malloc'd). */
	char *(*hostname)(struct cistern *c, struct err *e);
	char *(*uri)(struct cistern *c, struct err *e);

	/* The other side's pool events as they happen (pool-event): a
	 * descriptor to poll, to which the engine writes, from a thread of
	 * its own, one record per event (engine_event_write), and one
	 * record when the connection is lost. Never blocks on the reader.
	 * events_close stops them and closes fd. */
	int (*events_open)(struct cistern *c, struct err *e);
	void (*events_close)(struct cistern *c, int fd);

	/* In a job's forked child, before the job uses the engine: 0, or
	 * -1 when this copy cannot be used (a lock of the engine's library
	 * that another thread of the parent held at the fork stays held in
	 * the child), and the parent must fork again. */
	int (*forked)(struct cistern *c);
};

/* Today's engine: the store and the backends, in this process. */
extern const struct engine_ops engine_local;

/* Register the engine that serves URIs (once, at start-up; the last
 * registered wins). NULL when none is built in. */
void engine_register(const struct engine_ops *ops);
const struct engine_ops *engine_for_uri(const char *uri);

/* Does `uri` reach a daemon on this host through its unix socket (or
 * no daemon: NULL or empty)? Then this host's devices are the other
 * side's, and local probing (the wizard's device lists) applies. */
bool engine_uri_local(const char *uri);

/* Is c served by an engine other than the local one? */
bool engine_remote(const struct cistern *c);

/* May c's engine change anything? Not in read-only mode, and not with
 * --dry-run (the other side runs its own commands: there is nothing to
 * show, and nothing may change). 0, or -1 with e set. */
int engine_check_write(const struct cistern *c, struct err *e);
/* "OP is not supported over a NAME connection" (returns -1). */
int engine_unsupported(const struct cistern *c, const char *what,
		       struct err *e);
/* Call c's engine's OP (an int op), or fail when it has none. */
#define ENGINE_CALL(c, op, e, ...) \
	((c)->engine->op != NULL ? (c)->engine->op((c), __VA_ARGS__) : \
	 engine_unsupported((c), #op, (e)))

/* Open c: with a URI (not NULL or empty) through the engine that serves
 * it, else as cistern_open. The config and run dirs are used by the
 * local engine, and for secrets by either. */
int cistern_connect(struct cistern *c, const char *uri,
		    const char *config_dir, const char *run_dir,
		    unsigned flags, bool read_only, store_warn_fn warn,
		    void *warn_arg, struct err *e);

/* c's engine's load_full (see there; from any thread), and putting
 * what it read in place of c's pools (the faces' thread). */
int cistern_load_full(struct cistern *c, int what, struct pool ***out,
		      size_t *n, struct err *e);
void cistern_replace_pools(struct cistern *c, struct pool **pools, size_t n);
/* c's engine's pool_rescan (from any thread). */
int cistern_rescan_pool(struct cistern *c, const char *name, struct err *e);
/* Is e a lost (or never made) connection to the engine's other side? */
bool engine_lost(const struct err *e);

/* Pool events from an engine (core/watch.h's struct pool_event):
 * cistern_events_open gives a descriptor to poll, or -1 with e set;
 * engine_event_read takes one record from it when it is readable:
 * 1 an event (free ev->name), -1 the connection is lost or the engine
 * stopped (e set, one line). An engine writes a record with
 * engine_event_write (type, detail: enum pool_event_type/_detail, or
 * ENGINE_EVENT_LOST and the error line as `text`); records are written
 * whole or not at all, and never block (a reader that does not keep up
 * loses events, not the engine its thread). */
struct pool_event;
#define ENGINE_EVENT_LOST 255
int cistern_events_open(struct cistern *c, struct err *e);
void cistern_events_close(struct cistern *c, int fd);
/* A job's forked child: may it use the engine (0), or must the parent
 * fork again (-1)? (engine_ops.forked) */
int cistern_forked(struct cistern *c);
int engine_event_write(int fd, int type, int detail, const char *text);
int engine_event_read(int fd, struct pool_event *ev, struct err *e);

/* For engines: a pool object around `d` (ownership taken), owned by c,
 * and its disposal. */
struct pool *pool_new(struct cistern *c, struct pool_def *d);
void pool_discard(struct pool *p);
/* Put a pool the engine read into c's list: in place of the pool of the
 * same name (which keeps its address; its volumes are dropped), or at
 * the end. Returns the pool in the list. */
struct pool *cistern_adopt_pool(struct cistern *c, struct pool *fresh);

/* What the connection is (uri, hostname verbs), and XML with errors. */
char *cistern_uri(struct cistern *c, struct err *e);
char *cistern_hostname(struct cistern *c, struct err *e);
char *pool_dumpxml(struct cistern *c, const struct pool *p, unsigned flags,
		   struct err *e);
char *vol_dumpxml(struct cistern *c, const struct pool *p,
		  const struct vol_def *v, struct err *e);
/* find-storage-pool-sources on c's connection (c may be NULL: local). */
char *cistern_find_sources(struct cistern *c, enum pool_type t,
			   const struct source_query *q, struct err *e);

#endif
