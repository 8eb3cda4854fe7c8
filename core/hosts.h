/* cistern — the hosts file: the libvirt hosts an operator looks after.
 *
 * CONFIG/hosts, one host a line:
 *
 *     # the rack
 *     kvm-03 = qemu+ssh://root@kvm-03/system
 *     lab    = qemu:///system autoconnect=no
 *
 * NAME = URI, then options (autoconnect=yes|no; yes when not given).
 * A '#' first on a line makes it a comment; comments and blank lines are
 * kept when the file is written back, each before the host it preceded.
 * A host name is 1 to 64 of [A-Za-z0-9._-], not starting with '-' or
 * '.', unique; `local` is reserved: it is this machine (the local
 * engine), never a line of the file. A URI is checked for its form only
 * (SCHEME://..., no blanks or control characters); nothing here talks
 * to libvirt.
 *
 * Changes are made in memory (hosts_add, hosts_set, hosts_remove: each
 * checked first, and a refused one changes nothing) and written with
 * hosts_save: atomically, under the store's lock, never in read-only
 * mode. To change the file without losing another cistern's change,
 * hold the store's lock around hosts_load ... hosts_save.
 */
#ifndef CISTERN_HOSTS_H
#define CISTERN_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "store.h"

#define HOSTS_FILE "hosts"
#define HOST_NAME_MAX_LEN 64
#define HOST_LOCAL "local"

struct host_entry {
	char *name;
	char *uri;
	bool autoconnect;
	/* the file's layout, for hosts_save: the comment and blank lines
	 * before this host, and its line as read (NULL once changed) */
	char *before;
	char *line;
};

struct hosts {
	char *path;                /* CONFIG/hosts */
	struct host_entry *v;      /* in the file's order; hosts_add and
				      hosts_remove move them (pointers into
				      v do not survive those) */
	size_t n;
	char *tail;                /* comment lines after the last host */
};

/* What hosts_set changes: NULL (or -1) leaves a part as it is. */
struct host_change {
	const char *name;          /* a new name */
	const char *uri;
	int autoconnect;           /* 0, 1, or -1: unchanged */
};

/* Read CONFIG/hosts into *out (no file: no hosts). A bad line fails the
 * whole load with "PATH:LINE: ..." and *out empty (still hosts_free it). */
int hosts_load(const char *config_dir, struct hosts *out, struct err *e);
void hosts_free(struct hosts *h);

/* The host of that name, or NULL (never for "local"). */
struct host_entry *hosts_find(const struct hosts *h, const char *name);

/* Checks, one line in e: is this a host name a new host may take (not
 * "local")? A URI's form? */
int host_name_check(const char *name, struct err *e);
int host_uri_check(const char *uri, struct err *e);

/* Add a host at the end; refused (nothing changed) for a bad or taken
 * name or a bad URI. */
int hosts_add(struct hosts *h, const char *name, const char *uri,
	      bool autoconnect, struct err *e);
/* Change host `name`: rename, new URI, autoconnect; all checked before
 * any is made. */
int hosts_set(struct hosts *h, const char *name, const struct host_change *ch,
	      struct err *e);
int hosts_remove(struct hosts *h, const char *name, struct err *e);

/* Write h to its file: atomically (temporary file, fsync, rename),
 * holding s's lock (re-entrant: a caller may hold it already), never
 * when read_only ("cistern is in read-only mode"), and with --dry-run
 * (run_dry_run) not at all (returns 0). */
int hosts_save(const struct hosts *h, struct store *s, bool read_only,
	       struct err *e);

/* One change to the file, as the host-* verbs and the interface's hosts
 * form make it: the store's lock held around load, fn (hosts_add,
 * hosts_set, hosts_remove ...) and save; a refused change writes
 * nothing. Read-only mode refuses; --dry-run takes no lock and writes
 * nothing. `out` (may be NULL) gets the hosts as changed. */
typedef int (*hosts_edit_fn)(struct hosts *h, void *arg, struct err *e);
int hosts_edit(struct store *s, bool read_only, hosts_edit_fn fn, void *arg,
	       struct hosts *out, struct err *e);

/* What `-c WORD` names: a URI (WORD has a ':') as it is; "local" or ""
 * this machine (*uri = NULL); else the URI of host WORD in
 * CONFIG/hosts, or -1 with "no host 'WORD' in CONFIG/hosts" (or the
 * file's own error). *uri is malloc'd. */
int hosts_resolve(const char *config_dir, const char *word, char **uri,
		  struct err *e);

#endif
