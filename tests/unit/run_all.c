/* cistern — run_argv_all: independent commands at the same time, each
 * with its own output, status and error, a timeout and dry-run. */
#include <string.h>

#include "../../core/run.h"
#include "../../core/util.h"
#include "../lib/t.h"

static void
free_all(struct run_result *r, size_t n)
{
	for (size_t i = 0; i < n; i++)
		run_result_free(&r[i]);
}

int
main(void)
{
	struct run_result r[3];
	struct err e;
	int64_t t0;
	int rc;

	err_init(&e);
	{
		const char *a[] = { "sleep", "0.3", NULL };
		const char *b[] = { "sleep", "0.3", NULL };
		const char *const *const both[] = { a, b };
		t0 = now_ms();
		rc = run_argv_all(both, 2, NULL, r, &e);
		T_CHECK(rc == 0 && r[0].status == 0 && r[1].status == 0,
			"run_all_both_succeed");
		T_CHECK(now_ms() - t0 < 550, "run_all_at_the_same_time");
		free_all(r, 2);
	}
	{
		const char *a[] = { "printf", "first", NULL };
		const char *b[] = { "printf", "%s\\n", "second", NULL };
		const char *c[] = { "sh", "-c", "echo oops >&2; exit 3", NULL };
		const char *const *const all[] = { a, b, c };
		rc = run_argv_all(all, 3, NULL, r, &e);
		T_CHECK(rc < 0 && e.code == ERR_TOOL, "run_all_failure_reported");
		T_CHECK(strcmp(r[0].out, "first") == 0 &&
			strcmp(r[1].out, "second\n") == 0, "run_all_outputs_apart");
		T_CHECK(r[2].status == 3 && strcmp(r[2].errtext, "oops\n") == 0,
			"run_all_status_and_stderr");
		T_CHECK(strstr(e.msg, "sh failed (exit 3): oops") != NULL &&
			e.argv != NULL && strcmp(e.argv[0], "sh") == 0 &&
			e.tool_stderr != NULL, "run_all_error_names_tool");
		free_all(r, 3);
		err_clear(&e);
	}
	{
		const char *a[] = { "sh", "-c", "echo one >&2; exit 1", NULL };
		const char *b[] = { "sh", "-c", "echo two >&2; exit 2", NULL };
		const char *const *const both[] = { a, b };
		rc = run_argv_all(both, 2, NULL, r, &e);
		T_CHECK(rc < 0 && strstr(e.msg, "one") != NULL,
			"run_all_first_failure_in_argv_order");
		free_all(r, 2);
		err_clear(&e);
	}
	{
		const char *a[] = { "sleep", "5", NULL };
		const char *b[] = { "true", NULL };
		const char *const *const both[] = { a, b };
		struct run_opts o = { .timeout_ms = 200 };
		t0 = now_ms();
		rc = run_argv_all(both, 2, &o, r, &e);
		T_CHECK(rc < 0 && r[0].timed_out && r[1].status == 0 &&
			strstr(e.msg, "timed out") != NULL, "run_all_timeout");
		T_CHECK(now_ms() - t0 < 3000, "run_all_timeout_kills");
		free_all(r, 2);
		err_clear(&e);
	}
	{
		const char *a[] = { "cistern-no-such-tool", NULL };
		const char *b[] = { "true", NULL };
		const char *const *const both[] = { a, b };
		rc = run_argv_all(both, 2, NULL, r, &e);
		T_CHECK(rc < 0 && strstr(e.msg, "not installed") != NULL,
			"run_all_missing_tool");
		free_all(r, 2);
		err_clear(&e);
	}
	{
		const char *a[] = { "sh", "-c", "echo $CISTERN_T", NULL };
		const char *b[] = { "true", NULL };
		const char *const *const both[] = { a, b };
		const char *const env[] = { "CISTERN_T=extra", NULL };
		struct run_opts o = { .env = env };
		rc = run_argv_all(both, 2, &o, r, &e);
		T_CHECK(rc == 0 && strcmp(r[0].out, "extra\n") == 0,
			"run_all_environment");
		free_all(r, 2);
	}
	{
		const char *a[] = { "sh", "-c", "exit 1", NULL };
		const char *b[] = { "sh", "-c", "exit 1", NULL };
		const char *const *const both[] = { a, b };
		run_set_dry_run(true);
		rc = run_argv_all(both, 2, NULL, r, &e);
		T_CHECK(rc == 0 && r[0].dry_run && r[1].dry_run &&
			r[0].out[0] == '\0', "run_all_dry_run_runs_nothing");
		run_set_dry_run(false);
		free_all(r, 2);
	}
	return t_done();
}
