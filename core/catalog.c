/* cistern — the catalog: every defined pool loaded from the store, with
 * its recorded state checked against reality; lookups by name or UUID;
 * autostart after a boot. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "pool_int.h"
#include "run.h"
#include "util.h"

void
pool_free(struct pool *p)
{
	if (p == NULL)
		return;
	/* volumes first: clearing them touches the definition's devices */
	pool_clear_vols(p);
	pool_def_free(p->def);
	free(p->error);
	strv_free(p->facts);
	free(p);
}

static bool
pool_lock_held_elsewhere(struct cistern *c, struct pool *p)
{
	int fd = pool_lock(c, p, true, NULL);

	if (fd < 0)
		return true;
	pool_unlock(fd);
	return false;
}

/* Decide what a recorded state means now (after a reboot, an unmount by
 * hand, a killed build). */
static void
pool_check_state(struct cistern *c, struct pool *p)
{
	const struct backend *b = backend_get(p->def->type);
	struct err e;
	bool running = true;

	if (p->state == POOL_INACTIVE)
		return;
	if (p->state == POOL_BUILDING) {
		if (!pool_lock_held_elsewhere(c, p)) {
			p->state = POOL_INACTIVE;
			free(p->error);
			p->error = xstrdup("a build was interrupted; the device "
					   "may be partly written");
		}
		return;
	}
	if (b == NULL || b->check == NULL)
		return;
	err_init(&e);
	if (b->check(p, &running, &e) < 0) {
		p->state = POOL_INACCESSIBLE;
		pool_set_error(p, &e);
	} else if (!running) {
		p->state = POOL_INACCESSIBLE;
		if (err_isset(&e))
			pool_set_error(p, &e);
		else {
			free(p->error);
			p->error = xstrdup("recorded as running, but its "
					   "storage is not available");
		}
	} else if (p->state == POOL_INACCESSIBLE) {
		p->state = POOL_RUNNING;
	}
	err_clear(&e);
}

static struct pool *
pool_from_def(struct cistern *c, struct pool_def *d)
{
	struct pool *p = xcalloc(1, sizeof(*p));
	struct pool_status st;
	struct err e;

	p->def = d;
	p->owner = c;
	p->state = POOL_INACTIVE;
	err_init(&e);
	if (store_read_status(&c->store, d->name, &st, &e) < 0) {
		if (c->warn)
			c->warn(c->warn_arg, e.msg);
		err_clear(&e);
	} else {
		p->state = (enum pool_state)st.state;
		d->capacity = st.capacity;
		d->allocation = st.allocation;
		d->available = st.available;
		p->error = st.error;
		st.error = NULL;
		p->facts = st.facts;
		p->nfacts = st.nfacts;
		st.facts = NULL;
		pool_status_clear(&st);
	}
	err_init(&e);
	p->autostart = store_autostart_get(&c->store, d->name, &e) > 0;
	if (err_isset(&e) && c->warn)
		c->warn(c->warn_arg, e.msg);
	err_clear(&e);
	return p;
}

static void
cistern_free_pools(struct cistern *c)
{
	for (size_t i = 0; i < c->npools; i++)
		pool_free(c->pools[i]);
	free(c->pools);
	c->pools = NULL;
	c->npools = 0;
}

static int
cistern_load(struct cistern *c, struct err *e)
{
	struct pool_def **defs;
	size_t n;

	if (store_load(&c->store, &defs, &n, c->warn, c->warn_arg, e) < 0)
		return -1;
	c->pools = xcalloc(n ? n : 1, sizeof(*c->pools));
	for (size_t i = 0; i < n; i++) {
		c->pools[i] = pool_from_def(c, defs[i]);
		pool_check_state(c, c->pools[i]);
	}
	c->npools = n;
	free(defs);
	/* transient pools: only running ones exist (a stopped one is gone) */
	if (store_load_transient(&c->store, &defs, &n, c->warn, c->warn_arg,
				 e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		struct pool *p;
		if (cistern_find_pool(c, defs[i]->name) != NULL) {
			pool_def_free(defs[i]);
			continue;
		}
		p = pool_from_def(c, defs[i]);
		p->transient = true;
		p->autostart = false;
		if (p->state == POOL_INACTIVE) {
			pool_free(p);
			continue;
		}
		pool_check_state(c, p);
		c->pools = xreallocarray(c->pools, c->npools + 1,
					 sizeof(*c->pools));
		c->pools[c->npools++] = p;
	}
	free(defs);
	return 0;
}

static void
cistern_autostart(struct cistern *c)
{
	for (size_t i = 0; i < c->npools; i++) {
		struct pool *p = c->pools[i];
		struct err e;

		if (!p->autostart || pool_is_active(p))
			continue;
		err_init(&e);
		if (pool_start(c, p, 0, NULL, &e) < 0 && c->warn) {
			char *m = xasprintf("autostart: %s", e.msg);
			c->warn(c->warn_arg, m);
			free(m);
		}
		err_clear(&e);
	}
}

int
cistern_open(struct cistern *c, const char *config_dir, const char *run_dir,
	     unsigned flags, store_warn_fn warn, void *warn_arg, struct err *e)
{
	char *cfg, *run;
	int rc;

	memset(c, 0, sizeof(*c));
	c->warn = warn;
	c->warn_arg = warn_arg;
	store_default_dirs(config_dir, run_dir, &cfg, &run);
	rc = store_open(&c->store, cfg, run, e);
	free(cfg);
	free(run);
	if (rc < 0)
		return -1;
	if (cistern_load(c, e) < 0)
		return -1;
	/* the boot marker is a write: only when there is a pool to start
	 * (so listing a missing or read-only config dir creates nothing) */
	bool any = false;
	for (size_t i = 0; i < c->npools; i++)
		any |= c->pools[i]->autostart && !pool_is_active(c->pools[i]);
	if ((flags & CISTERN_LOAD_AUTOSTART) && !run_dry_run() && any &&
	    store_first_since_boot(&c->store))
		cistern_autostart(c);
	return 0;
}

void
cistern_close(struct cistern *c)
{
	cistern_free_pools(c);
	if (engine_remote(c))
		c->engine->close(c);
	store_close(&c->store);
}

int
cistern_reload(struct cistern *c, struct err *e)
{
	struct pool **pools;
	size_t n;

	if (engine_remote(c)) {
		if (c->engine->load(c, &pools, &n, e) < 0)
			return -1;
		cistern_replace_pools(c, pools, n);
		return 0;
	}
	cistern_free_pools(c);
	return cistern_load(c, e);
}

void
cistern_replace_pools(struct cistern *c, struct pool **pools, size_t n)
{
	cistern_free_pools(c);
	c->pools = pools;
	c->npools = n;
}

struct pool *
cistern_find_pool(struct cistern *c, const char *key)
{
	unsigned char u[16];
	bool is_uuid = model_uuid_parse(key, u) == 0;

	for (size_t i = 0; i < c->npools; i++)
		if (strcmp(c->pools[i]->def->name, key) == 0)
			return c->pools[i];
	for (size_t i = 0; is_uuid && i < c->npools; i++)
		if (memcmp(c->pools[i]->def->uuid, u, 16) == 0)
			return c->pools[i];
	return NULL;
}

struct pool *
cistern_get_pool(struct cistern *c, const char *key, struct err *e)
{
	struct pool *p = cistern_find_pool(c, key);

	if (p == NULL)
		err_setc(e, ERR_NOT_FOUND,
			 "no storage pool with matching name or uuid '%s'", key);
	return p;
}


struct pool *
cistern_adopt_pool(struct cistern *c, struct pool *fresh)
{
	struct pool *old = cistern_find_pool(c, fresh->def->name);

	if (old == NULL) {
		c->pools = xreallocarray(c->pools, c->npools + 1,
					 sizeof(*c->pools));
		c->pools[c->npools++] = fresh;
		return fresh;
	}
	pool_clear_vols(old);
	pool_def_free(old->def);
	free(old->error);
	strv_free(old->facts);
	old->def = fresh->def;
	old->state = fresh->state;
	old->autostart = fresh->autostart;
	old->error = fresh->error;
	old->facts = fresh->facts;
	old->nfacts = fresh->nfacts;
	free(fresh);
	return old;
}

void
cistern_unlink_pool(struct cistern *c, struct pool *p)
{
	for (size_t i = 0; i < c->npools; i++) {
		if (c->pools[i] != p)
			continue;
		memmove(&c->pools[i], &c->pools[i + 1],
			(c->npools - i - 1) * sizeof(*c->pools));
		c->npools--;
		return;
	}
}
