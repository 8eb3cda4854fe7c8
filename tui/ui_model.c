/* cistern — the interface's model: the pools and volumes panes rebuilt
 * from the catalog, reloads and refreshes that keep the selection and the
 * filter by name. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui.h"

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

/* Forget pending inotify events (our own writes). */
void
ui_ino_drain(struct ui *ui)
{
	char buf[4096];

	if (ui->ino_fd < 0)
		return;
	while (read(ui->ino_fd, buf, sizeof(buf)) > 0)
		;
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
	set_name(&ui->vol_name, r ? r->vol->name : NULL);
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
	err_init(&e);
	if (pool_refresh(ui->c, p, NULL, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	err_clear(&e);
	ui_ino_drain(ui);
}

/* Refresh the selected pool now (F5). */
void
ui_refresh_selected(struct ui *ui)
{
	struct pool *p;

	ui_sync(ui);
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
	for (size_t i = 0; i < ui->c->npools; i++) {
		struct pool *p = ui->c->pools[i];
		struct err e;
		if (p->refreshed || (p->state != POOL_RUNNING &&
				     p->state != POOL_DEGRADED))
			continue;
		err_init(&e);
		pool_refresh(ui->c, p, NULL, &e);
		err_clear(&e);
	}
	ui_ino_drain(ui);
}

/* Re-read every pool, refresh the running ones, keep the selection. */
void
ui_reload(struct ui *ui)
{
	struct err e;

	ui_detach(ui);
	err_init(&e);
	if (cistern_reload(ui->c, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	err_clear(&e);
	ui_refresh_all(ui);
	ui_rebuild_pools(ui);
	ui_ensure_vols(ui);
	ui_rebuild_vols(ui);
	ui_ino_drain(ui);
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
		ui->vols.sel = ui->vols.top = 0;
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
