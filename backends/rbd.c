/* cistern — rbd pools: a Ceph pool's RBD images through librados and
 * librbd in process (libvirt's storage_backend_rbd.c).
 *
 * Nothing stays connected: each operation connects to the monitors named
 * in <source><host>, opens the Ceph pool <source><name>, does its work
 * and disconnects. The cephx key comes from the secrets store and reaches
 * librados through rados_conf_set(), never through a command line, a log,
 * XML or an error message. No configuration file is read: the monitors,
 * the user, the key and the pool's rbd:config_opts are all librados is
 * told. Every wait is bounded (RBD_TIMEOUT_S), so an unreachable cluster
 * fails with a clear error instead of hanging.
 *
 * Volumes are images, named as in Ceph, with key and path "POOL/IMAGE"
 * as libvirt gives them.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../core/secret.h"
#include "../core/xml.h"
#include "../core/util.h"
#include "rbd.h"

/* An option of the pool's rbd:config_opts, or NULL. */
static const char *
conf_opt(const struct pool_def *d, const char *name)
{
	for (size_t i = 0; i + 1 < d->nrbd_opts; i += 2)
		if (strcmp(d->rbd_opts[i], name) == 0)
			return d->rbd_opts[i + 1];
	return NULL;
}

/* The monitors as librados takes them and as errors name them:
 * "HOST:PORT,HOST:PORT" (an IPv6 address in brackets). */
static char *
mon_hosts(const struct pool_host *h, size_t n)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < n; i++) {
		bool v6 = strchr(h[i].name, ':') != NULL;
		sbuf_printf(&b, "%s%s%s%s", i ? "," : "", v6 ? "[" : "",
			    h[i].name, v6 ? "]" : "");
		if (h[i].port)
			sbuf_printf(&b, ":%d", h[i].port);
	}
	return sbuf_take(&b);
}

/* The operation timeout of the connection in use, for messages. */
static char op_timeout[16] = "10";

int
rbd_fail(struct err *e, int r, const char *fmt, ...)
{
	char what[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(what, sizeof(what), fmt, ap);
	va_end(ap);
	if (r == -ETIMEDOUT)
		return err_setc(e, ERR_TOOL, "%s: the Ceph cluster did not "
				"answer: timed out after %s s", what, op_timeout);
	return err_setc(e, r == -ENOENT ? ERR_NOT_FOUND : ERR_TOOL, "%s: %s",
			what, strerror(r < 0 ? -r : r));
}

/* Does the text look like a cephx key (base64 of a CryptoKey: type,
 * creation time, length, then that many bytes of secret)? */
static bool
key_ok(const char *key)
{
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	unsigned char bin[96];
	size_t n = 0, len = strlen(key);
	uint32_t acc = 0;
	int bits = 0;

	if (len == 0 || len % 4 != 0 || len > 4 * sizeof(bin) / 3)
		return false;
	for (size_t i = 0; i < len; i++) {
		const char *p = strchr(b64, key[i]);
		if (key[i] == '=' && i >= len - 2)
			continue;
		if (p == NULL || key[i] == '\0')
			return false;
		acc = (acc << 6) | (uint32_t)(p - b64);
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			bin[n++] = (unsigned char)(acc >> bits);
		}
	}
	return n >= 12 && (size_t)(bin[10] | bin[11] << 8) == n - 12 &&
	       n - 12 >= 16;
}

/* librados writes its errors to fd 2 whatever its log options say (they
 * would land on the screen, and one of them quotes a malformed key). While
 * cistern talks to a cluster, fd 2 points at a private memory file; what
 * librados wrote there is only searched, never shown. */
static int hidden_fd = -1, saved_stderr = -1, hide_depth;

static void
stderr_hide(void)
{
	if (hide_depth++ > 0)
		return;
	hidden_fd = memfd_create("cistern-ceph-log", MFD_CLOEXEC);
	saved_stderr = hidden_fd >= 0 ? fcntl(2, F_DUPFD_CLOEXEC, 3) : -1;
	if (saved_stderr >= 0)
		dup2(hidden_fd, 2);
}

static void
stderr_restore(void)
{
	if (hide_depth == 0 || --hide_depth > 0)
		return;
	if (saved_stderr >= 0) {
		dup2(saved_stderr, 2);
		close(saved_stderr);
	}
	if (hidden_fd >= 0)
		close(hidden_fd);
	hidden_fd = saved_stderr = -1;
}

/* After a failed connect: did a monitor answer and refuse the user's
 * credentials? (librados only retries until it times out.) */
static bool
log_says_refused(void)
{
	char buf[65536];
	ssize_t n;

	if (hidden_fd < 0 ||
	    (n = pread(hidden_fd, buf, sizeof(buf) - 1, 0)) <= 0)
		return false;
	buf[n] = '\0';
	return strstr(buf, "handle_auth_bad_method") != NULL ||
	       strstr(buf, "Permission denied") != NULL;
}

/* Connect to the monitors as `user` (NULL: client.admin) with `key`
 * (NULL: no cephx); stderr is hidden until cluster_disconnect(). */
static int
cluster_connect(const struct pool_def *d, const struct pool_host *hosts,
		size_t nhosts, const char *user, const char *key,
		rados_t *out, struct err *e)
{
	char *mons = mon_hosts(hosts, nhosts), tmo[16];
	const char *wait;
	rados_t cl;
	int r;

	*out = NULL;
	if (ceph_load(e) < 0) {
		free(mons);
		return -1;
	}
	if (user != NULL && str_startswith(user, "client."))
		user += strlen("client.");
	if (key != NULL && !key_ok(key)) {
		free(mons);
		return err_setc(e, ERR_INVALID, "the stored cephx key of user "
				"'%s' is not a cephx key (base64, as `ceph auth "
				"get-key` prints it)", user ? user : "admin");
	}
	r = ceph.rados_create(&cl, user);
	if (r < 0) {
		free(mons);
		return rbd_fail(e, r, "cannot set up librados");
	}
	stderr_hide();
	snprintf(tmo, sizeof(tmo), "%d", RBD_TIMEOUT_S);
	/* librados must not write to the terminal nor read a config file
	 * or keyring of its own */
	const char *opts[][2] = {
		{ "log_to_stderr", "false" },
		{ "err_to_stderr", "false" },
		{ "log_file", "" },
		{ "admin_socket", "" },
		{ "keyring", "" },
		{ "mon_host", mons },
		{ "client_mount_timeout", tmo },
		{ "rados_mon_op_timeout", tmo },
		{ "rados_osd_op_timeout", tmo },
		{ "auth_client_required", key ? "cephx" : "none" },
	};
	for (size_t i = 0; i < ARRAY_SIZE(opts) && r >= 0; i++)
		if ((r = ceph.rados_conf_set(cl, opts[i][0], opts[i][1])) < 0)
			rbd_fail(e, r, "librados option %s", opts[i][0]);
	if (r >= 0 && key != NULL &&
	    (r = ceph.rados_conf_set(cl, "key", key)) < 0)
		err_setc(e, ERR_INVALID, "the stored cephx key of user '%s' is "
			 "not a cephx key", user ? user : "admin");
	for (size_t i = 0; d && r >= 0 && i + 1 < d->nrbd_opts; i += 2)
		if ((r = ceph.rados_conf_set(cl, d->rbd_opts[i],
					     d->rbd_opts[i + 1])) < 0)
			rbd_fail(e, r, "Ceph option '%s' = '%s'", d->rbd_opts[i],
				 d->rbd_opts[i + 1]);
	if (r < 0) {
		ceph.rados_shutdown(cl);
		stderr_restore();
		free(mons);
		return -1;
	}
	wait = d ? conf_opt(d, "rados_osd_op_timeout") : NULL;
	snprintf(op_timeout, sizeof(op_timeout), "%s", wait ? wait : tmo);
	r = ceph.rados_connect(cl);
	if (r < 0) {
		bool refused;

		ceph.rados_shutdown(cl);
		refused = log_says_refused();
		wait = d ? conf_opt(d, "client_mount_timeout") : NULL;
		if (refused || r == -EACCES || r == -EPERM ||
		    r == -EKEYREJECTED)
			err_setc(e, ERR_REFUSED, "the Ceph monitors at %s refused "
				 "user 'client.%s': wrong cephx key, unknown "
				 "user, or %s", mons, user ? user : "admin",
				 key ? "no permission" : "the cluster needs "
				 "cephx (give the pool an <auth type='ceph'>)");
		else if (r == -ETIMEDOUT || r == -ETIME)
			err_setc(e, ERR_TOOL, "cannot reach the Ceph monitors at "
				 "%s: timed out after %s s", mons,
				 wait ? wait : tmo);
		else
			rbd_fail(e, r, "cannot connect to the Ceph monitors at "
				 "%s", mons);
		stderr_restore();
		free(mons);
		return -1;
	}
	free(mons);
	*out = cl;
	return 0;
}

/* Disconnect and give fd 2 back. */
static void
cluster_disconnect(rados_t cl)
{
	ceph.rados_shutdown(cl);
	stderr_restore();
}

/* The cephx key an <auth> names, from the secrets store. */
static int
auth_key(const struct store *s, const struct pool_auth *a, char **key,
	 size_t *len, struct err *e)
{
	*key = NULL;
	*len = 0;
	if (a == NULL)
		return 0;
	if (s == NULL)
		return err_setc(e, ERR_GENERIC, "no secrets store to read the "
				"cephx key from");
	*key = secret_get(s, a, len, e);
	if (*key == NULL)
		return err_prefix(e, "cephx key of user '%s'", a->username);
	return 0;
}

int
rbd_conn_open(struct pool *p, struct rbd_conn *c, struct err *e)
{
	const struct pool_def *d = p->def;
	const struct pool_auth *a = d->source.auth;
	char *key;
	size_t klen;
	int r;

	memset(c, 0, sizeof(*c));
	key = NULL;
	klen = 0;
	if (a != NULL && (key = pool_secret(p, &klen, e)) == NULL)
		return err_prefix(e, "cephx key of user '%s'", a->username);
	r = cluster_connect(d, d->source.hosts, d->source.nhosts,
			    a ? a->username : NULL, key, &c->cluster, e);
	secret_free(key, klen);
	if (r < 0)
		return -1;
	r = ceph.rados_ioctx_create(c->cluster, d->source.name, &c->io);
	if (r < 0) {
		c->io = NULL;
		rbd_conn_close(c);
		if (r == -ENOENT)
			return err_setc(e, ERR_NOT_FOUND, "the cluster has no "
					"Ceph pool '%s'", d->source.name);
		return rbd_fail(e, r, "cannot open Ceph pool '%s'",
				d->source.name);
	}
	return 0;
}

void
rbd_conn_close(struct rbd_conn *c)
{
	if (c->io != NULL)
		ceph.rados_ioctx_destroy(c->io);
	if (c->cluster != NULL)
		cluster_disconnect(c->cluster);
	memset(c, 0, sizeof(*c));
}

int
rbd_image_open(struct rbd_conn *c, const char *name, bool ro,
	       rbd_image_t *img, struct err *e)
{
	int r = ro ? ceph.rbd_open_read_only(c->io, name, img, NULL) :
		     ceph.rbd_open(c->io, name, img, NULL);

	if (r == -ENOENT)
		return err_setc(e, ERR_NOT_FOUND, "no image '%s' in the Ceph "
				"pool", name);
	if (r < 0)
		return rbd_fail(e, r, "cannot open image '%s'", name);
	return 0;
}

/* rbd_diff_iterate2: add up the extents that hold data. */
static int
sum_extent(uint64_t off, size_t len, int exists, void *arg)
{
	(void)off;
	if (exists)
		*(uint64_t *)arg += len;
	return 0;
}

uint64_t
rbd_image_allocation(rbd_image_t img, uint64_t size)
{
	uint64_t features = 0, flags = 0, used = 0;

	if (ceph.rbd_get_features(img, &features) < 0 ||
	    !(features & RBD_FEATURE_FAST_DIFF) ||
	    ceph.rbd_get_flags(img, &flags) < 0 ||
	    (flags & RBD_FLAG_FAST_DIFF_INVALID) ||
	    ceph.rbd_diff_iterate2(img, NULL, 0, size, 0, 1, sum_extent,
				   &used) < 0)
		return size;
	return used;
}

struct vol_def *
rbd_vol_new(const struct pool_def *d, const char *name, uint64_t size,
	    uint64_t allocation)
{
	struct vol_def *v = vol_def_new();

	v->type = VOL_NETWORK;
	v->name = xstrdup(name);
	v->key = xasprintf("%s/%s", d->source.name, name);
	v->target.path = xstrdup(v->key);
	v->target.format = xstrdup("raw");
	v->capacity = size;
	v->allocation = allocation;
	v->has_capacity = true;
	return v;
}

/* The pool's images, as rbd_list2 gives them. */
static int
list_images(struct rbd_conn *c, rbd_image_spec_t **out, size_t *n,
	    struct err *e)
{
	size_t max = 64;
	rbd_image_spec_t *v = NULL;
	int r;

	for (;;) {
		v = xreallocarray(v, max, sizeof(*v));
		r = ceph.rbd_list2(c->io, v, &max);
		if (r != -ERANGE)
			break;
	}
	if (r < 0) {
		free(v);
		return rbd_fail(e, r, "cannot list the images");
	}
	*out = v;
	*n = max;
	return 0;
}

/* How many images are opened at once during a refresh: the opens are
 * round trips to the OSDs, and overlapping them is what makes a refresh
 * of hundreds of images quick. */
#define OPEN_BATCH 64

/* Open a batch of images in parallel; images[i] stays NULL for an image
 * that went away meanwhile. */
static int
open_batch(struct rbd_conn *c, rbd_image_spec_t *specs, size_t n,
	   rbd_image_t *images, struct err *e)
{
	rbd_completion_t comp[OPEN_BATCH];
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		images[i] = NULL;
		comp[i] = NULL;
		if (ceph.rbd_aio_create_completion(NULL, NULL, &comp[i]) < 0 ||
		    ceph.rbd_aio_open_read_only(c->io, specs[i].name,
						&images[i], NULL, comp[i]) < 0) {
			if (comp[i] != NULL)
				ceph.rbd_aio_release(comp[i]);
			comp[i] = NULL;
			images[i] = NULL;
		}
	}
	for (size_t i = 0; i < n; i++) {
		ssize_t r;

		if (comp[i] == NULL)
			continue;
		ceph.rbd_aio_wait_for_complete(comp[i]);
		r = ceph.rbd_aio_get_return_value(comp[i]);
		ceph.rbd_aio_release(comp[i]);
		if (r < 0) {
			images[i] = NULL;   /* librbd freed it */
			if (r != -ENOENT && rc == 0)
				rc = rbd_fail(e, (int)r, "cannot open image "
					      "'%s'", specs[i].name);
		}
	}
	return rc;
}

/* Close a batch of images in parallel. */
static void
close_batch(rbd_image_t *images, size_t n)
{
	rbd_completion_t comp[OPEN_BATCH];

	for (size_t i = 0; i < n; i++) {
		comp[i] = NULL;
		if (images[i] == NULL)
			continue;
		if (ceph.rbd_aio_create_completion(NULL, NULL, &comp[i]) < 0 ||
		    ceph.rbd_aio_close(images[i], comp[i]) < 0) {
			if (comp[i] != NULL)
				ceph.rbd_aio_release(comp[i]);
			comp[i] = NULL;
			ceph.rbd_close(images[i]);
		}
	}
	for (size_t i = 0; i < n; i++) {
		if (comp[i] == NULL)
			continue;
		ceph.rbd_aio_wait_for_complete(comp[i]);
		ceph.rbd_aio_release(comp[i]);
	}
}

/* Capacity and available space from the cluster, allocation from the
 * Ceph pool's own usage (libvirt's figures). Without a ceph-mgr the
 * cluster reports zeros. */
static int
pool_stats(struct rbd_conn *c, struct pool_def *d, struct err *e)
{
	struct rados_cluster_stat_t cs;
	struct rados_pool_stat_t ps;
	int r;

	if ((r = ceph.rados_cluster_stat(c->cluster, &cs)) < 0)
		return rbd_fail(e, r, "cannot read the cluster's usage");
	if ((r = ceph.rados_ioctx_pool_stat(c->io, &ps)) < 0)
		return rbd_fail(e, r, "cannot read Ceph pool '%s' usage",
				d->source.name);
	d->capacity = cs.kb * 1024;
	d->available = cs.kb_avail * 1024;
	d->allocation = ps.num_bytes;
	return 0;
}

/* Open every image (a batch at a time) for its size and allocation: the
 * way for clusters whose rbd class cannot answer rbd_list_sizes(). */
static int
sizes_by_open(struct rbd_conn *c, struct pool *p, rbd_image_spec_t *specs,
	      size_t n, struct job *j, struct err *e)
{
	rbd_image_t images[OPEN_BATCH];
	int rc = 0;

	pool_clear_vols(p);
	for (size_t at = 0; at < n && rc == 0; at += OPEN_BATCH) {
		size_t k = n - at < OPEN_BATCH ? n - at : OPEN_BATCH;

		if ((rc = job_check(j, e)) < 0 ||
		    (rc = open_batch(c, specs + at, k, images, e)) < 0) {
			close_batch(images, rc < 0 ? 0 : k);
			break;
		}
		for (size_t i = 0; i < k; i++) {
			rbd_image_info_t info;

			if (images[i] == NULL ||
			    ceph.rbd_stat(images[i], &info, sizeof(info)) < 0)
				continue;
			pool_add_vol(p, rbd_vol_new(p->def, specs[at + i].name,
				     info.size, rbd_image_allocation(images[i],
								     info.size)));
		}
		close_batch(images, k);
	}
	return rc;
}

/* List the images with their size and allocation, and the pool's usage. */
static int
rbd_refresh(struct pool *p, struct job *j, struct err *e)
{
	struct rbd_conn c;
	rbd_image_spec_t *specs = NULL;
	size_t n = 0;
	int rc;

	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	if (list_images(&c, &specs, &n, e) < 0) {
		rbd_conn_close(&c);
		return -1;
	}
	pool_clear_vols(p);
	rc = rbd_list_sizes(&c, p, specs, n, j, e);
	if (rc > 0)
		rc = sizes_by_open(&c, p, specs, n, j, e);
	if (rc == 0)
		rc = pool_stats(&c, p->def, e);
	ceph.rbd_image_spec_list_cleanup(specs, n);
	free(specs);
	rbd_conn_close(&c);
	return rc;
}

/* Start: the monitors answer, the key is right and the Ceph pool exists
 * (the core refreshes afterwards). */
static int
rbd_start(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	struct rbd_conn c;

	(void)flags;
	(void)j;
	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	rbd_conn_close(&c);
	return 0;
}

/* Does the Ceph pool run RBD (`rbd pool init` enables the application)? */
static bool
pool_is_rbd(rados_t cl, const char *name)
{
	rados_ioctx_t io;
	char apps[256];
	size_t len = sizeof(apps);
	bool yes = false;

	if (ceph.rados_ioctx_create(cl, name, &io) < 0)
		return false;
	if (ceph.rados_application_list(io, apps, &len) >= 0)
		for (size_t i = 0; i < len && !yes; i += strlen(apps + i) + 1)
			yes = strcmp(apps + i, "rbd") == 0;
	ceph.rados_ioctx_destroy(io);
	return yes;
}

/* find-storage-pool-sources-as rbd HOST [PORT]: the cluster's Ceph pools
 * that run RBD, each as a <source> ready for a pool definition. */
static char *
rbd_find_sources(const struct source_query *q, struct err *e)
{
	struct pool_host host = { (char *)q->host, q->port };
	struct pool_source *srcs = NULL;
	size_t nsrcs = 0, len = 1024;
	char *buf = NULL, *key, *xml;
	size_t klen;
	rados_t cl;
	int r;

	if (q->host == NULL)
		return err_setc(e, ERR_INVALID, "rbd discovery needs the host "
				"of a Ceph monitor"), NULL;
	if (q->key != NULL) {
		key = xstrdup(q->key);
		klen = strlen(key);
	} else if (auth_key(q->store, q->auth, &key, &klen, e) < 0) {
		return NULL;
	}
	r = cluster_connect(NULL, &host, 1, q->auth ? q->auth->username : NULL,
			    key, &cl, e);
	secret_free(key, klen);
	if (r < 0)
		return NULL;
	for (;;) {
		buf = xrealloc(buf, len);
		r = ceph.rados_pool_list(cl, buf, len);
		if (r < 0 || (size_t)r <= len)
			break;
		len = (size_t)r;
	}
	if (r < 0) {
		free(buf);
		cluster_disconnect(cl);
		return rbd_fail(e, r, "cannot list the Ceph pools"), NULL;
	}
	for (const char *s = buf; (size_t)(s - buf) < len && *s != '\0';
	     s += strlen(s) + 1) {
		struct pool_source *t;

		if (!pool_is_rbd(cl, s))
			continue;
		srcs = xreallocarray(srcs, nsrcs + 1, sizeof(*srcs));
		t = &srcs[nsrcs++];
		memset(t, 0, sizeof(*t));
		t->hosts = xcalloc(1, sizeof(*t->hosts));
		t->hosts[0].name = xstrdup(q->host);
		t->hosts[0].port = q->port;
		t->nhosts = 1;
		t->name = xstrdup(s);
		if (q->auth != NULL && (q->auth->secret_uuid != NULL ||
					q->auth->secret_usage != NULL)) {
			t->auth = xcalloc(1, sizeof(*t->auth));
			t->auth->type = xstrdup("ceph");
			t->auth->username = xstrdup(q->auth->username);
			if (q->auth->secret_uuid != NULL)
				t->auth->secret_uuid = xstrdup(q->auth->secret_uuid);
			if (q->auth->secret_usage != NULL)
				t->auth->secret_usage = xstrdup(q->auth->secret_usage);
		}
	}
	free(buf);
	cluster_disconnect(cl);
	xml = pool_sources_format(POOL_RBD, srcs, nsrcs);
	for (size_t i = 0; i < nsrcs; i++)
		pool_source_clear(&srcs[i]);
	free(srcs);
	return xml;
}

const struct backend rbd_backend = {
	.type = POOL_RBD,
	.flags = BACKEND_VOL_CREATE | BACKEND_REMOTE | BACKEND_VOL_SNAPSHOTS,
	.says_start = "connect to the cluster and list the images",
	.start = rbd_start,
	.refresh = rbd_refresh,
	.find_sources = rbd_find_sources,
	.vol_create = rbd_vol_create,
	.vol_create_from = rbd_vol_create_from,
	.vol_delete = rbd_vol_delete,
	.vol_wipe = rbd_vol_wipe,
	.vol_resize = rbd_vol_resize,
	.vol_upload = rbd_vol_upload,
	.vol_download = rbd_vol_download,
};
