/* cistern — a library loaded when first needed, not linked (libvirt's:
 * backends/libvirt_api.c; Ceph's: backends/ceph_api.c; libparted:
 * backends/parted_api.c):
 * each fills its table of functions from the library's symbols. */
#ifndef CISTERN_LIBLOAD_H
#define CISTERN_LIBLOAD_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "../core/err.h"

/* One symbol and where its address goes. */
struct lib_sym {
	const char *name;
	void **slot;
};

struct lib_load {
	const char *soname;        /* what dlopen loads: "libvirt.so.0" */
	const char *what;          /* for errors: "libvirt's client library" */
	const char *packages;      /* what provides it: "libvirt0" */
	const struct lib_sym *syms;
	size_t nsyms;
	pthread_mutex_t lock;      /* PTHREAD_MUTEX_INITIALIZER */
	bool loaded;
};

/* Load l's library and fill its symbols (once; from any thread). -1 with
 * e set: "cannot load WHAT (PACKAGES): dlerror", or "cannot load WHAT:
 * SONAME has no SYMBOL". A library that loaded is kept loaded even when
 * a symbol is missing: libraries with threads or static C++ state are
 * not unloaded safely. */
int lib_load(struct lib_load *l, struct err *e);

#endif
