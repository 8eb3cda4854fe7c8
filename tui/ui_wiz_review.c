/* cistern — the define-pool wizard's review and what Finish does: the
 * XML and the command line, exactly what Build and Start will do (and
 * what Build would destroy: its name typed back), then define, build and
 * start as a job. A failure offers to undefine the pool and take away
 * what the wizard made (the directory, the label, the volume group, the
 * filesystem it put on a blank device, the CHAP secret). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/pool.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/secret.h"
#include "../core/util.h"
#include "cli.h"
#include "keys.h"
#include "ui.h"
#include "ui_dialog.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_model.h"
#include "ui_theme.h"
#include "ui_wiz_pool.h"

/* What the devices Build would write to hold now. */
struct holds {
	char *devs;            /* "/dev/loop3" or "/dev/loop3 /dev/loop4" */
	char *what;            /* what one of them holds, or NULL: blank */
	char *held;            /* only the what of that ("an xfs ...") */
	char *type;            /* blkid's TYPE / PTTYPE of the first */
	char *confirm;         /* what to type back */
	char *busy;            /* why one of them is in use, or NULL */
	size_t ndevs;
};

/* Probe what Build would write to (now: a typed path too). */
static void
holds_probe(struct wiz *w, struct holds *h)
{
	const struct pool_type_info *ti = pool_type_info(pw_type(w));
	struct pw_args pa;
	char *slash;
	struct sbuf b;

	memset(h, 0, sizeof(*h));
	pw_args(w, NULL, &pa);
	sbuf_init(&b);
	/* only this host's devices (not an iSCSI target's name) */
	for (size_t i = 0; i < pa.ndevs &&
	     (ti->kind & POOL_TI_LOCAL_DEVICES); i++) {
		const char *p = pa.devs[i];
		struct probe_info pi;
		sbuf_printf(&b, "%s%s", b.len ? " " : "", p);
		if (h->busy == NULL) {
			char why[512];
			if (probe_in_use(p, why, sizeof(why), NULL) == 1)
				h->busy = xstrdup(why);
		}
		if (h->what == NULL && probe_signatures(p, &pi, NULL) == 0 &&
		    pi.found) {
			h->what = xasprintf("%s holds %s", p, pi.what);
			h->held = xstrdup(pi.what);
			h->type = xstrdup(pi.type);
		}
	}
	h->ndevs = (ti->kind & POOL_TI_LOCAL_DEVICES) ? pa.ndevs : 0;
	h->devs = sbuf_take(&b);
	if (h->devs == NULL)
		h->devs = xstrdup("");
	/* what Build makes is named (a volume group): that name, else the
	 * device's */
	if ((ti->source & POOL_SRC_NAME) && pa.a.source_name != NULL) {
		h->confirm = xstrdup(pa.a.source_name);
	} else {
		slash = strrchr(h->devs, '/');
		h->confirm = xstrdup(slash ? slash + 1 : h->devs);
	}
	pw_args_free(&pa);
}

/* Free what holds_probe found. */
static void
holds_free(struct holds *h)
{
	free(h->devs);
	free(h->what);
	free(h->held);
	free(h->type);
	free(h->confirm);
	free(h->busy);
}

/* What the backend says a step does to the pool the wizard defines
 * (NULL: no such step). */
static char *
says(struct wiz *w, enum pool_say what)
{
	struct pool_def *d = pw_def(w, NULL);
	char *s = d != NULL ? pool_says(d, what) : NULL;

	pool_def_free(d);
	return s;
}

/* Can this pool be built, and what does Build say it does? */
static char *
build_label(struct wiz *w, const struct holds *h)
{
	char *s = says(w, POOL_SAY_BUILD), *l;

	(void)h;
	if (s == NULL)
		return NULL;
	l = xasprintf("Build: %s", s);
	free(s);
	return l;
}

/* Does Build destroy data (what the device holds)? */
static bool
build_destroys(struct wiz *w, const struct holds *h)
{
	return h->what != NULL &&
	       type_has(pw_type(w), BACKEND_BUILD_DESTRUCTIVE);
}

/* Is the device already what the pool needs (Build not needed)? */
static bool
already_made(struct wiz *w, const struct holds *h)
{
	const char *fmt = wiz_get(w, "format");
	bool exists, empty;

	if (!type_has(pw_type(w), BACKEND_BUILD_DESTRUCTIVE)) {
		/* Build makes the directory */
		discover_dir_state(wiz_get(w, "target"), &exists, &empty);
		return exists;
	}
	return h->type != NULL && (str_eq(h->type, fmt) ||
				   str_eq(fmt, "auto"));
}

/* What Start does, in words. */
static char *
start_words(struct wiz *w)
{
	char *s = says(w, POOL_SAY_START), *l;

	l = xasprintf("Start: %s", s ? s : "start the pool");
	free(s);
	return l;
}

/* The sentence the issue asks for, whole: "Will run mkfs.ext4 on
 * /dev/sdb — it holds an xfs filesystem labelled 'data': type sdb to
 * confirm". */
static char *
destroy_text(struct wiz *w, const struct holds *h)
{
	char *s = says(w, POOL_SAY_DESTROY), *t;

	if (h->ndevs > 1)
		t = xasprintf("Will %s — %s: type %s to confirm.",
			      s ? s : "build", h->what ? h->what : "data",
			      h->confirm);
	else
		t = xasprintf("Will %s — it holds %s: type %s to confirm.",
			      s ? s : "build", h->held ? h->held : "data",
			      h->confirm);
	free(s);
	return t;
}

/* The review's lines: what will happen, step by step. */
static char *
plan_text(struct wiz *w, const struct holds *h)
{
	enum pool_type t = pw_type(w);
	struct sbuf b;
	char *bl = build_label(w, h);

	sbuf_init(&b);
	sbuf_printf(&b, "Define pool %s (%s) in %s.\n", wiz_get(w, "name"),
		    pool_type_name(t), w->ui->c->store.config_dir);
	if (bl != NULL && wiz_on(w, "build") && build_destroys(w, h)) {
		char *d = destroy_text(w, h);
		sbuf_printf(&b, "%s\n", d);
		free(d);
	} else if (bl != NULL && wiz_on(w, "build"))
		sbuf_printf(&b, "%s.\n", bl);
	else if (bl != NULL && h->busy != NULL &&
		 type_has(t, BACKEND_BUILD_DESTRUCTIVE))
		sbuf_printf(&b, "Not built: %s.\n", h->busy);
	else if (bl != NULL && h->what != NULL && !already_made(w, h))
		sbuf_printf(&b, "Not built: %s, which Build would destroy "
				"(tick it to build anyway).\n", h->what);
	else if (bl != NULL && h->what != NULL)
		sbuf_printf(&b, "Not built: %s; it is used as it "
				"is.\n", h->what);
	if (wiz_on(w, "start")) {
		char *sw = start_words(w);
		sbuf_printf(&b, "%s.\n", sw);
		free(sw);
	}
	if (wiz_on(w, "autostart"))
		sbuf_add(&b, "Autostart: start it at every boot.\n");
	if (wiz_get(w, "chapuser")[0])
		sbuf_printf(&b, "The %s goes into the secrets store "
			    "(%s/secrets).\n", pool_type_info(t)->secret_words,
			    w->ui->c->store.config_dir);
	free(bl);
	return sbuf_take(&b);
}

/* The XML view: the command line first, then the XML it makes. */
static char *
xml_text(struct wiz *w, bool *ok)
{
	bool chap = wiz_get(w, "chapuser")[0] != '\0';
	struct pw_args pa, ps;
	struct pool_def *d;
	struct err e;
	struct sbuf b;
	char *xml = NULL, *line, **shown;

	pw_args(w, chap ? "(chosen at Define)" : NULL, &pa);
	char *usage = xasprintf("%s-NAME", pool_type_info(pw_type(w))->auth_type);
	pw_args(w, chap ? usage : NULL, &ps);
	err_init(&e);
	d = pool_args_def(&pa.a, "pool-define-as", &xml, &e);
	sbuf_init(&b);
	shown = cli_pool_args_argv(&ps.a, false);
	line = run_argv_line((const char *const *)shown);
	sbuf_printf(&b, "# the same from a script:\n# cistern %s\n", line);
	free(line);
	strv_free(shown);
	*ok = d != NULL;
	if (d != NULL)
		sbuf_add(&b, xml);
	else
		sbuf_printf(&b, "%s\n", e.msg);
	pool_def_free(d);
	free(xml);
	err_clear(&e);
	pw_args_free(&pa);
	pw_args_free(&ps);
	free(usage);
	return sbuf_take(&b);
}

/* The name typed back before Build destroys data. */
static char *
check_confirm(struct wiz *w, const char *v)
{
	struct holds h;
	char *why = NULL;

	holds_probe(w, &h);
	if (strcmp(v, h.confirm) != 0)
		why = xasprintf("type %s to confirm, or untick "
				"Build", h.confirm);
	holds_free(&h);
	return why;
}

/* The review: what will happen, Build / Start / Autostart, the XML. */
void
pw_review_build(struct wiz *w)
{
	struct pw *pw = w->ctx;
	enum pool_type t = pw_type(w);
	struct holds h;
	char *bl, *sig, *text;
	bool ok;
	struct wfield *f;

	holds_probe(w, &h);
	bl = build_label(w, &h);
	/* safe defaults, set again when the setup changed: never build over
	 * data; start; autostart */
	sig = xasprintf("%d|%s|%s|%s|%s|%s", t, h.devs, wiz_get(w, "format"),
			wiz_get(w, "target"), wiz_get(w, "vgmode"), h.what ?
			h.what : "");
	if (!str_eq(sig, pw->review_sig)) {
		wiz_set(w, "build", bl != NULL && !already_made(w, &h) &&
			!build_destroys(w, &h) && h.busy == NULL ? "1" : "0");
		wiz_set(w, "start", "1");
		wiz_set(w, "autostart", "1");
		wiz_set(w, "confirm", "");
		free(pw->review_sig);
		pw->review_sig = sig;
	} else {
		free(sig);
	}
	text = plan_text(w, &h);
	wiz_info(w, "plan", text, 6);
	free(text);
	if (bl != NULL)
		wiz_check(w, "build", bl);
	char *sw = start_words(w);
	wiz_check(w, "start", sw);
	free(sw);
	wiz_check(w, "autostart", "Autostart: start it at every boot");
	if (bl != NULL && wiz_on(w, "build") && build_destroys(w, &h)) {
		f = wiz_text(w, "confirm", "Confirm", check_confirm);
		f->width = 20;
		f->base.hint = xasprintf("type %s", h.confirm);
	}
	text = xml_text(w, &ok);
	wiz_view(w, "xml", "XML (Up/Down scroll)", text, 12);
	free(text);
	wiz_set(w, "xml_ok", ok ? "1" : "0");
	free(bl);
	holds_free(&h);
}

/* Ticking Build may ask for the name; the plan follows the boxes. */
void
pw_review_change(struct wiz *w, const char *id)
{
	if (strcmp(id, "build") == 0 || strcmp(id, "start") == 0 ||
	    strcmp(id, "autostart") == 0)
		wiz_relayout(w);
}

/* The XML must be valid; Build never goes to a device in use. */
char *
pw_review_leave(struct wiz *w)
{
	struct holds h;
	char *why = NULL, *bl;

	if (!wiz_on(w, "xml_ok"))
		return xstrdup("the pool cannot be defined: see the XML view");
	holds_probe(w, &h);
	bl = build_label(w, &h);
	if (bl != NULL && wiz_on(w, "build") && h.busy != NULL)
		why = xasprintf("%s: Build writes to no device in use (untick "
				"it)", h.busy);
	free(bl);
	holds_free(&h);
	return why;
}

/* ---- Finish ---- */

/* What Finish did, for an undo. */
struct made {
	char *pool;
	char *secret;          /* usage name stored, or NULL */
	char *target;          /* a directory that was not there, or NULL */
	char *target_top;      /* the first of its parents that was not */
	char *blank_dev;       /* a device that held nothing (fs), or NULL */
	bool build, start, destroys;
	unsigned build_flags, start_flags;
	int type;
};

/* Free an undo record. */
static void
made_free(struct made *m)
{
	if (m == NULL)
		return;
	free(m->pool);
	free(m->secret);
	free(m->target);
	free(m->target_top);
	free(m->blank_dev);
	free(m);
}

/* In the child: build and start the new pool. */
static int
job_setup(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	  struct err *e)
{
	struct made *m = arg;
	struct pool *p = cistern_get_pool(c, m->pool, e);

	(void)out;
	if (p == NULL)
		return -1;
	if (m->build) {
		if (pool_build(c, p, m->build_flags, j, e) < 0)
			return -1;
	}
	if (m->start && pool_start(c, p, m->start_flags, j, e) < 0)
		return -1;
	return 0;
}

/* Does the device that was blank hold a filesystem now? */
static bool
fs_made(const struct made *m)
{
	struct probe_info pi;
	struct err e;
	bool found;

	err_init(&e);
	found = probe_signatures(m->blank_dev, &pi, &e) == 0 && pi.found;
	err_clear(&e);
	return found;
}

/* Is the directory the wizard would make there now? */
static bool
dir_made(const struct made *m)
{
	struct stat st;

	return m->target != NULL && stat(m->target, &st) == 0 &&
	       S_ISDIR(st.st_mode);
}

/* Remove the target directory and the parents made with it (each only
 * when empty); say what went. */
static void
remove_made_dirs(const struct made *m, struct sbuf *out)
{
	char *d = xstrdup(m->target);
	size_t top = strlen(m->target_top ? m->target_top : m->target);

	while (strlen(d) >= top && rmdir(d) == 0) {
		sbuf_printf(out, "removed %s\n", d);
		char *slash = strrchr(d, '/');
		if (slash == NULL || slash == d)
			break;
		*slash = '\0';
	}
	free(d);
}

/* In the child: take away what the wizard made, then the pool. */
static int
job_undo(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	 struct err *e)
{
	struct made *m = arg;
	struct pool *p = cistern_get_pool(c, m->pool, e);
	struct err se;
	enum pool_type t = (enum pool_type)m->type;

	if (p == NULL)
		return -1;
	err_init(&se);
	if (pool_is_active(p) && pool_stop(c, p, 0, e) < 0)
		return -1;
	if (m->build && type_has(t, BACKEND_DELETE_UNDOES_BUILD)) {
		if (pool_delete(c, p, POOL_DELETE_CONFIRMED, j, e) < 0)
			return -1;
		sbuf_printf(out, "removed what Build made on the devices\n");
	}
	/* the device held nothing before: whatever it holds now, a build
	 * that stopped half-way included, the wizard made */
	if (m->blank_dev != NULL && fs_made(m)) {
		if (probe_wipe_signatures(m->blank_dev, e) < 0)
			return -1;
		sbuf_printf(out, "%s is blank again\n", m->blank_dev);
	}
	if (m->target != NULL)
		remove_made_dirs(m, out);
	if (pool_undefine(c, p, e) < 0)
		return -1;
	if (m->secret != NULL &&
	    secret_remove(&c->store, NULL, m->secret, &se) == 0)
		sbuf_printf(out, "removed the secret %s\n", m->secret);
	err_clear(&se);
	return 0;
}

/* The undo ended. */
static int
undo_ended(struct ui *ui, struct ui_job *j, void *arg)
{
	struct made *m = arg;

	if (j->code == 0) {
		/* say what went, from the job's own account */
		struct sbuf b;
		sbuf_init(&b);
		for (const char *s = j->output ? j->output : ""; *s; ) {
			size_t n = strcspn(s, "\n");
			sbuf_printf(&b, "; %.*s", (int)n, s);
			s += n + (s[n] == '\n');
		}
		ui_status(ui, R_GOOD, "Pool %s undefined%s.", m->pool,
			  b.s ? b.s : "; the wizard had made nothing else");
		sbuf_free(&b);
	} else
		dialog_message(ui, "Undo failed", j->msg, true);
	made_free(m);
	return UI_RELOAD;
}

/* The failure dialog was answered. */
static int
failed_done(struct ui *ui, struct form *f, int b)
{
	struct made *m = f->ctx;
	int id;

	if (b != 0) {
		ui_status(ui, R_WARNING, "Pool %s kept as it is (u "
			  "undefines it).", m->pool);
		return UI_RELOAD;
	}
	f->ctx = NULL;
	id = ui_job_start_cb(ui, "undo the new pool", m->pool, job_undo, m,
			     undo_ended, m);
	if (id < 0)
		made_free(m);
	return UI_DRAW;
}

/* Build or start failed: say why, offer to undefine. */
static void
offer_undo(struct ui *ui, struct made *m, const struct ui_job *j)
{
	bool built = (j->mirror.did & JOB_DID_BUILD) != 0;
	bool fs = m->blank_dev != NULL && fs_made(m);
	struct sbuf b;
	struct form *f;

	sbuf_init(&b);
	sbuf_printf(&b, "Pool %s could not be %s: %s\n\nUndefine it and take "
		    "away what this wizard made", m->pool,
		    m->build && !built ? "built" : "started",
		    j->code == ERR_CANCELLED ? "cancelled" : j->msg);
	if (m->build && built &&
	    type_has((enum pool_type)m->type, BACKEND_DELETE_UNDOES_BUILD))
		sbuf_add(&b, " (what Build wrote on the devices)");
	if (fs)
		sbuf_printf(&b, " (the filesystem on %s)", m->blank_dev);
	if (dir_made(m))
		sbuf_printf(&b, " (the directory %s)", m->target);
	if (m->secret)
		sbuf_printf(&b, " (the secret %s)", m->secret);
	sbuf_add(&b, "?");
	m->build = m->build && built;
	f = form_new(b.s, failed_done, m, (void (*)(void *))made_free);
	f->danger = true;
	form_add_button(f, "Undefine");
	form_add_button(f, "Keep it");
	f->width = 72;
	form_open(ui, "The new pool failed", f);
	f->focus = f->nfields;   /* Undefine: nothing half-made stays */
	sbuf_free(&b);
}

/* The setup job ended. */
static int
setup_ended(struct ui *ui, struct ui_job *j, void *arg)
{
	struct made *m = arg;

	if (j->code == 0) {
		ui_status(ui, R_GOOD, "Pool %s is ready%s%s.", m->pool,
			  m->build ? ": built" : "", m->start ? (m->build ?
			  " and started" : ": started") : "");
		ui_select_pool(ui, m->pool);
		made_free(m);
		return UI_RELOAD | UI_REVOLS;
	}
	offer_undo(ui, m, j);
	return UI_RELOAD;
}

/* A usage name for the pool's secret (CHAP password, cephx key) no
 * other secret has. */
static char *
secret_name(struct ui *ui, const char *kind, const char *pool)
{
	char **names = NULL;
	size_t n = 0;
	struct err e;
	char *u = NULL;

	err_init(&e);
	secret_list(&ui->c->store, &names, &n, &e);
	err_clear(&e);
	for (int k = 1; u == NULL; k++) {
		char *cand = k == 1 ? xasprintf("%s-%s", kind, pool) :
			     xasprintf("%s-%s-%d", kind, pool, k);
		char *shown = xasprintf("usage %s", cand);
		bool taken = false;
		for (size_t i = 0; i < n; i++)
			taken |= strcmp(names[i], shown) == 0;
		free(shown);
		if (!taken)
			u = cand;
		else
			free(cand);
	}
	strv_free(names);
	return u;
}

/* Finish: store the secret, define, then build and start as a job. */
int
pw_done(struct ui *ui, struct wiz *w)
{
	struct made *m = xcalloc(1, sizeof(*m));
	enum pool_type t = pw_type(w);
	struct holds h;
	struct pw_args pa;
	struct pool_def *d;
	struct err e;
	bool exists, empty;

	m->pool = xstrdup(wiz_get(w, "name"));
	m->type = t;
	m->start = wiz_on(w, "start");
	holds_probe(w, &h);
	char *bl = build_label(w, &h);
	m->build = wiz_on(w, "build") && bl != NULL;
	free(bl);
	m->destroys = m->build && build_destroys(w, &h);
	if (type_has(t, BACKEND_BUILD_DESTRUCTIVE))
		m->build_flags = m->destroys ? POOL_BUILD_OVERWRITE :
				 POOL_BUILD_NO_OVERWRITE;
	/* a build on a blank device its delete does not undo (mkfs): the
	 * undo wipes what it wrote */
	if (type_has(t, BACKEND_BUILD_DESTRUCTIVE) &&
	    !type_has(t, BACKEND_DELETE_UNDOES_BUILD) && h.what == NULL &&
	    m->build)
		m->blank_dev = xstrdup(h.devs);
	discover_dir_state(wiz_get(w, "target"), &exists, &empty);
	if (!exists && (pool_type_info(t)->kind & POOL_TI_FILES)) {
		char *blocker;
		m->target = xstrdup(wiz_get(w, "target"));
		m->target_top = discover_first_missing(m->target, &blocker);
		free(blocker);
		/* the mount point (the directory) is made by a plain build */
		if (!m->build)
			m->start_flags = POOL_START_BUILD;
	}
	holds_free(&h);
	err_init(&e);
	if (wiz_get(w, "chapuser")[0]) {
		const char *pw = wiz_get(w, "chappass");
		m->secret = secret_name(ui, pool_type_info(t)->auth_type,
					m->pool);
		if (secret_set(&ui->c->store, NULL, m->secret, pw, strlen(pw),
			       &e) < 0) {
			wiz_error(w, "Cannot store the %s: %s",
				  pool_type_info(t)->secret_words, e.msg);
			free(m->secret);
			m->secret = NULL;
			goto fail;
		}
	}
	pw_args(w, m->secret, &pa);
	d = pool_args_def(&pa.a, "pool-define-as", NULL, &e);
	pw_args_free(&pa);
	ui_detach(ui);
	if (d != NULL && pool_define(ui->c, d, NULL, &e) < 0)
		d = NULL;   /* pool_define took it */
	ui_reload(ui);
	if (d == NULL) {
		struct err se;
		wiz_error(w, "%s", e.msg);
		err_init(&se);
		if (m->secret != NULL)
			secret_remove(&ui->c->store, NULL, m->secret, &se);
		err_clear(&se);
		goto fail;
	}
	if (run_dry_run()) {
		/* nothing was defined: there is nothing to build or start */
		ui_status(ui, R_STATUS, "Dry run: pool %s was not defined; "
			  "its XML is on the review page.", m->pool);
		if (m->secret != NULL)
			secret_remove(&ui->c->store, NULL, m->secret, &e);
		err_clear(&e);
		made_free(m);
		return UI_RELOAD;
	}
	if (wiz_on(w, "autostart")) {
		struct pool *p = cistern_find_pool(ui->c, m->pool);
		ui_detach(ui);   /* a remote engine reads the pool back */
		if (p != NULL && pool_set_autostart(ui->c, p, true, &e) < 0)
			ui_status(ui, R_WARNING, "%s", e.msg);
	}
	err_clear(&e);
	ui_select_pool(ui, m->pool);
	if (!m->build && !m->start) {
		ui_status(ui, R_GOOD, "Pool %s defined.", m->pool);
		made_free(m);
		return UI_RELOAD | UI_REVOLS;
	}
	char *title = xasprintf("set up pool %s", m->pool);
	int id = ui_job_start_cb(ui, title, m->pool, job_setup, m, setup_ended,
				 m);
	free(title);
	if (id > 0)
		dialog_progress(ui, id);
	else
		made_free(m);
	return UI_RELOAD | UI_REVOLS;
fail:
	err_clear(&e);
	made_free(m);
	return -1;
}
