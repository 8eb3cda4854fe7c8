/* cistern — the one action table. The key bar, the help overlay and the
 * ':' prompt's completion are generated from it, so they cannot drift;
 * read-only mode and the backend's abilities (pool_can) decide what is
 * offered. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "actions.h"
#include "keys.h"
#include "ui.h"
#include "ui_hosts.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_draw.h"
#include "ui_find.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_list.h"
#include "ui_map.h"
#include "ui_model.h"
#include "ui_settings.h"
#include "ui_theme.h"

/* What each row of the action table (actions.c) does: its precondition
 * (NULL when usable, else why not) and its function. */
static const struct {
	const char *(*usable)(struct ui *ui);
	int (*run)(struct ui *ui);
} impls[ACTION_COUNT] = {
	[ACTION_HELP] = { NULL, act_help },
	[ACTION_QUIT] = { NULL, act_quit },
	[ACTION_START] = { need_inactive, act_pool_start },
	[ACTION_STOP] = { need_active, act_pool_stop },
	[ACTION_VOL_DELETE] = { need_vol, act_vol_delete },
	[ACTION_REFRESH] = { NULL, act_refresh },
	[ACTION_VOL_CREATE] = { need_running, act_vol_create },
	[ACTION_DELETE] = { need_inactive, act_pool_delete },
	[ACTION_DEFINE] = { NULL, act_pool_new },
	[ACTION_WIPE] = { need_vol, act_vol_wipe },
	[ACTION_BUILD] = { need_inactive, act_pool_build },
	[ACTION_CLONE] = { need_vol, act_vol_clone },
	[ACTION_RESIZE] = { need_vol, act_vol_resize },
	[ACTION_AUTOSTART] = { NULL, act_pool_autostart },
	[ACTION_EDIT] = { NULL, act_pool_edit },
	[ACTION_XML] = { NULL, act_pool_xml },
	[ACTION_VOL_XML] = { need_vol, act_vol_xml },
	[ACTION_UNDEFINE] = { need_inactive, act_pool_undefine },
	[ACTION_UPLOAD] = { need_vol, act_vol_upload },
	[ACTION_DOWNLOAD] = { need_vol, act_vol_download },
	[ACTION_FILTER] = { NULL, act_filter },
	[ACTION_COMMAND] = { NULL, act_prompt },
	[ACTION_SORT] = { NULL, act_sort },
	[ACTION_LOG] = { NULL, act_log },
	[ACTION_THEME] = { NULL, act_theme },
	[ACTION_JOBS] = { NULL, act_jobs },
	[ACTION_MAP] = { need_map, act_map },
	[ACTION_DETAILS] = { NULL, act_details },
	[ACTION_HOSTS] = { NULL, act_hosts },
	[ACTION_FIND] = { NULL, act_find },
};

/* The precondition of an action, or NULL. */
static const char *(*usable_of(const struct action *a))(struct ui *)
{
	return impls[a - ui_actions].usable;
}

/* Is the action offered here (mode, selection, backend)? */
bool
action_offered(struct ui *ui, const struct action *a)
{
	struct pool *p;

	if (ui->read_only && (a->flags & A_WRITES))
		return false;
	if (a->flags & A_GLOBAL)
		return true;
	p = ui_pool(ui);
	if (p == NULL)
		return false;
	if (a->op != POOL_OP_NONE && !pool_can(p, a->op))
		return false;
	return true;
}

/* Offered, meant for the focused pane and usable now. */
bool
action_ready(struct ui *ui, const struct action *a)
{
	if (!action_offered(ui, a))
		return false;
	/* in the volumes pane, pool-only actions stay off the bar */
	if (ui->focus == FOCUS_VOLS && !(a->flags & (A_VOL | A_GLOBAL)))
		return false;
	if (ui->focus != FOCUS_VOLS && (a->flags & A_VOL) &&
	    !(a->flags & A_POOL))
		return false;
	return usable_of(a) == NULL || usable_of(a)(ui) == NULL;
}

/* Say why an action cannot run: on the status line, or in a dialog
 * when the reason does not fit there whole. */
static void
action_refuse(struct ui *ui, const struct action *a, const char *why)
{
	if (ui_status_fits(ui, why)) {
		ui_status(ui, R_WARNING, "%s", why);
	} else {
		char *t = xasprintf("%s refused", a->label);
		ui_log(ui, R_WARNING, why, NULL);
		dialog_message(ui, t, why, false);
		free(t);
	}
}

/* Run an action, or say why it cannot run. */
int
action_run(struct ui *ui, const struct action *a)
{
	const char *why;
	char t[512];

	/* a host that is lost (or never reached) takes nothing but looks */
	if ((a->flags & (A_WRITES | A_POOL | A_VOL)) &&
	    (why = ui_host_unavailable(ui, t, sizeof(t))) != NULL) {
		action_refuse(ui, a, why);
		return UI_DRAW;
	}
	if (!action_offered(ui, a)) {
		struct pool *p = ui_pool(ui);
		if (ui->read_only && (a->flags & A_WRITES))
			snprintf(t, sizeof(t), "Read-only mode: '%s' is not "
				 "available.", a->name);
		else if (p == NULL)
			snprintf(t, sizeof(t), "Select a pool first.");
		else
			snprintf(t, sizeof(t), "%s pools cannot %s.",
				 pool_type_name(p->def->type), a->label);
		action_refuse(ui, a, t);
		return UI_DRAW;
	}
	if (usable_of(a) != NULL && (why = usable_of(a)(ui)) != NULL) {
		action_refuse(ui, a, why);
		return UI_DRAW;
	}
	return impls[a - ui_actions].run(ui) | UI_DRAW;
}

/* Which actions a key reaches from the focused pane: the pane's own
 * first, then the pool's (so F6 starts a pool from its volume list). */
const struct action *
action_for_key(struct ui *ui, int key)
{
	const struct action *first = NULL;
	unsigned want[2];

	want[0] = ui->focus == FOCUS_VOLS ? (A_VOL | A_GLOBAL) :
		  (A_POOL | A_GLOBAL);
	want[1] = A_POOL;
	for (int pass = 0; pass < 2; pass++) {
		for (const struct action *a = ui_actions; a->name != NULL; a++) {
			bool hit = a->key == key ||
				   (a->fkey && key == K_FN(KEY_F(a->fkey)));
			if (!hit || !(a->flags & want[pass]))
				continue;
			if (ui->focus != FOCUS_VOLS && pass == 0 &&
			    (a->flags & A_VOL) && !(a->flags & A_POOL))
				continue;
			if (action_offered(ui, a) &&
			    (usable_of(a) == NULL || usable_of(a)(ui) == NULL))
				return a;
			if (first == NULL)
				first = a;
		}
		if (first != NULL)
			return first;
	}
	return first;
}

/* A key on the main screen: the focused pane's action, run. A letter
 * acts only in a pane that has its action: from the volumes pane a
 * pool-only letter says where it works instead of acting on the pool
 * (F-keys still reach the pool, as the help says). */
int
action_key(struct ui *ui, int key)
{
	const struct action *a = action_for_key(ui, key);

	if (a != NULL && ui->focus == FOCUS_VOLS && key != K_ENTER &&
	    !(key & K_FN(0)) && !(a->flags & (A_VOL | A_GLOBAL))) {
		ui_status(ui, R_WARNING, "%c: %s is a pool action %s Tab to "
			  "the pools pane.", key, a->name, ui->utf8 ? "—" : "-");
		return UI_DRAW;
	}
	if (a != NULL)
		return action_run(ui, a);
	if (key >= 0x20 && key < 0x7f)
		ui_status(ui, R_STATUS, "No action on '%c' here: ? shows the keys.",
			  key);
	return UI_DRAW;
}

/* One section of the help: the actions with these flags. */
static void
help_section(struct ui *ui, struct sbuf *b, const char *title, unsigned want,
	     unsigned not)
{
	struct pool *p = ui_pool(ui);

	sbuf_printf(b, "%s\n", title);
	for (const struct action *a = ui_actions; a->name != NULL; a++) {
		char k[32];
		if (!(a->flags & want) || (a->flags & not))
			continue;
		if (ui->read_only && (a->flags & A_WRITES))
			continue;
		action_keys(a, k, sizeof(k));
		sbuf_printf(b, "  %s %-10s %s%s%s\n", k, a->label, a->help,
			    (a->flags & A_DANGER) ? " (asks first)" : "",
			    p != NULL && a->op != POOL_OP_NONE && !pool_can(p, a->op) ?
			    " [not for this pool type]" : "");
	}
	sbuf_add(b, "\n");
}

/* The help overlay's text, generated from the action table. */
char *
action_help_text(struct ui *ui)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "Every action of the key bar has a letter key too; the ':' "
		 "prompt takes the action names below and the command line's "
		 "verbs.\n\n");
	help_section(ui, &b, "Pools (left pane)", A_POOL, A_VOL);
	help_section(ui, &b, "Volumes (right pane)", A_VOL, 0);
	help_section(ui, &b, "Everywhere", A_GLOBAL, 0);
	sbuf_add(&b, "Moving around\n"
		 "  Tab, Shift-Tab     next or previous pane (pools, volumes, "
		 "log)\n"
		 "  Left, Right, h, l  pools pane, volumes pane\n"
		 "  Up, Down, j, k     move; PgUp, PgDn, Home, End (g, G)\n"
		 "  Esc                the newest job's progress (Esc again "
		 "cancels it); clears a filter\n"
		 "  Mouse              click selects, the wheel scrolls, a "
		 "header click sorts, the key bar runs its action; "
		 "Shift+click still selects text (--no-mouse turns it off)\n");
	if (ui->nhosts > 0)
		sbuf_add(&b, "\nSeveral hosts\n"
			 "  ], [               the next or previous host (also "
			 "Down past the last pool, Up past the first)\n"
			 "  -                  the other hosts: one line each, or "
			 "their pools under their line where there is room\n"
			 "  Mouse              a click on a host's line folds or "
			 "unfolds it; on another host's pool shows that host\n"
			 "  /                  the filter applies to every "
			 "host's pools\n");
	if (ui->read_only)
		sbuf_add(&b, "\nRead-only mode: every action that writes is "
			 "hidden.\n");
	return sbuf_take(&b);
}

/* ---- actions that belong to the screen itself ---- */

ACT(act_help)
{
	char *t = action_help_text(ui);

	dialog_text(ui, "Help: keys and actions", t);
	free(t);
	return UI_DRAW;
}

/* Quit or stay, with jobs running. */
static int
quit_done(struct ui *ui, struct form *f, int b)
{
	(void)ui;
	return b == 0 && f->nbuttons == 2 ? UI_QUIT : UI_DRAW;
}

ACT(act_quit)
{
	size_t n = ui_jobs_running(ui);
	char t[256];

	if (n == 0)
		return UI_QUIT;
	snprintf(t, sizeof(t), "%zu job%s still running. Quitting cancels %s "
		 "and removes what %s half made.", n, n == 1 ? " is" : "s are",
		 n == 1 ? "it" : "them", n == 1 ? "it" : "they");
	struct form *f = form_new(t, quit_done, NULL, NULL);
	form_add_button(f, "Quit");
	form_add_button(f, "Stay");
	f->danger = true;
	form_open(ui, "Quit cistern?", f);
	return UI_DRAW;
}

ACT(act_log)
{
	ui->bottom = ui->bottom == BOTTOM_LOG ? BOTTOM_DETAILS : BOTTOM_LOG;
	ui->log_scroll = 0;
	if (map_bottom(ui) == BOTTOM_DETAILS && ui->focus == FOCUS_BOTTOM)
		ui->focus = FOCUS_POOLS;
	ui_layout(ui);
	return UI_DRAW;
}

/* The list pane that has the focus. */
static struct list *
focused_list(struct ui *ui)
{
	return ui->focus == FOCUS_VOLS ? &ui->vols : &ui->pools;
}

/* Sort by the chosen column (again: the other way). */
static int
sort_pick(struct ui *ui, int idx, void *ctx)
{
	struct list *l = focused_list(ui);
	const struct pane_col **cols = ctx;

	if (idx < 0)
		return UI_DRAW;
	const struct column *c = column_find(l->cols, cols[idx]->id);
	list_sort_by(l, c, l->sort == c ? !l->desc : false);
	ui_status(ui, R_STATUS, "Sorted %s by %s%s.", l->what, c->title,
		  l->desc ? " (descending)" : "");
	return UI_DRAW;
}

ACT(act_sort)
{
	struct list *l = focused_list(ui);
	const struct pane_col **cols = xcalloc((size_t)l->nshow + 1,
					       sizeof(*cols));
	char **items = NULL;
	size_t n = 0;
	int sel = 0;

	for (int i = 0; i < l->nshow; i++) {
		const struct column *c = column_find(l->cols, l->show[i].id);
		char t[64];
		if (c == NULL)
			continue;
		if (c == l->sort)
			sel = (int)n;
		snprintf(t, sizeof(t), "%s%s", c->title, c == l->sort ?
			 (l->desc ? "  (descending)" : "  (ascending)") : "");
		cols[n] = &l->show[i];
		strv_push(&items, &n, t);
	}
	dialog_chooser(ui, "Sort by", items, (int)n, sel, NULL, sort_pick, cols,
		       free);
	return UI_DRAW;
}

struct theme_pick {
	struct theme saved;
	char **names;
};

/* Free the picker's state. */
static void
theme_pick_free(void *p)
{
	struct theme_pick *tp = p;

	strv_free(tp->names);
	free(tp);
}

/* Preview the theme under the cursor. */
static int
theme_move(struct ui *ui, int idx, void *ctx)
{
	struct theme_pick *tp = ctx;
	char why[512];

	if (theme_load(tp->names[idx], &ui->theme, why, sizeof(why)) < 0)
		ui_status(ui, R_ERROR, "%s", why);
	else
		ui_status(ui, R_STATUS, "Theme %s (Enter keeps it, Esc goes "
			  "back).", tp->names[idx]);
	theme_apply(ui);
	return UI_DRAW;
}

/* Keep the picked theme, or go back to the one before. */
static int
theme_done(struct ui *ui, int idx, void *ctx)
{
	struct theme_pick *tp = ctx;

	if (idx < 0) {
		ui->theme = tp->saved;
		theme_apply(ui);
		ui_status(ui, R_STATUS, "Theme unchanged (%s).", ui->theme.name);
		return UI_DRAW;
	}
	snprintf(ui->set.theme, sizeof(ui->set.theme), "%s", ui->theme.name);
	settings_save(ui);
	ui_status(ui, R_GOOD, "Theme %s%s.", ui->theme.name, ui->read_only ?
		  " (a read-only session saves nothing)" :
		  ", kept for the next start");
	return UI_DRAW;
}

ACT(act_theme)
{
	struct theme_pick *tp = xcalloc(1, sizeof(*tp));
	size_t n;
	int sel = 0;

	if (ui->mono) {
		free(tp);
		ui_status(ui, R_WARNING, "Colours are off (NO_COLOR, --color=never "
			  "or a monochrome terminal).");
		return UI_DRAW;
	}
	tp->saved = ui->theme;
	tp->names = theme_names(&n);
	for (size_t i = 0; i < n; i++)
		if (strcmp(tp->names[i], ui->theme.name) == 0)
			sel = (int)i;
	dialog_chooser(ui, "Theme", strv_dup((const char *const *)tp->names),
		       (int)n, sel, theme_move, theme_done, tp, theme_pick_free);
	return UI_DRAW;
}

/* Show the chosen job's progress. */
static int
jobs_pick(struct ui *ui, int idx, void *ctx)
{
	int *ids = ctx;

	if (idx >= 0)
		dialog_progress(ui, ids[idx]);
	return UI_DRAW;
}

ACT(act_jobs)
{
	char **items = NULL;
	size_t n = 0;
	int *ids = xcalloc(ui->njobs + 1, sizeof(*ids));

	for (size_t i = ui->njobs; i > 0; i--) {
		struct ui_job *j = ui->jobs[i - 1];
		char t[900], why[512];
		const char *down = j->ended ? NULL :
				   ui_host_down(ui, j->host, why, sizeof(why));
		snprintf(t, sizeof(t), "%s  %s%s%s%s", j->title,
			 !j->ended ? "running" :
			 j->code == 0 ? "done" : j->code == ERR_CANCELLED ?
			 "cancelled" : "failed", down ? " (" : "",
			 down ? down : "", down ? ")" : "");
		ids[n] = j->id;
		strv_push(&items, &n, t);
	}
	if (n == 0) {
		free(ids);
		ui_status(ui, R_STATUS, "No jobs have run.");
		return UI_DRAW;
	}
	dialog_chooser(ui, "Jobs", items, (int)n, 0, NULL, jobs_pick, ids, free);
	return UI_DRAW;
}

ACT(act_details)
{
	struct pool *p = ui_pool(ui);
	const struct vol_def *v = ui->focus == FOCUS_VOLS ? ui_vol(ui) : NULL;
	struct sbuf b;
	char s1[32], s2[32], s3[32], uuid[37];

	if (p == NULL)
		return UI_NONE;
	sbuf_init(&b);
	if (v != NULL) {
		sbuf_printf(&b, "Name:        %s\nPool:        %s\nType:        "
			    "%s\nFormat:      %s\nPath:        %s\nKey:         "
			    "%s\nCapacity:    %s (%llu bytes)\nAllocation:  %s "
			    "(%llu bytes)\n", v->name, p->def->name,
			    vol_type_name(v->type),
			    v->target.format ? v->target.format : "-",
			    v->target.path ? v->target.path : "-",
			    v->key ? v->key : "-",
			    size_pretty(v->capacity, s1, sizeof(s1)),
			    (unsigned long long)v->capacity,
			    size_pretty(v->allocation, s2, sizeof(s2)),
			    (unsigned long long)v->allocation);
		if (v->backing)
			sbuf_printf(&b, "Backing:     %s (%s)\n",
				    v->backing->path ? v->backing->path : "-",
				    v->backing->format ? v->backing->format : "-");
		if (v->note)
			sbuf_printf(&b, "Note:        %s\n", v->note);
	} else {
		uuid_format(p->def->uuid, uuid);
		sbuf_printf(&b, "Name:        %s\nUUID:        %s\nType:        "
			    "%s\nState:       %s\nAutostart:   %s\nTarget:      "
			    "%s\n", p->def->name, uuid,
			    pool_type_name(p->def->type),
			    pool_state_name(p->state),
			    p->autostart ? "yes" : "no",
			    p->def->target_path ? p->def->target_path : "-");
		if (pool_is_active(p))
			sbuf_printf(&b, "Capacity:    %s\nAllocation:  %s\n"
				    "Available:   %s\nVolumes:     %zu\n",
				    size_pretty(p->def->capacity, s1, sizeof(s1)),
				    size_pretty(p->def->allocation, s2, sizeof(s2)),
				    size_pretty(p->def->available, s3, sizeof(s3)),
				    p->nvols);
		for (size_t i = 0; i < p->nfacts; i++)
			sbuf_printf(&b, "Fact:        %s\n", p->facts[i]);
		if (p->error)
			sbuf_printf(&b, "\nLast error:  %s\n", p->error);
	}
	dialog_text(ui, v ? "Volume details" : "Pool details", b.s);
	sbuf_free(&b);
	return UI_DRAW;
}

ACT(act_refresh)
{
	struct pool *p = ui_pool(ui);

	if (p == NULL || !pool_is_active(p)) {
		ui_reload(ui);
		ui_status(ui, R_GOOD, "Reloaded %zu pool definitions.",
			  ui->c->npools);
		return UI_DRAW;
	}
	ui_refresh_selected(ui);
	p = ui_pool(ui);
	if (p != NULL && !p->refreshed)
		ui_status(ui, R_STATUS, "Refreshing pool %s...", p->def->name);
	else if (p != NULL && p->error == NULL)
		ui_status(ui, R_GOOD, "Pool %s refreshed: %zu volume%s.",
			  p->def->name, p->nvols, p->nvols == 1 ? "" : "s");
	return UI_DRAW | UI_REVOLS;
}
