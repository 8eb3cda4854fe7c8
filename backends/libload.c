/* cistern — libraries loaded when first needed (libload.h). */
#include "libload.h"

#include <dlfcn.h>

int
lib_load(struct lib_load *l, struct err *e)
{
	void *lib;
	int rc = 0;

	pthread_mutex_lock(&l->lock);
	if (l->loaded)
		goto out;
	lib = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (lib == NULL) {
		rc = err_setc(e, ERR_UNSUPPORTED, "cannot load %s (%s): %s",
			      l->what, l->packages, dlerror());
		goto out;
	}
	for (size_t i = 0; i < l->nsyms; i++) {
		*l->syms[i].slot = dlsym(lib, l->syms[i].name);
		if (*l->syms[i].slot == NULL) {
			rc = err_setc(e, ERR_UNSUPPORTED, "cannot load %s: %s "
				      "has no %s", l->what, l->soname,
				      l->syms[i].name);
			goto out;
		}
	}
	l->loaded = true;
out:
	pthread_mutex_unlock(&l->lock);
	return rc;
}
