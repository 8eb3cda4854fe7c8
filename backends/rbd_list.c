/* cistern — rbd pools: the sizes and allocations of many images without
 * opening them.
 *
 * Opening an image costs about ten round trips and milliseconds of
 * librbd's CPU; `rbd ls -l` opens every image in turn. A refresh needs
 * only each image's size, features and flags (one read of its header
 * object, three calls to the OSD's rbd class in one operation) and, when
 * fast-diff is on and valid, its object map (one read): the objects the
 * map marks as existing are what rbd_diff_iterate2(whole_object) would
 * report, which is libvirt's allocation for such an image. Every image's
 * operations are in flight at once, a batch at a time.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "rbd.h"

#define BATCH 128

/* The object map's encoding (BitVector<2>): a u32 length (14), the
 * header (version, compat, u32 length, u64 object count), then two bits
 * per object, first object in the high bits. */
#define MAP_DATA_OFF 18

struct img {
	const rbd_image_spec_t *spec;
	rados_read_op_t op;
	rados_completion_t comp;
	char *out[3];
	size_t outlen[3];
	int rv[3];
	char *map;              /* the object map's bytes */
	size_t maplen;
	rados_completion_t mapcomp;
	uint64_t size, features, flags;
	int order;
	int err;
};

static uint64_t
le64(const char *p)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

/* Ask the header object for size, features and flags, in one operation. */
static void
send_header(rados_ioctx_t io, struct img *m)
{
	static const char *const methods[3] = {
		"get_size", "get_features", "get_flags",
	};
	char snap[8], oid[128];
	uint64_t head = LIBRADOS_SNAP_HEAD;

	for (int i = 0; i < 8; i++)
		snap[i] = (char)(head >> (8 * i));
	snprintf(oid, sizeof(oid), "rbd_header.%s", m->spec->id);
	m->op = ceph.rados_create_read_op();
	for (int i = 0; i < 3; i++)
		ceph.rados_read_op_exec(m->op, "rbd", methods[i], snap,
					sizeof(snap), &m->out[i],
					&m->outlen[i], &m->rv[i]);
	if (ceph.rados_aio_create_completion(NULL, NULL, NULL, &m->comp) < 0 ||
	    ceph.rados_aio_read_op_operate(m->op, io, m->comp, oid, 0) < 0) {
		if (m->comp != NULL)
			ceph.rados_aio_release(m->comp);
		m->comp = NULL;
		m->err = -EIO;
	}
}

/* Take the header's answers. */
static void
recv_header(struct img *m)
{
	if (m->comp == NULL)
		return;
	ceph.rados_aio_wait_for_complete(m->comp);
	m->err = ceph.rados_aio_get_return_value(m->comp);
	ceph.rados_aio_release(m->comp);
	m->comp = NULL;
	for (int i = 0; m->err == 0 && i < 3; i++)
		if (m->rv[i] < 0)
			m->err = m->rv[i];
	if (m->err == 0 && (m->outlen[0] < 9 || m->outlen[1] < 8 ||
			    m->outlen[2] < 8))
		m->err = -EBADMSG;
	if (m->err == 0) {
		m->order = (unsigned char)m->out[0][0];
		m->size = le64(m->out[0] + 1);
		m->features = le64(m->out[1]);
		m->flags = le64(m->out[2]);
		if (m->order < 12 || m->order > 26)
			m->err = -EBADMSG;
	}
	for (int i = 0; i < 3; i++)
		if (m->out[i] != NULL)
			ceph.rados_buffer_free(m->out[i]);
	ceph.rados_release_read_op(m->op);
	m->op = NULL;
}

/* How many objects an image of this size has. */
static uint64_t
objects(const struct img *m)
{
	uint64_t os = 1ull << m->order;

	return (m->size + os - 1) / os;
}

/* Read the object map, when fast-diff makes it the allocation. */
static void
send_map(rados_ioctx_t io, struct img *m)
{
	char oid[128];

	if (m->err != 0 || !(m->features & RBD_FEATURE_FAST_DIFF) ||
	    (m->flags & (RBD_FLAG_FAST_DIFF_INVALID |
			 RBD_FLAG_OBJECT_MAP_INVALID)))
		return;
	snprintf(oid, sizeof(oid), "rbd_object_map.%s", m->spec->id);
	m->maplen = MAP_DATA_OFF + (size_t)((objects(m) + 3) / 4);
	m->map = xmalloc(m->maplen);
	if (ceph.rados_aio_create_completion(NULL, NULL, NULL,
					     &m->mapcomp) < 0 ||
	    ceph.rados_aio_read(io, oid, m->mapcomp, m->map, m->maplen,
				0) < 0) {
		if (m->mapcomp != NULL)
			ceph.rados_aio_release(m->mapcomp);
		m->mapcomp = NULL;
	}
}

/* The allocation: the objects the map marks existing (any state but
 * "nonexistent"), the last one cut at the image's end; without a usable
 * map, the whole size (libvirt's rule). */
static uint64_t
recv_map(struct img *m)
{
	uint64_t n = objects(m), os = 1ull << m->order, used = 0;
	int r;

	if (m->mapcomp == NULL) {
		free(m->map);
		m->map = NULL;
		return m->size;
	}
	ceph.rados_aio_wait_for_complete(m->mapcomp);
	r = ceph.rados_aio_get_return_value(m->mapcomp);
	ceph.rados_aio_release(m->mapcomp);
	m->mapcomp = NULL;
	if (r < 0 || (size_t)r < m->maplen || le64(m->map + 10) != n) {
		used = m->size;
	} else {
		for (uint64_t i = 0; i < n; i++) {
			unsigned char b = (unsigned char)m->map[MAP_DATA_OFF + i / 4];
			if ((b >> (6 - 2 * (i % 4))) & 3)
				used += i + 1 < n ? os : m->size - i * os;
		}
	}
	free(m->map);
	m->map = NULL;
	return used;
}

int
rbd_list_sizes(struct rbd_conn *c, struct pool *p, const rbd_image_spec_t *specs,
	       size_t n, struct job *j, struct err *e)
{
	struct img *m = xcalloc(BATCH, sizeof(*m));
	int rc = 0;

	job_set_total(j, n);
	for (size_t at = 0; at < n && rc == 0; at += BATCH) {
		size_t k = n - at < BATCH ? n - at : BATCH;

		if ((rc = job_check(j, e)) < 0)
			break;
		memset(m, 0, k * sizeof(*m));
		for (size_t i = 0; i < k; i++) {
			m[i].spec = &specs[at + i];
			send_header(c->io, &m[i]);
		}
		for (size_t i = 0; i < k; i++) {
			recv_header(&m[i]);
			send_map(c->io, &m[i]);
		}
		for (size_t i = 0; i < k; i++) {
			uint64_t used = recv_map(&m[i]);

			if (m[i].err == -ENOENT)
				continue;       /* removed meanwhile */
			if (m[i].err < 0 && rc == 0)
				rc = m[i].err == -EOPNOTSUPP ? 1 :
				     rbd_fail(e, m[i].err, "cannot read image "
					      "'%s'", m[i].spec->name);
			if (m[i].err == 0 && rc == 0)
				pool_add_vol(p, rbd_vol_new(p->def,
							    m[i].spec->name,
							    m[i].size, used));
		}
		job_advance(j, k);
	}
	free(m);
	return rc;
}
