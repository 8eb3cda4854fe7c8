/* cistern — librados and librbd loaded on first use (ceph_api.h). */
#include "ceph_api.h"

#include "../core/util.h"
#include "libload.h"

struct ceph_api ceph;

#define CEPH_SYM(f) { #f, (void **)&ceph.f },
static const struct lib_sym ceph_syms[] = { CEPH_FUNCS(CEPH_SYM) };
#undef CEPH_SYM

/* librbd brings librados with it; its functions are found through
 * librbd's handle */
static struct lib_load ceph_lib = {
	.soname = "librbd.so.1",
	.what = "Ceph's client libraries",
	.packages = "librados2, librbd1",
	.syms = ceph_syms,
	.nsyms = ARRAY_SIZE(ceph_syms),
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int
ceph_load(struct err *e)
{
	return lib_load(&ceph_lib, e);
}
