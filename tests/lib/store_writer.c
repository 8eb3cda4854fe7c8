/* store_writer CONFIG_DIR A.xml B.xml — defines the pool in A.xml, then
 * B.xml, then A.xml ... for ever, through the real store code. The store
 * test kills it with SIGKILL at random moments. After each definition it
 * prints how many are on disk, one line, flushed: the test waits for a
 * count before it picks its moment, so start-up time (long under ASan)
 * never swallows the kills. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/fileio.h"
#include "../../core/pool.h"
#include "../../core/xml.h"
#include "../../backends/registry.h"

int
main(int argc, char **argv)
{
	struct cistern c;
	struct err e;
	char *xml[2];
	size_t len[2];

	if (argc != 4)
		return 2;
	err_init(&e);
	for (int i = 0; i < 2; i++)
		if ((xml[i] = file_read_all(argv[2 + i], 1 << 20, &len[i], &e)) == NULL)
			return 2;
	backends_register_all();
	if (cistern_open(&c, argv[1], NULL, 0, NULL, NULL, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return 2;
	}
	for (unsigned long n = 0;; n++) {
		struct pool_def *d = pool_def_parse(xml[n & 1], len[n & 1], "x", &e);
		if (d == NULL || pool_define(&c, d, NULL, &e) < 0) {
			fprintf(stderr, "%s\n", e.msg);
			return 1;
		}
		printf("%lu\n", n + 1);
		fflush(stdout);
	}
}
