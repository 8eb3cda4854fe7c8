/* Sizes: "NUMBER[UNIT]" and a number and unit given apart (split at the
 * first NUL). A size that parses is at most SIZE_LIMIT and prints. */
#include "fuzz.h"
#include "../../../core/units.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const uint8_t *rest;
	size_t nrest, n = fuzz_split(data, size, &rest, &nrest);
	char *a = fuzz_str(data, n), *b = fuzz_str(rest, nrest);
	char buf[64], buf2[64];
	uint64_t v, raw = 0;
	struct err e;

	err_init(&e);
	if (size_parse(a, &v, &e) == 0) {
		FUZZ_ASSERT(v <= SIZE_LIMIT, "size_parse: past the limit");
		FUZZ_ASSERT(size_pretty(v, buf, sizeof(buf))[0] != '\0',
			    "size_pretty printed nothing");
	} else {
		FUZZ_ONE_LINE(e.msg);
	}
	err_clear(&e);
	if (size_parse_unit(a, b, &v, &e) == 0)
		FUZZ_ASSERT(v <= SIZE_LIMIT, "size_parse_unit: past the limit");
	else
		FUZZ_ONE_LINE(e.msg);
	err_clear(&e);
	/* every 64-bit value prints, in both forms */
	memcpy(&raw, data, size < sizeof(raw) ? size : sizeof(raw));
	size_pretty(raw, buf, sizeof(buf));
	size_short(raw, buf2, sizeof(buf2));
	FUZZ_ASSERT(buf[0] != '\0' && buf2[0] != '\0', "a size printed empty");
	free(a);
	free(b);
	return 0;
}
