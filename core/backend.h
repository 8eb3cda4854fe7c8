/* cistern — the backend interface and registry.
 *
 * One const struct of operations per pool type (libvirt's
 * virStorageBackend). A NULL operation means "not supported"; the core
 * (core/pool.c) turns it into a clear error, checks the pool state before
 * calling, and records the result. Backends never print, never exit and
 * never draw; they fill a struct err. Each backends/X.c exports exactly one
 * such struct; backends/registry.c registers them at start-up.
 *
 * Dry-run: when run_dry_run() is true, a backend must not change anything
 * in process either (no mkdir, no writes through libparted, no file
 * creation); it runs its commands through core/run.c (which only logs
 * them) and skips checks that depend on a tool's output.
 */
#ifndef CISTERN_BACKEND_H
#define CISTERN_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "err.h"
#include "job.h"
#include "model.h"

struct pool;
struct store;

/* pool_build / pool_start / pool_delete flags (virsh's). */
enum {
	POOL_BUILD_OVERWRITE = 1 << 0,     /* --overwrite: destroy what is there */
	POOL_BUILD_NO_OVERWRITE = 1 << 1,  /* --no-overwrite: probe and refuse */
	POOL_START_BUILD = 1 << 2,         /* pool-start --build */
	POOL_DELETE_CONFIRMED = 1 << 3,    /* the operator confirmed destruction */
	POOL_STOP_LAZY = 1 << 4,           /* lazy unmount (netfs, dead server) */
};

/* vol_create / vol_clone flags. */
enum {
	VOL_CREATE_PREALLOC_METADATA = 1 << 0,
	VOL_CREATE_REFLINK = 1 << 1,        /* clone must reflink or fail */
	VOL_CREATE_KEEP_BACKING = 1 << 2,   /* clone of an overlay keeps its
					       backing file (cistern's; libvirt
					       always makes a standalone copy) */
};

/* vol_delete flags. */
enum {
	VOL_DELETE_SNAPSHOTS = 1 << 0,      /* --delete-snapshots (rbd) */
};

/* vol_resize flags (the capacity given is absolute; the core converts
 * --delta). */
enum {
	VOL_RESIZE_ALLOCATE = 1 << 0,
	VOL_RESIZE_SHRINK = 1 << 1,
	VOL_RESIZE_CONFIRMED = 1 << 2,      /* operator confirmed a shrink */
};

/* vol_download / vol_upload flags. */
enum {
	VOL_DOWNLOAD_SPARSE = 1 << 0,   /* holes of the volume stay holes */
	VOL_UPLOAD_SPARSE = 1 << 0,     /* zero blocks become holes */
};

/* Wipe algorithms, as libvirt's virStorageVolWipeAlgorithm. */
enum wipe_alg {
	WIPE_ZERO,
	WIPE_NNSA,
	WIPE_DOD,
	WIPE_BSI,
	WIPE_GUTMANN,
	WIPE_SCHNEIER,
	WIPE_PFITZNER7,
	WIPE_PFITZNER33,
	WIPE_RANDOM,
	WIPE_TRIM,
	WIPE_ALG_COUNT
};
const char *wipe_alg_name(enum wipe_alg a);
int wipe_alg_from_name(const char *s);

/* Parameters of find_sources (find-storage-pool-sources[-as]). */
struct source_query {
	const char *host;
	int port;
	const char *initiator;
	const char *srcspec_xml;   /* optional <source> XML */
	const struct pool_auth *auth;   /* rbd: the cephx user and secret */
	const struct store *store;      /* where that secret is kept */
	const char *key;                /* rbd: the key itself, before it
					   is stored (the pool wizard) */
};

/* What vol_create would make of a request, without making it: the
 * volume wizard shows the size and place that will really result. */
struct vol_plan {
	char *name;             /* the name the volume must have (disk pools:
				   its partition's node name), or NULL */
	uint64_t capacity;      /* what it would really hold (aligned) */
	uint64_t start, end;    /* where on the device (end exclusive), or 0 */
	uint64_t extent_start;  /* the free extent it would go in */
	char *note;             /* "a logical partition in a new extended
				   partition", or NULL */
};

/* What the backend supports beyond its function pointers. */
enum {
	BACKEND_VOL_CREATE = 1 << 0,     /* volumes can be created/deleted */
	BACKEND_NEEDS_ROOT = 1 << 1,     /* start/stop need root */
	BACKEND_SHOWS_MAP = 1 << 2,      /* refresh fills device maps */
	BACKEND_BUILD_DESTRUCTIVE = 1 << 3, /* build writes to a device */
	BACKEND_VOL_REFRESH = 1 << 4,    /* re-read the pool after a volume is
					    made or deleted (names, free
					    space and sizes move) */
	BACKEND_REMOTE = 1 << 5,         /* operations talk to a network
					    service that may be slow or
					    gone: the screen runs even a
					    refresh as a job */
	BACKEND_DELETE_UNDOES_BUILD = 1 << 6, /* delete takes away what
					    build wrote on the devices */
	BACKEND_VOL_SNAPSHOTS = 1 << 7,  /* a volume's delete may take its
					    snapshots (VOL_DELETE_SNAPSHOTS) */
};

struct backend {
	enum pool_type type;
	unsigned flags;

	/* What build and start do, in words, for a review before they run
	 * (pool_says): {target}, {format}, {devices} and {name} stand for
	 * the definition's target path, source format, devices and source
	 * name. `says_destroy` is what a build over data does. NULL: the
	 * type has no such step. */
	const char *says_build;
	const char *says_destroy;
	const char *says_start;
	/* Why volumes cannot be made or removed here, when the reason is
	 * worth more than "not supported" (the core names pool and verb). */
	const char *says_no_volumes;

	/* Is a pool recorded as running still usable? (cheap, in process:
	 * mount table, sysfs, stat). Sets *running; may set a reason. */
	int (*check)(struct pool *p, bool *running, struct err *e);

	int (*build)(struct pool *p, unsigned flags, struct job *j,
		     struct err *e);
	int (*start)(struct pool *p, unsigned flags, struct job *j,
		     struct err *e);
	int (*stop)(struct pool *p, unsigned flags, struct err *e);
	int (*delete)(struct pool *p, unsigned flags, struct job *j,
		      struct err *e);
	/* Fill p->def sizes, the volume list (pool_add_vol) and, for disk
	 * and logical pools, device maps (pool_add_map) and free extents. */
	int (*refresh)(struct pool *p, struct job *j, struct err *e);
	/* libvirt's <sources> XML (malloc'd). */
	char *(*find_sources)(const struct source_query *q, struct err *e);

	/* Volumes. `v` is the requested definition; on success the backend
	 * fills in what it really made (path, key, capacity after alignment). */
	int (*vol_create)(struct pool *p, struct vol_def *v, unsigned flags,
			  struct job *j, struct err *e);
	int (*vol_create_from)(struct pool *p, struct vol_def *v,
			       struct pool *src_pool, const struct vol_def *src,
			       unsigned flags, struct job *j, struct err *e);
	int (*vol_delete)(struct pool *p, const struct vol_def *v,
			  unsigned flags, struct err *e);
	int (*vol_wipe)(struct pool *p, const struct vol_def *v,
			enum wipe_alg alg, struct job *j, struct err *e);
	int (*vol_resize)(struct pool *p, const struct vol_def *v,
			  uint64_t capacity, unsigned flags, struct job *j,
			  struct err *e);
	/* Copy `length` bytes (0: to the end) at `offset` between fd and the
	 * volume. */
	int (*vol_upload)(struct pool *p, const struct vol_def *v, int fd,
			  uint64_t offset, uint64_t length, unsigned flags,
			  struct job *j, struct err *e);
	int (*vol_download)(struct pool *p, const struct vol_def *v, int fd,
			    uint64_t offset, uint64_t length, unsigned flags,
			    struct job *j, struct err *e);

	/* Optional. Where and how large vol_create would make `v`, changing
	 * nothing (disk pools: the aligned partition and its name). */
	int (*vol_plan)(struct pool *p, const struct vol_def *v,
			struct vol_plan *out, struct err *e);
	/* Optional. List the volumes a definition would have without
	 * starting anything (an iSCSI target's LUNs, for the wizard): fill
	 * p's volumes as refresh does, on a pool that is not defined. */
	int (*preview)(struct pool *p, struct job *j, struct err *e);
};

/* Registry. */
void backend_register(const struct backend *b);
const struct backend *backend_get(enum pool_type t);

#endif
