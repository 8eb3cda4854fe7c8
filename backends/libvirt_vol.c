/* cistern — the libvirt engine's volumes: libvirt's volume XML read
 * through core's parser, create, clone, delete, wipe, resize, and
 * upload/download through a virStream with progress and cancellation
 * (lists: backends/libvirt_list.c). */
#include "libvirt.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/util.h"
#include "../core/xml.h"

/* A volume's definition from libvirt's XML of it. */
struct vol_def *
lv_vol_parse(const struct pool *p, const char *name, const char *xml,
	     struct err *e)
{
	char *origin = xasprintf("libvirt's volume '%s'", name);
	struct vol_def *v = vol_def_parse(xml, strlen(xml), origin,
					  p->def->type, VOL_PARSE_NO_CAPACITY,
					  e);

	if (v != NULL && p->def->type == POOL_DISK)
		lv_vol_extents(v, xml);
	free(origin);
	return v;
}

/* A volume's definition as libvirt writes it. */
static struct vol_def *
lv_vol_read(struct cistern *c, const struct pool *p, virStorageVolPtr vol,
	    struct err *e)
{
	const char *name = virt.virStorageVolGetName(vol);
	struct vol_def *v;
	char *xml;

	xml = virt.virStorageVolGetXMLDesc(vol, 0);
	if (xml == NULL)
		return lv_fail(c, e, "pool '%s': volume '%s'", p->def->name,
			       name), NULL;
	v = lv_vol_parse(p, name, xml, e);
	free(xml);
	return v;
}

/* The libvirt volume of v in p (virStorageVolFree it). */
static virStorageVolPtr
lv_vol(struct cistern *c, const struct pool *p, const struct vol_def *v,
       struct err *e)
{
	virStoragePoolPtr pp = lv_pool(c, p, e);
	virStorageVolPtr vol;

	if (pp == NULL)
		return NULL;
	vol = virt.virStorageVolLookupByName(pp, v->name);
	if (vol == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virt.virStoragePoolFree(pp);
	return vol;
}

char *
lv_vol_xml(struct cistern *c, const struct pool *p, const struct vol_def *v,
	   struct err *e)
{
	virStorageVolPtr vol = lv_vol(c, p, v, e);
	char *xml;

	if (vol == NULL)
		return NULL;
	xml = virt.virStorageVolGetXMLDesc(vol, 0);
	if (xml == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virt.virStorageVolFree(vol);
	return xml;
}

static unsigned
create_flags(unsigned flags)
{
	unsigned lf = 0;

	if (flags & VOL_CREATE_PREALLOC_METADATA)
		lf |= VIR_STORAGE_VOL_CREATE_PREALLOC_METADATA;
	if (flags & VOL_CREATE_REFLINK)
		lf |= VIR_STORAGE_VOL_CREATE_REFLINK;
	return lf;
}

/* Add the volume libvirt made to p's list, as libvirt reports it. */
static int
add_made(struct cistern *c, struct pool *p, virStorageVolPtr vol,
	 struct err *e)
{
	struct vol_def *v = lv_vol_read(c, p, vol, e);

	virt.virStorageVolFree(vol);
	if (v == NULL)
		return -1;
	pool_add_vol(p, v);
	return 0;
}

int
lv_vol_create(struct cistern *c, struct pool *p, const struct vol_def *v,
	      unsigned flags, struct job *j, struct err *e)
{
	virStoragePoolPtr pp = lv_pool(c, p, e);
	virStorageVolPtr vol;
	char *xml;

	(void)j;
	if (pp == NULL)
		return -1;
	xml = vol_def_format(v, p->def->type);
	vol = virt.virStorageVolCreateXML(pp, xml, create_flags(flags));
	free(xml);
	if (vol == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virt.virStoragePoolFree(pp);
	return vol == NULL ? -1 : add_made(c, p, vol, e);
}

int
lv_vol_create_from(struct cistern *c, struct pool *p, const struct vol_def *v,
		   struct pool *src_pool, const struct vol_def *src,
		   unsigned flags, struct job *j, struct err *e)
{
	virStoragePoolPtr pp;
	virStorageVolPtr sv, vol;
	char *xml;

	(void)j;
	if ((sv = lv_vol(c, src_pool, src, e)) == NULL)
		return -1;
	if ((pp = lv_pool(c, p, e)) == NULL) {
		virt.virStorageVolFree(sv);
		return -1;
	}
	xml = vol_def_format(v, p->def->type);
	vol = virt.virStorageVolCreateXMLFrom(pp, xml, sv, create_flags(flags));
	free(xml);
	if (vol == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virt.virStoragePoolFree(pp);
	virt.virStorageVolFree(sv);
	return vol == NULL ? -1 : add_made(c, p, vol, e);
}

int
lv_vol_delete(struct cistern *c, struct pool *p, const struct vol_def *v,
	      unsigned flags, struct err *e)
{
	virStorageVolPtr vol = lv_vol(c, p, v, e);
	int rc;

	if (vol == NULL)
		return -1;
	rc = virt.virStorageVolDelete(vol, (flags & VOL_DELETE_SNAPSHOTS) ?
				      VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0);
	if (rc < 0)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virt.virStorageVolFree(vol);
	return rc < 0 ? -1 : 0;
}

int
lv_vol_wipe(struct cistern *c, struct pool *p, const struct vol_def *v,
	    enum wipe_alg alg, struct job *j, struct err *e)
{
	virStorageVolPtr vol = lv_vol(c, p, v, e);
	int rc;

	(void)j;
	if (vol == NULL)
		return -1;
	/* cistern's algorithms are numbered as virStorageVolWipeAlgorithm;
	 * the default one as virsh asks for it (drivers may lack Pattern) */
	if (alg == WIPE_ZERO)
		rc = virt.virStorageVolWipe(vol, 0);
	else
		rc = virt.virStorageVolWipePattern(vol, (unsigned)alg, 0);
	if (rc < 0)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virt.virStorageVolFree(vol);
	return rc < 0 ? -1 : 0;
}

int
lv_vol_resize(struct cistern *c, struct pool *p, const struct vol_def *v,
	      uint64_t capacity, unsigned flags, struct job *j, struct err *e)
{
	virStorageVolPtr vol = lv_vol(c, p, v, e);
	unsigned lf = 0;
	struct vol_def *nv;

	(void)j;
	if (vol == NULL)
		return -1;
	if (flags & VOL_RESIZE_ALLOCATE)
		lf |= VIR_STORAGE_VOL_RESIZE_ALLOCATE;
	if (flags & VOL_RESIZE_SHRINK)
		lf |= VIR_STORAGE_VOL_RESIZE_SHRINK;
	if (virt.virStorageVolResize(vol, capacity, lf) < 0) {
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
		virt.virStorageVolFree(vol);
		return -1;
	}
	/* the list holds what libvirt says now */
	nv = lv_vol_read(c, p, vol, e);
	virt.virStorageVolFree(vol);
	if (nv == NULL)
		return -1;
	for (size_t i = 0; i < p->nvols; i++) {
		if (p->vols[i] != v)
			continue;
		p->vols[i]->capacity = nv->capacity;
		p->vols[i]->allocation = nv->allocation;
	}
	vol_def_free(nv);
	return 0;
}

/* ---- streams ---- */

struct xfer {
	int fd;
	struct job *j;
	bool cancelled;
	int err;                  /* errno of a local read or write */
};

static int
src_cb(virStreamPtr st, char *data, size_t n, void *arg)
{
	struct xfer *x = arg;
	ssize_t r;

	(void)st;
	if (job_cancelled(x->j)) {
		x->cancelled = true;
		return -1;
	}
	r = fd_read_full(x->fd, data, n, -1);
	if (r < 0) {
		x->err = errno;
		return -1;
	}
	if (x->j != NULL)
		job_advance(x->j, (uint64_t)r);
	return (int)r;
}

static int
sink_cb(virStreamPtr st, const char *data, size_t n, void *arg)
{
	struct xfer *x = arg;

	(void)st;
	if (job_cancelled(x->j)) {
		x->cancelled = true;
		return -1;
	}
	if (fd_write_full(x->fd, data, n, -1) < 0) {
		x->err = errno;
		return -1;
	}
	if (x->j != NULL)
		job_advance(x->j, (uint64_t)n);
	return (int)n;
}

/* Sparse upload: where fd is, data or a hole, and how long (virsh's
 * virFileInData); the position is kept. */
static int
in_data_cb(virStreamPtr st, int *in_data, long long *length, void *arg)
{
	struct xfer *x = arg;
	off_t cur, data, end;

	(void)st;
	if (job_cancelled(x->j)) {
		x->cancelled = true;
		return -1;
	}
	if ((cur = lseek(x->fd, 0, SEEK_CUR)) < 0)
		goto fail;
	data = lseek(x->fd, cur, SEEK_DATA);
	if (data < 0 && errno != ENXIO)
		goto fail;
	if (data < 0) {
		/* a hole to the end (or the end itself: length 0) */
		if ((end = lseek(x->fd, 0, SEEK_END)) < 0)
			goto fail;
		*in_data = 0;
		*length = end - cur;
	} else if (data > cur) {
		*in_data = 0;
		*length = data - cur;
	} else {
		if ((end = lseek(x->fd, cur, SEEK_HOLE)) < 0)
			goto fail;
		*in_data = 1;
		*length = end - cur;
	}
	if (lseek(x->fd, cur, SEEK_SET) < 0)
		goto fail;
	return 0;
fail:
	x->err = errno;
	return -1;
}

/* A hole, in a sparse upload (skipped in the file too) or a sparse
 * download (a seek in the file): the stream's skip and hole callback. */
static int
hole_cb(virStreamPtr st, long long length, void *arg)
{
	struct xfer *x = arg;

	(void)st;
	if (job_cancelled(x->j)) {
		x->cancelled = true;
		return -1;
	}
	if (lseek(x->fd, length, SEEK_CUR) < 0) {
		x->err = errno;
		return -1;
	}
	if (x->j != NULL)
		job_advance(x->j, (uint64_t)length);
	return 0;
}

/* The end of a transfer: finish or abort the stream, one error. */
static int
xfer_end(struct cistern *c, virStreamPtr st, int rc, struct xfer *x,
	 const struct pool *p, const struct vol_def *v, struct err *e)
{
	bool finished = false;

	if (rc == 0) {
		finished = true;
		if (virt.virStreamFinish(st) < 0)
			rc = -1;
	}
	/* the error first: aborting the stream resets libvirt's */
	if (rc < 0) {
		if (x->cancelled)
			err_setc(e, ERR_CANCELLED, "pool '%s': volume '%s': "
				 "cancelled", p->def->name, v->name);
		else if (x->err != 0)
			err_errno(e, x->err, "pool '%s': volume '%s'",
				  p->def->name, v->name);
		else
			lv_fail(c, e, "pool '%s': volume '%s'", p->def->name,
				v->name);
		if (!finished)
			virt.virStreamAbort(st);
	}
	virt.virStreamFree(st);
	return rc < 0 ? -1 : 0;
}

int
lv_vol_upload(struct cistern *c, struct pool *p, const struct vol_def *v,
	      int fd, uint64_t offset, uint64_t length, unsigned flags,
	      struct job *j, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	virStorageVolPtr vol;
	virStreamPtr st;
	struct xfer x = { .fd = fd, .j = j };
	struct stat sb;
	bool sparse = false;
	int rc;

	if (conn == NULL || (vol = lv_vol(c, p, v, e)) == NULL)
		return -1;
	if (fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode)) {
		/* libvirt's sparse stream: the file's holes stay holes (a pipe
		 * has none to tell) */
		sparse = (flags & VOL_UPLOAD_SPARSE) != 0;
		if (j != NULL)
			job_set_total(j, length > 0 ? length :
				      (uint64_t)sb.st_size);
	} else if (j != NULL && length > 0) {
		job_set_total(j, length);
	}
	st = virt.virStreamNew(conn, 0);
	if (st == NULL ||
	    virt.virStorageVolUpload(vol, st, offset, length, sparse ?
				     VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0) < 0) {
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
		if (st != NULL)
			virt.virStreamFree(st);
		virt.virStorageVolFree(vol);
		return -1;
	}
	virt.virStorageVolFree(vol);
	if (sparse)
		rc = virt.virStreamSparseSendAll(st, src_cb, in_data_cb,
						 hole_cb, &x);
	else
		rc = virt.virStreamSendAll(st, src_cb, &x);
	return xfer_end(c, st, rc, &x, p, v, e);
}

int
lv_vol_download(struct cistern *c, struct pool *p, const struct vol_def *v,
		int fd, uint64_t offset, uint64_t length, unsigned flags,
		struct job *j, struct err *e)
{
	virConnectPtr conn = lv_conn(c, e);
	bool sparse = (flags & VOL_DOWNLOAD_SPARSE) != 0;
	virStorageVolPtr vol;
	virStreamPtr st;
	struct xfer x = { .fd = fd, .j = j };
	int rc;

	if (conn == NULL || (vol = lv_vol(c, p, v, e)) == NULL)
		return -1;
	if (j != NULL)
		job_set_total(j, length > 0 ? length :
			      (v->capacity > offset ? v->capacity - offset : 0));
	st = virt.virStreamNew(conn, 0);
	if (st == NULL ||
	    virt.virStorageVolDownload(vol, st, offset, length, sparse ?
				       VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM :
				       0) < 0) {
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
		if (st != NULL)
			virt.virStreamFree(st);
		virt.virStorageVolFree(vol);
		return -1;
	}
	virt.virStorageVolFree(vol);
	if (sparse)
		rc = virt.virStreamSparseRecvAll(st, sink_cb, hole_cb, &x);
	else
		rc = virt.virStreamRecvAll(st, sink_cb, &x);
	if (rc == 0 && sparse) {
		/* a hole at the end: the file still has the volume's size */
		off_t end = lseek(fd, 0, SEEK_CUR);
		struct stat sb;
		if (end >= 0 && fstat(fd, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_size < end && ftruncate(fd, end) < 0)
			x.err = errno, rc = -1;
	}
	return xfer_end(c, st, rc, &x, p, v, e);
}
