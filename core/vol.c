/* cistern — volume operations: checks around the backends. */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "pool_int.h"
#include "run.h"
#include "util.h"

struct vol_def *
pool_find_vol(struct pool *p, const char *name)
{
	for (size_t i = 0; i < p->nvols; i++)
		if (strcmp(p->vols[i]->name, name) == 0)
			return p->vols[i];
	return NULL;
}

struct vol_def *
cistern_find_vol(struct cistern *c, const char *pool_name, const char *vol,
		 struct pool **pool_out, struct err *e)
{
	struct err le;

	if (pool_name != NULL) {
		struct pool *p = cistern_get_pool(c, pool_name, e);
		struct vol_def *v;
		if (p == NULL)
			return NULL;
		if (!pool_is_active(p))
			return err_setc(e, ERR_STATE,
					"pool '%s' is not active",
					p->def->name), NULL;
		if (pool_ensure_refreshed(c, p, e) < 0)
			return NULL;
		v = pool_find_vol(p, vol);
		if (v == NULL) {
			/* a path or key given with --pool still works */
			for (size_t i = 0; i < p->nvols && v == NULL; i++)
				if (str_eq(p->vols[i]->target.path, vol) ||
				    str_eq(p->vols[i]->key, vol))
					v = p->vols[i];
		}
		if (v == NULL)
			return err_setc(e, ERR_NOT_FOUND,
					"no storage vol with matching name '%s' "
					"in pool '%s'", vol, p->def->name), NULL;
		if (pool_out)
			*pool_out = p;
		return v;
	}
	/* by path or key, across active pools (virsh's order: key, path) */
	err_init(&le);
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < c->npools; i++) {
			struct pool *p = c->pools[i];
			if (p->state != POOL_RUNNING && p->state != POOL_DEGRADED)
				continue;
			if (pool_ensure_refreshed(c, p, &le) < 0) {
				err_clear(&le);
				continue;
			}
			for (size_t k = 0; k < p->nvols; k++) {
				const struct vol_def *v = p->vols[k];
				if ((pass == 0 && str_eq(v->key, vol)) ||
				    (pass == 1 && str_eq(v->target.path, vol))) {
					if (pool_out)
						*pool_out = p;
					return p->vols[k];
				}
			}
		}
	}
	return err_setc(e, ERR_NOT_FOUND,
			"no storage vol with matching key or path '%s' (give "
			"--pool to look a volume up by name)", vol), NULL;
}

/* Common gate: writable, backend, operation present, pool usable. */
static const struct backend *
vol_gate(struct cistern *c, struct pool *p, const char *opname,
	 bool present, bool create_kind, struct err *e)
{
	const struct backend *b = backend_get(p->def->type);

	if (c->read_only)
		return err_setc(e, ERR_REFUSED, "cistern is in read-only mode"),
		       NULL;
	if (b == NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"pool '%s': no backend for type '%s'",
				p->def->name, pool_type_name(p->def->type)),
		       NULL;
	if (create_kind && !(b->flags & BACKEND_VOL_CREATE)) {
		if (b->says_no_volumes != NULL)
			return err_setc(e, ERR_UNSUPPORTED,
					"pool '%s': cannot %s volumes in an %s "
					"pool: %s", p->def->name, opname,
					pool_type_name(p->def->type),
					b->says_no_volumes), NULL;
		return err_setc(e, ERR_UNSUPPORTED,
				"pool '%s': %s pools cannot %s volumes",
				p->def->name, pool_type_name(p->def->type),
				opname), NULL;
	}
	if (!present)
		return err_setc(e, ERR_UNSUPPORTED,
				"pool '%s': volume %s is not supported for %s "
				"pools", p->def->name, opname,
				pool_type_name(p->def->type)), NULL;
	if (p->state != POOL_RUNNING && p->state != POOL_DEGRADED)
		return err_setc(e, ERR_STATE, "pool '%s' is not running (%s)",
				p->def->name, pool_state_name(p->state)), NULL;
	return b;
}

static void
vol_remove_from_list(struct pool *p, const struct vol_def *v)
{
	for (size_t i = 0; i < p->nvols; i++) {
		if (p->vols[i] != v)
			continue;
		vol_def_free(p->vols[i]);
		memmove(&p->vols[i], &p->vols[i + 1],
			(p->nvols - i - 1) * sizeof(*p->vols));
		p->nvols--;
		return;
	}
}

/* After a volume was made or deleted: backends whose volumes move (disk
 * partitions renumber, free space and sizes change) have the whole pool
 * re-read; the others keep the list up to date by hand. */
static bool
vol_reread(struct cistern *c, struct pool *p, const struct backend *b)
{
	struct err re;

	if (!(b->flags & BACKEND_VOL_REFRESH))
		return false;
	err_init(&re);
	pool_refresh(c, p, NULL, &re);   /* a failure is recorded there */
	err_clear(&re);
	return true;
}

static int
vol_check_new(struct cistern *c, struct pool *p, struct vol_def *v,
	      struct err *e)
{
	const char *const *formats = model_vol_formats(p->def->type);

	if (model_check_name("volume", v->name, e) < 0)
		return err_prefix(e, "pool '%s'", p->def->name);
	if (pool_ensure_refreshed(c, p, e) < 0)
		return -1;
	if (pool_find_vol(p, v->name) != NULL)
		return err_setc(e, ERR_EXISTS,
				"volume '%s' already exists in pool '%s'",
				v->name, p->def->name);
	if (formats == NULL) {
		free(v->target.format);
		v->target.format = NULL;
	} else if (v->target.format == NULL) {
		v->target.format = xstrdup(model_vol_default_format(p->def->type));
	} else if (!model_format_allowed(formats, v->target.format)) {
		return err_setc(e, ERR_INVALID,
				"pool '%s': volume format '%s' is not allowed "
				"for %s pools", p->def->name, v->target.format,
				pool_type_name(p->def->type));
	}
	if (v->allocation > v->capacity && v->has_capacity)
		v->allocation = v->capacity;
	return 0;
}

int
vol_create(struct cistern *c, struct pool *p, struct vol_def *v,
	   unsigned flags, struct job *j, struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, vol_create, e, p, v, flags, j, e);
	b = vol_gate(c, p, "create", backend_get(p->def->type) &&
		     backend_get(p->def->type)->vol_create, true, e);
	if (b == NULL || vol_check_new(c, p, v, e) < 0)
		return -1;
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_create(p, v, flags, j, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	if (!run_dry_run() && !vol_reread(c, p, b))
		pool_add_vol(p, vol_def_dup(v));
	return 0;
}

int
vol_create_from(struct cistern *c, struct pool *p, struct vol_def *v,
		struct pool *src_pool, const struct vol_def *src,
		unsigned flags, struct job *j, struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, vol_create_from, e, p, v, src_pool, src, flags,
		       j, e);
	b = vol_gate(c, p, "clone", backend_get(p->def->type) &&
		     backend_get(p->def->type)->vol_create_from, true, e);
	if (b == NULL)
		return -1;
	if (src_pool->state != POOL_RUNNING && src_pool->state != POOL_DEGRADED)
		return err_setc(e, ERR_STATE, "pool '%s' is not running",
				src_pool->def->name);
	if (vol_check_new(c, p, v, e) < 0)
		return -1;
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_create_from(p, v, src_pool, src, flags, j, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	if (!run_dry_run() && !vol_reread(c, p, b))
		pool_add_vol(p, vol_def_dup(v));
	return 0;
}

int
vol_delete(struct cistern *c, struct pool *p, const struct vol_def *v,
	   unsigned flags, struct err *e)
{
	const struct backend *b;
	int lk, rc;

	if (engine_remote(c)) {
		if (engine_check_write(c, e) < 0 ||
		    ENGINE_CALL(c, vol_delete, e, p, v, flags, e) < 0)
			return -1;
		vol_remove_from_list(p, v);
		return 0;
	}
	b = vol_gate(c, p, "delete",
		     backend_get(p->def->type) &&
		     backend_get(p->def->type)->vol_delete,
		     true, e);

	if (b == NULL)
		return -1;
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_delete(p, v, flags, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	if (!run_dry_run() && !vol_reread(c, p, b))
		vol_remove_from_list(p, v);
	return 0;
}

int
vol_wipe(struct cistern *c, struct pool *p, const struct vol_def *v,
	 enum wipe_alg alg, struct job *j, struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, vol_wipe, e, p, v, alg, j, e);
	b = vol_gate(c, p, "wipe", backend_get(p->def->type) &&
		     backend_get(p->def->type)->vol_wipe, false, e);
	if (b == NULL)
		return -1;
	if ((unsigned)alg >= WIPE_ALG_COUNT)
		return err_setc(e, ERR_INVALID, "unknown wipe algorithm");
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_wipe(p, v, alg, j, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	return 0;
}

int
vol_resize(struct cistern *c, struct pool *p, const struct vol_def *v,
	   uint64_t capacity, unsigned flags, struct job *j, struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, vol_resize, e, p, v, capacity, flags, j, e);
	b = vol_gate(c, p, "resize", backend_get(p->def->type) &&
		     backend_get(p->def->type)->vol_resize, false, e);
	if (b == NULL)
		return -1;
	if (capacity > (uint64_t)INT64_MAX)
		return err_setc(e, ERR_INVALID, "size too large");
	if (v->damaged)
		return err_setc(e, ERR_REFUSED, "pool '%s': volume '%s' is "
				"damaged (%s); not resized", p->def->name,
				v->name, v->note ? v->note : "");
	if (capacity < v->capacity && !(flags & VOL_RESIZE_SHRINK))
		return err_setc(e, ERR_INVALID,
				"pool '%s': volume '%s': the new capacity is "
				"smaller than the current one; give --shrink "
				"to shrink it", p->def->name, v->name);
	if (capacity == 0)
		return err_setc(e, ERR_INVALID,
				"pool '%s': volume '%s': cannot resize to 0 bytes",
				p->def->name, v->name);
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_resize(p, v, capacity, flags, j, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	if (!run_dry_run()) {
		for (size_t i = 0; i < p->nvols; i++)
			if (p->vols[i] == v)
				p->vols[i]->capacity = capacity;
	}
	return 0;
}

int
vol_upload(struct cistern *c, struct pool *p, const struct vol_def *v, int fd,
	   uint64_t offset, uint64_t length, unsigned flags, struct job *j,
	   struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, vol_upload, e, p, v, fd, offset, length, flags,
		       j, e);
	b = vol_gate(c, p, "upload", backend_get(p->def->type) &&
		     backend_get(p->def->type)->vol_upload, false, e);
	if (b == NULL)
		return -1;
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_upload(p, v, fd, offset, length, flags, j, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	return 0;
}

int
vol_download(struct cistern *c, struct pool *p, const struct vol_def *v,
	     int fd, uint64_t offset, uint64_t length, unsigned flags,
	     struct job *j, struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, false, vol_download, e, p, v, fd, offset, length,
		       flags, j, e);
	b = backend_get(p->def->type);
	/* downloading reads only: allowed in read-only mode */
	if (b == NULL || b->vol_download == NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"pool '%s': volume download is not supported "
				"for %s pools", p->def->name,
				pool_type_name(p->def->type));
	if (p->state != POOL_RUNNING && p->state != POOL_DEGRADED)
		return err_setc(e, ERR_STATE, "pool '%s' is not running",
				p->def->name);
	if ((lk = pool_lock(c, p, false, e)) < 0)
		return -1;
	rc = b->vol_download(p, v, fd, offset, length, flags, j, e);
	pool_unlock(lk);
	if (rc < 0)
		return err_prefix(e, "pool '%s': volume '%s'", p->def->name,
				  v->name);
	return 0;
}
