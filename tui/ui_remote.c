/* cistern — the screen over a remote engine: a load (every pool, and the
 * volumes of the running ones) runs in a thread of its own, so a slow or
 * dead host never stops the loop; its end is a byte on a pipe the loop
 * polls. The first load streams: the volumes' names come first (one
 * request a pool), shown at once, then everything else. Once a load has
 * worked, the other side's pool events are watched (libvirt's events):
 * a change made elsewhere reloads at once, and a lost connection is
 * shown the moment libvirt notices, not at the next load. A lost connection keeps the last pools on the screen, says so in
 * the status and the title, and is tried again after 1, 2, 4 ... 30 s. */
#include "ui_remote.h"

#include <errno.h>
#include <fcntl.h>
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
#include "ui_model.h"

#define RETRY_MAX_S 30

struct ui_remote {
	pthread_t thread;
	bool running;           /* a load is on its way */
	bool again;             /* another was asked for meanwhile */
	bool lost;
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
	/* backoff */
	int delay_s;            /* the wait after the next failure */
	int64_t retry_at;       /* ms; 0: no retry planned */
	int64_t shown_s;        /* the countdown last put in the status */
};

static void
discard_pools(struct pool **pools, size_t n)
{
	for (size_t i = 0; pools != NULL && i < n; i++)
		pool_discard(pools[i]);
	free(pools);
}

void
ui_remote_init(struct ui *ui)
{
	struct ui_remote *r;

	if (!engine_remote(ui->c))
		return;
	r = xcalloc(1, sizeof(*r));
	if (pipe2(r->pipe, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(r);
		return;
	}
	r->delay_s = 1;
	r->ev_fd = r->ev_new = -1;
	err_init(&r->e);
	pthread_mutex_init(&r->lock, NULL);
	ui->remote = r;
}

void
ui_remote_free(struct ui *ui)
{
	struct ui_remote *r = ui->remote;
	struct timespec ts;

	if (r == NULL)
		return;
	if (r->running) {
		/* a load stuck on a dead host is left behind after a while */
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 2;
		if (pthread_timedjoin_np(r->thread, NULL, &ts) != 0) {
			pthread_detach(r->thread);
			ui->remote = NULL;
			return;
		}
		for (size_t i = 0; r->rc == 0 && i < r->npools; i++)
			pool_discard(r->pools[i]);
		if (r->rc == 0)
			free(r->pools);
	}
	discard_pools(r->early, r->nearly);
	if (r->ev_fd >= 0)
		cistern_events_close(ui->c, r->ev_fd);
	else if (r->ev_new >= 0)
		cistern_events_close(ui->c, r->ev_new);
	pthread_mutex_destroy(&r->lock);
	err_clear(&r->e);
	free(r->rescan);
	free(r->rescan_next);
	close(r->pipe[0]);
	close(r->pipe[1]);
	free(r);
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
	return ui->o->connect ? ui->o->connect : "";
}

bool
ui_remote_lost(const struct ui *ui)
{
	return ui->remote != NULL && ui->remote->lost;
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

/* In the thread: read everything, then say so on the pipe. Until a
 * full load was shown, the volumes' names are read and shown first. */
static void *
remote_thread(void *arg)
{
	struct ui *ui = arg;
	struct ui_remote *r = ui->remote;
	int rc = 0;

	if (r->rescan != NULL)
		rc = cistern_rescan_pool(ui->c, r->rescan, &r->e);
	if (rc == 0 && !r->named) {
		struct pool **early = NULL;
		size_t n = 0;
		struct err ee;

		err_init(&ee);
		if (cistern_load_full(ui->c, VOL_LIST_NAMES, &early, &n,
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
	if (rc == 0 || !engine_lost(&r->e)) {
		err_clear(&r->e);
		rc = cistern_load_full(ui->c, 0, &r->pools, &r->npools, &r->e);
	}
	if (rc == 0 && r->ev_want) {
		struct err ee;
		int fd;

		err_init(&ee);
		fd = cistern_events_open(ui->c, &ee);
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

static void
remote_start(struct ui *ui)
{
	struct ui_remote *r = ui->remote;

	r->again = false;
	free(r->rescan);
	r->rescan = r->rescan_next;
	r->rescan_next = NULL;
	r->pools = NULL;
	r->npools = 0;
	r->done = false;
	r->ev_want = r->ev_fd < 0 && r->ev_new < 0 && !r->ev_none;
	err_clear(&r->e);
	if (pthread_create(&r->thread, NULL, remote_thread, ui) != 0) {
		ui_status(ui, R_ERROR, "cannot start a thread to read libvirt "
			  "at %s", ui_remote_uri(ui));
		return;
	}
	r->running = true;
}

void
ui_remote_load(struct ui *ui, bool again)
{
	struct ui_remote *r = ui->remote;

	if (r == NULL)
		return;
	if (r->running)
		r->again |= again;
	else if (!r->lost)
		remote_start(ui);
	/* lost: the retry timer decides */
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

int
ui_remote_fd(const struct ui *ui)
{
	return ui->remote != NULL ? ui->remote->pipe[0] : -1;
}

/* "libvirt at URI lost — retrying in N s" */
static void
remote_lost_status(struct ui *ui, int64_t secs)
{
	const char *dash = ui->utf8 ? "\u2014" : "-";

	if (secs > 0)
		ui_status(ui, R_ERROR, "libvirt at %s lost %s retrying in %lld s",
			  ui_remote_uri(ui), dash, (long long)secs);
	else
		ui_status(ui, R_ERROR, "libvirt at %s lost %s retrying now",
			  ui_remote_uri(ui), dash);
	ui->remote->shown_s = secs;
}

/* Lost: said once (status and log), tried again after the backoff. */
static void
remote_mark_lost(struct ui *ui, bool was_lost, const char *why)
{
	struct ui_remote *r = ui->remote;

	r->lost = true;
	r->again = false;
	r->retry_at = now_ms() + (int64_t)r->delay_s * 1000;
	remote_lost_status(ui, r->delay_s);
	if (!was_lost)
		ui_log(ui, R_ERROR, ui->status, why);
	r->delay_s = r->delay_s * 2 > RETRY_MAX_S ? RETRY_MAX_S :
		     r->delay_s * 2;
}

int
ui_remote_event_fd(const struct ui *ui)
{
	return ui->remote != NULL ? ui->remote->ev_fd : -1;
}

int
ui_remote_event(struct ui *ui)
{
	struct ui_remote *r = ui->remote;
	struct pool_event ev;
	struct err e;
	int rc;

	err_init(&e);
	rc = engine_event_read(r->ev_fd, &ev, &e);
	if (rc > 0) {
		/* a change made elsewhere: reload soon (several at once are
		 * one reload) */
		free(ev.name);
		if (ui->reload_at == 0)
			ui->reload_at = now_ms() + WATCH_DEBOUNCE_MS;
		return 0;
	}
	/* the connection is gone: no more events until it is back */
	cistern_events_close(ui->c, r->ev_fd);
	r->ev_fd = -1;
	if (!r->running && !r->lost)
		remote_mark_lost(ui, false, e.msg);
	err_clear(&e);
	return UI_DRAW;
}

int
ui_remote_ended(struct ui *ui)
{
	struct ui_remote *r = ui->remote;
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
		ui_detach(ui);
		cistern_replace_pools(ui->c, early, nearly);
		ui_rebuild_pools(ui);
		ui_rebuild_vols(ui);
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
	was_lost = r->lost;
	if (r->rc == 0) {
		ui_detach(ui);
		cistern_replace_pools(ui->c, r->pools, r->npools);
		r->pools = NULL;
		r->named = true;
		r->lost = false;
		r->delay_s = 1;
		r->retry_at = 0;
		ui_rebuild_pools(ui);
		ui_rebuild_vols(ui);
		if (was_lost) {
			ui_status(ui, R_GOOD, "libvirt at %s is back: %zu pool%s.",
				  ui_remote_uri(ui), ui->c->npools,
				  ui->c->npools == 1 ? "" : "s");
			ui_log(ui, R_GOOD, ui->status, NULL);
		}
		if (r->again)
			remote_start(ui);
	} else if (engine_lost(&r->e)) {
		/* the events were on the connection that went: watched again
		 * after the next load that works */
		if (r->ev_fd >= 0)
			cistern_events_close(ui->c, r->ev_fd);
		r->ev_fd = -1;
		remote_mark_lost(ui, was_lost, r->e.msg);
	} else {
		ui_status(ui, R_ERROR, "%s", r->e.msg);
		if (r->again)
			remote_start(ui);
	}
	return UI_DRAW;
}

int
ui_remote_tick(struct ui *ui, int64_t now)
{
	struct ui_remote *r = ui->remote;
	int64_t secs;

	if (r == NULL || !r->lost || r->running || r->retry_at == 0)
		return 0;
	if (now >= r->retry_at) {
		r->retry_at = 0;
		remote_lost_status(ui, 0);
		remote_start(ui);
		return UI_DRAW;
	}
	secs = (r->retry_at - now + 999) / 1000;
	if (secs == r->shown_s)
		return 0;
	remote_lost_status(ui, secs);
	return UI_DRAW;
}

int
ui_remote_timeout(const struct ui *ui, int64_t now, int timeout)
{
	const struct ui_remote *r = ui->remote;
	int64_t left;

	if (r == NULL || !r->lost || r->running || r->retry_at == 0)
		return timeout;
	/* wake for the retry, and at each second of the countdown */
	left = (r->retry_at - now) % 1000;
	if (left <= 0)
		left = r->retry_at - now > 0 ? 1000 : 0;
	return left < timeout ? (int)left : timeout;
}
