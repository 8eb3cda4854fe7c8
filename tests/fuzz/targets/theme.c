/* The theme file parser: any text parses or fails with a one-line
 * reason naming the line. */
#include "fuzz.h"
#include "../../../tui/ui.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct theme base;
	static int have_base;
	char *text = fuzz_str(data, size), why[256] = "";
	struct theme t;

	/* the built-in theme is parsed text too: once, not per input */
	if (!have_base) {
		theme_builtin(&base, false);
		have_base = 1;
	}
	t = base;
	if (theme_parse(text, "fuzz.theme", &t, why, sizeof(why)) < 0)
		FUZZ_ASSERT(strncmp(why, "fuzz.theme:", 11) == 0 &&
			    strchr(why, '\n') == NULL,
			    "a theme error without its line");
	free(text);
	return 0;
}
