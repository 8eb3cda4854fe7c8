/* cistern — the config store: pool definitions (persistent and
 * transient), the lock, targets, autostart links (status:
 * core/store_status.c). */
#include "store.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"
#include "xml.h"
#include "xmlutil.h"

#define LOCK_WAIT_MS 30000

void
store_default_dirs(const char *config_override, const char *run_override,
		   char **config_dir, char **run_dir)
{
	const char *env_cfg = getenv("CISTERN_CONFIG_DIR");
	const char *env_run = getenv("CISTERN_RUN_DIR");
	const char *cfg = config_override ? config_override :
			  (env_cfg && *env_cfg ? env_cfg : NULL);
	const char *run = run_override ? run_override :
			  (env_run && *env_run ? env_run : NULL);

	if (cfg != NULL) {
		*config_dir = path_sanitize(cfg);
		*run_dir = run ? path_sanitize(run) :
				 path_join(*config_dir, "run");
		return;
	}
	if (geteuid() == 0) {
		*config_dir = xstrdup("/etc/cistern/storage");
	} else {
		const char *x = getenv("XDG_CONFIG_HOME");
		const char *home = getenv("HOME");
		if (x && *x == '/')
			*config_dir = xasprintf("%s/cistern/storage", x);
		else
			*config_dir = xasprintf("%s/.config/cistern/storage",
						home ? home : "/tmp");
	}
	if (run != NULL) {
		*run_dir = path_sanitize(run);
	} else if (geteuid() == 0) {
		*run_dir = xstrdup("/run/cistern");
	} else {
		const char *x = getenv("XDG_RUNTIME_DIR");
		if (x && *x == '/')
			*run_dir = xasprintf("%s/cistern", x);
		else
			*run_dir = xasprintf("/tmp/cistern-%u",
					     (unsigned)geteuid());
	}
}

int
store_open(struct store *s, const char *config_dir, const char *run_dir,
	   struct err *e)
{
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
	s->config_dir = xstrdup(config_dir);
	s->autostart_dir = path_join(config_dir, "autostart");
	s->run_dir = xstrdup(run_dir);
	/* reading creates nothing: a missing config dir has no pools, an
	 * unwritable one can still be listed; writes make what they need
	 * (store_lock, store_run_dir) */
	(void)e;
	return 0;
}

int
store_config_dirs(struct store *s, struct err *e)
{
	if (mkdir_p(s->config_dir, 0755) < 0)
		return err_errno(e, errno, "cannot create config dir '%s'",
				 s->config_dir);
	if (mkdir_p(s->autostart_dir, 0755) < 0)
		return err_errno(e, errno, "cannot create '%s'",
				 s->autostart_dir);
	file_note_own(s->autostart_dir);
	return 0;
}

int
store_run_dir(struct store *s, struct err *e)
{
	char *marker;

	if (mkdir_p(s->run_dir, 0700) < 0)
		return err_errno(e, errno, "cannot create run dir '%s'",
				 s->run_dir);
	file_note_own(s->run_dir);
	/* whoever makes the run dir first this boot had its chance at
	 * autostart (cistern_open): the boot is seen */
	marker = path_join(s->run_dir, "boot-id");
	if (access(marker, F_OK) < 0 && errno == ENOENT) {
		char *boot = file_read_all("/proc/sys/kernel/random/boot_id",
					   128, NULL, NULL);
		if (boot != NULL)
			file_write_atomic(marker, boot, strlen(boot), 0600,
					  NULL);
		free(boot);
	}
	free(marker);
	return 0;
}

void
store_close(struct store *s)
{
	if (s->lock_fd >= 0)
		close(s->lock_fd);
	free(s->config_dir);
	free(s->autostart_dir);
	free(s->run_dir);
	memset(s, 0, sizeof(*s));
	s->lock_fd = -1;
}

int
store_lock(struct store *s, struct err *e)
{
	int64_t deadline = now_ms() + LOCK_WAIT_MS;
	char *path;

	if (s->lock_depth > 0) {
		s->lock_depth++;
		return 0;
	}
	if (store_config_dirs(s, e) < 0)
		return -1;
	path = path_join(s->config_dir, ".lock");
	s->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (s->lock_fd < 0) {
		err_errno(e, errno, "cannot open lock file '%s'", path);
		free(path);
		return -1;
	}
	while (flock(s->lock_fd, LOCK_EX | LOCK_NB) < 0) {
		if (errno != EWOULDBLOCK && errno != EINTR) {
			err_errno(e, errno, "cannot lock '%s'", path);
			goto fail;
		}
		if (now_ms() > deadline) {
			err_setc(e, ERR_BUSY,
				 "the config dir '%s' is locked by another "
				 "cistern (waited %d s)", s->config_dir,
				 LOCK_WAIT_MS / 1000);
			goto fail;
		}
		usleep(5000);
	}
	free(path);
	s->lock_depth = 1;
	/* a writer killed earlier may have left its temporary file */
	dir_clean_temps(s->config_dir);
	return 0;
fail:
	close(s->lock_fd);
	s->lock_fd = -1;
	free(path);
	return -1;
}

void
store_unlock(struct store *s)
{
	if (s->lock_depth == 0)
		return;
	if (--s->lock_depth > 0)
		return;
	flock(s->lock_fd, LOCK_UN);
	close(s->lock_fd);
	s->lock_fd = -1;
}

char *
store_def_path(const struct store *s, const char *name)
{
	return path_join_ext(s->config_dir, name, "xml");
}

static int
cmp_names(const void *a, const void *b)
{
	const struct pool_def *const *x = a, *const *y = b;

	return strcmp((*x)->name, (*y)->name);
}

static int
cmp_strs(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

size_t
store_unsupported(const struct store *s, char ***out)
{
	DIR *d = opendir(s->config_dir);
	struct dirent *de;
	size_t n = 0;

	*out = NULL;
	if (d == NULL)
		return 0;
	while ((de = readdir(d)) != NULL) {
		char *path, *data, *type = NULL, *name = NULL;
		struct err fe;
		xmlDocPtr doc = NULL;
		size_t len;

		if (de->d_name[0] == '.' || !str_endswith(de->d_name, ".xml"))
			continue;
		path = path_join(s->config_dir, de->d_name);
		err_init(&fe);
		data = file_read_regular(path, XML_MAX_BYTES, &len, &fe);
		if (data != NULL)
			doc = xml_parse(data, len, path, &fe);
		if (doc != NULL) {
			xmlNodePtr root = xmlDocGetRootElement(doc);
			if (strcmp((const char *)root->name, "pool") == 0) {
				type = xml_attr(root, "type");
				name = xml_text(root, "name");
			}
			xmlFreeDoc(doc);
		}
		if (type != NULL && pool_type_from_name(type) < 0) {
			*out = xreallocarray(*out, n + 1, sizeof(**out));
			(*out)[n++] = xasprintf("%s (type %s, not supported)",
						name ? name : de->d_name, type);
		}
		free(type);
		free(name);
		free(data);
		free(path);
		err_clear(&fe);
	}
	closedir(d);
	if (n > 1)
		qsort(*out, n, sizeof(**out), cmp_strs);
	return n;
}

int
store_load(struct store *s, struct pool_def ***defs, size_t *n,
	   store_warn_fn warn, void *arg, struct err *e)
{
	DIR *d = opendir(s->config_dir);
	struct dirent *de;
	struct pool_def **list = NULL;
	size_t count = 0;

	*defs = NULL;
	*n = 0;
	if (d == NULL && errno == ENOENT)
		return 0;               /* no config dir yet: no pools */
	if (d == NULL)
		return err_errno(e, errno, "cannot read config dir '%s'",
				 s->config_dir);
	while ((de = readdir(d)) != NULL) {
		struct err fe;
		char *path, *want, *data;
		struct pool_def *def = NULL;
		size_t len;

		if (de->d_name[0] == '.' || !str_endswith(de->d_name, ".xml"))
			continue;
		path = path_join(s->config_dir, de->d_name);
		err_init(&fe);
		data = file_read_regular(path, XML_MAX_BYTES, &len, &fe);
		if (data != NULL)
			def = pool_def_parse(data, len, path, &fe);
		free(data);
		if (def == NULL) {
			if (warn)
				warn(arg, fe.msg);
			err_clear(&fe);
			free(path);
			continue;
		}
		want = xasprintf("%s.xml", def->name);
		if (strcmp(want, de->d_name) != 0) {
			if (warn) {
				char *m = xasprintf("%s: pool name '%s' does not "
						    "match the file name; "
						    "skipped", path, def->name);
				warn(arg, m);
				free(m);
			}
			pool_def_free(def);
			free(want);
			free(path);
			continue;
		}
		free(want);
		free(path);
		list = xreallocarray(list, count + 1, sizeof(*list));
		list[count++] = def;
	}
	closedir(d);
	if (count > 1)
		qsort(list, count, sizeof(*list), cmp_names);
	/* one pool per UUID: the first by name is loaded, the others are
	 * named and left out */
	for (size_t i = 0; i < count; i++) {
		size_t k = i + 1;
		while (k < count) {
			if (memcmp(list[k]->uuid, list[i]->uuid, 16) != 0) {
				k++;
				continue;
			}
			if (warn) {
				char u[37], *m;
				uuid_format(list[i]->uuid, u);
				m = xasprintf("pools '%s' and '%s' have the same "
					      "UUID %s; '%s' is not loaded (give "
					      "it a UUID of its own)",
					      list[i]->name, list[k]->name, u,
					      list[k]->name);
				warn(arg, m);
				free(m);
			}
			pool_def_free(list[k]);
			memmove(&list[k], &list[k + 1],
				(count - k - 1) * sizeof(*list));
			count--;
		}
	}
	*defs = list;
	*n = count;
	return 0;
}

static bool
devices_shared(const struct pool_def *a, const struct pool_def *b,
	       const char **which)
{
	for (size_t i = 0; i < a->source.ndevices; i++)
		for (size_t j = 0; j < b->source.ndevices; j++)
			if (str_eq(a->source.devices[i].path,
				   b->source.devices[j].path)) {
				*which = a->source.devices[i].path;
				return true;
			}
	return false;
}

static bool
hosts_match(const struct pool_def *a, const struct pool_def *b)
{
	if (a->source.nhosts != 1 || b->source.nhosts != 1)
		return false;
	return str_eq(a->source.hosts[0].name, b->source.hosts[0].name) &&
	       a->source.hosts[0].port == b->source.hosts[0].port;
}

static bool
is_kind(enum pool_type t, unsigned kind)
{
	return (pool_type_info(t)->kind & kind) != 0;
}

/* Why `a` and `b` use the same storage, or NULL. */
static char *
source_conflict(const struct pool_def *a, const struct pool_def *b)
{
	const char *dev;

	if (is_kind(a->type, POOL_TI_FILES) && is_kind(b->type, POOL_TI_FILES) &&
	    str_eq(a->target_path, b->target_path))
		return xasprintf("the same target directory '%s'",
				 a->target_path);
	if (a->type == POOL_NETFS && b->type == POOL_NETFS &&
	    str_eq(a->source.dir, b->source.dir) && hosts_match(a, b))
		return xasprintf("the same export %s:%s",
				 a->source.hosts[0].name, a->source.dir);
	if (is_kind(a->type, POOL_TI_LOCAL_DEVICES) &&
	    is_kind(b->type, POOL_TI_LOCAL_DEVICES) &&
	    devices_shared(a, b, &dev))
		return xasprintf("the same device '%s'", dev);
	if (a->type == POOL_LOGICAL && b->type == POOL_LOGICAL &&
	    str_eq(a->source.name, b->source.name))
		return xasprintf("the same volume group '%s'", a->source.name);
	if (is_kind(a->type, POOL_TI_LUNS) && is_kind(b->type, POOL_TI_LUNS) &&
	    hosts_match(a, b) && devices_shared(a, b, &dev) &&
	    str_eq(a->source.initiator_iqn, b->source.initiator_iqn))
		return xasprintf("the same iSCSI target %s on %s", dev,
				 a->source.hosts[0].name);
	return NULL;
}

int
store_check_duplicates(const struct pool_def *d,
		       struct pool_def *const *others, size_t n, struct err *e)
{
	char u1[37], u2[37];

	for (size_t i = 0; i < n; i++) {
		const struct pool_def *o = others[i];
		bool same_name = strcmp(o->name, d->name) == 0;
		bool same_uuid = memcmp(o->uuid, d->uuid, 16) == 0;

		if (same_name && !same_uuid) {
			uuid_format(o->uuid, u1);
			return err_setc(e, ERR_EXISTS,
					"pool '%s' already exists with uuid %s",
					d->name, u1);
		}
		if (!same_name && same_uuid) {
			uuid_format(d->uuid, u2);
			return err_setc(e, ERR_EXISTS,
					"pool '%s' is already defined with uuid "
					"%s", o->name, u2);
		}
		if (same_name)
			continue;   /* the definition being replaced */
		char *why = source_conflict(d, o);
		if (why != NULL) {
			err_setc(e, ERR_EXISTS,
				 "pool '%s': storage source conflicts with "
				 "pool '%s' (%s)", d->name, o->name, why);
			free(why);
			return -1;
		}
	}
	return 0;
}

int
store_write_def(struct store *s, const struct pool_def *d, struct err *e)
{
	char *xml, *path;
	int rc;

	/* a definition holds no run-time facts */
	xml = pool_def_format(d, POOL_XML_INACTIVE);
	path = store_def_path(s, d->name);
	rc = file_write_atomic(path, xml, strlen(xml), 0600, e);
	free(path);
	free(xml);
	return rc;
}

/* RUN/transient: the definitions of transient pools (pool-create). */
static char *
transient_dir(const struct store *s)
{
	return path_join(s->run_dir, "transient");
}

int
store_load_transient(struct store *s, struct pool_def ***defs, size_t *n,
		     store_warn_fn warn, void *arg, struct err *e)
{
	struct store t = { .config_dir = transient_dir(s), .lock_fd = -1 };
	int rc = store_load(&t, defs, n, warn, arg, e);

	free(t.config_dir);
	return rc;
}

int
store_write_transient(struct store *s, const struct pool_def *d,
		      struct err *e)
{
	char *dir = transient_dir(s), *path, *xml;
	int rc;

	if (store_run_dir(s, e) < 0 || mkdir_p(dir, 0700) < 0) {
		rc = err_isset(e) ? -1 :
		     err_errno(e, errno, "cannot create '%s'", dir);
		free(dir);
		return rc;
	}
	file_note_own(dir);
	path = path_join_ext(dir, d->name, "xml");
	xml = pool_def_format(d, POOL_XML_INACTIVE);
	rc = file_write_atomic(path, xml, strlen(xml), 0600, e);
	free(xml);
	free(path);
	free(dir);
	return rc;
}

int
store_remove_transient(struct store *s, const char *name, struct err *e)
{
	char *dir = transient_dir(s);
	char *path = path_join_ext(dir, name, "xml");
	int rc = 0;

	if (unlink(path) < 0 && errno != ENOENT)
		rc = err_errno(e, errno, "cannot remove '%s'", path);
	file_note_own(path);
	free(path);
	free(dir);
	return rc;
}

int
store_remove_def(struct store *s, const char *name, struct err *e)
{
	char *path = store_def_path(s, name);
	int rc = 0;

	store_autostart_set(s, name, false, NULL);
	store_target_set(s, name, NULL, NULL);
	if (unlink(path) < 0 && errno != ENOENT)
		rc = err_errno(e, errno, "cannot remove '%s'", path);
	else
		rc = dir_fsync(s->config_dir, e);
	file_note_own(path);
	free(path);
	store_remove_status(s, name);
	return rc;
}

/* Where the resolved target of pool `name` is recorded: a symbolic link
 * CONFIG/targets/NAME whose text is the path. */
static char *
target_record(const struct store *s, const char *name)
{
	char *dir = path_join(s->config_dir, "targets");
	char *p = path_join(dir, name);

	free(dir);
	return p;
}

char *
store_target_get(const struct store *s, const char *name)
{
	char *rec = target_record(s, name);
	char buf[PATH_MAX];
	ssize_t n = readlink(rec, buf, sizeof(buf) - 1);

	free(rec);
	if (n <= 0 || buf[0] != '/')
		return NULL;
	buf[n] = '\0';
	return xstrdup(buf);
}

int
store_target_set(struct store *s, const char *name, const char *resolved,
		 struct err *e)
{
	char *dir = path_join(s->config_dir, "targets");
	char *rec = target_record(s, name);
	char *tmp = NULL;
	int rc = 0, fd;

	if (resolved == NULL) {
		if (unlink(rec) < 0 && errno != ENOENT)
			rc = err_errno(e, errno, "cannot remove '%s'", rec);
		goto out;
	}
	if (mkdir(dir, 0755) < 0 && errno != EEXIST) {
		rc = err_errno(e, errno, "cannot create '%s'", dir);
		goto out;
	}
	file_note_own(dir);
	/* a unique temporary name (one dir_clean_temps knows), then a link
	 * in its place renamed over the record */
	tmp = path_join(dir, ".cistern-tmp-XXXXXX");
	fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0) {
		rc = err_errno(e, errno, "cannot create a file in '%s'", dir);
		goto out;
	}
	close(fd);
	unlink(tmp);
	if (symlink(resolved, tmp) < 0 || rename(tmp, rec) < 0) {
		rc = err_errno(e, errno, "cannot write '%s'", rec);
		unlink(tmp);
		goto out;
	}
	rc = dir_fsync(dir, e);
out:
	free(tmp);
	free(rec);
	free(dir);
	return rc;
}

static char *
autostart_link(const struct store *s, const char *name)
{
	return path_join_ext(s->autostart_dir, name, "xml");
}

int
store_autostart_get(const struct store *s, const char *name, struct err *e)
{
	char *link = autostart_link(s, name);
	struct stat st;
	int on = 0;

	if (lstat(link, &st) == 0) {
		if (S_ISLNK(st.st_mode))
			on = 1;
		else
			on = err_setc(e, ERR_INVALID, "%s: not a symbolic "
				      "link; autostart ignored", link);
	}
	free(link);
	return on;
}

int
store_autostart_set(struct store *s, const char *name, bool on, struct err *e)
{
	char *link = autostart_link(s, name);
	char *target = store_def_path(s, name);
	int rc = 0;

	if (on) {
		if (symlink(target, link) < 0 && errno != EEXIST)
			rc = err_errno(e, errno, "cannot create '%s'", link);
	} else if (unlink(link) < 0 && errno != ENOENT) {
		rc = err_errno(e, errno, "cannot remove '%s'", link);
	}
	file_note_own(link);
	if (rc == 0)
		rc = dir_fsync(s->autostart_dir, e);
	free(link);
	free(target);
	return rc;
}
