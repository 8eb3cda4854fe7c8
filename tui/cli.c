/* cistern — the batch command line: argument parsing against the verb
 * table (cli_verbs.c), help, errors and progress. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "globals.h"

/* The next word of a space-separated spec at *p: its name's length and
 * start; *suffix is what follows the name ("", "?", "...", "=", "=*").
 * NULL at the end. */
static const char *
spec_next(const char **p, size_t *wl, const char **suffix)
{
	const char *w, *end;

	if (*p == NULL)
		return NULL;
	while (**p == ' ')
		(*p)++;
	if (**p == '\0')
		return NULL;
	w = *p;
	end = w;
	while (*end && *end != ' ')
		end++;
	*wl = 0;
	while (w + *wl < end && w[*wl] != '?' && w[*wl] != '=' &&
	       w[*wl] != '.')
		(*wl)++;
	*suffix = w + *wl;
	*p = end;
	return w;
}

bool
cli_spec_has(const char *list, const char *name, size_t nlen,
	     const char **suffix)
{
	const char *p = list, *w, *sfx;
	size_t wl;

	while ((w = spec_next(&p, &wl, &sfx)) != NULL) {
		if (wl == nlen && strncmp(w, name, nlen) == 0) {
			if (suffix)
				*suffix = sfx;
			return true;
		}
	}
	return false;
}

bool
cli_spec_nth(const char *list, size_t nth, char *buf, size_t bufsz)
{
	const char *p = list, *w, *sfx;
	size_t wl, i = 0;

	while ((w = spec_next(&p, &wl, &sfx)) != NULL) {
		bool rest = strncmp(sfx, "...", 3) == 0;
		if (i == nth || (rest && i < nth)) {
			snprintf(buf, bufsz, "%.*s", (int)wl, w);
			return true;
		}
		i++;
	}
	buf[0] = '\0';
	return false;
}

static void
args_add(struct cli_args *a, const char *name, const char *value)
{
	a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = (struct cli_arg){ .name = name, .value = value };
}

const char *
cli_get(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return a->v[i].value;
	return NULL;
}

bool
cli_flag(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return true;
	return false;
}

size_t
cli_get_all(const struct cli_args *a, const char *name, const char **out,
	    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n && n < max; i++)
		if (strcmp(a->v[i].name, name) == 0)
			out[n++] = a->v[i].value;
	return n;
}

int
cli_print_xml(struct cli *cl, const struct cli_args *a, const char *xml)
{
	const char *expr = cli_get(a, "xpath");
	struct err e;
	char *sel;

	if (expr == NULL) {
		fputs(xml, cl->out);
		return 0;
	}
	err_init(&e);
	sel = xml_xpath_dump(xml, expr, cli_flag(a, "wrap"), &e);
	if (sel == NULL) {
		cli_error(cl, &e);
		err_clear(&e);
		return 1;
	}
	fputs(sel, cl->out);
	free(sel);
	return 0;
}

int
cli_error(struct cli *cl, const struct err *e)
{
	fprintf(cl->err, "error: %s\n", e->msg[0] ? e->msg : "failed");
	if (cl->error[0] == '\0')
		snprintf(cl->error, sizeof(cl->error), "%s",
			 e->msg[0] ? e->msg : "failed");
	if (cl->verbose && e->argv != NULL) {
		char *line = run_argv_line((const char *const *)e->argv);
		fprintf(cl->err, "  command: %s\n", line);
		free(line);
		if (e->tool_stderr && *e->tool_stderr) {
			fputs("  stderr:\n", cl->err);
			const char *s = e->tool_stderr;
			while (*s) {
				const char *eol = strchr(s, '\n');
				size_t n = eol ? (size_t)(eol - s) : strlen(s);
				fprintf(cl->err, "    %.*s\n", (int)n, s);
				s += n;
				if (*s == '\n')
					s++;
			}
		}
	}
	return 1;
}

int
cli_fail(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	char msg[ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(cl->err, "error: %s\n", msg);
	if (cl->error[0] == '\0')
		snprintf(cl->error, sizeof(cl->error), "%s", msg);
	return 1;
}

void
cli_extra(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	if (cl->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(cl->out, fmt, ap);
	va_end(ap);
}

void
cli_warn(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	fputs("warning: ", cl->err);
	va_start(ap, fmt);
	vfprintf(cl->err, fmt, ap);
	va_end(ap);
	fputc('\n', cl->err);
}

static void
usage_line(FILE *out, const struct cli_verb *v)
{
	fprintf(out, "usage: cistern %s", v->name);
	const char *p = v->pos;
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		size_t wl = 0;
		while (p + wl < end && p[wl] != '?' && p[wl] != '.')
			wl++;
		bool opt = p[wl] == '?';
		fputc(' ', out);
		if (opt)
			fputc('[', out);
		for (size_t i = 0; i < wl; i++)
			fputc(p[i] == '-' ? '-' : (p[i] >= 'a' && p[i] <= 'z') ?
			      p[i] - 32 : p[i], out);
		if (opt)
			fputc(']', out);
		p = end;
	}
	p = v->opts;
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		if (end > p) {
			size_t wl = 0;
			while (p + wl < end && p[wl] != '=')
				wl++;
			fprintf(out, " [--%.*s%s]", (int)wl, p,
				p[wl] == '=' ? " X" : "");
		}
		p = end;
	}
	fputc('\n', out);
}

void
cli_help(FILE *out, const char *verb)
{
	if (verb != NULL) {
		const struct cli_verb *v = cli_find_verb(verb);
		if (v == NULL) {
			fprintf(out, "unknown verb '%s'\n", verb);
			return;
		}
		usage_line(out, v);
		fprintf(out, "\n  %s\n", v->summary);
		if (v->help)
			fprintf(out, "\n%s", v->help);
		return;
	}
	fputs("usage: cistern [GLOBAL OPTIONS] [VERB [ARGS]]\n"
	      "\n"
	      "Manage storage pools and volumes (libvirt-compatible XML).\n"
	      "With no verb, on a terminal, the full-screen interface opens;\n"
	      "otherwise the pool list is printed.\n"
	      "\n"
	      "Global options:\n", out);
	globals_help(out);
	fputs("\n"
	      "Verbs:\n", out);
	for (const struct cli_verb *v = cli_verbs; v->name != NULL; v++)
		fprintf(out, "  %-30s %s\n", v->name, v->summary);
	fputs("\nRun 'cistern help VERB' for a verb's options.\n", out);
}

CLI_HANDLER(cmd_help)
{
	if (cli_flag(a, "man"))
		cli_man(cl->out);
	else
		cli_help(cl->out, cli_get(a, "verb"));
	return 0;
}

/* Parse argv (argv[0] = verb) against the verb's spec. */
static int
parse_args(struct cli *cl, const struct cli_verb *v, int argc, char **argv,
	   struct cli_args *a)
{
	const char *posp = v->pos;
	bool only_pos = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *suffix;

		if (!only_pos && strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && arg[0] == '-' && arg[1] == '-' && arg[2] != '\0') {
			const char *name = arg + 2;
			const char *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			char *key;

			if (cli_spec_has(v->opts, name, nl, &suffix)) {
				key = xstrndup(name, nl);
				if (suffix[0] == '=') {
					const char *val = eq ? eq + 1 : NULL;
					if (val == NULL) {
						if (i + 1 >= argc) {
							cli_fail(cl,
								 "option --%s needs a value",
								 key);
							free(key);
							return -1;
						}
						val = argv[++i];
					}
					if (suffix[1] != '*' && cli_get(a, key)) {
						cli_fail(cl, "option --%s given twice",
							 key);
						free(key);
						return -1;
					}
					args_add(a, key, val);
				} else {
					if (eq != NULL) {
						cli_fail(cl,
							 "option --%s takes no value",
							 key);
						free(key);
						return -1;
					}
					args_add(a, key, NULL);
				}
				continue;
			}
			if (cli_spec_has(v->pos, name, nl, &suffix)) {
				/* a positional given by name: --pool NAME */
				key = xstrndup(name, nl);
				const char *val = eq ? eq + 1 : NULL;
				if (val == NULL) {
					if (i + 1 >= argc) {
						cli_fail(cl, "option --%s needs a value",
							 key);
						free(key);
						return -1;
					}
					val = argv[++i];
				}
				if (cli_get(a, key)) {
					cli_fail(cl, "'%s' given twice", key);
					free(key);
					return -1;
				}
				args_add(a, key, val);
				continue;
			}
			cli_fail(cl, "%s: unknown option '%s' (see 'cistern help %s')",
				 v->name, arg, v->name);
			return -1;
		}
		/* next positional not already given by name */
		for (;;) {
			const char *w, *sfx;
			size_t wl;
			if ((w = spec_next(&posp, &wl, &sfx)) == NULL) {
				cli_fail(cl, "%s: unexpected argument '%s' (see "
					 "'cistern help %s')", v->name, arg,
					 v->name);
				return -1;
			}
			char *key = xstrndup(w, wl);
			if (cli_get(a, key) != NULL) {
				free(key);
				continue;
			}
			args_add(a, key, arg);
			break;
		}
	}
	/* every required positional present? */
	const char *p = v->pos, *w, *sfx;
	size_t wl;
	while ((w = spec_next(&p, &wl, &sfx)) != NULL) {
		if (wl == 0 || *sfx == '?')
			continue;
		char *key = xstrndup(w, wl);
		bool have = cli_get(a, key) != NULL;
		if (!have) {
			cli_fail(cl, "%s: missing argument %s (see 'cistern "
				 "help %s')", v->name, key, v->name);
			free(key);
			return -1;
		}
		free(key);
	}
	return 0;
}

void
cli_args_free(struct cli_args *a)
{
	for (size_t i = 0; i < a->n; i++)
		free((char *)a->v[i].name);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

const struct cli_verb *
cli_parse(struct cli *cl, int argc, char **argv, struct cli_args *a)
{
	const struct cli_verb *v = cli_find_verb(argv[0]);

	if (v == NULL) {
		cli_fail(cl, "unknown verb '%s' (see 'cistern help')", argv[0]);
		return NULL;
	}
	if (parse_args(cl, v, argc, argv, a) < 0) {
		cli_args_free(a);
		return NULL;
	}
	return v;
}

int
cli_run(struct cli *cl, int argc, char **argv)
{
	const struct cli_verb *v;
	struct cli_args a = { 0 };
	int rc;

	if ((v = cli_parse(cl, argc, argv, &a)) == NULL)
		return 1;
	if (!(v->flags & VERB_NO_STORE) && cl->c == NULL) {
		cli_args_free(&a);
		return cli_fail(cl, "%s: no config store", v->name);
	}
	rc = v->fn(cl, &a);
	cli_args_free(&a);
	return rc;
}

/* ---- jobs: a progress line and Ctrl-C ---- */

static struct job *volatile sigint_job;

static void
on_sigint(int sig)
{
	(void)sig;
	if (sigint_job != NULL)
		job_cancel(sigint_job);
}

static void
progress_draw(struct job *j, void *arg)
{
	struct cli *cl = arg;
	char done[32], total[32], rate[32];
	int64_t eta = job_eta_s(j);

	if (!cl->progress)
		return;
	size_pretty(j->done, done, sizeof(done));
	size_pretty((uint64_t)job_rate(j), rate, sizeof(rate));
	if (j->total > 0) {
		size_pretty(j->total, total, sizeof(total));
		int pct = (int)(j->done * 100 / (j->total ? j->total : 1));
		fprintf(cl->out, "\r%s: %3d%%  %s / %s  %s/s", j->phase, pct,
			done, total, rate);
		if (eta >= 0)
			fprintf(cl->out, "  %02lld:%02lld left",
				(long long)(eta / 60), (long long)(eta % 60));
	} else {
		fprintf(cl->out, "\r%s: %s  %s/s", j->phase, done, rate);
	}
	fputs("\033[K", cl->out);
	fflush(cl->out);
}

void
cli_job_begin(struct cli *cl, struct job *j, const char *what)
{
	struct sigaction sa;

	job_init(j, progress_draw, cl);
	snprintf(j->phase, sizeof(j->phase), "%s", what);
	cl->job = j;
	sigint_job = j;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
cli_job_end(struct cli *cl, struct job *j)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigint_job = NULL;
	cl->job = NULL;
	if (cl->progress && j->last_notify_ms != 0) {
		fputs("\r\033[K", cl->out);
		fflush(cl->out);
	}
}

bool
cli_confirm(struct cli *cl, const char *fmt, ...)
{
	char line[64];
	va_list ap;

	if (!cl->interactive)
		return false;
	va_start(ap, fmt);
	vfprintf(cl->out, fmt, ap);
	va_end(ap);
	fputs(" [y/N] ", cl->out);
	fflush(cl->out);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* Read FILE, or stdin for "-". */
char *
cli_read_input(struct cli *cl, const char *file, size_t *len)
{
	struct err e;
	char *data;

	err_init(&e);
	if (strcmp(file, "-") == 0)
		data = file_read_all("/dev/stdin", XML_MAX_BYTES, len, &e);
	else
		data = file_read_all(file, XML_MAX_BYTES, len, &e);
	if (data == NULL)
		cli_error(cl, &e);
	err_clear(&e);
	return data;
}

struct pool *
cli_pool_arg(struct cli *cl, const struct cli_args *a)
{
	struct err e;
	struct pool *p;

	err_init(&e);
	p = cistern_get_pool(cl->c, cli_get(a, "pool"), &e);
	if (p == NULL)
		cli_error(cl, &e);
	err_clear(&e);
	return p;
}
