/* cistern — the secrets store. */
#include "secret.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "run.h"
#include "util.h"

#define SECRET_DIR "secrets"
#define USAGE_PREFIX "usage-"

/* The secrets directory of a store (malloc'd). */
static char *
secret_dir(const struct store *s)
{
	return path_join(s->config_dir, SECRET_DIR);
}

char *
secret_file_name(const char *uuid, const char *usage, struct err *e)
{
	unsigned char u[16];
	char canon[37];

	if (uuid != NULL) {
		if (model_uuid_parse(uuid, u) < 0)
			return err_setc(e, ERR_INVALID,
					"malformed secret uuid '%s'", uuid), NULL;
		uuid_format(u, canon);
		return xstrdup(canon);
	}
	if (usage == NULL)
		return err_setc(e, ERR_INVALID,
				"a secret needs a uuid or a usage name"), NULL;
	if (model_check_name("secret usage", usage, e) < 0)
		return NULL;
	return xasprintf(USAGE_PREFIX "%s", usage);
}

int
secret_check_value(const char *value, size_t len, struct err *e)
{
	if (len == 0)
		return err_setc(e, ERR_INVALID, "the secret value is empty");
	if (len > SECRET_MAX)
		return err_setc(e, ERR_INVALID,
				"the secret value is longer than %d bytes",
				SECRET_MAX);
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c < 0x20 || c == 0x7f)
			return err_setc(e, ERR_INVALID,
					"the secret value contains a control "
					"character (a newline inside it, or a "
					"NUL byte)");
	}
	return 0;
}

int
secret_set(const struct store *s, const char *uuid, const char *usage,
	   const char *value, size_t len, struct err *e)
{
	char *name, *dir, *path;
	int rc = -1;

	if (secret_check_value(value, len, e) < 0)
		return -1;
	if ((name = secret_file_name(uuid, usage, e)) == NULL)
		return -1;
	if (run_dry_run()) {
		free(name);
		return 0;
	}
	dir = secret_dir(s);
	path = path_join(dir, name);
	if (mkdir_p(dir, 0700) < 0 || chmod(dir, 0700) < 0) {
		err_errno(e, errno, "cannot create the secrets directory '%s'",
			  dir);
		goto out;
	}
	rc = file_write_atomic(path, value, len, 0600, e);
out:
	free(path);
	free(dir);
	free(name);
	return rc;
}

int
secret_remove(const struct store *s, const char *uuid, const char *usage,
	      struct err *e)
{
	const char *id = uuid ? uuid : usage;
	char *name, *dir, *path;
	int rc = 0;

	if ((name = secret_file_name(uuid, usage, e)) == NULL)
		return -1;
	dir = secret_dir(s);
	path = path_join(dir, name);
	if (access(path, F_OK) < 0)
		rc = err_setc(e, ERR_NOT_FOUND, "no secret '%s' is stored", id);
	else if (!run_dry_run() && unlink(path) < 0)
		rc = err_errno(e, errno, "cannot remove secret '%s'", id);
	else if (!run_dry_run())
		dir_fsync(dir, NULL);
	free(path);
	free(dir);
	free(name);
	return rc;
}

/* qsort comparison of two strings. */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

int
secret_list(const struct store *s, char ***names, size_t *n, struct err *e)
{
	char *dir = secret_dir(s);
	DIR *d = opendir(dir);
	struct dirent *de;

	*names = NULL;
	*n = 0;
	if (d == NULL) {
		int saved = errno;
		free(dir);
		if (saved == ENOENT)
			return 0;
		return err_errno(e, saved, "cannot read the secrets directory");
	}
	while ((de = readdir(d)) != NULL) {
		struct stat st;
		char *label;
		if (de->d_name[0] == '.')
			continue;
		/* only regular files are secrets (see secret_get) */
		if (fstatat(dirfd(d), de->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) < 0 || !S_ISREG(st.st_mode))
			continue;
		if (str_startswith(de->d_name, USAGE_PREFIX))
			label = xasprintf("usage %s",
					  de->d_name + strlen(USAGE_PREFIX));
		else
			label = xstrdup(de->d_name);
		strv_push(names, n, label);
		free(label);
	}
	closedir(d);
	free(dir);
	if (*n > 1)
		qsort(*names, *n, sizeof(**names), cmp_str);
	return 0;
}

char *
secret_get(const struct store *s, const struct pool_auth *auth, size_t *len,
	   struct err *e)
{
	const char *what = auth->secret_uuid ? auth->secret_uuid :
			   auth->secret_usage;
	char *name, *dir, *path, *val = NULL;
	char buf[SECRET_MAX + 2];
	struct stat st;
	ssize_t r = 0;
	size_t got = 0;
	int fd;

	if ((name = secret_file_name(auth->secret_uuid, auth->secret_usage,
				     e)) == NULL)
		return NULL;
	dir = secret_dir(s);
	path = path_join(dir, name);
	/* O_NONBLOCK: a FIFO put there must not hang the read */
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP)
			err_setc(e, ERR_INVALID, "secret '%s': '%s' is a "
				 "symbolic link, not a regular file", what,
				 path);
		else if (errno == ENOENT)
			err_setc(e, ERR_NOT_FOUND,
				 "secret %s '%s' is not stored (set it with "
				 "'cistern secret-set-value %s')",
				 auth->secret_uuid ? "uuid" : "usage", what, what);
		else
			err_errno(e, errno, "cannot open secret '%s'", what);
		goto out;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		err_setc(e, ERR_INVALID, "secret '%s': '%s' is not a regular "
			 "file", what, path);
		goto out;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077) != 0) {
		err_setc(e, ERR_REFUSED,
			 "secret '%s': '%s' must belong to you and be "
			 "readable by no one else (chmod 600)", what, path);
		goto out;
	}
	r = fd_read_full(fd, buf, sizeof(buf), -1);
	if (r < 0) {
		err_errno(e, errno, "cannot read secret '%s'", what);
		goto out;
	}
	got = (size_t)r;
	if (got > 0 && buf[got - 1] == '\n')
		got--;
	if (secret_check_value(buf, got, e) < 0) {
		err_prefix(e, "secret '%s'", what);
		goto out;
	}
	val = xmalloc(got + 1);
	memcpy(val, buf, got);
	val[got] = '\0';
	if (len != NULL)
		*len = got;
out:
	explicit_bzero(buf, sizeof(buf));
	if (fd >= 0)
		close(fd);
	free(path);
	free(dir);
	free(name);
	return val;
}

void
secret_free(char *value, size_t len)
{
	if (value == NULL)
		return;
	explicit_bzero(value, len);
	free(value);
}

void
secret_redact(char *text, const char *secret)
{
	size_t n;
	char *p;

	if (text == NULL || secret == NULL || (n = strlen(secret)) == 0)
		return;
	while ((p = strstr(text, secret)) != NULL)
		memset(p, '*', n);
}
