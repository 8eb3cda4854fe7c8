/* cistern — jobs: progress and cancellation for long operations.
 *
 * A backend doing something long (wipe, clone, build, upload, qemu-img)
 * reports progress with job_progress() and checks job_cancelled() between
 * chunks; when cancelled it removes what it half-made and fails with
 * ERR_CANCELLED. A NULL job is allowed everywhere and means "no reporting,
 * never cancelled". job_cancel() is async-signal-safe (SIGINT handlers).
 */
#ifndef CISTERN_JOB_H
#define CISTERN_JOB_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "err.h"

struct job;
typedef void (*job_notify_fn)(struct job *j, void *arg);

struct job {
	volatile sig_atomic_t cancel;
	uint64_t done;          /* units of work done (bytes usually) */
	uint64_t total;         /* 0: unknown */
	char phase[128];        /* what is happening now ("writing pass 3/7") */
	int64_t started_ms;
	int64_t last_notify_ms;
	job_notify_fn notify;   /* called at most every 100 ms, and at phase changes */
	void *arg;
	unsigned did;           /* JOB_DID_*: steps that finished, for the
				   caller of a job that fails half-way */
};

enum {
	JOB_DID_BUILD = 1 << 0,    /* a pool was built (pool_build, or a
				      start that builds) */
};

void job_init(struct job *j, job_notify_fn notify, void *arg);

/* Ask the job to stop (async-signal-safe). */
void job_cancel(struct job *j);
bool job_cancelled(const struct job *j);

/* Fail with ERR_CANCELLED when cancelled: `if (job_check(j, e) < 0) ...` */
int job_check(const struct job *j, struct err *e);

void job_set_total(struct job *j, uint64_t total);
void job_progress(struct job *j, uint64_t done);
void job_advance(struct job *j, uint64_t delta);
void job_phase(struct job *j, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Rate in units per second and seconds left (-1: unknown). */
double job_rate(const struct job *j);
int64_t job_eta_s(const struct job *j);

#endif
