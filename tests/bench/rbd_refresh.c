/* cistern — bench helper for tests/bench/rbd.sh: refresh an rbd pool in
 * process (pool_refresh: connect, list, open every image, size and
 * object-map allocation, cluster stats, the state file) and, in the same
 * rounds, run one `rbd ls -l` over the same Ceph pool through the same
 * runner.
 *
 *   rbd_refresh CONFIG_DIR POOL --make N     create images img0000.. in it
 *   rbd_refresh CONFIG_DIR POOL ROUNDS CEPH_CONF
 *
 * Prints one line per round ("ROUND RBD_US REFRESH_US") and the number
 * of volumes the last refresh found.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../backends/rbd.h"
#include "../../backends/registry.h"
#include "../../core/run.h"
#include "../../core/util.h"

/* Make n small images (format 2, the default features) in the pool. */
static int
make_images(struct pool *p, int n, struct err *e)
{
	struct rbd_conn c;
	rbd_image_options_t o;
	int r = 0;

	if (rbd_conn_open(p, &c, e) < 0)
		return -1;
	ceph.rbd_image_options_create(&o);
	ceph.rbd_image_options_set_uint64(o, RBD_IMAGE_OPTION_FORMAT, 2);
	ceph.rbd_image_options_set_uint64(o, RBD_IMAGE_OPTION_FEATURES,
				     RBD_CREATE_FEATURES);
	for (int i = 0; i < n && r >= 0; i++) {
		char name[32];
		snprintf(name, sizeof(name), "img%04d", i);
		r = ceph.rbd_create4(c.io, name, 1 << 20, o);
	}
	ceph.rbd_image_options_destroy(o);
	rbd_conn_close(&c);
	if (r < 0)
		return rbd_fail(e, r, "rbd_create4");
	return 0;
}

int
main(int argc, char **argv)
{
	struct cistern c;
	struct pool *p;
	struct err e;
	int rounds;

	if (argc != 5) {
		fprintf(stderr, "usage: %s CONFIG_DIR POOL ROUNDS CEPH_CONF | "
			"--make N\n", argv[0]);
		return 2;
	}
	err_init(&e);
	backends_register_all();
	if (cistern_open(&c, argv[1], NULL, 0, NULL, NULL, &e) < 0 ||
	    (p = cistern_get_pool(&c, argv[2], &e)) == NULL) {
		fprintf(stderr, "error: %s\n", e.msg);
		return 1;
	}
	if (strcmp(argv[3], "--make") == 0) {
		if (make_images(p, atoi(argv[4]), &e) < 0) {
			fprintf(stderr, "error: %s\n", e.msg);
			return 1;
		}
		cistern_close(&c);
		return 0;
	}
	rounds = atoi(argv[3]);
	const char *ls[] = {
		"rbd", "-c", argv[4], "ls", "-l", p->def->source.name, NULL,
	};
	const struct run_opts o = { 0 };
	for (int i = 0; i < rounds; i++) {
		struct run_result r;
		int64_t t0 = now_ns(), t1, t2;
		if (run_argv(ls, &o, &r, &e) < 0) {
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
