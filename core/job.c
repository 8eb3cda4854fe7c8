/* cistern — jobs: progress and cancellation for long operations. */
#include "job.h"

#include <stdio.h>
#include <string.h>

#include "util.h"

void
job_init(struct job *j, job_notify_fn notify, void *arg)
{
	memset(j, 0, sizeof(*j));
	j->notify = notify;
	j->arg = arg;
	j->started_ms = now_ms();
}

void
job_cancel(struct job *j)
{
	if (j != NULL)
		j->cancel = 1;
}

bool
job_cancelled(const struct job *j)
{
	return j != NULL && j->cancel != 0;
}

int
job_check(const struct job *j, struct err *e)
{
	if (job_cancelled(j))
		return err_setc(e, ERR_CANCELLED, "cancelled");
	return 0;
}

static void
job_notify(struct job *j, bool force)
{
	int64_t now;

	if (j->notify == NULL)
		return;
	now = now_ms();
	if (!force && now - j->last_notify_ms < 100)
		return;
	j->last_notify_ms = now;
	j->notify(j, j->arg);
}

void
job_set_total(struct job *j, uint64_t total)
{
	if (j == NULL)
		return;
	j->total = total;
	job_notify(j, false);
}

void
job_progress(struct job *j, uint64_t done)
{
	if (j == NULL)
		return;
	j->done = done;
	job_notify(j, false);
}

void
job_advance(struct job *j, uint64_t delta)
{
	if (j == NULL)
		return;
	j->done += delta;
	job_notify(j, false);
}

void
job_phase(struct job *j, const char *fmt, ...)
{
	va_list ap;

	if (j == NULL)
		return;
	va_start(ap, fmt);
	vsnprintf(j->phase, sizeof(j->phase), fmt, ap);
	va_end(ap);
	job_notify(j, true);
}

double
job_rate(const struct job *j)
{
	int64_t ms = now_ms() - j->started_ms;

	if (ms <= 0)
		return 0.0;
	return (double)j->done * 1000.0 / (double)ms;
}

int64_t
job_eta_s(const struct job *j)
{
	double rate = job_rate(j);

	if (j->total == 0 || rate <= 0.0 || j->done > j->total)
		return -1;
	return (int64_t)((double)(j->total - j->done) / rate);
}
