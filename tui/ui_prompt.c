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
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_job.h"
#include "ui_list.h"
#include "ui_model.h"
#include "ui_prompt.h"
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
	pr.argc = (int)n;
	pr.argv = w;
	char *title = xasprintf(":%s", text);
	ui_job_start(ui, title, NULL, prompt_job, &pr, true);
	free(title);
	strv_free(w);
	return UI_DRAW;
}

/* Candidates for the word being typed. */
static void
prompt_candidates(struct ui *ui, bool first, char ***v, size_t *n)
{
	if (first) {
		for (const struct action *a = ui_actions; a->name; a++)
			if (action_offered(ui, a))
				strv_push(v, n, a->name);
		for (const struct cli_verb *cv = cli_verbs; cv->name; cv++)
			if (!(ui->read_only && (cv->flags & VERB_WRITES)))
				strv_push(v, n, cv->name);
		return;
	}
	for (size_t i = 0; i < ui->c->npools; i++)
		strv_push(v, n, ui->c->pools[i]->def->name);
	struct pool *p = ui_pool(ui);
	for (size_t i = 0; p != NULL && i < p->nvols && i < 5000; i++)
		strv_push(v, n, p->vols[i]->name);
}

/* Tab: complete the word being typed. */
static char *
prompt_complete(struct ui *ui, const char *text)
{
	const char *start = strrchr(text, ' ');
	bool first = start == NULL;
	const char *word = first ? text : start + 1;
	size_t wl = strlen(word), n = 0, nm = 0;
	char **cands = NULL, *common = NULL, *res = NULL;
	struct sbuf shown;

	prompt_candidates(ui, first, &cands, &n);
	sbuf_init(&shown);
	for (size_t i = 0; i < n; i++) {
		if (strncmp(cands[i], word, wl) != 0)
			continue;
		bool dup = false;
		for (size_t k = 0; k < i; k++)
			dup |= strcmp(cands[k], cands[i]) == 0;
		if (dup)
			continue;
		nm++;
		if (shown.len < 400)
			sbuf_printf(&shown, "%s%s", shown.len ? " " : "", cands[i]);
		if (common == NULL) {
			common = xstrdup(cands[i]);
		} else {
			size_t k = 0;
			while (common[k] && common[k] == cands[i][k])
				k++;
			common[k] = '\0';
		}
	}
	if (nm == 0) {
		ui_status(ui, R_WARNING, "No completion for '%s'.", word);
	} else {
		res = xasprintf("%.*s%s%s", (int)(word - text), text, common,
				nm == 1 ? " " : "");
		if (nm > 1)
			ui_status(ui, R_STATUS, "%s", shown.s);
	}
	free(common);
	sbuf_free(&shown);
	strv_free(cands);
	return res;
}

/* Open the ':' prompt. */
void
ui_prompt_open(struct ui *ui, const char *init)
{
	ui_status(ui, R_STATUS, "A verb of the command line or an action; Tab "
		  "completes, Enter runs, Esc leaves.");
	dialog_line(ui, ":", init, NULL, prompt_done, prompt_complete, NULL);
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
