/* cistern — the screen over a remote engine: a load (every pool, and the
 * volumes of the running ones) runs in a thread of its own, so a slow or
 * dead host never stops the loop; its end is a byte on a pipe the loop
 * polls. The first load streams: the volumes' names come first (one
 * request a pool), shown at once, then everything else. Once a load has
 * worked, the other side's pool events are watched (libvirt's events):
 * a change made elsewhere reloads at once, and a lost connection is
 * shown the moment libvirt notices, not at the next load.
 *
 * Each libvirt host of the screen (ui_hosts.c) has one struct ui_remote
 * with its own connection; the one of the host on screen is ui->remote.
 * A host that is not on screen keeps loading, losing and coming back;
 * its results go to its own struct cistern, and its line in the pools
 * pane says how it is. */
#include "ui_remote.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/engine.h"
#include "../core/pool.h"
#include "../core/util.h"
#include "../core/watch.h"
#include "main.h"
#include "ui.h"
#include "ui_hosts.h"
#include "ui_model.h"

#define RETRY_MAX_S 30

struct ui_remote {
	struct cistern *c;      /* the connection it loads into */
	char *uri;
	char *name;             /* the host's name, for the log */
	bool need_open;         /* c is opened by the first load */
	bool opened;
	pthread_t thread;
	bool running;           /* a load is on its way */
	bool again;             /* another was asked for meanwhile */
	bool lost;
	bool off;               /* disconnected by the operator: no loads */
	bool auth;              /* credentials refused: tried again only when
				   the host is shown again */
	bool loaded;            /* a load worked once */
	char *rescan;           /* a pool this load rescans first (F5) */
	char *rescan_next;      /* and the next load */
	int pipe[2];
	bool named;             /* a full load has been shown once */
	/* the thread's first look (names only), under lock */
	pthread_mutex_t lock;
	struct pool **early;
	size_t nearly;
	bool done;              /* the thread's result is ready (under lock) */
	/* pool events: the fd the loop polls; the one a load opened (under
	 * lock); whether the next load should open one; and whether the
	 * engine cannot */
	int ev_fd, ev_new;
	bool ev_want, ev_none;
	/* the thread's result */
	int rc;
	struct pool **pools;
	size_t npools;
	struct err e;
	char *why;              /* the last failure, for the host's line */
	/* backoff */
	int delay_s;            /* the wait after the next failure */
	int64_t retry_at;       /* ms; 0: no retry planned */
	int64_t shown_s;        /* the countdown last put in the status */
	char said[512];         /* and its words, as the status line has them */
	/* how the first load opens c */
	char *config_dir, *run_dir;
	bool read_only;
};

static void
discard_pools(struct pool **pools, size_t n)
{
	for (size_t i = 0; pools != NULL && i < n; i++)
		pool_discard(pools[i]);
	free(pools);
}

struct ui_remote *
ui_remote_new(struct cistern *c, const char *name, const char *uri,
	      bool need_open, const struct options *o)
{
	struct ui_remote *r = xcalloc(1, sizeof(*r));

	if (pipe2(r->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(r);
		return NULL;
	}
	r->c = c;
	r->uri = xstrdup(uri ? uri : "");
	r->name = xstrdup(name ? name : r->uri);
	r->need_open = need_open;
	r->opened = !need_open;
	r->config_dir = o->config_dir ? xstrdup(o->config_dir) : NULL;
	r->run_dir = o->run_dir ? xstrdup(o->run_dir) : NULL;
	r->read_only = o->read_only;
	r->delay_s = 1;
	r->ev_fd = r->ev_new = -1;
	err_init(&r->e);
	pthread_mutex_init(&r->lock, NULL);
	return r;
}

/* false: a thread is still stuck on a dead host; r is left to it. */
bool
ui_remote_destroy(struct ui_remote *r)
{
	struct timespec ts;

	if (r == NULL)
		return true;
	if (r->running) {
		/* a load stuck on a dead host is left behind after a while */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		if (pthread_timedjoin_np(r->thread, NULL, &ts) != 0) {
			pthread_detach(r->thread);
			return false;
		}
		if (r->rc == 0)
			discard_pools(r->pools, r->npools);
	}
	discard_pools(r->early, r->nearly);
	if (r->opened && r->ev_fd >= 0)
		cistern_events_close(r->c, r->ev_fd);
	else if (r->opened && r->ev_new >= 0)
		cistern_events_close(r->c, r->ev_new);
	pthread_mutex_destroy(&r->lock);
	err_clear(&r->e);
	free(r->rescan);
	free(r->rescan_next);
	free(r->uri);
	free(r->name);
	free(r->why);
	free(r->config_dir);
	free(r->run_dir);
	close(r->pipe[0]);
	close(r->pipe[1]);
	free(r);
	return true;
}

/* In the background: wait for r's load, close its connection, free r
 * and c (a dead host may keep this thread for long; nobody waits). */
static void *
retire_thread(void *arg)
{
	struct ui_remote *r = arg;
	struct cistern *c = r->c;
	bool opened;

	if (r->running) {
		pthread_join(r->thread, NULL);
		r->running = false;
		if (r->rc == 0)
			discard_pools(r->pools, r->npools);
		r->pools = NULL;
	}
	opened = r->opened;
	ui_remote_destroy(r);
	if (opened)
		cistern_close(c);
	free(c);
	return NULL;
}

void
ui_remote_retire(struct ui_remote *r, struct cistern *c)
{
	pthread_attr_t at;
	pthread_t t;
	bool started;

	if (r == NULL) {
		free(c);
		return;
	}
	if (!r->running && !r->opened) {
		ui_remote_destroy(r);
		free(c);
		return;
	}
	pthread_attr_init(&at);
	pthread_attr_setdetachstate(&at, PTHREAD_CREATE_DETACHED);
	started = pthread_create(&t, &at, retire_thread, r) == 0;
	pthread_attr_destroy(&at);
	/* no thread: as at the end of the run (a stuck load keeps both) */
	if (!started && ui_remote_destroy(r)) {
		cistern_close(c);
		free(c);
	}
}

void
ui_remote_hold(struct ui_remote *r, bool off)
{
	if (r == NULL)
		return;
	r->off = off;
	r->lost = r->auth = false;
	r->retry_at = 0;
	r->delay_s = 1;
	free(r->why);
	r->why = NULL;
}

void
ui_remote_rename(struct ui_remote *r, const char *name)
{
	if (r == NULL)
		return;
	free(r->name);
	r->name = xstrdup(name);
}

bool
ui_remote_off(const struct ui_remote *r)
{
	return r != NULL && r->off;
}

void
ui_remote_init(struct ui *ui)
{
	if (engine_remote(ui->c))
		ui->remote = ui_remote_new(ui->c, NULL, ui->o->connect, false,
					   ui->o);
}

void
ui_remote_free(struct ui *ui)
{
	if (ui->nhosts == 0)
		ui_remote_destroy(ui->remote);
	ui->remote = NULL;
}

bool
ui_remote(const struct ui *ui)
{
	return ui->remote != NULL;
}

const char *
ui_remote_uri(const struct ui *ui)
{
	return ui->remote != NULL ? ui->remote->uri :
	       ui->o->connect ? ui->o->connect : "";
}

bool
ui_remote_lost(const struct ui *ui)
{
	return ui->remote != NULL && ui_remote_is_lost(ui->remote);
}

bool
ui_remote_is_lost(const struct ui_remote *r)
{
	return r->lost || r->auth || r->off ||
	       (!r->opened && !r->running && r->why != NULL);
}

/* Wake the loop. */
static void
remote_poke(struct ui_remote *r)
{
	ssize_t w;

	do
		w = write(r->pipe[1], "", 1);
	while (w < 0 && errno == EINTR);
}

/* In the thread: open the connection the first time, read everything,
 * then say so on the pipe. Until a full load was shown, the volumes'
 * names are read and shown first. */
static void *
remote_thread(void *arg)
{
	struct ui_remote *r = arg;
	int rc = 0;

	if (!r->opened) {
		memset(r->c, 0, sizeof(*r->c));
		rc = cistern_connect(r->c, r->uri, r->config_dir, r->run_dir,
				     CISTERN_LONG_LIVED, r->read_only, NULL,
				     NULL, &r->e);
		if (rc == 0)
			r->opened = true;
	}
	if (rc == 0 && r->rescan != NULL)
		rc = cistern_rescan_pool(r->c, r->rescan, &r->e);
	if (r->opened && (rc == 0 || !engine_lost(&r->e)) && !r->named) {
		struct pool **early = NULL;
		size_t n = 0;
		struct err ee;

		err_init(&ee);
		if (cistern_load_full(r->c, VOL_LIST_NAMES, &early, &n,
				      &ee) == 0) {
			pthread_mutex_lock(&r->lock);
			discard_pools(r->early, r->nearly);
			r->early = early;
			r->nearly = n;
			pthread_mutex_unlock(&r->lock);
			remote_poke(r);
		}
		err_clear(&ee);
	}
	/* a pool that cannot be rescanned still shows what libvirt has */
	if (r->opened && (rc == 0 || !engine_lost(&r->e))) {
		err_clear(&r->e);
		rc = cistern_load_full(r->c, 0, &r->pools, &r->npools, &r->e);
	}
	if (rc == 0 && r->ev_want) {
		struct err ee;
		int fd;

		err_init(&ee);
		fd = cistern_events_open(r->c, &ee);
		if (fd < 0 && ee.code == ERR_UNSUPPORTED)
			r->ev_none = true;
		err_clear(&ee);
		pthread_mutex_lock(&r->lock);
		r->ev_new = fd;
		pthread_mutex_unlock(&r->lock);
	}
	pthread_mutex_lock(&r->lock);
	r->rc = rc;
	r->done = true;
	pthread_mutex_unlock(&r->lock);
	remote_poke(r);
	return NULL;
}

/* Is r the host on screen? */
static bool
shown(const struct ui *ui, const struct ui_remote *r)
{
	return ui->remote == r;
}

static void
remote_start(struct ui *ui, struct ui_remote *r)
{
	r->again = false;
	free(r->rescan);
	r->rescan = r->rescan_next;
	r->rescan_next = NULL;
	r->pools = NULL;
	r->npools = 0;
	r->done = false;
	r->ev_want = r->ev_fd < 0 && r->ev_new < 0 && !r->ev_none;
	err_clear(&r->e);
	if (pthread_create(&r->thread, NULL, remote_thread, r) != 0) {
		ui_status(ui, R_ERROR, "cannot start a thread to read libvirt "
			  "at %s", r->uri);
		return;
	}
	r->running = true;
}

void
ui_remote_load_one(struct ui *ui, struct ui_remote *r, bool again)
{
	if (r == NULL || r->off)
		return;
	if (r->running)
		r->again |= again;
	else if (!r->lost)
		remote_start(ui, r);
	/* lost: the retry timer decides */
}

void
ui_remote_load(struct ui *ui, bool again)
{
	ui_remote_load_one(ui, ui->remote, again);
}

void
ui_remote_rescan(struct ui *ui, const char *pool)
{
	struct ui_remote *r = ui->remote;

	if (r == NULL)
		return;
	free(r->rescan_next);
	r->rescan_next = pool ? xstrdup(pool) : NULL;
	ui_remote_load(ui, true);
}

/* "libvirt at URI lost — retrying in N s" (the host on screen only: the
 * others' lines in the pools pane count down by themselves) */
static void
remote_lost_status(struct ui *ui, struct ui_remote *r, int64_t secs,
		   bool force)
{
	const char *dash = ui->utf8 ? "\u2014" : "-";

	r->shown_s = secs;
	/* the countdown goes on only while the status line shows it: a
	 * message said since (an action refused) stays */
	if (!shown(ui, r) || (!force && ui->status[0] != '\0' &&
			      !str_eq(ui->status, r->said)))
		return;
	if (secs > 0)
		ui_status(ui, R_ERROR, "libvirt at %s lost %s retrying in %lld s",
			  r->uri, dash, (long long)secs);
	else
		ui_status(ui, R_ERROR, "libvirt at %s lost %s retrying now",
			  r->uri, dash);
	snprintf(r->said, sizeof(r->said), "%s", ui->status);
}

/* Lost: said once (status and log), tried again after the backoff. */
static void
remote_mark_lost(struct ui *ui, struct ui_remote *r, bool was_lost,
		 const char *why)
{
	r->lost = true;
	r->again = false;
	free(r->why);
	r->why = xstrdup(why);
	r->retry_at = now_ms() + (int64_t)r->delay_s * 1000;
	remote_lost_status(ui, r, r->delay_s, true);
	if (!was_lost) {
		char *t = xasprintf("%s: libvirt at %s lost", r->name, r->uri);
		ui_log(ui, R_ERROR, shown(ui, r) ? ui->status : t, why);
		free(t);
	}
	r->delay_s = r->delay_s * 2 > RETRY_MAX_S ? RETRY_MAX_S :
		     r->delay_s * 2;
}

static int
remote_event(struct ui *ui, struct ui_remote *r)
{
	struct pool_event ev;
	struct err e;
	int rc;

	err_init(&e);
	rc = engine_event_read(r->ev_fd, &ev, &e);
	if (rc > 0) {
		/* a change made elsewhere: reload soon (several at once are
		 * one reload); a host not on screen reloads by itself */
		free(ev.name);
		if (shown(ui, r)) {
			if (ui->reload_at == 0)
				ui->reload_at = now_ms() + WATCH_DEBOUNCE_MS;
		} else {
			ui_remote_load_one(ui, r, true);
		}
		return 0;
	}
	/* the connection is gone: no more events until it is back */
	cistern_events_close(r->c, r->ev_fd);
	r->ev_fd = -1;
	if (!r->running && !r->lost)
		remote_mark_lost(ui, r, false, e.msg);
	err_clear(&e);
	return UI_DRAW;
}

/* Put pools the thread read in place of r->c's (the panes are rebuilt
 * when r's host is on screen). */
static void
remote_adopt(struct ui *ui, struct ui_remote *r, struct pool **pools,
	     size_t n)
{
	if (shown(ui, r))
		ui_detach(ui);
	cistern_replace_pools(r->c, pools, n);
	if (shown(ui, r)) {
		ui_rebuild_pools(ui);
		ui_rebuild_vols(ui);
	}
}

static int
remote_ended(struct ui *ui, struct ui_remote *r)
{
	char buf[16];
	bool was_lost;
	struct pool **early;
	size_t nearly;
	bool done;

	while (read(r->pipe[0], buf, sizeof(buf)) > 0)
		;
	if (!r->running)
		return 0;
	pthread_mutex_lock(&r->lock);
	early = r->early;
	nearly = r->nearly;
	r->early = NULL;
	r->nearly = 0;
	done = r->done;
	pthread_mutex_unlock(&r->lock);
	if (!done && early != NULL) {
		/* the names: the rows now, their sizes when the rest comes */
		remote_adopt(ui, r, early, nearly);
		return UI_DRAW;
	}
	discard_pools(early, nearly);
	if (!done)
		return 0;
	pthread_join(r->thread, NULL);
	r->running = false;
	if (r->ev_new >= 0 && r->ev_fd < 0) {
		r->ev_fd = r->ev_new;
		r->ev_new = -1;
	}
	free(r->rescan);
	r->rescan = NULL;
	was_lost = r->lost || (!r->loaded && r->why != NULL);
	r->auth = false;
	if (r->rc == 0) {
		remote_adopt(ui, r, r->pools, r->npools);
		r->pools = NULL;
		r->named = true;
		r->lost = false;
		r->loaded = true;
		free(r->why);
		r->why = NULL;
		r->delay_s = 1;
		r->retry_at = 0;
		if (was_lost) {
			char *t = xasprintf("libvirt at %s is back: %zu pool%s.",
					    r->uri, r->c->npools,
					    r->c->npools == 1 ? "" : "s");
			if (shown(ui, r))
				ui_status(ui, R_GOOD, "%s", t);
			ui_log(ui, R_GOOD, t, NULL);
			free(t);
		}
		if (r->again)
			remote_start(ui, r);
	} else if (r->e.code == ERR_AUTH) {
		/* trying the same credentials every few seconds gets nothing
		 * and may lock an account: once, until the host is shown */
		r->auth = true;
		free(r->why);
		r->why = xstrdup(r->e.msg);
		if (!was_lost) {
			char *t = xasprintf("%s: authentication failed", r->name);
			ui_log(ui, R_ERROR, t, r->e.msg);
			free(t);
		}
		if (shown(ui, r))
			ui_status(ui, R_ERROR, "%s: authentication failed: %s",
				  r->name, r->e.msg);
	} else if (engine_lost(&r->e)) {
		/* the events were on the connection that went: watched again
		 * after the next load that works */
		if (r->ev_fd >= 0)
			cistern_events_close(r->c, r->ev_fd);
		r->ev_fd = -1;
		remote_mark_lost(ui, r, was_lost, r->e.msg);
	} else {
		free(r->why);
		r->why = xstrdup(r->e.msg);
		if (shown(ui, r))
			ui_status(ui, R_ERROR, "%s", r->e.msg);
		if (r->again)
			remote_start(ui, r);
	}
	return UI_DRAW;
}

static int
remote_tick(struct ui *ui, struct ui_remote *r, int64_t now)
{
	int64_t secs;

	if (r == NULL || !r->lost || r->running || r->retry_at == 0)
		return 0;
	if (now >= r->retry_at) {
		r->retry_at = 0;
		remote_lost_status(ui, r, 0, false);
		remote_start(ui, r);
		return UI_DRAW;
	}
	secs = (r->retry_at - now + 999) / 1000;
	if (secs == r->shown_s)
		return 0;
	remote_lost_status(ui, r, secs, false);
	return UI_DRAW;
}

static int
remote_timeout(const struct ui_remote *r, int64_t now, int timeout)
{
	int64_t left;

	if (r == NULL || !r->lost || r->running || r->retry_at == 0)
		return timeout;
	/* wake for the retry, and at each second of the countdown */
	left = (r->retry_at - now) % 1000;
	if (left <= 0)
		left = r->retry_at - now > 0 ? 1000 : 0;
	return left < timeout ? (int)left : timeout;
}

/* Every remote of the screen: the hosts', or the one -c. */
static size_t
remotes(const struct ui *ui, struct ui_remote **out, size_t max)
{
	size_t n = 0;

	if (ui->nhosts == 0) {
		if (ui->remote != NULL && max > 0)
			out[n++] = ui->remote;
		return n;
	}
	for (size_t i = 0; i < ui->nhosts && n < max; i++)
		if (ui->hosts[i].remote != NULL)
			out[n++] = ui->hosts[i].remote;
	return n;
}

#define REMOTES_MAX 64

size_t
ui_remotes_pollfds(const struct ui *ui, struct pollfd *pf, size_t max)
{
	struct ui_remote *rs[REMOTES_MAX];
	size_t n = remotes(ui, rs, REMOTES_MAX), k = 0;

	for (size_t i = 0; i < n; i++) {
		if (k < max)
			pf[k++] = (struct pollfd){ .fd = rs[i]->pipe[0],
						   .events = POLLIN };
		if (rs[i]->ev_fd >= 0 && k < max)
			pf[k++] = (struct pollfd){ .fd = rs[i]->ev_fd,
						   .events = POLLIN };
	}
	return k;
}

size_t
ui_remotes_count(const struct ui *ui)
{
	struct ui_remote *rs[REMOTES_MAX];

	return remotes(ui, rs, REMOTES_MAX);
}

int
ui_remotes_ready(struct ui *ui, int fd, bool *mine)
{
	struct ui_remote *rs[REMOTES_MAX];
	size_t n = remotes(ui, rs, REMOTES_MAX);

	*mine = true;
	for (size_t i = 0; i < n; i++) {
		if (fd == rs[i]->pipe[0])
			return remote_ended(ui, rs[i]);
		if (fd == rs[i]->ev_fd)
			return remote_event(ui, rs[i]);
	}
	*mine = false;
	return 0;
}

int
ui_remotes_tick(struct ui *ui, int64_t now)
{
	struct ui_remote *rs[REMOTES_MAX];
	size_t n = remotes(ui, rs, REMOTES_MAX);
	int flags = 0;

	for (size_t i = 0; i < n; i++)
		flags |= remote_tick(ui, rs[i], now);
	return flags;
}

int
ui_remotes_timeout(const struct ui *ui, int64_t now, int timeout)
{
	struct ui_remote *rs[REMOTES_MAX];
	size_t n = remotes(ui, rs, REMOTES_MAX);

	for (size_t i = 0; i < n; i++)
		timeout = remote_timeout(rs[i], now, timeout);
	return timeout;
}

/* What a host's line says of its connection. */
const char *
ui_remote_state(const struct ui_remote *r, int64_t now, char *buf,
		size_t n, int *role)
{
	*role = R_GOOD;
	if (r->off) {
		*role = R_DIM;
		snprintf(buf, n, "disconnected");
	} else if (r->auth && !r->running) {
		*role = R_ERROR;
		snprintf(buf, n, "auth failed");
	} else if (r->lost && r->running) {
		*role = R_ERROR;
		snprintf(buf, n, "lost, retrying now");
	} else if (r->lost) {
		*role = R_ERROR;
		snprintf(buf, n, "lost, retrying in %lld s",
			 (long long)((r->retry_at - now + 999) / 1000));
	} else if (!r->opened && r->running) {
		*role = R_DIM;
		snprintf(buf, n, "connecting");
	} else if (!r->opened && r->why != NULL) {
		*role = R_ERROR;
		snprintf(buf, n, "%s", r->why);
	} else if (!r->opened) {
		*role = R_DIM;
		snprintf(buf, n, "not connected");
	} else {
		snprintf(buf, n, "connected");
	}
	return buf;
}

bool
ui_remote_opened(const struct ui_remote *r)
{
	return r->opened;
}

const char *
ui_remote_why(const struct ui_remote *r)
{
	return r->why;
}

bool
ui_remote_loading(const struct ui_remote *r)
{
	return r->running && !r->loaded;
}
