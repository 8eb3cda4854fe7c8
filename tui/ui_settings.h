/* cistern — what the screen remembers between runs (ui_settings.c): the
 * theme picked, the panes' sort orders, the last download directory and
 * the ':' prompt's history, in the config directory. */
#ifndef CISTERN_UI_SETTINGS_H
#define CISTERN_UI_SETTINGS_H

struct ui;

/* Read at start; the sort orders are noticed after each key; the theme,
 * the download directory and the history are saved when they change.
 * Nothing is written by a read-only session. */
void settings_load(struct ui *ui);
void settings_apply_sort(struct ui *ui);
void settings_save(struct ui *ui);
void settings_sync(struct ui *ui);
void history_add(struct ui *ui, const char *line);
void settings_free(struct ui *ui);

#endif
