/* cistern — helpers for C tests: each case prints "ok NAME" or
 * "not ok NAME: why"; t_done() returns the exit status. */
#ifndef CISTERN_T_H
#define CISTERN_T_H

#include <stdio.h>
#include <stdlib.h>

static int t_failed;

#define T_OK(...) do { printf("ok "); printf(__VA_ARGS__); printf("\n"); } while (0)
#define T_FAIL(...) do { printf("not ok "); printf(__VA_ARGS__); printf("\n"); t_failed++; } while (0)
#define T_SKIP(...) do { printf("skip "); printf(__VA_ARGS__); printf("\n"); } while (0)
/* T_CHECK(cond, name-format, args...) */
#define T_CHECK(cond, ...) do { if (cond) T_OK(__VA_ARGS__); else { \
	printf("not ok "); printf(__VA_ARGS__); printf(": %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
	t_failed++; } } while (0)

static inline int t_done(void) { fflush(stdout); return t_failed ? 1 : 0; }

/* The directory of libvirt's test data. */
static inline const char *
t_peer(void)
{
	const char *p = getenv("PEER");
	const char *top = getenv("TOP");
	static char buf[4096];
	FILE *f;
	if (p && *p)
		return p;
	/* the copy in tests/ (it has the rbd files), else the shared peer
	 * data next to the checkout */
	snprintf(buf, sizeof(buf), "%s/tests/peer/libvirt/README.md",
		 top ? top : ".");
	if ((f = fopen(buf, "r")) != NULL) {
		fclose(f);
		snprintf(buf, sizeof(buf), "%s/tests/peer/libvirt",
			 top ? top : ".");
		return buf;
	}
	snprintf(buf, sizeof(buf), "%s/../shared/peer/libvirt", top ? top : ".");
	return buf;
}

#endif
