/* cistern — shell completion: `cistern __complete WORD...` prints, one per
 * line, the candidates for the last WORD of a command line (the words
 * after "cistern", the last one being completed, possibly empty).
 *
 * Verbs, options and what each positional takes come from the verb table
 * (cli_verbs); pool and volume names from the store, opened read-only
 * with the command line's own --config-dir/--run-dir. Nothing printed for
 * a file or directory argument: the shell then completes file names.
 * The bash completion script (docs/cistern.bash) is a thin caller. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/engine.h"
#include "../core/hosts.h"
#include "../core/pool.h"
#include "../core/util.h"
#include "cli.h"
#include "globals.h"
#include "main.h"
#include "ui_theme.h"

struct comp {
	const char *cur;           /* what is typed of the value */
	size_t curlen;
	int prelen;                /* "--opt=" before it in the word */
	const char *pre;
	char **out;                /* the candidates */
	size_t nout;
};

/* A candidate, if it begins with what is typed (once). */
static void
offer(struct comp *k, const char *s)
{
	char *w;

	if (strncmp(s, k->cur, k->curlen) != 0)
		return;
	w = xasprintf("%.*s%s", k->prelen, k->pre, s);
	for (size_t i = 0; i < k->nout; i++) {
		if (strcmp(k->out[i], w) == 0) {
			free(w);
			return;
		}
	}
	strv_push(&k->out, &k->nout, w);
	free(w);
}

/* The next positional of V not already given by name (--pool NAME). */
static void
next_pos(const struct cli_verb *v, size_t *npos, char given[][64],
	 size_t ngiven, char *buf, size_t bufsz)
{
	for (;;) {
		bool by_name = false;
		cli_spec_nth(v->pos, (*npos)++, buf, bufsz);
		for (size_t g = 0; g < ngiven; g++)
			by_name |= strcmp(given[g], buf) == 0;
		if (buf[0] == '\0' || !by_name)
			return;
	}
}

static void
offer_pools(struct comp *k, struct cistern *c)
{
	for (size_t i = 0; c != NULL && i < c->npools; i++)
		offer(k, c->pools[i]->def->name);
}

/* Volume names of POOL, or without one the paths of every active pool's
 * volumes (what the verbs take without --pool). */
static void
offer_vols(struct comp *k, struct cistern *c, const char *pool)
{
	struct err e;

	if (c == NULL)
		return;
	for (size_t i = 0; i < c->npools; i++) {
		struct pool *p = c->pools[i];
		if (pool != NULL && strcmp(p->def->name, pool) != 0)
			continue;
		if (!pool_is_active(p))
			continue;
		err_init(&e);
		if (pool_ensure_refreshed(c, p, &e) == 0) {
			for (size_t v = 0; v < p->nvols; v++)
				offer(k, pool != NULL ? p->vols[v]->name :
				      p->vols[v]->target.path);
		}
		err_clear(&e);
	}
}

/* The hosts of the hosts file in CONFIG (NULL: the default config dir),
 * and "local" when it is one of the choices (-c). */
static void
offer_hosts(struct comp *k, const char *config, bool with_local)
{
	struct hosts h;
	struct err e;
	char *cfg, *run;

	if (with_local)
		offer(k, HOST_LOCAL);
	store_default_dirs(config, NULL, &cfg, &run);
	err_init(&e);
	if (hosts_load(cfg, &h, &e) == 0)
		for (size_t i = 0; i < h.n; i++)
			offer(k, h.v[i].name);
	hosts_free(&h);
	err_clear(&e);
	free(cfg);
	free(run);
}

/* Candidates for a value of kind WHAT (a positional or option name). */
static void
offer_kind(struct comp *k, const char *what, struct cistern *c,
	   const char *pool)
{
	if (strcmp(what, "pool") == 0) {
		offer_pools(k, c);
	} else if (strcmp(what, "vol") == 0) {
		offer_vols(k, c, pool);
	} else if (strcmp(what, "type") == 0) {
		for (int t = 0; t < POOL_TYPE_COUNT; t++)
			offer(k, pool_type_name(t));
	} else if (strcmp(what, "verb") == 0) {
		for (const struct cli_verb *v = cli_verbs; v->name; v++)
			offer(k, v->name);
	} else if (strcmp(what, "color") == 0) {
		offer(k, "auto");
		offer(k, "always");
		offer(k, "never");
	} else if (strcmp(what, "theme") == 0) {
		size_t n;
		char **names = theme_names(&n);
		for (size_t i = 0; i < n; i++)
			offer(k, names[i]);
		strv_free(names);
	}
	/* file, dir, newname, capacity, ...: nothing (the shell's files) */
}

/* The index of the verb among the N words (globals parsed into *o): N
 * when there is none yet, -1 on a usage error. */
static int
globals_verb(int n, char **words, struct options *o)
{
	char **v = xcalloc((size_t)n + 2, sizeof(*v));
	int vi;

	v[0] = "cistern";
	memcpy(v + 1, words, (size_t)n * sizeof(*v));
	vi = globals_parse(n + 1, v, o, true);
	free(v);
	return vi < 0 ? -1 : vi - 1;
}

static void complete_fill(struct comp *k, struct cistern *have, int argc,
			  char **argv, struct options *o);

/* Candidates for the last of the words (the words after "cistern"),
 * each once; pool and volume names from `have` when given (the screen's
 * own catalog), else from the store opened read-only. */
char **
complete_words(struct cistern *have, int argc, char **argv, size_t *n)
{
	struct comp k = { 0 };

	*n = 0;
	if (argc < 1)
		return NULL;
	k.cur = k.pre = argv[argc - 1];
	k.curlen = strlen(k.cur);
	struct options o = { 0 };
	complete_fill(&k, have, argc, argv, &o);
	options_free(&o);
	*n = k.nout;
	return k.out;
}

int
complete_main(int argc, char **argv)
{
	size_t n;
	char **v = complete_words(NULL, argc, argv, &n);

	for (size_t i = 0; i < n; i++)
		printf("%s\n", v[i]);
	strv_free(v);
	return 0;
}

/* Offer what the last word can be. */
static void
complete_fill(struct comp *k, struct cistern *have, int argc, char **argv,
	      struct options *o)
{
	struct cistern c, *cp = NULL;
	struct err e;
	int i;

	/* global options before the verb: the words before this one */
	if (argc >= 2) {
		const char *prev = argv[argc - 2];
		for (const struct global_option *g = global_options; g->name;
		     g++) {
			if (g->arg != NULL && strncmp(prev, "--", 2) == 0 &&
			    strcmp(prev + 2, g->name) == 0 &&
			    globals_verb(argc - 2, argv, o) == argc - 2) {
				if (g->key == 'c')
					offer_hosts(k, o->config_dir, true);
				else
					offer_kind(k, g->name, NULL, NULL);
				return;
			}
		}
	}
	i = globals_verb(argc - 1, argv, o);
	if (i < 0)
		return;
	if (i == argc - 1) {            /* the verb itself, or a global */
		if (k->cur[0] == '-') {
			char opt[64];
			for (const struct global_option *g = global_options;
			     g->name; g++) {
				snprintf(opt, sizeof(opt), "--%s", g->name);
				offer(k, opt);
			}
		} else {
			for (const struct cli_verb *v = cli_verbs; v->name; v++)
				offer(k, v->name);
		}
		return;
	}
	const struct cli_verb *v = cli_find_verb(argv[i]);
	if (v == NULL)
		return;

	/* walk the verb's arguments as parse_args does */
	char given[32][64];
	const char *pool = NULL, *want = NULL;
	size_t ngiven = 0, npos = 0;
	char posname[64];
	for (int w = i + 1; w < argc - 1; w++) {
		const char *a = argv[w], *suffix;
		if (a[0] == '-' && a[1] == '-' && a[2] != '\0') {
			const char *name = a + 2, *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			bool opt = cli_spec_has(v->opts, name, nl, &suffix);
			bool takes = opt ? suffix[0] == '=' :
				cli_spec_has(v->pos, name, nl, &suffix);
			if (!takes)
				continue;
			const char *val = eq ? eq + 1 : NULL;
			if (val == NULL && w + 1 == argc - 1) {
				snprintf(posname, sizeof(posname), "%.*s",
					 (int)nl, name);
				want = posname;
				break;
			}
			if (val == NULL)
				val = argv[++w];
			if (!opt && ngiven < 32)
				snprintf(given[ngiven++], sizeof(given[0]),
					 "%.*s", (int)nl, name);
			if (nl == 4 && strncmp(name, "pool", 4) == 0)
				pool = val;
			continue;
		}
		/* a positional: the next one not given by name */
		next_pos(v, &npos, given, ngiven, posname, sizeof(posname));
		if (strcmp(posname, "pool") == 0)
			pool = a;
	}
	if (want == NULL && strncmp(k->cur, "--", 2) == 0 &&
	    strchr(k->cur, '=') != NULL) {
		/* --opt=VALUE: complete the value, keep the prefix */
		const char *eq = strchr(k->cur, '=');
		snprintf(posname, sizeof(posname), "%.*s",
			 (int)(eq - k->cur - 2), k->cur + 2);
		want = posname;
		k->prelen = (int)(eq + 1 - k->cur);
		k->cur = eq + 1;
		k->curlen = strlen(k->cur);
	}
	if (want == NULL && k->cur[0] == '-') {
		char opt[96];
		for (const char *p = v->opts; p && *p;) {
			while (*p == ' ')
				p++;
			size_t wl = strcspn(p, " =");
			if (wl > 0) {
				snprintf(opt, sizeof(opt), "--%.*s", (int)wl, p);
				offer(k, opt);
			}
			p += strcspn(p, " ");
		}
		return;
	}
	if (want == NULL) {
		next_pos(v, &npos, given, ngiven, posname, sizeof(posname));
		want = posname;
	}
	if (strcmp(want, "host") == 0) {
		offer_hosts(k, have != NULL ? have->store.config_dir :
			    o->config_dir, false);
		return;
	}
	if (have != NULL) {
		offer_kind(k, want, have, pool);
		return;
	}
	if (strcmp(want, "pool") == 0 || strcmp(want, "vol") == 0) {
		err_init(&e);
		/* the names of what the command would act on: over -c,
		 * libvirt's (read-only) */
		if (o->nconnects == 0 && getenv("CISTERN_CONNECT") != NULL)
			options_add_connect(o, getenv("CISTERN_CONNECT"));
		if (options_resolve(o, &e) == 0 &&
		    cistern_connect(&c, o->connect, o->config_dir, o->run_dir,
				    0, true, NULL, NULL, &e) == 0)
			cp = &c;
		err_clear(&e);
	}
	offer_kind(k, want, cp, pool);
	if (cp != NULL)
		cistern_close(cp);
}
