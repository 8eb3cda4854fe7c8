/* cistern — bench helper for tests/bench/logical.sh: refresh a logical
 * pool in process (pool_refresh: one lvs and one vgs, parsing, the
 * volume list and maps, the state file) and, in the same rounds, run one
 * `lvs` asking for the same fields through the same runner.
 *
 *   logical_refresh CONFIG_DIR POOL ROUNDS
 *   logical_refresh --fields        the fields refresh asks lvs for
 *
 * Prints one line per round ("ROUND LVS_US REFRESH_US") and the number
 * of volumes the last refresh found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../backends/logical.h"
#include "../../core/pool.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../../backends/registry.h"

int
main(int argc, char **argv)
{
	struct cistern c;
	struct pool *p;
	struct err e;
	int rounds;

	if (argc == 2 && strcmp(argv[1], "--fields") == 0) {
		printf("%s\n", lvm_lvs_fields);
		return 0;
	}
	if (argc != 4) {
		fprintf(stderr, "usage: %s CONFIG_DIR POOL ROUNDS\n", argv[0]);
		return 2;
	}
	rounds = atoi(argv[3]);
	err_init(&e);
	backends_register_all();
	if (cistern_open(&c, argv[1], NULL, 0, NULL, NULL, &e) < 0 ||
	    (p = cistern_get_pool(&c, argv[2], &e)) == NULL) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 1;
	}
	const char *lvs[] = {
		"lvs", "-a", "--reportformat", "json", "--units", "b",
		"--nosuffix", "-o", lvm_lvs_fields, p->def->source.name, NULL,
	};
	const struct run_opts o = { .env = lvm_env };
	for (int i = 0; i < rounds; i++) {
		struct run_result r;
		int64_t t0 = now_ns(), t1, t2;
		if (run_argv(lvs, &o, &r, &e) < 0) {
			fprintf(stderr, "error: %s\n", e.msg);
			return 1;
		}
		run_result_free(&r);
		t1 = now_ns();
		if (pool_refresh(&c, p, NULL, &e) < 0) {
			fprintf(stderr, "error: %s\n", e.msg);
			return 1;
		}
		t2 = now_ns();
		printf("%d %lld %lld\n", i, (long long)(t1 - t0) / 1000,
		       (long long)(t2 - t1) / 1000);
	}
	printf("volumes %zu\n", p->nvols);
	cistern_close(&c);
	return 0;
}
