/* cistern — fs pools (not built yet: every operation reports that it is
 * not supported). */
#include "../core/backend.h"

const struct backend fs_backend = {
	.type = POOL_FS,
};
