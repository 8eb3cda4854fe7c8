/* What each pool type can do, asked with enum pool_op (type_can), as the
 * action table and the verbs ask it. */
#include <stdlib.h>
#include <string.h>

#include "../../core/build.h"
#include "../../core/pool.h"
#include "../lib/t.h"
#include "../../backends/registry.h"

static void
can(enum pool_type t, enum pool_op op, const char *opname, bool want)
{
	T_CHECK(type_can(t, op) == want, "%s pool: %s %s", pool_type_name(t),
		opname, want ? "offered" : "not offered");
}

/* What a step does, in the backend's words, for a definition. */
static void
says(struct pool_args a, enum pool_say what, const char *want)
{
	struct err e;
	struct pool_def *d;
	char *got;

	err_init(&e);
	d = pool_args_def(&a, "test", NULL, &e);
	got = d ? pool_says(d, what) : NULL;
	T_CHECK(want ? got != NULL && strcmp(got, want) == 0 : got == NULL,
		"%s pool says \"%s\" (got \"%s\"%s%s)", a.type,
		want ? want : "(nothing)", got ? got : "(nothing)",
		d ? "" : ": ", d ? "" : e.msg);
	free(got);
	pool_def_free(d);
	err_clear(&e);
}

int
main(void)
{
	const char *sdb[] = { "/dev/sdb" }, *pvs[] = { "/dev/sdb", "/dev/sdc" };

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
	says((struct pool_args){ .type = "fs", .name = "f",
				 .source_devs = sdb, .nsource_devs = 1,
				 .source_format = "ext4", .target = "/mnt/f" },
	     POOL_SAY_BUILD, "run mkfs.ext4 on /dev/sdb");
	says((struct pool_args){ .type = "dir", .name = "d",
				 .target = "/srv/d" },
	     POOL_SAY_BUILD, "create the directory /srv/d");
	says((struct pool_args){ .type = "logical", .name = "l",
				 .source_devs = pvs, .nsource_devs = 2,
				 .source_name = "vg0", .target = "/dev/vg0" },
	     POOL_SAY_BUILD, "pvcreate /dev/sdb /dev/sdc, vgcreate vg0");
	says((struct pool_args){ .type = "logical", .name = "l",
				 .source_name = "vg0", .target = "/dev/vg0" },
	     POOL_SAY_BUILD, NULL);
	says((struct pool_args){ .type = "disk", .name = "k",
				 .source_devs = sdb, .nsource_devs = 1,
				 .source_format = "gpt", .target = "/dev" },
	     POOL_SAY_DESTROY, "write a new gpt label on /dev/sdb");
	says((struct pool_args){ .type = "netfs", .name = "n",
				 .source_host = "h", .source_path = "/x",
				 .target = "/mnt/n" },
	     POOL_SAY_DESTROY, NULL);
	T_CHECK(type_has(POOL_FS, BACKEND_BUILD_DESTRUCTIVE) &&
		!type_has(POOL_FS, BACKEND_DELETE_UNDOES_BUILD) &&
		type_has(POOL_DISK, BACKEND_DELETE_UNDOES_BUILD) &&
		type_has(POOL_RBD, BACKEND_VOL_SNAPSHOTS) &&
		!type_has(POOL_DIR, BACKEND_BUILD_DESTRUCTIVE),
		"type_has: the backends' flags");
	return t_done();
}
