/* cistern — copying bytes, keeping holes. */
#include "copy.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"

#define CHUNK (1u << 20)

static bool
all_zero(const unsigned char *p, size_t n)
{
	static const unsigned char z[4096];

	while (n >= sizeof(z)) {
		if (memcmp(p, z, sizeof(z)) != 0)
			return false;
		p += sizeof(z);
		n -= sizeof(z);
	}
	return n == 0 || memcmp(p, z, n) == 0;
}

static uint64_t
fd_size(int fd, const struct stat *st)
{
	uint64_t size = (uint64_t)st->st_size;

	if (S_ISBLK(st->st_mode) && ioctl(fd, BLKGETSIZE64, &size) < 0)
		size = 0;
	return size;
}

/* Make [off, off+len) of the destination read as zeros: punch a hole in
 * a file, BLKZEROOUT on a device, else write zeros. */
static int
zero_range(int out, bool file_out, bool blk_out, int64_t off, uint64_t len,
	   unsigned char *buf, struct err *e)
{
	if (len == 0)
		return 0;
	if (file_out && fallocate(out, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
				  (off_t)off, (off_t)len) == 0)
		return 0;
	if (blk_out) {
		uint64_t range[2] = { (uint64_t)off, len };
		if (ioctl(out, BLKZEROOUT, range) == 0)
			return 0;
	}
	memset(buf, 0, CHUNK);
	while (len > 0) {
		size_t n = len > CHUNK ? CHUNK : (size_t)len;
		if (fd_write_full(out, buf, n, (int64_t)off) < 0)
			return err_errno(e, errno, "write failed");
		off += n;
		len -= n;
	}
	return 0;
}

struct copy_ctx {
	int in, out;
	bool seek_in, seek_out, file_out, blk_out, sparse;
	unsigned char *buf;
	struct job *j;
	uint64_t done;
};

/* Plain read/write of one range; with `sparse`, zero blocks become holes
 * (or zeroed ranges) instead of writes. */
static int
copy_loop(struct copy_ctx *c, int64_t in_off, int64_t out_off, uint64_t len,
	  bool to_eof, struct err *e)
{
	while (to_eof || len > 0) {
		size_t want = (!to_eof && len < CHUNK) ? (size_t)len : CHUNK;
		ssize_t r;

		if (job_check(c->j, e) < 0)
			return -1;
		r = fd_read_full(c->in, c->buf, want, c->seek_in ? in_off : -1);
		if (r < 0)
			return err_errno(e, errno, "read failed");
		if (r == 0) {
			if (to_eof)
				return 0;
			return err_setc(e, ERR_GENERIC,
					"the source ended early (%llu bytes "
					"short)", (unsigned long long)len);
		}
		if (c->sparse && c->seek_out && all_zero(c->buf, (size_t)r)) {
			if (zero_range(c->out, c->file_out, c->blk_out, out_off,
				       (uint64_t)r, c->buf, e) < 0)
				return -1;
		} else if (fd_write_full(c->out, c->buf, (size_t)r,
					 c->seek_out ? out_off : -1) < 0) {
			return err_errno(e, errno, "write failed");
		}
		in_off += r;
		out_off += r;
		if (!to_eof)
			len -= (uint64_t)r;
		c->done += (uint64_t)r;
		job_progress(c->j, c->done);
	}
	return 0;
}

/* copy_file_range for one data range; returns 1 if the kernel did it,
 * 0 if it cannot (fall back), -1 on error. */
static int
copy_kernel(struct copy_ctx *c, int64_t in_off, int64_t out_off, uint64_t len,
	    struct err *e)
{
	uint64_t moved = 0;

	while (moved < len) {
		loff_t io = in_off + (int64_t)moved, oo = out_off + (int64_t)moved;
		size_t want = len - moved > (64u << 20) ? (64u << 20) :
			      (size_t)(len - moved);
		ssize_t n;

		if (job_check(c->j, e) < 0)
			return -1;
		n = copy_file_range(c->in, &io, c->out, &oo, want, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			if (moved == 0 && (errno == EXDEV || errno == EINVAL ||
					   errno == EOPNOTSUPP ||
					   errno == ENOSYS || errno == EBADF))
				return 0;
			return err_errno(e, errno, "copy failed");
		}
		if (n == 0)
			return err_setc(e, ERR_GENERIC, "the source ended early");
		moved += (uint64_t)n;
		c->done += (uint64_t)n;
		job_progress(c->j, c->done);
	}
	return 1;
}

int
copy_fd(int in, uint64_t in_off, int out, uint64_t out_off, uint64_t length,
	unsigned flags, struct job *j, uint64_t *copied, struct err *e)
{
	struct stat sin, sout;
	struct copy_ctx c = { .in = in, .out = out, .j = j };
	bool to_eof = (flags & COPY_TO_EOF) && length == 0;
	bool file_in;
	uint64_t end;
	int rc = 0;

	if (fstat(in, &sin) < 0 || fstat(out, &sout) < 0)
		return err_errno(e, errno, "cannot stat");
	file_in = S_ISREG(sin.st_mode);
	c.file_out = S_ISREG(sout.st_mode);
	c.blk_out = S_ISBLK(sout.st_mode);
	c.seek_in = file_in || S_ISBLK(sin.st_mode);
	c.seek_out = c.file_out || c.blk_out;
	c.sparse = (flags & COPY_SPARSE) != 0;
	if (!c.seek_in)
		to_eof = length == 0;
	if (length == 0 && c.seek_in) {
		uint64_t size = fd_size(in, &sin);
		if (in_off > size)
			return err_setc(e, ERR_INVALID,
					"offset is past the end of the source");
		length = size - in_off;
	}
	if (!to_eof)
		job_set_total(j, length);
	c.buf = aligned_alloc(4096, CHUNK);
	if (c.buf == NULL)
		fatal("out of memory");

	/* a stream on either side is copied in order, zeros written out */
	if (to_eof || !file_in || !c.seek_out) {
		rc = copy_loop(&c, (int64_t)in_off, (int64_t)out_off, length,
			       to_eof, e);
		goto out;
	}
	/* walk the source's data ranges; its holes become holes (or zeros)
	 * in the destination without being read */
	end = in_off + length;
	for (uint64_t pos = in_off; pos < end && rc == 0;) {
		off_t data = lseek(in, (off_t)pos, SEEK_DATA);
		off_t hole;

		if (data < 0 && errno == ENXIO) {
			data = (off_t)end;   /* a hole until the end */
			hole = (off_t)end;
		} else if (data < 0) {
			data = (off_t)pos;   /* no SEEK_DATA: all data */
			hole = (off_t)end;
		} else {
			hole = lseek(in, data, SEEK_HOLE);
			if (hole < 0)
				hole = (off_t)end;
		}
		if ((uint64_t)data > end)
			data = (off_t)end;
		if ((uint64_t)hole > end)
			hole = (off_t)end;
		if ((uint64_t)data > pos) {
			rc = zero_range(out, c.file_out, c.blk_out,
					(int64_t)(out_off + (pos - in_off)),
					(uint64_t)data - pos, c.buf, e);
			if (rc < 0)
				break;
			c.done += (uint64_t)data - pos;
			job_progress(j, c.done);
		}
		if (hole > data) {
			uint64_t len = (uint64_t)(hole - data);
			int64_t oo = (int64_t)(out_off + ((uint64_t)data - in_off));
			int k = 0;
			if (c.file_out && !c.sparse && !(flags & COPY_NO_KERNEL))
				k = copy_kernel(&c, data, oo, len, e);
			if (k < 0) {
				rc = -1;
				break;
			}
			if (k == 0)
				rc = copy_loop(&c, data, oo, len, false, e);
		}
		pos = (uint64_t)hole;
	}
out:
	/* a hole at the end of the range must still make a file that long
	 * (punched holes keep the size; the file is only ever extended) */
	if (rc == 0 && !to_eof && c.file_out) {
		struct stat st;
		uint64_t want = out_off + length;
		if (fstat(out, &st) == 0 && (uint64_t)st.st_size < want &&
		    ftruncate(out, (off_t)want) < 0)
			rc = err_errno(e, errno, "cannot extend the destination");
	}
	free(c.buf);
	if (copied)
		*copied = c.done;
	return rc;
}
