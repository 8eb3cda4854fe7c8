/* cistern — entry point: global options, then a verb or the interface. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/parser.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "cli.h"
#include "main.h"

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

static int
usage_error(const char *fmt, const char *arg)
{
	fputs("error: ", stderr);
	fprintf(stderr, fmt, arg);
	fputs(" (see 'cistern help')\n", stderr);
	return 1;
}

/* Global options before the verb; returns the index of the verb or argc,
 * -1 on a usage error. */
static int
parse_globals(int argc, char **argv, struct options *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		const char *a = argv[i];
		const char *val = NULL;

		if (a[0] != '-')
			break;
		if (strcmp(a, "--") == 0)
			return i + 1;
#define TAKE(name)                                                      \
	(strcmp(a, "--" name) == 0 ? (i + 1 < argc ? (val = argv[++i]) : NULL) : \
	 (strncmp(a, "--" name "=", strlen(name) + 3) == 0 ?               \
	  (val = a + strlen(name) + 3) : NULL))
		if (strcmp(a, "--dry-run") == 0)
			o->dry_run = true;
		else if (strcmp(a, "--verbose") == 0 || strcmp(a, "-v") == 0)
			o->verbose = true;
		else if (strcmp(a, "--read-only") == 0 || strcmp(a, "-r") == 0)
			o->read_only = true;
		else if (strcmp(a, "--version") == 0 || strcmp(a, "-V") == 0)
			o->version = true;
		else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0)
			o->help = true;
		else if (strcmp(a, "--no-mouse") == 0)
			o->no_mouse = true;
		else if (TAKE("config-dir"))
			o->config_dir = val;
		else if (TAKE("run-dir"))
			o->run_dir = val;
		else if (TAKE("theme"))
			o->theme = val;
		else if (TAKE("color"))
			o->color = val;
		else if (strcmp(a, "--config-dir") == 0 ||
			 strcmp(a, "--run-dir") == 0 ||
			 strcmp(a, "--theme") == 0 || strcmp(a, "--color") == 0)
			return usage_error("option %s needs a value", a), -1;
		else
			return usage_error("unknown option '%s'", a), -1;
#undef TAKE
	}
	return i;
}

/* libvirt's convention: a 'default' dir pool for images. */
char *
default_pool_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (geteuid() == 0)
		return xstrdup("/var/lib/cistern/images");
	if (x && *x == '/')
		return xasprintf("%s/cistern/images", x);
	return xasprintf("%s/.local/share/cistern/images", home ? home : "/tmp");
}

int
offer_default_pool(struct cistern *c, bool ask, FILE *out)
{
	char *dir = default_pool_dir();
	char *xml;
	struct pool_def *d;
	struct pool *p = NULL;
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
	xml = xasprintf("<pool type='dir'><name>default</name><target><path>%s"
			"</path></target></pool>", dir);
	err_init(&e);
	d = pool_def_parse(xml, strlen(xml), "default pool", &e);
	if (d == NULL || pool_define(c, d, &p, &e) < 0 ||
	    pool_start(c, p, POOL_START_BUILD, NULL, &e) < 0 ||
	    pool_set_autostart(c, p, true, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		rc = 1;
	} else {
		fprintf(out, "Pool default created in %s and started.\n", dir);
	}
	err_clear(&e);
	free(xml);
	free(dir);
	return rc;
}

int
main(int argc, char **argv)
{
	struct options o = { 0 };
	struct cistern c;
	struct cli cl;
	struct err e;
	int vi, rc;

	setlocale(LC_ALL, "");
	xmlInitParser();
	vi = parse_globals(argc, argv, &o);
	if (vi < 0)
		return 1;
	if (o.version) {
		printf("cistern %s\n", CISTERN_VERSION);
		return 0;
	}
	if (o.help) {
		cli_help(stdout, NULL);
		return 0;
	}
	backends_register_all();
	run_set_dry_run(o.dry_run);
	run_set_logger(print_command, &o);

	memset(&cl, 0, sizeof(cl));
	cl.out = stdout;
	cl.err = stderr;
	cl.verbose = o.verbose;
	cl.interactive = isatty(0) && isatty(1);
	cl.progress = isatty(1);

	if (vi < argc) {
		const struct cli_verb *v = cli_find_verb(argv[vi]);
		if (v != NULL && (v->flags & VERB_NO_STORE)) {
			/* no pools are loaded, but discovery may need a
			 * stored secret (an rbd cluster's cephx key) */
			struct store bare = { .lock_fd = -1 };
			store_default_dirs(o.config_dir, o.run_dir,
					   &bare.config_dir, &bare.run_dir);
			cl.secrets = &bare;
			rc = cli_run(&cl, argc - vi, argv + vi);
			free(bare.config_dir);
			free(bare.run_dir);
			xmlCleanupParser();
			return rc;
		}
		if (v == NULL)
			return usage_error("unknown verb '%s'", argv[vi]);
	}

	err_init(&e);
	if (cistern_open(&c, o.config_dir, o.run_dir,
			 (o.read_only ? 0 : CISTERN_LOAD_AUTOSTART), print_warning,
			 NULL, &e) < 0) {
		fprintf(stderr, "error: %s\n", e.msg);
		err_clear(&e);
		return 1;
	}
	c.read_only = o.read_only;
	cl.c = &c;

	if (vi < argc) {
		rc = cli_run(&cl, argc - vi, argv + vi);
	} else if (cl.interactive && ui_available()) {
		rc = ui_main(&c, &o);
	} else {
		char *list_argv[] = { "pool-list", "--all", "--details", NULL };
		if (c.npools == 0 && !o.read_only)
			rc = offer_default_pool(&c, cl.interactive, stdout);
		else
			rc = cli_run(&cl, 3, list_argv);
	}
	cistern_close(&c);
	xmlCleanupParser();
	return rc;
}
