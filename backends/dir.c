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
#include "../core/copy.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/wipe.h"

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

/* ---- volumes: the minimum the interface needs (raw files); the file
 * backends' branch replaces this with the full set of formats ---- */

#define DIR_CHUNK (4u << 20)

/* Write zeros over [0, len) so the file is fully allocated. */
static int
dir_allocate(int fd, uint64_t from, uint64_t len, struct job *j,
	     struct err *e)
{
	char *buf = xcalloc(1, DIR_CHUNK);
	uint64_t off = from;
	int rc = 0;

	job_set_total(j, len);
	job_phase(j, "allocating");
	while (off < from + len) {
		size_t n = from + len - off < DIR_CHUNK ?
			   (size_t)(from + len - off) : DIR_CHUNK;
		if ((rc = job_check(j, e)) < 0)
			break;
		if (pwrite(fd, buf, n, (off_t)off) != (ssize_t)n) {
			rc = err_errno(e, errno, "cannot write");
			break;
		}
		off += n;
		job_progress(j, off - from);
	}
	free(buf);
	return rc;
}

static int
dir_vol_create(struct pool *p, struct vol_def *v, unsigned flags,
	       struct job *j, struct err *e)
{
	char *path = path_join(p->def->target_path, v->name);
	int fd, rc = 0;

	(void)flags;
	if (v->target.format != NULL && strcmp(v->target.format, "raw") != 0) {
		free(path);
		return err_setc(e, ERR_UNSUPPORTED, "format '%s' is not "
				"supported yet (raw only)", v->target.format);
	}
	if (run_dry_run()) {
		free(path);
		return 0;
	}
	fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		rc = err_errno(e, errno, "cannot create '%s'", path);
		free(path);
		return rc;
	}
	if (ftruncate(fd, (off_t)v->capacity) < 0)
		rc = err_errno(e, errno, "cannot size '%s'", path);
	if (rc == 0 && v->allocation > 0)
		rc = dir_allocate(fd, 0, v->allocation, j, e);
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot close '%s'", path);
	if (rc < 0) {
		unlink(path);   /* nothing half-made stays */
		free(path);
		return -1;
	}
	free(v->target.path);
	v->target.path = path;
	free(v->key);
	v->key = xstrdup(path);
	return 0;
}

static int
dir_vol_create_from(struct pool *p, struct vol_def *v, struct pool *src_pool,
		    const struct vol_def *src, unsigned flags, struct job *j,
		    struct err *e)
{
	char *path = path_join(p->def->target_path, v->name);
	int in, out, rc;

	(void)src_pool;
	(void)flags;
	if (run_dry_run()) {
		free(path);
		return 0;
	}
	in = open(src->target.path, O_RDONLY | O_CLOEXEC);
	if (in < 0) {
		rc = err_errno(e, errno, "cannot open '%s'", src->target.path);
		free(path);
		return rc;
	}
	out = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = err_errno(e, errno, "cannot create '%s'", path);
		close(in);
		free(path);
		return rc;
	}
	job_set_total(j, src->capacity);
	job_phase(j, "copying");
	rc = ftruncate(out, (off_t)src->capacity) < 0 ?
	     err_errno(e, errno, "cannot size '%s'", path) :
	     copy_fd(in, 0, out, 0, 0, COPY_SPARSE, j, NULL, e);
	close(in);
	if (close(out) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot close '%s'", path);
	if (rc < 0) {
		unlink(path);
		free(path);
		return -1;
	}
	v->capacity = src->capacity;
	v->has_capacity = true;
	free(v->target.path);
	v->target.path = path;
	free(v->key);
	v->key = xstrdup(path);
	return 0;
}

static int
dir_vol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
	       struct err *e)
{
	(void)p;
	(void)flags;
	if (run_dry_run())
		return 0;
	if (unlink(v->target.path) < 0)
		return err_errno(e, errno, "cannot remove '%s'", v->target.path);
	return 0;
}

static int
dir_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
	     struct job *j, struct err *e)
{
	(void)p;
	if (run_dry_run())
		return 0;
	return wipe_path(v->target.path, alg, j, e);
}

static int
dir_vol_resize(struct pool *p, const struct vol_def *v, uint64_t capacity,
	       unsigned flags, struct job *j, struct err *e)
{
	int fd, rc = 0;

	(void)p;
	if (run_dry_run())
		return 0;
	fd = open(v->target.path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	if (ftruncate(fd, (off_t)capacity) < 0)
		rc = err_errno(e, errno, "cannot resize '%s'", v->target.path);
	if (rc == 0 && (flags & VOL_RESIZE_ALLOCATE) && capacity > v->capacity)
		rc = dir_allocate(fd, v->capacity, capacity - v->capacity, j, e);
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot close '%s'", v->target.path);
	return rc;
}

static int
dir_vol_upload(struct pool *p, const struct vol_def *v, int fd,
	       uint64_t offset, uint64_t length, unsigned flags,
	       struct job *j, struct err *e)
{
	int out, rc;

	(void)p;
	(void)flags;
	if (run_dry_run())
		return 0;
	out = open(v->target.path, O_WRONLY | O_CLOEXEC);
	if (out < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	job_phase(j, "uploading");
	rc = copy_fd(fd, 0, out, offset, length, COPY_TO_EOF, j, NULL, e);
	if (close(out) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot close '%s'", v->target.path);
	return rc;
}

static int
dir_vol_download(struct pool *p, const struct vol_def *v, int fd,
		 uint64_t offset, uint64_t length, unsigned flags,
		 struct job *j, struct err *e)
{
	int in, rc;

	(void)p;
	in = open(v->target.path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	job_set_total(j, length ? length : v->capacity - offset);
	job_phase(j, "downloading");
	rc = copy_fd(in, offset, fd, 0, length,
		     (flags & VOL_DOWNLOAD_SPARSE) ? COPY_SPARSE : 0, j, NULL, e);
	/* trailing holes: the file still gets the volume's full length */
	struct stat st;
	uint64_t want = length ? length : v->capacity - offset;
	if (rc == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (uint64_t)st.st_size < want && ftruncate(fd, (off_t)want) < 0)
		rc = err_errno(e, errno, "cannot extend the download");
	close(in);
	return rc;
}

const struct backend dir_backend = {
	.type = POOL_DIR,
	.flags = BACKEND_VOL_CREATE,
	.check = dir_check,
	.build = dir_build,
	.start = dir_start,
	.delete = dir_delete,
	.refresh = dir_refresh,
	.vol_create = dir_vol_create,
	.vol_create_from = dir_vol_create_from,
	.vol_delete = dir_vol_delete,
	.vol_wipe = dir_vol_wipe,
	.vol_resize = dir_vol_resize,
	.vol_upload = dir_vol_upload,
	.vol_download = dir_vol_download,
};
