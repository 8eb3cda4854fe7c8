/* cistern — the interface's model: the pools and volumes panes rebuilt
 * from the catalog, reloads and refreshes that keep the selection and the
 * filter by name. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/pool.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "keys.h"
#include "ui.h"
#include "ui_hosts.h"
#include "ui_job.h"
#include "ui_list.h"
#include "ui_model.h"
#include "ui_remote.h"
#include "ui_scroll.h"
#include "ui_theme.h"

/* The selected pool, or NULL (valid until the next reload). */
struct pool *
ui_pool(struct ui *ui)
{
	if (ui->pool_name == NULL)
		return NULL;
	return cistern_find_pool(ui->c, ui->pool_name);
}

/* The selected volume, or NULL. */
const struct vol_def *
ui_vol(struct ui *ui)
{
	const struct row *r = list_selected(&ui->vols);

	return r != NULL ? r->vol : NULL;
}

/* Replace a remembered name. */
static void
set_name(char **slot, const char *name)
{
	if (str_eq(*slot, name))
		return;
	free(*slot);
	*slot = name ? xstrdup(name) : NULL;
}

/* Remember the selected pool and volume by name. */
void
ui_sync(struct ui *ui)
{
	const struct row *r = list_selected(&ui->pools);

	if (r != NULL)
		set_name(&ui->pool_name, r->pool->def->name);
	r = list_selected(&ui->vols);
	if (r != NULL)
		set_name(&ui->vol_name, r->vol->name);
}

/* Remember the selection, then drop the rows before the model changes. */
void
ui_detach(struct ui *ui)
{
	ui_sync(ui);
	list_clear(&ui->pools);
	list_clear(&ui->vols);
}

/* Rows of the pools pane from the model. */
void
ui_rebuild_pools(struct ui *ui)
{
	struct row *rows = xcalloc(ui->c->npools + 1, sizeof(*rows));
	const struct row *r;

	for (size_t i = 0; i < ui->c->npools; i++)
		rows[i].pool = ui->c->pools[i];
	list_set_rows(&ui->pools, rows, ui->c->npools, ui->pool_name);
	r = list_selected(&ui->pools);
	set_name(&ui->pool_name, r ? r->pool->def->name : NULL);
}

/* Rows of the volumes pane from the selected pool. */
void
ui_rebuild_vols(struct ui *ui)
{
	struct pool *p = ui_pool(ui);
	size_t n = p ? p->nvols : 0;
	struct row *rows = xcalloc(n + 1, sizeof(*rows));
	const struct row *r;

	for (size_t i = 0; i < n; i++) {
		rows[i].pool = p;
		rows[i].vol = p->vols[i];
	}
	list_set_rows(&ui->vols, rows, n, ui->vol_name);
	r = list_selected(&ui->vols);
	/* a pool still being refreshed in a job keeps the selected name
	 * for when its volumes arrive */
	if (r != NULL || p == NULL || p->refreshed)
		set_name(&ui->vol_name, r ? r->vol->name : NULL);
}

/* Does the pool's refresh talk to a network service that may be slow
 * or gone (a Ceph cluster)? Then it runs in a job, off the main loop. */
static bool
refresh_is_remote(const struct pool *p)
{
	const struct backend *b = backend_get(p->def->type);

	return b != NULL && (b->flags & BACKEND_REMOTE);
}

/* Records of a refresh job's output: sizes, then each volume's XML. */
#define RECORD_SEP "\x1e"

/* In the job's child: refresh the pool and send what it found. */
static int
job_refresh(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	    struct err *e)
{
	struct pool *p = cistern_get_pool(c, arg, e);

	if (p == NULL || pool_refresh(c, p, j, e) < 0)
		return -1;
	sbuf_printf(out, "%llu %llu %llu" RECORD_SEP,
		    (unsigned long long)p->def->capacity,
		    (unsigned long long)p->def->allocation,
		    (unsigned long long)p->def->available);
	for (size_t i = 0; i < p->nvols; i++) {
		char *x = vol_def_format(p->vols[i], p->def->type);
		sbuf_add(out, x);
		sbuf_add(out, RECORD_SEP);
		free(x);
	}
	return 0;
}

/* A refresh job ended: take its volumes, or its error, into the model. */
static int
refresh_ended(struct ui *ui, struct ui_job *j, void *arg)
{
	char *name = arg;
	struct pool *p = cistern_find_pool(ui->c, name);
	char *rec, *save = NULL;
	unsigned long long cap, alloc, avail;

	if (p == NULL || !pool_is_active(p)) {
		free(name);
		return UI_DRAW;
	}
	ui_sync(ui);
	if (ui_pool(ui) == p)
		list_clear(&ui->vols);
	pool_clear_vols(p);
	if (j->code != 0) {
		/* tried: the next attempt is the operator's (F5), not a
		 * loop of ten-second waits */
		p->refreshed = true;
		p->state = POOL_INACCESSIBLE;
		free(p->error);
		p->error = xstrdup(j->msg);
		ui_status(ui, R_ERROR, "%s", j->msg);
	} else if (j->output != NULL &&
		   (rec = strtok_r(j->output, RECORD_SEP, &save)) != NULL &&
		   sscanf(rec, "%llu %llu %llu", &cap, &alloc, &avail) == 3) {
		p->def->capacity = cap;
		p->def->allocation = alloc;
		p->def->available = avail;
		while ((rec = strtok_r(NULL, RECORD_SEP, &save)) != NULL) {
			struct err ve;
			struct vol_def *v;

			err_init(&ve);
			v = vol_def_parse(rec, strlen(rec), "refresh",
					  p->def->type, 0, &ve);
			if (v != NULL)
				pool_add_vol(p, v);
			err_clear(&ve);
		}
		p->refreshed = true;
		free(p->error);
		p->error = NULL;
		if (p->state == POOL_INACCESSIBLE)
			p->state = POOL_RUNNING;
	}
	free(name);
	ui_rebuild_pools(ui);
	ui_rebuild_vols(ui);
	return UI_DRAW;
}

/* Refresh a remote pool in a job, unless one is on its way. */
static void
refresh_in_job(struct ui *ui, struct pool *p)
{
	char *title;

	for (size_t i = 0; i < ui->njobs; i++)
		if (!ui->jobs[i]->ended && ui->jobs[i]->on_end == refresh_ended &&
		    str_eq(ui->jobs[i]->pool, p->def->name))
			return;
	title = xasprintf("refresh pool %s", p->def->name);
	char *name = xstrdup(p->def->name);
	if (ui_job_start_cb(ui, title, name, job_refresh, name, refresh_ended,
			    name) < 0)
		free(name);
	free(title);
}

/* Make sure the selected pool's volumes are known (refresh once). */
void
ui_ensure_vols(struct ui *ui)
{
	struct pool *p = ui_pool(ui);
	struct err e;

	if (p == NULL || !pool_is_active(p) || p->refreshed ||
	    p->state == POOL_BUILDING)
		return;
	if (ui_remote(ui)) {
		ui_remote_load(ui, false);
		return;
	}
	if (refresh_is_remote(p)) {
		refresh_in_job(ui, p);
		return;
	}
	err_init(&e);
	if (pool_refresh(ui->c, p, NULL, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	err_clear(&e);
}

/* Refresh the selected pool now (F5). */
void
ui_refresh_selected(struct ui *ui)
{
	struct pool *p;

	ui_sync(ui);
	if (ui_remote(ui)) {
		p = ui_pool(ui);
		ui_remote_rescan(ui, p ? p->def->name : NULL);
		return;
	}
	list_clear(&ui->vols);
	p = ui_pool(ui);
	if (p != NULL)
		p->refreshed = false;
	ui_ensure_vols(ui);
	ui_rebuild_vols(ui);
}

/* Refresh every running pool, so sizes and usage are current; errors
 * land in each pool's details. */
void
ui_refresh_all(struct ui *ui)
{
	if (ui_remote(ui)) {
		ui_remote_load(ui, false);
		return;
	}
	for (size_t i = 0; i < ui->c->npools; i++) {
		struct pool *p = ui->c->pools[i];
		struct err e;
		if (p->refreshed || (p->state != POOL_RUNNING &&
				     p->state != POOL_DEGRADED))
			continue;
		if (refresh_is_remote(p)) {
			refresh_in_job(ui, p);
			continue;
		}
		err_init(&e);
		pool_refresh(ui->c, p, NULL, &e);
		err_clear(&e);
	}
}

/* Re-read every pool, refresh the running ones, keep the selection. */
void
ui_reload(struct ui *ui)
{
	struct err e;

	ui_hosts_stale(ui);
	if (ui_remote(ui)) {
		ui_remote_load(ui, true);
		return;
	}
	ui_detach(ui);
	err_init(&e);
	if (cistern_reload(ui->c, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	err_clear(&e);
	ui_refresh_all(ui);
	ui_rebuild_pools(ui);
	ui_ensure_vols(ui);
	ui_rebuild_vols(ui);
}

void
ui_select_vol_later(struct ui *ui, const char *pool, const char *vol)
{
	ui_sync(ui);
	if (!str_eq(pool, ui->pool_name))
		return;
	/* without rows, the next sync keeps the name for the rebuild */
	list_clear(&ui->vols);
	set_name(&ui->vol_name, vol);
}

/* The pools pane moved: follow it with the volumes pane. */
void
ui_follow_pool(struct ui *ui)
{
	const struct row *r = list_selected(&ui->pools);
	const char *name = r ? r->pool->def->name : NULL;

	if (str_eq(name, ui->pool_name) && ui->vols.rows != NULL)
		return;
	if (!str_eq(name, ui->pool_name)) {
		set_name(&ui->vol_name, NULL);
		ui->vols.filter[0] = '\0';
		ui->vols.sc = (struct scroll){ 0, 0 };
	}
	set_name(&ui->pool_name, name);
	ui_ensure_vols(ui);
	ui_rebuild_vols(ui);
}

/* Select a pool by name and show its volumes. */
void
ui_select_pool(struct ui *ui, const char *name)
{
	ui_sync(ui);
	list_select_name(&ui->pools, name);
	ui_follow_pool(ui);
}
