/* cistern — the define-pool wizard (F2): name and type, source (see
 * ui_wiz_src.c), target path with permissions and format, and a review
 * that shows the XML, the command line that makes the same pool and
 * exactly what Build and Start will do. Finish defines the pool from
 * pool-define-as's arguments (core/build.h; the command line shown is its
 * scriptable twin) and builds and starts it as a job; if that fails the operator is offered to undefine it, and what
 * the wizard made goes with it (ui_wiz_done.c). */
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/build.h"
#include "../core/pool.h"
#include "../core/probe.h"
#include "../core/util.h"
#include "cli.h"
#include "keys.h"
#include "main.h"
#include "ui.h"
#include "ui_action.h"
#include "ui_wiz_pool.h"

/* ---- shared ---- */

/* The pool type chosen on the first page. */
enum pool_type
pw_type(const struct wiz *w)
{
	int t = pool_type_from_name(wiz_get(w, "type"));

	return t < 0 ? POOL_DIR : (enum pool_type)t;
}

/* One line per type, shown under the type. */
static const char *
type_about(enum pool_type t)
{
	const char *about = pool_type_info(t)->about;

	return about ? about : "";
}

/* ---- page 1: name and type ---- */

/* A new pool's name. */
static char *
check_name(struct wiz *w, const char *v)
{
	struct err e;
	char *why = NULL;

	if (*v == '\0')
		return xstrdup("give the pool a name");
	err_init(&e);
	if (model_check_name("pool", v, &e) < 0)
		why = xstrdup(e.msg);
	else if (cistern_find_pool(w->ui->c, v) != NULL)
		why = xasprintf("a pool named '%s' exists already", v);
	err_clear(&e);
	return why;
}

/* Name, type, and what the type is. */
static void
name_build(struct wiz *w)
{
	const char *types[POOL_TYPE_COUNT];

	for (int i = 0; i < POOL_TYPE_COUNT; i++)
		types[i] = pool_type_name((enum pool_type)i);
	wiz_text(w, "name", "Name", check_name);
	wiz_choice(w, "type", "Type", types, POOL_TYPE_COUNT);
	wiz_info(w, "about", type_about(pw_type(w)), 2);
	wiz_info(w, "keys", "Enter next  Ctrl-P back  Tab field  Left/Right "
		 "choose  Esc cancel", 1);
}

/* Another type: say what it is; what was found no longer applies. */
static void
name_change(struct wiz *w, const char *id)
{
	struct pw *pw = w->ctx;

	if (strcmp(id, "type") != 0)
		return;
	wiz_set_text(w, "about", type_about(pw_type(w)));
	pw_free_found(pw);
	pw->devs_done = false;
	wiz_set(w, "pick", "");
	wiz_set(w, "format", "");
}

/* ---- page 4: target path, permissions, format ---- */

/* virt-manager's defaults: a directory named as the pool for file
 * pools (beside cistern's default pool), /dev/VG, /dev, by-path. */
static char *
default_target(struct wiz *w)
{
	const char *td = pool_type_info(pw_type(w))->target_default;
	char *base, *slash, *t;
	struct pw_args pa;

	if (td != NULL) {
		/* %s: the source's name (a volume group's) */
		const char *at = strstr(td, "%s");
		if (at == NULL)
			return xstrdup(td);
		pw_args(w, NULL, &pa);
		t = xasprintf("%.*s%s%s", (int)(at - td), td,
			      pa.a.source_name ? pa.a.source_name : "", at + 2);
		pw_args_free(&pa);
		return t;
	}
	base = default_pool_dir();
	slash = strrchr(base, '/');
	if (slash != NULL)
		*slash = '\0';
	t = xasprintf("%s/%s", base, wiz_get(w, "name"));
	free(base);
	return t;
}

/* What is at the target path now, for its hint. */
static char *
target_state(struct wiz *w)
{
	const char *t = wiz_get(w, "target");
	bool exists, empty;
	struct stat st;

	/* only a file pool's target is a directory Build makes */
	if (!(pool_type_info(pw_type(w))->kind & POOL_TI_FILES))
		return xstrdup("");
	discover_dir_state(t, &exists, &empty);
	if (!exists) {
		char *blocker, *top = discover_first_missing(t, &blocker);
		char *h = blocker != NULL ?
			  xasprintf("under %s, a file: cannot be made",
				    blocker) :
			  xstrdup("not there yet: Build makes it");
		free(top);
		free(blocker);
		return h;
	}
	if (lstat(t, &st) == 0 && !S_ISDIR(st.st_mode))
		return xstrdup("not a directory");
	return xstrdup(empty ? "an empty directory" : "a directory with files");
}

/* A target path: absolute, and a directory if it is there. */
static char *
check_target_path(struct wiz *w, const char *v)
{
	struct stat st;

	(void)w;
	if (*v == '\0')
		return xstrdup("give the target path");
	if (*v != '/')
		return xasprintf("'%s': the target path starts with /", v);
	if (!(pool_type_info(pw_type(w))->kind & POOL_TI_FILES))
		return NULL;    /* a directory of device nodes */
	if (stat(v, &st) == 0 && !S_ISDIR(st.st_mode))
		return xasprintf("%s is there and is not a directory", v);
	char *blocker, *top = discover_first_missing(v, &blocker), *why = NULL;
	if (blocker != NULL)
		why = xasprintf("%s is not a directory: no directory can be "
				"made under it", blocker);
	free(top);
	free(blocker);
	return why;
}

/* An octal mode, or nothing (the default). */
static char *
check_mode(struct wiz *w, const char *v)
{
	uint64_t m;

	(void)w;
	if (*v == '\0')
		return NULL;
	if (str_to_u64(v, 8, &m) < 0 || m > 0777)
		return xasprintf("'%s' is not an octal mode (0755, 0711, "
				 "...)", v);
	return NULL;
}

/* A user (name or number), or nothing. */
static char *
check_owner(struct wiz *w, const char *v)
{
	uint64_t n;

	(void)w;
	if (*v == '\0' || str_to_u64(v, 10, &n) == 0 || getpwnam(v) != NULL)
		return NULL;
	return xasprintf("there is no user '%s'", v);
}

/* A group (name or number), or nothing. */
static char *
check_group(struct wiz *w, const char *v)
{
	uint64_t n;

	(void)w;
	if (*v == '\0' || str_to_u64(v, 10, &n) == 0 || getgrnam(v) != NULL)
		return NULL;
	return xasprintf("there is no group '%s'", v);
}

/* The format the device suggests (what it holds), else a sane one. */
static const char *
default_format(struct wiz *w)
{
	struct pw *pw = w->ctx;
	const struct pw_dev *d = pw_dev_find(pw, wiz_get(w, "device"));
	const struct pool_type_info *ti = pool_type_info(pw_type(w));

	if (d != NULL && !d->blank && model_format_allowed(ti->formats,
							   d->type))
		return d->type;
	return ti->build_format ? ti->build_format : "auto";
}

/* Target path, permissions (file pools), format. */
static void
where_build(struct wiz *w)
{
	const struct pool_type_info *ti = pool_type_info(pw_type(w));
	const char *const *tab = ti->formats;
	const char *ch[24];
	struct wfield *f;
	int n = 0;

	if (!(ti->source & POOL_SRC_NETWORK)) {
		if (wiz_get(w, "target")[0] == '\0' ||
		    wiz_on(w, "target_auto")) {
			char *d = default_target(w);
			wiz_set(w, "target", d);
			wiz_set(w, "target_auto", "1");
			free(d);
		}
		f = wiz_text(w, "target", "Target path", check_target_path);
		f->base.hint = target_state(w);
	}
	if (ti->kind & POOL_TI_FILES) {
		f = wiz_text(w, "mode", "Mode", check_mode);
		f->width = 6;
		f->base.hint = xstrdup("octal; empty: 0711 as libvirt");
		f = wiz_text(w, "owner", "Owner", check_owner);
		f->width = 12;
		f->base.hint =
			xstrdup("user name or uid; empty: who builds it");
		f = wiz_text(w, "group", "Group", check_group);
		f->width = 12;
		f->base.hint = xstrdup("group name or gid");
	}
	if (tab == NULL)
		return;
	if (wiz_get(w, "format")[0] == '\0')
		wiz_set(w, "format", default_format(w));
	/* the one that fits first, then the others ('unknown', and what
	 * Build cannot make, are nothing to build) */
	ch[n++] = wiz_get(w, "format");
	for (int i = 0; tab[i] != NULL && n < 23; i++)
		if (strcmp(tab[i], ch[0]) != 0 &&
		    strcmp(tab[i], "unknown") != 0 &&
		    !str_eq(tab[i], ti->no_build_format))
			ch[n++] = tab[i];
	char *first = xstrdup(ch[0]);
	ch[0] = first;
	wiz_choice(w, "format", ti->format_label ? ti->format_label :
		   "Format", ch, n);
	free(first);
	if (ti->format_note != NULL)
		wiz_info(w, "fmtinfo", ti->format_note, 2);
}

/* Pools with no local target (iscsi-direct, rbd) have no target path,
 * permissions or format. */
static bool
where_skip(struct wiz *w)
{
	return (pool_type_info(pw_type(w))->source & POOL_SRC_NETWORK) != 0;
}

/* A typed target is the operator's; the hint follows it. */
static void
where_change(struct wiz *w, const char *id)
{
	if (strcmp(id, "target") == 0) {
		char *h;
		wiz_set(w, "target_auto", "0");
		h = target_state(w);
		wiz_hint(w, "target", h);
		free(h);
	}
}

/* ---- the command line ---- */

/* A user or group as a number (names resolved now). */
static char *
id_number(const char *v, bool group)
{
	uint64_t n;

	if (*v == '\0')
		return xstrdup("");
	if (str_to_u64(v, 10, &n) == 0)
		return xstrdup(v);
	if (group) {
		struct group *g = getgrnam(v);
		return g ? xasprintf("%u", (unsigned)g->gr_gid) : xstrdup(v);
	}
	struct passwd *p = getpwnam(v);
	return p ? xasprintf("%u", (unsigned)p->pw_uid) : xstrdup(v);
}

/* The wizard's values as pool-define-as's arguments. */
void
pw_args(struct wiz *w, const char *secret_usage, struct pw_args *out)
{
	enum pool_type t = pw_type(w);
	const struct pool_type_info *ti = pool_type_info(t);
	struct pool_args *a = &out->a;
	const char *src_dev = NULL;
	bool port = false;

	memset(out, 0, sizeof(*out));
	a->name = wiz_get(w, "name");
	a->type = pool_type_name(t);
	/* the source: the fields of its page, as the table says it is
	 * chosen */
	switch (ti->pick) {
	case POOL_PICK_DEVICE:
		src_dev = wiz_get(w, "device");
		break;
	case POOL_PICK_VG:
		if (strcmp(wiz_get(w, "vgmode"), "new") == 0) {
			char *pvs = xstrdup(wiz_get(w, "pvs"));
			a->source_name = wiz_get(w, "vgname");
			for (char *p = strtok(pvs, "\n"); p;
			     p = strtok(NULL, "\n"))
				strv_push(&out->devs, &out->ndevs, p);
			free(pvs);
		} else {
			a->source_name = wiz_get(w, "vg");
		}
		break;
	case POOL_PICK_EXPORT:
		a->source_path = wiz_get(w, "srcdir");
		break;
	case POOL_PICK_TARGET:
		src_dev = wiz_get(w, "tgt");
		port = true;
		break;
	case POOL_PICK_CEPH_POOL:
		a->source_name = wiz_get(w, "rbdpool");
		port = true;
		break;
	case POOL_PICK_NONE:
		break;
	}
	if (ti->source & POOL_SRC_HOST)
		a->source_host = wiz_get(w, "host");
	if (port && (ti->default_port == 0 ||
		     atoi(wiz_get(w, "port")) != ti->default_port))
		a->source_port = wiz_get(w, "port");
	if (ti->source & POOL_SRC_INITIATOR)
		a->source_initiator = wiz_get(w, "initiator");
	if (ti->auth_type != NULL && wiz_get(w, "chapuser")[0] &&
	    secret_usage != NULL)
		a->auth_type = ti->auth_type;
	if (src_dev != NULL && *src_dev != '\0')
		strv_push(&out->devs, &out->ndevs, src_dev);
	a->source_devs = (const char *const *)out->devs;
	a->nsource_devs = out->ndevs;
	if (a->auth_type != NULL) {
		a->auth_username = wiz_get(w, "chapuser");
		a->secret_usage = secret_usage;
	}
	if (ti->formats != NULL)
		a->source_format = wiz_get(w, "format");
	if (!(ti->source & POOL_SRC_NETWORK))
		a->target = wiz_get(w, "target");
	if (ti->kind & POOL_TI_FILES) {
		out->owner = id_number(wiz_get(w, "owner"), false);
		out->group = id_number(wiz_get(w, "group"), true);
		a->target_mode = wiz_get(w, "mode");
		a->target_owner = out->owner;
		a->target_group = out->group;
	}
}

struct pool_def *
pw_def(struct wiz *w, const char *secret_usage)
{
	struct pw_args pa;
	struct pool_def *d;
	struct err e;

	err_init(&e);
	pw_args(w, secret_usage, &pa);
	d = pool_args_def(&pa.a, "pool-define-as", NULL, &e);
	pw_args_free(&pa);
	err_clear(&e);
	return d;
}

/* Free what pw_args made. */
void
pw_args_free(struct pw_args *pa)
{
	strv_free(pa->devs);
	free(pa->owner);
	free(pa->group);
	memset(pa, 0, sizeof(*pa));
}

/* ---- the pages ---- */

/* ui_wiz_review.c */
void pw_review_build(struct wiz *w);
void pw_review_change(struct wiz *w, const char *id);
char *pw_review_leave(struct wiz *w);
int pw_done(struct ui *ui, struct wiz *w);

static const struct wpage pool_pages[] = {
	{ "Name and type", NULL, name_build, name_change, NULL, NULL, NULL },
	{ "Source", pw_src_skip, pw_src_build, pw_src_change, pw_src_enter,
	  pw_src_left, pw_src_leave },
	{ "iSCSI target and LUNs", pw_tgt_skip, pw_tgt_build, pw_tgt_change,
	  pw_tgt_enter, NULL, NULL },
	{ "Target path, permissions and format", where_skip, where_build,
	  where_change, NULL, NULL, NULL },
	{ "Review", NULL, pw_review_build, pw_review_change, NULL, NULL,
	  pw_review_leave },
};

/* Free the wizard's own state. */
static void
pw_free(struct wiz *w)
{
	struct pw *pw = w->ctx;

	pw_free_found(pw);
	free(pw->review_sig);
	free(pw);
}

static const struct wiz_ops pool_wizard = {
	.title = "New pool",
	.pages = pool_pages,
	.npages = (int)ARRAY_SIZE(pool_pages),
	.finish = "Define",
	.done = pw_done,
	.free = pw_free,
};

/* F2: the define-pool wizard. */
ACT(act_pool_new)
{
	wiz_open(ui, &pool_wizard, xcalloc(1, sizeof(struct pw)));
	return UI_DRAW;
}
