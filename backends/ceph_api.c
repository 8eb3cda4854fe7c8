/* cistern — librados and librbd loaded on first use (ceph_api.h). */
#include "ceph_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct ceph_api ceph;

static pthread_mutex_t ceph_lock = PTHREAD_MUTEX_INITIALIZER;
static bool ceph_loaded;

int
ceph_load(struct err *e)
{
	void *lib;
	const char *missing = NULL;
	int rc = 0;

	pthread_mutex_lock(&ceph_lock);
	if (ceph_loaded)
		goto out;
	/* librbd brings librados with it; its functions are found through
	 * librbd's handle */
	lib = dlopen("librbd.so.1", RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		rc = err_setc(e, ERR_UNSUPPORTED, "cannot load Ceph's client "
			      "libraries (librados2, librbd1): %s", dlerror());
		goto out;
	}
#define CEPH_LOOKUP(f) \
	if (missing == NULL && \
	    (*(void **)&ceph.f = dlsym(lib, #f)) == NULL) \
		missing = #f;
	CEPH_FUNCS(CEPH_LOOKUP)
#undef CEPH_LOOKUP
	if (missing != NULL) {
		/* kept loaded: libraries with static C++ state are not
		 * unloaded safely */
		rc = err_setc(e, ERR_UNSUPPORTED, "cannot load Ceph's client "
			      "libraries: librbd.so.1 has no %s", missing);
		goto out;
	}
	ceph_loaded = true;
out:
	pthread_mutex_unlock(&ceph_lock);
	return rc;
}
