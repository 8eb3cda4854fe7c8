/* cistern — the ':' prompt (a command-line verb run from the screen)
 * and the '/' filter (ui_prompt.c). */
#ifndef CISTERN_UI_PROMPT_H
#define CISTERN_UI_PROMPT_H

struct ui;

void ui_prompt_open(struct ui *ui, const char *init);
void ui_filter_open(struct ui *ui);

#endif
