/* The command line's argument parser: the input is argv, NUL-separated,
 * verb first. Only the parse runs (no verb); what it accepts names only
 * options and positionals of that verb. */
#include "fuzz.h"
#include "../../../tui/cli.h"

static FILE *sink;

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *buf = fuzz_str(data, size), *argv[64];
	struct cli_args a = { 0 };
	struct cli cl = { 0 };
	int argc = 0;

	if (sink == NULL && (sink = fopen("/dev/null", "w")) == NULL)
		abort();
	cl.out = cl.err = sink;
	for (size_t i = 0; i <= size && argc < 63;) {
		argv[argc++] = buf + i;
		i += strlen(buf + i) + 1;
	}
	argv[argc] = NULL;
	const struct cli_verb *v = cli_parse(&cl, argc, argv, &a);
	if (v != NULL) {
		for (size_t i = 0; i < a.n; i++)
			FUZZ_ASSERT(strstr(v->opts, a.v[i].name) != NULL ||
				    strstr(v->pos, a.v[i].name) != NULL,
				    "an argument the verb does not have");
		cli_args_free(&a);
	}
	free(buf);
	return 0;
}
