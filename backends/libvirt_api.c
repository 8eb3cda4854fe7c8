/* cistern — libvirt's client library loaded on first use
 * (libvirt_api.h). */
#include "libvirt_api.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

struct virt_api virt;

static pthread_mutex_t virt_lock = PTHREAD_MUTEX_INITIALIZER;
static bool virt_loaded;

int
virt_load(struct err *e)
{
	const char *missing = NULL;
	virConnectAuthPtr *auth;
	void *lib;
	int rc = 0;

	pthread_mutex_lock(&virt_lock);
	if (virt_loaded)
		goto out;
	lib = dlopen("libvirt.so.0", RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		rc = err_setc(e, ERR_UNSUPPORTED, "cannot load libvirt's "
			      "client library (libvirt0): %s", dlerror());
		goto out;
	}
#define VIRT_LOOKUP(f) \
	if (missing == NULL && \
	    (*(void **)&virt.f = dlsym(lib, #f)) == NULL) \
		missing = #f;
	VIRT_FUNCS(VIRT_LOOKUP)
#undef VIRT_LOOKUP
	auth = dlsym(lib, "virConnectAuthPtrDefault");
	if (missing == NULL && auth == NULL)
		missing = "virConnectAuthPtrDefault";
	if (missing != NULL) {
		/* kept loaded: its threads and GLib's state are not unloaded
		 * safely */
		rc = err_setc(e, ERR_UNSUPPORTED, "cannot load libvirt's "
			      "client library: libvirt.so.0 has no %s",
			      missing);
		goto out;
	}
	virt.auth_default = *auth;
	virt_loaded = true;
out:
	pthread_mutex_unlock(&virt_lock);
	return rc;
}
