/* cistern — what the pools pane's actions do: each names the exact
 * object, destructive ones default to Cancel and whole-device writes need
 * the pool's name typed back. Anything that calls a backend runs as a
 * job. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/build.h"
#include "../core/edit.h"
#include "../core/fileio.h"
#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "cli.h"
#include "keys.h"
#include "main.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_model.h"
#include "ui_remote.h"
#include "ui_theme.h"

/* ---- preconditions ---- */

static char why_buf[256];

USABLE(need_inactive)
{
	struct pool *p = ui_pool(ui);

	if (p == NULL || !pool_is_active(p))
		return NULL;
	snprintf(why_buf, sizeof(why_buf), "Pool %s is %s: stop it first (F6 "
		 "or s).", p->def->name, pool_state_name(p->state));
	return why_buf;
}

USABLE(need_active)
{
	struct pool *p = ui_pool(ui);

	if (p == NULL || pool_is_active(p))
		return NULL;
	snprintf(why_buf, sizeof(why_buf), "Pool %s is not running.",
		 p->def->name);
	return why_buf;
}

USABLE(need_running)
{
	struct pool *p = ui_pool(ui);

	if (p == NULL || p->state == POOL_RUNNING || p->state == POOL_DEGRADED)
		return NULL;
	snprintf(why_buf, sizeof(why_buf), "Pool %s is %s: start it first (F6 "
		 "or s).", p->def->name, pool_state_name(p->state));
	return why_buf;
}

USABLE(need_vol)
{
	if (ui_vol(ui) != NULL && ui->focus == FOCUS_VOLS)
		return NULL;
	return "Select a volume first (Tab or Right moves to the volumes).";
}

/* ---- jobs on pools ---- */

struct pool_job_arg {
	char *pool;
	unsigned flags;
};

/* Free a pool job's arguments. */
static void
pool_job_arg_free(struct pool_job_arg *o)
{
	free(o->pool);
	free(o);
}

/* In the job's child: start the pool. */
static int
job_pool_start(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	       struct err *e)
{
	struct pool_job_arg *o = arg;
	struct pool *p = cistern_get_pool(c, o->pool, e);

	(void)out;
	return p == NULL ? -1 : pool_start(c, p, o->flags, j, e);
}

/* In the job's child: stop the pool. */
static int
job_pool_stop(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	      struct err *e)
{
	struct pool_job_arg *o = arg;
	struct pool *p = cistern_get_pool(c, o->pool, e);

	(void)out;
	(void)j;
	return p == NULL ? -1 : pool_stop(c, p, o->flags, e);
}

/* In the job's child: build the pool. */
static int
job_pool_build(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	       struct err *e)
{
	struct pool_job_arg *o = arg;
	struct pool *p = cistern_get_pool(c, o->pool, e);

	(void)out;
	return p == NULL ? -1 : pool_build(c, p, o->flags, j, e);
}

/* In the job's child: delete the pool's storage. */
static int
job_pool_delete(struct cistern *c, struct job *j, void *arg,
		struct sbuf *out, struct err *e)
{
	struct pool_job_arg *o = arg;
	struct pool *p = cistern_get_pool(c, o->pool, e);

	(void)out;
	return p == NULL ? -1 : pool_delete(c, p, o->flags, j, e);
}

/* Start a job on a pool and show its progress. */
static int
pool_job(struct ui *ui, const char *verb, const char *pool, job_fn fn,
	 unsigned flags)
{
	struct pool_job_arg *o = xcalloc(1, sizeof(*o));
	char *title = xasprintf("%s pool %s", verb, pool);
	int id;

	o->pool = xstrdup(pool);
	o->flags = flags;
	id = ui_job_start(ui, title, pool, fn, o, false);
	pool_job_arg_free(o);
	free(title);
	if (id > 0)
		dialog_progress(ui, id);
	return UI_DRAW;
}

ACT(act_pool_start)
{
	return pool_job(ui, "start", ui_pool(ui)->def->name, job_pool_start, 0);
}

ACT(act_pool_stop)
{
	return pool_job(ui, "stop", ui_pool(ui)->def->name, job_pool_stop, 0);
}

/* The overwrite choice (field 0) shows the name to type back (field 1)
 * and makes it required. */
static void
build_change(struct ui *ui, struct form *f, int fi)
{
	bool over = form_choice(f, 0) == 1;

	(void)ui;
	(void)fi;
	f->fields[1].hidden = !over;
	f->confirm_field = over ? 1 : -1;
}

/* The build form was answered. */
static int
build_done(struct ui *ui, struct form *f, int b)
{
	const char *name = f->ctx;
	unsigned flags;

	if (b != 0)
		return UI_DRAW;
	if (f->nfields >= 1 && f->fields[0].kind == F_CHOICE)
		flags = form_choice(f, 0) == 1 ? POOL_BUILD_OVERWRITE :
			POOL_BUILD_NO_OVERWRITE;
	else
		flags = 0;
	return pool_job(ui, "build", name, job_pool_build, flags);
}

/* A sentence on the storage a pool uses, for confirmations. */
static char *
pool_storage(const struct pool *p)
{
	const struct pool_source *s = &p->def->source;

	if (s->ndevices > 0)
		return xasprintf("device %s%s", s->devices[0].path,
				 s->ndevices > 1 ? " and more" : "");
	if (s->name != NULL)
		return xasprintf("volume group %s", s->name);
	return xasprintf("directory %s", p->def->target_path ?
			 p->def->target_path : "?");
}

ACT(act_pool_build)
{
	struct pool *p = ui_pool(ui);
	const struct backend *b = backend_get(p->def->type);
	bool destructive = b != NULL && (b->flags & BACKEND_BUILD_DESTRUCTIVE);
	char *where = pool_storage(p), *t;
	struct form *f;

	if (destructive)
		t = xasprintf("Build pool %s (%s) on %s. If it holds data, cistern "
			      "refuses unless you choose to overwrite it.",
			      p->def->name, pool_type_name(p->def->type), where);
	else
		t = xasprintf("Build pool %s (%s): create %s.", p->def->name,
			      pool_type_name(p->def->type), where);
	f = form_new(t, build_done, xstrdup(p->def->name), free);
	if (destructive) {
		static const char *const ch[] = {
			"refuse if it holds data", "overwrite whatever is there",
		};
		form_add_choice(f, "Existing data", ch, 2, 0);
		int fi = form_add_text(f, "Type the pool's name", "", NULL);
		f->fields[fi].hidden = true;
		f->change = build_change;
		f->danger = true;
	}
	form_add_button(f, "Build");
	form_add_button(f, "Cancel");
	if (destructive) {
		form_require_name(f, 1, p->def->name, 0);
		f->confirm_field = -1;
	}
	form_open_action(ui, "Build pool", f);
	free(t);
	free(where);
	return UI_DRAW;
}

/* The delete form was answered. */
static int
delete_done(struct ui *ui, struct form *f, int b)
{
	if (b != 0)
		return UI_DRAW;
	return pool_job(ui, "delete", f->ctx, job_pool_delete,
			POOL_DELETE_CONFIRMED);
}

ACT(act_pool_delete)
{
	struct pool *p = ui_pool(ui);
	char *where = pool_storage(p);
	char *t = xasprintf("Delete the storage of pool %s (%s): %s is "
			    "destroyed. The definition stays (Undefine removes "
			    "it). Type the pool's name to confirm.",
			    p->def->name, pool_type_name(p->def->type), where);
	struct form *f = form_new(t, delete_done, xstrdup(p->def->name), free);

	f->danger = true;
	int fi = form_add_text(f, "Pool name", "", NULL);
	form_add_button(f, "Delete");
	form_add_button(f, "Cancel");
	form_require_name(f, fi, p->def->name, 0);
	form_open_action(ui, "Delete pool storage", f);
	free(t);
	free(where);
	return UI_DRAW;
}

/* The undefine confirmation was answered. */
static int
undefine_done(struct ui *ui, struct form *f, int b)
{
	struct pool *p;
	struct err e;

	if (b != 0)
		return UI_DRAW;
	ui_detach(ui);
	p = cistern_find_pool(ui->c, f->ctx);
	err_init(&e);
	if (p == NULL || pool_undefine(ui->c, p, &e) < 0)
		ui_status(ui, R_ERROR, "%s", err_isset(&e) ? e.msg :
			  "the pool is gone");
	else
		ui_status(ui, R_GOOD, "Pool %s undefined.", (char *)f->ctx);
	err_clear(&e);
	return UI_RELOAD;
}

ACT(act_pool_undefine)
{
	struct pool *p = ui_pool(ui);
	char *t = xasprintf("Forget pool %s? Its definition is removed; its "
			    "storage (%s) is left as it is.", p->def->name,
			    p->def->target_path ? p->def->target_path : "-");
	struct form *f = form_new(t, undefine_done, xstrdup(p->def->name), free);

	f->danger = true;
	form_add_button(f, "Undefine");
	form_add_button(f, "Cancel");
	form_open_action(ui, "Undefine pool", f);
	free(t);
	return UI_DRAW;
}

ACT(act_pool_autostart)
{
	struct pool *p = ui_pool(ui);
	bool on = !p->autostart;
	struct err e;

	/* a remote engine reads the pool back, and its volumes with it:
	 * the rows must not point at the old ones meanwhile */
	ui_detach(ui);
	err_init(&e);
	if (pool_set_autostart(ui->c, p, on, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	else
		ui_status(ui, R_GOOD, "Pool %s: autostart %s.", p->def->name,
			  on ? "on" : "off");
	err_clear(&e);
	ui_rebuild_pools(ui);
	ui_rebuild_vols(ui);
	if (ui_remote(ui))
		ui_remote_load(ui, true);
	return UI_DRAW;
}

ACT(act_pool_xml)
{
	struct pool *p = ui_pool(ui);
	char *xml = pool_xml(p, 0);
	char *t = xasprintf("XML of pool %s", p->def->name);

	dialog_text(ui, t, xml);
	free(t);
	free(xml);
	return UI_DRAW;
}

/* ---- editing the XML in $EDITOR ---- */

static int edit_loop(struct ui *ui, struct pool_edit *ed);

/* The edit a refusal dialog holds (the operator's text in its file). */
struct edit_ctx {
	struct pool_edit *ed;
};

/* Remove the edited file and free the context. */
static void
edit_ctx_free(void *p)
{
	struct edit_ctx *ec = p;

	if (ec->ed != NULL) {
		pool_edit_end(ec->ed);
		free(ec->ed);
	}
	free(ec);
}

/* "Edit again" or "Discard" after a bad edit. */
static int
edit_again(struct ui *ui, struct form *f, int b)
{
	struct edit_ctx *ec = f->ctx;
	struct pool_edit *ed = ec->ed;

	if (b != 0) {
		ui_status(ui, R_STATUS, "Pool %s unchanged.", ed->pool);
		return UI_DRAW;
	}
	/* the file (the operator's text) is the next round's now: this
	 * dialog must not remove it when it closes */
	ec->ed = NULL;
	return edit_loop(ui, ed);
}

/* Edit once (the edit is the loop's from now on); a bad result offers
 * another round. */
static int
edit_loop(struct ui *ui, struct pool_edit *ed)
{
	struct err e;
	int rc;

	err_init(&e);
	ui_suspend(ui);
	rc = cli_editor(ed->file, &e);
	ui_resume(ui);
	if (rc == 0) {
		ui_detach(ui);
		switch (pool_edit_apply(ui->c, ed, "the edited XML", &e)) {
		case POOL_EDIT_UNCHANGED:
			ui_status(ui, R_STATUS, "Pool %s: XML not changed.",
				  ed->pool);
			pool_edit_end(ed);
			free(ed);
			return UI_RELOAD;
		case POOL_EDIT_DEFINED:
			ui_status(ui, R_GOOD, "Pool %s: XML saved.", ed->pool);
			pool_edit_end(ed);
			free(ed);
			return UI_RELOAD;
		case POOL_EDIT_REFUSED:
			break;
		}
	}
	struct edit_ctx *ec = xcalloc(1, sizeof(*ec));
	char *t = xasprintf("The XML was not saved: %s", e.msg);
	ec->ed = ed;
	struct form *f = form_new(t, edit_again, ec, edit_ctx_free);
	form_add_button(f, "Edit again");
	form_add_button(f, "Discard");
	form_open_action(ui, "Edit pool XML", f);
	free(t);
	err_clear(&e);
	return UI_RELOAD;
}

ACT(act_pool_edit)
{
	struct pool_edit *ed = xcalloc(1, sizeof(*ed));
	struct err e;

	err_init(&e);
	if (pool_edit_begin(ui_pool(ui), ed, &e) < 0) {
		ui_status(ui, R_ERROR, "%s", e.msg);
		err_clear(&e);
		free(ed);
		return UI_DRAW;
	}
	return edit_loop(ui, ed);
}

/* ---- the first start ---- */

/* Create (or not) the default pool offered on the first start. */
static int
default_done(struct ui *ui, struct form *f, int b)
{
	char *dir = f->ctx;
	struct err e;

	if (b != 0) {
		ui_status(ui, R_STATUS, "No pools yet: F2 (or N) defines one.");
		return UI_DRAW;
	}
	err_init(&e);
	ui_detach(ui);
	if (pool_create_default(ui->c, dir, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	else
		ui_status(ui, R_GOOD, "Pool default created in %s and started.",
			  dir);
	err_clear(&e);
	return UI_RELOAD;
}

/* The first start with no pools: offer libvirt's default pool. */
void
ui_offer_default_pool(struct ui *ui)
{
	char *dir = default_pool_dir();
	char *t = xasprintf("No storage pools are defined yet. Create libvirt's "
			    "'default' pool: a directory of images in %s, "
			    "started now and at every boot?", dir);
	struct form *f = form_new(t, default_done, dir, free);

	form_add_button(f, "Create");
	form_add_button(f, "Not now");
	form_open(ui, "Welcome to cistern", f);
	f->focus = 0;
	free(t);
}
