/* cistern — jobs on the screen (ui_job.c): each runs in a forked child
 * that reports over a pipe; progress, cancellation, the result. */
#ifndef CISTERN_UI_JOB_H
#define CISTERN_UI_JOB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "../core/job.h"
#include "../core/pool.h"
#include "../core/util.h"

struct ui;

/* Runs in the child with its own copy of everything; `out` collects text
 * to show when the job ends. Returns 0 or -1 with e set. */
typedef int (*job_fn)(struct cistern *c, struct job *j, void *arg,
		      struct sbuf *out, struct err *e);

struct ui_job;
/* Called in the screen's process when a job ends (instead of the usual
 * report); returns UI_* flags. */
typedef int (*job_end_fn)(struct ui *ui, struct ui_job *j, void *arg);

struct ui_job {
	int id;
	char *title;
	char *pool;             /* the pool it changes, or NULL */
	pid_t pid;
	int fd;
	struct job mirror;      /* done, total, phase; rate and ETA */
	bool cancelling, ended, show_output;
	int code;               /* enum err_code of the result */
	char *msg;              /* error message */
	char *output;
	char *buf;              /* partial records from the pipe */
	size_t len, cap;
	int64_t ended_ms;
	job_end_fn on_end;      /* the wizards' jobs report to them */
	void *end_arg;
	bool quiet;             /* abandoned: only the log hears its end */
	char *select_vol;       /* a volume it makes: selected when done */
	size_t host;            /* several hosts: the one it runs on */
};

int ui_job_start(struct ui *ui, const char *title, const char *pool,
		 job_fn fn, void *arg, bool show_output);
/* The same on host `host` of the screen (several hosts; else ui->cur). */
int ui_job_start_on(struct ui *ui, size_t host, const char *title,
		    const char *pool, job_fn fn, void *arg, bool show_output);
/* A job whose end is reported to `on_end` (the wizards: discovery,
 * setting a pool up); nothing else is said about it but the log. */
int ui_job_start_cb(struct ui *ui, const char *title, const char *pool,
		    job_fn fn, void *arg, job_end_fn on_end, void *end_arg);
/* Cancel a job and forget who waited for its end. */
void ui_job_abandon(struct ui *ui, int id);
void ui_job_cancel(struct ui *ui, struct ui_job *j);
/* Ask the operator before stopping a job (the default lets it run). */
void ui_job_ask_cancel(struct ui *ui, struct ui_job *j);
/* Read what the children sent; returns UI_* flags. */
int ui_jobs_poll(struct ui *ui, int fd);
size_t ui_jobs_running(const struct ui *ui);
void ui_jobs_cancel_all(struct ui *ui);
/* The progress dialog of a job. */
void dialog_progress(struct ui *ui, int job_id);
struct ui_job *ui_job_by_id(struct ui *ui, int id);
/* "[#####.....]  43%  120M/s  0:32 left" in w columns. */
void ui_draw_progress(struct ui *ui, const struct ui_job *j, int y, int x,
		      int w);

#endif
