/* cistern — file volumes: the pool's directory and the names in it.
 *
 * Volumes are opened relative to the pool's directory (openat) and never
 * through a symbolic link, so a link put in a pool cannot make a wipe,
 * an upload or a resize write somewhere else. The directory itself must
 * lead where it led when the pool was defined (core/store.h records it):
 * a target replaced by a link to /etc is refused, not written into.
 *
 * A new volume is made under a hidden name (FILEVOL_PARTIAL) and renamed
 * to its own only when complete: a create, clone or convert killed half
 * way leaves no volume that looks whole, and a refresh reports what it
 * left for cleanup.
 */
#include "filevol.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/store.h"
#include "../core/util.h"

/* Where an open directory is (the kernel's name for it). */
static char *
fd_path(int fd)
{
	char proc[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	n = readlink(proc, buf, sizeof(buf) - 1);
	if (n <= 0)
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

int
filevol_dir_open(struct pool *p, struct err *e)
{
	const char *dir = p->def->target_path;
	struct store *s = p->owner ? &p->owner->store : NULL;
	char *now, *want;
	int dfd;

	if (dir == NULL)
		return err_setc(e, ERR_INVALID, "pool '%s' has no target "
				"directory", p->def->name);
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return err_errno(e, errno, "cannot open the pool's directory "
				 "'%s'", dir);
	now = fd_path(dfd);
	if (now == NULL) {
		close(dfd);
		return err_errno(e, errno, "cannot tell where '%s' leads", dir);
	}
	want = s ? store_target_get(s, p->def->name) : NULL;
	if (want == NULL) {
		/* nothing recorded (the target was made after the pool was
		 * defined, or by an older cistern): this first use records */
		if (s != NULL)
			store_target_set(s, p->def->name, now, NULL);
		want = xstrdup(s ? now : dir);
	}
	if (strcmp(now, want) != 0) {
		err_setc(e, ERR_REFUSED, "its target '%s' now leads to '%s', "
			 "not to '%s' as when the pool was defined; refused "
			 "(define the pool again if this is meant)", dir, now,
			 want);
		close(dfd);
		dfd = -1;
	}
	free(now);
	free(want);
	return dfd;
}

/* The file name of a volume inside its pool's directory. */
static const char *
vol_file(const struct vol_def *v, struct err *e)
{
	if (v->name == NULL || v->name[0] == '\0' || v->name[0] == '.' ||
	    strchr(v->name, '/') != NULL)
		return err_setc(e, ERR_INVALID, "'%s' is not a volume file "
				"name", v->name ? v->name : ""), NULL;
	return v->name;
}

int
filevol_vol_open(const struct vol_def *v, int dfd, int flags, struct err *e)
{
	const char *name = vol_file(v, e);
	struct stat st;
	int fd;

	if (name == NULL)
		return -1;
	/* O_NONBLOCK: a FIFO in the volume's place must not hang us */
	fd = openat(dfd, name, flags | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK |
		    O_NOCTTY);
	if (fd < 0) {
		if (errno == ELOOP)
			return err_setc(e, ERR_REFUSED, "volume '%s' is a "
					"symbolic link; cistern does not "
					"follow links inside a pool", name);
		return err_errno(e, errno, "cannot open '%s'",
				 v->target.path ? v->target.path : name);
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_setc(e, ERR_REFUSED, "volume '%s' is not a regular "
				"file", name);
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

int
filevol_vol_still(const struct vol_def *v, int dfd, int fd, struct err *e)
{
	struct stat a, b;
	const char *name = vol_file(v, e);

	if (name == NULL)
		return -1;
	if (fstat(fd, &a) < 0 ||
	    fstatat(dfd, name, &b, AT_SYMLINK_NOFOLLOW) < 0 ||
	    a.st_dev != b.st_dev || a.st_ino != b.st_ino)
		return err_setc(e, ERR_REFUSED, "volume '%s' was replaced "
				"while cistern worked on it; stopped", name);
	return 0;
}

int
filevol_vol_unlink(const struct vol_def *v, int dfd, struct err *e)
{
	const char *name = vol_file(v, e);
	int flags = v->type == VOL_DIR ? AT_REMOVEDIR : 0;

	if (name == NULL)
		return -1;
	/* unlinkat removes a link itself, never what it points to */
	if (unlinkat(dfd, name, flags) < 0 && errno != ENOENT)
		return err_errno(e, errno, "cannot delete '%s'",
				 v->target.path ? v->target.path : name);
	return 0;
}

/* A short random tag for a temporary name. */
static void
random_tag(char *out, size_t n)
{
	static const char set[] = "abcdefghijklmnopqrstuvwxyz0123456789";
	unsigned char r[16];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, r, sizeof(r)) != (ssize_t)sizeof(r)) {
		uint64_t x = (uint64_t)getpid() * 2654435761u ^
			     (uint64_t)(uintptr_t)out;
		for (size_t i = 0; i < sizeof(r); i++, x >>= 4)
			r[i] = (unsigned char)x;
	}
	if (fd >= 0)
		close(fd);
	for (size_t i = 0; i + 1 < n && i < sizeof(r); i++)
		out[i] = set[r[i] % (sizeof(set) - 1)];
	out[n - 1] = '\0';
}

bool
filevol_is_partial(const char *name)
{
	return strncmp(name, FILEVOL_PARTIAL, strlen(FILEVOL_PARTIAL)) == 0;
}

int
filevol_new_begin(struct pool *p, const struct vol_def *v,
		  struct filevol_new *n, struct err *e)
{
	const struct perms *pm = &v->target.perms;
	mode_t mode = pm->mode >= 0 ? (mode_t)pm->mode : 0600;
	const char *name = vol_file(v, e);
	struct stat st;
	char tag[7];

	memset(n, 0, sizeof(*n));
	n->dfd = n->fd = -1;
	if (name == NULL)
		return -1;
	n->name = name;
	if ((n->dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	if (fstatat(n->dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		err_setc(e, ERR_EXISTS, "'%s' already exists", v->target.path);
		goto fail;
	}
	/* the volume's name after the tag, cut to what a name can hold */
	for (int tries = 0; n->fd < 0; tries++) {
		random_tag(tag, sizeof(tag));
		snprintf(n->tmp, sizeof(n->tmp), "%s%s-%s", FILEVOL_PARTIAL,
			 tag, name);
		n->fd = openat(n->dfd, n->tmp, O_RDWR | O_CREAT | O_EXCL |
			       O_NOFOLLOW | O_CLOEXEC, mode);
		if (n->fd < 0 && (errno != EEXIST || tries > 20)) {
			err_errno(e, errno, "cannot create '%s'",
				  v->target.path);
			goto fail;
		}
	}
	/* held while the volume is made: a refresh tells a create in
	 * progress from the leftover of one that was killed */
	flock(n->fd, LOCK_EX);
	n->tmp_path = path_join(p->def->target_path, n->tmp);
	/* the umask may have taken bits away; the owner comes from the XML */
	if (fchmod(n->fd, mode) < 0 ||
	    ((pm->uid >= 0 || pm->gid >= 0) &&
	     fchown(n->fd, pm->uid >= 0 ? (uid_t)pm->uid : (uid_t)-1,
		    pm->gid >= 0 ? (gid_t)pm->gid : (gid_t)-1) < 0)) {
		err_errno(e, errno, "cannot set the owner or mode of '%s'",
			  v->target.path);
		goto fail;
	}
	if (v->target.nocow) {
		/* btrfs: no copy-on-write for images (best effort, as
		 * libvirt) */
		int attr = 0;
		if (ioctl(n->fd, FS_IOC_GETFLAGS, &attr) == 0) {
			attr |= FS_NOCOW_FL;
			if (ioctl(n->fd, FS_IOC_SETFLAGS, &attr) < 0) {
				/* not btrfs: nothing to do */
			}
		}
	}
	return 0;
fail:
	filevol_new_abort(n);
	return -1;
}

int
filevol_new_commit(struct filevol_new *n, struct err *e)
{
	int rc = 0;

	if (fsync(n->fd) < 0 && errno != EINVAL) {
		err_errno(e, errno, "cannot write '%s'", n->tmp_path);
		goto fail;
	}
	/* the name appears only now, complete; never over another file */
	if (renameat2(n->dfd, n->tmp, n->dfd, n->name, RENAME_NOREPLACE) < 0) {
		if (errno == EEXIST) {
			err_setc(e, ERR_EXISTS, "'%s' appeared meanwhile; the "
				 "new volume was removed", n->name);
			goto fail;
		}
		if (errno != EINVAL && errno != ENOSYS) {
			err_errno(e, errno, "cannot name the new volume '%s'",
				  n->name);
			goto fail;
		}
		/* no RENAME_NOREPLACE here (some network filesystems): a
		 * hard link cannot replace either */
		if (linkat(n->dfd, n->tmp, n->dfd, n->name, 0) < 0) {
			err_errno(e, errno, "cannot name the new volume '%s'",
				  n->name);
			goto fail;
		}
		unlinkat(n->dfd, n->tmp, 0);
	}
	if (fsync(n->dfd) < 0 && errno != EINVAL)
		rc = err_errno(e, errno, "cannot sync the pool's directory");
	close(n->fd);
	close(n->dfd);
	free(n->tmp_path);
	memset(n, 0, sizeof(*n));
	n->fd = n->dfd = -1;
	return rc;
fail:
	filevol_new_abort(n);
	return -1;
}

void
filevol_new_abort(struct filevol_new *n)
{
	if (n->dfd >= 0 && n->tmp[0] != '\0')
		unlinkat(n->dfd, n->tmp, 0);
	if (n->fd >= 0)
		close(n->fd);
	if (n->dfd >= 0)
		close(n->dfd);
	free(n->tmp_path);
	memset(n, 0, sizeof(*n));
	n->fd = n->dfd = -1;
}

bool
filevol_partial_busy(int dfd, const char *name)
{
	int fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
			O_CLOEXEC);
	bool busy;

	if (fd < 0)
		return false;
	busy = flock(fd, LOCK_SH | LOCK_NB) < 0 && errno == EWOULDBLOCK;
	close(fd);
	return busy;
}
