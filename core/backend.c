/* cistern — the backend registry and the names of wipe algorithms. */
#include <string.h>

#include "backend.h"

static const char *const wipe_names[WIPE_ALG_COUNT] = {
	[WIPE_ZERO] = "zero", [WIPE_NNSA] = "nnsa", [WIPE_DOD] = "dod",
	[WIPE_BSI] = "bsi", [WIPE_GUTMANN] = "gutmann",
	[WIPE_SCHNEIER] = "schneier", [WIPE_PFITZNER7] = "pfitzner7",
	[WIPE_PFITZNER33] = "pfitzner33", [WIPE_RANDOM] = "random",
	[WIPE_TRIM] = "trim",
};

static const struct backend *backends[POOL_TYPE_COUNT];

/* The name virsh uses for a wipe algorithm. */
const char *
wipe_alg_name(enum wipe_alg a)
{
	return (unsigned)a < WIPE_ALG_COUNT ? wipe_names[a] : "unknown";
}

/* The algorithm of a name, or -1. */
int
wipe_alg_from_name(const char *s)
{
	for (int i = 0; s != NULL && i < WIPE_ALG_COUNT; i++)
		if (strcmp(wipe_names[i], s) == 0)
			return i;
	return -1;
}

/* Make a backend the one for its pool type. */
void
backend_register(const struct backend *b)
{
	if ((unsigned)b->type < POOL_TYPE_COUNT)
		backends[b->type] = b;
}

/* The backend of a pool type, or NULL if this build has none. */
const struct backend *
backend_get(enum pool_type t)
{
	return (unsigned)t < POOL_TYPE_COUNT ? backends[t] : NULL;
}
