/* cistern — the global options (before the verb): one table, read by the
 * parser (getopt_long), `cistern help`, the manual page and the shell
 * completion. */
#ifndef CISTERN_GLOBALS_H
#define CISTERN_GLOBALS_H

#include <stdio.h>

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

/* The "Global options:" lines of `cistern help`. */
void globals_help(FILE *out);

#endif
