/* cistern — whole-file reads and atomic writes. */
#include "fileio.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "util.h"

/* Read what is left of `fd` (at most max bytes); closes fd. */
static char *
read_fd_all(int fd, const char *path, size_t max, size_t *len, struct err *e)
{
	char *buf = NULL;
	size_t cap = 0, n = 0;

	for (;;) {
		if (n + 4096 + 1 > cap) {
			cap = cap ? cap * 2 : 8192;
			buf = xrealloc(buf, cap);
		}
		size_t want = cap - n - 1;
		ssize_t r = fd_read_full(fd, buf + n, want, -1);
		if (r < 0) {
			int saved = errno;
			free(buf);
			close(fd);
			return err_errno(e, saved, "cannot read '%s'", path),
			       NULL;
		}
		n += (size_t)r;
		if (n > max) {
			free(buf);
			close(fd);
			return err_setc(e, ERR_INVALID,
					"'%s' is larger than %zu bytes", path,
					max), NULL;
		}
		if ((size_t)r < want)   /* its end */
			break;
	}
	close(fd);
	if (buf == NULL)
		buf = xmalloc(1);
	buf[n] = '\0';
	if (len != NULL)
		*len = n;
	return buf;
}

ssize_t
fd_read_full(int fd, void *buf, size_t n, int64_t off)
{
	size_t got = 0;

	while (got < n) {
		ssize_t r = off < 0 ? read(fd, (char *)buf + got, n - got) :
			    pread(fd, (char *)buf + got, n - got,
				  (off_t)(off + (int64_t)got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

int
fd_write_full(int fd, const void *buf, size_t n, int64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t w = off < 0 ? write(fd, (const char *)buf + done,
					    n - done) :
			    pwrite(fd, (const char *)buf + done, n - done,
				   (off_t)(off + (int64_t)done));
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		if (w == 0) {
			errno = ENOSPC;
			return -1;
		}
		done += (size_t)w;
	}
	return 0;
}

int
fd_write_sparse(int fd, const void *buf, size_t n, bool sparse,
		const char **what)
{
	const unsigned char *b = buf;

	if (sparse && (n == 0 || (b[0] == 0 && memcmp(b, b + 1, n - 1) == 0))) {
		*what = "seek";
		return lseek(fd, (off_t)n, SEEK_CUR) < 0 ? -1 : 0;
	}
	*what = "write";
	return fd_write_full(fd, buf, n, -1);
}

int
fd_sparse_end(int fd)
{
	off_t end = lseek(fd, 0, SEEK_CUR);

	return end < 0 || ftruncate(fd, end) < 0 ? -1 : 0;
}

char *
file_read_all(const char *path, size_t max, size_t *len, struct err *e)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", path), NULL;
	if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
		close(fd);
		return err_setc(e, ERR_INVALID, "'%s' is a directory", path),
		       NULL;
	}
	return read_fd_all(fd, path, max, len, e);
}

char *
file_read_regular(const char *path, size_t max, size_t *len, struct err *e)
{
	struct stat st;
	int fd, flags;

	/* O_NONBLOCK: opening a FIFO must not wait for a writer */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			return err_setc(e, ERR_INVALID, "'%s' is a symbolic "
					"link, not a regular file; skipped",
					path), NULL;
		return err_errno(e, errno, "cannot open '%s'", path), NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		return err_setc(e, ERR_INVALID, "'%s' is not a regular file; "
				"skipped", path), NULL;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return read_fd_all(fd, path, max, len, e);
}

int
dir_fsync(const char *dir, struct err *e)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd < 0)
		return err_errno(e, errno, "cannot open directory '%s'", dir);
	if (fsync(fd) < 0 && errno != EINVAL) {
		int saved = errno;
		close(fd);
		return err_errno(e, saved, "cannot sync directory '%s'", dir);
	}
	close(fd);
	return 0;
}

/* What file_note_own saw of a path. */
struct own_file {
	char *path;
	bool exists;
	dev_t dev;
	ino_t ino;
	struct timespec ctime;
	off_t size;
};
static struct {
	pthread_mutex_t lock;
	struct own_file *v;
	size_t n;
} own = { .lock = PTHREAD_MUTEX_INITIALIZER };

static void
own_look(const char *path, struct own_file *f)
{
	struct stat st;

	f->exists = lstat(path, &st) == 0;
	f->dev = f->exists ? st.st_dev : 0;
	f->ino = f->exists ? st.st_ino : 0;
	/* a directory changes with every entry made in it: only itself */
	f->ctime = f->exists && !S_ISDIR(st.st_mode) ? st.st_ctim :
		   (struct timespec){ 0, 0 };
	f->size = f->exists && !S_ISDIR(st.st_mode) ? st.st_size : 0;
}

static struct own_file *
own_find(const char *path)
{
	for (size_t i = 0; i < own.n; i++)
		if (strcmp(own.v[i].path, path) == 0)
			return &own.v[i];
	return NULL;
}

void
file_note_own(const char *path)
{
	struct own_file *f;

	pthread_mutex_lock(&own.lock);
	f = own_find(path);
	if (f == NULL) {
		own.v = xreallocarray(own.v, own.n + 1, sizeof(*own.v));
		f = &own.v[own.n++];
		f->path = xstrdup(path);
	}
	own_look(path, f);
	pthread_mutex_unlock(&own.lock);
}

bool
file_is_own(const char *path)
{
	struct own_file now;
	const struct own_file *f;
	bool same;

	own_look(path, &now);
	pthread_mutex_lock(&own.lock);
	f = own_find(path);
	same = f != NULL && f->exists == now.exists &&
	       (!now.exists ||
		(f->dev == now.dev && f->ino == now.ino &&
		 f->ctime.tv_sec == now.ctime.tv_sec &&
		 f->ctime.tv_nsec == now.ctime.tv_nsec &&
		 f->size == now.size));
	pthread_mutex_unlock(&own.lock);
	return same;
}

int
file_write_atomic(const char *path, const char *data, size_t len, mode_t mode,
		  struct err *e)
{
	char *dcopy = xstrdup(path);
	char *dir = dirname(dcopy);
	/* short, so that a file name of NAME_MAX bytes still has room */
	char *tmp = xasprintf("%s/.cistern-tmp-XXXXXX", dir);
	int fd = -1, rc = -1;

	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		err_errno(e, errno, "cannot create a temporary file in '%s'",
			  dir);
		goto out;
	}
	if (fchmod(fd, mode) < 0) {
		err_errno(e, errno, "cannot set the mode of '%s'", tmp);
		goto unlink;
	}
	if (fd_write_full(fd, data, len, -1) < 0) {
		err_errno(e, errno, "cannot write '%s'", tmp);
		goto unlink;
	}
	if (fsync(fd) < 0) {
		err_errno(e, errno, "cannot sync '%s'", tmp);
		goto unlink;
	}
	if (close(fd) < 0) {
		fd = -1;
		err_errno(e, errno, "cannot close '%s'", tmp);
		goto unlink;
	}
	fd = -1;
	if (rename(tmp, path) < 0) {
		err_errno(e, errno, "cannot rename '%s' to '%s'", tmp, path);
		goto unlink;
	}
	file_note_own(path);
	rc = dir_fsync(dir, e);
	goto out;
unlink:
	if (fd >= 0)
		close(fd);
	unlink(tmp);
out:
	free(tmp);
	free(dcopy);
	return rc;
}

void
dir_clean_temps(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (d == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		size_t n = strlen(de->d_name);
		if (n != 19 || strncmp(de->d_name, ".cistern-tmp-", 13) != 0)
			continue;
		unlinkat(dirfd(d), de->d_name, 0);
	}
	closedir(d);
}
