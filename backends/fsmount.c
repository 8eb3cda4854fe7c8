/* cistern — mounting fs and netfs pools. */
#include "fsmount.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <stddef.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../core/mounts.h"
#include "../core/run.h"
#include "../core/util.h"
#include "filevol.h"

/* What the statvfs process sends back: its pid, then the result. */
struct statvfs_answer {
	pid_t pid;
	int err;
	struct statvfs sv;
};

/* libvirt's default mount options on Linux. */
#define DEFAULT_MOUNT_OPTS "nodev,nosuid,noexec"

/* The pool's source format, "auto" when none. */
static const char *
format_of(const struct pool_def *d)
{
	return d->source.format != NULL ? d->source.format : "auto";
}

/* What the pool mounts. */
char *
fsmount_source(const struct pool_def *d)
{
	const char *host;

	if (d->type != POOL_NETFS)
		return xstrdup(d->source.ndevices > 0 ?
			       d->source.devices[0].path : "");
	host = d->source.nhosts > 0 ? d->source.hosts[0].name : "";
	if (strcmp(format_of(d), "cifs") == 0)
		return xasprintf("//%s/%s", host, d->source.dir);
	return xasprintf("%s:%s", host, d->source.dir);
}

/* The mount command of a pool. */
char **
fsmount_argv(const struct pool_def *d)
{
	const char *fmt = format_of(d);
	bool net = d->type == POOL_NETFS;
	const char *extra = NULL;
	char *nfsvers = NULL, *src;
	char **argv = NULL;
	size_t n = 0;
	struct sbuf o;

	if (net && d->source.protocol_ver != NULL)
		nfsvers = xasprintf("nfsvers=%s", d->source.protocol_ver);
	if (net && strcmp(fmt, "glusterfs") == 0)
		extra = "direct-io-mode=1";
	else if (net && strcmp(fmt, "cifs") == 0)
		extra = "guest";
	else
		extra = nfsvers;
	sbuf_init(&o);
	sbuf_add(&o, DEFAULT_MOUNT_OPTS);
	if (extra != NULL)
		sbuf_printf(&o, ",%s", extra);
	for (size_t i = 0; i < d->nmount_opts; i++)
		sbuf_printf(&o, ",%s", d->mount_opts[i]);
	strv_push(&argv, &n, "mount");
	strv_push(&argv, &n, "-o");
	strv_push(&argv, &n, o.s);
	/* plain mount finds nfs by itself where "-t auto" does not */
	if (!(net && strcmp(fmt, "auto") == 0)) {
		strv_push(&argv, &n, "-t");
		strv_push(&argv, &n, fmt);
	}
	src = fsmount_source(d);
	strv_push(&argv, &n, src);
	strv_push(&argv, &n, d->target_path);
	free(src);
	free(nfsvers);
	sbuf_free(&o);
	return argv;
}

/* HOST:DIR with one leading slash on DIR and none trailing. */
static char *
net_normal(const char *s)
{
	const char *colon = strchr(s, ':');
	char *dir, *out;

	if (colon == NULL || str_startswith(s, "//"))
		return path_sanitize(s);
	dir = xasprintf("/%s", colon + 1);
	out = path_sanitize(dir);
	free(dir);
	dir = xasprintf("%.*s:%s", (int)(colon - s), s, out);
	free(out);
	return dir;
}

/* Is what the mount table shows at the target the pool's source? */
static bool
same_source(const struct pool_def *d, const char *want, const char *have)
{
	struct stat a, b;
	char ra[PATH_MAX], rb[PATH_MAX];

	if (have == NULL)
		return false;
	if (strcmp(want, have) == 0)
		return true;
	if (d->type == POOL_NETFS) {
		char *x = net_normal(want), *y = net_normal(have);
		bool same = strcmp(x, y) == 0;
		free(x);
		free(y);
		return same;
	}
	/* a device named by a link (/dev/disk/by-uuid/...) */
	if (stat(want, &a) == 0 && stat(have, &b) == 0 &&
	    S_ISBLK(a.st_mode) && S_ISBLK(b.st_mode))
		return a.st_rdev == b.st_rdev;
	return realpath(want, ra) != NULL && realpath(have, rb) != NULL &&
	       strcmp(ra, rb) == 0;
}

/* Is the target mounted, and from the pool's source? */
int
fsmount_state(const struct pool_def *d, struct err *e)
{
	char *src = NULL, *fstype = NULL, *want;
	int rc;

	if (!mounts_find_target(d->target_path, &src, &fstype))
		return 0;
	want = fsmount_source(d);
	if (same_source(d, want, src)) {
		rc = 1;
	} else {
		rc = err_setc(e, ERR_BUSY,
			      "'%s' is already a mount point (of '%s', %s), "
			      "not of '%s'", d->target_path, src ? src : "?",
			      fstype ? fstype : "?", want);
	}
	free(want);
	free(src);
	free(fstype);
	return rc;
}

/* Mount the pool's filesystem on its target. */
int
fsmount_mount(struct pool *p, struct err *e)
{
	const struct pool_def *d = p->def;
	struct run_opts o = { .timeout_ms = FSMOUNT_TIMEOUT_MS };
	struct stat st;
	char **argv;
	int rc;

	if (!run_dry_run()) {
		rc = fsmount_state(d, e);
		if (rc != 0)
			return rc > 0 ? 0 : -1;   /* mounted already: fine */
		if (stat(d->target_path, &st) < 0 || !S_ISDIR(st.st_mode))
			return err_setc(e, ERR_NOT_FOUND,
					"target directory '%s' does not exist "
					"(build the pool first)",
					d->target_path);
		if (d->type == POOL_FS && d->source.ndevices > 0 &&
		    stat(d->source.devices[0].path, &st) < 0)
			return err_errno(e, errno, "source device '%s'",
					 d->source.devices[0].path);
	}
	argv = fsmount_argv(d);
	rc = run_argv((const char *const *)argv, &o, NULL, e);
	strv_free(argv);
	if (rc < 0 || run_dry_run())
		return rc;
	rc = fsmount_state(d, e);
	if (rc < 0)
		return -1;
	if (rc == 0) {
		char *src = fsmount_source(d);
		err_setc(e, ERR_GENERIC, "mount reported success, but '%s' is "
			 "not mounted from '%s'", d->target_path, src);
		free(src);
		return -1;
	}
	return 0;
}

/* Unmount the pool's target. */
int
fsmount_unmount(struct pool *p, bool lazy, struct err *e)
{
	const struct pool_def *d = p->def;
	struct run_opts o = { .timeout_ms = FSMOUNT_TIMEOUT_MS };
	const char *argv[4];
	size_t n = 0;
	struct err se;
	int rc;

	if (!run_dry_run()) {
		err_init(&se);
		rc = fsmount_state(d, &se);
		err_clear(&se);
		/* nothing mounted, or someone else's mount: leave it */
		if (rc <= 0)
			return 0;
	}
	argv[n++] = "umount";
	if (lazy)
		argv[n++] = "-l";
	argv[n++] = d->target_path;
	argv[n] = NULL;
	if (run_argv(argv, &o, NULL, e) < 0) {
		if (!lazy && d->type == POOL_NETFS)
			err_prefix(e, "(if the server is gone, 'pool-destroy "
				   "--lazy' detaches the mount lazily)");
		return -1;
	}
	if (run_dry_run())
		return 0;
	err_init(&se);
	rc = fsmount_state(d, &se);
	err_clear(&se);
	if (rc == 1)
		return err_setc(e, ERR_BUSY, "'%s' is still mounted after "
				"umount", d->target_path);
	return 0;
}

/* The process that asks: fd 3 is the answer pipe, nothing else of ours
 * stays open (a child stuck on a dead server must not hold our output,
 * which a pipe reader would wait for, nor a pool lock). */
static void __attribute__((noreturn))
statvfs_child(const char *path, int wfd)
{
	struct statvfs_answer r;
	int nul = open("/dev/null", O_RDWR);

	if ((wfd != 3 && dup2(wfd, 3) < 0) || nul < 0 || dup2(nul, 0) < 0 ||
	    dup2(nul, 1) < 0 || dup2(nul, 2) < 0)
		_exit(1);
	close_range(4, ~0u, 0);
	memset(&r, 0, sizeof(r));
	r.pid = getpid();
	/* the pid first, so a stuck process can be killed */
	if (write(3, &r.pid, sizeof(r.pid)) < 0)
		_exit(1);
	r.err = statvfs(path, &r.sv) < 0 ? errno : 0;
	if (write(3, (const char *)&r + offsetof(struct statvfs_answer, err),
		  sizeof(r) - offsetof(struct statvfs_answer, err)) < 0)
		_exit(1);
	_exit(0);
}

/* Read into buf until `len` bytes or the deadline. */
static size_t
read_until(int fd, void *buf, size_t len, int64_t deadline)
{
	struct pollfd pf = { .fd = fd, .events = POLLIN };
	size_t got = 0;

	while (got < len) {
		int64_t left = deadline - now_ms();
		int pr;
		ssize_t n;

		if (left <= 0)
			break;
		pr = poll(&pf, 1, (int)left);
		if (pr < 0 && errno == EINTR)
			continue;
		if (pr <= 0)
			break;
		n = read(fd, (char *)buf + got, len - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	return got;
}

/* statvfs that gives up after a timeout. */
int
fsmount_statvfs(const char *path, int timeout_ms, struct statvfs *sv,
		struct err *e)
{
	struct statvfs_answer r;
	int64_t deadline = now_ms() + timeout_ms;
	int pfd[2], status;
	size_t got;
	pid_t pid;

	if (pipe2(pfd, O_CLOEXEC) < 0)
		return err_errno(e, errno, "cannot create a pipe");
	/* twice: the process that does the statvfs belongs to init at once,
	 * so one stuck for ever is never our zombie */
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return err_errno(e, errno, "cannot fork");
	}
	if (pid == 0) {
		pid_t gc = fork();
		if (gc == 0)
			statvfs_child(path, pfd[1]);
		_exit(gc < 0 ? 1 : 0);
	}
	close(pfd[1]);
	run_reap(pid, &status);
	memset(&r, 0, sizeof(r));
	got = read_until(pfd[0], &r, sizeof(r), deadline);
	close(pfd[0]);
	if (got < sizeof(r)) {
		/* stuck in the kernel on a dead server: kill it, never wait */
		if (got >= sizeof(r.pid) && r.pid > 0)
			kill(r.pid, SIGKILL);
		if (got == 0 && (!WIFEXITED(status) ||
				 WEXITSTATUS(status) != 0))
			return err_setc(e, ERR_GENERIC, "cannot start a "
					"process to stat '%s'", path);
		return err_setc(e, ERR_BUSY, "'%s' did not answer within "
				"%g s (is the server gone? 'pool-destroy "
				"--lazy' detaches it)", path,
				timeout_ms / 1000.0);
	}
	if (r.err != 0)
		return err_errno(e, r.err, "cannot stat the filesystem of '%s'",
				 path);
	*sv = r.sv;
	return 0;
}

#define FACT_TARGET_CREATED "target-created"

/* Make the target directory; remember whether it was made now. */
int
fsmount_build_target(struct pool *p, unsigned flags, struct job *j,
		     struct err *e)
{
	bool created = false;

	(void)flags;
	(void)j;
	if (filevol_build_target(p, &created, e) < 0)
		return -1;
	pool_set_fact(p, FACT_TARGET_CREATED, created ? "1" : NULL);
	return 0;
}

/* Mount (an already mounted target is recognised); a failed
 * pool-start --build takes away the directory it just made. */
int
fsmount_pool_start(struct pool *p, unsigned flags, struct job *j,
		   struct err *e)
{
	bool made = pool_fact(p, FACT_TARGET_CREATED) != NULL;
	int rc;

	(void)j;
	pool_set_fact(p, FACT_TARGET_CREATED, NULL);
	rc = fsmount_mount(p, e);
	if (rc < 0 && made && (flags & POOL_START_BUILD) && !run_dry_run())
		rmdir(p->def->target_path);
	return rc;
}

/* Unmount (lazily when asked: a network server may be gone). */
int
fsmount_pool_stop(struct pool *p, unsigned flags, struct err *e)
{
	return fsmount_unmount(p, (flags & POOL_STOP_LAZY) != 0, e);
}

/* Remove the (empty) mount point directory. */
int
fsmount_pool_delete(struct pool *p, unsigned flags, struct job *j,
		    struct err *e)
{
	(void)flags;
	(void)j;
	return filevol_delete_target(p, e);
}

/* Running means the target is mounted from the pool's source. */
int
fsmount_pool_check(struct pool *p, bool *running, struct err *e)
{
	int st = fsmount_state(p->def, e);

	*running = st == 1;
	if (st == 0)
		err_setc(e, ERR_NOT_FOUND, "'%s' is not mounted",
			 p->def->target_path);
	return 0;
}

/* Sizes from statvfs (timed for a network mount), then the volumes. */
int
fsmount_pool_refresh(struct pool *p, struct job *j, struct err *e)
{
	struct statvfs sv;
	int st = fsmount_state(p->def, e);

	if (st < 0)
		return -1;
	if (st == 0)
		return err_setc(e, ERR_NOT_FOUND, "'%s' is not mounted",
				p->def->target_path);
	if (p->def->type == POOL_NETFS) {
		if (fsmount_statvfs(p->def->target_path,
				    FSMOUNT_STATVFS_TIMEOUT_MS, &sv, e) < 0)
			return -1;
	} else if (statvfs(p->def->target_path, &sv) < 0) {
		return err_errno(e, errno, "cannot stat the filesystem of '%s'",
				 p->def->target_path);
	}
	return filevol_refresh(p, &sv, j, e);
}
