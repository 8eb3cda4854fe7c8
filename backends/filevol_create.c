/* cistern — file volumes: create and clone. */
#include "filevol.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/copy.h"
#include "../core/imgprobe.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/util.h"

/* qemu-img may copy for hours; the job cancels it. */
#define QEMU_IMG_TIMEOUT_MS (24 * 3600 * 1000)

/* Formats qemu-img makes without a secret. */
bool
filevol_qemu_can_create(const char *fmt)
{
	static const char *const ok[] = {
		"qcow", "qcow2", "qed", "vmdk", "vpc", "vdi", NULL,
	};

	for (size_t i = 0; ok[i] != NULL; i++)
		if (strcmp(ok[i], fmt) == 0)
			return true;
	return false;
}

/* Run qemu-img, cancellable through the job. */
int
filevol_qemu_img(char **argv, struct job *j, struct err *e)
{
	struct run_opts o = { .timeout_ms = QEMU_IMG_TIMEOUT_MS, .job = j };

	job_phase(j, "running qemu-img %s", argv[1]);
	return run_argv((const char *const *)argv, &o, NULL, e);
}

/* The -o options of a create or convert, in libvirt's order. */
static void
qemu_opts(struct sbuf *b, const struct vol_def *v, const char *fmt,
	  const char *backing_fmt, unsigned flags)
{
	bool qcow2 = strcmp(fmt, "qcow2") == 0;

	if (backing_fmt != NULL)
		sbuf_printf(b, "backing_fmt=%s,", backing_fmt);
	if (flags & VOL_CREATE_PREALLOC_METADATA)
		sbuf_printf(b, "preallocation=%s,",
			    v->has_capacity && v->allocation < v->capacity ?
			    "metadata" : "falloc");
	if (v->target.nocow)
		sbuf_add(b, "nocow=on,");
	if (qcow2)
		sbuf_printf(b, "compat=%s,", v->target.compat ?
			    v->target.compat : "1.1");
	if (v->target.cluster_size > 0)
		sbuf_printf(b, "cluster_size=%llu,",
			    (unsigned long long)v->target.cluster_size);
	if (qcow2 && (v->target.features & VOL_FEAT_LAZY_REFCOUNTS))
		sbuf_add(b, "lazy_refcounts,");
	if (qcow2 && (v->target.features & VOL_FEAT_EXTENDED_L2))
		sbuf_add(b, "extended_l2=on,");
	if (b->len > 0)
		b->s[--b->len] = '\0';
}

/* qemu-img create, argument for argument as libvirt. */
char **
filevol_qemu_create_argv(const struct vol_def *v, const char *fmt,
			 const char *backing_fmt, unsigned flags)
{
	char **argv = NULL;
	size_t n = 0;
	struct sbuf o;

	strv_push(&argv, &n, "qemu-img");
	strv_push(&argv, &n, "create");
	strv_push(&argv, &n, "-f");
	strv_push(&argv, &n, fmt);
	if (v->backing != NULL && v->backing->path != NULL) {
		strv_push(&argv, &n, "-b");
		strv_push(&argv, &n, v->backing->path);
	} else {
		backing_fmt = NULL;
	}
	sbuf_init(&o);
	qemu_opts(&o, v, fmt, backing_fmt, flags);
	if (o.len > 0) {
		strv_push(&argv, &n, "-o");
		strv_push(&argv, &n, o.s);
	}
	sbuf_free(&o);
	strv_push(&argv, &n, v->target.path);
	if (v->has_capacity) {
		/* libvirt passes KiB, rounded up */
		char size[32];
		snprintf(size, sizeof(size), "%lluK",
			 (unsigned long long)((v->capacity + 1023) / 1024));
		strv_push(&argv, &n, size);
	}
	return argv;
}

/* The format of a backing file (given, or probed). */
int
filevol_backing_format(const struct vol_target *b, char *out, size_t n,
		       struct err *e)
{
	struct img_info ii;
	struct stat st;

	if (b->format != NULL) {
		snprintf(out, n, "%s", b->format);
		return 0;
	}
	if (stat(b->path, &st) < 0)
		return err_errno(e, errno, "backing file '%s'", b->path);
	if (!S_ISREG(st.st_mode)) {
		snprintf(out, n, "raw");
		return 0;
	}
	if (imgprobe_path(b->path, &ii, e) < 0)
		return -1;
	snprintf(out, n, "%s", ii.format);
	img_info_clear(&ii);
	return 0;
}

/* A raw file made in `fd`: sparse past `allocation`, allocated up to
 * it. */
static int
make_raw(const struct vol_def *v, int fd, struct job *j, struct err *e)
{
	uint64_t alloc = v->allocation < v->capacity ? v->allocation :
			 v->capacity;

	if (v->backing != NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"a raw volume cannot have a backing store");
	if (run_dry_run())
		return 0;
	if (ftruncate(fd, (off_t)v->capacity) < 0)
		return err_errno(e, errno, "cannot size '%s'", v->target.path);
	if (alloc > 0) {
		job_set_total(j, alloc);
		job_phase(j, "allocating");
		if (filevol_allocate(fd, 0, alloc, j, e) < 0)
			return -1;
	}
	return 0;
}

/* `v` as a tool writing it at `path` sees it (the hidden name while it
 * is made; the volume's own in a dry run). */
static struct vol_def
vol_at(const struct vol_def *v, const char *path)
{
	struct vol_def tv = *v;

	if (path != NULL)
		tv.target.path = (char *)path;
	return tv;
}

/* Any other format, through qemu-img create on the file made for it. */
static int
make_qemu(const struct vol_def *v, const char *fmt, unsigned flags,
	  const char *path, struct job *j, struct err *e)
{
	struct vol_def tv = vol_at(v, path);
	char bfmt[32] = "";
	char **argv;
	int rc;

	if (!filevol_qemu_can_create(fmt))
		return err_setc(e, ERR_UNSUPPORTED,
				"cannot create a volume of format '%s' "
				"(qemu-img cannot make one)", fmt);
	if (v->target.compat != NULL && strcmp(v->target.compat, "0.10") == 0 &&
	    (v->target.features & VOL_FEAT_LAZY_REFCOUNTS))
		return err_setc(e, ERR_INVALID,
				"lazy_refcounts needs compat 1.1, not 0.10");
	if (!run_dry_run() && !run_have("qemu-img"))
		return err_setc(e, ERR_TOOL,
				"qemu-img is not installed (it makes %s "
				"volumes)", fmt);
	if (v->backing != NULL && v->backing->path != NULL &&
	    filevol_backing_format(v->backing, bfmt, sizeof(bfmt), e) < 0)
		return -1;
	argv = filevol_qemu_create_argv(&tv, fmt, bfmt[0] ? bfmt : NULL, flags);
	rc = filevol_qemu_img(argv, j, e);
	strv_free(argv);
	return rc;
}

/* A directory volume. */
static int
create_dir(struct pool *p, struct vol_def *v, struct err *e)
{
	const struct perms *pm = &v->target.perms;
	mode_t mode = pm->mode >= 0 ? (mode_t)pm->mode : 0755;
	int dfd, fd;

	if (run_dry_run())
		return 0;
	if ((dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	if (mkdirat(dfd, v->name, mode) < 0) {
		int saved = errno;
		close(dfd);
		return saved == EEXIST ?
		       err_setc(e, ERR_EXISTS, "'%s' already exists",
				v->target.path) :
		       err_errno(e, saved, "cannot create directory '%s'",
				 v->target.path);
	}
	fd = openat(dfd, v->name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
		    O_CLOEXEC);
	if (fd < 0 || fchmod(fd, mode) < 0 ||
	    ((pm->uid >= 0 || pm->gid >= 0) &&
	     fchown(fd, pm->uid >= 0 ? (uid_t)pm->uid : (uid_t)-1,
		    pm->gid >= 0 ? (gid_t)pm->gid : (gid_t)-1) < 0)) {
		int saved = errno;
		if (fd >= 0)
			close(fd);
		unlinkat(dfd, v->name, AT_REMOVEDIR);
		close(dfd);
		return err_errno(e, saved, "cannot set the owner or mode of "
				 "'%s'", v->target.path);
	}
	close(fd);
	close(dfd);
	return 0;
}

/* Path, key and type of a new volume in pool `p`; refuses the one name
 * a refresh never lists. */
static int
place(struct pool *p, struct vol_def *v, const char *fmt, struct err *e)
{
	if (strcmp(v->name, "lost+found") == 0)
		return err_setc(e, ERR_INVALID, "'lost+found' belongs to the "
				"filesystem; choose another name");
	free(v->target.path);
	v->target.path = path_join(p->def->target_path, v->name);
	free(v->key);
	v->key = xstrdup(v->target.path);
	v->type = strcmp(fmt, "dir") == 0 ? VOL_DIR : VOL_FILE;
	return 0;
}

/* Make a new volume. */
int
filevol_create(struct pool *p, struct vol_def *v, unsigned flags,
	       struct job *j, struct err *e)
{
	const char *fmt = v->target.format ? v->target.format : "raw";
	int rc;

	if (place(p, v, fmt, e) < 0)
		return -1;
	if (v->target.encryption != NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"creating an encrypted volume is not supported "
				"(qemu-img would need its passphrase)");
	if (strcmp(fmt, "dir") == 0)
		rc = create_dir(p, v, e);
	else if (run_dry_run())
		rc = filevol_is_raw(fmt) ? make_raw(v, -1, j, e) :
		     make_qemu(v, fmt, flags, NULL, j, e);
	else {
		struct filevol_new n;
		if (filevol_new_begin(p, v, &n, e) < 0)
			return -1;
		rc = filevol_is_raw(fmt) ? make_raw(v, n.fd, j, e) :
		     make_qemu(v, fmt, flags, n.tmp_path, j, e);
		if (rc == 0)
			rc = filevol_new_commit(&n, e);
		else
			filevol_new_abort(&n);
	}
	if (rc == 0 && !run_dry_run())
		filevol_update(v, p->def->target_path);
	return rc;
}

/* Grow a fresh copy to the capacity asked for. */
static int
grow_copy(const struct vol_def *v, const char *fmt, uint64_t src_cap,
	  const struct filevol_new *nv, struct job *j, struct err *e)
{
	char **argv = NULL;
	size_t n = 0;
	char size[32];
	int rc;

	if (v->capacity <= src_cap || run_dry_run())
		return 0;
	if (filevol_is_raw(fmt)) {
		/* as libvirt: allocated up to <allocation> (the capacity
		 * when the XML gives none), the copy's holes too */
		uint64_t alloc = v->allocation < v->capacity ? v->allocation :
				 v->capacity;
		if (ftruncate(nv->fd, (off_t)v->capacity) < 0)
			return err_errno(e, errno, "cannot resize '%s'",
					 v->target.path);
		if (alloc == 0 ||
		    fallocate(nv->fd, 0, 0, (off_t)alloc) == 0)
			return 0;
		/* where the filesystem cannot: zeros, past the copy only */
		if (alloc > src_cap)
			return filevol_allocate(nv->fd, src_cap, alloc - src_cap,
						j, e);
		return 0;
	}
	snprintf(size, sizeof(size), "%llu", (unsigned long long)v->capacity);
	strv_push(&argv, &n, "qemu-img");
	strv_push(&argv, &n, "resize");
	strv_push(&argv, &n, nv->tmp_path);
	strv_push(&argv, &n, size);
	rc = filevol_qemu_img(argv, j, e);
	strv_free(argv);
	return rc;
}

/* Same format: the bytes themselves. A reflink shares the extents; else
 * copy_file_range (the kernel, which may reflink too) over the source's
 * data ranges only, so holes stay holes. */
static int
clone_bytes(struct vol_def *v, const char *src_path, unsigned flags, int out,
	    struct job *j, struct err *e)
{
	uint64_t size;
	int in, rc = 0;

	if (run_dry_run())
		return 0;
	if (probe_size(src_path, &size, e) < 0)
		return -1;
	in = open(src_path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_errno(e, errno, "cannot open '%s'", src_path);
	job_set_total(j, size);
	job_phase(j, "cloning");
	if (ioctl(out, FICLONE, in) == 0) {
		job_progress(j, size);
	} else if (flags & VOL_CREATE_REFLINK) {
		rc = err_errno(e, errno, "cannot reflink '%s' to '%s'",
			       src_path, v->target.path);
	} else if (ftruncate(out, (off_t)size) < 0) {
		rc = err_errno(e, errno, "cannot size '%s'", v->target.path);
	} else {
		/* a device has no holes: its zero blocks become holes */
		struct stat st;
		unsigned cf = fstat(in, &st) == 0 && !S_ISREG(st.st_mode) ?
			      COPY_SPARSE : 0;
		rc = copy_fd(in, 0, out, 0, size, cf, j, NULL, e);
	}
	close(in);
	return rc;
}

/* Different formats, or an image (an overlay too): qemu-img convert,
 * which writes a standalone image. */
static int
clone_convert(struct vol_def *v, const char *fmt, const char *src_path,
	      const char *src_fmt, unsigned flags, const char *out_path,
	      struct job *j, struct err *e)
{
	char **argv = NULL;
	size_t n = 0;
	struct sbuf o;
	int rc;

	if (!filevol_qemu_can_create(fmt) && !filevol_is_raw(fmt))
		return err_setc(e, ERR_UNSUPPORTED,
				"cannot convert to format '%s' (qemu-img "
				"cannot write it)", fmt);
	if (!run_dry_run() && !run_have("qemu-img"))
		return err_setc(e, ERR_TOOL,
				"qemu-img is not installed (it converts %s to "
				"%s)", src_fmt, fmt);
	strv_push(&argv, &n, "qemu-img");
	strv_push(&argv, &n, "convert");
	strv_push(&argv, &n, "-f");
	strv_push(&argv, &n, strcmp(src_fmt, "iso") == 0 ? "raw" : src_fmt);
	strv_push(&argv, &n, "-O");
	strv_push(&argv, &n, filevol_is_raw(fmt) ? "raw" : fmt);
	sbuf_init(&o);
	qemu_opts(&o, v, fmt, NULL, flags);
	if (o.len > 0) {
		strv_push(&argv, &n, "-o");
		strv_push(&argv, &n, o.s);
	}
	sbuf_free(&o);
	strv_push(&argv, &n, src_path);
	strv_push(&argv, &n, out_path ? out_path : v->target.path);
	rc = filevol_qemu_img(argv, j, e);
	strv_free(argv);
	return rc;
}

/* The source's format as a file format ("raw" for a block device, a
 * partition or a logical volume). */
static const char *
source_format(const struct pool *sp, const struct vol_def *src)
{
	if (model_vol_formats(sp->def->type) == NULL ||
	    sp->def->type == POOL_DISK || src->target.format == NULL)
		return "raw";
	return strcmp(src->target.format, "iso") == 0 ? "raw" :
	       src->target.format;
}

/* Would a byte copy of `src` break its backing chain (a relative backing
 * name read from another directory)? */
static bool
backing_moves(const struct vol_def *src, const char *src_path,
	      const char *dst_dir)
{
	char *sdir, *slash;
	bool moves;

	if (src->backing == NULL || src->backing->path == NULL)
		return false;
	sdir = xstrdup(src_path);
	slash = strrchr(sdir, '/');
	if (slash != NULL)
		*slash = '\0';
	moves = strcmp(sdir, dst_dir) != 0;
	free(sdir);
	return moves;
}

/* Make a new volume from another (clone or convert). */
int
filevol_create_from(struct pool *p, struct vol_def *v, struct pool *src_pool,
		    const struct vol_def *src, unsigned flags, struct job *j,
		    struct err *e)
{
	const char *fmt = v->target.format ? v->target.format : "raw";
	const char *sfmt = source_format(src_pool, src);
	const char *dfmt = filevol_is_raw(fmt) ? "raw" : fmt;
	const char *src_path = src->target.path;
	struct filevol_new n;
	bool bytes, same, backed, keep;
	int rc;

	if (place(p, v, fmt, e) < 0)
		return -1;
	if (src_path == NULL)
		return err_setc(e, ERR_INVALID, "the source volume '%s' has no "
				"path", src->name);
	if (v->type == VOL_DIR || src->type == VOL_DIR)
		return err_setc(e, ERR_UNSUPPORTED,
				"directory volumes cannot be cloned");
	if (v->target.encryption != NULL || src->target.encryption != NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"cloning an encrypted volume is not supported "
				"(qemu-img would need its passphrase)");
	/* as libvirt: a copy is never smaller than its source */
	if (!v->has_capacity || v->capacity < src->capacity) {
		v->capacity = src->capacity;
		v->has_capacity = true;
	}
	same = strcmp(dfmt, sfmt) == 0;
	backed = src->backing != NULL && src->backing->path != NULL;
	keep = backed && (flags & VOL_CREATE_KEEP_BACKING);
	if (keep && !same)
		return err_setc(e, ERR_UNSUPPORTED,
				"keeping the backing file keeps the format: "
				"'%s' is %s, the new volume %s", src->name,
				sfmt, dfmt);
	if (keep && backing_moves(src, src_path, p->def->target_path))
		return err_setc(e, ERR_UNSUPPORTED,
				"'%s' names its backing file relative to its "
				"directory: a copy in '%s' would lose it",
				src->name, p->def->target_path);
	if (backed && !keep && (flags & VOL_CREATE_REFLINK))
		return err_setc(e, ERR_UNSUPPORTED,
				"a reflink clone of '%s' would share its "
				"backing file (--keep-backing says so)",
				src->name);
	/* as libvirt: raw to raw is a copy of the bytes, anything else goes
	 * through qemu-img convert, which reads the whole backing chain and
	 * writes a standalone image; cistern copies the bytes of an image
	 * it is asked to reflink, to keep the backing file of, or that
	 * qemu-img cannot write */
	bytes = same && (keep || (!backed &&
				  (filevol_is_raw(dfmt) ||
				   (flags & VOL_CREATE_REFLINK) ||
				   !filevol_qemu_can_create(dfmt))));
	if (!bytes && (flags & VOL_CREATE_REFLINK))
		return err_setc(e, ERR_UNSUPPORTED,
				"a reflink clone keeps the format: '%s' is %s, "
				"the new volume %s", src->name, sfmt, dfmt);
	if (run_dry_run())
		return bytes ? 0 : clone_convert(v, fmt, src_path, sfmt, flags,
						 NULL, j, e);
	if (filevol_new_begin(p, v, &n, e) < 0)
		return -1;
	if (bytes)
		rc = clone_bytes(v, src_path, flags, n.fd, j, e);
	else
		rc = clone_convert(v, fmt, src_path, sfmt, flags, n.tmp_path,
				   j, e);
	if (rc == 0)
		rc = grow_copy(v, dfmt, src->capacity, &n, j, e);
	if (rc == 0)
		rc = filevol_new_commit(&n, e);
	else
		filevol_new_abort(&n);
	if (rc == 0 && !run_dry_run())
		filevol_update(v, p->def->target_path);
	return rc;
}
