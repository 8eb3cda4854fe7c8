/* cistern — file volumes: wipe, upload, download. */
#include "filevol.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/copy.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/wipe.h"

/* After wiping an image file, make it an empty image of the same format,
 * capacity and backing file again, so the volume stays usable. */
static int
wipe_recreate(const struct vol_def *v, struct job *j, struct err *e)
{
	struct vol_def *nv = vol_def_dup(v);
	char bfmt[32] = "";
	char **argv;
	int rc = 0;

	nv->has_capacity = true;
	nv->target.cluster_size = v->target.cluster_size;
	if (nv->backing != NULL && nv->backing->path != NULL &&
	    filevol_backing_format(nv->backing, bfmt, sizeof(bfmt), e) < 0)
		rc = -1;
	if (rc == 0) {
		argv = filevol_qemu_create_argv(nv, v->target.format,
						bfmt[0] ? bfmt : NULL, 0);
		rc = filevol_qemu_img(argv, j, e);
		strv_free(argv);
	}
	vol_def_free(nv);
	return rc;
}

/* Overwrite a volume's data. */
int
filevol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
	     struct job *j, struct err *e)
{
	/* an image qemu-img can make is made again, empty, after the wipe;
	 * the others (and encrypted ones, whose key slots are gone: wiped
	 * means unreadable) are left as wiped bytes */
	bool image = !filevol_is_raw(v->target.format) &&
		     filevol_qemu_can_create(v->target.format) &&
		     v->target.encryption == NULL;
	int dfd, fd, rc;

	if (v->type == VOL_DIR)
		return err_setc(e, ERR_UNSUPPORTED,
				"a directory volume cannot be wiped");
	if (image && !run_dry_run() && !run_have("qemu-img"))
		return err_setc(e, ERR_TOOL,
				"qemu-img is not installed (it re-creates the "
				"empty %s image after the wipe)",
				v->target.format);
	if (run_dry_run())
		return image ? wipe_recreate(v, j, e) : 0;
	if ((dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	if ((fd = filevol_vol_open(v, dfd, O_RDWR, e)) < 0) {
		close(dfd);
		return -1;
	}
	rc = wipe_fd(fd, 0, 0, alg, j, e);
	/* qemu-img is given the path: still the file just wiped? */
	if (rc == 0 && image && filevol_vol_still(v, dfd, fd, e) == 0)
		rc = wipe_recreate(v, j, e);
	else if (rc == 0 && image)
		rc = -1;
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot write '%s'", v->target.path);
	close(dfd);
	return rc;
}

/* Would `length` bytes (0: all of a file's rest) from `fd` run past
 * `room`? A stream's length is unknown: the copy stops at the end. */
static bool
upload_too_long(int fd, uint64_t room, uint64_t length)
{
	struct stat st;
	off_t pos;

	if (length > 0)
		return length > room;
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	pos = lseek(fd, 0, SEEK_CUR);
	if (pos < 0 || pos > st.st_size)
		pos = 0;
	return (uint64_t)(st.st_size - pos) > room;
}

/* Write a stream or file into a volume. */
int
filevol_upload(struct pool *p, const struct vol_def *v, int fd,
	       uint64_t offset, uint64_t length, unsigned flags,
	       struct job *j, struct err *e)
{
	uint64_t copied = 0;
	unsigned cflags;
	struct stat st;
	int dfd, out, rc;

	if (v->type == VOL_DIR)
		return err_setc(e, ERR_UNSUPPORTED,
				"cannot upload into a directory volume");
	if (run_dry_run())
		return 0;
	if ((dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	out = filevol_vol_open(v, dfd, O_WRONLY, e);
	close(dfd);
	if (out < 0)
		return -1;
	/* an upload writes inside the volume; it never grows it */
	if (fstat(out, &st) < 0 || offset > (uint64_t)st.st_size) {
		close(out);
		return err_setc(e, ERR_INVALID, "offset %llu is past the end "
				"of volume '%s' (%llu bytes)",
				(unsigned long long)offset, v->name,
				(unsigned long long)st.st_size);
	}
	if (upload_too_long(fd, (uint64_t)st.st_size - offset, length)) {
		close(out);
		return err_setc(e, ERR_INVALID, "the data is longer than the "
				"%llu bytes of volume '%s' after offset %llu "
				"(resize it first)",
				(unsigned long long)st.st_size - offset,
				v->name, (unsigned long long)offset);
	}
	job_phase(j, "uploading");
	cflags = COPY_TO_EOF | ((flags & VOL_UPLOAD_SPARSE) ? COPY_SPARSE : 0);
	rc = copy_fd(fd, 0, out, offset, length, cflags, j, &copied, e);
	/* a stream that ran past the end: the volume keeps its size */
	if (rc == 0 && copied > (uint64_t)st.st_size - offset) {
		rc = err_setc(e, ERR_INVALID, "the data ran past the end of "
			      "volume '%s' (%llu bytes after offset %llu); "
			      "what fitted was written, the rest dropped",
			      v->name,
			      (unsigned long long)st.st_size - offset,
			      (unsigned long long)offset);
		if (ftruncate(out, st.st_size) < 0) {
			/* the error already says what went wrong */
		}
		copied = 0;
	}
	if (rc == 0 && fdatasync(out) < 0 && errno != EINVAL)
		rc = err_errno(e, errno, "cannot write '%s'", v->target.path);
	if (close(out) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot write '%s'", v->target.path);
	if (rc < 0 && copied > 0)
		err_prefix(e, "%llu bytes were written before it stopped",
			   (unsigned long long)copied);
	return rc;
}

/* Read a volume (or a range of it) into a stream or file. */
int
filevol_download(struct pool *p, const struct vol_def *v, int fd,
		 uint64_t offset, uint64_t length, unsigned flags,
		 struct job *j, struct err *e)
{
	struct stat st, ost;
	uint64_t size, copied = 0;
	off_t start = 0;
	bool file_out;
	int dfd, in, rc;

	if (v->type == VOL_DIR)
		return err_setc(e, ERR_UNSUPPORTED,
				"cannot download a directory volume");
	if ((dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	in = filevol_vol_open(v, dfd, O_RDONLY, e);
	close(dfd);
	if (in < 0)
		return -1;
	if (fstat(in, &st) < 0 || fstat(fd, &ost) < 0) {
		rc = err_errno(e, errno, "cannot stat");
		goto out;
	}
	size = (uint64_t)st.st_size;
	if (offset > size || (length > 0 && length > size - offset)) {
		rc = err_setc(e, ERR_INVALID,
			      "the range asked for ends past the end of the "
			      "volume (%llu bytes)", (unsigned long long)size);
		goto out;
	}
	if (length == 0)
		length = size - offset;
	file_out = S_ISREG(ost.st_mode);
	if (file_out) {
		start = lseek(fd, 0, SEEK_CUR);
		if (start < 0)
			start = 0;
	}
	job_phase(j, "downloading");
	rc = copy_fd(in, offset, fd, (uint64_t)start, length,
		     (flags & VOL_DOWNLOAD_SPARSE) ? COPY_SPARSE : 0, j,
		     &copied, e);
	/* a regular file gets its full length (holes at the end included);
	 * without --sparse its holes are allocated too */
	if (rc == 0 && file_out) {
		if (ftruncate(fd, start + (off_t)length) < 0)
			rc = err_errno(e, errno, "cannot size the output");
		else if (!(flags & VOL_DOWNLOAD_SPARSE) && length > 0 &&
			 fallocate(fd, 0, start, (off_t)length) < 0 &&
			 errno != EOPNOTSUPP && errno != ENOSYS)
			rc = err_errno(e, errno, "cannot allocate the output");
	}
out:
	close(in);
	return rc;
}
