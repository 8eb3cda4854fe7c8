/* cistern — the screen's view of the model (ui_model.c): the selected
 * pool and volume, reloading, refreshing, rebuilding the panes' rows. */
#ifndef CISTERN_UI_MODEL_H
#define CISTERN_UI_MODEL_H

struct ui;
struct pool;
struct vol_def;

/* Model helpers (ui_model.c): make sure the selected pool's volumes are
 * read, refresh every running pool, keep the volume pane on the pool the
 * selection moved to. */
void ui_ensure_vols(struct ui *ui);
void ui_refresh_all(struct ui *ui);
void ui_follow_pool(struct ui *ui);
/* Select this volume of `pool` when the volumes are read again (a volume
 * just made). */
void ui_select_vol_later(struct ui *ui, const char *pool, const char *vol);
/* Remember the selection by name, then drop the rows (before the core
 * frees what they point at). */
void ui_detach(struct ui *ui);
void ui_sync(struct ui *ui);
struct pool *ui_pool(struct ui *ui);
const struct vol_def *ui_vol(struct ui *ui);
void ui_select_pool(struct ui *ui, const char *name);
void ui_reload(struct ui *ui);
void ui_rebuild_pools(struct ui *ui);
void ui_rebuild_vols(struct ui *ui);
void ui_refresh_selected(struct ui *ui);

#endif
