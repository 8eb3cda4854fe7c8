/* The LVM report parser: a `vgs` JSON report, a NUL, an `lvs` one, for
 * VG "vg". Whatever is accepted describes every visible LV as a volume
 * whose extents lie inside the VG's PVs. */
#include "fuzz.h"
#include "../../../backends/logical.h"
#include "../../../core/units.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t nrest, n = fuzz_split(data, size, &rest, &nrest);
	char *vgs = fuzz_str(data, n), *lvs = fuzz_str(rest, nrest);
	struct lvm_report r;
	struct err e;

	memset(&r, 0, sizeof(r));
	err_init(&e);
	if (lvm_report_vgs(&r, vgs, "vg", &e) < 0 ||
	    lvm_report_lvs(&r, lvs, "vg", &e) < 0) {
		FUZZ_ONE_LINE(e.msg);
		goto out;
	}
	for (size_t i = 0; i < r.nlvs; i++) {
		struct vol_def *v = lvm_report_vol(&r, &r.lvs[i], "/dev/vg");
		FUZZ_ASSERT(lvm_report_find(&r, r.lvs[i].name) != NULL,
			    "a listed LV cannot be found by its name");
		if (v != NULL) {
			FUZZ_ASSERT(v->capacity <= SIZE_LIMIT,
				    "an LV past the size limit");
			vol_def_free(v);
		}
	}
	for (size_t i = 0; i < r.npieces; i++)
		FUZZ_ASSERT(r.pieces[i].pv < r.npvs &&
			    r.pieces[i].pe + r.pieces[i].npe >= r.pieces[i].pe,
			    "an extent run outside its PV");
out:
	lvm_report_free(&r);
	err_clear(&e);
	free(vgs);
	free(lvs);
	return 0;
}
