/* cistern — dir pools: a directory of volume files. */
#include <errno.h>
#include <sys/statvfs.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "filevol.h"

/* The target must be an existing directory. */
static int
dir_check(struct pool *p, bool *running, struct err *e)
{
	*running = filevol_target_ok(p);
	if (!*running)
		err_setc(e, ERR_NOT_FOUND, "target directory '%s' is missing",
			 p->def->target_path);
	return 0;
}

/* Make the target directory (the overwrite flags have nothing to
 * format here). */
static int
dir_build(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	(void)flags;
	(void)j;
	return filevol_build_target(p, NULL, e);
}

/* Starting is finding the directory there. */
static int
dir_start(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	(void)flags;
	(void)j;
	if (run_dry_run() || filevol_target_ok(p))
		return 0;
	return err_setc(e, ERR_NOT_FOUND, "target directory '%s' does not "
			"exist (build the pool first)", p->def->target_path);
}

/* Remove the (empty) directory. */
static int
dir_delete(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	(void)flags;
	(void)j;
	return filevol_delete_target(p, e);
}

/* Sizes of the filesystem holding the directory, and its volumes. */
static int
dir_refresh(struct pool *p, struct job *j, struct err *e)
{
	struct statvfs sv;

	if (statvfs(p->def->target_path, &sv) < 0)
		return err_errno(e, errno, "cannot stat the filesystem of '%s'",
				 p->def->target_path);
	return filevol_refresh(p, &sv, j, e);
}

const struct backend dir_backend = {
	.type = POOL_DIR,
	.flags = BACKEND_VOL_CREATE,
	.says_build = "create the directory {target}",
	.says_start = "use the directory",
	.check = dir_check,
	.build = dir_build,
	.start = dir_start,
	.delete = dir_delete,
	.refresh = dir_refresh,
	FILEVOL_OPS,
};
