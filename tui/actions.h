/* cistern — the interface's action table: names, keys, labels, help and
 * what each needs. Data only: the manual page (man.c) and the interface
 * (ui_action.c, which pairs each row with what it does) both read it, so
 * the key bar, the help overlay, the ':' prompt and the manual's KEYS
 * cannot drift apart. */
#ifndef CISTERN_ACTIONS_H
#define CISTERN_ACTIONS_H

#include <stddef.h>

#include "../core/pool.h"

enum {
	A_POOL = 1 << 0,       /* acts on the selected pool */
	A_VOL = 1 << 1,        /* acts on the selected volume */
	A_GLOBAL = 1 << 2,     /* needs no selection */
	A_WRITES = 1 << 3,     /* hidden with --read-only */
	A_DANGER = 1 << 4,     /* destroys data */
	A_BAR = 1 << 5,        /* worth a place in the key bar */
};

/* The rows, in table order: key bar priority. */
enum action_id {
	ACTION_HELP,
	ACTION_QUIT,
	ACTION_START,
	ACTION_STOP,
	ACTION_VOL_DELETE,
	ACTION_REFRESH,
	ACTION_VOL_CREATE,
	ACTION_DELETE,
	ACTION_DEFINE,
	ACTION_WIPE,
	ACTION_BUILD,
	ACTION_CLONE,
	ACTION_RESIZE,
	ACTION_AUTOSTART,
	ACTION_EDIT,
	ACTION_XML,
	ACTION_VOL_XML,
	ACTION_UNDEFINE,
	ACTION_UPLOAD,
	ACTION_DOWNLOAD,
	ACTION_FILTER,
	ACTION_COMMAND,
	ACTION_SORT,
	ACTION_LOG,
	ACTION_THEME,
	ACTION_JOBS,
	ACTION_MAP,
	ACTION_DETAILS,
	ACTION_HOSTS,
	ACTION_FIND,
	ACTION_COUNT
};

struct action {
	const char *name;      /* also a ':' command */
	int fkey;              /* 1..12, 0 none */
	int key;               /* letter key, 0 none */
	const char *label;     /* key bar */
	const char *help;      /* help overlay */
	unsigned flags;
	enum pool_op op;       /* pool_can() operation, or POOL_OP_NONE */
};

/* ACTION_COUNT rows, then one with a NULL name. */
extern const struct action ui_actions[];

/* An action by name, or NULL. */
const struct action *action_find(const char *name);
/* The keys column of the help and the manual: "F6   s". */
void action_keys(const struct action *a, char *k, size_t n);

#endif
