/* cistern — librados and librbd, loaded when an rbd pool first needs
 * its cluster (ceph_load, from rbd.c's cluster_connect). They are large
 * C++ libraries whose loading cost every run of cistern a third of its
 * start-up, whether it had an rbd pool or not. Every function cistern
 * calls is in CEPH_FUNCS and is called through `ceph`: a call that is
 * not fails to link, since cistern does not link the libraries. */
#ifndef CISTERN_CEPH_API_H
#define CISTERN_CEPH_API_H

#include <rados/librados.h>
#include <rbd/librbd.h>

#include "../core/err.h"

#define CEPH_FUNCS(X) \
	X(rados_aio_create_completion) X(rados_aio_get_return_value) \
	X(rados_aio_read) X(rados_aio_read_op_operate) X(rados_aio_release) \
	X(rados_aio_wait_for_complete) X(rados_application_list) \
	X(rados_buffer_free) X(rados_cluster_stat) X(rados_conf_set) \
	X(rados_connect) X(rados_create) X(rados_create_read_op) \
	X(rados_ioctx_create) X(rados_ioctx_destroy) \
	X(rados_ioctx_pool_stat) X(rados_pool_list) X(rados_read_op_exec) \
	X(rados_release_read_op) X(rados_shutdown) X(rbd_aio_close) \
	X(rbd_aio_create_completion) X(rbd_aio_get_return_value) \
	X(rbd_aio_open_read_only) X(rbd_aio_release) \
	X(rbd_aio_wait_for_complete) X(rbd_clone3) X(rbd_close) \
	X(rbd_copy_with_progress3) X(rbd_create4) X(rbd_diff_iterate2) \
	X(rbd_discard) X(rbd_flush) X(rbd_get_features) X(rbd_get_flags) \
	X(rbd_image_options_create) X(rbd_image_options_destroy) \
	X(rbd_image_options_set_uint64) X(rbd_image_spec_list_cleanup) \
	X(rbd_list2) X(rbd_open) X(rbd_open_read_only) X(rbd_read) \
	X(rbd_remove) X(rbd_resize2) X(rbd_snap_create) \
	X(rbd_snap_is_protected) X(rbd_snap_list) X(rbd_snap_list_end) \
	X(rbd_snap_protect) X(rbd_snap_remove) X(rbd_snap_unprotect) \
	X(rbd_stat) X(rbd_write)

struct ceph_api {
#define CEPH_MEMBER(f) __typeof__(f) *f;
	CEPH_FUNCS(CEPH_MEMBER)
#undef CEPH_MEMBER
};

/* The libraries' functions, once ceph_load has succeeded. */
extern struct ceph_api ceph;

/* Load librados and librbd (once; from any thread). -1 with e set:
 * "cannot load Ceph's client libraries (librados2, librbd1): ...". */
int ceph_load(struct err *e);

#endif
