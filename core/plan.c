/* cistern — looking ahead without changing anything: what a volume
 * request would really become (vol_plan), and the volumes a pool
 * definition would have before it is defined (pool_preview). The
 * wizards show these before the operator commits. */
#include <stdlib.h>
#include <string.h>

#include "pool.h"
#include "secret.h"
#include "util.h"

/* Free what a plan holds. */
void
vol_plan_clear(struct vol_plan *pl)
{
	free(pl->name);
	free(pl->note);
	memset(pl, 0, sizeof(*pl));
}

/* Ask the backend what vol_create would make of `v`. */
int
vol_plan(struct cistern *c, struct pool *p, const struct vol_def *v,
	 struct vol_plan *out, struct err *e)
{
	const struct backend *b = backend_get(p->def->type);

	(void)c;
	memset(out, 0, sizeof(*out));
	if (b == NULL || b->vol_plan == NULL)
		return err_setc(e, ERR_UNSUPPORTED, "%s pools make volumes "
				"exactly as asked",
				pool_type_name(p->def->type));
	if (!pool_is_active(p))
		return err_setc(e, ERR_STATE, "pool '%s' is not running",
				p->def->name);
	if (b->vol_plan(p, v, out, e) < 0) {
		vol_plan_clear(out);
		return err_prefix(e, "pool '%s'", p->def->name);
	}
	return 0;
}

/* A pool of its own for `d`, listed by the backend's preview. */
struct pool *
pool_preview(struct cistern *c, const struct pool_def *d, const char *key,
	     struct job *j, struct err *e)
{
	const struct backend *b = backend_get(d->type);
	struct pool *p;

	if (b == NULL || b->preview == NULL)
		return err_setc(e, ERR_UNSUPPORTED, "the volumes of a %s pool "
				"can only be listed once it is started",
				pool_type_name(d->type)), NULL;
	p = xcalloc(1, sizeof(*p));
	p->def = pool_def_dup(d);
	p->owner = c;
	p->state = POOL_INACTIVE;
	if (key != NULL) {
		p->preview_key = xstrdup(key);
		p->preview_keylen = strlen(key);
	}
	if (b->preview(p, j, e) < 0) {
		pool_preview_free(p);
		return NULL;
	}
	return p;
}

/* Free a pool made by pool_preview. */
void
pool_preview_free(struct pool *p)
{
	if (p == NULL)
		return;
	pool_clear_vols(p);
	pool_def_free(p->def);
	free(p->error);
	strv_free(p->facts);
	if (p->preview_key != NULL)
		secret_free(p->preview_key, p->preview_keylen);
	free(p);
}
