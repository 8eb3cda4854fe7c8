/* cistern — test helper (not a test): statvfs of PATH through
 * fsmount_statvfs() with a timeout of MS milliseconds, as a netfs refresh
 * does it. Prints "ok SIZE" or "error MESSAGE" and how long it took, so a
 * shell test can show that a mount whose server hangs cannot hang
 * cistern. */
#include <stdio.h>
#include <stdlib.h>

#include "../../backends/fsmount.h"
#include "../../core/util.h"

int
main(int argc, char **argv)
{
	struct statvfs sv;
	struct err e;
	int64_t t0;

	if (argc != 3) {
		fprintf(stderr, "usage: statvfs_timeout PATH MS\n");
		return 2;
	}
	err_init(&e);
	t0 = now_ms();
	if (fsmount_statvfs(argv[1], atoi(argv[2]), &sv, &e) < 0)
		printf("error %s (%lld ms)\n", e.msg,
		       (long long)(now_ms() - t0));
	else
		printf("ok %llu (%lld ms)\n",
		       (unsigned long long)sv.f_blocks * sv.f_frsize,
		       (long long)(now_ms() - t0));
	err_clear(&e);
	return 0;
}
