/* cistern — what the volumes pane's actions do. Forms check what they can
 * before a job starts; the job (a child process) calls the core. */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/build.h"
#include "../core/pool.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/wipe.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "keys.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_dialog.h"
#include "ui_form.h"
#include "ui_job.h"
#include "ui_model.h"
#include "ui_settings.h"
#include "ui_theme.h"

/* What a volume job needs, copied into the child. */
struct vol_op {
	char *pool, *vol, *file;
	struct vol_def *def;       /* create, clone: the new volume */
	uint64_t size;
	unsigned flags;
	int alg;
};

/* What a form acts on, named when it opened: a reload while the form is
 * open may move the selection, never the form's object. */
struct vol_ref {
	char *pool, *vol;
};

/* The selected pool and volume, by name. */
static struct vol_ref *
vol_ref_new(struct ui *ui)
{
	struct vol_ref *r = xcalloc(1, sizeof(*r));
	const struct vol_def *v = ui_vol(ui);

	r->pool = xstrdup(ui_pool(ui)->def->name);
	r->vol = v != NULL ? xstrdup(v->name) : NULL;
	return r;
}

/* Free a form's reference. */
static void
vol_ref_free(void *p)
{
	struct vol_ref *r = p;

	free(r->pool);
	free(r->vol);
	free(r);
}

/* The form's pool and volume now; -1 (and the form says why) if gone. */
static int
vol_ref_get(struct ui *ui, struct form *f, struct pool **p,
	    const struct vol_def **v)
{
	struct vol_ref *r = f->ctx;

	*p = cistern_find_pool(ui->c, r->pool);
	*v = *p != NULL && r->vol != NULL ? pool_find_vol(*p, r->vol) : NULL;
	if (*p == NULL || (r->vol != NULL && *v == NULL)) {
		form_error(f, "%s %s is gone (another program removed it).",
			   r->vol ? "Volume" : "Pool", r->vol ? r->vol : r->pool);
		return -1;
	}
	return 0;
}

/* Arguments of a volume job for the form's object. */
static struct vol_op *
vol_op_new(const struct form *f)
{
	const struct vol_ref *r = f->ctx;
	struct vol_op *o = xcalloc(1, sizeof(*o));

	o->pool = xstrdup(r->pool);
	o->vol = r->vol ? xstrdup(r->vol) : NULL;
	return o;
}

/* Free a volume job's arguments. */
static void
vol_op_free(void *p)
{
	struct vol_op *o = p;

	if (o == NULL)
		return;
	free(o->pool);
	free(o->vol);
	free(o->file);
	vol_def_free(o->def);
	free(o);
}

/* In the child: find the pool and (if named) the volume. */
static struct pool *
op_find(struct cistern *c, struct vol_op *o, struct vol_def **v,
	struct err *e)
{
	struct pool *p = cistern_get_pool(c, o->pool, e);

	if (p == NULL || pool_ensure_refreshed(c, p, e) < 0)
		return NULL;
	if (o->vol != NULL) {
		*v = pool_find_vol(p, o->vol);
		if (*v == NULL)
			return err_setc(e, ERR_NOT_FOUND, "no volume '%s' in "
					"pool '%s'", o->vol, o->pool), NULL;
	}
	return p;
}

/* A job that writes over a volume in place was stopped: say how far it
 * got and what that leaves (nothing can take the writes back). */
static int
cancelled_partly(const struct job *j, const char *vol, struct err *e)
{
	char done[32];

	if (e->code != ERR_CANCELLED)
		return -1;
	size_pretty(j->done, done, sizeof(done));
	return err_setc(e, ERR_CANCELLED, "stopped after %s written; %s is "
			"partly overwritten", done, vol);
}

/* A job that makes something new was stopped: the core took away what
 * it had half made. */
static int
cancelled_removed(const char *what, struct err *e)
{
	if (e->code != ERR_CANCELLED)
		return -1;
	return err_setc(e, ERR_CANCELLED, "cancelled; the half-made %s was "
			"removed", what);
}

/* In the job's child: create the volume. */
static int
job_vol_create(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	       struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *v = NULL;
	struct pool *p = op_find(c, o, &v, e);

	(void)out;
	if (p == NULL)
		return -1;
	if (vol_create(c, p, o->def, o->flags, j, e) < 0)
		return cancelled_removed("volume", e);
	return 0;
}

/* In the job's child: clone the volume. */
static int
job_vol_clone(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	      struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *src = NULL;
	struct pool *p = op_find(c, o, &src, e);

	(void)out;
	if (p == NULL)
		return -1;
	if (vol_create_from(c, p, o->def, p, src, o->flags, j, e) < 0)
		return cancelled_removed("clone", e);
	return 0;
}

/* In the job's child: wipe the volume. */
static int
job_vol_wipe(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	     struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *v = NULL;
	struct pool *p = op_find(c, o, &v, e);

	(void)out;
	if (p == NULL)
		return -1;
	if (vol_wipe(c, p, v, (enum wipe_alg)o->alg, j, e) < 0)
		return cancelled_partly(j, v->name, e);
	return 0;
}

/* In the job's child: resize the volume. */
static int
job_vol_resize(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	       struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *v = NULL;
	struct pool *p = op_find(c, o, &v, e);

	(void)out;
	return p == NULL ? -1 : vol_resize(c, p, v, o->size, o->flags, j, e);
}

/* In the job's child: delete the volume. */
static int
job_vol_delete(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	       struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *v = NULL;
	struct pool *p = op_find(c, o, &v, e);

	(void)out;
	(void)j;
	return p == NULL ? -1 : vol_delete(c, p, v, o->flags, e);
}

/* In the job's child: copy a file into the volume. */
static int
job_vol_upload(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	       struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *v = NULL;
	struct pool *p = op_find(c, o, &v, e);
	struct stat st;
	int fd, rc;

	(void)out;
	if (p == NULL)
		return -1;
	fd = open(o->file, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", o->file);
	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		job_set_total(j, (uint64_t)st.st_size);
	rc = vol_upload(c, p, v, fd, 0, 0, 0, j, e);
	close(fd);
	return rc < 0 ? cancelled_partly(j, v->name, e) : 0;
}

/* In the job's child: copy the volume into a new file. */
static int
job_vol_download(struct cistern *c, struct job *j, void *arg,
		 struct sbuf *out, struct err *e)
{
	struct vol_op *o = arg;
	struct vol_def *v = NULL;
	struct pool *p = op_find(c, o, &v, e);
	int fd, rc;

	(void)out;
	if (p == NULL)
		return -1;
	fd = open(o->file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return err_errno(e, errno, "cannot create '%s'", o->file);
	rc = vol_download(c, p, v, fd, 0, 0, o->flags, j, e);
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot write '%s'", o->file);
	if (rc < 0) {
		unlink(o->file);   /* no half file stays */
		return cancelled_removed("file", e);
	}
	return rc;
}

/* Start a volume job (takes o) and show its progress; a volume it makes
 * is selected when it is done. */
static int
vol_job(struct ui *ui, const char *title, job_fn fn, struct vol_op *o)
{
	int id = ui_job_start(ui, title, o->pool, fn, o, false);
	struct ui_job *j = id > 0 ? ui_job_by_id(ui, id) : NULL;

	if (j != NULL && o->def != NULL)
		j->select_vol = xstrdup(o->def->name);
	vol_op_free(o);
	if (id > 0)
		dialog_progress(ui, id);
	return UI_DRAW;
}

/* ---- create (the wizard, ui_wiz_vol.c, asks) ---- */

/* Create a volume in a pool as a job (takes v). */
int
ui_vol_create(struct ui *ui, const char *pool, struct vol_def *v,
	      unsigned flags)
{
	struct vol_op *o = xcalloc(1, sizeof(*o));
	char *title = xasprintf("create %s in %s", v->name, pool);

	o->pool = xstrdup(pool);
	o->def = v;
	o->flags = flags;
	vol_job(ui, title, job_vol_create, o);
	free(title);
	return UI_DRAW;
}

/* ---- clone ---- */

/* Check the clone form and start the job. */
static int
clone_done(struct ui *ui, struct form *f, int b)
{
	struct pool *p;
	const struct vol_def *src;
	const char *name = form_text(f, 0);
	struct vol_def *nv;
	struct err e;
	char *title;

	if (b != 0)
		return UI_DRAW;
	if (vol_ref_get(ui, f, &p, &src) < 0)
		return -1;
	err_init(&e);
	if (model_check_name("volume", name, &e) < 0) {
		form_error(f, "%s", e.msg);
		err_clear(&e);
		return -1;
	}
	if (pool_find_vol(p, name) != NULL) {
		form_error(f, "Pool %s already has a volume %s.", p->def->name,
			   name);
		return -1;
	}
	/* as virsh: the source's definition with a new name; a standalone
	 * copy unless keeping the backing file was ticked */
	unsigned flags = src->backing != NULL && form_check(f, 1) ?
			 VOL_CREATE_KEEP_BACKING : 0;
	nv = vol_def_clone(src, name, flags);
	struct vol_op *o = vol_op_new(f);
	o->def = nv;
	o->flags = flags;
	title = xasprintf("clone %s to %s", src->name, name);
	vol_job(ui, title, job_vol_clone, o);
	free(title);
	return UI_DRAW;
}

ACT(act_vol_clone)
{
	const struct vol_def *v = ui_vol(ui);
	const char *dot = strrchr(v->name, '.');
	char *name = dot && dot != v->name ?
		     xasprintf("%.*s-clone%s", (int)(dot - v->name), v->name, dot) :
		     xasprintf("%s-clone", v->name);
	char *t = xasprintf("Clone volume %s of pool %s (%s) into a new "
			    "volume.", v->name, ui_pool(ui)->def->name,
			    size_short(v->capacity, (char[32]){ 0 }, 32));
	struct form *f = form_new(t, clone_done, vol_ref_new(ui), vol_ref_free);

	form_add_text(f, "New name", name, NULL);
	/* as libvirt, an overlay's clone holds the data of its whole chain */
	if (v->backing != NULL)
		form_add_check(f, "Keep the backing file (share it)", false);
	form_add_button(f, "Clone");
	form_add_button(f, "Cancel");
	form_open_action(ui, "Clone volume", f);
	free(name);
	free(t);
	return UI_DRAW;
}

/* ---- wipe ---- */

/* Show how many passes the chosen algorithm makes. */
static void
wipe_change(struct ui *ui, struct form *f, int fi)
{
	char h[64];
	int alg = form_choice(f, 0);

	(void)ui;
	(void)fi;
	free(f->fields[0].hint);
	snprintf(h, sizeof(h), "%d pass%s", wipe_passes((enum wipe_alg)alg),
		 wipe_passes((enum wipe_alg)alg) == 1 ? "" : "es");
	f->fields[0].hint = xstrdup(h);
}

/* Start the wipe (the name was typed back). */
static int
wipe_done(struct ui *ui, struct form *f, int b)
{
	struct vol_op *o;
	struct pool *p;
	const struct vol_def *v;
	char *title;

	if (b != 0)
		return UI_DRAW;
	if (vol_ref_get(ui, f, &p, &v) < 0)
		return -1;
	o = vol_op_new(f);
	o->alg = form_choice(f, 0);
	title = xasprintf("wipe %s (%s)", o->vol,
			  wipe_alg_name((enum wipe_alg)o->alg));
	vol_job(ui, title, job_vol_wipe, o);
	free(title);
	return UI_DRAW;
}

ACT(act_vol_wipe)
{
	const struct vol_def *v = ui_vol(ui);
	const char *algs[WIPE_ALG_COUNT];
	char cap[32];
	char *t = xasprintf("Wipe volume %s of pool %s: all %s of %s are "
			    "overwritten and cannot be recovered. Type the "
			    "volume's name to confirm.", v->name,
			    ui_pool(ui)->def->name,
			    size_short(v->capacity, cap, sizeof(cap)),
			    v->target.path ? v->target.path : v->name);
	struct form *f = form_new(t, wipe_done, vol_ref_new(ui), vol_ref_free);

	for (int i = 0; i < WIPE_ALG_COUNT; i++)
		algs[i] = wipe_alg_name((enum wipe_alg)i);
	form_add_choice(f, "Algorithm", algs, WIPE_ALG_COUNT, WIPE_ZERO);
	int fi = form_add_text(f, "Volume name", "", NULL);
	f->change = wipe_change;
	wipe_change(ui, f, 0);
	f->danger = true;
	form_add_button(f, "Wipe");
	form_add_button(f, "Cancel");
	form_require_name(f, fi, v->name, 0);
	form_open_action(ui, "Wipe volume", f);
	free(t);
	return UI_DRAW;
}

/* ---- resize ---- */

/* Check the resize form and start the job. */
static int
resize_done(struct ui *ui, struct form *f, int b)
{
	const struct vol_def *v;
	struct pool *p;
	uint64_t size;
	struct err e;
	struct vol_op *o;
	char *title;

	if (b != 0)
		return UI_DRAW;
	if (vol_ref_get(ui, f, &p, &v) < 0)
		return -1;
	err_init(&e);
	if (size_parse(form_text(f, 0), &size, &e) < 0) {
		form_error(f, "%s", e.msg);
		err_clear(&e);
		return -1;
	}
	if (size == 0) {
		form_error(f, "The new capacity must be more than 0.");
		return -1;
	}
	if (size < v->capacity && !form_check(f, 2)) {
		char cur[32];
		form_error(f, "%s is smaller than the current %s: data past the "
			   "new end would be lost. Tick 'Allow shrinking' to do "
			   "it.", form_text(f, 0),
			   size_pretty(v->capacity, cur, sizeof(cur)));
		return -1;
	}
	o = vol_op_new(f);
	o->size = size;
	o->flags = (form_check(f, 1) ? VOL_RESIZE_ALLOCATE : 0) |
		   (size < v->capacity ? VOL_RESIZE_SHRINK |
		    VOL_RESIZE_CONFIRMED : 0);
	title = xasprintf("resize %s to %s", v->name, form_text(f, 0));
	vol_job(ui, title, job_vol_resize, o);
	free(title);
	return UI_DRAW;
}

ACT(act_vol_resize)
{
	const struct vol_def *v = ui_vol(ui);
	char cur[32], *t;
	struct form *f;

	size_short(v->capacity, cur, sizeof(cur));
	t = xasprintf("Resize volume %s of pool %s (now %s).", v->name,
		      ui_pool(ui)->def->name, cur);
	f = form_new(t, resize_done, vol_ref_new(ui), vol_ref_free);
	form_add_text(f, "New capacity", cur, "e.g. 20G");
	form_add_check(f, "Allocate the new space now", false);
	form_add_check(f, "Allow shrinking (data past the new end is lost)",
		       false);
	form_add_button(f, "Resize");
	form_add_button(f, "Cancel");
	form_open_action(ui, "Resize volume", f);
	free(t);
	return UI_DRAW;
}

/* ---- delete ---- */

/* The delete form was answered. */
static int
delete_done(struct ui *ui, struct form *f, int b)
{
	struct vol_op *o;
	char *title;

	(void)f;
	struct pool *p;
	const struct vol_def *v;

	if (b != 0)
		return UI_DRAW;
	if (vol_ref_get(ui, f, &p, &v) < 0)
		return -1;
	o = vol_op_new(f);
	/* rbd: the image's snapshots go with it only when ticked */
	if (type_has(p->def->type, BACKEND_VOL_SNAPSHOTS) && form_check(f, 0))
		o->flags = VOL_DELETE_SNAPSHOTS;
	title = xasprintf("delete %s from %s", o->vol, o->pool);
	vol_job(ui, title, job_vol_delete, o);
	free(title);
	return UI_DRAW;
}

/* Why deleting `v` would be refused, known before asking (malloc'd), or
 * NULL: an extended partition that still holds logical ones. */
static char *
delete_refusal(const struct pool *p, const struct vol_def *v)
{
	for (size_t d = 0; d < p->nmaps; d++) {
		const struct dev_map *m = &p->maps[d];
		for (size_t i = 0; i < m->nsegs; i++) {
			const struct map_seg *x = &m->segs[i];
			struct sbuf b;
			char *why = NULL;
			if (x->kind != SEG_EXTENDED || !str_eq(x->vol, v->name))
				continue;
			sbuf_init(&b);
			for (size_t k = 0; k < m->nsegs; k++)
				if (m->segs[k].kind == SEG_LOGICAL &&
				    m->segs[k].start >= x->start &&
				    m->segs[k].end <= x->end)
					sbuf_printf(&b, "%s%s", b.len ? ", " :
						    "", m->segs[k].vol);
			if (b.len > 0)
				why = xasprintf("%s is the extended partition "
						"of %s and still holds the "
						"logical partitions %s: delete "
						"them first.", v->name,
						m->device, b.s);
			sbuf_free(&b);
			return why;
		}
	}
	return NULL;
}

/* The volumes of every pool whose backing file is `v` ("pool/vol, ..."),
 * malloc'd, or NULL. */
static char *
overlays_of(struct ui *ui, const struct vol_def *v)
{
	struct sbuf b;

	if (v->target.path == NULL)
		return NULL;
	sbuf_init(&b);
	for (size_t k = 0; k < ui->c->npools; k++) {
		const struct pool *p = ui->c->pools[k];
		for (size_t i = 0; i < p->nvols; i++) {
			const struct vol_def *w = p->vols[i];
			if (w->backing != NULL &&
			    str_eq(w->backing->path, v->target.path))
				sbuf_printf(&b, "%s%s/%s", b.len ? ", " : "",
					    p->def->name, w->name);
		}
	}
	return sbuf_take(&b);
}

ACT(act_vol_delete)
{
	const struct vol_def *v = ui_vol(ui);
	char cap[32];
	char *why = delete_refusal(ui_pool(ui), v);

	if (why != NULL) {
		/* refused before anything is asked, the reason whole */
		dialog_message(ui, "Cannot delete", why, true);
		free(why);
		return UI_DRAW;
	}
	char *over = overlays_of(ui, v);
	char *warn = over && *over ? xasprintf(" It is the backing file of "
		"%s: they become unreadable.", over) : xstrdup("");
	char *t = xasprintf("Delete volume %s of pool %s (%s, %s)? Its data is "
			    "lost.%s", v->name, ui_pool(ui)->def->name,
			    v->target.path ? v->target.path : "-",
			    size_short(v->capacity, cap, sizeof(cap)), warn);
	free(over);
	free(warn);
	struct form *f = form_new(t, delete_done, vol_ref_new(ui), vol_ref_free);

	f->danger = true;
	if (type_has(ui_pool(ui)->def->type, BACKEND_VOL_SNAPSHOTS))
		form_add_check(f, "Also delete its snapshots", false);
	form_add_button(f, "Delete");
	form_add_button(f, "Cancel");
	form_open_action(ui, "Delete volume", f);
	free(t);
	return UI_DRAW;
}

/* ---- upload and download ---- */

/* Check the file named in the form and start the upload or download. */
static int
file_done(struct ui *ui, struct form *f, int b, bool upload)
{
	const char *file = form_text(f, 0);
	struct pool *p;
	const struct vol_def *v;
	struct vol_op *o;
	char *title;

	if (b != 0)
		return UI_DRAW;
	if (vol_ref_get(ui, f, &p, &v) < 0)
		return -1;
	if (upload && access(file, R_OK) < 0) {
		form_error(f, "Cannot read '%s': %s", file, strerror(errno));
		return -1;
	}
	if (!upload && access(file, F_OK) == 0) {
		form_error(f, "'%s' exists; cistern does not overwrite files. "
			   "Choose another name.", file);
		return -1;
	}
	o = vol_op_new(f);
	o->file = xstrdup(file);
	if (!upload && form_check(f, 1))
		o->flags = VOL_DOWNLOAD_SPARSE;
	if (!upload) {
		/* the next download starts where this one went */
		char *dir = xstrdup(file), *slash = strrchr(dir, '/');
		if (slash != NULL && dir[0] == '/') {
			slash[slash == dir] = '\0';
			if (!str_eq(dir, ui->set.dl_dir)) {
				free(ui->set.dl_dir);
				ui->set.dl_dir = xstrdup(dir);
				settings_save(ui);
			}
		}
		free(dir);
	}
	title = upload ? xasprintf("upload %s into %s", file, o->vol) :
			 xasprintf("download %s to %s", o->vol, file);
	vol_job(ui, title, upload ? job_vol_upload : job_vol_download, o);
	free(title);
	return UI_DRAW;
}

/* The upload form's buttons. */
static int
upload_done(struct ui *ui, struct form *f, int b)
{
	return file_done(ui, f, b, true);
}

ACT(act_vol_upload)
{
	const struct vol_def *v = ui_vol(ui);
	char *t = xasprintf("Upload a file into volume %s of pool %s: its "
			    "content is overwritten from the start.", v->name,
			    ui_pool(ui)->def->name);
	struct form *f = form_new(t, upload_done, vol_ref_new(ui), vol_ref_free);

	f->danger = true;
	form_add_text(f, "File", "", NULL);
	form_add_button(f, "Upload");
	form_add_button(f, "Cancel");
	form_open_action(ui, "Upload into volume", f);
	f->focus = 0;
	free(t);
	return UI_DRAW;
}

/* The download form's buttons. */
static int
download_done(struct ui *ui, struct form *f, int b)
{
	return file_done(ui, f, b, false);
}

ACT(act_vol_download)
{
	const struct vol_def *v = ui_vol(ui);
	const char *dir = ui->set.dl_dir;
	struct stat st;
	char *path, *t;
	struct form *f;

	/* the last download's directory, else the home directory (the
	 * current one is wherever cistern happened to start) */
	if (dir == NULL || stat(dir, &st) < 0 || !S_ISDIR(st.st_mode)) {
		struct passwd *pw = getpwuid(geteuid());
		dir = getenv("HOME");
		if (dir == NULL || dir[0] != '/')
			dir = pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : "/";
	}
	path = xasprintf("%s%s%s", dir, str_endswith(dir, "/") ? "" : "/",
			 v->name);
	t = xasprintf("Download volume %s of pool %s into a new file.", v->name,
		      ui_pool(ui)->def->name);
	f = form_new(t, download_done, vol_ref_new(ui), vol_ref_free);
	form_add_text(f, "File", path, NULL);
	form_add_check(f, "Keep holes (sparse file)", true);
	form_add_button(f, "Download");
	form_add_button(f, "Cancel");
	form_open_action(ui, "Download volume", f);
	free(path);
	free(t);
	return UI_DRAW;
}

ACT(act_vol_xml)
{
	struct pool *p = ui_pool(ui);
	const struct vol_def *v = ui_vol(ui);
	char *xml = vol_def_format(v, p->def->type);
	char *t = xasprintf("XML of volume %s", v->name);

	dialog_text(ui, t, xml);
	free(t);
	free(xml);
	return UI_DRAW;
}
