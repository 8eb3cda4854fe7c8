/* cistern — what a libvirt connection needs around it: the event loop
 * keepalive runs on, in a thread of its own (held during bursts of
 * requests), and opening with a deadline.
 *
 * virConnectOpenAuth has no timeout: a daemon that accepts the socket and
 * never answers (stopped, wedged, a link that drops packets) would hold
 * the caller for ever, and keepalive starts only once the connection is
 * open. So the open runs in a thread of its own and the caller waits for
 * it until the deadline; a prompt for credentials (SASL, through
 * libvirt's default callback) stops the clock. An open that finishes
 * after the caller gave up closes what it opened and frees its state. */
#include "libvirt.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/xmlerror.h>

#include "../core/util.h"

static pthread_once_t event_once = PTHREAD_ONCE_INIT;
static bool event_running;
static pid_t event_pid;            /* the process whose thread it is */

/* Holds on the event loop (lv_event_hold): how many, under its lock. */
static pthread_mutex_t hold_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t hold_cond = PTHREAD_COND_INITIALIZER;
static int holds;

/* The event loop keepalive needs, in a thread of its own. It waits
 * between turns while someone holds it. */
static void *
event_loop(void *arg)
{
	(void)arg;
	for (;;) {
		pthread_mutex_lock(&hold_lock);
		while (holds > 0)
			pthread_cond_wait(&hold_cond, &hold_lock);
		pthread_mutex_unlock(&hold_lock);
		if (virt.virEventRunDefaultImpl() < 0)
			break;
	}
	return NULL;
}

void
lv_event_hold(bool hold)
{
	/* a forked job has no event thread to hold; and its copy of the
	 * lock may have been taken by the parent's thread at the fork */
	if (!lv_event_ours())
		return;
	pthread_mutex_lock(&hold_lock);
	holds += hold ? 1 : -1;
	if (holds == 0)
		pthread_cond_broadcast(&hold_cond);
	pthread_mutex_unlock(&hold_lock);
}

static void
event_start(void)
{
	sigset_t all, old;
	pthread_t t;
	int rc;

	if (virt.virEventRegisterDefaultImpl() < 0)
		return;
	/* signals (Ctrl-C) are the faces' thread's: it waits in poll() */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, NULL, event_loop, NULL);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0)
		return;
	pthread_detach(t);
	event_running = true;
	event_pid = getpid();
}

void
lv_event_start(void)
{
	pthread_once(&event_once, event_start);
}

bool
lv_event_ours(void)
{
	return event_running && event_pid == getpid();
}

/* ---- a forked job's copy of the event loop ----
 *
 * libvirt's event loop (GLib's, behind virEventRegisterDefaultImpl)
 * keeps a lock of its own that the event thread and every request take
 * for a moment. A job is a fork of this process: when another thread
 * held that lock at the fork, the child's copy stays held for ever and
 * the child's first connection waits on it (seen: a wizard's job on a
 * second host at "starting"). The child has no other thread, so in the
 * child an add and remove of a timer either returns at once or never. */

struct lv_probe {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	bool done;
};

static void
probe_timer(int timer, void *opaque)
{
	(void)timer;
	(void)opaque;
}

static void *
probe_run(void *arg)
{
	struct lv_probe *p = arg;
	int t = virt.virEventAddTimeout(-1, probe_timer, NULL, NULL);

	if (t >= 0)
		virt.virEventRemoveTimeout(t);
	pthread_mutex_lock(&p->lock);
	p->done = true;
	pthread_cond_signal(&p->cond);
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

int
lv_event_usable(void)
{
	/* static: a thread that never returns keeps using it */
	static struct lv_probe p = { PTHREAD_MUTEX_INITIALIZER,
				     PTHREAD_COND_INITIALIZER, false };
	struct timespec until;
	pthread_t t;
	bool done;

	if (!event_running)
		return 0;        /* no event loop was registered */
	pthread_mutex_init(&p.lock, NULL);
	pthread_cond_init(&p.cond, NULL);
	p.done = false;
	if (pthread_create(&t, NULL, probe_run, &p) != 0)
		return 0;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += 500 * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&p.lock);
	while (!p.done &&
	       pthread_cond_timedwait(&p.cond, &p.lock, &until) != ETIMEDOUT)
		;
	done = p.done;
	pthread_mutex_unlock(&p.lock);
	if (!done)
		return -1;       /* held at the fork: this copy is unusable */
	pthread_join(t, NULL);
	return 0;
}

/* The deadline when CISTERN_CONNECT_TIMEOUT does not say (seconds). */
#define LV_OPEN_TIMEOUT_S 30

struct lv_opener {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	char *uri;
	unsigned flags;
	virConnectPtr conn;
	char *msg;                 /* libvirt's error, when conn is NULL */
	bool auth;                 /* and it is a refusal of credentials */
	bool done;                 /* the open returned */
	bool abandoned;            /* the caller gave up waiting */
	int prompting;             /* a credentials prompt is open */
	int refs;                  /* the caller and the thread */
};

static void
opener_unref(struct lv_opener *o)
{
	if (__atomic_sub_fetch(&o->refs, 1, __ATOMIC_ACQ_REL) != 0)
		return;
	pthread_mutex_destroy(&o->lock);
	pthread_cond_destroy(&o->cond);
	free(o->uri);
	free(o->msg);
	free(o);
}

/* libvirt's default credentials prompt, with the clock stopped. */
static int
opener_auth(virConnectCredentialPtr cred, unsigned int ncred, void *arg)
{
	struct lv_opener *o = arg;
	int rc;

	if (o->flags & LV_OPEN_NO_PROMPT)
		return -1;
	pthread_mutex_lock(&o->lock);
	o->prompting++;
	pthread_mutex_unlock(&o->lock);
	rc = (*virt.auth_default)->cb(cred, ncred,
				      (*virt.auth_default)->cbdata);
	pthread_mutex_lock(&o->lock);
	o->prompting--;
	pthread_cond_broadcast(&o->cond);
	pthread_mutex_unlock(&o->lock);
	return rc;
}

static void
opener_xml_quiet(void *ctx, const char *fmt, ...)
{
	(void)ctx;
	(void)fmt;
}

static void *
opener_run(void *arg)
{
	struct lv_opener *o = arg;
	virConnectAuth auth = **virt.auth_default;
	virConnectPtr conn;

	auth.cb = opener_auth;
	auth.cbdata = o;
	/* the test driver reads its file with libxml2, whose default
	 * handler would print a second line on stderr (per thread) */
	xmlSetGenericErrorFunc(NULL, opener_xml_quiet);
	conn = virt.virConnectOpenAuth(o->uri, &auth,
				       (o->flags & ENGINE_READ_ONLY) ?
				       VIR_CONNECT_RO : 0);
	pthread_mutex_lock(&o->lock);
	o->done = true;
	if (conn == NULL) {
		virErrorPtr le = virt.virGetLastError();
		o->msg = xstrdup((le && le->message) ? le->message :
				 "cannot connect");
		/* libvirt's own auth (SASL, polkit), or ssh refusing the key
		 * (which libvirt passes on as ssh's own words) */
		o->auth = le != NULL &&
			  (le->code == VIR_ERR_AUTH_FAILED ||
			   le->code == VIR_ERR_AUTH_CANCELLED ||
			   le->code == VIR_ERR_AUTH_UNAVAILABLE ||
			   strstr(o->msg, "Permission denied (") != NULL);
	}
	if (o->abandoned && conn != NULL)
		virt.virConnectClose(conn);
	else
		o->conn = conn;
	pthread_cond_broadcast(&o->cond);
	pthread_mutex_unlock(&o->lock);
	opener_unref(o);
	return NULL;
}

/* Seconds to wait for an open: CISTERN_CONNECT_TIMEOUT, else the
 * default; 0 waits for ever. */
static long
open_timeout(void)
{
	const char *s = getenv("CISTERN_CONNECT_TIMEOUT");
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return LV_OPEN_TIMEOUT_S;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return LV_OPEN_TIMEOUT_S;
	return v;
}

virConnectPtr
lv_open_timed(const char *uri, unsigned flags, struct err *e)
{
	struct lv_opener *o = xcalloc(1, sizeof(*o));
	long limit = open_timeout();
	sigset_t all, old;
	struct timespec dl;
	virConnectPtr conn;
	pthread_t t;
	int rc;

	pthread_mutex_init(&o->lock, NULL);
	pthread_cond_init(&o->cond, NULL);
	/* ssh without a terminal: it fails rather than ask for a password */
	if ((flags & LV_OPEN_NO_PROMPT) && strstr(uri, "+ssh://") != NULL &&
	    strstr(uri, "no_tty=") == NULL)
		o->uri = xasprintf("%s%cno_tty=1", uri,
				   strchr(uri, '?') != NULL ? '&' : '?');
	else
		o->uri = xstrdup(uri);
	o->flags = flags;
	o->refs = 2;
	/* the thread takes no signals: they stay with the caller */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&t, NULL, opener_run, o);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		o->refs = 1;
		opener_unref(o);
		err_setc(e, ERR_GENERIC, "cannot reach libvirt at %s: %s", uri,
			 strerror(rc));
		return NULL;
	}
	pthread_mutex_lock(&o->lock);
	clock_gettime(CLOCK_REALTIME, &dl);
	dl.tv_sec += limit;
	while (!o->done) {
		if (limit == 0 || o->prompting > 0) {
			pthread_cond_wait(&o->cond, &o->lock);
			/* after a prompt, the whole time again */
			clock_gettime(CLOCK_REALTIME, &dl);
			dl.tv_sec += limit;
		} else if (pthread_cond_timedwait(&o->cond, &o->lock,
						  &dl) == ETIMEDOUT &&
			   !o->done && o->prompting == 0) {
			break;
		}
	}
	conn = o->conn;
	if (!o->done) {
		/* left to finish on its own: it frees what it has */
		pthread_detach(t);
		o->abandoned = true;
		err_setc(e, ERR_GENERIC, "cannot reach libvirt at %s: no "
			 "answer in %ld s (CISTERN_CONNECT_TIMEOUT)", uri, limit);
	} else if (conn == NULL) {
		err_setc(e, o->auth ? ERR_AUTH : ERR_GENERIC,
			 "cannot reach libvirt at %s: %s", uri, o->msg);
	}
	pthread_mutex_unlock(&o->lock);
	/* it is done: wait for its end, so nothing of the thread (libxml2's
	 * per-thread state) outlives it into the caller's exit */
	if (o->done && !o->abandoned)
		pthread_join(t, NULL);
	opener_unref(o);
	return conn;
}
