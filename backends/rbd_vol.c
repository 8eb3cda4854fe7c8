/* cistern — rbd pools: images as volumes (libvirt's
 * storage_backend_rbd.c volume operations).
 *
 * Images are made as format 2 with libvirt's default features; a clone
 * is a copy-on-write child of a protected snapshot when the source has
 * layering, else a full copy; delete refuses an image with snapshots
 * unless told to remove them (--delete-snapshots, as libvirt); wipe is a
 * discard (an RBD discard reads back as zeros); upload and download move
 * data through librbd in chunks, with progress and cancel.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/util.h"
#include "rbd.h"

#define CHUNK (4u << 20)
#define DISCARD_CHUNK (64ull << 20)

/* An image name librbd takes: no '/', no '@' (snapshots). */
static int
check_image_name(const char *name, struct err *e)
{
	if (strpbrk(name, "/@") != NULL)
		return err_setc(e, ERR_INVALID, "an RBD image name cannot "
				"contain '/' or '@'");
	return 0;
}

/* librbd progress: report, and stop when the job is cancelled. */
static int
progress(uint64_t done, uint64_t total, void *arg)
{
	struct job *j = arg;

	job_set_total(j, total);
	job_progress(j, done);
	return job_cancelled(j) ? -ECANCELED : 0;
}

/* Options for a new image: format 2, libvirt's default features. */
static rbd_image_options_t
new_image_opts(void)
{
	rbd_image_options_t o;

	ceph.rbd_image_options_create(&o);
	ceph.rbd_image_options_set_uint64(o, RBD_IMAGE_OPTION_FORMAT, 2);
	ceph.rbd_image_options_set_uint64(o, RBD_IMAGE_OPTION_FEATURES,
					  RBD_CREATE_FEATURES);
	return o;
}

/* Fill in what was made. */
static void
set_made(const struct pool *p, struct vol_def *v, uint64_t size,
	 uint64_t allocation)
{
	struct vol_def *n = rbd_vol_new(p->def, v->name, size, allocation);

	free(v->key);
	free(v->target.path);
	free(v->target.format);
	v->type = VOL_NETWORK;
	v->key = n->key;
	v->target.path = n->target.path;
	v->target.format = n->target.format;
	n->key = n->target.path = n->target.format = NULL;
	v->capacity = size;
	v->allocation = allocation;
	v->has_capacity = true;
	vol_def_free(n);
}

int
rbd_vol_create(struct pool *p, struct vol_def *v, unsigned flags,
	       struct job *j, struct err *e)
{
	struct rbd_conn c;
	rbd_image_options_t o;
	int r;

	(void)flags;
	(void)j;
	if (check_image_name(v->name, e) < 0)
		return -1;
	if (v->target.format != NULL && strcmp(v->target.format, "raw") != 0)
		return err_setc(e, ERR_UNSUPPORTED, "RBD images are raw (not "
				"'%s')", v->target.format);
	if (v->capacity == 0)
		return err_setc(e, ERR_INVALID, "an RBD image needs a capacity");
	if (run_dry_run())
		return 0;
	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	o = new_image_opts();
	r = ceph.rbd_create4(c.io, v->name, v->capacity, o);
	ceph.rbd_image_options_destroy(o);
	rbd_conn_close(&c);
	if (r == -EEXIST)
		return err_setc(e, ERR_EXISTS, "an image of that name exists "
				"in Ceph pool '%s'", p->def->source.name);
	if (r < 0)
		return rbd_fail(e, r, "cannot create the image");
	set_made(p, v, v->capacity, 0);
	return 0;
}

/* rbd_diff_iterate2 from a snapshot: anything written since? */
static int
note_change(uint64_t off, size_t len, int exists, void *arg)
{
	(void)off;
	(void)len;
	(void)exists;
	*(bool *)arg = true;
	return -EEXIST;   /* one is enough */
}

/* A protected snapshot of the image that holds exactly what the image
 * holds now (malloc'd name), or NULL. */
static char *
unchanged_snapshot(rbd_image_t img, uint64_t size)
{
	rbd_snap_info_t snaps[64];
	int max = 64, n = ceph.rbd_snap_list(img, snaps, &max);
	char *found = NULL;

	if (n < 0)
		return NULL;
	for (int i = n - 1; i >= 0 && found == NULL; i--) {
		int prot = 0;
		bool changed = false;

		if (snaps[i].size != size ||
		    ceph.rbd_snap_is_protected(img, snaps[i].name, &prot) < 0 ||
		    !prot)
			continue;
		if (ceph.rbd_diff_iterate2(img, snaps[i].name, 0, size, 0, 1,
					   note_change, &changed) < 0 && !changed)
			continue;
		if (!changed)
			found = xstrdup(snaps[i].name);
	}
	ceph.rbd_snap_list_end(snaps);
	return found;
}

/* Clone `src` as a copy-on-write child of a protected snapshot (one that
 * matches the image, else a new one "cistern-clone-TIME"). */
static int
clone_layered(struct rbd_conn *c, rbd_image_t img, const char *src,
	      const char *dst, uint64_t size, struct err *e)
{
	char *snap = unchanged_snapshot(img, size);
	bool made = false;
	rbd_image_options_t o;
	int r;

	if (snap == NULL) {
		snap = xasprintf("cistern-clone-%lld", (long long)time(NULL));
		if ((r = ceph.rbd_snap_create(img, snap)) < 0 ||
		    (made = true, r = ceph.rbd_snap_protect(img, snap)) < 0) {
			if (made)
				ceph.rbd_snap_remove(img, snap);
			rbd_fail(e, r, "cannot snapshot '%s' for the clone", src);
			free(snap);
			return -1;
		}
	}
	o = new_image_opts();
	r = ceph.rbd_clone3(c->io, src, snap, c->io, dst, o);
	ceph.rbd_image_options_destroy(o);
	if (r < 0) {
		if (made) {
			ceph.rbd_snap_unprotect(img, snap);
			ceph.rbd_snap_remove(img, snap);
		}
		if (r == -EEXIST)
			err_setc(e, ERR_EXISTS, "an image of that name exists");
		else
			rbd_fail(e, r, "cannot clone '%s@%s'", src, snap);
	}
	free(snap);
	return r < 0 ? -1 : 0;
}

/* Is `sp` the same Ceph pool on the same monitors as `p`? */
static bool
same_ceph_pool(const struct pool *p, const struct pool *sp)
{
	const struct pool_source *a = &p->def->source, *b = &sp->def->source;

	if (sp->def->type != POOL_RBD || !str_eq(a->name, b->name) ||
	    a->nhosts != b->nhosts)
		return false;
	for (size_t i = 0; i < a->nhosts; i++)
		if (!str_eq(a->hosts[i].name, b->hosts[i].name) ||
		    a->hosts[i].port != b->hosts[i].port)
			return false;
	return true;
}

int
rbd_vol_create_from(struct pool *p, struct vol_def *v, struct pool *src_pool,
		    const struct vol_def *src, unsigned flags, struct job *j,
		    struct err *e)
{
	struct rbd_conn c;
	rbd_image_t img;
	rbd_image_info_t info;
	uint64_t features = 0, size;
	int rc = 0, r;

	if (flags & VOL_CREATE_REFLINK)
		return err_setc(e, ERR_UNSUPPORTED, "--reflink is for file "
				"volumes");
	if (check_image_name(v->name, e) < 0)
		return -1;
	if (!same_ceph_pool(p, src_pool))
		return err_setc(e, ERR_UNSUPPORTED, "an RBD image can be cloned "
				"from an image of the same Ceph pool only (copy "
				"other volumes in with vol-upload)");
	if (run_dry_run())
		return 0;
	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	if (rbd_image_open(&c, src->name, false, &img, e) < 0) {
		rbd_conn_close(&c);
		return -1;
	}
	if ((r = ceph.rbd_stat(img, &info, sizeof(info))) < 0 ||
	    (r = ceph.rbd_get_features(img, &features)) < 0) {
		rbd_fail(e, r, "cannot read image '%s'", src->name);
		goto out;
	}
	size = info.size;
	if (features & RBD_FEATURE_LAYERING) {
		job_phase(j, "cloning from a snapshot");
		rc = clone_layered(&c, img, src->name, v->name, size, e);
	} else {
		rbd_image_options_t o = new_image_opts();
		job_phase(j, "copying");
		r = ceph.rbd_copy_with_progress3(img, c.io, v->name, o,
						 progress, j);
		ceph.rbd_image_options_destroy(o);
		if (r < 0) {
			rc = -1;
			if (r == -ECANCELED || job_cancelled(j)) {
				ceph.rbd_remove(c.io, v->name);
				err_setc(e, ERR_CANCELLED, "cancelled");
			} else if (r == -EEXIST) {
				err_setc(e, ERR_EXISTS, "an image of that name "
					 "exists");
			} else {
				ceph.rbd_remove(c.io, v->name);
				rbd_fail(e, r, "cannot copy '%s'", src->name);
			}
		}
	}
	if (rc == 0 && v->capacity > size) {
		rbd_image_t n;
		if (rbd_image_open(&c, v->name, false, &n, e) == 0) {
			if ((r = ceph.rbd_resize2(n, v->capacity, false,
						  progress, j)) < 0)
				rbd_fail(e, r, "cannot grow the clone");
			else
				size = v->capacity;
			ceph.rbd_close(n);
		}
		if (err_isset(e)) {
			ceph.rbd_remove(c.io, v->name);
			rc = -1;
		}
	}
	if (rc == 0)
		set_made(p, v, size, 0);
out:
	ceph.rbd_close(img);
	rbd_conn_close(&c);
	return err_isset(e) ? -1 : rc;
}

int
rbd_vol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
	       struct err *e)
{
	struct rbd_conn c;
	rbd_image_t img;
	rbd_snap_info_t snaps[64];
	int max = 64, n, r, rc = 0;

	if (run_dry_run())
		return 0;
	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	if (rbd_image_open(&c, v->name, false, &img, e) < 0) {
		rbd_conn_close(&c);
		return -1;
	}
	n = ceph.rbd_snap_list(img, snaps, &max);
	if (n < 0) {
		ceph.rbd_close(img);
		rbd_conn_close(&c);
		return rbd_fail(e, n, "cannot list its snapshots");
	}
	if (n > 0 && !(flags & VOL_DELETE_SNAPSHOTS)) {
		err_setc(e, ERR_REFUSED, "the image has %d snapshot%s (first "
			 "'%s'); snapshots are deleted only with "
			 "--delete-snapshots (on the screen: 'Also delete its "
			 "snapshots')", n, n == 1 ? "" : "s", snaps[0].name);
		rc = -1;
	}
	for (int i = 0; rc == 0 && i < n; i++) {
		int prot = 0;

		ceph.rbd_snap_is_protected(img, snaps[i].name, &prot);
		if (prot &&
		    (r = ceph.rbd_snap_unprotect(img, snaps[i].name)) < 0) {
			if (r == -EBUSY)
				err_setc(e, ERR_REFUSED, "snapshot '%s' has "
					 "clones: flatten or delete them first",
					 snaps[i].name);
			else
				rbd_fail(e, r, "cannot unprotect snapshot '%s'",
					 snaps[i].name);
			rc = -1;
		} else if ((r = ceph.rbd_snap_remove(img, snaps[i].name)) < 0) {
			rc = rbd_fail(e, r, "cannot remove snapshot '%s'",
				      snaps[i].name);
		}
	}
	ceph.rbd_snap_list_end(snaps);
	ceph.rbd_close(img);
	if (rc == 0 && (r = ceph.rbd_remove(c.io, v->name)) < 0 &&
	    r != -ENOENT) {
		if (r == -EBUSY)
			err_setc(e, ERR_REFUSED, "the image is in use (a client "
				 "has it open)");
		else
			rbd_fail(e, r, "cannot remove the image");
		rc = -1;
	}
	rbd_conn_close(&c);
	return rc;
}

int
rbd_vol_resize(struct pool *p, const struct vol_def *v, uint64_t capacity,
	       unsigned flags, struct job *j, struct err *e)
{
	struct rbd_conn c;
	rbd_image_t img;
	int r;

	if (run_dry_run())
		return 0;
	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	if (rbd_image_open(&c, v->name, false, &img, e) < 0) {
		rbd_conn_close(&c);
		return -1;
	}
	r = ceph.rbd_resize2(img, capacity, (flags & VOL_RESIZE_SHRINK) != 0,
			     progress, j);
	ceph.rbd_close(img);
	rbd_conn_close(&c);
	if (r == -ECANCELED)
		return err_setc(e, ERR_CANCELLED, "cancelled");
	if (r < 0)
		return rbd_fail(e, r, "cannot resize the image");
	return 0;
}

/* Open the volume's image for a data operation and learn its size. */
static int
data_open(struct pool *p, const struct vol_def *v, bool ro,
	  struct rbd_conn *c, rbd_image_t *img, uint64_t *size, struct err *e)
{
	rbd_image_info_t info;
	int r;

	if (rbd_conn_open(p, c, e) < 0)
		return -1;
	if (rbd_image_open(c, v->name, ro, img, e) < 0) {
		rbd_conn_close(c);
		return -1;
	}
	if ((r = ceph.rbd_stat(*img, &info, sizeof(info))) < 0) {
		ceph.rbd_close(*img);
		rbd_conn_close(c);
		return rbd_fail(e, r, "cannot read the image's size");
	}
	*size = info.size;
	return 0;
}

/* Zero and trim both discard: RBD reads discarded ranges as zeros, and
 * whole objects are freed (libvirt wipes RBD images only these ways). */
int
rbd_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
	     struct job *j, struct err *e)
{
	struct rbd_conn c;
	rbd_image_t img;
	uint64_t size;
	int rc = 0;

	if (alg != WIPE_ZERO && alg != WIPE_TRIM)
		return err_setc(e, ERR_UNSUPPORTED, "RBD images are wiped with "
				"'zero' or 'trim' (a discard); '%s' is not "
				"supported", wipe_alg_name(alg));
	if (run_dry_run())
		return 0;
	if (data_open(p, v, false, &c, &img, &size, e) < 0)
		return -1;
	job_set_total(j, size);
	job_phase(j, "discarding");
	for (uint64_t off = 0; off < size && rc == 0; off += DISCARD_CHUNK) {
		uint64_t n = size - off < DISCARD_CHUNK ? size - off :
			     DISCARD_CHUNK;
		int r;

		if ((rc = job_check(j, e)) < 0)
			break;
		if ((r = ceph.rbd_discard(img, off, n)) < 0)
			rc = rbd_fail(e, r, "discard at %llu failed",
				      (unsigned long long)off);
		job_advance(j, n);
	}
	ceph.rbd_close(img);
	rbd_conn_close(&c);
	return rc;
}

static bool
all_zero(const char *buf, size_t n)
{
	return n == 0 || (buf[0] == 0 && memcmp(buf, buf + 1, n - 1) == 0);
}

int
rbd_vol_upload(struct pool *p, const struct vol_def *v, int fd,
	       uint64_t offset, uint64_t length, unsigned flags,
	       struct job *j, struct err *e)
{
	struct rbd_conn c;
	rbd_image_t img;
	uint64_t size, done = 0;
	struct stat st;
	bool to_eof;
	char *buf;
	int rc = 0;

	if (run_dry_run())
		return 0;
	if (length == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		length = (uint64_t)st.st_size - (uint64_t)(cur > 0 ? cur : 0);
	}
	to_eof = length == 0;
	if (data_open(p, v, false, &c, &img, &size, e) < 0)
		return -1;
	if (offset > size || (!to_eof && length > size - offset)) {
		ceph.rbd_close(img);
		rbd_conn_close(&c);
		return err_setc(e, ERR_INVALID, "%llu bytes at offset %llu do "
				"not fit in %llu bytes", (unsigned long long)length,
				(unsigned long long)offset,
				(unsigned long long)size);
	}
	buf = xmalloc(CHUNK);
	job_set_total(j, length);
	while (rc == 0 && (to_eof || done < length)) {
		size_t want = CHUNK;
		ssize_t got, w;

		if (!to_eof && length - done < want)
			want = (size_t)(length - done);
		if ((rc = job_check(j, e)) < 0)
			break;
		if ((got = fd_read_full(fd, buf, want, -1)) < 0) {
			rc = err_errno(e, errno, "cannot read the input");
			break;
		}
		if (got == 0) {
			if (!to_eof)
				rc = err_setc(e, ERR_INVALID, "the input ended "
					      "after %llu of %llu bytes",
					      (unsigned long long)done,
					      (unsigned long long)length);
			break;
		}
		if (offset + done + (uint64_t)got > size) {
			rc = err_setc(e, ERR_INVALID, "the input is larger than "
				      "the %llu bytes left in the volume",
				      (unsigned long long)(size - offset));
			break;
		}
		if ((flags & VOL_UPLOAD_SPARSE) && all_zero(buf, (size_t)got))
			w = ceph.rbd_discard(img, offset + done, (uint64_t)got);
		else
			w = ceph.rbd_write(img, offset + done, (size_t)got,
					   buf);
		if (w < 0) {
			rc = rbd_fail(e, (int)w, "write at %llu failed",
				      (unsigned long long)(offset + done));
			break;
		}
		done += (uint64_t)got;
		job_advance(j, (uint64_t)got);
	}
	if (rc == 0 && ceph.rbd_flush(img) < 0)
		rc = err_setc(e, ERR_TOOL, "cannot flush the image");
	free(buf);
	ceph.rbd_close(img);
	rbd_conn_close(&c);
	return rc;
}

/* Write all of buf, or seek over it when it is zeros and holes are
 * wanted. */
static int
out_write(int fd, const char *buf, size_t n, bool sparse, struct err *e)
{
	const char *what;

	if (fd_write_sparse(fd, buf, n, sparse, &what) < 0)
		return err_errno(e, errno, "cannot %s the output", what);
	return 0;
}

int
rbd_vol_download(struct pool *p, const struct vol_def *v, int fd,
		 uint64_t offset, uint64_t length, unsigned flags,
		 struct job *j, struct err *e)
{
	struct rbd_conn c;
	rbd_image_t img;
	uint64_t size, done = 0;
	struct stat st;
	bool sparse;
	char *buf;
	int rc = 0;

	if (run_dry_run())
		return 0;
	sparse = (flags & VOL_DOWNLOAD_SPARSE) && fstat(fd, &st) == 0 &&
		 S_ISREG(st.st_mode);
	if (data_open(p, v, true, &c, &img, &size, e) < 0)
		return -1;
	if (offset > size || length > size - offset) {
		ceph.rbd_close(img);
		rbd_conn_close(&c);
		return err_setc(e, ERR_INVALID, "offset %llu and length %llu "
				"go past the end of the volume (%llu bytes)",
				(unsigned long long)offset,
				(unsigned long long)length,
				(unsigned long long)size);
	}
	if (length == 0)
		length = size - offset;
	buf = xmalloc(CHUNK);
	job_set_total(j, length);
	while (rc == 0 && done < length) {
		size_t n = length - done < CHUNK ? (size_t)(length - done) :
			   CHUNK;
		ssize_t r;

		if ((rc = job_check(j, e)) < 0)
			break;
		r = ceph.rbd_read(img, offset + done, n, buf);
		if (r < 0 || (size_t)r != n) {
			rc = rbd_fail(e, r < 0 ? (int)r : -EIO, "read at %llu "
				      "failed", (unsigned long long)(offset + done));
			break;
		}
		if ((rc = out_write(fd, buf, n, sparse, e)) < 0)
			break;
		done += n;
		job_advance(j, n);
	}
	if (rc == 0 && sparse && fd_sparse_end(fd) < 0)
		rc = err_errno(e, errno, "cannot set the output's size");
	free(buf);
	ceph.rbd_close(img);
	rbd_conn_close(&c);
	return rc;
}
