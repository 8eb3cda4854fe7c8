/* cistern — the one list model: selection, scrolling, the keys. */
#include "ui_scroll.h"

#include <curses.h>

#include "keys.h"

bool
scroll_move(struct scroll *s, size_t n, long delta)
{
	size_t before = s->sel;
	long to = (long)s->sel + delta;

	if (n == 0) {
		s->sel = 0;
		return before != 0;
	}
	if (to < 0)
		to = 0;
	if (to >= (long)n)
		to = (long)n - 1;
	s->sel = (size_t)to;
	return s->sel != before;
}

void
scroll_fit(struct scroll *s, size_t n, size_t rows)
{
	if (rows == 0)
		return;
	if (s->sel < s->top)
		s->top = s->sel;
	if (s->sel >= s->top + rows)
		s->top = s->sel - rows + 1;
	if (s->top + rows > n)
		s->top = n > rows ? n - rows : 0;
}

int
scroll_key(struct scroll *s, size_t n, int key, size_t page)
{
	long p = page > 0 ? (long)page : 1;

	switch (key) {
	case K_FN(KEY_UP): case 'k':
		return scroll_move(s, n, -1);
	case K_FN(KEY_DOWN): case 'j':
		return scroll_move(s, n, 1);
	case K_FN(KEY_PPAGE): case K_CTRL('b'):
		return scroll_move(s, n, -p);
	case K_FN(KEY_NPAGE): case K_CTRL('f'): case ' ':
		return scroll_move(s, n, p);
	case K_FN(KEY_HOME): case 'g':
		return scroll_move(s, n, -(long)n);
	case K_FN(KEY_END): case 'G':
		return scroll_move(s, n, (long)n);
	}
	return -1;
}

int
scroll_view_key(struct scroll *s, size_t n, int key, size_t page)
{
	return scroll_key(s, n > page ? n - page + 1 : 1, key, page);
}
