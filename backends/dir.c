/* cistern — dir pools: a directory of volume files. */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/util.h"

/* The target must be an existing directory. */
static int
dir_check(struct pool *p, bool *running, struct err *e)
{
	struct stat st;

	*running = stat(p->def->target_path, &st) == 0 && S_ISDIR(st.st_mode);
	if (!*running)
		err_setc(e, ERR_NOT_FOUND, "target directory '%s' is missing",
			 p->def->target_path);
	return 0;
}

/* Create the target directory with the pool's permissions. */
static int
dir_build(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const struct perms *pm = &p->def->target_perms;
	mode_t mode = pm->mode >= 0 ? (mode_t)pm->mode : 0711;

	(void)flags;
	(void)j;
	if (run_dry_run())
		return 0;
	if (mkdir_p(p->def->target_path, 0755) < 0)
		return err_errno(e, errno, "cannot create directory '%s'",
				 p->def->target_path);
	if (chmod(p->def->target_path, mode) < 0)
		return err_errno(e, errno, "cannot set the mode of '%s'",
				 p->def->target_path);
	if ((pm->uid >= 0 || pm->gid >= 0) &&
	    chown(p->def->target_path, pm->uid >= 0 ? (uid_t)pm->uid : (uid_t)-1,
		  pm->gid >= 0 ? (gid_t)pm->gid : (gid_t)-1) < 0)
		return err_errno(e, errno, "cannot set the owner of '%s'",
				 p->def->target_path);
	return 0;
}

static int
dir_start(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	bool running;

	(void)flags;
	(void)j;
	if (run_dry_run())
		return 0;
	dir_check(p, &running, e);
	if (!running)
		return err_setc(e, ERR_NOT_FOUND,
				"target directory '%s' does not exist (build "
				"the pool first)", p->def->target_path);
	err_clear(e);
	return 0;
}

static int
dir_delete(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	(void)flags;
	(void)j;
	if (run_dry_run())
		return 0;
	if (rmdir(p->def->target_path) < 0 && errno != ENOENT)
		return err_errno(e, errno, "cannot remove directory '%s'",
				 p->def->target_path);
	return 0;
}

static int
dir_refresh(struct pool *p, struct job *j, struct err *e)
{
	struct statvfs sv;
	DIR *d;
	struct dirent *de;

	(void)j;
	if (statvfs(p->def->target_path, &sv) < 0)
		return err_errno(e, errno, "cannot stat '%s'",
				 p->def->target_path);
	p->def->capacity = (uint64_t)sv.f_blocks * sv.f_frsize;
	p->def->available = (uint64_t)sv.f_bavail * sv.f_frsize;
	p->def->allocation = p->def->capacity - (uint64_t)sv.f_bfree * sv.f_frsize;
	d = opendir(p->def->target_path);
	if (d == NULL)
		return err_errno(e, errno, "cannot read '%s'",
				 p->def->target_path);
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		struct vol_def *v;

		if (de->d_name[0] == '.' || str_has_ctrl(de->d_name))
			continue;
		if (fstatat(dirfd(d), de->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
		    !S_ISREG(st.st_mode))
			continue;
		v = vol_def_new();
		v->type = VOL_FILE;
		v->name = xstrdup(de->d_name);
		v->target.path = path_join(p->def->target_path, de->d_name);
		v->key = xstrdup(v->target.path);
		v->target.format = xstrdup("raw");
		v->capacity = (uint64_t)st.st_size;
		v->has_capacity = true;
		v->allocation = (uint64_t)st.st_blocks * 512;
		pool_add_vol(p, v);
	}
	closedir(d);
	return 0;
}

const struct backend dir_backend = {
	.type = POOL_DIR,
	.flags = BACKEND_VOL_CREATE,
	.check = dir_check,
	.build = dir_build,
	.start = dir_start,
	.delete = dir_delete,
	.refresh = dir_refresh,
};
