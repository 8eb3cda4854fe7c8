/* cistern — logical pools (not built yet: every operation reports that it is
 * not supported). */
#include "../core/backend.h"

const struct backend logical_backend = {
	.type = POOL_LOGICAL,
};
