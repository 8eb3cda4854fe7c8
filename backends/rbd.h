/* cistern — rbd pools: what backends/rbd.c (the cluster, the pool) and
 * backends/rbd_vol.c (the images) share. */
#ifndef CISTERN_RBD_H
#define CISTERN_RBD_H

#include "../core/pool.h"
#include "ceph_api.h"

/* Seconds librados waits for the monitors and for each operation
 * (client_mount_timeout, rados_mon_op_timeout, rados_osd_op_timeout),
 * unless the pool's rbd:config_opts say otherwise. */
#define RBD_TIMEOUT_S 10

/* The features an image is created with: libvirt's (and Ceph's) default. */
#define RBD_CREATE_FEATURES (RBD_FEATURE_LAYERING | RBD_FEATURE_EXCLUSIVE_LOCK | \
			     RBD_FEATURE_OBJECT_MAP | RBD_FEATURE_FAST_DIFF | \
			     RBD_FEATURE_DEEP_FLATTEN)

struct rbd_conn {
	rados_t cluster;
	rados_ioctx_t io;       /* the pool's, or NULL */
};

/* Connect to the pool's cluster and open its Ceph pool (the key from
 * the secrets store). */
int rbd_conn_open(struct pool *p, struct rbd_conn *c, struct err *e);
void rbd_conn_close(struct rbd_conn *c);

/* Describe a librbd/librados failure: "what: reason". */
int rbd_fail(struct err *e, int r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Open an image (read-only or not) with a clear error. */
int rbd_image_open(struct rbd_conn *c, const char *name, bool ro,
		   rbd_image_t *img, struct err *e);

/* Bytes of an image that hold data: from the object map when fast-diff
 * is valid, else its whole size (libvirt's rule). */
uint64_t rbd_image_allocation(rbd_image_t img, uint64_t size);

/* Add the images as volumes with their sizes and allocations, reading
 * their header and object map objects directly (backends/rbd_list.c).
 * 1: the cluster's rbd class lacks a call; open the images instead. */
int rbd_list_sizes(struct rbd_conn *c, struct pool *p,
		   const rbd_image_spec_t *specs, size_t n, struct job *j,
		   struct err *e);

/* A volume definition for an image (name, key and path "POOL/IMAGE"). */
struct vol_def *rbd_vol_new(const struct pool_def *d, const char *name,
			    uint64_t size, uint64_t allocation);

/* The volume operations (backends/rbd_vol.c). */
int rbd_vol_create(struct pool *p, struct vol_def *v, unsigned flags,
		   struct job *j, struct err *e);
int rbd_vol_create_from(struct pool *p, struct vol_def *v,
			struct pool *src_pool, const struct vol_def *src,
			unsigned flags, struct job *j, struct err *e);
int rbd_vol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
		   struct err *e);
int rbd_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
		 struct job *j, struct err *e);
int rbd_vol_resize(struct pool *p, const struct vol_def *v, uint64_t capacity,
		   unsigned flags, struct job *j, struct err *e);
int rbd_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		   uint64_t offset, uint64_t length, unsigned flags,
		   struct job *j, struct err *e);
int rbd_vol_download(struct pool *p, const struct vol_def *v, int fd,
		     uint64_t offset, uint64_t length, unsigned flags,
		     struct job *j, struct err *e);

#endif
