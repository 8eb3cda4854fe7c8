/* cistern — editing a pool's definition as text (virsh pool-edit): the
 * XML in a private temporary file, the operator's editor on it (the
 * face runs it), then read back, checked and defined. A refusal keeps the
 * operator's text in the file, so another round starts from it.
 */
#ifndef CISTERN_EDIT_H
#define CISTERN_EDIT_H

#include "err.h"
#include "pool.h"

struct pool_edit {
	char *pool;           /* the pool's name (it cannot change) */
	char file[64];        /* the file the editor opens */
	char *orig;           /* the XML it held at first */
};

/* Put the pool's inactive XML into a new temporary file. */
int pool_edit_begin(const struct pool *p, struct pool_edit *ed,
		    struct err *e);

enum pool_edit_result {
	POOL_EDIT_REFUSED = -1,   /* `e` says why; the file is kept */
	POOL_EDIT_DEFINED = 0,
	POOL_EDIT_UNCHANGED = 1,
};

/* After the editor: read the file back; unchanged, or parsed (errors
 * name `origin`, or the file when NULL), the name checked, and defined. */
enum pool_edit_result pool_edit_apply(struct cistern *c,
				      struct pool_edit *ed,
				      const char *origin, struct err *e);

/* Remove the file and free what the edit holds. */
void pool_edit_end(struct pool_edit *ed);

#endif
