/* cistern — bench helper for tests/bench/file.sh: clone a volume in
 * process (vol_create_from, the same call `cistern vol-clone` makes) and
 * print how long the clone itself took, without the process start-up.
 *
 *   clone_engine CONFIG_DIR RUN_DIR POOL SOURCE NEWNAME
 *
 * Prints the microseconds the clone took.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/pool.h"
#include "../../core/util.h"
#include "../../backends/registry.h"

int
main(int argc, char **argv)
{
	struct cistern c;
	struct pool *p;
	struct vol_def *src, *nv;
	struct err e;
	int64_t t0, t1;

	if (argc != 6) {
		fprintf(stderr, "usage: %s CONFIG_DIR RUN_DIR POOL SOURCE "
			"NEWNAME\n", argv[0]);
		return 2;
	}
	err_init(&e);
	backends_register_all();
	if (cistern_open(&c, argv[1], argv[2], 0, NULL, NULL, &e) < 0 ||
	    (src = cistern_find_vol(&c, argv[3], argv[4], &p, &e)) == NULL) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 1;
	}
	nv = vol_def_dup(src);
	free(nv->name);
	nv->name = xstrdup(argv[5]);
	free(nv->key);
	nv->key = NULL;
	free(nv->target.path);
	nv->target.path = NULL;
	t0 = now_ns();
	if (vol_create_from(&c, p, nv, p, src, 0, NULL, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 1;
	}
	t1 = now_ns();
	printf("%lld\n", (long long)((t1 - t0) / 1000));
	vol_def_free(nv);
	cistern_close(&c);
	return 0;
}
