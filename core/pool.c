/* cistern — pools at run time: life cycle, state, facts. */
#include "pool.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "pool_int.h"
#include "secret.h"
#include "run.h"
#include "util.h"
#include "xml.h"

/* ---- pools in memory ---- */

void
pool_clear_vols(struct pool *p)
{
	for (size_t i = 0; i < p->nvols; i++)
		vol_def_free(p->vols[i]);
	free(p->vols);
	p->vols = NULL;
	p->nvols = 0;
	for (size_t i = 0; i < p->nmaps; i++)
		dev_map_clear(&p->maps[i]);
	free(p->maps);
	p->maps = NULL;
	p->nmaps = 0;
	for (size_t i = 0; i < p->def->source.ndevices; i++) {
		free(p->def->source.devices[i].free);
		p->def->source.devices[i].free = NULL;
		p->def->source.devices[i].nfree = 0;
	}
	p->refreshed = false;
	p->vols_brief = 0;
}

void
pool_add_vol(struct pool *p, struct vol_def *v)
{
	if ((p->nvols & (p->nvols - 1)) == 0)
		p->vols = xreallocarray(p->vols, p->nvols ? p->nvols * 2 : 16,
					sizeof(*p->vols));
	p->vols[p->nvols++] = v;
}

struct dev_map *
pool_add_map(struct pool *p, const char *device, uint64_t size,
	     const char *label)
{
	struct dev_map *m;

	p->maps = xreallocarray(p->maps, p->nmaps + 1, sizeof(*p->maps));
	m = &p->maps[p->nmaps++];
	memset(m, 0, sizeof(*m));
	m->device = xstrdup(device);
	m->size = size;
	m->label = label ? xstrdup(label) : NULL;
	return m;
}

void
map_add_seg(struct dev_map *m, enum seg_kind kind, uint64_t start,
	    uint64_t end, const char *vol, int depth)
{
	m->segs = xreallocarray(m->segs, m->nsegs + 1, sizeof(*m->segs));
	m->segs[m->nsegs++] = (struct map_seg){
		.kind = kind, .start = start, .end = end,
		.vol = vol ? xstrdup(vol) : NULL, .depth = depth,
	};
}

char *
pool_secret(const struct pool *p, size_t *len, struct err *e)
{
	const struct pool_auth *a = p->def->source.auth;

	if (p->preview_key != NULL) {
		*len = p->preview_keylen;
		return xstrdup(p->preview_key);
	}
	if (a == NULL)
		return err_setc(e, ERR_INVALID, "pool '%s' has no <auth>",
				p->def->name), NULL;
	if (p->owner == NULL)
		return err_setc(e, ERR_GENERIC, "no secrets store to read "
				"the secret from"), NULL;
	return secret_get(&p->owner->store, a, len, e);
}

const char *
pool_fact(const struct pool *p, const char *key)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < p->nfacts; i++)
		if (strncmp(p->facts[i], key, kl) == 0 && p->facts[i][kl] == '=')
			return p->facts[i] + kl + 1;
	return NULL;
}

void
pool_set_fact(struct pool *p, const char *key, const char *value)
{
	size_t kl = strlen(key);

	for (size_t i = 0; i < p->nfacts; i++) {
		if (strncmp(p->facts[i], key, kl) != 0 || p->facts[i][kl] != '=')
			continue;
		free(p->facts[i]);
		if (value != NULL) {
			p->facts[i] = xasprintf("%s=%s", key, value);
		} else {
			memmove(&p->facts[i], &p->facts[i + 1],
				(p->nfacts - i) * sizeof(*p->facts));
			p->nfacts--;
		}
		return;
	}
	if (value != NULL) {
		char *kv = xasprintf("%s=%s", key, value);
		strv_push(&p->facts, &p->nfacts, kv);
		free(kv);
	}
}

bool
pool_is_active(const struct pool *p)
{
	return p->state != POOL_INACTIVE;
}

bool
pool_is_persistent(const struct pool *p)
{
	return !p->transient && !str_eq(pool_fact(p, "persistent"), "no");
}

/* Persist state, sizes, last error and facts. */
int
pool_save_status(struct cistern *c, struct pool *p, struct err *e)
{
	struct pool_status st = {
		.state = p->state,
		.capacity = p->def->capacity,
		.allocation = p->def->allocation,
		.available = p->def->available,
		.error = p->error,
		.facts = p->facts,
		.nfacts = p->nfacts,
	};

	if (run_dry_run())
		return 0;
	if (p->state == POOL_INACTIVE && p->error == NULL && p->nfacts == 0)
		return store_remove_status(&c->store, p->def->name) < 0 ?
		       err_errno(e, errno, "cannot remove the state of pool "
				 "'%s'", p->def->name) : 0;
	return store_write_status(&c->store, p->def->name, &st, e);
}

void
pool_set_error(struct pool *p, const struct err *e)
{
	free(p->error);
	p->error = (e != NULL && err_isset(e)) ? xstrdup(e->msg) : NULL;
}

/* Per-pool operation lock in the run dir: exclusive for life-cycle
 * operations, shared for volume operations; never waits. */
int
pool_lock(struct cistern *c, struct pool *p, bool exclusive, struct err *e)
{
	char *path;
	int fd;

	if (store_run_dir(&c->store, e) < 0)
		return -1;
	path = path_join_ext(c->store.run_dir, p->def->name, "lock");
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		err_errno(e, errno, "cannot open '%s'", path);
		free(path);
		return -1;
	}
	free(path);
	if (flock(fd, (exclusive ? LOCK_EX : LOCK_SH) | LOCK_NB) < 0) {
		close(fd);
		return err_setc(e, ERR_BUSY,
				"pool '%s' is busy: another cistern is working "
				"on it", p->def->name);
	}
	return fd;
}

void
pool_unlock(int fd)
{
	if (fd >= 0)
		close(fd);
}

/* ---- life cycle ---- */

static const struct backend *
pool_backend(const struct pool *p, struct err *e)
{
	const struct backend *b = backend_get(p->def->type);

	if (b == NULL)
		err_setc(e, ERR_UNSUPPORTED,
			 "pool '%s': no backend for pool type '%s' in this "
			 "build", p->def->name, pool_type_name(p->def->type));
	return b;
}

static int
unsupported(const struct pool *p, const char *what, struct err *e)
{
	return err_setc(e, ERR_UNSUPPORTED,
			"pool '%s': %s is not supported for %s pools",
			p->def->name, what, pool_type_name(p->def->type));
}

int
pool_need_writable(struct cistern *c, struct err *e)
{
	if (c->read_only)
		return err_setc(e, ERR_REFUSED,
				"cistern is in read-only mode");
	return 0;
}

static int
check_overwrite_flags(const struct pool *p, unsigned flags, struct err *e)
{
	if ((flags & POOL_BUILD_OVERWRITE) && (flags & POOL_BUILD_NO_OVERWRITE))
		return err_setc(e, ERR_INVALID,
				"pool '%s': --overwrite and --no-overwrite are "
				"mutually exclusive", p->def->name);
	return 0;
}

/* Build with the lock already held. */
static int
pool_build_locked(struct cistern *c, struct pool *p,
		  const struct backend *b, unsigned flags, struct job *j,
		  struct err *e)
{
	struct err se;
	int rc;

	p->state = POOL_BUILDING;
	err_init(&se);
	pool_save_status(c, p, &se);
	err_clear(&se);
	rc = b->build(p, flags, j, e);
	p->state = POOL_INACTIVE;
	if (rc == 0 && !run_dry_run())
		pool_note_target_first(c, p->def);
	if (rc == 0 && j != NULL)
		j->did |= JOB_DID_BUILD;
	if (rc < 0) {
		err_prefix(e, "pool '%s'", p->def->name);
		pool_set_error(p, e);
	} else {
		pool_set_error(p, NULL);
	}
	pool_save_status(c, p, &se);
	err_clear(&se);
	return rc;
}

int
pool_build(struct cistern *c, struct pool *p, unsigned flags, struct job *j,
	   struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, pool_build, e, p, flags, j, e);
	b = pool_backend(p, e);

	if (b == NULL || pool_need_writable(c, e) < 0 ||
	    check_overwrite_flags(p, flags, e) < 0)
		return -1;
	if (b->build == NULL)
		return unsupported(p, "build", e);
	if (pool_is_active(p))
		return err_setc(e, ERR_STATE,
				"pool '%s' is already active: stop it before "
				"building", p->def->name);
	if ((lk = pool_lock(c, p, true, e)) < 0)
		return -1;
	rc = pool_build_locked(c, p, b, flags, j, e);
	pool_unlock(lk);
	return rc;
}

static int pool_refresh_locked(struct cistern *c, struct pool *p,
			       struct job *j, struct err *e);

int
pool_start(struct cistern *c, struct pool *p, unsigned flags, struct job *j,
	   struct err *e)
{
	const struct backend *b;
	struct err se;
	int lk, rc = -1;

	ENGINE_FORWARD(c, true, pool_start, e, p, flags, j, e);
	b = pool_backend(p, e);

	if (b == NULL || pool_need_writable(c, e) < 0 ||
	    check_overwrite_flags(p, flags, e) < 0)
		return -1;
	if (b->start == NULL && b->refresh == NULL)
		return unsupported(p, "start", e);
	if (pool_is_active(p))
		return err_setc(e, ERR_STATE, "pool '%s' is already active",
				p->def->name);
	if ((lk = pool_lock(c, p, true, e)) < 0)
		return -1;
	if (flags & POOL_START_BUILD) {
		if (b->build == NULL) {
			unsupported(p, "build", e);
			goto out;
		}
		if (pool_build_locked(c, p, b, flags, j, e) < 0)
			goto out;
	}
	if (b->start != NULL && b->start(p, flags, j, e) < 0) {
		err_prefix(e, "pool '%s'", p->def->name);
		pool_set_error(p, e);
		p->state = POOL_INACTIVE;
		err_init(&se);
		pool_save_status(c, p, &se);
		err_clear(&se);
		goto out;
	}
	p->state = POOL_RUNNING;
	if (run_dry_run()) {
		rc = 0;
		goto out;
	}
	pool_note_target_first(c, p->def);
	if (pool_refresh_locked(c, p, j, e) < 0) {
		/* as libvirt: a pool that cannot be refreshed is stopped */
		struct err stop_err;
		err_init(&stop_err);
		if (b->stop != NULL)
			b->stop(p, 0, &stop_err);
		err_clear(&stop_err);
		p->state = POOL_INACTIVE;
		pool_clear_vols(p);
		pool_set_error(p, e);
		err_init(&se);
		pool_save_status(c, p, &se);
		err_clear(&se);
		goto out;
	}
	pool_set_error(p, NULL);
	err_init(&se);
	pool_save_status(c, p, &se);
	err_clear(&se);
	rc = 0;
out:
	pool_unlock(lk);
	return rc;
}

int
pool_stop(struct cistern *c, struct pool *p, unsigned flags, struct err *e)
{
	const struct backend *b;
	int lk, rc = 0;

	ENGINE_FORWARD(c, true, pool_stop, e, p, flags, e);
	b = pool_backend(p, e);

	if (b == NULL || pool_need_writable(c, e) < 0)
		return -1;
	if (!pool_is_active(p))
		return err_setc(e, ERR_STATE, "pool '%s' is not active",
				p->def->name);
	if ((lk = pool_lock(c, p, true, e)) < 0)
		return -1;
	if (b->stop != NULL && b->stop(p, flags, e) < 0) {
		err_prefix(e, "pool '%s'", p->def->name);
		pool_set_error(p, e);
		rc = -1;
	} else {
		p->state = POOL_INACTIVE;
		pool_clear_vols(p);
		p->def->capacity = p->def->allocation = p->def->available = 0;
		pool_set_error(p, NULL);
	}
	struct err se;
	err_init(&se);
	pool_save_status(c, p, &se);
	err_clear(&se);
	/* as libvirt: a stopped transient pool is gone (this process keeps
	 * its entry, inactive, until it reloads) */
	pool_unlock(lk);
	if (rc == 0 && p->transient)
		pool_forget_transient(c, p->def->name);
	return rc;
}

int
pool_delete(struct cistern *c, struct pool *p, unsigned flags, struct job *j,
	    struct err *e)
{
	const struct backend *b;
	int lk, rc;

	ENGINE_FORWARD(c, true, pool_delete, e, p, flags, j, e);
	b = pool_backend(p, e);

	if (b == NULL || pool_need_writable(c, e) < 0)
		return -1;
	if (b->delete == NULL)
		return unsupported(p, "delete", e);
	if (pool_is_active(p))
		return err_setc(e, ERR_STATE,
				"pool '%s' is still active: stop it before "
				"deleting its storage", p->def->name);
	if ((lk = pool_lock(c, p, true, e)) < 0)
		return -1;
	rc = b->delete(p, flags, j, e);
	if (rc < 0) {
		err_prefix(e, "pool '%s'", p->def->name);
		pool_set_error(p, e);
	} else {
		pool_set_error(p, NULL);
	}
	struct err se;
	err_init(&se);
	pool_save_status(c, p, &se);
	err_clear(&se);
	pool_unlock(lk);
	return rc;
}

static int
pool_refresh_locked(struct cistern *c, struct pool *p, struct job *j,
		    struct err *e)
{
	const struct backend *b = pool_backend(p, e);
	int rc;

	(void)c;
	if (b == NULL)
		return -1;
	pool_clear_vols(p);
	if (b->refresh == NULL) {
		p->refreshed = true;
		return 0;
	}
	if (p->state != POOL_DEGRADED)
		p->state = POOL_RUNNING;
	rc = b->refresh(p, j, e);
	if (rc < 0) {
		pool_clear_vols(p);
		err_prefix(e, "pool '%s'", p->def->name);
		return -1;
	}
	p->refreshed = true;
	return 0;
}

void
pool_announce_refresh(struct cistern *c, const struct pool *p)
{
	if (!run_dry_run() && pool_is_active(p))
		store_status_touch(&c->store, p->def->name);
}

int
pool_refresh(struct cistern *c, struct pool *p, struct job *j, struct err *e)
{
	struct err se;
	enum pool_state before = p->state;
	int rc;

	ENGINE_FORWARD(c, false, pool_refresh, e, p, true, j, e);
	if (!pool_is_active(p))
		return err_setc(e, ERR_STATE, "pool '%s' is not active",
				p->def->name);
	if (p->state == POOL_BUILDING)
		return err_setc(e, ERR_STATE, "pool '%s' is being built",
				p->def->name);
	if (p->state == POOL_INACCESSIBLE)
		p->state = POOL_RUNNING;
	rc = pool_refresh_locked(c, p, j, e);
	if (rc < 0) {
		p->state = POOL_INACCESSIBLE;
		pool_set_error(p, e);
	} else {
		pool_set_error(p, NULL);
	}
	if (c->read_only && before == p->state)
		return rc;
	err_init(&se);
	pool_save_status(c, p, &se);
	err_clear(&se);
	return rc;
}

int
pool_ensure_refreshed(struct cistern *c, struct pool *p, struct err *e)
{
	if (p->refreshed)
		return 0;
	ENGINE_FORWARD(c, false, pool_refresh, e, p, false, NULL, e);
	return pool_refresh(c, p, NULL, e);
}

int
pool_ensure_listed(struct cistern *c, struct pool *p, int what,
		   struct err *e)
{
	if (p->refreshed || p->vols_brief >= what)
		return 0;
	if (engine_remote(c) && c->engine->pool_list_vols != NULL)
		return c->engine->pool_list_vols(c, p, what, e);
	return pool_ensure_refreshed(c, p, e);
}

char *
pool_find_sources(enum pool_type t, const struct source_query *q,
		  struct err *e)
{
	const struct backend *b = backend_get(t);

	if (b == NULL || b->find_sources == NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"finding pool sources is not supported for %s "
				"pools", pool_type_name(t)), NULL;
	return b->find_sources(q, e);
}

char *
pool_xml(const struct pool *p, unsigned flags)
{
	struct pool_def *d;
	struct stat st;
	char *xml;

	if (engine_remote(p->owner) && p->owner->engine->pool_xml != NULL) {
		/* the other side's, or (it is gone) what was read from it */
		struct err e;
		err_init(&e);
		xml = p->owner->engine->pool_xml(p->owner, p, flags, &e);
		err_clear(&e);
		if (xml != NULL)
			return xml;
		return pool_def_format(p->def, flags);
	}
	if (!(p->state == POOL_RUNNING || p->state == POOL_DEGRADED))
		flags |= POOL_XML_INACTIVE;
	if ((flags & POOL_XML_INACTIVE) ||
	    !(pool_type_info(p->def->type)->kind & POOL_TI_FILES) ||
	    p->def->target_path == NULL || stat(p->def->target_path, &st) < 0)
		return pool_def_format(p->def, flags);
	/* libvirt's refresh reads them from the directory */
	d = pool_def_dup(p->def);
	d->target_perms.mode = st.st_mode & 07777;
	d->target_perms.uid = st.st_uid;
	d->target_perms.gid = st.st_gid;
	xml = pool_def_format(d, flags);
	pool_def_free(d);
	return xml;
}

bool
type_can(enum pool_type t, enum pool_op op)
{
	const struct backend *b = backend_get(t);
	bool makes = b != NULL && (b->flags & BACKEND_VOL_CREATE);

	if (b == NULL)
		return false;
	switch (op) {
	case POOL_OP_NONE:
	case POOL_OP_START:
	case POOL_OP_STOP:
	case POOL_OP_REFRESH:
		return true;
	case POOL_OP_BUILD: return b->build != NULL;
	case POOL_OP_DELETE: return b->delete != NULL;
	case POOL_OP_FIND_SOURCES: return b->find_sources != NULL;
	case POOL_OP_MAP: return (b->flags & BACKEND_SHOWS_MAP) != 0;
	case VOL_OP_CREATE: return makes && b->vol_create != NULL;
	case VOL_OP_CLONE: return makes && b->vol_create_from != NULL;
	case VOL_OP_DELETE: return makes && b->vol_delete != NULL;
	case VOL_OP_WIPE: return b->vol_wipe != NULL;
	case VOL_OP_RESIZE: return b->vol_resize != NULL;
	case VOL_OP_UPLOAD: return b->vol_upload != NULL;
	case VOL_OP_DOWNLOAD: return b->vol_download != NULL;
	}
	return false;
}

bool
pool_can(const struct pool *p, enum pool_op op)
{
	return type_can(p->def->type, op);
}

bool
type_has(enum pool_type t, unsigned flags)
{
	const struct backend *b = backend_get(t);

	return b != NULL && (b->flags & flags) == flags;
}

char *
pool_says(const struct pool_def *d, enum pool_say what)
{
	const struct backend *b = backend_get(d->type);
	const char *t = NULL;
	struct sbuf out;

	if (b == NULL)
		return NULL;
	switch (what) {
	case POOL_SAY_BUILD: t = b->build ? b->says_build : NULL; break;
	case POOL_SAY_DESTROY: t = b->build ? b->says_destroy : NULL; break;
	case POOL_SAY_START: t = b->says_start; break;
	}
	if (t == NULL)
		return NULL;
	/* a type whose build works on devices builds nothing without */
	if (what != POOL_SAY_START &&
	    (pool_type_info(d->type)->source & POOL_SRC_DEVICE) &&
	    d->source.ndevices == 0)
		return NULL;
	sbuf_init(&out);
	while (*t != '\0') {
		const char *end = *t == '{' ? strchr(t, '}') : NULL;
		size_t n = end ? (size_t)(end - t - 1) : 0;
		if (end != NULL && strncmp(t + 1, "target", n) == 0 && n == 6) {
			sbuf_add(&out, d->target_path ? d->target_path : "");
		} else if (end != NULL && n == 6 &&
			   strncmp(t + 1, "format", n) == 0) {
			sbuf_add(&out, d->source.format ? d->source.format :
				 "");
		} else if (end != NULL && n == 7 &&
			   strncmp(t + 1, "devices", n) == 0) {
			for (size_t i = 0; i < d->source.ndevices; i++)
				sbuf_printf(&out, "%s%s", i ? " " : "",
					    d->source.devices[i].path);
		} else if (end != NULL && n == 4 &&
			   strncmp(t + 1, "name", n) == 0) {
			sbuf_add(&out, d->source.name ? d->source.name : "");
		} else {
			sbuf_addc(&out, *t++);
			continue;
		}
		t = end + 1;
	}
	return sbuf_take(&out);
}
