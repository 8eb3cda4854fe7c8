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
#include "../core/probe.h"
#include "cli.h"
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
	switch (t) {
	case POOL_DIR:
		return "A directory of image files (raw, qcow2, ...) on a "
		       "filesystem that is already there.";
	case POOL_FS:
		return "A block device's filesystem, mounted on the target "
		       "directory; its volumes are image files.";
	case POOL_NETFS:
		return "A share of an NFS or GlusterFS server (or CIFS), "
		       "mounted "
		       "on the target directory; volumes are image files.";
	case POOL_LOGICAL:
		return "An LVM volume group, found or built from devices; its "
		       "volumes are logical volumes.";
	case POOL_DISK:
		return "A whole disk and its partition table (libparted); its "
		       "volumes are partitions.";
	case POOL_ISCSI:
		return "The LUNs of an iSCSI target, through the kernel's "
		       "initiator (iscsiadm); they are made on the server.";
	case POOL_ISCSI_DIRECT:
		return "The LUNs of an iSCSI target, through libiscsi inside "
		       "cistern (no kernel initiator); made on the server.";
	case POOL_RBD:
		return "The RBD images of a Ceph pool, through librbd inside "
		       "cistern; its volumes are images.";
	default:
		return "";
	}
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
	char *base = default_pool_dir(), *slash = strrchr(base, '/'), *t;
	const char *vg;

	switch (pw_type(w)) {
	case POOL_LOGICAL:
		vg = strcmp(wiz_get(w, "vgmode"), "new") == 0 ?
		     wiz_get(w, "vgname") : wiz_get(w, "vg");
		t = xasprintf("/dev/%s", vg);
		break;
	case POOL_DISK:
		t = xstrdup("/dev");
		break;
	case POOL_ISCSI:
		t = xstrdup("/dev/disk/by-path");
		break;
	case POOL_ISCSI_DIRECT:
		t = xstrdup("");
		break;
	default:
		if (slash != NULL)
			*slash = '\0';
		t = xasprintf("%s/%s", base, wiz_get(w, "name"));
		break;
	}
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

	if (pw_type(w) == POOL_LOGICAL || pw_type(w) == POOL_DISK ||
	    pw_type(w) == POOL_ISCSI)
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
	if (pw_type(w) == POOL_DISK || pw_type(w) == POOL_ISCSI)
		return NULL;
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
	enum pool_type t = pw_type(w);
	const char *const *tab = model_pool_formats(t);

	if (t == POOL_FS && d != NULL && !d->blank &&
	    model_format_allowed(tab, d->type))
		return d->type;
	if (t == POOL_DISK && d != NULL && str_eq(d->usage, "partition table"))
		return model_format_allowed(tab, d->type) ? d->type : "dos";
	if (t == POOL_FS)
		return "ext4";
	if (t == POOL_DISK)
		return "gpt";
	if (t == POOL_LOGICAL)
		return "lvm2";
	return "auto";
}

/* Target path, permissions (file pools), format. */
static void
where_build(struct wiz *w)
{
	enum pool_type t = pw_type(w);
	const char *const *tab = model_pool_formats(t);
	const char *ch[24];
	struct wfield *f;
	int n = 0;

	if (t != POOL_ISCSI_DIRECT) {
		if (wiz_get(w, "target")[0] == '\0' ||
		    wiz_on(w, "target_auto")) {
			char *d = default_target(w);
			wiz_set(w, "target", d);
			wiz_set(w, "target_auto", "1");
			free(d);
		}
		f = wiz_text(w, "target", "Target path", check_target_path);
		f->hint = target_state(w);
	}
	if (t == POOL_DIR || t == POOL_FS || t == POOL_NETFS) {
		f = wiz_text(w, "mode", "Mode", check_mode);
		f->width = 6;
		f->hint = xstrdup("octal; empty: 0711 as libvirt");
		f = wiz_text(w, "owner", "Owner", check_owner);
		f->width = 12;
		f->hint = xstrdup("user name or uid; empty: who builds it");
		f = wiz_text(w, "group", "Group", check_group);
		f->width = 12;
		f->hint = xstrdup("group name or gid");
	}
	if (tab == NULL)
		return;
	if (wiz_get(w, "format")[0] == '\0')
		wiz_set(w, "format", default_format(w));
	/* the one that fits first, then the others ('unknown' and lvm2
	 * are no labels to build) */
	ch[n++] = wiz_get(w, "format");
	for (int i = 0; tab[i] != NULL && n < 23; i++)
		if (strcmp(tab[i], ch[0]) != 0 &&
		    strcmp(tab[i], "unknown") != 0 &&
		    !(t == POOL_DISK && strcmp(tab[i], "lvm2") == 0))
			ch[n++] = tab[i];
	char *first = xstrdup(ch[0]);
	ch[0] = first;
	wiz_choice(w, "format", t == POOL_DISK ? "Label" : t == POOL_LOGICAL ?
		   "Format" : "Filesystem", ch, n);
	free(first);
	if (t == POOL_FS)
		wiz_info(w, "fmtinfo", "auto lets mount find the filesystem; "
			 "Build needs a real one (mkfs -t FORMAT).", 2);
}

/* iscsi-direct pools have no target path, permissions or format. */
static bool
where_skip(struct wiz *w)
{
	return pw_type(w) == POOL_ISCSI_DIRECT || pw_type(w) == POOL_RBD;
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
	struct pool_args *a = &out->a;
	const char *src_dev = NULL;

	memset(out, 0, sizeof(*out));
	a->name = wiz_get(w, "name");
	a->type = pool_type_name(t);
	switch (t) {
	case POOL_FS:
	case POOL_DISK:
		src_dev = wiz_get(w, "device");
		break;
	case POOL_NETFS:
		a->source_host = wiz_get(w, "host");
		a->source_path = wiz_get(w, "srcdir");
		break;
	case POOL_LOGICAL:
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
	case POOL_ISCSI:
	case POOL_ISCSI_DIRECT:
		a->source_host = wiz_get(w, "host");
		if (strcmp(wiz_get(w, "port"), "3260") != 0)
			a->source_port = wiz_get(w, "port");
		src_dev = wiz_get(w, "tgt");
		a->source_initiator = wiz_get(w, "initiator");
		if (wiz_get(w, "chapuser")[0] && secret_usage != NULL)
			a->auth_type = "chap";
		break;
	case POOL_RBD:
		a->source_host = wiz_get(w, "host");
		a->source_port = wiz_get(w, "port");
		a->source_name = wiz_get(w, "rbdpool");
		if (wiz_get(w, "chapuser")[0] && secret_usage != NULL)
			a->auth_type = "ceph";
		break;
	default:
		break;
	}
	if (src_dev != NULL && *src_dev != '\0')
		strv_push(&out->devs, &out->ndevs, src_dev);
	a->source_devs = (const char *const *)out->devs;
	a->nsource_devs = out->ndevs;
	if (a->auth_type != NULL) {
		a->auth_username = wiz_get(w, "chapuser");
		a->secret_usage = secret_usage;
	}
	if (model_pool_formats(t) != NULL)
		a->source_format = wiz_get(w, "format");
	if (t != POOL_ISCSI_DIRECT && t != POOL_RBD)
		a->target = wiz_get(w, "target");
	if (t == POOL_DIR || t == POOL_FS || t == POOL_NETFS) {
		out->owner = id_number(wiz_get(w, "owner"), false);
		out->group = id_number(wiz_get(w, "group"), true);
		a->target_mode = wiz_get(w, "mode");
		a->target_owner = out->owner;
		a->target_group = out->group;
	}
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
