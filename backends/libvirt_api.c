/* cistern — libvirt's client library loaded on first use
 * (libvirt_api.h). */
#include "libvirt_api.h"

#include "../core/util.h"
#include "libload.h"

struct virt_api virt;

#define VIRT_SYM(f) { #f, (void **)&virt.f },
static const struct lib_sym virt_syms[] = {
	VIRT_FUNCS(VIRT_SYM)
	{ "virConnectAuthPtrDefault", (void **)&virt.auth_default },
};
#undef VIRT_SYM

static struct lib_load virt_lib = {
	.soname = "libvirt.so.0",
	.what = "libvirt's client library",
	.packages = "libvirt0",
	.syms = virt_syms,
	.nsyms = ARRAY_SIZE(virt_syms),
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int
virt_load(struct err *e)
{
	return lib_load(&virt_lib, e);
}
