/* Image header probing, every format, from memory: the input is the
 * whole file (so nothing is read past it). A probe never fails on
 * content and never gives a capacity past SIZE_LIMIT. */
#include "fuzz.h"
#include "../../../core/imgprobe.h"
#include "../../../core/units.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct img_info ii;
	struct err e;

	err_init(&e);
	/* no fd: every read is served from `data` (size == head length) */
	FUZZ_ASSERT(imgprobe_fd(-1, size, data, size, &ii, &e) == 0,
		    "a probe failed on content");
	FUZZ_ASSERT(ii.format != NULL, "no format");
	FUZZ_ASSERT(ii.capacity <= SIZE_LIMIT, "a capacity past the limit");
	FUZZ_ASSERT(ii.damaged == NULL || ii.capacity == size,
		    "a damaged image does not show its file's size");
	FUZZ_ASSERT(ii.backing == NULL || ii.backing[0] != '\0',
		    "an empty backing name");
	img_info_clear(&ii);
	err_clear(&e);
	return 0;
}
