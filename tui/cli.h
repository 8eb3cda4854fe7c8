/* cistern — the batch command line: virsh's verbs for scripts.
 *
 * Every verb is one entry of one table (cli_verbs): its name, positional
 * arguments, options, summary and handler. Help, usage errors and the
 * full-screen interface's ':' prompt all come from that table.
 * Verbs print to cl->out / cl->err (not stdout directly), so the
 * interface can run them with the output captured.
 */
#ifndef CISTERN_CLI_H
#define CISTERN_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "../core/err.h"
#include "../core/job.h"
#include "../core/pool.h"

struct cli {
	struct cistern *c;
	FILE *out;
	FILE *err;
	bool verbose;
	bool quiet;                /* -q: no messages, no table headers */
	bool interactive;          /* stdin and stdout are terminals */
	bool progress;             /* draw a progress line (stdout is a tty) */
	struct job *job;           /* the running long operation, for SIGINT */
	const struct store *secrets;  /* verbs run without the pools loaded:
					 where the secrets are (or NULL) */
	struct store *config;      /* the same, for the host verbs: the
				      config dir's store (NULL: c's) */
	bool read_only;            /* --read-only (with c: c->read_only) */
	char error[ERR_MSG_MAX];   /* the first error the verb reported ("":
				      none), for a caller that shows it
				      elsewhere (the ':' prompt) */
};

/* Parsed arguments of one verb: positional values by name and options. */
struct cli_arg {
	const char *name;          /* option or positional name */
	const char *value;         /* NULL for a flag */
};
struct cli_args {
	struct cli_arg *v;
	size_t n;
};

/* Flags of a verb. */
enum {
	VERB_WRITES = 1 << 0,      /* refused with --read-only */
	VERB_NO_STORE = 1 << 1,    /* runs without opening the config store */
	VERB_NO_CONNECT = 1 << 2,  /* with VERB_NO_STORE: never connects,
				      even with -c (help, the hosts file) */
};

struct cli_verb {
	const char *name;
	int (*fn)(struct cli *cl, const struct cli_args *a);
	/* positional names, space separated; "name?" is optional,
	 * "name..." takes the rest */
	const char *pos;
	/* options, space separated; "name=" takes a value, "name=*" may
	 * repeat */
	const char *opts;
	const char *summary;
	const char *help;          /* details, one option per line, or NULL */
	unsigned flags;
};

extern const struct cli_verb cli_verbs[];
const struct cli_verb *cli_find_verb(const char *name);

/* Run one verb with its arguments (argv[0] is the verb name).
 * Returns the exit status (0 or 1); errors are printed as "error: ...". */
int cli_run(struct cli *cl, int argc, char **argv);
/* Only the parse of cli_run: the verb and its arguments (NULL after a
 * one-line error on cl->err). Free `a` with cli_args_free. */
const struct cli_verb *cli_parse(struct cli *cl, int argc, char **argv,
				 struct cli_args *a);
void cli_args_free(struct cli_args *a);

/* Print help for all verbs or one; the manual page (tui/man.c). */
void cli_help(FILE *out, const char *verb);
void cli_man(FILE *out);

/* A verb's spec (pos or opts): is NAME (NLEN bytes) a word of it, and
 * what follows the name there ("", "?", "...", "=", "=*")? The NTH
 * word's name (a "name..." word stands for all that follow), "" past
 * the end. */
bool cli_spec_has(const char *list, const char *name, size_t nlen,
		  const char **suffix);
bool cli_spec_nth(const char *list, size_t nth, char *buf, size_t bufsz);

/* Argument access. */
const char *cli_get(const struct cli_args *a, const char *name);
bool cli_flag(const struct cli_args *a, const char *name);
/* All values of a repeatable option; returns the count. */
size_t cli_get_all(const struct cli_args *a, const char *name,
		   const char **out, size_t max);

/* FILE's content, or stdin's for "-" (an error is printed on failure). */
char *cli_read_input(struct cli *cl, const char *file, size_t *len);
/* The pool named by the "pool" argument (an error is printed if none). */
struct pool *cli_pool_arg(struct cli *cl, const struct cli_args *a);
/* --overwrite/--no-overwrite/--build as pool_build/pool_start flags. */
unsigned cli_build_flags(const struct cli_args *a);
/* Start a pool with a progress line and Ctrl-C; prints the error. */
int cli_start_pool(struct cli *cl, struct pool *p, unsigned flags);

/* Output helpers. */
/* A document, or with --xpath EXPR [--wrap] what virsh prints of it. */
int cli_print_xml(struct cli *cl, const struct cli_args *a, const char *xml);
int cli_error(struct cli *cl, const struct err *e);
int cli_fail(struct cli *cl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* What virsh prints with vshPrintExtra: a message on cl->out that -q
 * leaves out ("Pool images started"). */
void cli_extra(struct cli *cl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void cli_warn(struct cli *cl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Job helpers: set up a job that draws a progress line and is cancelled
 * by SIGINT; finish clears the line. */
void cli_job_begin(struct cli *cl, struct job *j, const char *what);
void cli_job_end(struct cli *cl, struct job *j);

/* Ask a yes/no question on the terminal (default no). */
bool cli_confirm(struct cli *cl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Run $VISUAL or $EDITOR (no shell) on a file; 0 when it exits 0. */
int cli_editor(const char *file, struct err *e);

/* The pool-define-as command line that makes `a` (argv[0] is the verb;
 * NULL-terminated; strv_free it): the wizard's scriptable twin. */
struct pool_args;
char **cli_pool_args_argv(const struct pool_args *a, bool print_xml);

/* Verb handlers live in cli_pool.c and cli_vol.c. */
#define CLI_HANDLER(name) int name(struct cli *cl, const struct cli_args *a)
CLI_HANDLER(cmd_pool_define);
CLI_HANDLER(cmd_pool_define_as);
CLI_HANDLER(cmd_pool_create);
CLI_HANDLER(cmd_pool_create_as);
CLI_HANDLER(cmd_pool_undefine);
CLI_HANDLER(cmd_pool_list);
CLI_HANDLER(cmd_pool_info);
CLI_HANDLER(cmd_pool_dumpxml);
CLI_HANDLER(cmd_pool_edit);
CLI_HANDLER(cmd_pool_autostart);
CLI_HANDLER(cmd_pool_name);
CLI_HANDLER(cmd_pool_uuid);
CLI_HANDLER(cmd_pool_capabilities);
CLI_HANDLER(cmd_pool_build);
CLI_HANDLER(cmd_pool_start);
CLI_HANDLER(cmd_pool_destroy);
CLI_HANDLER(cmd_pool_delete);
CLI_HANDLER(cmd_pool_refresh);
CLI_HANDLER(cmd_find_sources);
CLI_HANDLER(cmd_find_sources_as);
CLI_HANDLER(cmd_import_libvirt);
CLI_HANDLER(cmd_pool_event);
CLI_HANDLER(cmd_start_autostart);
CLI_HANDLER(cmd_vol_list);
CLI_HANDLER(cmd_vol_info);
CLI_HANDLER(cmd_vol_dumpxml);
CLI_HANDLER(cmd_vol_path);
CLI_HANDLER(cmd_vol_key);
CLI_HANDLER(cmd_vol_name);
CLI_HANDLER(cmd_vol_pool);
CLI_HANDLER(cmd_vol_create);
CLI_HANDLER(cmd_vol_create_as);
CLI_HANDLER(cmd_vol_create_from);
CLI_HANDLER(cmd_vol_clone);
CLI_HANDLER(cmd_vol_delete);
CLI_HANDLER(cmd_vol_wipe);
CLI_HANDLER(cmd_vol_resize);
CLI_HANDLER(cmd_vol_upload);
CLI_HANDLER(cmd_vol_download);
CLI_HANDLER(cmd_pool_map);
CLI_HANDLER(cmd_secret_set_value);
CLI_HANDLER(cmd_secret_list);
CLI_HANDLER(cmd_secret_undefine);
CLI_HANDLER(cmd_uri);
CLI_HANDLER(cmd_hostname);
CLI_HANDLER(cmd_help);
/* the hosts file (cli_host.c) */
CLI_HANDLER(cmd_host_list);
CLI_HANDLER(cmd_host_add);
CLI_HANDLER(cmd_host_edit);
CLI_HANDLER(cmd_host_remove);

#endif
