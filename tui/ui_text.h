/* cistern — drawing text by display width (ui_text.c). */
#ifndef CISTERN_UI_TEXT_H
#define CISTERN_UI_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

struct ui;

void text_init(bool utf8, const char *ellipsis);
int text_width(const char *s);
/* Draw at most w columns of s at (y, x) with attr; pads with spaces to w
 * when pad; right-aligns when right. Returns columns drawn. */
int text_put(int y, int x, const char *s, int w, attr_t a, bool pad,
	     bool right);
/* The same, but a cut keeps the end ("…/images/web.img"). */
int text_put_tail(int y, int x, const char *s, int w, attr_t a);
/* Wrap text to width w; returns a strv of lines. */
char **text_wrap(const char *s, int w, size_t *n);
void text_hline(struct ui *ui, int y, int x, int w, attr_t a);
void text_fill(int y, int x, int w, attr_t a);
/* Append a UTF-8 encoded code point to buf (at most 4 bytes). */
int text_utf8(char *buf, unsigned cp);

#endif
