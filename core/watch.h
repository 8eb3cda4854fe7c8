/* cistern — noticing changes made by any cistern (this one, another
 * process, the interface): inotify on the config, autostart and run dirs,
 * then a fresh look at the pools compared with the last one, as libvirt's
 * storage pool events (lifecycle: Defined, Undefined, Started, Stopped;
 * refresh). The interface reloads on the same notifications; pool-event
 * prints the events.
 */
#ifndef CISTERN_WATCH_H
#define CISTERN_WATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "pool.h"

/* Bursts of changes (a define and a start, a file written then renamed)
 * are taken together after this long: nobody looks more often. */
#define WATCH_DEBOUNCE_MS 100

/* An inotify descriptor (non-blocking) watching the store's directories,
 * or -1. With `make_dirs` the directories are made first (a session that
 * may write); else only what exists is watched. */
int store_watch_open(struct store *s, bool make_dirs);
/* Read what is pending; true if another program (another cistern, a
 * job, an editor) changed something other than lock files and hidden
 * temporary files: the changes this process made itself (file_note_own)
 * are passed by, so a look at the pools that writes their state does
 * not call for another, and another program's change is never lost
 * among them. */
bool store_watch_read(const struct store *s, int fd);

enum pool_event_type {
	POOL_EVENT_LIFECYCLE,
	POOL_EVENT_REFRESH,
};

enum pool_event_detail {
	POOL_EV_DEFINED,
	POOL_EV_UNDEFINED,
	POOL_EV_STARTED,
	POOL_EV_STOPPED,
	POOL_EV_REFRESHED,       /* the refresh event's only detail */
	POOL_EV_CREATED,         /* libvirt's: built (pool-build) */
	POOL_EV_DELETED,         /* libvirt's: deleted (pool-delete) */
};

struct pool_event {
	char *name;
	unsigned char uuid[16];
	enum pool_event_type type;
	enum pool_event_detail detail;
};

/* What one look at the pools saw. */
struct pool_seen {
	char *name;
	unsigned char uuid[16];
	bool active, transient;
	char *def_xml;           /* the definition, to see a redefinition */
	struct timespec status;  /* when its state was last written */
};

struct pool_look {
	struct pool_seen *v;
	size_t n;
};

void pool_look_take(struct cistern *c, struct pool_look *l);
void pool_look_free(struct pool_look *l);
/* The events between two looks, in libvirt's order for each pool
 * (Defined before Started, Stopped before Undefined), pools by name.
 * Returns the count; free with pool_events_free. */
size_t pool_events_between(const struct pool_look *before,
			   const struct pool_look *after,
			   struct pool_event **out);
void pool_events_free(struct pool_event *ev, size_t n);

/* "lifecycle", "refresh"; "Defined", "Started"... as virsh prints them. */
const char *pool_event_type_name(enum pool_event_type t);
const char *pool_event_detail_name(enum pool_event_detail d);
/* The event type named `s`, or -1. */
int pool_event_type_from_name(const char *s);

#endif
