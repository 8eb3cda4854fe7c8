/* cistern — tables laid out as virsh lays them out (vshTable), and JSON
 * printing for the command line. */
#ifndef CISTERN_TABLE_H
#define CISTERN_TABLE_H

#include <stdbool.h>
#include <stdio.h>

#include <json-c/json.h>

struct table {
	char ***rows;      /* rows[0] is the header */
	size_t nrows;
	size_t ncols;
	bool no_header;    /* virsh -q: rows only, widths from them */
};

void table_init(struct table *t, size_t ncols, const char *const *header);
void table_add(struct table *t, const char *const *cells);
/* " Name   State" / dashes / rows; cells padded to the column width + 2,
 * the last one not padded (virsh's layout). */
void table_print(FILE *out, const struct table *t);
void table_free(struct table *t);

/* Print a JSON value (pretty, two-space indent) and a newline. */
void json_print(FILE *out, json_object *o);

#endif
