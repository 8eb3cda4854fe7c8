/* cistern — drawing the main screen (ui_draw.c): layout, panes, the
 * bottom pane, the key bar, the mouse. */
#ifndef CISTERN_UI_DRAW_H
#define CISTERN_UI_DRAW_H

#include "ui_list.h"

struct ui;

void ui_layout(struct ui *ui);
void ui_draw(struct ui *ui);
int ui_draw_click(struct ui *ui, int y, int x, int button);
/* Scroll the log pane by a key, or by delta lines with K_NONE. */
int log_scroll_key(struct ui *ui, int key, long delta);
extern const struct list_ops pool_list_ops, vol_list_ops;
extern const struct pane_col pool_pane_cols[], vol_pane_cols[];

#endif
