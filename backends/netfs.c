/* cistern — netfs pools (not built yet: every operation reports that it is
 * not supported). */
#include "../core/backend.h"

const struct backend netfs_backend = {
	.type = POOL_NETFS,
};
