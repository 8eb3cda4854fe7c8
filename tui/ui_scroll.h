/* cistern — the one list model: a selection and a first row shown over
 * n rows, moved by the keys every list of the interface shares (as
 * tmux's mode-tree serves every chooser). The panes (ui_list.c), the
 * chooser and the text view (ui_dialog.c), the wizards' lists and views
 * (ui_wiz_key.c, ui_wiz_form.c) and the log pane (ui_draw.c) use it.
 *
 * A view (text without a selection) is a list of the lines it can start
 * at: its `sel` is its first line shown, in 0..n-page.
 */
#ifndef CISTERN_UI_SCROLL_H
#define CISTERN_UI_SCROLL_H

#include <stdbool.h>
#include <stddef.h>

struct scroll {
	size_t sel;                        /* the selected row */
	size_t top;                        /* the first row shown */
};

/* Move the selection by delta within n rows, clamped; true if it moved. */
bool scroll_move(struct scroll *s, size_t n, long delta);

/* Keep the selection among the `rows` shown from top, and no blank rows
 * after the last one. */
void scroll_fit(struct scroll *s, size_t n, size_t rows);

/* A navigation key over n rows of which `page` are shown: Up k, Down j,
 * PgUp Ctrl-B, PgDn Ctrl-F Space, Home g, End G. 1 when the selection
 * moved, 0 when it did not, -1 when the key is not one. */
int scroll_key(struct scroll *s, size_t n, int key, size_t page);

/* The same for a view of n lines with `page` shown (s->sel: the first). */
int scroll_view_key(struct scroll *s, size_t n, int key, size_t page);

#endif
