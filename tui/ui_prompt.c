/* cistern — the ':' prompt (the command line's verbs and the action
 * names, with completion) and the '/' filter. A verb runs as a job: its
 * output is captured and shown when it ends. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/util.h"
#include "actions.h"
#include "cli.h"
#include "keys.h"
#include "main.h"
#include "ui_remote.h"
#include "ui_hosts.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_job.h"
#include "ui_list.h"
#include "ui_model.h"
#include "ui_prompt.h"
#include "ui_settings.h"
#include "ui_theme.h"

/* Split a line into words: blanks separate, quotes group, \ escapes. */
static char **
prompt_split(const char *s, size_t *n)
{
	char **v = NULL;
	struct sbuf w;
	bool inword = false;
	char q = 0;

	*n = 0;
	sbuf_init(&w);
	for (;; s++) {
		char c = *s;
		if (c == '\0' || (!q && (c == ' ' || c == '\t'))) {
			if (inword) {
				strv_push(&v, n, w.s ? w.s : "");
				sbuf_free(&w);
				sbuf_init(&w);
				inword = false;
			}
			if (c == '\0')
				break;
			continue;
		}
		inword = true;
		if (q && c == q) {
			q = 0;
		} else if (!q && (c == '\'' || c == '"')) {
			q = c;
			if (w.s == NULL)
				sbuf_add(&w, "");
		} else if (c == '\\' && s[1] != '\0' && q != '\'') {
			sbuf_addc(&w, *++s);
		} else {
			sbuf_addc(&w, c);
		}
	}
	sbuf_free(&w);
	return v;
}

struct prompt_run {
	int argc;
	char **argv;
};

/* In the job's child: run the verb with its output captured. */
static int
prompt_job(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	   struct err *e)
{
	struct prompt_run *pr = arg;
	struct cli cl = { .c = c };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	int rc;

	(void)j;
	if (f == NULL)
		return err_set(e, "cannot capture the output");
	cl.out = f;
	cl.err = f;
	rc = cli_run(&cl, pr->argc, pr->argv);
	fclose(f);
	sbuf_addn(out, buf, len);
	if (rc != 0)
		/* the first error the verb reported is the message */
		err_set(e, "%s", cl.error[0] ? cl.error : "failed");
	free(buf);
	return rc != 0 ? -1 : 0;
}

/* The pool a volume given by name, path or key is in, or NULL. */
static struct pool *
pool_holding(struct cistern *c, const char *vol)
{
	for (size_t i = 0; i < c->npools; i++) {
		struct pool *p = c->pools[i];
		for (size_t k = 0; k < p->nvols; k++)
			if (str_eq(p->vols[k]->name, vol) ||
			    str_eq(p->vols[k]->target.path, vol) ||
			    str_eq(p->vols[k]->key, vol))
				return p;
	}
	return NULL;
}

/* The volume a verb makes (vol-create-as, vol-clone), to select when it
 * is done: its pool's and its own name (malloc'd), or false. */
static bool
prompt_makes(struct cistern *c, int argc, char **argv, char **pool,
	     char **vol)
{
	struct cli cl = { .c = c };
	struct cli_args a = { 0 };
	const struct cli_verb *v;
	const char *pn = NULL, *vn = NULL;
	struct pool *p = NULL;
	FILE *null = fopen("/dev/null", "w");

	if (null == NULL)
		return false;
	cl.out = cl.err = null;
	v = cli_parse(&cl, argc, argv, &a);
	if (v != NULL && strcmp(v->name, "vol-create-as") == 0) {
		pn = cli_get(&a, "pool");
		vn = cli_get(&a, "name");
		p = pn ? cistern_find_pool(c, pn) : NULL;
	} else if (v != NULL && strcmp(v->name, "vol-clone") == 0) {
		pn = cli_get(&a, "pool");
		vn = cli_get(&a, "newname");
		p = pn ? cistern_find_pool(c, pn) :
		    cli_get(&a, "vol") ? pool_holding(c, cli_get(&a, "vol")) :
		    NULL;
	}
	if (p != NULL && vn != NULL) {
		*pool = xstrdup(p->def->name);
		*vol = xstrdup(vn);
	}
	if (v != NULL)
		cli_args_free(&a);
	fclose(null);
	return p != NULL && vn != NULL;
}

/* Several hosts: a verb's -c NAME (or --connect NAME) picks the host it
 * runs on, by its name on the screen or its URI; taken out of the words.
 * Without one, the host on screen. -1 (why set) when it names none, or
 * one that is not connected. */
static int
prompt_host(struct ui *ui, char **w, size_t *n, size_t *host, char *why,
	    size_t whylen)
{
	*host = ui->cur;
	for (size_t i = 1; i < *n; i++) {
		const char *name;
		size_t k;

		if (strcmp(w[i], "-c") != 0 && strcmp(w[i], "--connect") != 0)
			continue;
		if (i + 1 >= *n) {
			snprintf(why, whylen, "%s needs a host", w[i]);
			return -1;
		}
		name = w[i + 1];
		if (ui->nhosts == 0) {
			snprintf(why, whylen, "-c: this screen has one host; "
				 "start cistern with several to choose");
			return -1;
		}
		for (k = 0; k < ui->nhosts; k++)
			if (str_eq(ui->hosts[k].name, name) ||
			    str_eq(ui->hosts[k].uri, name))
				break;
		if (k == ui->nhosts) {
			snprintf(why, whylen, "no host '%s' on this screen",
				 name);
			return -1;
		}
		if (ui->hosts[k].remote != NULL &&
		    (!ui_remote_opened(ui->hosts[k].remote) ||
		     ui_remote_is_lost(ui->hosts[k].remote))) {
			snprintf(why, whylen, "%s is not connected: %s", name,
				 ui_remote_why(ui->hosts[k].remote) ?
				 ui_remote_why(ui->hosts[k].remote) :
				 "not yet");
			return -1;
		}
		*host = k;
		free(w[i]);
		free(w[i + 1]);
		memmove(&w[i], &w[i + 2], (*n - i - 1) * sizeof(*w));
		*n -= 2;
		i--;
	}
	return 0;
}

/* Run what was typed at ':': an action or a verb. */
static int
prompt_done(struct ui *ui, const char *text, bool done, void *ctx)
{
	struct prompt_run pr;
	const struct cli_verb *v;
	const struct action *a;
	size_t n;
	char **w;

	(void)done;
	(void)ctx;
	if (text == NULL)
		return UI_DRAW;
	w = prompt_split(text, &n);
	if (n == 0) {
		strv_free(w);
		return UI_DRAW;
	}
	history_add(ui, text);
	a = action_find(w[0]);
	v = cli_find_verb(w[0]);
	if (a != NULL && (n == 1 || v == NULL)) {
		strv_free(w);
		return action_run(ui, a);
	}
	if (v == NULL) {
		ui_status(ui, R_ERROR, "Unknown command '%s' (Tab completes; ? "
			  "lists the actions).", w[0]);
		strv_free(w);
		return UI_DRAW;
	}
	if (ui->read_only && (v->flags & VERB_WRITES)) {
		ui_status(ui, R_WARNING, "Read-only mode: %s is not available.",
			  v->name);
		strv_free(w);
		return UI_DRAW;
	}
	if (strcmp(v->name, "pool-edit") == 0) {
		/* the editor needs the terminal: the screen's own edit */
		if (n > 1)
			ui_select_pool(ui, w[1]);
		strv_free(w);
		return action_run(ui, action_find("edit"));
	}
	size_t host;
	char why[512];
	if (prompt_host(ui, w, &n, &host, why, sizeof(why)) < 0) {
		ui_status(ui, R_ERROR, "%s", why);
		strv_free(w);
		return UI_DRAW;
	}
	pr.argc = (int)n;
	pr.argv = w;
	char *title = xasprintf(":%s", text), *pool = NULL, *vol = NULL;
	prompt_makes(ui->nhosts > 0 ? ui->hosts[host].c : ui->c, (int)n, w,
		     &pool, &vol);
	int id = ui_job_start_on(ui, host, title, pool, prompt_job, &pr, true);
	struct ui_job *j = id > 0 ? ui_job_by_id(ui, id) : NULL;
	if (j != NULL && vol != NULL)
		j->select_vol = xstrdup(vol);
	free(pool);
	free(vol);
	free(title);
	strv_free(w);
	return UI_DRAW;
}

/* Sort candidates as a shell lists them. */
static int
cand_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Candidates for the word being typed: the first word is an action or a
 * verb; a verb's arguments come from the shell completion engine (the
 * verb table), with the screen's own pools and volumes. */
static char **
prompt_candidates(struct ui *ui, char **w, size_t n, size_t *nc)
{
	const char *word = w[n - 1];
	size_t wl = strlen(word);
	char **v = NULL;

	*nc = 0;
	if (n > 1)
		return cli_find_verb(w[0]) != NULL ?
		       complete_words(ui->c, (int)n, w, nc) : NULL;
	for (const struct action *a = ui_actions; a->name; a++)
		if (action_offered(ui, a) && strncmp(a->name, word, wl) == 0)
			strv_push(&v, nc, a->name);
	for (const struct cli_verb *cv = cli_verbs; cv->name; cv++) {
		bool dup = false;
		if ((ui->read_only && (cv->flags & VERB_WRITES)) ||
		    strncmp(cv->name, word, wl) != 0)
			continue;
		for (size_t k = 0; k < *nc; k++)
			dup |= strcmp(v[k], cv->name) == 0;
		if (!dup)
			strv_push(&v, nc, cv->name);
	}
	return v;
}

/* Tab: complete the word being typed as far as the candidates agree;
 * when several remain, they are listed above the prompt. */
static char *
prompt_complete(struct ui *ui, const char *text, char ***list, size_t *nlist)
{
	size_t n, nc, tl = strlen(text), start;
	char **w = prompt_split(text, &n), **cands, *res = NULL;
	size_t common;

	/* a blank at the end begins a new, empty word */
	if (n == 0 || tl == 0 || text[tl - 1] == ' ' || text[tl - 1] == '\t') {
		strv_push(&w, &n, "");
		start = tl;
	} else {
		const char *sp = strrchr(text, ' ');
		start = sp != NULL ? (size_t)(sp + 1 - text) : 0;
	}
	cands = prompt_candidates(ui, w, n, &nc);
	if (nc == 0) {
		ui_status(ui, R_WARNING, "No completion for '%s'.", w[n - 1]);
		strv_free(w);
		strv_free(cands);
		return NULL;
	}
	common = strlen(cands[0]);
	for (size_t i = 1; i < nc; i++) {
		size_t k = 0;
		while (k < common && cands[0][k] == cands[i][k])
			k++;
		common = k;
	}
	res = xasprintf("%.*s%.*s%s", (int)start, text, (int)common, cands[0],
			nc == 1 ? " " : "");
	if (nc > 1) {
		qsort(cands, nc, sizeof(*cands), cand_cmp);
		*list = cands;
		*nlist = nc;
	} else {
		strv_free(cands);
	}
	strv_free(w);
	return res;
}

/* Open the ':' prompt. */
void
ui_prompt_open(struct ui *ui, const char *init)
{
	ui_status(ui, R_STATUS, "A verb or an action: Tab completes, Up "
		  "recalls, Enter runs, Esc leaves.");
	dialog_line(ui, ":", init, NULL, prompt_done, prompt_complete, NULL);
	dialog_line_history(ui, &ui->set.hist, &ui->set.nhist);
}

ACT(act_prompt)
{
	ui_prompt_open(ui, "");
	return UI_DRAW;
}

/* ---- the filter ---- */

/* The filter line changed, was accepted or left. */
static int
filter_change(struct ui *ui, const char *text, bool done, void *ctx)
{
	struct list *l = ctx;

	ui_sync(ui);
	if (done && text == NULL) {
		list_set_filter(l, "");
		ui_status(ui, R_STATUS, "Filter cleared.");
	} else {
		list_set_filter(l, text);
		if (done)
			ui_status(ui, R_STATUS, "%zu of %zu %s match '%s' (Esc "
				  "clears).", l->nview, l->nrows, l->what, text);
	}
	return UI_DRAW | (l == &ui->pools ? UI_REVOLS : 0);
}

/* Open the '/' filter of the focused list. */
void
ui_filter_open(struct ui *ui)
{
	struct list *l = ui->focus == FOCUS_VOLS ? &ui->vols : &ui->pools;

	dialog_line(ui, "/", l->filter, filter_change, filter_change, NULL, l);
}

ACT(act_filter)
{
	ui_filter_open(ui);
	return UI_DRAW;
}
