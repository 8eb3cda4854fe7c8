/* cistern — columns of pools and volumes, declared once.
 *
 * Each object type declares its columns (id, title, alignment, kind) and
 * how to get a cell; the command line's tables, its --json output and the
 * full-screen panes all come from these declarations (k9s renderers).
 */
#ifndef CISTERN_COLUMNS_H
#define CISTERN_COLUMNS_H

#include <stdbool.h>
#include <stdint.h>

#include <json-c/json.h>

#include "../core/pool.h"

enum col_kind {
	COL_TEXT,
	COL_SIZE,      /* bytes; shown human-readable, sorted numerically */
	COL_BOOL,      /* yes/no */
	COL_PERCENT,   /* 0..100, -1 for none */
};

struct cell {
	const char *text;   /* points into buf or at a constant */
	uint64_t num;       /* sizes, percentages */
	bool has_num;
	char buf[64];
};

/* A pool row carries the pool; a volume row the pool and the volume;
 * a host row the host (core/hosts.h; its uri NULL: this machine). */
struct host_entry;
struct row {
	const struct pool *pool;
	const struct vol_def *vol;
	const struct host_entry *host;
};

struct column {
	const char *id;       /* JSON key and sort key ("capacity") */
	const char *title;    /* table header ("Capacity") */
	bool right;           /* right-aligned */
	enum col_kind kind;
	int min_width;        /* screen panes: narrowest useful width */
	int priority;         /* screen panes: lower is dropped first */
	void (*get)(const struct row *r, struct cell *c, bool bytes);
};

extern const struct column pool_columns[];
extern const struct column vol_columns[];
extern const struct column host_columns[];

/* Find a column by id (NULL-terminated tables above). */
const struct column *column_find(const struct column *cols, const char *id);

/* Fill a cell; `bytes` shows sizes as plain byte counts. */
void column_cell(const struct column *col, const struct row *r,
		 struct cell *c, bool bytes);

/* Compare two rows by a column (numbers numerically, text by strcmp). */
int column_compare(const struct column *col, const struct row *a,
		   const struct row *b);

/* A JSON object with every column of the row (sizes as numbers). */
json_object *columns_json(const struct column *cols, const struct row *r);

/* Usage of a pool in percent (allocation / capacity), -1 if unknown. */
int pool_usage_percent(const struct pool *p);

/* virsh's state words: "running", "inactive", ...; "active" in short. */
const char *pool_state_short(const struct pool *p);

#endif
