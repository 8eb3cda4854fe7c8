/* cistern — forms (ui_form.c): labelled fields (text, choice, check box)
 * and buttons in a dialog; confirmations are forms without fields. */
#ifndef CISTERN_UI_FORM_H
#define CISTERN_UI_FORM_H

#include <stdbool.h>
#include <stddef.h>

#include "ui_dialog.h"

/* One field model for dialogs and wizards: a wizard's field (struct
 * wfield, ui_wiz.h) embeds a struct field as its base and adds only its
 * id, layout, list rows and check. */
enum field_kind {
	F_TEXT,         /* one line of text */
	F_CHOICE,       /* one of fixed values: < value >, Left/Right */
	F_CHECK,        /* [x] label, Space */
	F_LABEL,        /* dialogs: a read-only "label value" line */
	F_SECRET,       /* wizards: text never shown (CHAP password) */
	F_LIST,         /* wizards: rows to pick from: Up/Down (Space
			   ticks with multi) */
	F_VIEW,         /* wizards: rows to read (the XML): Up/Down */
	F_INFO,         /* wizards: wrapped text, not focusable */
};

struct field {
	enum field_kind kind;
	char *label;
	char *value;                       /* F_TEXT, F_SECRET: as typed
					      (wizards: NULL while the page
					      is not laid out); F_LABEL */
	size_t cursor;                     /* byte offset in value */
	char **choices;                    /* F_CHOICE */
	int nchoices, choice;              /* choice: dialogs (a wizard's
					      choice is its stored value) */
	bool on;                           /* F_CHECK in dialogs (wizards:
					      the store) */
	char *hint;                        /* shown after the field */
	bool hidden;
};

/* Free what a field holds (its value's bytes cleared first). */
void field_free(struct field *fl);

struct form;
/* Called with the button pressed (index); returns UI_* flags, or -1 to
 * keep the form open (an error was set with form_error). */
typedef int (*form_done_fn)(struct ui *ui, struct form *f, int button);
/* Called when a field changes (to update hints or hide fields). */
typedef void (*form_change_fn)(struct ui *ui, struct form *f, int field);

struct form {
	char *text;                        /* explanation above the fields */
	struct field *fields;
	int nfields;
	char **buttons;
	int nbuttons;
	int cancel;                        /* index of the Cancel button */
	int focus;                         /* fields first, then buttons */
	bool danger;
	char *error;
	int confirm_field;                 /* F_TEXT that must equal confirm */
	char *confirm;                     /* the name to type back */
	int confirm_button;                /* the button it unlocks */
	form_done_fn done;
	form_change_fn change;
	void *ctx;
	void (*ctx_free)(void *ctx);
	int width;
	/* the last draw, for the mouse */
	int btn_y, btn_x[8], btn_w[8], field_y[24];
};

/* Forms (confirmations are forms without fields). */
struct form *form_new(const char *text, form_done_fn done, void *ctx,
		      void (*ctx_free)(void *));
int form_add_text(struct form *f, const char *label, const char *value,
		  const char *hint);
int form_add_choice(struct form *f, const char *label,
		    const char *const *choices, int n, int choice);
int form_add_check(struct form *f, const char *label, bool on);
int form_add_label(struct form *f, const char *label, const char *value);
void form_add_button(struct form *f, const char *label);
/* The last button is Cancel and has the focus unless said otherwise. */
void form_open(struct ui *ui, const char *title, struct form *f);
/* The same for an action's question: with several hosts, the title
 * names the host ("Delete volume on kvm-03"). */
void form_open_action(struct ui *ui, const char *title, struct form *f);
/* Require `name` typed in field `fi` before button `bi` works. */
void form_require_name(struct form *f, int fi, const char *name, int bi);
void form_error(struct form *f, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
const char *form_text(const struct form *f, int fi);
int form_choice(const struct form *f, int fi);
bool form_check(const struct form *f, int fi);

/* Is the top dialog a form; a click in one. */
bool dialog_is_form(const struct dialog *d);
int form_click(struct ui *ui, struct dialog *d, int y, int x);

#endif
