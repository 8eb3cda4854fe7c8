/* cistern — disk pools: the data in partitions (wipe, clone, upload,
 * download), through the partition node, or at the partition's offset in
 * the pool's image file where there are no nodes. */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/copy.h"
#include "../core/pool.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/wipe.h"

/* libvirt cannot use an extended partition's data either. */
static int
refuse_extended(const struct vol_def *v, const char *what, struct err *e)
{
	if (str_eq(v->target.format, "extended"))
		return err_setc(e, ERR_UNSUPPORTED, "cannot %s the extended "
				"partition '%s': it holds the logical "
				"partitions", what, v->target.path);
	return 0;
}

/* Refuse writing to a partition that is mounted, swap, held or a PV. */
static int
vol_check_unused(const struct pool *p, const struct vol_def *v,
		 struct err *e)
{
	char why[512];
	int r;

	if (disk_is_file(p))
		return disk_check_unused(p, e);
	if (access(v->target.path, F_OK) < 0)
		return 0;   /* disk_vol_open says what is missing */
	r = probe_in_use(v->target.path, why, sizeof(why), e);
	if (r < 0)
		return -1;
	if (r > 0)
		return err_setc(e, ERR_BUSY, "'%s' is in use: %s",
				v->target.path, why);
	return 0;
}

/* Open a volume's data: its node, or the image file at its offset. */
int
disk_vol_open(const struct pool *p, const struct vol_def *v, bool write,
	      uint64_t *offset, uint64_t *length, struct err *e)
{
	const char *file = p->def->source.devices[0].path;
	int flags = (write ? O_RDWR : O_RDONLY) | O_CLOEXEC;
	int fd;

	if (v->nextents == 0 || v->part_num <= 0)
		return err_setc(e, ERR_STATE, "volume '%s' has no partition "
				"extent; refresh the pool", v->name);
	*length = v->extents[0].end - v->extents[0].start;
	if (disk_is_file(p)) {
		*offset = v->extents[0].start;
		fd = open(file, flags);
		if (fd < 0)
			return err_errno(e, errno, "cannot open '%s'", file);
		return fd;
	}
	*offset = 0;
	/* an exclusive open fails while anything else holds the node */
	fd = open(v->target.path, flags | (write ? O_EXCL : 0));
	if (fd < 0 && errno == ENOENT)
		return err_setc(e, ERR_NOT_FOUND, "'%s' does not exist: the "
				"kernel does not show partition %d of '%s'",
				v->target.path, v->part_num, file);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	return fd;
}

/* Flush and close a volume written to. */
static int
close_written(int fd, const char *path, int rc, struct err *e)
{
	if (rc == 0 && fsync(fd) < 0)
		rc = err_errno(e, errno, "cannot flush '%s'", path);
	close(fd);
	return rc;
}

/* Wipe a partition with one of libvirt's algorithms. */
int
disk_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
	      struct job *j, struct err *e)
{
	uint64_t off, len;
	int fd, rc;

	if (refuse_extended(v, "wipe", e) < 0 || vol_check_unused(p, v, e) < 0)
		return -1;
	if (run_dry_run())
		return 0;
	fd = disk_vol_open(p, v, true, &off, &len, e);
	if (fd < 0)
		return -1;
	job_phase(j, "wiping %s (%s)", v->name, wipe_alg_name(alg));
	rc = wipe_fd(fd, off, len, alg, j, e);
	return close_written(fd, v->target.path, rc, e);
}

/* Does a volume of this pool hold a raw byte image (no qemu-img)? */
static bool
src_is_raw(const struct pool *sp, const struct vol_def *src)
{
	const char *f = src->target.format;

	if (sp->def->type != POOL_DIR && sp->def->type != POOL_FS &&
	    sp->def->type != POOL_NETFS)
		return true;
	return f == NULL || strcmp(f, "raw") == 0 || strcmp(f, "iso") == 0;
}

/* Copy a raw source into the partition. */
static int
fill_raw(struct pool *p, const struct vol_def *v, struct pool *sp,
	 const struct vol_def *src, struct job *j, struct err *e)
{
	uint64_t soff = 0, slen, doff, dlen;
	struct stat st;
	int in, out, rc;

	if (sp->def->type == POOL_DISK) {
		in = disk_vol_open(sp, src, false, &soff, &slen, e);
		if (in < 0)
			return -1;
	} else {
		in = open(src->target.path, O_RDONLY | O_CLOEXEC);
		if (in < 0)
			return err_errno(e, errno, "cannot open '%s'",
					 src->target.path);
		slen = src->capacity;
		if (fstat(in, &st) == 0 && S_ISREG(st.st_mode))
			slen = (uint64_t)st.st_size;
	}
	out = disk_vol_open(p, v, true, &doff, &dlen, e);
	if (out < 0) {
		close(in);
		return -1;
	}
	if (slen > dlen) {
		rc = err_setc(e, ERR_INVALID, "'%s' (%" PRIu64 " bytes) does "
			      "not fit in the new partition (%" PRIu64 " bytes)",
			      src->name, slen, dlen);
	} else {
		job_phase(j, "copying %s", src->name);
		rc = copy_fd(in, soff, out, doff, slen, 0, j, NULL, e);
	}
	close(in);
	return close_written(out, v->target.path, rc, e);
}

/* Convert an image (qcow2, vmdk, ...) into the partition with qemu-img. */
static int
fill_convert(struct pool *p, const struct vol_def *v,
	     const struct vol_def *src, struct job *j, struct err *e)
{
	struct run_opts o = { .job = j, .timeout_ms = 7 * 24 * 3600 * 1000 };
	char *target;
	int rc;

	if (disk_is_file(p)) {
		/* no node: qemu-img writes at the partition's offset */
		target = xasprintf("driver=raw,offset=%" PRIu64 ",size=%" PRIu64
				   ",file.driver=file,file.filename=%s",
				   v->extents[0].start,
				   v->extents[0].end - v->extents[0].start,
				   p->def->source.devices[0].path);
		const char *argv[] = {
			"qemu-img", "convert", "-f", src->target.format, "-n",
			src->target.path, "--target-image-opts", target, NULL,
		};
		rc = run_argv(argv, &o, NULL, e);
	} else {
		target = xstrdup(v->target.path);
		const char *argv[] = {
			"qemu-img", "convert", "-f", src->target.format,
			"-O", "raw", "-n", src->target.path, target, NULL,
		};
		rc = run_argv(argv, &o, NULL, e);
	}
	free(target);
	return rc;
}

/* Copy a volume of any pool into a new partition. */
int
disk_vol_fill(struct pool *p, const struct vol_def *v, struct pool *src_pool,
	      const struct vol_def *src, struct job *j, struct err *e)
{
	if (refuse_extended(src, "copy", e) < 0)
		return -1;
	if (src_is_raw(src_pool, src))
		return fill_raw(p, v, src_pool, src, j, e);
	return fill_convert(p, v, src, j, e);
}

/* Write a file's content into a partition, within its bounds. */
int
disk_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		uint64_t offset, uint64_t length, unsigned flags,
		struct job *j, struct err *e)
{
	uint64_t doff, dlen, in_off = 0;
	struct stat st;
	int out, rc;

	(void)flags;
	if (refuse_extended(v, "upload into", e) < 0 ||
	    vol_check_unused(p, v, e) < 0)
		return -1;
	if (fstat(fd, &st) < 0)
		return err_errno(e, errno, "cannot stat the upload source");
	if (length == 0) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		if (!S_ISREG(st.st_mode) || cur < 0)
			return err_setc(e, ERR_INVALID, "uploading a stream into "
					"a partition needs a length");
		in_off = (uint64_t)cur;
		length = (uint64_t)st.st_size > in_off ?
			 (uint64_t)st.st_size - in_off : 0;
	} else if (S_ISREG(st.st_mode)) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		in_off = cur > 0 ? (uint64_t)cur : 0;
	}
	if (run_dry_run())
		return 0;
	out = disk_vol_open(p, v, true, &doff, &dlen, e);
	if (out < 0)
		return -1;
	if (offset > dlen || length > dlen - offset) {
		close(out);
		return err_setc(e, ERR_INVALID, "%" PRIu64 " bytes at offset %"
				PRIu64 " do not fit in the partition (%" PRIu64
				" bytes)", length, offset, dlen);
	}
	if (length == 0) {
		close(out);
		return 0;
	}
	rc = copy_fd(fd, in_off, out, doff + offset, length, 0, j, NULL, e);
	return close_written(out, v->target.path, rc, e);
}

/* Read a partition (or a range of it) into a file. */
int
disk_vol_download(struct pool *p, const struct vol_def *v, int fd,
		  uint64_t offset, uint64_t length, unsigned flags,
		  struct job *j, struct err *e)
{
	uint64_t soff, slen;
	int in, rc;

	if (refuse_extended(v, "download", e) < 0)
		return -1;
	in = disk_vol_open(p, v, false, &soff, &slen, e);
	if (in < 0)
		return -1;
	if (offset > slen || (length > 0 && length > slen - offset)) {
		close(in);
		return err_setc(e, ERR_INVALID, "the range asked for (%" PRIu64
				" bytes at %" PRIu64 ") is past the end of the "
				"partition (%" PRIu64 " bytes)", length, offset,
				slen);
	}
	if (length == 0)
		length = slen - offset;
	rc = length == 0 ? 0 :
	     copy_fd(in, soff + offset, fd, 0, length,
		     (flags & VOL_DOWNLOAD_SPARSE) ? COPY_SPARSE : 0, j, NULL, e);
	close(in);
	return rc;
}
