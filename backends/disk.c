/* cistern — disk pools (not built yet: every operation reports that it is
 * not supported). */
#include "../core/backend.h"

const struct backend disk_backend = {
	.type = POOL_DISK,
};
