/* cistern — the dialog layer (ui_dialog.c): a stack of boxes over the
 * screen: messages, text views, choosers, the status-line editor, and
 * the line editing forms share. */
#ifndef CISTERN_UI_DIALOG_H
#define CISTERN_UI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include <curses.h>

struct ui;

struct dialog;
typedef int (*dlg_key_fn)(struct ui *ui, struct dialog *d, int key);
typedef void (*dlg_draw_fn)(struct ui *ui, struct dialog *d);
typedef void (*dlg_free_fn)(struct dialog *d);

struct dialog {
	dlg_draw_fn draw;
	dlg_key_fn key;
	dlg_free_fn free;
	struct dialog *below;
	char *title;
	void *data;                        /* the kind's own state */
	/* the last box, for the mouse */
	int y, x, h, w;
};

void dialog_push(struct ui *ui, struct dialog *d);
struct dialog *dialog_new(const char *title, dlg_draw_fn draw, dlg_key_fn key,
			  dlg_free_fn fr, void *data);
/* Take the top dialog off the stack without freeing it; destroy one. */
struct dialog *dialog_unlink(struct ui *ui);
void dialog_destroy(struct dialog *d);
/* Line editing shared by forms and the status-line editor. */
bool key_printable(int key);
bool key_backspace(int key);
bool edit_key(char **value, size_t *cursor, int key);
void input_draw(struct ui *ui, int y, int x, int w, const char *value,
		size_t cursor, bool focused, attr_t a);
/* Close the top dialog. */
void dialog_pop(struct ui *ui);
void dialog_draw_all(struct ui *ui);
/* Draw a framed box and its title; returns nothing, fills d->y.. */
void dialog_box(struct ui *ui, struct dialog *d, int h, int w, int role);

/* A message: title, text, one [OK] button. */
void dialog_message(struct ui *ui, const char *title, const char *text,
		    bool error);
/* A scrollable text view (help, XML, output, details). */
void dialog_text(struct ui *ui, const char *title, const char *text);

/* A list to pick from; `move` previews (may be NULL); `pick` gets the
 * index, or -1 when cancelled. */
typedef int (*chooser_fn)(struct ui *ui, int index, void *ctx);
void dialog_chooser(struct ui *ui, const char *title, char **items, int n,
		    int sel, chooser_fn on_move, chooser_fn pick, void *ctx,
		    void (*ctx_free)(void *));

/* One-line editor on the status line (':' prompt, '/' filter). */
typedef int (*line_fn)(struct ui *ui, const char *text, bool done,
		       void *ctx);
/* Tab: the completed line (or NULL), and the candidates to list when
 * several remain. */
typedef char *(*complete_fn)(struct ui *ui, const char *text, char ***cands,
			     size_t *ncands);
void dialog_line(struct ui *ui, const char *prompt, const char *init,
		 line_fn change, line_fn done, complete_fn complete,
		 void *ctx);
/* Up and Down in the line editor on top walk this list (oldest first). */
void dialog_line_history(struct ui *ui, char ***hist, size_t *nhist);

#endif
