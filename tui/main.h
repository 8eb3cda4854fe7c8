/* cistern — what the entry point shares with the full-screen interface. */
#ifndef CISTERN_MAIN_H
#define CISTERN_MAIN_H

#include <stdbool.h>
#include <stdio.h>

#include "../core/pool.h"

struct options {
	const char *connect;     /* -c URI: a libvirt connection, or NULL;
				    after options_resolve, the first -c's
				    URI (NULL: this machine) */
	/* every -c (or CISTERN_CONNECT) in order, as given: a URI, the
	 * name of a host of CONFIG/hosts, or "local" (this machine) */
	const char **connects;
	size_t nconnects;
	/* after options_resolve: each one's URI, NULL for this machine */
	char **connect_uris;
	const char *config_dir;
	const char *run_dir;
	const char *theme;
	const char *color;       /* auto, always, never */
	bool dry_run;
	bool verbose;
	bool quiet;
	bool read_only;
	bool version;
	bool help;
	bool no_mouse;
};

/* Is the full-screen interface built in? */
bool ui_available(void);
/* Run it on the terminal; returns the exit status. */
int ui_main(struct cistern *c, const struct options *o);

/* First start with no pools: offer libvirt's 'default' dir pool (asks on a
 * terminal, prints the commands otherwise). */
int offer_default_pool(struct cistern *c, bool ask, FILE *out);
/* `cistern __complete WORD...`: candidates for the last word, one per
 * line (tui/complete.c, for the bash completion script). */
int complete_main(int argc, char **argv);
/* The same candidates as a list (the ':' prompt's Tab); names from
 * `have` when given. */
char **complete_words(struct cistern *have, int argc, char **argv,
		      size_t *n);

#endif
