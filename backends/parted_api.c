/* cistern — libparted loaded on first use (parted_api.h). */
#include "parted_api.h"

#include "../core/util.h"
#include "libload.h"

struct parted_api parted;

#define PARTED_SYM(f) { #f, (void **)&parted.f },
static const struct lib_sym parted_syms[] = {
	PARTED_FUNCS(PARTED_SYM)
};
#undef PARTED_SYM

static struct lib_load parted_lib = {
	.soname = "libparted.so.2",
	.what = "libparted",
	.packages = "libparted2",
	.syms = parted_syms,
	.nsyms = ARRAY_SIZE(parted_syms),
	.lock = PTHREAD_MUTEX_INITIALIZER,
};

int
parted_load(struct err *e)
{
	return lib_load(&parted_lib, e);
}
