/* cistern — iscsi pools (not built yet: every operation reports that it is
 * not supported). */
#include "../core/backend.h"

const struct backend iscsi_backend = {
	.type = POOL_ISCSI,
};

const struct backend iscsi_direct_backend = {
	.type = POOL_ISCSI_DIRECT,
};
