/* cistern — the libvirt engine's volume lists: a pool's volumes read
 * from several threads at once, each volume its name, or its type and
 * sizes, or its XML, in libvirt's order. */
#include "libvirt.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "../core/util.h"

/* A list reads each volume (`what`: 0 in full, its XML; VOL_LIST_SIZES,
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
	virStorageVolPtr *vols;
	struct vl_slot *slots;
	int n;
	int what;                 /* 0: in full; else VOL_LIST_* */
	char *dir;                /* the pool's target, or NULL */
	int dfd;                  /* the pool's directory, read here, or -1 */
	int next;                 /* the next volume to read (atomic) */
	int done;                 /* how many are read (atomic) */
	bool lost;                /* the connection is, or the lister gave
				   * up waiting: no more requests (atomic) */
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
			virt.virFreeError(w->slots[i].err);
		virt.virStorageVolFree(w->vols[i]);
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

/* cistern's name for a type libvirt gives (false: none) */
static bool
vl_type(int libvirt_type, enum vol_type *t)
{
	switch (libvirt_type) {
	case VIR_STORAGE_VOL_FILE: *t = VOL_FILE; return true;
	case VIR_STORAGE_VOL_BLOCK: *t = VOL_BLOCK; return true;
	case VIR_STORAGE_VOL_DIR: *t = VOL_DIR; return true;
	case VIR_STORAGE_VOL_NETWORK: *t = VOL_NETWORK; return true;
	case VIR_STORAGE_VOL_NETDIR: *t = VOL_NETDIR; return true;
	default: return false;
	}
}

/* Ask libvirt for volume i what the list needs (no request for what
 * is read here or comes with the listing). */
static void
vl_fetch(struct vl_work *w, int i)
{
	struct vl_slot *s = &w->slots[i];
	virStorageVolPtr vol = w->vols[i];
	const char *key = virt.virStorageVolGetKey(vol);
	enum vol_type t;

	s->full = w->what == 0 || key == NULL || w->dir == NULL ||
		  !str_startswith(key, w->dir) || key[strlen(w->dir)] != '/';
	if (!s->full && w->what >= VOL_LIST_SIZES) {
		if (!lv_local_info(w->dir, w->dfd, vol, &s->info) &&
		    virt.virStorageVolGetInfo(vol, &s->info) < 0)
			goto fail;
		/* no name for its type here: read in full */
		s->full = !vl_type(s->info.type, &t);
	}
	if (s->full) {
		s->xml = virt.virStorageVolGetXMLDesc(vol, 0);
		if (s->xml == NULL)
			goto fail;
	}
	s->ok = true;
	return;
fail:
	s->err = virt.virSaveLastError();
	if (virt.virConnectIsAlive(virt.virStorageVolGetConnect(vol)) == 0)
		__atomic_store_n(&w->lost, true, __ATOMIC_RELEASE);
}

/* Volume i as the list shows it, from what its request brought back. */
static struct vol_def *
vl_make(struct cistern *c, const struct pool *p, struct vl_work *w, int i,
	struct err *e)
{
	struct vl_slot *s = &w->slots[i];
	const char *name = virt.virStorageVolGetName(w->vols[i]);
	struct vol_def *v;
	enum vol_type t = VOL_FILE;

	if (!s->ok)
		return lv_fail_with(c, e, s->err, "pool '%s': volume '%s'",
				    p->def->name, name), NULL;
	if (s->full)
		return lv_vol_parse(p, name, s->xml, e);
	if (w->what >= VOL_LIST_SIZES)
		vl_type(s->info.type, &t);
	v = vol_def_new();
	v->name = xstrdup(name);
	v->key = xstrdup(virt.virStorageVolGetKey(w->vols[i]));
	v->target.path = xstrdup(v->key);
	v->type = t;
	if (w->what >= VOL_LIST_SIZES) {
		v->capacity = s->info.capacity;
		v->allocation = s->info.allocation;
		v->has_capacity = true;
	}
	return v;
}

/* Read volumes until none is left, or the connection is lost. */
static void
vl_read_some(struct vl_work *w)
{
	int i;

	while (!__atomic_load_n(&w->lost, __ATOMIC_ACQUIRE) &&
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
	virConnectPtr conn = virt.virStorageVolGetConnect(w->vols[0]);
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
		__atomic_store_n(&w->lost, true, __ATOMIC_RELEASE);
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
	if (bulk != NULL && virt.virStoragePoolGetUUID(pp, uuid) == 0)
		bp = virt.virStoragePoolLookupByUUID(bulk, uuid);
	if (bp != NULL) {
		n = virt.virStoragePoolListAllVolumes(bp, &vols, 0);
		virt.virStoragePoolFree(bp);
	}
	if (n < 0) {
		virt.virResetLastError();
		n = virt.virStoragePoolListAllVolumes(pp, &vols, 0);
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
