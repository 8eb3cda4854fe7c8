/* cistern — placeholder until the full-screen interface is built in:
 * with no verb, cistern prints the pool list. */
#include "main.h"

bool
ui_available(void)
{
	return false;
}

int
ui_main(struct cistern *c, const struct options *o)
{
	(void)c;
	(void)o;
	return 1;
}

void
ui_man_keys(FILE *out)
{
	fputs("This build has no full-screen interface.\n", out);
}
