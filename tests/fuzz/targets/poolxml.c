/* Pool XML: whatever parses formats to XML that parses again to the
 * same definition (the same text once more); the rest fails in one
 * line. */
#include "fuzz.h"
#include "../../../core/model.h"
#include "../../../core/xml.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pool_def *d, *d2;
	char *x1, *x2;
	struct err e;

	err_init(&e);
	d = pool_def_parse((const char *)data, size, "fuzz", &e);
	if (d == NULL) {
		FUZZ_ONE_LINE(e.msg);
		err_clear(&e);
		return 0;
	}
	x1 = pool_def_format(d, 0);
	d2 = pool_def_parse(x1, strlen(x1), "formatted", &e);
	if (d2 == NULL)
		fprintf(stderr, "%s\n%s\n", e.msg, x1);
	FUZZ_ASSERT(d2 != NULL, "formatted pool XML does not parse");
	x2 = pool_def_format(d2, 0);
	if (strcmp(x1, x2) != 0)
		fprintf(stderr, "%s\n---\n%s\n", x1, x2);
	FUZZ_ASSERT(strcmp(x1, x2) == 0, "pool XML changes on a round trip");
	free(x1);
	free(x2);
	pool_def_free(d);
	pool_def_free(d2);
	err_clear(&e);
	return 0;
}
