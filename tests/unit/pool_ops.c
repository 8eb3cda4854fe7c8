/* What each pool type can do, asked with enum pool_op (type_can), as the
 * action table and the verbs ask it. */
#include "../../core/pool.h"
#include "../lib/t.h"
#include "../../backends/registry.h"

static void
can(enum pool_type t, enum pool_op op, const char *opname, bool want)
{
	T_CHECK(type_can(t, op) == want, "%s pool: %s %s", pool_type_name(t),
		opname, want ? "offered" : "not offered");
}

int
main(void)
{
	backends_register_all();
	can(POOL_DIR, POOL_OP_NONE, "no operation", true);
	can(POOL_DIR, POOL_OP_BUILD, "build", true);
	can(POOL_DIR, VOL_OP_CREATE, "vol-create", true);
	can(POOL_DIR, VOL_OP_WIPE, "vol-wipe", true);
	can(POOL_DIR, POOL_OP_MAP, "map", false);
	can(POOL_DISK, POOL_OP_MAP, "map", true);
	can(POOL_LOGICAL, POOL_OP_MAP, "map", true);
	can(POOL_ISCSI, VOL_OP_CREATE, "vol-create", false);
	can(POOL_ISCSI, VOL_OP_CLONE, "vol-clone", false);
	can(POOL_ISCSI, VOL_OP_DELETE, "vol-delete", false);
	can(POOL_ISCSI, POOL_OP_BUILD, "build", false);
	can(POOL_ISCSI, POOL_OP_START, "start", true);
	can(POOL_NETFS, POOL_OP_FIND_SOURCES, "find-sources", true);
	can(POOL_DIR, POOL_OP_FIND_SOURCES, "find-sources", false);
	can((enum pool_type)POOL_TYPE_COUNT, POOL_OP_START, "an unknown type",
	    false);
	return t_done();
}
