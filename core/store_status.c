/* cistern — the config store: each pool's run-time status (state,
 * sizes, last error, facts) in the run dir, and the boot marker that
 * tells the first run since boot (autostart). */
#include "store.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#include "fileio.h"
#include "util.h"

void
pool_status_clear(struct pool_status *st)
{
	free(st->error);
	strv_free(st->facts);
	memset(st, 0, sizeof(*st));
}

static char *
status_path(const struct store *s, const char *name)
{
	return path_join_ext(s->run_dir, name, "json");
}

int
store_status_time(const struct store *s, const char *name,
		  struct timespec *ts)
{
	char *path = status_path(s, name);
	struct stat st;
	int rc = stat(path, &st);

	free(path);
	if (rc < 0) {
		ts->tv_sec = ts->tv_nsec = 0;
		return -1;
	}
	*ts = st.st_mtim;
	return 0;
}

void
store_status_touch(const struct store *s, const char *name)
{
	char *path = status_path(s, name);

	utimensat(AT_FDCWD, path, NULL, 0);
	file_note_own(path);
	free(path);
}

static uint64_t
json_u64(json_object *o, const char *key)
{
	json_object *v;

	if (!json_object_object_get_ex(o, key, &v))
		return 0;
	int64_t x = json_object_get_int64(v);
	return x < 0 ? 0 : (uint64_t)x;
}

int
store_read_status(struct store *s, const char *name, struct pool_status *st,
		  struct err *e)
{
	char *path = status_path(s, name);
	json_object *o, *v;
	struct err le;
	char *data;
	size_t len;

	memset(st, 0, sizeof(*st));
	st->state = POOL_INACTIVE;
	err_init(&le);
	data = file_read_regular(path, 1 << 20, &len, &le);
	if (data == NULL) {
		int missing = le.code == ERR_NOT_FOUND;
		free(path);
		if (missing) {
			err_clear(&le);
			return 0;
		}
		err_setc(e, ERR_GENERIC, "cannot read state of pool '%s': %s",
			 name, le.msg);
		err_clear(&le);
		return -1;
	}
	o = json_tokener_parse(data);
	free(data);
	if (o == NULL || !json_object_is_type(o, json_type_object)) {
		if (o)
			json_object_put(o);
		err_setc(e, ERR_INVALID, "%s: broken state file; ignored", path);
		free(path);
		return -1;
	}
	free(path);
	if (json_object_object_get_ex(o, "state", &v)) {
		int stv = pool_state_from_name(json_object_get_string(v));
		st->state = stv < 0 ? POOL_INACTIVE : stv;
	}
	st->capacity = json_u64(o, "capacity");
	st->allocation = json_u64(o, "allocation");
	st->available = json_u64(o, "available");
	if (json_object_object_get_ex(o, "error", &v) &&
	    json_object_is_type(v, json_type_string))
		st->error = xstrdup(json_object_get_string(v));
	if (json_object_object_get_ex(o, "facts", &v) &&
	    json_object_is_type(v, json_type_object)) {
		json_object_object_foreach(v, key, val) {
			char *kv = xasprintf("%s=%s", key,
					     json_object_get_string(val));
			strv_push(&st->facts, &st->nfacts, kv);
			free(kv);
		}
	}
	json_object_put(o);
	return 0;
}

int
store_write_status(struct store *s, const char *name,
		   const struct pool_status *st, struct err *e)
{
	json_object *o, *facts;
	char *path;
	const char *text;
	int rc;

	if (store_run_dir(s, e) < 0)
		return -1;
	o = json_object_new_object();
	facts = json_object_new_object();
	path = status_path(s, name);

	json_object_object_add(o, "state",
			       json_object_new_string(pool_state_name(st->state)));
	json_object_object_add(o, "capacity",
			       json_object_new_int64((int64_t)st->capacity));
	json_object_object_add(o, "allocation",
			       json_object_new_int64((int64_t)st->allocation));
	json_object_object_add(o, "available",
			       json_object_new_int64((int64_t)st->available));
	if (st->error != NULL)
		json_object_object_add(o, "error",
				       json_object_new_string(st->error));
	for (size_t i = 0; i < st->nfacts; i++) {
		const char *eq = strchr(st->facts[i], '=');
		if (eq == NULL)
			continue;
		char *key = xstrndup(st->facts[i], (size_t)(eq - st->facts[i]));
		json_object_object_add(facts, key, json_object_new_string(eq + 1));
		free(key);
	}
	json_object_object_add(o, "facts", facts);
	text = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY);
	/* unchanged state is not rewritten */
	char *old = file_read_all(path, 1 << 20, NULL, NULL);
	if (old != NULL && strcmp(old, text) == 0)
		rc = 0;
	else
		rc = file_write_atomic(path, text, strlen(text), 0600, e);
	free(old);
	json_object_put(o);
	free(path);
	return rc;
}

int
store_remove_status(struct store *s, const char *name)
{
	char *path = status_path(s, name);
	int rc = unlink(path);

	file_note_own(path);
	free(path);
	return rc < 0 && errno != ENOENT ? -1 : 0;
}

bool
store_first_since_boot(struct store *s)
{
	char *marker = path_join(s->run_dir, "boot-id");
	char *boot = file_read_all("/proc/sys/kernel/random/boot_id", 128, NULL,
				   NULL);
	char *seen = file_read_all(marker, 128, NULL, NULL);
	bool first = boot != NULL && (seen == NULL || strcmp(seen, boot) != 0);

	/* a run dir cistern cannot write to: no autostart from here */
	if (first && (mkdir_p(s->run_dir, 0700) < 0 ||
		      file_write_atomic(marker, boot, strlen(boot), 0600,
					NULL) < 0))
		first = false;
	free(marker);
	free(boot);
	free(seen);
	return first;
}
