/* cistern — the map pane (ui_map.c): extents of disk and logical pools,
 * usage of file and rbd pools (ui_usage.c). */
#ifndef CISTERN_UI_MAP_H
#define CISTERN_UI_MAP_H

#include <stdbool.h>
#include <stdint.h>

#include "ui.h"
#include "ui_action.h"

bool map_has(const struct pool *p);
enum bottom map_bottom(struct ui *ui);
void map_draw(struct ui *ui, int y, int h);
int map_key(struct ui *ui, int key);
int map_click(struct ui *ui, int y, int x);
bool map_free_selected(struct ui *ui, uint64_t *start, uint64_t *size);
/* ui_usage.c: a file or rbd pool's use, in rows y..y+h-1. */
void map_usage_draw(struct ui *ui, struct pool *p, int y, int h);
ACT(act_map);
USABLE(need_map);

#endif
