/* cistern — the define-pool wizard's iSCSI page: the targets a portal
 * offers (SendTargets through libiscsi) and the LUNs of the one picked
 * (a login as the pool will make, CHAP included). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/util.h"
#include "keys.h"
#include "ui_job.h"
#include "ui_wiz_pool.h"

/* ---- the iSCSI target page ---- */

/* Only the iSCSI types choose a target. */
bool
pw_tgt_skip(struct wiz *w)
{
	return pool_type_info(pw_type(w))->pick != POOL_PICK_TARGET;
}

/* A target must be chosen. */
static char *
check_target(struct wiz *w, const char *v)
{
	struct pw *pw = w->ctx;

	(void)w;
	if (*v == '\0')
		return xstrdup(pw->srcs_error ?
			       "no target found: see the error (F5 looks "
			       "again)" : "pick the target");
	return NULL;
}

/* The LUNs of the chosen target, as text. */
static char *
luns_text(const struct pw *pw)
{
	struct sbuf b;

	if (pw->luns_error != NULL)
		return xasprintf("Cannot list the LUNs: %s", pw->luns_error);
	if (pw->luns_for == NULL)
		return xstrdup("(logging in to list them...)");
	if (pw->nluns == 0)
		return xstrdup("(the target has no disk LUNs)");
	sbuf_init(&b);
	for (size_t i = 0; i < pw->nluns; i++) {
		char *sz = pw_size(pw->luns[i].size);
		sbuf_printf(&b, "%-12s %7s  %s\n", pw->luns[i].name, sz,
			    pw->luns[i].note);
		free(sz);
	}
	return sbuf_take(&b);
}

/* What the LUN job found. */
static int
luns_found(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;
	struct pw *pw = w->ctx;
	char *text;

	(void)ui;
	for (size_t i = 0; i < pw->nluns; i++) {
		free(pw->luns[i].name);
		free(pw->luns[i].note);
	}
	free(pw->luns);
	pw->luns = NULL;
	pw->nluns = 0;
	free(pw->luns_error);
	pw->luns_error = NULL;
	free(pw->luns_for);
	pw->luns_for = xstrdup(wiz_get(w, "tgt"));
	if (j->code != 0) {
		pw->luns_error = xstrdup(j->code == ERR_CANCELLED ?
					 "cancelled" : j->msg);
	} else {
		char *copy = xstrdup(j->output ? j->output : "");
		for (char *line = copy, *next; *line; line = next) {
			char *f[3];
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			else
				next = line + strlen(line);
			if (pw_split_tabs(line, f, 3) != 3)
				continue;
			pw->luns = xreallocarray(pw->luns, pw->nluns + 1,
						 sizeof(*pw->luns));
			pw->luns[pw->nluns++] = (struct pw_lun){
				.name = xstrdup(f[0]),
				.size = strtoull(f[1], NULL, 10),
				.note = xstrdup(f[2]),
			};
		}
		free(copy);
	}
	text = luns_text(pw);
	wiz_set_text(w, "luns", text);
	free(text);
	return UI_DRAW;
}

/* Log in to the chosen target (as the pool will) and list its LUNs. */
static void
luns_look(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct pw_args pa;
	struct pool_def *def;
	struct err e;
	bool chap = wiz_get(w, "chapuser")[0] != '\0';

	if (wiz_get(w, "tgt")[0] == '\0')
		return;
	free(pw->luns_for);
	pw->luns_for = NULL;
	free(pw->luns_error);
	pw->luns_error = NULL;
	pw_args(w, chap ? "wizard-preview" : NULL, &pa);
	err_init(&e);
	def = pool_args_def(&pa.a, "pool-define-as", NULL, &e);
	pw_args_free(&pa);
	if (def == NULL) {
		pw->luns_error = xstrdup(e.msg);
		pw->luns_for = xstrdup(wiz_get(w, "tgt"));
		err_clear(&e);
		return;
	}
	err_clear(&e);
	pw_luns_start(w, def, chap ? wiz_get(w, "chappass") : NULL, luns_found);
}

/* The targets found (and the LUNs of the one picked). */
void
pw_tgt_build(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct wfield *f;
	char *label, *text;

	label = xasprintf("Targets on %s:%s (SendTargets; F5 looks again)",
			  wiz_get(w, "host"), wiz_get(w, "port"));
	f = wiz_list(w, "tgt", label, 4, false, check_target);
	free(label);
	f->text = xstrdup(pw->srcs_for ? "  (none offered)" : "  (looking...)");
	pw_srcs_list(w, "tgt");
	text = luns_text(pw);
	wiz_view(w, "luns", "LUNs of the target (libiscsi: REPORT LUNS)", text,
		 5);
	free(text);
}

/* Another target: look at its LUNs. */
void
pw_tgt_change(struct wiz *w, const char *id)
{
	if (strcmp(id, "tgt") == 0) {
		char *text;
		luns_look(w);
		text = luns_text(w->ctx);
		wiz_set_text(w, "luns", text);
		free(text);
	}
}

static int tgt_found(struct ui *ui, struct ui_job *j, void *arg);

/* Entering: ask the portal for its targets (once per portal). */
void
pw_tgt_enter(struct wiz *w)
{
	struct pw *pw = w->ctx;
	char *what = xasprintf("%s:%s", wiz_get(w, "host"), wiz_get(w, "port"));

	if (str_eq(pw->srcs_for, what) && w->job == 0 &&
	    pw->srcs_error == NULL) {
		free(what);
		if (!str_eq(pw->luns_for, wiz_get(w, "tgt")))
			luns_look(w);
		return;
	}
	free(what);
	what = xasprintf("targets on %s:%s", wiz_get(w, "host"),
			 wiz_get(w, "port"));
	pw_discover(w, 0, pw_type(w), what, tgt_found);
	free(what);
}

/* The portal answered: list its targets, then the first one's LUNs. */
static int
tgt_found(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;

	pw_src_found(ui, j, arg);
	if (j->code == 0) {
		/* the list is made again with the targets: pick one */
		struct pw *pw = w->ctx;
		bool known = false;
		for (size_t i = 0; i < pw->nsrcs; i++)
			known |= pw->srcs[i].ndevices > 0 &&
				 str_eq(pw->srcs[i].devices[0],
					wiz_get(w, "tgt"));
		if (!known && pw->nsrcs > 0 && pw->srcs[0].ndevices > 0)
			wiz_set(w, "tgt", pw->srcs[0].devices[0]);
		luns_look(w);
	}
	return UI_DRAW;
}
