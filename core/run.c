/* cistern — the one command runner. */
#include "run.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"

extern char **environ;

static bool dry_run;
static run_log_fn logger;
static void *logger_arg;

void
run_set_dry_run(bool on)
{
	dry_run = on;
}

bool
run_dry_run(void)
{
	return dry_run;
}

void
run_set_logger(run_log_fn fn, void *arg)
{
	logger = fn;
	logger_arg = arg;
}

static bool
needs_quote(const char *s)
{
	if (*s == '\0')
		return true;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && strchr("-_./=:,+@%^", c) == NULL)
			return true;
	}
	return false;
}

char *
run_argv_line(const char *const argv[])
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; argv[i] != NULL; i++) {
		const char *a = argv[i];
		if (i > 0)
			sbuf_addc(&b, ' ');
		if (!needs_quote(a)) {
			sbuf_add(&b, a);
			continue;
		}
		sbuf_addc(&b, '\'');
		for (; *a != '\0'; a++) {
			if (*a == '\'')
				sbuf_add(&b, "'\\''");
			else
				sbuf_addc(&b, *a);
		}
		sbuf_addc(&b, '\'');
	}
	return sbuf_take(&b);
}

bool
run_have(const char *prog)
{
	const char *path = getenv("PATH");
	char *copy, *save = NULL;
	bool found = false;

	if (strchr(prog, '/') != NULL)
		return access(prog, X_OK) == 0;
	copy = xstrdup(path ? path : "/usr/sbin:/usr/bin:/sbin:/bin");
	for (char *d = strtok_r(copy, ":", &save); d && !found;
	     d = strtok_r(NULL, ":", &save)) {
		char *full = path_join(d, prog);
		struct stat st;
		found = stat(full, &st) == 0 && S_ISREG(st.st_mode) &&
			access(full, X_OK) == 0;
		free(full);
	}
	free(copy);
	return found;
}

pid_t
run_reap(pid_t pid, int *status)
{
	pid_t w;

	while ((w = waitpid(pid, status, 0)) < 0 && errno == EINTR)
		;
	return w;
}

void
run_result_free(struct run_result *r)
{
	if (r == NULL)
		return;
	free(r->out);
	free(r->errtext);
	memset(r, 0, sizeof(*r));
}

static void
log_entry(const char *const argv[], int status, bool timed_out, int64_t ms,
	  const char *errtext)
{
	struct run_log_entry ent = {
		.argv = argv, .status = status, .dry_run = dry_run,
		.timed_out = timed_out, .ms = ms, .errtext = errtext,
	};

	if (logger != NULL)
		logger(&ent, logger_arg);
}

/* Build the child's environment: ours, LC_ALL=C unless kept, plus extras. */
static char **
child_env(const struct run_opts *o)
{
	char **env = NULL;
	size_t n = 0;

	for (char **p = environ; p && *p; p++) {
		if (!o->keep_locale && (str_startswith(*p, "LC_ALL=") ||
					str_startswith(*p, "LANGUAGE=")))
			continue;
		strv_push(&env, &n, *p);
	}
	if (!o->keep_locale)
		strv_push(&env, &n, "LC_ALL=C");
	for (size_t i = 0; o->env && o->env[i]; i++)
		strv_push(&env, &n, o->env[i]);
	if (env == NULL)
		env = xcalloc(1, sizeof(*env));
	return env;
}

/* Append what is readable on fd to buf; returns 0 at EOF, 1 otherwise. */
static int
drain(int fd, char **buf, size_t *len, size_t *cap)
{
	for (;;) {
		if (*len + 4096 + 1 > *cap) {
			*cap = *cap ? *cap * 2 : 8192;
			*buf = xrealloc(*buf, *cap);
			/* terminated even when the first read finds the end */
			(*buf)[*len] = '\0';
		}
		ssize_t n = read(fd, *buf + *len, *cap - *len - 1);
		if (n > 0) {
			*len += (size_t)n;
			(*buf)[*len] = '\0';
			continue;
		}
		if (n == 0)
			return 0;
		if (errno == EINTR)
			continue;
		return 1;   /* EAGAIN */
	}
}

static void
kill_group(pid_t pid, int sig)
{
	if (kill(-pid, sig) < 0)
		kill(pid, sig);
}

/* First line of stderr, trimmed, for the one-line message. */
static void
stderr_summary(const char *text, char *out, size_t n)
{
	const char *s = text ? text : "";
	const char *best = NULL;
	size_t best_len = 0;

	/* the last non-empty line usually says what went wrong */
	while (*s != '\0') {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		const char *t = s;
		size_t tl = len;
		while (tl > 0 && (*t == ' ' || *t == '\t')) {
			t++;
			tl--;
		}
		while (tl > 0 && (t[tl - 1] == ' ' || t[tl - 1] == '\r'))
			tl--;
		if (tl > 0 && best == NULL) {
			best = t;
			best_len = tl;
		}
		s += len;
		if (*s == '\n')
			s++;
	}
	if (best == NULL)
		snprintf(out, n, "%s", "");
	else
		snprintf(out, n, "%.*s", (int)best_len, best);
}

/* Turn a finished command's result into an error, or 0 when it succeeded. */
static int
result_error(const char *const argv[], const struct run_opts *o,
	     const struct run_result *r, int exec_errno, bool cancelled,
	     int timeout, struct err *e)
{
	if (exec_errno != 0) {
		err_errno(e, exec_errno, "cannot run %s", argv[0]);
		err_set_tool(e, argv, r->errtext, r->status);
		return -1;
	}
	if (cancelled) {
		err_setc(e, ERR_CANCELLED, "%s cancelled", argv[0]);
		err_set_tool(e, argv, r->errtext, r->status);
		return -1;
	}
	if (r->timed_out) {
		err_setc(e, ERR_TOOL, "%s timed out after %.1f s", argv[0],
			 timeout / 1000.0);
		err_set_tool(e, argv, r->errtext, -1);
		return -1;
	}
	if (r->status != 0 && !(o->ok_any_status && r->status > 0)) {
		char summary[512];
		stderr_summary(r->errtext, summary, sizeof(summary));
		if (r->signal)
			err_setc(e, ERR_TOOL, "%s killed by signal %d%s%s",
				 argv[0], r->signal, summary[0] ? ": " : "",
				 summary);
		else
			err_setc(e, ERR_TOOL, "%s failed (exit %d)%s%s", argv[0],
				 r->status, summary[0] ? ": " : "", summary);
		err_set_tool(e, argv, r->errtext, r->status);
		return -1;
	}
	return 0;
}

/* A tool that owns the terminal for a while (an editor). */
static int
run_interactive(const char *const argv[], struct run_result *r, struct err *e)
{
	int64_t start = now_ms();
	int status = 0;
	pid_t pid = fork();

	if (pid < 0)
		return err_errno(e, errno, "cannot start %s", argv[0]);
	if (pid == 0) {
		signal(SIGINT, SIG_DFL);
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	run_reap(pid, &status);
	r->ms = now_ms() - start;
	r->status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
	r->out = xstrdup("");
	r->errtext = xstrdup("");
	log_entry(argv, r->status, false, r->ms, "");
	if (r->status != 0) {
		err_setc(e, ERR_TOOL, "%s failed (exit %d)", argv[0], r->status);
		err_set_tool(e, argv, "", r->status);
		return -1;
	}
	return 0;
}

int
run_argv(const char *const argv[], const struct run_opts *opts,
	 struct run_result *res, struct err *e)
{
	struct run_opts o0 = { 0 };
	const struct run_opts *o = opts ? opts : &o0;
	struct run_result local = { 0 };
	struct run_result *r = res ? res : &local;
	int outp[2] = { -1, -1 }, errp[2] = { -1, -1 }, inp[2] = { -1, -1 };
	int execp[2] = { -1, -1 };
	int timeout = o->timeout_ms > 0 ? o->timeout_ms : RUN_TIMEOUT_DEFAULT_MS;
	size_t outcap = 0, errcap = 0, inoff = 0;
	char **env = NULL;
	int64_t start = now_ms(), kill_at = -1;
	bool cancelled = false, exited = false;
	int64_t exited_at = 0;
	int exec_errno = 0;
	pid_t pid;
	int status = 0;

	memset(r, 0, sizeof(*r));
	r->status = -1;
	if (argv == NULL || argv[0] == NULL)
		return err_set(e, "empty command");

	if (dry_run) {
		log_entry(argv, RUN_PENDING, false, 0, NULL);
		r->dry_run = true;
		r->status = 0;
		r->out = xstrdup("");
		r->errtext = xstrdup("");
		log_entry(argv, 0, false, 0, "");
		if (r == &local)
			run_result_free(&local);
		return 0;
	}
	if (!run_have(argv[0])) {
		log_entry(argv, RUN_PENDING, false, 0, NULL);
		log_entry(argv, 127, false, 0, "command not found");
		err_setc(e, ERR_TOOL,
			 "%s is not installed (command not found in PATH)",
			 argv[0]);
		err_set_tool(e, argv, "command not found", 127);
		r->status = 127;
		if (r == &local)
			run_result_free(&local);
		return -1;
	}

	log_entry(argv, RUN_PENDING, false, 0, NULL);
	if (o->interactive) {
		int rc = run_interactive(argv, r, e);
		if (r == &local)
			run_result_free(&local);
		return rc;
	}
	if ((o->stdout_fd <= 0 && pipe2(outp, O_CLOEXEC) < 0) ||
	    pipe2(errp, O_CLOEXEC) < 0 || pipe2(execp, O_CLOEXEC) < 0 ||
	    (o->input != NULL && pipe2(inp, O_CLOEXEC) < 0)) {
		err_errno(e, errno, "cannot create pipes for %s", argv[0]);
		goto fail_early;
	}
	env = child_env(o);
	pid = fork();
	if (pid < 0) {
		err_errno(e, errno, "cannot start %s", argv[0]);
		goto fail_early;
	}
	if (pid == 0) {
		int in;
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (o->input != NULL)
			in = inp[0];
		else if (o->stdin_fd > 0)
			in = o->stdin_fd;
		else
			in = open("/dev/null", O_RDONLY);
		if (in < 0 || dup2(in, 0) < 0 ||
		    dup2(o->stdout_fd > 0 ? o->stdout_fd : outp[1], 1) < 0 ||
		    dup2(errp[1], 2) < 0)
			goto child_fail;
		execvpe(argv[0], (char *const *)argv, env);
child_fail:;
		int err = errno;
		if (write(execp[1], &err, sizeof(err)) < 0) {
			/* nothing more we can do */
		}
		_exit(127);
	}
	setpgid(pid, pid);
	strv_free(env);
	env = NULL;
	close(execp[1]);
	execp[1] = -1;
	if (outp[1] >= 0) {
		close(outp[1]);
		outp[1] = -1;
	}
	close(errp[1]);
	errp[1] = -1;
	if (inp[0] >= 0) {
		close(inp[0]);
		inp[0] = -1;
	}
	if (outp[0] >= 0)
		fcntl(outp[0], F_SETFL, O_NONBLOCK);
	fcntl(errp[0], F_SETFL, O_NONBLOCK);
	if (inp[1] >= 0) {
		fcntl(inp[1], F_SETFL, O_NONBLOCK);
		signal(SIGPIPE, SIG_IGN);
	}

	/* Read until the pipes close; stop waiting for them shortly after the
	 * tool itself exits, since a daemon it forked (a FUSE helper) may
	 * keep them open for ever. */
	for (;;) {
		struct pollfd pf[3];
		int npf = 0, iout = -1, ierr = -1, iin = -1;
		int64_t now = now_ms();

		if (!exited) {
			pid_t w = waitpid(pid, &status, WNOHANG);
			if (w == pid || (w < 0 && errno != EINTR)) {
				exited = true;
				exited_at = now;
			}
		}
		if (exited && (now - exited_at > 200 ||
			       (outp[0] < 0 && errp[0] < 0)))
			break;
		if (outp[0] >= 0) {
			iout = npf;
			pf[npf++] = (struct pollfd){ .fd = outp[0], .events = POLLIN };
		}
		if (errp[0] >= 0) {
			ierr = npf;
			pf[npf++] = (struct pollfd){ .fd = errp[0], .events = POLLIN };
		}
		if (inp[1] >= 0) {
			iin = npf;
			pf[npf++] = (struct pollfd){ .fd = inp[1], .events = POLLOUT };
		}
		if (!exited && kill_at < 0 && now - start >= timeout) {
			r->timed_out = true;
			kill_group(pid, SIGTERM);
			kill_at = now + 2000;
		}
		if (!exited && kill_at < 0 && job_cancelled(o->job)) {
			cancelled = true;
			kill_group(pid, SIGTERM);
			kill_at = now + 2000;
		}
		if (!exited && kill_at >= 0 && now >= kill_at) {
			kill_group(pid, SIGKILL);
			kill_at = now + 1000000;
		}
		if (npf == 0) {
			usleep(2000);
			continue;
		}
		if (poll(pf, (nfds_t)npf, exited ? 20 : 50) < 0 && errno != EINTR)
			break;
		if (iout >= 0 && (pf[iout].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    drain(outp[0], &r->out, &r->out_len, &outcap) == 0) {
			close(outp[0]);
			outp[0] = -1;
		}
		if (ierr >= 0 && (pf[ierr].revents & (POLLIN | POLLHUP | POLLERR)) &&
		    drain(errp[0], &r->errtext, &r->err_len, &errcap) == 0) {
			close(errp[0]);
			errp[0] = -1;
		}
		if (iin >= 0 && (pf[iin].revents & (POLLOUT | POLLERR | POLLHUP))) {
			ssize_t w = 0;
			if (!(pf[iin].revents & (POLLERR | POLLHUP)))
				w = write(inp[1], o->input + inoff,
					  o->input_len - inoff);
			if (w > 0)
				inoff += (size_t)w;
			if (w < 0 && errno != EAGAIN && errno != EINTR)
				inoff = o->input_len;
			if ((pf[iin].revents & (POLLERR | POLLHUP)) ||
			    inoff >= o->input_len) {
				close(inp[1]);
				inp[1] = -1;
			}
		}
	}
	if (outp[0] >= 0) {
		drain(outp[0], &r->out, &r->out_len, &outcap);
		close(outp[0]);
		outp[0] = -1;
	}
	if (errp[0] >= 0) {
		drain(errp[0], &r->errtext, &r->err_len, &errcap);
		close(errp[0]);
		errp[0] = -1;
	}
	if (inp[1] >= 0) {
		close(inp[1]);
		inp[1] = -1;
	}
	if (read(execp[0], &exec_errno, sizeof(exec_errno)) != sizeof(exec_errno))
		exec_errno = 0;
	close(execp[0]);
	r->ms = now_ms() - start;
	if (r->out == NULL)
		r->out = xstrdup("");
	if (r->errtext == NULL)
		r->errtext = xstrdup("");
	if (WIFEXITED(status)) {
		r->status = WEXITSTATUS(status);
	} else if (WIFSIGNALED(status)) {
		r->status = -1;
		r->signal = WTERMSIG(status);
	}
	log_entry(argv, r->status, r->timed_out, r->ms, r->errtext);

	if (result_error(argv, o, r, exec_errno, cancelled, timeout, e) < 0)
		goto fail;
	if (r == &local)
		run_result_free(&local);
	return 0;

fail_early:
	strv_free(env);
	for (int i = 0; i < 2; i++) {
		if (outp[i] >= 0) close(outp[i]);
		if (errp[i] >= 0) close(errp[i]);
		if (inp[i] >= 0) close(inp[i]);
		if (execp[i] >= 0) close(execp[i]);
	}
	log_entry(argv, -1, false, 0, e ? e->msg : "");
fail:
	if (r == &local)
		run_result_free(&local);
	return -1;
}

int
run_simple(const char *const argv[], struct err *e)
{
	return run_argv(argv, NULL, NULL, e);
}

/* One command of run_argv_all. Its output goes to memory files, so
 * nothing has to be drained while the others run. */
struct par_child {
	pid_t pid;
	int pidfd;              /* -1: poll by waitpid */
	int outfd, errfd;       /* memfds */
	int execfd;             /* read end of the exec-error pipe */
	int status;
	bool exited, cancelled;
	int64_t kill_at;
};

/* Read a memory file written by a child into a NUL-terminated string. */
static char *
memfd_slurp(int fd, size_t *len)
{
	char *buf = NULL;
	size_t n = 0, cap = 0;

	if (fd >= 0 && lseek(fd, 0, SEEK_SET) == 0) {
		for (;;) {
			if (n + 4096 + 1 > cap) {
				cap = cap ? cap * 2 : 8192;
				buf = xrealloc(buf, cap);
			}
			size_t want = cap - n - 1;
			ssize_t r = fd_read_full(fd, buf + n, want, -1);
			if (r <= 0)
				break;
			n += (size_t)r;
			if ((size_t)r < want)   /* its end */
				break;
		}
	}
	if (buf == NULL)
		buf = xmalloc(1);
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* Start one child of run_argv_all with stdout/stderr in memory files. */
static int
par_start(struct par_child *c, const char *const argv[], char **env,
	  struct err *e)
{
	int execp[2] = { -1, -1 };

	c->outfd = memfd_create("cistern-out", MFD_CLOEXEC);
	c->errfd = memfd_create("cistern-err", MFD_CLOEXEC);
	if (c->outfd < 0 || c->errfd < 0 || pipe2(execp, O_CLOEXEC) < 0)
		return err_errno(e, errno, "cannot prepare to run %s", argv[0]);
	c->pid = fork();
	if (c->pid < 0) {
		close(execp[0]);
		close(execp[1]);
		return err_errno(e, errno, "cannot start %s", argv[0]);
	}
	if (c->pid == 0) {
		int in = open("/dev/null", O_RDONLY);
		setpgid(0, 0);
		signal(SIGPIPE, SIG_DFL);
		signal(SIGINT, SIG_DFL);
		signal(SIGTERM, SIG_DFL);
		signal(SIGHUP, SIG_DFL);
		if (in >= 0 && dup2(in, 0) >= 0 && dup2(c->outfd, 1) >= 0 &&
		    dup2(c->errfd, 2) >= 0)
			execvpe(argv[0], (char *const *)argv, env);
		int err = errno;
		if (write(execp[1], &err, sizeof(err)) < 0) {
			/* nothing more we can do */
		}
		_exit(127);
	}
	setpgid(c->pid, c->pid);
	close(execp[1]);
	c->execfd = execp[0];
	c->pidfd = (int)syscall(SYS_pidfd_open, c->pid, 0);
	return 0;
}

/* Reap, time out and cancel the children until every one has exited. */
static void
par_wait(struct par_child *cs, size_t n, const struct run_opts *o,
	 int timeout, int64_t start, struct run_result r[])
{
	for (;;) {
		struct pollfd pf[16];
		nfds_t npf = 0;
		size_t running = 0;
		bool polling = true;
		int64_t now = now_ms();

		for (size_t i = 0; i < n; i++) {
			struct par_child *c = &cs[i];
			if (c->exited || c->pid <= 0)
				continue;
			pid_t w = waitpid(c->pid, &c->status, WNOHANG);
			if (w == c->pid || (w < 0 && errno != EINTR)) {
				c->exited = true;
				continue;
			}
			running++;
			if (c->kill_at < 0 && now - start >= timeout) {
				r[i].timed_out = true;
				kill_group(c->pid, SIGTERM);
				c->kill_at = now + 2000;
			}
			if (c->kill_at < 0 && job_cancelled(o->job)) {
				c->cancelled = true;
				kill_group(c->pid, SIGTERM);
				c->kill_at = now + 2000;
			}
			if (c->kill_at >= 0 && now >= c->kill_at) {
				kill_group(c->pid, SIGKILL);
				c->kill_at = now + 1000000;
			}
			if (c->pidfd >= 0 && npf < ARRAY_SIZE(pf))
				pf[npf++] = (struct pollfd){ .fd = c->pidfd,
							     .events = POLLIN };
			else
				polling = false;
		}
		if (running == 0)
			return;
		if (poll(polling ? pf : NULL, polling ? npf : 0,
			 polling ? 50 : 2) < 0 && errno != EINTR)
			usleep(2000);
	}
}

int
run_argv_all(const char *const *const argvs[], size_t n,
	     const struct run_opts *opts, struct run_result r[], struct err *e)
{
	struct run_opts o0 = { 0 };
	const struct run_opts *o = opts ? opts : &o0;
	int timeout = o->timeout_ms > 0 ? o->timeout_ms : RUN_TIMEOUT_DEFAULT_MS;
	struct par_child *cs;
	char **env;
	int64_t start = now_ms();
	int rc = 0;

	for (size_t i = 0; i < n; i++) {
		memset(&r[i], 0, sizeof(r[i]));
		r[i].status = -1;
	}
	if (dry_run || o->input != NULL || o->stdin_fd > 0 ||
	    o->stdout_fd > 0 || o->interactive || n == 1) {
		/* nothing to overlap: one after another */
		for (size_t i = 0; i < n; i++) {
			struct err le;
			err_init(&le);
			if (run_argv(argvs[i], o, &r[i], &le) < 0 && rc == 0) {
				if (e != NULL)
					err_move(e, &le);
				rc = -1;
			}
			err_clear(&le);
		}
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		if (!run_have(argvs[i][0]))
			return run_argv(argvs[i], o, &r[i], e);

	cs = xcalloc(n, sizeof(*cs));
	env = child_env(o);
	for (size_t i = 0; i < n; i++) {
		cs[i] = (struct par_child){ .pid = -1, .pidfd = -1, .outfd = -1,
					    .errfd = -1, .execfd = -1,
					    .kill_at = -1 };
		log_entry(argvs[i], RUN_PENDING, false, 0, NULL);
		if (rc == 0 && par_start(&cs[i], argvs[i], env, e) < 0) {
			rc = -1;
			/* stop what already runs; it is reaped below */
			for (size_t k = 0; k < i; k++)
				kill_group(cs[k].pid, SIGKILL);
		}
	}
	strv_free(env);
	par_wait(cs, n, o, timeout, start, r);

	for (size_t i = 0; i < n; i++) {
		struct par_child *c = &cs[i];
		struct err le;
		int exec_errno = 0;

		r[i].ms = now_ms() - start;
		r[i].out = memfd_slurp(c->outfd, &r[i].out_len);
		r[i].errtext = memfd_slurp(c->errfd, &r[i].err_len);
		if (c->execfd >= 0 &&
		    read(c->execfd, &exec_errno, sizeof(exec_errno)) !=
		    sizeof(exec_errno))
			exec_errno = 0;
		if (c->exited && WIFEXITED(c->status)) {
			r[i].status = WEXITSTATUS(c->status);
		} else if (c->exited && WIFSIGNALED(c->status)) {
			r[i].status = -1;
			r[i].signal = WTERMSIG(c->status);
		}
		log_entry(argvs[i], r[i].status, r[i].timed_out, r[i].ms,
			  r[i].errtext);
		err_init(&le);
		if (c->pid > 0 &&
		    result_error(argvs[i], o, &r[i], exec_errno, c->cancelled,
				 timeout, &le) < 0 && rc == 0) {
			if (e != NULL)
				err_move(e, &le);
			rc = -1;
		}
		err_clear(&le);
		if (c->outfd >= 0) close(c->outfd);
		if (c->errfd >= 0) close(c->errfd);
		if (c->execfd >= 0) close(c->execfd);
		if (c->pidfd >= 0) close(c->pidfd);
	}
	free(cs);
	return rc;
}
