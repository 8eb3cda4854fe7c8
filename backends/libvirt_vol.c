/* cistern — the libvirt engine's volumes: listing (libvirt's volume XML
 * through core's parser), create, clone, delete, wipe, resize, and
 * upload/download through a virStream with progress and cancellation. */
#include "libvirt.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "../core/fileio.h"
#include "../core/util.h"
#include "../core/xml.h"

/* A volume's definition from libvirt's XML of it. */
static struct vol_def *
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
	const char *name = virStorageVolGetName(vol);
	struct vol_def *v;
	char *xml;

	xml = virStorageVolGetXMLDesc(vol, 0);
	if (xml == NULL)
		return lv_fail(c, e, "pool '%s': volume '%s'", p->def->name,
			       name), NULL;
	v = lv_vol_parse(p, name, xml, e);
	free(xml);
	return v;
}

/* ---- listing ----
 *
 * A list reads each volume (`what`: 0 in full, its XML; VOL_LIST_SIZES,
 * type and sizes; VOL_LIST_NAMES, nothing more). Name and key come with
 * the listing; in file pools the key is the path (libvirt's keys there),
 * and type and sizes are read in the pool's directory when it is open
 * here (lv_local_dir), or else asked in one small request
 * (virStorageVolGetInfo) instead of the XML. A volume whose key is not a
 * path in the pool's directory, or whose type cistern has no name for,
 * is read in full.
 *
 * The requests are made from several threads at once: libvirt's remote
 * driver multiplexes concurrent calls on one connection, and libvirtd
 * serves a client's calls in parallel (5 at a time by default), so a
 * pool of 10,000 volumes costs a few round trips' worth of waiting
 * instead of 10,000. The threads only ask libvirt and keep its answers
 * (struct vl_work, theirs as much as the lister's); the lister makes
 * the volumes of them, and can leave the threads waiting and go on when
 * the connection is lost.
 *
 * libvirt 9.0's client does not end such a burst well: when keepalive
 * ends the connection, the thread waiting on the socket for the others
 * returns with the error and the next one takes over the waiting, for
 * ever, and crashes the process if the daemon answers again (see
 * lv_bulk). So the first lost request ends the list, and the threads
 * still waiting are left to it; where the burst has a connection
 * without keepalive (lv_bulk, a forked job), it gives up after
 * LV_DEAD_MS with no answer. */
#define LV_LIST_THREADS 8

/* What one volume's request brought back. */
struct vl_slot {
	bool done;                /* its request ended (atomic) */
	bool full;                /* its XML was asked for */
	bool ok;                  /* the answer came */
	virStorageVolInfo info;
	char *xml;
	virErrorPtr err;          /* or libvirt's error */
};

/* What the reading threads share with the lister: freed by whichever
 * lets go of it last. */
struct vl_work {
	int refs;                 /* the lister and each thread (atomic) */
	bool abandoned;           /* the lister has gone (atomic) */
	virStorageVolPtr *vols;
	struct vl_slot *slots;
	int n;
	int what;                 /* 0: in full; else VOL_LIST_* */
	char *dir;                /* the pool's target, or NULL */
	int dfd;                  /* the pool's directory, read here, or -1 */
	int next;                 /* the next volume to read (atomic) */
	int done;                 /* how many are read (atomic) */
	bool lost;                /* the connection is (atomic) */
	pthread_mutex_t lock;
	pthread_cond_t cond;      /* a reading thread finished */
	int finished;             /* how many have (under lock) */
};

static void
vl_unref(struct vl_work *w)
{
	if (__atomic_sub_fetch(&w->refs, 1, __ATOMIC_ACQ_REL) > 0)
		return;
	for (int i = 0; i < w->n; i++) {
		free(w->slots[i].xml);
		if (w->slots[i].err != NULL)
			virFreeError(w->slots[i].err);
		virStorageVolFree(w->vols[i]);
	}
	if (w->dfd >= 0)
		close(w->dfd);
	pthread_cond_destroy(&w->cond);
	pthread_mutex_destroy(&w->lock);
	free(w->slots);
	free(w->vols);
	free(w->dir);
	free(w);
}

/* Ask libvirt for volume i what the list needs (no request for what
 * is read here or comes with the listing). */
static void
vl_fetch(struct vl_work *w, int i)
{
	struct vl_slot *s = &w->slots[i];
	virStorageVolPtr vol = w->vols[i];
	const char *key = virStorageVolGetKey(vol);
	size_t dl = w->dir != NULL ? strlen(w->dir) : 0;

	s->full = w->what == 0 || key == NULL || w->dir == NULL ||
		  strncmp(key, w->dir, dl) != 0 || key[dl] != '/';
	if (!s->full && w->what >= VOL_LIST_SIZES &&
	    !lv_local_info(w->dir, w->dfd, vol, &s->info) &&
	    virStorageVolGetInfo(vol, &s->info) < 0)
		goto fail;
	if (!s->full && w->what >= VOL_LIST_SIZES) {
		switch (s->info.type) {
		case VIR_STORAGE_VOL_FILE: case VIR_STORAGE_VOL_BLOCK:
		case VIR_STORAGE_VOL_DIR: case VIR_STORAGE_VOL_NETWORK:
		case VIR_STORAGE_VOL_NETDIR:
			break;
		default:        /* no name for it here: read in full */
			s->full = true;
		}
	}
	if (s->full) {
		s->xml = virStorageVolGetXMLDesc(vol, 0);
		if (s->xml == NULL)
			goto fail;
	}
	s->ok = true;
	return;
fail:
	s->err = virSaveLastError();
	if (virConnectIsAlive(virStorageVolGetConnect(vol)) == 0)
		__atomic_store_n(&w->lost, true, __ATOMIC_RELEASE);
}

/* Volume i as the list shows it, from what its request brought back. */
static struct vol_def *
vl_make(struct cistern *c, const struct pool *p, struct vl_work *w, int i,
	struct err *e)
{
	struct vl_slot *s = &w->slots[i];
	const char *name = virStorageVolGetName(w->vols[i]);
	struct vol_def *v;
	enum vol_type t = VOL_FILE;

	if (!s->ok)
		return lv_fail_with(c, e, s->err, "pool '%s': volume '%s'",
				    p->def->name, name), NULL;
	if (s->full)
		return lv_vol_parse(p, name, s->xml, e);
	switch (s->info.type) {
	case VIR_STORAGE_VOL_BLOCK: t = VOL_BLOCK; break;
	case VIR_STORAGE_VOL_DIR: t = VOL_DIR; break;
	case VIR_STORAGE_VOL_NETWORK: t = VOL_NETWORK; break;
	case VIR_STORAGE_VOL_NETDIR: t = VOL_NETDIR; break;
	default: t = VOL_FILE; break;
	}
	v = vol_def_new();
	v->name = xstrdup(name);
	v->key = xstrdup(virStorageVolGetKey(w->vols[i]));
	v->target.path = xstrdup(v->key);
	v->type = t;
	if (w->what >= VOL_LIST_SIZES) {
		v->capacity = s->info.capacity;
		v->allocation = s->info.allocation;
		v->has_capacity = true;
	}
	return v;
}

/* Read volumes until none is left, or the lister has gone. */
static void
vl_read_some(struct vl_work *w)
{
	int i;

	while (!__atomic_load_n(&w->abandoned, __ATOMIC_ACQUIRE) &&
	       !__atomic_load_n(&w->lost, __ATOMIC_ACQUIRE) &&
	       (i = __atomic_fetch_add(&w->next, 1, __ATOMIC_RELAXED)) < w->n) {
		vl_fetch(w, i);
		__atomic_store_n(&w->slots[i].done, true, __ATOMIC_RELEASE);
		__atomic_fetch_add(&w->done, 1, __ATOMIC_RELEASE);
	}
}

static void *
vl_thread(void *arg)
{
	struct vl_work *w = arg;

	vl_read_some(w);
	pthread_mutex_lock(&w->lock);
	w->finished++;
	pthread_cond_signal(&w->cond);
	pthread_mutex_unlock(&w->lock);
	vl_unref(w);
	return NULL;
}

/* The connection was lost: the error of a request that found it so. */
static void
vl_lost(struct cistern *c, struct vl_work *w, struct err *e)
{
	virErrorPtr le = NULL, any = NULL;

	/* a finished request's slot is its thread's no more; the
	 * transport's error rather than another volume's own */
	for (int i = 0; i < w->n && le == NULL; i++) {
		virErrorPtr s = w->slots[i].err;

		if (!__atomic_load_n(&w->slots[i].done, __ATOMIC_ACQUIRE) ||
		    s == NULL)
			continue;
		if (s->domain == VIR_FROM_RPC || s->domain == VIR_FROM_REMOTE)
			le = s;
		else if (any == NULL)
			any = s;
	}
	lv_fail_with(c, e, le != NULL ? le : any, "cannot list");
}

/* With no answer for this long, the event loop is let go (ms). */
#define LV_QUIET_MS 5000

/* Read every volume of w, from several threads, while this one reports
 * progress and watches: the event loop is held for the burst, and let
 * go when no answer comes for LV_QUIET_MS, so keepalive can tell a dead
 * connection. Lost, or with no answer for LV_DEAD_MS, the threads are
 * left to it (-1, e set). */
static int
vl_read_all(struct cistern *c, struct vl_work *w, struct job *j,
	    struct err *e)
{
	pthread_t t[LV_LIST_THREADS];
	virConnectPtr conn = virStorageVolGetConnect(w->vols[0]);
	int nt = 0, seen = -1, rc = 0;
	int64_t quiet_since = now_ms();
	bool held = true;

	xmlInitParser();
	lv_event_hold(true);
	while (nt < LV_LIST_THREADS && nt < w->n) {
		__atomic_add_fetch(&w->refs, 1, __ATOMIC_RELAXED);
		if (pthread_create(&t[nt], NULL, vl_thread, w) != 0) {
			__atomic_sub_fetch(&w->refs, 1, __ATOMIC_RELAXED);
			break;
		}
		nt++;
	}
	if (nt == 0)
		vl_read_some(w);
	pthread_mutex_lock(&w->lock);
	while (w->finished < nt) {
		struct timespec ts;
		int done;

		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 200 * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&w->cond, &w->lock, &ts);
		done = __atomic_load_n(&w->done, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&w->lost, __ATOMIC_ACQUIRE)) {
			rc = -1;
			break;
		} else if (done != seen) {
			seen = done;
			quiet_since = now_ms();
			if (j != NULL)
				job_progress(j, (uint64_t)done);
		} else if (now_ms() - quiet_since > LV_DEAD_MS) {
			rc = -2;
			break;
		} else if (held && now_ms() - quiet_since > LV_QUIET_MS) {
			lv_event_hold(false);
			held = false;
		}
	}
	pthread_mutex_unlock(&w->lock);
	if (held)
		lv_event_hold(false);
	if (rc < 0) {
		__atomic_store_n(&w->abandoned, true, __ATOMIC_RELEASE);
		for (int k = 0; k < nt; k++)
			pthread_detach(t[k]);
		if (rc == -2)
			lv_abandon(c, conn, e);
		else    /* the error of the request that found it lost */
			vl_lost(c, w, e);
		return -1;
	}
	for (int k = 0; k < nt; k++)
		pthread_join(t[k], NULL);
	return 0;
}

int
lv_vol_list(struct cistern *c, struct pool *p, virStoragePoolPtr pp,
	    bool quiet, struct job *j, struct err *e)
{
	return lv_vol_list_as(c, p, pp, 0, quiet, j, e);
}

int
lv_vol_list_as(struct cistern *c, struct pool *p, virStoragePoolPtr pp,
	       int what, bool quiet, struct job *j, struct err *e)
{
	virStorageVolPtr *vols = NULL;
	virConnectPtr bulk = what != VOL_LIST_NAMES ? lv_bulk(c) : NULL;
	virStoragePoolPtr bp = NULL;
	unsigned char uuid[VIR_UUID_BUFLEN];
	struct vl_work *w;
	int n = -1, rc = 0;

	/* the burst on the bulk connection where there is one, the same
	 * pool there (no answer: this connection's) */
	if (bulk != NULL && virStoragePoolGetUUID(pp, uuid) == 0)
		bp = virStoragePoolLookupByUUID(bulk, uuid);
	if (bp != NULL) {
		n = virStoragePoolListAllVolumes(bp, &vols, 0);
		virStoragePoolFree(bp);
	}
	if (n < 0) {
		virResetLastError();
		n = virStoragePoolListAllVolumes(pp, &vols, 0);
	}
	if (n < 0)
		return lv_fail(c, e, "pool '%s'", p->def->name);
	pool_clear_vols(p);
	if (j != NULL)
		job_set_total(j, (uint64_t)n);
	w = xcalloc(1, sizeof(*w));
	w->refs = 1;
	w->vols = vols;
	w->n = n;
	w->what = what;
	w->dir = p->def->target_path ? xstrdup(p->def->target_path) : NULL;
	w->slots = xcalloc((size_t)n + 1, sizeof(*w->slots));
	w->dfd = what == VOL_LIST_SIZES ? lv_local_dir(c, p, vols, n) : -1;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cond, NULL);
	if (what != VOL_LIST_NAMES && n > 0)
		rc = vl_read_all(c, w, j, e);
	else    /* no request per volume, unless one is read in full */
		vl_read_some(w);
	/* in libvirt's order, as one thread would have */
	for (int i = 0; i < n && rc == 0; i++) {
		struct err ve;
		struct vol_def *v;

		err_init(&ve);
		v = vl_make(c, p, w, i, &ve);
		if (v != NULL) {
			pool_add_vol(p, v);
		} else if (ve.code == ERR_NOT_FOUND) {
			/* deleted while we listed */
		} else if ((quiet || c->warn) &&
			   !str_startswith(ve.msg, "cannot reach")) {
			if (!quiet)
				c->warn(c->warn_arg, ve.msg);
		} else {
			err_move(e, &ve);
			rc = -1;
		}
		err_clear(&ve);
	}
	vl_unref(w);
	if (rc == 0 && j != NULL)
		job_progress(j, (uint64_t)n);
	if (rc == 0 && what == 0 && p->def->type == POOL_DISK &&
	    lv_disk_map(c, p, pp, e) < 0 && !quiet)
		rc = -1;
	if (rc == 0 && what == 0)
		p->refreshed = true;
	else if (rc == 0)
		p->vols_brief = what;
	return rc;
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
	vol = virStorageVolLookupByName(pp, v->name);
	if (vol == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virStoragePoolFree(pp);
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
	xml = virStorageVolGetXMLDesc(vol, 0);
	if (xml == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virStorageVolFree(vol);
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

	virStorageVolFree(vol);
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
	vol = virStorageVolCreateXML(pp, xml, create_flags(flags));
	free(xml);
	if (vol == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virStoragePoolFree(pp);
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
		virStorageVolFree(sv);
		return -1;
	}
	xml = vol_def_format(v, p->def->type);
	vol = virStorageVolCreateXMLFrom(pp, xml, sv, create_flags(flags));
	free(xml);
	if (vol == NULL)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virStoragePoolFree(pp);
	virStorageVolFree(sv);
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
	rc = virStorageVolDelete(vol, (flags & VOL_DELETE_SNAPSHOTS) ?
				 VIR_STORAGE_VOL_DELETE_WITH_SNAPSHOTS : 0);
	if (rc < 0)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virStorageVolFree(vol);
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
		rc = virStorageVolWipe(vol, 0);
	else
		rc = virStorageVolWipePattern(vol, (unsigned)alg, 0);
	if (rc < 0)
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
	virStorageVolFree(vol);
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
	if (virStorageVolResize(vol, capacity, lf) < 0) {
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
		virStorageVolFree(vol);
		return -1;
	}
	/* the list holds what libvirt says now */
	nv = lv_vol_read(c, p, vol, e);
	virStorageVolFree(vol);
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
		if (virStreamFinish(st) < 0)
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
			virStreamAbort(st);
	}
	virStreamFree(st);
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
	st = virStreamNew(conn, 0);
	if (st == NULL ||
	    virStorageVolUpload(vol, st, offset, length, sparse ?
				VIR_STORAGE_VOL_UPLOAD_SPARSE_STREAM : 0) < 0) {
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
		if (st != NULL)
			virStreamFree(st);
		virStorageVolFree(vol);
		return -1;
	}
	virStorageVolFree(vol);
	if (sparse)
		rc = virStreamSparseSendAll(st, src_cb, in_data_cb, hole_cb, &x);
	else
		rc = virStreamSendAll(st, src_cb, &x);
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
	st = virStreamNew(conn, 0);
	if (st == NULL ||
	    virStorageVolDownload(vol, st, offset, length, sparse ?
				  VIR_STORAGE_VOL_DOWNLOAD_SPARSE_STREAM :
				  0) < 0) {
		lv_fail(c, e, "pool '%s': volume '%s'", p->def->name, v->name);
		if (st != NULL)
			virStreamFree(st);
		virStorageVolFree(vol);
		return -1;
	}
	virStorageVolFree(vol);
	if (sparse)
		rc = virStreamSparseRecvAll(st, sink_cb, hole_cb, &x);
	else
		rc = virStreamRecvAll(st, sink_cb, &x);
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
