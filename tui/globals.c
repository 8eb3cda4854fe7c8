/* cistern — the global options: one table for the parser, the help, the
 * manual page and the shell completion. */
#include "globals.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hosts.h"
#include "../core/store.h"
#include "../core/util.h"

enum {
	OPT_CONFIG_DIR = 256, OPT_RUN_DIR, OPT_DRY_RUN, OPT_THEME, OPT_COLOR,
	OPT_NO_MOUSE,
};

const struct global_option global_options[] = {
	{ "connect", 'c', "URI",
	  "libvirt's pools at URI, as virsh -c, or at a host of the hosts "
	  "file by name (also CISTERN_CONNECT)" },
	{ "config-dir", OPT_CONFIG_DIR, "DIR",
	  "pool definitions (root: /etc/cistern/storage)" },
	{ "run-dir", OPT_RUN_DIR, "DIR",
	  "run-time state (root: /run/cistern)" },
	{ "dry-run", OPT_DRY_RUN, NULL,
	  "print the commands that would run; run and change nothing" },
	{ "verbose", 'v', NULL,
	  "print each command run, and a failing tool's stderr" },
	{ "read-only", 'r', NULL,
	  "refuse (and, in the interface, hide) every change" },
	{ "theme", OPT_THEME, "NAME",
	  "the interface's colour theme (also CISTERN_THEME)" },
	{ "color", OPT_COLOR, "WHEN",
	  "auto, always or never (NO_COLOR is honoured)" },
	{ "no-mouse", OPT_NO_MOUSE, NULL,
	  "the interface leaves the mouse alone" },
	{ "quiet", 'q', NULL,
	  "no messages, no table headers, no closing blank line (virsh -q)" },
	{ "version", 'V', NULL, "print the version" },
	{ "help", 'h', NULL, "print this help" },
	{ NULL, 0, NULL, NULL },
};

#define NGLOBALS (sizeof(global_options) / sizeof(*global_options) - 1)

static void
usage(bool quiet, const char *fmt, const char *arg)
{
	if (quiet)
		return;
	fputs("error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see 'cistern help')\n", stderr);
}

int
globals_parse(int argc, char **argv, struct options *o, bool quiet)
{
	struct option lo[NGLOBALS + 1];
	char shorts[2 + 2 * NGLOBALS + 1], *sp = shorts;
	int c, idx;

	*sp++ = '+';                /* stop at the verb */
	*sp++ = ':';                /* a missing value is ':' */
	for (size_t i = 0; i < NGLOBALS; i++) {
		const struct global_option *g = &global_options[i];
		lo[i] = (struct option){ g->name,
			g->arg ? required_argument : no_argument, NULL, g->key };
		if (g->key < 256) {
			*sp++ = (char)g->key;
			if (g->arg)
				*sp++ = ':';
		}
	}
	lo[NGLOBALS] = (struct option){ 0 };
	*sp = '\0';

	options_free(o);            /* a fresh scan: no -c yet */
	opterr = 0;
	optind = 0;                 /* a fresh scan (glibc) */
	while ((c = getopt_long(argc, argv, shorts, lo, &idx)) != -1) {
		switch (c) {
		case 'c': options_add_connect(o, optarg); break;
		case OPT_CONFIG_DIR: o->config_dir = optarg; break;
		case OPT_RUN_DIR: o->run_dir = optarg; break;
		case OPT_DRY_RUN: o->dry_run = true; break;
		case 'v': o->verbose = true; break;
		case 'r': o->read_only = true; break;
		case OPT_THEME: o->theme = optarg; break;
		case OPT_COLOR: o->color = optarg; break;
		case OPT_NO_MOUSE: o->no_mouse = true; break;
		case 'q': o->quiet = true; break;
		case 'V': o->version = true; break;
		case 'h': o->help = true; break;
		case ':':
			usage(quiet, "option %s needs a value", argv[optind - 1]);
			return -1;
		default:
			usage(quiet, "unknown option '%s'", argv[optind - 1]);
			return -1;
		}
	}
	return optind;
}

void
options_add_connect(struct options *o, const char *word)
{
	o->connects = xreallocarray(o->connects, o->nconnects + 1,
				    sizeof(*o->connects));
	o->connects[o->nconnects++] = word;
	if (o->nconnects == 1)
		o->connect = word;
}

int
options_resolve(struct options *o, struct err *e)
{
	char *cfg, *run;
	int rc = 0;

	if (o->connect_uris != NULL || o->nconnects == 0)
		return 0;
	store_default_dirs(o->config_dir, o->run_dir, &cfg, &run);
	o->connect_uris = xcalloc(o->nconnects, sizeof(*o->connect_uris));
	for (size_t i = 0; i < o->nconnects && rc == 0; i++)
		rc = hosts_resolve(cfg, o->connects[i], &o->connect_uris[i],
				   e);
	o->connect = o->connect_uris[0];
	free(cfg);
	free(run);
	return rc;
}

void
options_free(struct options *o)
{
	for (size_t i = 0; o->connect_uris != NULL && i < o->nconnects; i++)
		free(o->connect_uris[i]);
	free(o->connect_uris);
	free(o->connects);
	o->connect_uris = NULL;
	o->connects = NULL;
	o->nconnects = 0;
	o->connect = NULL;
}

/* "--name ARG, -k" as help shows it. */
static void
synopsis(char *buf, size_t sz, const struct global_option *g)
{
	int n = snprintf(buf, sz, "--%s%s%s", g->name, g->arg ? " " : "",
			 g->arg ? g->arg : "");
	if (g->key < 256 && n > 0 && (size_t)n < sz)
		snprintf(buf + n, sz - (size_t)n, ", -%c", g->key);
}

void
globals_help(FILE *out)
{
	char s[64];

	for (const struct global_option *g = global_options; g->name; g++) {
		synopsis(s, sizeof(s), g);
		fprintf(out, "  %-18s %s\n", s, g->help);
	}
}
