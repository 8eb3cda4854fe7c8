/* cistern — entry point: global options, then a verb or the interface. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "../core/backend.h"
#include "../core/build.h"
#include "../core/engine.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "cli.h"
#include "globals.h"
#include "main.h"
#include "ui_hosts.h"
#include "../backends/registry.h"

#ifndef CISTERN_VERSION
#define CISTERN_VERSION "0.1.0"
#endif

static void
print_command(const struct run_log_entry *ent, void *arg)
{
	struct options *o = arg;
	char *line;

	if (ent->status != RUN_PENDING || !(o->verbose || ent->dry_run))
		return;
	line = run_argv_line(ent->argv);
	if (ent->dry_run)
		printf("%s\n", line);
	else
		fprintf(stderr, "+ %s\n", line);
	free(line);
}

static void
print_warning(void *arg, const char *msg)
{
	(void)arg;
	fprintf(stderr, "warning: %s\n", msg);
}

int
offer_default_pool(struct cistern *c, bool ask, FILE *out)
{
	char *dir = default_pool_dir();
	struct err e;
	char line[16];
	int rc = 0;

	if (!ask) {
		fprintf(out, "No storage pools are defined. To create libvirt's "
			"'default' pool:\n  cistern pool-define-as default dir "
			"--target %s && cistern pool-start default --build && "
			"cistern pool-autostart default\n", dir);
		free(dir);
		return 0;
	}
	fprintf(out, "No storage pools are defined yet.\nCreate the 'default' "
		"dir pool in %s (libvirt's convention)? [y/N] ", dir);
	fflush(out);
	if (fgets(line, sizeof(line), stdin) == NULL ||
	    (line[0] != 'y' && line[0] != 'Y')) {
		free(dir);
		return 0;
	}
	err_init(&e);
	if (pool_create_default(c, dir, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		rc = 1;
	} else {
		fprintf(out, "Pool default created in %s and started.\n", dir);
	}
	err_clear(&e);
	free(dir);
	return rc;
}

/* A verb, then virsh's closing blank line (not with -q), which virsh
 * prints after every command, failed or not. */
static int
run_verb(struct cli *cl, int argc, char **argv)
{
	int rc = cli_run(cl, argc, argv);

	if (!cl->quiet)
		fputc('\n', cl->out);
	return rc;
}

/* Only one connection for a verb or the pool list; several -c are for
 * the interface. */
static int
one_connection(const struct options *o, const char *what)
{
	if (o->nconnects <= 1)
		return 0;
	fprintf(stderr, "error: -c given %zu times: %s runs on one "
		"connection (several are for the interface)\n", o->nconnects,
		what);
	return -1;
}

static int
main_run(int argc, char **argv, struct options *o)
{
	struct cistern c;
	struct cli cl;
	struct err e;
	int vi, rc;

	setlocale(LC_ALL, "");
	if (argc > 1 && strcmp(argv[1], "__complete") == 0) {
		backends_register_all();
		return complete_main(argc - 2, argv + 2);
	}
	xmlInitParser();
	vi = globals_parse(argc, argv, o, false);
	if (vi < 0)
		return 1;
	if (o->version) {
		printf("cistern %s\n", CISTERN_VERSION);
		return 0;
	}
	if (o->help) {
		cli_help(stdout, NULL);
		return 0;
	}
	backends_register_all();
	if (o->nconnects == 0 && getenv("CISTERN_CONNECT") != NULL &&
	    *getenv("CISTERN_CONNECT") != '\0')
		options_add_connect(o, getenv("CISTERN_CONNECT"));
	run_set_dry_run(o->dry_run);
	run_set_logger(print_command, o);

	memset(&cl, 0, sizeof(cl));
	cl.out = stdout;
	cl.err = stderr;
	cl.verbose = o->verbose;
	cl.quiet = o->quiet;
	cl.read_only = o->read_only;
	cl.interactive = isatty(0) && isatty(1);
	cl.progress = isatty(1);

	const struct cli_verb *v = vi < argc ? cli_find_verb(argv[vi]) : NULL;
	if (vi < argc && v == NULL) {
		fprintf(stderr, "error: unknown verb '%s' (see 'cistern "
			"help')\n", argv[vi]);
		return 1;
	}
	/* -c NAME: a host of the hosts file; a verb that needs no
	 * connection (help, the host verbs) leaves -c alone */
	if (v == NULL || !(v->flags & VERB_NO_CONNECT)) {
		err_init(&e);
		if (options_resolve(o, &e) < 0) {
			fprintf(stderr, "error: %s\n", e.msg);
			err_clear(&e);
			return 1;
		}
		bool screen = v == NULL && cl.interactive && ui_available();
		if (!screen && one_connection(o, v != NULL ? v->name :
					      "the pool list") < 0)
			return 1;
	}
	/* over a connection, discovery asks the other side */
	if (v != NULL && (v->flags & VERB_NO_STORE) &&
	    (o->connect == NULL || (v->flags & VERB_NO_CONNECT))) {
		/* no pools are loaded, but discovery may need a stored
		 * secret (an rbd cluster's cephx key), and the host verbs
		 * the config dir */
		struct store bare;
		char *cfg, *run;
		store_default_dirs(o->config_dir, o->run_dir, &cfg, &run);
		store_open(&bare, cfg, run, NULL);
		free(cfg);
		free(run);
		cl.secrets = &bare;
		cl.config = &bare;
		rc = run_verb(&cl, argc - vi, argv + vi);
		store_close(&bare);
		xmlCleanupParser();
		return rc;
	}

	/* several hosts on the screen: main opens this machine, the screen
	 * the libvirt hosts, each in the background */
	const char *uri = o->connect;
	char why[512] = "";
	if (v == NULL && cl.interactive && ui_available() &&
	    ui_hosts_wanted(o, why, sizeof(why)))
		uri = NULL;
	err_init(&e);
	if (cistern_connect(&c, uri, o->config_dir, o->run_dir,
			    CISTERN_LOAD_AUTOSTART |
			    (vi >= argc && cl.interactive && ui_available() ?
			     CISTERN_LONG_LIVED : 0),
			    o->read_only, print_warning, NULL, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		err_clear(&e);
		return 1;
	}
	cl.c = &c;

	if (vi < argc) {
		rc = run_verb(&cl, argc - vi, argv + vi);
	} else if (cl.interactive && ui_available()) {
		rc = ui_main(&c, o);
	} else {
		char *list_argv[] = { "pool-list", "--all", "--details", NULL };
		if (c.npools == 0 && !o->read_only && o->connect == NULL)
			rc = offer_default_pool(&c, cl.interactive, stdout);
		else
			rc = run_verb(&cl, 3, list_argv);
	}
	cistern_close(&c);
	xmlCleanupParser();
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	int rc = main_run(argc, argv, &o);

	options_free(&o);
	return rc;
}
