/* cistern — pools at run time and the operations on them.
 *
 * This is the "driver": it checks names, states and flags, calls the
 * backend through core/backend.h (turning a NULL operation into a clear
 * error), records state in the store, and names the object in every error
 * ("pool 'vg0': vgchange -aly vg0 failed (exit 5): ...").
 */
#ifndef CISTERN_POOL_H
#define CISTERN_POOL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "backend.h"
#include "err.h"
#include "job.h"
#include "model.h"
#include "store.h"

struct engine_ops;

struct pool {
	struct pool_def *def;
	enum pool_state state;
	bool autostart;
	char *error;              /* last operation's error (persisted) */
	struct vol_def **vols;    /* after a refresh */
	size_t nvols;
	bool refreshed;
	/* Volumes read only for a list (pool_ensure_listed): 0, or
	 * VOL_LIST_NAMES / VOL_LIST_SIZES; refreshed stays false, and
	 * anything that needs more reads them in full. */
	int vols_brief;
	struct dev_map *maps;     /* disk/logical pools: device maps */
	size_t nmaps;
	char **facts;             /* backend facts "key=value" (persisted) */
	size_t nfacts;
	struct cistern *owner;
	bool transient;           /* pool-create: no definition in the config
				     dir; gone once stopped */
	char *preview_key;        /* a preview's secret (pool_preview) */
	size_t preview_keylen;
};

struct cistern {
	struct store store;
	struct pool **pools;
	size_t npools;
	bool read_only;
	store_warn_fn warn;
	void *warn_arg;
	/* who carries the operations out (core/engine.h); NULL: local */
	const struct engine_ops *engine;
	void *engine_data;         /* the engine's own (its connection) */
};

enum {
	CISTERN_LOAD_AUTOSTART = 1 << 0,   /* start autostart pools after boot */
	/* the connection serves a long-lived process (the interface), not
	 * one command */
	CISTERN_LONG_LIVED = 1 << 1,
};

/* Open the store (directories as store_default_dirs) and load every pool. */
int cistern_open(struct cistern *c, const char *config_dir,
		 const char *run_dir, unsigned flags, store_warn_fn warn,
		 void *warn_arg, struct err *e);
void cistern_close(struct cistern *c);
/* Re-read definitions and states (another cistern may have changed them). */
int cistern_reload(struct cistern *c, struct err *e);

/* Look up by name or UUID string. */
struct pool *cistern_find_pool(struct cistern *c, const char *name_or_uuid);
/* Error "no storage pool with matching name 'x'" when not found. */
struct pool *cistern_get_pool(struct cistern *c, const char *name_or_uuid,
			      struct err *e);

/* Define (or redefine an inactive pool); takes ownership of `d`. */
int pool_define(struct cistern *c, struct pool_def *d, struct pool **out,
		struct err *e);
int pool_undefine(struct cistern *c, struct pool *p, struct err *e);
/* A transient pool (libvirt's pool-create), not started yet: its
 * definition goes to the run dir; pool_start it, and pool_drop_transient
 * it if the start fails. pool_stop removes a transient pool's definition;
 * pool_define of its name makes it persistent. Over a libvirt connection
 * the pool comes back already running (virStoragePoolCreateXML). */
int pool_define_transient(struct cistern *c, struct pool_def *d,
			  struct pool **out, struct err *e);
void pool_drop_transient(struct cistern *c, struct pool *p);
int pool_set_autostart(struct cistern *c, struct pool *p, bool on,
		       struct err *e);

int pool_build(struct cistern *c, struct pool *p, unsigned flags,
	       struct job *j, struct err *e);
int pool_start(struct cistern *c, struct pool *p, unsigned flags,
	       struct job *j, struct err *e);
int pool_stop(struct cistern *c, struct pool *p, unsigned flags,
	      struct err *e);
int pool_delete(struct cistern *c, struct pool *p, unsigned flags,
		struct job *j, struct err *e);
int pool_refresh(struct cistern *c, struct pool *p, struct job *j,
		 struct err *e);
/* Tell watchers (pool-event) that an operator refreshed `p`: libvirt's
 * refresh event, for an explicit refresh only, not the implicit ones of
 * listings. */
void pool_announce_refresh(struct cistern *c, const struct pool *p);
/* Refresh only if no refresh happened in this process yet. */
int pool_ensure_refreshed(struct cistern *c, struct pool *p, struct err *e);
/* What a volume list needs, at least: VOL_LIST_NAMES (name, key, path)
 * or VOL_LIST_SIZES (and type, capacity, allocation). An engine that can
 * read that for less than the whole volume (libvirt: no volume XML to
 * fetch and parse) does; otherwise pool_ensure_refreshed. */
enum { VOL_LIST_NAMES = 1, VOL_LIST_SIZES = 2 };
int pool_ensure_listed(struct cistern *c, struct pool *p, int what,
		       struct err *e);
bool pool_is_active(const struct pool *p);
/* Has it a definition that outlives a stop? (cistern's pools always;
 * a libvirt pool made by pool-create is transient) */
bool pool_is_persistent(const struct pool *p);

/* For backends during refresh: add a volume (ownership taken), a map. */
void pool_clear_vols(struct pool *p);
void pool_add_vol(struct pool *p, struct vol_def *v);
struct dev_map *pool_add_map(struct pool *p, const char *device,
			     uint64_t size, const char *label);
void map_add_seg(struct dev_map *m, enum seg_kind kind, uint64_t start,
		 uint64_t end, const char *vol, int depth);

/* The secret the pool's <auth> names (a CHAP password, a cephx key): a
 * preview's own, else the secrets store's (core/secret.h). The caller
 * wipes and frees it with secret_free(). */
char *pool_secret(const struct pool *p, size_t *len, struct err *e);

/* Backend facts that survive between runs ("mounted-by=cistern"). */
const char *pool_fact(const struct pool *p, const char *key);
void pool_set_fact(struct pool *p, const char *key, const char *value);

/* Volumes. */
struct vol_def *pool_find_vol(struct pool *p, const char *name);
/* Find a volume by name in a pool, or by path or key in every active
 * pool (virsh's vol-* lookups). */
struct vol_def *cistern_find_vol(struct cistern *c, const char *pool_name,
				 const char *vol, struct pool **pool_out,
				 struct err *e);

/* After vol_create, vol_create_from and vol_delete, a pool whose backend
 * has BACKEND_VOL_REFRESH (disk) is re-read: every pointer into its
 * volume list (a clone's source too) is stale afterwards. */
int vol_create(struct cistern *c, struct pool *p, struct vol_def *v,
	       unsigned flags, struct job *j, struct err *e);
int vol_create_from(struct cistern *c, struct pool *p, struct vol_def *v,
		    struct pool *src_pool, const struct vol_def *src,
		    unsigned flags, struct job *j, struct err *e);
int vol_delete(struct cistern *c, struct pool *p, const struct vol_def *v,
	       unsigned flags, struct err *e);
int vol_wipe(struct cistern *c, struct pool *p, const struct vol_def *v,
	     enum wipe_alg alg, struct job *j, struct err *e);
int vol_resize(struct cistern *c, struct pool *p, const struct vol_def *v,
	       uint64_t capacity, unsigned flags, struct job *j,
	       struct err *e);
int vol_upload(struct cistern *c, struct pool *p, const struct vol_def *v,
	       int fd, uint64_t offset, uint64_t length, unsigned flags,
	       struct job *j, struct err *e);
int vol_download(struct cistern *c, struct pool *p, const struct vol_def *v,
		 int fd, uint64_t offset, uint64_t length, unsigned flags,
		 struct job *j, struct err *e);

/* What vol_create would make (the backend's vol_plan); ERR_UNSUPPORTED
 * when the backend makes volumes exactly as asked. A capacity of
 * UINT64_MAX asks for the largest the place allows (disk pools: all of
 * the named free extent, or of the largest, once aligned). */
int vol_plan(struct cistern *c, struct pool *p, const struct vol_def *v,
	     struct vol_plan *out, struct err *e);
void vol_plan_clear(struct vol_plan *pl);

/* The volumes a definition would have, without defining or starting it
 * (the backend's preview): a pool of its own, freed with pool_preview_free.
 * `key` (or NULL) is the secret its <auth> stands for, not stored yet (a
 * wizard's CHAP password). ERR_UNSUPPORTED for types that must be started
 * first. */
struct pool *pool_preview(struct cistern *c, const struct pool_def *d,
			  const char *key, struct job *j, struct err *e);
void pool_preview_free(struct pool *p);

/* find-storage-pool-sources: libvirt's <sources> XML. */
char *pool_find_sources(enum pool_type t, const struct source_query *q,
			struct err *e);

/* What a backend supports, for the UI and the CLI. */
/* The pool's XML (malloc'd). With POOL_XML_INACTIVE (core/xml.h), or when
 * the pool is not running, its definition; else the live XML as libvirt
 * writes it: sizes, free extents and, for file pools, the target
 * directory's real mode, owner and group. */
char *pool_xml(const struct pool *p, unsigned flags);

enum pool_op {
	POOL_OP_NONE,           /* no operation: always possible */
	POOL_OP_BUILD,
	POOL_OP_START,
	POOL_OP_STOP,
	POOL_OP_DELETE,
	POOL_OP_REFRESH,
	POOL_OP_FIND_SOURCES,
	POOL_OP_MAP,            /* device maps (disk and logical pools) */
	VOL_OP_CREATE,
	VOL_OP_CLONE,
	VOL_OP_DELETE,
	VOL_OP_WIPE,
	VOL_OP_RESIZE,
	VOL_OP_UPLOAD,
	VOL_OP_DOWNLOAD,
};
bool pool_can(const struct pool *p, enum pool_op op);
bool type_can(enum pool_type t, enum pool_op op);
/* Does the type's backend have all of `flags` (BACKEND_*)? */
bool type_has(enum pool_type t, unsigned flags);

/* What a step will do to the pool `d` defines, in words ("run mkfs.ext4
 * on /dev/sdb"), from its backend (malloc'd), or NULL when the type has
 * no such step, or a build has nothing to make it from (a logical pool
 * of a volume group that is there: no devices). */
enum pool_say { POOL_SAY_BUILD, POOL_SAY_DESTROY, POOL_SAY_START };
char *pool_says(const struct pool_def *d, enum pool_say what);

#endif
