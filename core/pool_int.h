/* cistern — what core/pool.c, core/pool_define.c, core/catalog.c and
 * core/vol.c share and nobody else sees. */
#ifndef CISTERN_POOL_INT_H
#define CISTERN_POOL_INT_H

#include <stdbool.h>

#include "engine.h"
#include "pool.h"

/* At the top of a core operation: when c is served by another engine,
 * check what needs no connection (read-only mode for a change) and hand
 * the operation to the engine (core/engine.h). */
#define ENGINE_FORWARD(c, writes, op, e, ...) \
	do { \
		if (engine_remote(c)) { \
			if ((writes) && engine_check_write((c), (e)) < 0) \
				return -1; \
			return ENGINE_CALL(c, op, e, __VA_ARGS__); \
		} \
	} while (0)

/* Take p out of c's list (not freed). */
void cistern_unlink_pool(struct cistern *c, struct pool *p);

/* Free a pool object (its volumes first: they point into the def). */
void pool_free(struct pool *p);

/* Persist state, sizes, last error and facts (nothing in dry-run). */
int pool_save_status(struct cistern *c, struct pool *p, struct err *e);

/* Remember (or, with NULL, forget) the last operation's error. */
void pool_set_error(struct pool *p, const struct err *e);

/* The per-pool operation lock in the run dir: exclusive for life-cycle
 * operations, shared for volume operations; never waits. Returns an fd. */
int pool_lock(struct cistern *c, struct pool *p, bool exclusive,
	      struct err *e);
void pool_unlock(int fd);

/* Refuse a change in read-only mode. */
int pool_need_writable(struct cistern *c, struct err *e);

/* Record where a file pool's target leads, when nothing is recorded yet
 * (a target that did not exist at define time): the build that made it,
 * or the first start, records (core/pool_define.c). */
void pool_note_target_first(struct cistern *c, const struct pool_def *d);

/* Forget a transient pool: its definition, state and lock file (as
 * libvirt, a stopped transient pool is gone). */
void pool_forget_transient(struct cistern *c, const char *name);

#endif
