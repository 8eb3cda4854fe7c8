/* cistern — drawing the main screen (ui_draw.c): layout, panes, the
 * bottom pane, the key bar, the mouse. */
#ifndef CISTERN_UI_DRAW_H
#define CISTERN_UI_DRAW_H

#include "ui_list.h"

struct glyphs;
struct pool;
struct ui;

void ui_layout(struct ui *ui);
void ui_draw(struct ui *ui);
int ui_draw_click(struct ui *ui, int y, int x, int button);
/* A pool's state: its colour role (R_*) and its glyph. */
int ui_pool_role(const struct pool *p);
const char *ui_pool_glyph(const struct glyphs *g, const struct pool *p);
/* ui_bottom.c: the bottom pane's details and log, in rows y..y+h-1. */
void ui_draw_details(struct ui *ui, int y, int h);
void ui_draw_log(struct ui *ui, int y, int h);
/* Scroll the log pane by a key, or by delta lines with K_NONE. */
int log_scroll_key(struct ui *ui, int key, long delta);
extern const struct list_ops pool_list_ops, vol_list_ops;
extern const struct pane_col pool_pane_cols[], vol_pane_cols[];

#endif
