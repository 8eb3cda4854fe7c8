/* cistern — the global options (before the verb): one table, read by the
 * parser (getopt_long), `cistern help`, the manual page and the shell
 * completion. */
#ifndef CISTERN_GLOBALS_H
#define CISTERN_GLOBALS_H

#include <stdio.h>

#include "../core/err.h"

#include "main.h"

struct global_option {
	const char *name;          /* --name */
	int key;                   /* its short letter, or a code >= 256 */
	const char *arg;           /* the value's name; NULL: a flag */
	const char *help;          /* one line */
};

/* The table, ended by a NULL name. */
extern const struct global_option global_options[];

/* Parse the global options of argv into *o; returns the index of the verb
 * (argc when there is none), or -1 after printing a usage error (when
 * `quiet` is false). */
int globals_parse(int argc, char **argv, struct options *o, bool quiet);

/* One more connection (a -c, or CISTERN_CONNECT when none is given). */
void options_add_connect(struct options *o, const char *word);
/* Each -c's URI (connect_uris; core/hosts.h's hosts_resolve: a host's
 * name through CONFIG/hosts) and o->connect the first; 0, or -1 with
 * e set ("no host 'x' in CONFIG/hosts"). */
int options_resolve(struct options *o, struct err *e);
/* Free what parsing and resolving allocated. */
void options_free(struct options *o);

/* The "Global options:" lines of `cistern help`. */
void globals_help(FILE *out);

#endif
