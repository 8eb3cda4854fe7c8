/* Volume XML, read for each pool type (the first byte picks it, the
 * second the parse flags): a round trip keeps the text; errors are one
 * line. */
#include "fuzz.h"
#include "../../../core/model.h"
#include "../../../core/xml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum pool_type t;
	unsigned flags;
	struct vol_def *v, *v2;
	char *x1, *x2;
	struct err e;

	if (size < 2)
		return 0;
	t = (enum pool_type)(data[0] % POOL_TYPE_COUNT);
	flags = data[1] & 3;
	data += 2;
	size -= 2;
	err_init(&e);
	v = vol_def_parse((const char *)data, size, "fuzz", t, flags, &e);
	if (v == NULL) {
		FUZZ_ONE_LINE(e.msg);
		err_clear(&e);
		return 0;
	}
	x1 = vol_def_format(v, t);
	v2 = vol_def_parse(x1, strlen(x1), "formatted", t,
			   flags | VOL_PARSE_NO_CAPACITY, &e);
	if (v2 == NULL)
		fprintf(stderr, "%s\n%s\n", e.msg, x1);
	FUZZ_ASSERT(v2 != NULL, "formatted volume XML does not parse");
	x2 = vol_def_format(v2, t);
	if (strcmp(x1, x2) != 0)
		fprintf(stderr, "%s\n---\n%s\n", x1, x2);
	FUZZ_ASSERT(strcmp(x1, x2) == 0, "volume XML changes on a round trip");
	free(x1);
	free(x2);
	vol_def_free(v);
	vol_def_free(v2);
	err_clear(&e);
	return 0;
}
