/* Benchmark helper: a disk pool's refresh in process (libparted read of
 * the label, libblkid type codes, volumes, free extents, map), N times
 * over DEV. Prints the time of the first refresh of the process (cold:
 * libparted opens the device), the mean of the following ones (warm: the
 * device is kept open) and of all of them, in microseconds, and the
 * volume count (run by tests/bench/disk.sh). */
#include <stdio.h>
#include <stdlib.h>

#include "../../core/backend.h"
#include "../../core/pool.h"
#include "../../core/util.h"
#include "../../backends/registry.h"

int
main(int argc, char **argv)
{
	const struct backend *b;
	struct pool p = { 0 };
	struct err e;
	int n, i;
	size_t nvols = 0;
	int64_t t0, t1, tfirst = 0;

	if (argc != 3 || (n = atoi(argv[2])) <= 1) {
		fprintf(stderr, "usage: %s DEV N\n", argv[0]);
		return 2;
	}
	backends_register_all();
	b = backend_get(POOL_DISK);
	p.def = pool_def_new(POOL_DISK);
	p.def->name = xstrdup("bench");
	p.def->target_path = xstrdup("/dev");
	p.def->source.devices = xcalloc(1, sizeof(*p.def->source.devices));
	p.def->source.ndevices = 1;
	p.def->source.devices[0].path = xstrdup(argv[1]);
	p.def->source.devices[0].part_separator = TRI_ABSENT;
	p.state = POOL_RUNNING;
	err_init(&e);
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		pool_clear_vols(&p);
		if (b->refresh(&p, NULL, &e) < 0) {
			fprintf(stderr, "refresh: %s\n", e.msg);
			return 1;
		}
		nvols = p.nvols;
		if (i == 0)
			tfirst = now_ns();
	}
	t1 = now_ns();
	pool_clear_vols(&p);
	pool_def_free(p.def);
	printf("%.1f %.1f %.1f %zu\n", (double)(tfirst - t0) / 1000.0,
	       (double)(t1 - tfirst) / (n - 1) / 1000.0,
	       (double)(t1 - t0) / n / 1000.0, nvols);
	return 0;
}
