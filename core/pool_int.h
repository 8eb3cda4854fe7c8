/* cistern — what core/pool.c, core/catalog.c and core/vol.c share and
 * nobody else sees. */
#ifndef CISTERN_POOL_INT_H
#define CISTERN_POOL_INT_H

#include <stdbool.h>

#include "pool.h"

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

#endif
