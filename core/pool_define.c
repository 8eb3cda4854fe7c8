/* cistern — pools defined and undefined: persistent and transient
 * definitions, autostart (the life cycle is core/pool.c). */
#include "pool.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool_int.h"
#include "run.h"
#include "util.h"
#include "xml.h"

/* Record where a file pool's target leads now, at define time: volume
 * operations refuse a target that later leads elsewhere (a directory
 * replaced by a symbolic link). No target yet: the first use records. */
static void
note_target(struct cistern *c, const struct pool_def *d)
{
	char *real;

	if (!(pool_type_info(d->type)->kind & POOL_TI_FILES))
		return;
	real = d->target_path ? realpath(d->target_path, NULL) : NULL;
	store_target_set(&c->store, d->name, real, NULL);
	free(real);
}

/* The same when nothing is recorded yet (a target that did not exist at
 * define time): the build that made it, or the first start, records. */
void
pool_note_target_first(struct cistern *c, const struct pool_def *d)
{
	char *have = store_target_get(&c->store, d->name);

	if (have == NULL)
		note_target(c, d);
	free(have);
}

/* A new inactive pool around d (taken), at the end of c's list; also in
 * *out when out is not NULL. */
static struct pool *
pool_append(struct cistern *c, struct pool_def *d, struct pool **out)
{
	struct pool *p = pool_new(c, d);

	c->pools = xreallocarray(c->pools, c->npools + 1, sizeof(*c->pools));
	c->pools[c->npools++] = p;
	if (out)
		*out = p;
	return p;
}

/* Define (or, with `transient`, create and start) through a non-local
 * engine; takes d. The engine's pool goes into c's list. */
static int
engine_define(struct cistern *c, struct pool_def *d, bool transient,
	      struct pool **out, struct err *e)
{
	struct pool *(*op)(struct cistern *, const struct pool_def *,
			   struct err *) = transient ? c->engine->pool_create :
						       c->engine->pool_define;
	struct pool *np = NULL;

	if (engine_check_write(c, e) < 0)
		;
	else if (op == NULL)
		engine_unsupported(c, transient ? "pool-create" : "pool-define",
				   e);
	else
		np = op(c, d, e);
	pool_def_free(d);
	if (np == NULL)
		return -1;
	np = cistern_adopt_pool(c, np);
	if (out)
		*out = np;
	return 0;
}

/* Free the definitions store_load gave. */
static void
defs_free(struct pool_def **defs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		pool_def_free(defs[i]);
	free(defs);
}

int
pool_define(struct cistern *c, struct pool_def *d, struct pool **out,
	    struct err *e)
{
	struct pool_def **defs = NULL;
	size_t n = 0;
	struct pool *old;
	int rc = -1;

	if (pool_need_writable(c, e) < 0) {
		pool_def_free(d);
		return -1;
	}
	if (engine_remote(c))
		return engine_define(c, d, false, out, e);
	if (model_check_name("pool", d->name, e) < 0) {
		pool_def_free(d);
		return -1;
	}
	if (store_lock(&c->store, e) < 0) {
		pool_def_free(d);
		return -1;
	}
	/* check against what is on disk now, not what we loaded earlier */
	if (store_load(&c->store, &defs, &n, NULL, NULL, e) < 0)
		goto out;
	if (store_check_duplicates(d, defs, n, e) < 0)
		goto out;
	old = cistern_find_pool(c, d->name);
	if (old != NULL) {
		struct pool_status st;
		struct err se;
		err_init(&se);
		store_read_status(&c->store, d->name, &st, &se);
		err_clear(&se);
		bool active = st.state != POOL_INACTIVE;
		pool_status_clear(&st);
		if (active) {
			char *xa = pool_def_format(old->def, POOL_XML_INACTIVE);
			char *xb = pool_def_format(d, POOL_XML_INACTIVE);
			bool same = strcmp(xa, xb) == 0;
			free(xa);
			free(xb);
			if (!same) {
				err_setc(e, ERR_STATE,
					 "pool '%s' is active: stop it before "
					 "changing its definition", d->name);
				goto out;
			}
		}
	}
	if (!run_dry_run() && store_write_def(&c->store, d, e) < 0)
		goto out;
	if (!run_dry_run())
		note_target(c, d);
	if (old != NULL && old->transient) {
		/* as libvirt: defining a transient pool makes it persistent */
		if (!run_dry_run())
			store_remove_transient(&c->store, d->name, NULL);
		old->transient = false;
	}
	if (old != NULL) {
		/* keep run-time sizes */
		d->capacity = old->def->capacity;
		d->allocation = old->def->allocation;
		d->available = old->def->available;
		pool_clear_vols(old);
		pool_def_free(old->def);
		old->def = d;
		if (out)
			*out = old;
	} else {
		pool_append(c, d, out);
	}
	d = NULL;
	rc = 0;
out:
	store_unlock(&c->store);
	defs_free(defs, n);
	pool_def_free(d);
	return rc;
}

int
pool_define_transient(struct cistern *c, struct pool_def *d,
		      struct pool **out, struct err *e)
{
	struct pool_def **defs = NULL, **tdefs = NULL;
	size_t n = 0, tn = 0;
	int rc = -1;

	/* libvirt makes a transient pool running: the caller's start is not
	 * needed (it sees the pool active) */
	if (engine_remote(c))
		return engine_define(c, d, true, out, e);
	if (pool_need_writable(c, e) < 0 ||
	    model_check_name("pool", d->name, e) < 0) {
		pool_def_free(d);
		return -1;
	}
	if (store_lock(&c->store, e) < 0) {
		pool_def_free(d);
		return -1;
	}
	/* against every pool on disk now, persistent and transient */
	if (store_load(&c->store, &defs, &n, NULL, NULL, e) < 0 ||
	    store_load_transient(&c->store, &tdefs, &tn, NULL, NULL, e) < 0)
		goto out;
	defs = xreallocarray(defs, n + tn + 1, sizeof(*defs));
	for (size_t i = 0; i < tn; i++)
		defs[n++] = tdefs[i];
	tn = 0;
	if (cistern_find_pool(c, d->name) != NULL) {
		err_setc(e, ERR_EXISTS, "pool '%s' already exists", d->name);
		goto out;
	}
	if (store_check_duplicates(d, defs, n, e) < 0)
		goto out;
	if (!run_dry_run() && store_write_transient(&c->store, d, e) < 0)
		goto out;
	pool_append(c, d, out)->transient = true;
	d = NULL;
	rc = 0;
out:
	store_unlock(&c->store);
	defs_free(defs, n);
	free(tdefs);
	pool_def_free(d);
	return rc;
}

/* Remove a pool's lock file in the run dir. */
static void
lock_file_remove(struct cistern *c, const char *name)
{
	char *path = path_join_ext(c->store.run_dir, name, "lock");

	unlink(path);
	free(path);
}

void
pool_forget_transient(struct cistern *c, const char *name)
{
	if (run_dry_run())
		return;
	store_remove_transient(&c->store, name, NULL);
	store_remove_status(&c->store, name);
	lock_file_remove(c, name);
}

void
pool_drop_transient(struct cistern *c, struct pool *p)
{
	if (!p->transient || pool_is_active(p))
		return;
	pool_forget_transient(c, p->def->name);
	cistern_unlink_pool(c, p);
	pool_free(p);
}

int
pool_undefine(struct cistern *c, struct pool *p, struct err *e)
{
	int lk, rc = -1;

	if (pool_need_writable(c, e) < 0)
		return -1;
	if (engine_remote(c)) {
		if (engine_check_write(c, e) < 0 ||
		    ENGINE_CALL(c, pool_undefine, e, p, e) < 0)
			return -1;
		cistern_unlink_pool(c, p);
		pool_free(p);
		return 0;
	}
	if (p->transient)
		return err_setc(e, ERR_STATE, "cannot undefine transient "
				"storage pool '%s' (stop it: it goes)",
				p->def->name);
	if (pool_is_active(p))
		return err_setc(e, ERR_STATE,
				"pool '%s' is still active: stop it first",
				p->def->name);
	if ((lk = pool_lock(c, p, true, e)) < 0)
		return -1;
	if (store_lock(&c->store, e) < 0)
		goto out;
	if (!run_dry_run() && store_remove_def(&c->store, p->def->name, e) < 0) {
		store_unlock(&c->store);
		goto out;
	}
	store_unlock(&c->store);
	cistern_unlink_pool(c, p);
	pool_unlock(lk);
	if (!run_dry_run())
		lock_file_remove(c, p->def->name);
	pool_free(p);
	return 0;
out:
	pool_unlock(lk);
	return rc;
}

int
pool_set_autostart(struct cistern *c, struct pool *p, bool on, struct err *e)
{
	ENGINE_FORWARD(c, true, pool_set_autostart, e, p, on, e);
	if (pool_need_writable(c, e) < 0)
		return -1;
	if (p->transient)
		return err_setc(e, ERR_STATE, "cannot set autostart for "
				"transient pool '%s'", p->def->name);
	if (store_lock(&c->store, e) < 0)
		return -1;
	int rc = run_dry_run() ? 0 :
		 store_autostart_set(&c->store, p->def->name, on, e);
	store_unlock(&c->store);
	if (rc == 0)
		p->autostart = on;
	return rc;
}
