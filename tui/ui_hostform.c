/* cistern — the hosts form (H): every host of the screen with its URI,
 * autoconnect and state; add, edit and remove change the hosts file
 * (core/hosts.h, as the host-* verbs do: checked, atomic, under the
 * store's lock) and then the screen; connect and disconnect are for
 * this run only.
 *
 * A screen started with one host and no -c becomes one of several when
 * the first host is added; a screen of one -c host edits the file only
 * (it shows the hosts file's hosts when started without -c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hosts.h"
#include "../core/util.h"
#include "keys.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_form.h"
#include "ui_hosts.h"
#include "ui_remote.h"
#include "ui_scroll.h"
#include "ui_text.h"
#include "ui_theme.h"

#define FOOT " a add  e edit  d remove  c connect  x disconnect  " \
	     "A autoconnect  Esc close "

/* One row of the form: a host of the screen, or (one-host screens) of
 * the file. */
struct hrow {
	char name[HOST_NAME_MAX_LEN + 1];
	char uri[512];
	bool autoconnect;
	char state[256];
	int role;
	size_t host;            /* its index in ui->hosts, or (size_t)-1 */
};

struct hostform {
	struct scroll sc;
	struct hosts file;      /* the file, for a screen of one host */
	struct hrow *rows;
	size_t nrows;
};

/* Does the screen show several hosts (rows are ui->hosts)? */
static bool
several(const struct ui *ui)
{
	return ui->nhosts > 0;
}

/* "kvm-03": what the screen says of host i, after its state. */
static void
host_state(struct ui *ui, size_t i, char *buf, size_t n, int *role)
{
	const struct ui_host *h = &ui->hosts[i];

	*role = R_GOOD;
	if (h->remote == NULL) {
		snprintf(buf, n, "this machine  %zu pool%s", h->c->npools,
			 h->c->npools == 1 ? "" : "s");
		return;
	}
	ui_remote_state(h->remote, now_ms(), buf, n, role);
	if (ui_remote_opened(h->remote) && !ui_remote_off(h->remote)) {
		size_t len = strlen(buf);
		snprintf(buf + len, n - len, "  %zu pool%s", h->c->npools,
			 h->c->npools == 1 ? "" : "s");
	}
}

/* The rows, as they are now. */
static void
rows_build(struct ui *ui, struct hostform *hf)
{
	size_t n = several(ui) ? ui->nhosts : hf->file.n + 1;

	free(hf->rows);
	hf->rows = xcalloc(n, sizeof(*hf->rows));
	hf->nrows = n;
	for (size_t i = 0; i < n; i++) {
		struct hrow *r = &hf->rows[i];

		r->host = (size_t)-1;
		if (several(ui)) {
			const struct ui_host *h = &ui->hosts[i];
			snprintf(r->name, sizeof(r->name), "%s", h->name);
			snprintf(r->uri, sizeof(r->uri), "%s",
				 h->uri ? h->uri : "this machine");
			r->autoconnect = h->autoconnect;
			r->host = i;
			host_state(ui, i, r->state, sizeof(r->state), &r->role);
		} else if (i == 0) {
			snprintf(r->name, sizeof(r->name), HOST_LOCAL);
			snprintf(r->uri, sizeof(r->uri), "this machine");
			r->autoconnect = true;
			r->role = ui->remote == NULL ? R_GOOD : R_DIM;
			snprintf(r->state, sizeof(r->state), "%s",
				 ui->remote == NULL ? "this machine" :
				 "not on this screen (-c)");
		} else {
			const struct host_entry *he = &hf->file.v[i - 1];
			snprintf(r->name, sizeof(r->name), "%s", he->name);
			snprintf(r->uri, sizeof(r->uri), "%s", he->uri);
			r->autoconnect = he->autoconnect;
			r->role = R_DIM;
			snprintf(r->state, sizeof(r->state), "%s",
				 ui->remote == NULL ? "in the hosts file" :
				 "not on this screen (-c)");
		}
	}
	/* a host removed meanwhile: the selection stays in the list */
	if (hf->sc.sel >= n)
		hf->sc.sel = n > 0 ? n - 1 : 0;
}

/* Read the file again (a screen of one host lists it). */
static void
file_reload(struct ui *ui, struct hostform *hf)
{
	struct err e;

	hosts_free(&hf->file);
	memset(&hf->file, 0, sizeof(hf->file));
	if (several(ui))
		return;
	err_init(&e);
	if (hosts_load(ui->home->store.config_dir, &hf->file, &e) < 0)
		ui_status(ui, R_ERROR, "%s", e.msg);
	err_clear(&e);
}

static void
hostform_free(struct dialog *d)
{
	struct hostform *hf = d->data;

	hosts_free(&hf->file);
	free(hf->rows);
	free(hf);
}

static void
hostform_draw(struct ui *ui, struct dialog *d)
{
	struct hostform *hf = d->data;
	int wn = 4, wu = 3, w, rows, y;

	rows_build(ui, hf);
	for (size_t i = 0; i < hf->nrows; i++) {
		if (text_width(hf->rows[i].name) > wn)
			wn = text_width(hf->rows[i].name);
		if (text_width(hf->rows[i].uri) > wu)
			wu = text_width(hf->rows[i].uri);
	}
	w = ui->cols - 4;
	if (w > 120)
		w = 120;
	/* the URI gives way first */
	if (wu > w - 6 - wn - 2 - 6 - 22)
		wu = w - 6 - wn - 2 - 6 - 22;
	if (wu < 3)
		wu = 3;
	dialog_box(ui, d, (int)hf->nrows + 5, w, R_DIALOG);
	rows = d->h - 5;
	if (rows < 1)
		rows = 1;
	scroll_fit(&hf->sc, hf->nrows, (size_t)rows);
	y = d->y + 1;
	{
		int x = d->x + 3;
		attr_t a = ui->attr[R_HEADER];
		text_put(y, x, "NAME", wn, a, true, false);
		text_put(y, x + wn + 2, "URI", wu, a, true, false);
		text_put(y, x + wn + 2 + wu + 2, "AUTO", 4, a, true, false);
		text_put(y, x + wn + 2 + wu + 2 + 6, "STATE",
			 d->w - 4 - (wn + 2 + wu + 2 + 6), a, true, false);
	}
	for (int i = 0; i < rows && hf->sc.top + (size_t)i < hf->nrows; i++) {
		size_t k = hf->sc.top + (size_t)i;
		const struct hrow *r = &hf->rows[k];
		bool sel = k == hf->sc.sel;
		attr_t a = sel ? ui->attr[R_SELECTED] : ui->attr[R_DIALOG];
		int x = d->x + 3, yy = y + 1 + i;

		text_fill(yy, d->x + 1, d->w - 2, a);
		if (sel)
			text_put(yy, d->x + 1, ui->g->sel, 1, a, false, false);
		text_put(yy, x, r->name, wn, a, true, false);
		text_put_tail(yy, x + wn + 2, r->uri, wu, a);
		text_put(yy, x + wn + 2 + wu + 2, r->autoconnect ? "yes" : "no",
			 4, a, true, false);
		text_put(yy, x + wn + 2 + wu + 2 + 6, r->state,
			 d->w - 4 - (wn + 2 + wu + 2 + 6),
			 sel ? a : ui->attr[r->role], true, false);
	}
	text_put(d->y + d->h - 2, d->x + 2, FOOT, d->w - 4,
		 ui->attr[R_DIALOG_TITLE], false, false);
}

/* ---- changes to the file ---- */

struct edit_args {
	const char *name;       /* the host changed (edit, remove) */
	struct host_change ch;
	bool autoconnect;       /* add */
};

static int
add_fn(struct hosts *h, void *arg, struct err *e)
{
	const struct edit_args *a = arg;

	return hosts_add(h, a->ch.name, a->ch.uri, a->autoconnect, e);
}

static int
set_fn(struct hosts *h, void *arg, struct err *e)
{
	const struct edit_args *a = arg;

	return hosts_set(h, a->name, &a->ch, e);
}

static int
remove_fn(struct hosts *h, void *arg, struct err *e)
{
	const struct edit_args *a = arg;

	return hosts_remove(h, a->name, e);
}

/* One change to the file; 0, or -1 with e set. */
static int
file_change(struct ui *ui, hosts_edit_fn fn, struct edit_args *a,
	    struct hosts *out, struct err *e)
{
	return hosts_edit(&ui->home->store, ui->read_only, fn, a, out, e);
}

/* The hosts form under the dialog on top, if it is there. */
static struct hostform *
form_below(struct ui *ui)
{
	for (struct dialog *d = ui->dlg; d != NULL; d = d->below)
		if (d->draw == hostform_draw)
			return d->data;
	return NULL;
}

/* After a change to the file: what a screen of one host says. */
static void
said_next_start(struct ui *ui, const char *name, const char *what)
{
	ui_status(ui, R_GOOD, "Host %s %s the hosts file; the screen "
		  "shows it when cistern starts without -c.", name, what);
}

/* The selected row, or NULL. */
static struct hrow *
selected(struct ui *ui, struct hostform *hf)
{
	rows_build(ui, hf);
	return hf->sc.sel < hf->nrows ? &hf->rows[hf->sc.sel] : NULL;
}

/* ---- add and edit ---- */

struct host_ctx {
	char *name;             /* edit: the host as it was; add: NULL */
};

static void
host_ctx_free(void *p)
{
	struct host_ctx *hc = p;

	free(hc->name);
	free(hc);
}

enum { FI_NAME, FI_URI, FI_AUTO };

/* Add: a new line in the file, then a new host on the screen. */
static int
add_done(struct ui *ui, struct form *f)
{
	struct edit_args a = { .autoconnect = form_check(f, FI_AUTO) };
	struct hosts out;
	struct err e;

	a.ch.name = form_text(f, FI_NAME);
	a.ch.uri = form_text(f, FI_URI);
	err_init(&e);
	if (file_change(ui, add_fn, &a, &out, &e) < 0) {
		form_error(f, "%s", e.msg);
		err_clear(&e);
		return -1;
	}
	if (ui->remote != NULL && !several(ui)) {
		said_next_start(ui, a.ch.name, "added to");
	} else {
		if (!several(ui)) {
			/* the first host: this screen shows several now,
			 * the file's others too (added elsewhere meanwhile) */
			ui_hosts_begin(ui);
			for (size_t i = 0; i < out.n; i++)
				if (!str_eq(out.v[i].name, a.ch.name))
					ui_host_add(ui, out.v[i].name,
						    out.v[i].uri,
						    out.v[i].autoconnect);
		}
		ui_host_add(ui, a.ch.name, a.ch.uri, a.autoconnect);
		ui_status(ui, R_GOOD, "Host %s added%s.", a.ch.name,
			  a.autoconnect ? "; connecting" : "");
	}
	hosts_free(&out);
	return 0;
}

/* Edit: the line in the file, then the host on the screen. */
static int
edit_done(struct ui *ui, struct form *f, const char *was)
{
	struct edit_args a = { .name = was };
	const char *name = form_text(f, FI_NAME), *uri = form_text(f, FI_URI);
	size_t i = ui_host_find(ui, was);
	struct err e;

	a.ch.name = str_eq(name, was) ? NULL : name;
	a.ch.uri = uri;
	a.ch.autoconnect = form_check(f, FI_AUTO);
	if (i != (size_t)-1 && ui->hosts[i].uri != NULL &&
	    !str_eq(uri, ui->hosts[i].uri) && ui_host_busy(ui, i)) {
		form_error(f, "%s has a job running: its URI changes when "
			   "the job ends.", was);
		return -1;
	}
	err_init(&e);
	if (file_change(ui, set_fn, &a, NULL, &e) < 0) {
		form_error(f, "%s", e.msg);
		err_clear(&e);
		return -1;
	}
	if (i == (size_t)-1) {
		said_next_start(ui, name, "changed in");
	} else {
		ui_host_change(ui, i, a.ch.name, uri, a.ch.autoconnect);
		ui_status(ui, R_GOOD, "Host %s changed.", name);
	}
	return 0;
}

static int
host_form_done(struct ui *ui, struct form *f, int b)
{
	struct host_ctx *hc = f->ctx;
	int rc;

	if (b != 0)
		return UI_DRAW;
	rc = hc->name == NULL ? add_done(ui, f) : edit_done(ui, f, hc->name);
	if (rc < 0)
		return -1;
	if (form_below(ui) != NULL)
		file_reload(ui, form_below(ui));
	return UI_DRAW;
}

/* The add and edit form: name, URI, autoconnect. */
static void
host_form(struct ui *ui, const struct hrow *r)
{
	struct host_ctx *hc = xcalloc(1, sizeof(*hc));
	struct form *f;

	hc->name = r ? xstrdup(r->name) : NULL;
	f = form_new(r ? "A host of the hosts file (CONFIG/hosts)." :
		     "A libvirt host for the hosts file (CONFIG/hosts).",
		     host_form_done, hc, host_ctx_free);
	form_add_text(f, "Name", r ? r->name : "", NULL);
	form_add_text(f, "URI", r ? r->uri : "", r ? NULL :
		      "qemu+ssh://root@kvm-03/system");
	form_add_check(f, "Connect when cistern starts (autoconnect)",
		       r ? r->autoconnect : true);
	form_add_button(f, r ? "Save" : "Add");
	form_add_button(f, "Cancel");
	f->width = 72;
	form_open(ui, r ? "Edit host" : "Add host", f);
}

/* ---- remove ---- */

static int
remove_done(struct ui *ui, struct form *f, int b)
{
	struct edit_args a = { .name = f->ctx };
	size_t i;
	struct err e;

	if (b != 0)
		return UI_DRAW;
	i = ui_host_find(ui, a.name);
	if (i != (size_t)-1 && ui_host_busy(ui, i)) {
		ui_status(ui, R_WARNING, "%s has a job running: it is removed "
			  "when the job ends.", a.name);
		return UI_DRAW;
	}
	err_init(&e);
	if (file_change(ui, remove_fn, &a, NULL, &e) < 0) {
		ui_status(ui, R_ERROR, "%s", e.msg);
		err_clear(&e);
		return UI_DRAW;
	}
	if (i == (size_t)-1) {
		said_next_start(ui, a.name, "removed from");
	} else {
		ui_host_remove(ui, i);
		ui_status(ui, R_GOOD, "Host %s removed.", a.name);
	}
	if (form_below(ui) != NULL)
		file_reload(ui, form_below(ui));
	return UI_DRAW | UI_REVOLS;
}

static void
remove_ask(struct ui *ui, const struct hrow *r)
{
	char *t = xasprintf("Remove host %s (%s) from the hosts file? Its "
			    "connection is closed; nothing on the host "
			    "changes.", r->name, r->uri);
	struct form *f = form_new(t, remove_done, xstrdup(r->name), free);

	f->danger = true;
	form_add_button(f, "Remove");
	form_add_button(f, "Cancel");
	form_open(ui, "Remove host", f);
	free(t);
}

/* ---- keys ---- */

/* A: autoconnect on or off, in the file (and on the screen). */
static void
toggle_auto(struct ui *ui, struct hostform *hf, const struct hrow *r)
{
	struct edit_args a = { .name = r->name };
	size_t i = ui_host_find(ui, r->name);
	struct err e;

	a.ch.autoconnect = !r->autoconnect;
	err_init(&e);
	if (file_change(ui, set_fn, &a, NULL, &e) < 0) {
		ui_status(ui, R_ERROR, "%s", e.msg);
		err_clear(&e);
		return;
	}
	if (i != (size_t)-1)
		ui_host_change(ui, i, NULL, NULL, a.ch.autoconnect);
	ui_status(ui, R_GOOD, "Host %s: autoconnect %s.", r->name,
		  a.ch.autoconnect ? "on" : "off");
	file_reload(ui, hf);
}

/* c and x: connect again, or disconnect for this run. */
static void
connect_key(struct ui *ui, const struct hrow *r, bool on)
{
	const struct ui_host *h;

	if (r->host == (size_t)-1) {
		ui_status(ui, R_WARNING, "This screen shows one host: the hosts "
			  "file's hosts connect when cistern starts without "
			  "-c.");
		return;
	}
	h = &ui->hosts[r->host];
	if (h->remote == NULL) {
		ui_status(ui, R_WARNING, "%s is this machine: it cannot be "
			  "%s.", r->name, on ? "connected, it is always there" :
			  "disconnected");
		return;
	}
	if (on == !ui_remote_off(h->remote)) {
		ui_status(ui, R_STATUS, "%s is %s.", r->name,
			  on ? "not disconnected" : "disconnected already");
		return;
	}
	if (!on && ui_host_busy(ui, r->host)) {
		ui_status(ui, R_WARNING, "%s has a job running: it can be "
			  "disconnected when the job ends.", r->name);
		return;
	}
	ui_host_connect(ui, r->host, on);
	if (on)
		ui_status(ui, R_GOOD, "Host %s: connecting.", r->name);
	else
		ui_status(ui, R_GOOD, "Host %s disconnected (for this run).",
			  r->name);
}

static int
hostform_key(struct ui *ui, struct dialog *d, int key)
{
	struct hostform *hf = d->data;
	struct hrow *r = selected(ui, hf);

	switch (key) {
	case K_ESC: case 'q': case 'H':
		dialog_pop(ui);
		return UI_DRAW | UI_REVOLS;
	case 'a':
		host_form(ui, NULL);
		return UI_DRAW;
	}
	if (r == NULL)
		return scroll_key(&hf->sc, hf->nrows, key, hf->nrows) >= 0 ?
		       UI_DRAW : UI_NONE;
	switch (key) {
	case 'e': case K_ENTER: case '\n':
		if (str_eq(r->name, HOST_LOCAL))
			ui_status(ui, R_WARNING, "local is this machine: it has "
				  "no line in the hosts file to edit.");
		else
			host_form(ui, r);
		return UI_DRAW;
	case 'd': case K_FN(KEY_DC):
		if (str_eq(r->name, HOST_LOCAL))
			ui_status(ui, R_WARNING, "local is this machine: it "
				  "cannot be removed.");
		else
			remove_ask(ui, r);
		return UI_DRAW;
	case 'A':
		if (str_eq(r->name, HOST_LOCAL))
			ui_status(ui, R_WARNING, "local is this machine: it is "
				  "always connected.");
		else
			toggle_auto(ui, hf, r);
		return UI_DRAW;
	case 'c': case 'x':
		connect_key(ui, r, key == 'c');
		return UI_DRAW | UI_REVOLS;
	}
	return scroll_key(&hf->sc, hf->nrows, key, d->h > 5 ?
			  (size_t)d->h - 5 : hf->nrows) >= 0 ? UI_DRAW : UI_NONE;
}

ACT(act_hosts)
{
	struct hostform *hf = xcalloc(1, sizeof(*hf));

	file_reload(ui, hf);
	hf->sc.sel = several(ui) ? ui->cur : 0;
	dialog_push(ui, dialog_new("Hosts", hostform_draw, hostform_key,
				   hostform_free, hf));
	return UI_DRAW;
}
