/* cistern — the one command runner.
 *
 * External tools run with an argv array (never a shell) in their own
 * process group, with a timeout, LC_ALL=C, stdin from /dev/null (or from
 * the caller's data), stdout and stderr captured. Every command is logged;
 * in dry-run mode commands are logged and not run (they "succeed" with no
 * output), so callers skip checks that depend on a tool's output.
 */
#ifndef CISTERN_RUN_H
#define CISTERN_RUN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "job.h"

#define RUN_TIMEOUT_DEFAULT_MS (120 * 1000)

struct run_opts {
	int timeout_ms;           /* 0: RUN_TIMEOUT_DEFAULT_MS */
	const char *input;        /* written to the tool's stdin, or NULL */
	size_t input_len;
	int stdin_fd;             /* >0: use this fd as stdin instead */
	int stdout_fd;            /* >0: send stdout here instead of capturing */
	struct job *job;          /* cancellation (kills the tool) */
	const char *const *env;   /* extra NAME=VALUE entries, NULL-terminated */
	bool keep_locale;         /* do not force LC_ALL=C */
	bool secret_input;        /* never log `input` */
	bool ok_any_status;       /* a non-zero exit is not an error */
	bool interactive;         /* the tool uses our terminal (an editor):
				     nothing captured, no timeout */
};

struct run_result {
	int status;               /* exit status; -1 if killed/timed out/not run */
	int signal;               /* terminating signal, 0 if none */
	bool timed_out;
	bool dry_run;             /* nothing was run */
	char *out;                /* captured stdout (NUL-terminated) */
	size_t out_len;
	char *errtext;            /* captured stderr (NUL-terminated) */
	size_t err_len;
	int64_t ms;               /* wall time */
};

/* Run argv[0] (looked up in PATH) with argv. Returns 0 when it ran and
 * exited 0 (or ok_any_status), -1 otherwise with `e` saying why and
 * carrying argv and stderr. `r` may be NULL; otherwise the caller frees
 * it with run_result_free even on failure. */
int run_argv(const char *const argv[], const struct run_opts *o,
	     struct run_result *r, struct err *e);

/* Run n independent commands at the same time (queries whose answers are
 * all needed), each as run_argv would run it, and wait for all of them.
 * Options apply to each; with `input`, `stdin_fd`, `stdout_fd` or
 * `interactive` they run one after another instead. r[i] receives each
 * result (the caller frees every one, even on failure). Returns 0 when
 * all succeeded, else -1 with `e` describing the first failure in argv
 * order. */
int run_argv_all(const char *const *const argvs[], size_t n,
		 const struct run_opts *o, struct run_result r[],
		 struct err *e);

/* Convenience: no options, output discarded. */
int run_simple(const char *const argv[], struct err *e);

void run_result_free(struct run_result *r);

/* waitpid(pid, status, 0), retried when a signal interrupts it: the one
 * blocking reap of a child. */
pid_t run_reap(pid_t pid, int *status);

/* Is a program available in PATH? */
bool run_have(const char *prog);

/* Dry-run mode: log commands, run nothing. */
void run_set_dry_run(bool on);
bool run_dry_run(void);

/* A log entry, handed to the logger before (status == RUN_PENDING) and
 * after each command. */
#define RUN_PENDING (-1000)
struct run_log_entry {
	const char *const *argv;
	int status;               /* RUN_PENDING, exit status or -1 */
	bool dry_run;
	bool timed_out;
	int64_t ms;
	const char *errtext;      /* stderr (after) */
};
typedef void (*run_log_fn)(const struct run_log_entry *ent, void *arg);
void run_set_logger(run_log_fn fn, void *arg);

/* Render argv as one shell-quoted line ("mount -o a,b /dev/x '/mnt/a b'"). */
char *run_argv_line(const char *const argv[]);

#endif
