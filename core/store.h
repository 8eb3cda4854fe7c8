/* cistern — the config store.
 *
 * One libvirt-format XML file per pool in the config dir (NAME.xml),
 * autostart as symlinks in CONFIG/autostart/, run-time state as JSON in the
 * run dir (NAME.json). Writes are atomic (temp file, fsync, rename, fsync
 * dir); every mutation holds an exclusive lock on CONFIG/.lock; a broken
 * file is reported through the warning callback and skipped.
 */
#ifndef CISTERN_STORE_H
#define CISTERN_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

struct store {
	char *config_dir;
	char *autostart_dir;
	char *run_dir;
	int lock_fd;
	int lock_depth;
	/* store_watch_open's watches: config, autostart and run dir (0:
	 * none) */
	int watch_wd[3];
};

typedef void (*store_warn_fn)(void *arg, const char *msg);

/* Default directories: root uses /etc/cistern/storage and /run/cistern;
 * others $XDG_CONFIG_HOME/cistern/storage and $XDG_RUNTIME_DIR/cistern
 * (falling back to ~/.config and /tmp/cistern-UID). CISTERN_CONFIG_DIR and
 * CISTERN_RUN_DIR override; a config dir given without a run dir keeps its
 * run-time state in CONFIG/run. */
void store_default_dirs(const char *config_override, const char *run_override,
			char **config_dir, char **run_dir);

/* Open (creating the directories) a store. */
int store_open(struct store *s, const char *config_dir, const char *run_dir,
	       struct err *e);
void store_close(struct store *s);

/* The exclusive lock around mutations (re-entrant within a process). */
int store_lock(struct store *s, struct err *e);
/* Make the config and autostart dirs if missing (before a write, or for
 * a session that watches them). */
int store_config_dirs(struct store *s, struct err *e);
/* Make the run dir (0700) if missing: before writing state or locks. */
int store_run_dir(struct store *s, struct err *e);
void store_unlock(struct store *s);

/* Load every definition; broken files go to `warn` and are skipped. */
int store_load(struct store *s, struct pool_def ***defs, size_t *n,
	       store_warn_fn warn, void *arg, struct err *e);

/* Transient pools (pool-create): their definitions live in RUN/transient,
 * never in the config dir, and go when the pool stops. */
int store_load_transient(struct store *s, struct pool_def ***defs, size_t *n,
			 store_warn_fn warn, void *arg, struct err *e);
int store_write_transient(struct store *s, const struct pool_def *d,
			  struct err *e);
int store_remove_transient(struct store *s, const char *name, struct err *e);

/* The definitions store_load leaves out because cistern has no such
 * pool type (scsi, mpath, zfs...): "NAME (type T, not supported)" each,
 * malloc'd, in *out; returns the count. */
size_t store_unsupported(const struct store *s, char ***out);

/* Check a definition against the others (libvirt's duplicate rules):
 * same name with another UUID, same UUID with another name, same source.
 * `others` excludes nothing: a definition with the same name and UUID is
 * the one being replaced. */
int store_check_duplicates(const struct pool_def *d,
			   struct pool_def *const *others, size_t n,
			   struct err *e);

/* Write NAME.xml atomically (caller holds the lock and has checked). */
int store_write_def(struct store *s, const struct pool_def *d, struct err *e);
int store_remove_def(struct store *s, const char *name, struct err *e);
char *store_def_path(const struct store *s, const char *name);

/* The directory a file pool's target resolved to when it was defined
 * (NULL when none was recorded); `resolved` NULL removes the record. */
char *store_target_get(const struct store *s, const char *name);
int store_target_set(struct store *s, const char *name, const char *resolved,
		     struct err *e);

int store_autostart_get(const struct store *s, const char *name,
			struct err *e);
int store_autostart_set(struct store *s, const char *name, bool on,
			struct err *e);

/* Run-time state of one pool. */
struct pool_status {
	int state;                 /* enum pool_state */
	uint64_t capacity, allocation, available;
	char *error;               /* last operation's error, or NULL */
	char **facts;              /* backend facts "key=value", NULL-terminated */
	size_t nfacts;
};
void pool_status_clear(struct pool_status *st);
int store_read_status(struct store *s, const char *name,
		      struct pool_status *st, struct err *e);
int store_write_status(struct store *s, const char *name,
		       const struct pool_status *st, struct err *e);
int store_remove_status(struct store *s, const char *name);
/* Mark pool `name`'s state as seen anew (its time; watchers notice). */
void store_status_touch(const struct store *s, const char *name);
/* When pool `name`'s state was last written (0 and -1: never). */
int store_status_time(const struct store *s, const char *name,
		      struct timespec *ts);

/* True the first time it is called after a boot (per run dir): the boot
 * marker is then written. Used to start autostart pools. */
bool store_first_since_boot(struct store *s);

#endif
