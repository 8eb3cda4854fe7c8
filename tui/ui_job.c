/* cistern — jobs: each long operation runs in a forked child that calls
 * the core with its own copy of everything and reports over a pipe
 * (progress, the commands it ran, warnings, output, the result). Cancel
 * is SIGTERM to the child, whose handler only calls job_cancel(); the
 * core then removes what it half made and fails with ERR_CANCELLED. The
 * screen never waits for a job. */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_hosts.h"
#include "ui_dialog.h"
#include "ui_draw.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_model.h"
#include "ui_text.h"
#include "ui_theme.h"

#define JOBS_KEPT 20

/* ---- the child ---- */

static int child_fd = -1;
static struct job *child_job;

/* In the child: send one record to the screen. */
static void
child_send(char type, const char *data, size_t len)
{
	unsigned char hdr[5];
	uint32_t l = (uint32_t)len;
	const char *parts[2] = { (const char *)hdr, data };
	size_t lens[2] = { sizeof(hdr), len };

	hdr[0] = (unsigned char)type;
	memcpy(hdr + 1, &l, 4);
	for (int i = 0; i < 2; i++) {
		if (fd_write_full(child_fd, parts[i], lens[i], -1) < 0) {
			/* the screen is gone: stop and clean up */
			job_cancel(child_job);
			return;
		}
	}
}

/* In the child: report progress. */
static void
child_notify(struct job *j, void *arg)
{
	char buf[256];
	int n;

	(void)arg;
	n = snprintf(buf, sizeof(buf), "%llu %llu %s",
		     (unsigned long long)j->done, (unsigned long long)j->total,
		     j->phase);
	child_send('P', buf, (size_t)(n < (int)sizeof(buf) ? n : (int)sizeof(buf) - 1));
}

/* In the child: report a command that ran. */
static void
child_log(const struct run_log_entry *ent, void *arg)
{
	char *line, *msg;

	(void)arg;
	if (ent->status == RUN_PENDING)
		return;
	line = run_argv_line(ent->argv);
	msg = xasprintf("%d %lld %d\n%s\n%s", ent->status, (long long)ent->ms,
			ent->dry_run, line, ent->errtext ? ent->errtext : "");
	child_send('L', msg, strlen(msg));
	free(msg);
	free(line);
}

/* In the child: report a store warning. */
static void
child_warn(void *arg, const char *msg)
{
	(void)arg;
	child_send('W', msg, strlen(msg));
}

/* In the child: SIGTERM cancels the job. */
static void
child_on_term(int sig)
{
	(void)sig;
	job_cancel(child_job);
}

/* The job's child: run it with its own copy, report, exit. */
static void __attribute__((noreturn))
child_main(struct ui *ui, int fd, job_fn fn, void *arg)
{
	struct sigaction sa;
	struct job j;
	struct err e;
	struct sbuf out;
	char *res;
	int rc, null;

	setpgid(0, 0);
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sigaction(SIGPIPE, &sa, NULL);
	sigaction(SIGTSTP, &sa, NULL);
	sa.sa_handler = SIG_DFL;
	sigaction(SIGWINCH, &sa, NULL);
	sigaction(SIGCONT, &sa, NULL);
	sa.sa_handler = child_on_term;
	sigaction(SIGTERM, &sa, NULL);
	null = open("/dev/null", O_RDWR);
	if (null >= 0) {
		dup2(null, 0);
		dup2(null, 1);
		dup2(null, 2);
		if (null > 2)
			close(null);
	}
	if (ui->ino_fd >= 0)
		close(ui->ino_fd);
	util_set_fatal_hook(NULL);
	child_fd = fd;
	job_init(&j, child_notify, NULL);
	child_job = &j;
	run_set_logger(child_log, NULL);
	ui->c->warn = child_warn;
	err_init(&e);
	sbuf_init(&out);
	rc = fn(ui->c, &j, arg, &out, &e);
	if (out.len > 0)
		child_send('O', out.s, out.len);
	res = xasprintf("%d %u\n%s", rc < 0 ? (e.code ? (int)e.code :
			ERR_GENERIC) : 0, j.did,
			rc < 0 ? (e.msg[0] ? e.msg : "failed") : "");
	child_send('R', res, strlen(res));
	_exit(0);
}

/* ---- the parent ---- */

/* Fork a job; returns its id or -1. */
int
ui_job_start(struct ui *ui, const char *title, const char *pool, job_fn fn,
	     void *arg, bool show_output)
{
	return ui_job_start_on(ui, ui->cur, title, pool, fn, arg, show_output);
}

/* A child that found its copy of the engine unusable exits so. */
#define CHILD_FORK_AGAIN 75
#define FORK_TRIES 10
#if defined(__SANITIZE_ADDRESS__)
/* Under ASan a child can also hang in its allocator, whose locks are
 * not taken at a fork (the engine's check opens the connection then):
 * one that does not say it is ready in time is killed and made again. */
#define FORK_KILL_SILENT true
#else
#define FORK_KILL_SILENT false
#endif

/* Fork the job's child. On a remote engine the child first checks that
 * its copy of the engine's library can be used (cistern_forked: a lock
 * another thread held at the fork stays held in the child) and says so
 * with a record 'G' (type 'G', no data: a record the screen ignores if it
 * comes after the wait); else it exits and the fork is made again. pid,
 * or -1 with errno. */
static pid_t
job_fork(struct ui *ui, size_t host, int fds[2], job_fn fn, void *arg)
{
	struct cistern *c = ui->nhosts > 0 ? ui->hosts[host].c : ui->c;
	bool check = engine_remote(c);

	for (int tries = 0;; tries++) {
		static const char go_rec[5] = { 'G', 0, 0, 0, 0 };
		struct pollfd pfd;
		pid_t pid;
		char go[5];
		int st, rc;

		if (pipe2(fds, O_CLOEXEC) < 0)
			return -1;
		pid = fork();
		if (pid < 0) {
			int saved = errno;
			close(fds[0]);
			close(fds[1]);
			errno = saved;
			return -1;
		}
		if (pid == 0) {
			close(fds[0]);
			/* the child is a copy: its ui runs on the job's host */
			ui->c = c;
			if (check) {
				if (cistern_forked(c) < 0)
					_exit(CHILD_FORK_AGAIN);
				if (write(fds[1], go_rec, sizeof(go_rec)) !=
				    (ssize_t)sizeof(go_rec))
					_exit(CHILD_FORK_AGAIN);
			}
			child_main(ui, fds[1], fn, arg);
		}
		close(fds[1]);
		if (!check)
			return pid;
		/* the check answers within half a second */
		pfd.fd = fds[0];
		pfd.events = POLLIN;
		do
			rc = poll(&pfd, 1, FORK_KILL_SILENT ? 4000 : 2000);
		while (rc < 0 && errno == EINTR);
		if (rc <= 0) {
			if (!FORK_KILL_SILENT || tries + 1 >= FORK_TRIES)
				return pid;
			kill(pid, SIGKILL);
			run_reap(pid, &st);
			close(fds[0]);
			continue;
		}
		/* the record is written whole (5 bytes, under PIPE_BUF) */
		if (read(fds[0], go, sizeof(go)) == (ssize_t)sizeof(go) ||
		    tries + 1 >= FORK_TRIES)
			return pid;
		/* no 'G': the child exited; again if it asked for it */
		if (run_reap(pid, &st) != pid || !WIFEXITED(st) ||
		    WEXITSTATUS(st) != CHILD_FORK_AGAIN) {
			close(fds[0]);
			errno = ECHILD;
			return -1;
		}
		close(fds[0]);
	}
}

int
ui_job_start_on(struct ui *ui, size_t host, const char *title,
		const char *pool, job_fn fn, void *arg, bool show_output)
{
	int fds[2];
	pid_t pid;
	struct ui_job *j;

	pid = job_fork(ui, host, fds, fn, arg);
	if (pid < 0) {
		ui_status(ui, R_ERROR, "cannot start '%s': %s", title,
			  strerror(errno));
		return -1;
	}
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	j = xcalloc(1, sizeof(*j));
	j->id = ++ui->next_job_id;
	/* several hosts: a job says which, and its end is handled there */
	j->host = host;
	j->title = ui->nhosts > 0 ?
		   xasprintf("%s: %s", ui->hosts[host].name, title) :
		   xstrdup(title);
	j->pool = pool ? xstrdup(pool) : NULL;
	j->pid = pid;
	j->fd = fds[0];
	j->show_output = show_output;
	job_init(&j->mirror, NULL, NULL);
	snprintf(j->mirror.phase, sizeof(j->mirror.phase), "starting");
	ui->jobs = xreallocarray(ui->jobs, ui->njobs + 1, sizeof(*ui->jobs));
	ui->jobs[ui->njobs++] = j;
	ui_log(ui, R_STATUS, j->title, NULL);
	ui_layout(ui);
	return j->id;
}

/* A job that reports its end to `on_end`. */
int
ui_job_start_cb(struct ui *ui, const char *title, const char *pool,
		job_fn fn, void *arg, job_end_fn on_end, void *end_arg)
{
	int id = ui_job_start(ui, title, pool, fn, arg, false);
	struct ui_job *j = id > 0 ? ui_job_by_id(ui, id) : NULL;

	if (j != NULL) {
		j->on_end = on_end;
		j->end_arg = end_arg;
	}
	return id;
}

/* Cancel a job and forget who waited for its end. */
void
ui_job_abandon(struct ui *ui, int id)
{
	struct ui_job *j = ui_job_by_id(ui, id);

	if (j == NULL)
		return;
	j->on_end = NULL;
	j->end_arg = NULL;
	j->quiet = true;
	if (!j->ended) {
		kill(j->pid, SIGTERM);
		j->cancelling = true;
	}
}

/* Free a job's record. */
static void
job_free(struct ui_job *j)
{
	free(j->title);
	free(j->pool);
	free(j->select_vol);
	free(j->msg);
	free(j->output);
	free(j->buf);
	free(j);
}

/* Forget the oldest ended jobs beyond JOBS_KEPT. */
static void
jobs_trim(struct ui *ui)
{
	size_t ended = 0;

	for (size_t i = 0; i < ui->njobs; i++)
		ended += ui->jobs[i]->ended;
	for (size_t i = 0; i < ui->njobs && ended > JOBS_KEPT;) {
		if (!ui->jobs[i]->ended) {
			i++;
			continue;
		}
		job_free(ui->jobs[i]);
		memmove(&ui->jobs[i], &ui->jobs[i + 1],
			(ui->njobs - i - 1) * sizeof(*ui->jobs));
		ui->njobs--;
		ended--;
	}
}

/* A job by id, or NULL. */
struct ui_job *
ui_job_by_id(struct ui *ui, int id)
{
	for (size_t i = 0; i < ui->njobs; i++)
		if (ui->jobs[i]->id == id)
			return ui->jobs[i];
	return NULL;
}

/* How many jobs are running. */
size_t
ui_jobs_running(const struct ui *ui)
{
	size_t n = 0;

	for (size_t i = 0; i < ui->njobs; i++)
		n += !ui->jobs[i]->ended;
	return n;
}

/* Ask a job to stop (SIGTERM to its child). */
void
ui_job_cancel(struct ui *ui, struct ui_job *j)
{
	if (j->ended)
		return;
	kill(j->pid, SIGTERM);
	j->cancelling = true;
	ui_status(ui, R_WARNING, "Cancelling %s...", j->title);
}

/* Ask every running job to stop. */
void
ui_jobs_cancel_all(struct ui *ui)
{
	for (size_t i = 0; i < ui->njobs; i++)
		if (!ui->jobs[i]->ended)
			kill(ui->jobs[i]->pid, SIGTERM);
}

/* One record from a child. */
static void
job_record(struct ui *ui, struct ui_job *j, char type, char *p, size_t n)
{
	p[n] = '\0';
	switch (type) {
	case 'P': {
		unsigned long long done = 0, total = 0;
		int off = 0;
		if (sscanf(p, "%llu %llu %n", &done, &total, &off) >= 2) {
			j->mirror.done = done;
			j->mirror.total = total;
			snprintf(j->mirror.phase, sizeof(j->mirror.phase), "%s",
				 p + off);
		}
		break;
	}
	case 'L': {
		int status = 0, dry = 0;
		long long ms = 0;
		char *l1 = strchr(p, '\n'), *l2;
		sscanf(p, "%d %lld %d", &status, &ms, &dry);
		if (l1 == NULL)
			break;
		l2 = strchr(l1 + 1, '\n');
		if (l2 != NULL)
			*l2++ = '\0';
		ui_log_cmd(ui, l1 + 1, status, dry, ms, l2);
		break;
	}
	case 'W':
		ui_log(ui, R_WARNING, p, NULL);
		ui_status(ui, R_WARNING, "%s", p);
		break;
	case 'O':
		free(j->output);
		j->output = xstrdup(p);
		break;
	case 'R': {
		char *nl = strchr(p, '\n');
		unsigned did = 0;
		if (sscanf(p, "%d %u", &j->code, &did) >= 1)
			j->mirror.did = did;
		free(j->msg);
		j->msg = xstrdup(nl ? nl + 1 : "");
		break;
	}
	}
}

/* A job's child is gone: report its result. */
static int
job_end(struct ui *ui, struct ui_job *j)
{
	int status = 0;
	bool got = j->msg != NULL;

	close(j->fd);
	j->fd = -1;
	run_reap(j->pid, &status);
	j->ended = true;
	j->ended_ms = now_ms();
	if (!got) {
		j->code = ERR_GENERIC;
		j->msg = WIFSIGNALED(status) ?
			 xasprintf("the job died (signal %d)", WTERMSIG(status)) :
			 xstrdup("the job ended without a result");
	}
	/* a progress dialog of this job closes */
	if (ui->dlg != NULL && ui->dlg->data == (void *)(intptr_t)j->id &&
	    ui->dlg->title != NULL && str_startswith(ui->dlg->title, "Job"))
		dialog_pop(ui);
	if (j->quiet) {
		ui_log(ui, R_DIM, j->title, j->code == 0 ? "done" : j->msg);
		jobs_trim(ui);
		ui_layout(ui);
		return UI_DRAW;
	}
	if (j->on_end != NULL) {
		job_end_fn fn = j->on_end;
		int r;
		j->on_end = NULL;
		/* what follows a wizard's job (select, undo) is done on the
		 * job's host: the screen goes back to it */
		if (ui->nhosts > 0 && j->host != ui->cur)
			ui_host_switch(ui, j->host);
		ui_log(ui, j->code == 0 ? R_GOOD : j->code == ERR_CANCELLED ?
		       R_WARNING : R_ERROR, j->title, j->code == 0 ? "done" :
		       j->msg);
		r = fn(ui, j, j->end_arg);
		jobs_trim(ui);
		ui_layout(ui);
		return r | UI_DRAW;
	}
	if (j->code == 0) {
		ui_status(ui, R_GOOD, "%s: done.", j->title);
		ui_log(ui, R_GOOD, j->title, "done");
		if (j->select_vol != NULL && j->pool != NULL)
			ui_select_vol_later(ui, j->pool, j->select_vol);
	} else if (j->code == ERR_CANCELLED) {
		/* the job says what it left behind; nothing more is claimed */
		ui_status(ui, R_WARNING, "%s: %s.", j->title, j->msg);
		ui_log(ui, R_WARNING, j->title, j->msg);
	} else {
		ui_status(ui, R_ERROR, "%s", j->msg);
		ui_log(ui, R_ERROR, j->title, j->msg);
		if (!j->show_output)
			dialog_message(ui, "Failed", j->msg, true);
	}
	if (j->show_output && j->output != NULL && j->output[0] != '\0') {
		size_t lines = 0;
		for (const char *s = j->output; *s; s++)
			lines += *s == '\n';
		if (lines <= 1 && strlen(j->output) < (size_t)ui->cols - 4) {
			char *o = xstrdup(j->output);
			o[strcspn(o, "\n")] = '\0';
			if (j->code == 0)
				ui_status(ui, R_GOOD, "%s", o);
			free(o);
		} else {
			dialog_text(ui, j->title, j->output);
		}
	}
	if (j->show_output && j->code != 0 && j->code != ERR_CANCELLED)
		dialog_message(ui, "Failed", j->msg, true);
	jobs_trim(ui);
	ui_layout(ui);
	return UI_RELOAD | UI_DRAW;
}

/* Read what a job's child sent; at its end, report the result. */
int
ui_jobs_poll(struct ui *ui, int fd)
{
	struct ui_job *j = NULL;
	bool eof = false;

	for (size_t i = 0; i < ui->njobs; i++)
		if (!ui->jobs[i]->ended && ui->jobs[i]->fd == fd)
			j = ui->jobs[i];
	if (j == NULL)
		return UI_NONE;
	for (;;) {
		if (j->len + 65536 > j->cap) {
			j->cap = j->cap ? j->cap * 2 : 131072;
			j->buf = xrealloc(j->buf, j->cap);
		}
		ssize_t n = read(fd, j->buf + j->len, j->cap - j->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			break;   /* EAGAIN: more later */
		if (n == 0) {
			eof = true;
			break;
		}
		j->len += (size_t)n;
	}
	/* complete records */
	size_t off = 0;
	while (j->len - off >= 5) {
		uint32_t l;
		memcpy(&l, j->buf + off + 1, 4);
		if (j->len - off - 5 < l)
			break;
		char type = j->buf[off];
		char *rec = xmalloc((size_t)l + 1);
		memcpy(rec, j->buf + off + 5, l);
		job_record(ui, j, type, rec, l);
		free(rec);
		off += 5 + (size_t)l;
	}
	memmove(j->buf, j->buf + off, j->len - off);
	j->len -= off;
	if (eof)
		return job_end(ui, j);
	return UI_DRAW;
}

/* A progress bar with percentage, rate, time left and phase. */
void
ui_draw_progress(struct ui *ui, const struct ui_job *j, int y, int x, int w)
{
	char info[512], done[32], rate[32];
	const struct job *m = &j->mirror;
	int64_t eta = job_eta_s(m);
	double r = job_rate(m);

	size_short(m->done, done, sizeof(done));
	size_short((uint64_t)r, rate, sizeof(rate));
	if (m->total > 0) {
		int pct = (int)(m->done * 100 / m->total);
		char left[32] = "";
		if (pct > 100)
			pct = 100;
		if (eta >= 0)
			snprintf(left, sizeof(left), "  %lld:%02lld left",
				 (long long)(eta / 60), (long long)(eta % 60));
		snprintf(info, sizeof(info), " %3d%%  %s/s%s", pct, rate, left);
		int iw = text_width(info);
		int bw = w - iw - 2;
		if (bw > 30)
			bw = 30;
		if (bw < 8) {
			text_put(y, x, info, w, ui->attr[R_NORMAL], false, false);
			return;
		}
		int fill = pct * (bw - 2) / 100;
		attrset(ui->attr[R_NORMAL]);
		mvaddstr(y, x, "[");
		for (int i = 0; i < bw - 2; i++) {
			attrset(ui->attr[i < fill ? R_PROGRESS : R_BAR_EMPTY]);
			mvaddstr(y, x + 1 + i, i < fill ? ui->g->bar_full :
				 ui->g->bar_empty);
		}
		attrset(ui->attr[R_NORMAL]);
		mvaddstr(y, x + bw - 1, "]");
		text_put(y, x + bw, info, iw, ui->attr[R_NORMAL], false, false);
		if (w - bw - iw > 4)
			text_put(y, x + bw + iw + 2, m->phase, w - bw - iw - 2,
				 ui->attr[R_DIM], false, false);
	} else {
		snprintf(info, sizeof(info), "%s  %s%s%s", m->phase,
			 m->done ? done : "", m->done ? "  " : "",
			 m->done ? rate : "");
		text_put(y, x, info, w, ui->attr[R_NORMAL], false, false);
	}
}

/* ---- the progress dialog ---- */

/* Draw a job's progress dialog. */
static void
progress_draw(struct ui *ui, struct dialog *d)
{
	struct ui_job *j = ui_job_by_id(ui, (int)(intptr_t)d->data);
	int w = ui->cols - 8 < 76 ? ui->cols - 8 : 76;

	dialog_box(ui, d, 7, w, R_DIALOG);
	if (j == NULL)
		return;
	text_put(d->y + 1, d->x + 2, j->title, d->w - 4,
		 ui->attr[R_DIALOG_TITLE], false, false);
	ui_draw_progress(ui, j, d->y + 3, d->x + 2, d->w - 4);
	/* its host dropped: say so under the progress */
	if (!j->ended) {
		char why[512];
		const char *down = ui_host_down(ui, j->host, why, sizeof(why));
		if (down != NULL)
			text_put(d->y + 4, d->x + 2, down, d->w - 4,
				 ui->attr[R_WARNING], false, false);
	}
	text_put(d->y + 5, d->x + 2, j->cancelling ? "Stopping..." :
		 "Esc/Enter: close (the job goes on)    c: cancel the job",
		 d->w - 4, ui->attr[j->cancelling ? R_WARNING : R_DIM], false,
		 false);
}

/* The answer to "Stop the job?" (button 0: stop; the default keeps it). */
static int
cancel_done(struct ui *ui, struct form *f, int b)
{
	struct ui_job *j = ui_job_by_id(ui, (int)(intptr_t)f->ctx);

	if (j == NULL || j->ended)
		return UI_DRAW;
	if (b != 0) {
		ui_status(ui, R_STATUS, "%s goes on.", j->title);
		return UI_DRAW;
	}
	ui_job_cancel(ui, j);
	return UI_DRAW;
}

/* Ask before a job is stopped: what it did so far may stay done. */
void
ui_job_ask_cancel(struct ui *ui, struct ui_job *j)
{
	char done[32], t[600];
	struct form *f;

	size_pretty(j->mirror.done, done, sizeof(done));
	snprintf(t, sizeof(t), "Stop %s? It has done %s so far; what a wipe "
		 "or an upload has written stays written.", j->title, done);
	f = form_new(t, cancel_done, (void *)(intptr_t)j->id, NULL);
	f->danger = true;
	form_add_button(f, "Stop it");
	form_add_button(f, "Let it run");
	form_open(ui, "Cancel the job", f);
	f->focus = f->nfields + 1;
}

/* Esc or Enter closes the dialog (the job goes on); c asks to stop it. */
static int
progress_key(struct ui *ui, struct dialog *d, int key)
{
	struct ui_job *j = ui_job_by_id(ui, (int)(intptr_t)d->data);

	if (j == NULL || j->ended) {
		dialog_pop(ui);
		return UI_DRAW;
	}
	if (key == 'c') {
		dialog_pop(ui);
		ui_job_ask_cancel(ui, j);
		return UI_DRAW;
	}
	if (key == K_ESC || key == K_ENTER || key == '\n' || key == 'b' ||
	    key == 'q') {
		dialog_pop(ui);
		ui_status(ui, R_STATUS, "%s goes on in the background (J "
			  "lists jobs, Esc shows the newest).", j->title);
		return UI_DRAW;
	}
	return UI_NONE;
}

/* Show a job's progress dialog. */
void
dialog_progress(struct ui *ui, int job_id)
{
	struct dialog *d = xcalloc(1, sizeof(*d));
	struct ui_job *j = ui_job_by_id(ui, job_id);

	if (j == NULL || j->ended) {
		free(d);
		if (j != NULL)
			ui_status(ui, j->code ? R_ERROR : R_GOOD, "%s: %s", j->title,
				  j->code == 0 ? "done" : j->msg);
		return;
	}
	d->title = xasprintf("Job %d", job_id);
	d->draw = progress_draw;
	d->key = progress_key;
	d->data = (void *)(intptr_t)job_id;
	dialog_push(ui, d);
}
