/* The one command runner: argv (never a shell), timeouts, captured output,
 * the log, dry-run, cancellation. */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/run.h"
#include "../../core/util.h"
#include "../lib/t.h"

static int logged_before, logged_after;
static char last_line[512];

static void
logger(const struct run_log_entry *ent, void *arg)
{
	(void)arg;
	if (ent->status == RUN_PENDING) {
		logged_before++;
		char *l = run_argv_line(ent->argv);
		snprintf(last_line, sizeof(last_line), "%s", l);
		free(l);
	} else {
		logged_after++;
	}
}

static void
cancel_soon(struct job *j, void *arg)
{
	(void)arg;
	job_cancel(j);
}

int
main(void)
{
	struct run_result r;
	struct err e;
	char tmpl[] = "/tmp/cistern-run-XXXXXX";
	char *dir = mkdtemp(tmpl);

	err_init(&e);
	run_set_logger(logger, NULL);

	const char *echo[] = { "printf", "%s|", "a b", "$(id)", ";rm -rf /", "'q'", NULL };
	T_CHECK(run_argv(echo, NULL, &r, &e) == 0 &&
		strcmp(r.out, "a b|$(id)|;rm -rf /|'q'|") == 0,
		"arguments reach the tool verbatim, no shell interprets them (%s)",
		r.out);
	run_result_free(&r);
	T_CHECK(logged_before == 1 && logged_after == 1,
		"every command is logged before and after it runs");
	T_CHECK(strcmp(last_line, "printf '%s|' 'a b' '$(id)' ';rm -rf /' ''\\''q'\\'''") == 0,
		"the log line is shell-quoted (%s)", last_line);

	const char *fail[] = { "sh", "-c", "echo partial; echo 'disk on fire' >&2; "
			       "echo 'second line' >&2; exit 3", NULL };
	T_CHECK(run_argv(fail, NULL, &r, &e) < 0 && r.status == 3 &&
		strcmp(r.out, "partial\n") == 0 &&
		strcmp(r.errtext, "disk on fire\nsecond line\n") == 0,
		"stdout, stderr and the exit status are captured");
	T_CHECK(strcmp(e.msg, "sh failed (exit 3): disk on fire") == 0,
		"a failed tool gives a one-line error with its stderr (%s)", e.msg);
	T_CHECK(e.argv != NULL && strcmp(e.argv[0], "sh") == 0 &&
		e.tool_stderr != NULL && strstr(e.tool_stderr, "second line") &&
		e.tool_status == 3, "the error carries the tool's argv and stderr");
	run_result_free(&r);
	err_clear(&e);

	struct run_opts anyst = { .ok_any_status = true };
	T_CHECK(run_argv(fail, &anyst, &r, &e) == 0 && r.status == 3,
		"ok_any_status lets the caller judge the status");
	run_result_free(&r);

	const char *slow[] = { "sleep", "30", NULL };
	struct run_opts to = { .timeout_ms = 300 };
	int64_t t0 = now_ms();
	int rc = run_argv(slow, &to, &r, &e);
	int64_t ms = now_ms() - t0;
	T_CHECK(rc < 0 && r.timed_out && ms < 5000 && strstr(e.msg, "timed out"),
		"a tool past its timeout is killed (%lld ms: %s)", (long long)ms,
		e.msg);
	run_result_free(&r);
	err_clear(&e);

	const char *stubborn[] = { "sh", "-c", "trap '' TERM; sleep 30", NULL };
	t0 = now_ms();
	rc = run_argv(stubborn, &to, &r, &e);
	ms = now_ms() - t0;
	T_CHECK(rc < 0 && ms < 6000,
		"a tool that ignores SIGTERM is killed with SIGKILL (%lld ms)",
		(long long)ms);
	run_result_free(&r);
	err_clear(&e);

	const char *daemon[] = { "sh", "-c", "sleep 20 & echo started", NULL };
	t0 = now_ms();
	rc = run_argv(daemon, NULL, &r, &e);
	ms = now_ms() - t0;
	T_CHECK(rc == 0 && ms < 3000 && strcmp(r.out, "started\n") == 0,
		"a helper the tool leaves running (holding the pipes) does not "
		"hang the runner (%lld ms)", (long long)ms);
	run_result_free(&r);

	struct job j;
	job_init(&j, NULL, NULL);
	struct run_opts jo = { .job = &j };
	j.notify = cancel_soon;
	job_cancel(&j);
	t0 = now_ms();
	rc = run_argv(slow, &jo, &r, &e);
	ms = now_ms() - t0;
	T_CHECK(rc < 0 && e.code == ERR_CANCELLED && ms < 5000,
		"a cancelled job kills its tool (%s)", e.msg);
	run_result_free(&r);
	err_clear(&e);

	const char *missing[] = { "cistern-no-such-tool", "x", NULL };
	T_CHECK(run_argv(missing, NULL, NULL, &e) < 0 &&
		strcmp(e.msg, "cistern-no-such-tool is not installed (command not "
		       "found in PATH)") == 0, "a missing tool is named (%s)", e.msg);
	err_clear(&e);

	const char *cat[] = { "cat", NULL };
	struct run_opts in = { .input = "secret\n", .input_len = 7,
			       .secret_input = true };
	T_CHECK(run_argv(cat, &in, &r, &e) == 0 && strcmp(r.out, "secret\n") == 0,
		"input reaches the tool on stdin, not in argv");
	run_result_free(&r);

	const char *loc[] = { "sh", "-c", "echo $LC_ALL", NULL };
	T_CHECK(run_argv(loc, NULL, &r, &e) == 0 && strcmp(r.out, "C\n") == 0,
		"tools run with LC_ALL=C so their output parses");
	run_result_free(&r);

	char *marker = path_join(dir, "made");
	const char *touch[] = { "touch", marker, NULL };
	run_set_dry_run(true);
	logged_before = 0;
	T_CHECK(run_argv(touch, NULL, &r, &e) == 0 && r.dry_run &&
		access(marker, F_OK) != 0 && logged_before == 1,
		"dry-run logs the command and runs nothing");
	run_result_free(&r);
	run_set_dry_run(false);
	T_CHECK(run_argv(touch, NULL, NULL, &e) == 0 && access(marker, F_OK) == 0,
		"without dry-run it runs");
	unlink(marker);
	free(marker);
	rmdir(dir);
	return t_done();
}
