/* cistern — the define-pool wizard's source pages: per type, what the
 * pool is made of, with discovery run as a job (block devices with
 * libblkid, a server's exports, volume groups, a portal's targets and a
 * target's LUNs). The page stays live while it runs; Esc cancels it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "../core/pool.h"
#include "../core/secret.h"
#include "../core/util.h"
#include "keys.h"
#include "ui_job.h"
#include "ui_wiz_pool.h"

/* ---- checks ---- */

/* A device path: it must be there, a block device or an image file. */
static char *
check_device(struct wiz *w, const char *v)
{
	struct stat st;

	(void)w;
	if (*v == '\0')
		return xstrdup("pick a device in the list, or type its path");
	if (*v != '/')
		return xasprintf("'%s': give the device's full path "
				 "(/dev/...)", v);
	if (stat(v, &st) < 0)
		return xasprintf("%s: %s", v, strerror(errno));
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return xasprintf("%s is neither a block device nor an image "
				 "file",
				 v);
	return NULL;
}

/* A server name: something to ask. */
static char *
check_host(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("give the server's name or address");
	if (strpbrk(v, " /\t") != NULL)
		return xasprintf("'%s' is not a host name or address", v);
	return NULL;
}

/* An absolute path on the server. */
static char *
check_srcdir(struct wiz *w, const char *v)
{
	if (pool_type_info(pw_type(w))->pick == POOL_PICK_EXPORT && *v == '\0')
		return xstrdup("pick an export in the list, or type its path");
	if (*v != '\0' && *v != '/' && strcmp(wiz_get(w, "format"),
					      "glusterfs") != 0)
		return xasprintf("'%s': the export's path starts with /", v);
	return NULL;
}

/* A TCP port. */
static char *
check_port(struct wiz *w, const char *v)
{
	uint64_t n;

	(void)w;
	if (*v == '\0')
		return NULL;
	if (str_to_u64(v, 10, &n) < 0 || n == 0 || n > 65535)
		return xasprintf("'%s' is not a port number (1-65535)", v);
	return NULL;
}

/* An iSCSI qualified name (required for iscsi-direct). */
static char *
check_iqn(struct wiz *w, const char *v)
{
	if (*v == '\0')
		return (pool_type_info(pw_type(w))->kind &
			POOL_TI_NEEDS_INITIATOR) ?
		       xstrdup("iscsi-direct logs in with an initiator name of "
			       "its own: give one (iqn.YYYY-MM.domain:name)") :
		       NULL;
	if (!str_startswith(v, "iqn.") && !str_startswith(v, "eui.") &&
	    !str_startswith(v, "naa."))
		return xasprintf("'%s' is not an iSCSI name "
				 "(iqn.YYYY-MM.domain:name)", v);
	return NULL;
}

/* The CHAP password goes with a CHAP user (rbd: the cephx key with
 * the Ceph user). */
static char *
check_chap(struct wiz *w, const char *v)
{
	struct err e;
	char *why = NULL;

	/* a cephx key, or a CHAP password */
	if (str_eq(pool_type_info(pw_type(w))->auth_type, "ceph")) {
		if (wiz_get(w, "chapuser")[0] == '\0')
			return *v ? xstrdup("a cephx key needs a Ceph user") :
			       NULL;
		if (*v == '\0')
			return xstrdup("give the user's cephx key (`ceph auth "
				       "get-key client.USER`); it is kept in "
				       "cistern's secrets store, never shown");
		err_init(&e);
		if (secret_check_value(v, strlen(v), &e) < 0 ||
		    strlen(v) % 4 != 0 || strpbrk(v, " \t") != NULL)
			why = xstrdup("that is not a cephx key (base64, as "
				      "`ceph auth get-key` prints it)");
		err_clear(&e);
		return why;
	}
	if (wiz_get(w, "chapuser")[0] == '\0')
		return *v ? xstrdup("a CHAP password needs a CHAP user name") :
		       NULL;
	if (*v == '\0')
		return xstrdup("give the CHAP password (it is kept in "
			       "cistern's secrets store, never shown)");
	err_init(&e);
	if (secret_check_value(v, strlen(v), &e) < 0)
		why = xstrdup("the CHAP password cannot be used: it is empty, "
			      "too long or holds control characters");
	err_clear(&e);
	return why;
}

/* A new volume group's name, as LVM takes them. */
static char *
check_vgname(struct wiz *w, const char *v)
{
	struct pw *pw = w->ctx;

	if (*v == '\0')
		return xstrdup("give the new volume group a name");
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("+_.-", *p)))
			return xasprintf("'%s': a volume group name takes "
					 "letters, digits and + _ . -", v);
	if (*v == '-')
		return xasprintf("'%s': a volume group name cannot start with "
				 "-", v);
	for (size_t i = 0; i < pw->nsrcs; i++)
		if (str_eq(pw->srcs[i].name, v))
			return xasprintf("volume group %s exists already: "
					 "choose 'existing'", v);
	return NULL;
}

/* The devices of a new volume group. */
static char *
check_pvs(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("pick the devices of the new volume group "
			       "(Space ticks one)");
	return NULL;
}

/* An existing volume group. */
static char *
check_vg(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("no volume group found: choose 'new', or F5 "
			       "looks again");
	return NULL;
}

/* ---- the source page ---- */

/* What a discovery job found. */
int
pw_src_found(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;
	struct pw *pw = w->ctx;
	enum pool_pick pick = pool_type_info(pw_type(w))->pick;
	char *what = pick == POOL_PICK_EXPORT ? xstrdup(wiz_get(w, "host")) :
		     xasprintf("%s:%s", wiz_get(w, "host"), wiz_get(w, "port"));

	(void)ui;
	pw_free_found(pw);
	if (j->code == 0) {
		pw_read_found(pw, j->output, what);
		pw->devs_done = true;
	} else {
		/* nothing found: the fields are there to be typed in */
		pw->devs_done = true;
		if (j->code != ERR_CANCELLED) {
			pw->srcs_error = xstrdup(j->msg);
			pw->srcs_for = xstrdup(what);
			wiz_error(w, "Discovery failed: %s", j->msg);
		}
	}
	free(what);
	if (pick == POOL_PICK_VG && wiz_get(w, "vgmode")[0] == '\0')
		wiz_set(w, "vgmode", pw->nsrcs > 0 ? "existing" : "new");
	wiz_relayout(w);
	return UI_DRAW;
}

/* dir pools have no source. */
bool
pw_src_skip(struct wiz *w)
{
	return pool_type_info(pw_type(w))->pick == POOL_PICK_NONE;
}

/* Start what the source page looks for. */
void
pw_src_enter(struct wiz *w)
{
	enum pool_type t = pw_type(w);
	const struct pool_type_info *ti = pool_type_info(t);
	char *why;

	switch (ti->pick) {
	case POOL_PICK_DEVICE:
		pw_discover(w, ti->pick_devices, -1, ti->pick_what,
			    pw_src_found);
		break;
	case POOL_PICK_VG:
		pw_discover(w, ti->pick_devices, t, ti->pick_what,
			    pw_src_found);
		break;
	case POOL_PICK_EXPORT:
		why = check_host(w, wiz_get(w, "host"));
		if (why == NULL) {
			char *what = xasprintf("%s on %s", ti->pick_what,
					       wiz_get(w, "host"));
			pw_discover(w, 0, t, what, pw_src_found);
			free(what);
		}
		free(why);
		break;
	case POOL_PICK_CEPH_POOL:
		/* the cluster's pools, once there is a monitor and a key */
		why = check_host(w, wiz_get(w, "host"));
		if (why == NULL && check_port(w, wiz_get(w, "port")) == NULL &&
		    (wiz_get(w, "chapuser")[0] == '\0' ||
		     wiz_get(w, "chappass")[0] != '\0')) {
			char *what = xasprintf("the %s of %s", ti->pick_what,
					       wiz_get(w, "host"));
			pw_discover(w, 0, t, what, pw_src_found);
			free(what);
		}
		free(why);
		break;
	default:
		break;
	}
}

/* Leaving the server's name looks at what it exports. */
void
pw_src_left(struct wiz *w, const char *id)
{
	struct pw *pw = w->ctx;
	enum pool_pick pick = pool_type_info(pw_type(w))->pick;

	if (strcmp(id, "host") == 0 && pick == POOL_PICK_EXPORT &&
	    !str_eq(pw->srcs_for, wiz_get(w, "host")))
		pw_src_enter(w);
	/* rbd: leaving the key (or the monitor, once a key is there)
	 * asks the cluster for its pools */
	if (pick == POOL_PICK_CEPH_POOL && pw->nsrcs == 0 &&
	    (strcmp(id, "chappass") == 0 || strcmp(id, "port") == 0 ||
	     strcmp(id, "host") == 0))
		pw_src_enter(w);
}

/* Picking a row fills the field it stands for. */
void
pw_src_change(struct wiz *w, const char *id)
{
	enum pool_pick pick = pool_type_info(pw_type(w))->pick;

	if (strcmp(id, "pick") == 0 && pick == POOL_PICK_EXPORT) {
		char *v = xstrdup(wiz_get(w, "pick")), *tab = strchr(v, '\t');
		if (tab != NULL) {
			*tab = '\0';
			wiz_set(w, "srcdir", v);
			wiz_set(w, "format", tab + 1);
			wiz_put(w, "srcdir");
		}
		free(v);
	} else if (strcmp(id, "pick") == 0 && pick == POOL_PICK_CEPH_POOL) {
		wiz_set(w, "rbdpool", wiz_get(w, "pick"));
		wiz_put(w, "rbdpool");
	} else if (strcmp(id, "pick") == 0) {
		wiz_set(w, "device", wiz_get(w, "pick"));
		wiz_put(w, "device");
	} else if (strcmp(id, "vgmode") == 0) {
		wiz_relayout(w);
	} else if (strcmp(id, "host") == 0 && pick == POOL_PICK_EXPORT) {
		free(w->error);
		w->error = NULL;
	}
}

/* The fields of an fs or disk source: the devices found, the path. */
static void
build_device(struct wiz *w, enum pool_type t)
{
	struct pw *pw = w->ctx;
	struct wfield *f;

	bool disks = (pool_type_info(t)->kind & POOL_TI_PARTITIONS) != 0;

	f = wiz_list(w, "pick", disks ?
		     "Whole disks (libblkid; F5 looks again)" :
		     "Block devices (libblkid; F5 looks again)", 7, false,
		     NULL);
	if (!pw->devs_done)
		f->text = xstrdup("  (looking...)");
	pw_devs_list(w, "pick", false);
	if (wiz_get(w, "device")[0] == '\0')
		wiz_set(w, "device", wiz_get(w, "pick"));
	wiz_text(w, "device", disks ? "Disk" : "Device", check_device);
}

/* The fields of a logical source: an existing VG, or a new one. */
static void
build_logical(struct wiz *w)
{
	static const char *const modes[] = { "existing", "new" };
	struct pw *pw = w->ctx;
	struct wfield *f;

	if (!pw->devs_done) {
		/* the choice waits for what pvs says */
		wiz_info(w, "looking", "Looking for volume groups (pvs) and "
			 "devices...", 1);
		return;
	}
	if (wiz_get(w, "vgmode")[0] == '\0')
		wiz_set(w, "vgmode", pw->nsrcs > 0 ? "existing" : "new");
	wiz_choice(w, "vgmode", "Volume group", modes, 2);
	if (strcmp(wiz_get(w, "vgmode"), "existing") == 0) {
		f = wiz_list(w, "vg", "Volume groups found (pvs; F5 looks "
			     "again)", 6, false, check_vg);
		if (!pw->devs_done)
			f->text = xstrdup("  (looking...)");
		pw_srcs_list(w, "vg");
		return;
	}
	if (wiz_get(w, "vgname")[0] == '\0')
		wiz_set(w, "vgname", wiz_get(w, "name"));
	wiz_text(w, "vgname", "New VG name", check_vgname);
	f = wiz_list(w, "pvs", "Build it from (Space ticks; blank devices and "
		     "unused PVs)", 6, true, check_pvs);
	if (!pw->devs_done)
		f->text = xstrdup("  (looking...)");
	pw_devs_list(w, "pvs", true);
}

/* The fields of a netfs source: server, exports found, path. */
static void
build_netfs(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct wfield *f;
	char *label;

	wiz_text(w, "host", "Server", check_host);
	label = xasprintf("Exports%s%s (showmount, gluster; F5 looks again)",
			  pw->srcs_for ? " of " : "",
			  pw->srcs_for ? pw->srcs_for : "");
	f = wiz_list(w, "pick", label, 5, false, NULL);
	free(label);
	f->text = xstrdup(pw->srcs_error ? "  (none: see below)" :
			  pw->srcs_for ? "  (it exports nothing)" :
			  "  (give the server, then Tab)");
	pw_srcs_list(w, "pick");
	if (f->nitems > 0)
		pw_src_change(w, "pick");
	wiz_text(w, "srcdir", "Export path", check_srcdir);
}

/* The fields of an iSCSI source: portal, initiator, CHAP. */
static void
build_iscsi(struct wiz *w)
{
	const struct pool_type_info *ti = pool_type_info(pw_type(w));
	struct wfield *f;

	if (wiz_get(w, "port")[0] == '\0') {
		char port[16];
		snprintf(port, sizeof(port), "%d", ti->default_port);
		wiz_set(w, "port", port);
	}
	wiz_text(w, "host", "Portal host", check_host);
	f = wiz_text(w, "port", "Port", check_port);
	f->width = 6;
	if (wiz_get(w, "initiator")[0] == '\0' &&
	    (ti->kind & POOL_TI_NEEDS_INITIATOR)) {
		char *iqn = discover_initiator_iqn();
		if (iqn != NULL)
			wiz_set(w, "initiator", iqn);
		free(iqn);
	}
	f = wiz_text(w, "initiator", "Initiator IQN", check_iqn);
	if (!(ti->kind & POOL_TI_NEEDS_INITIATOR))
		f->base.hint = xstrdup("empty: this host's (open-iscsi)");
	f = wiz_text(w, "chapuser", "CHAP user", NULL);
	f->base.hint = xstrdup("empty: no CHAP");
	f = wiz_secret(w, "chappass", "CHAP password", check_chap);
	f->base.hint = xstrdup("never shown; kept in the secrets store");
}

/* A Ceph pool's name. */
static char *
check_rbdpool(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("pick a Ceph pool in the list, or type its name");
	if (strpbrk(v, " /@\t") != NULL)
		return xasprintf("'%s' is not a Ceph pool name", v);
	return NULL;
}

/* The fields of an rbd source: a monitor, the cephx user and key, the
 * cluster's RBD pools (found once the key is given). */
static void
build_rbd(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct wfield *f;
	char *label;

	if (!pw->rbd_user_set) {
		wiz_set(w, "chapuser", "admin");
		pw->rbd_user_set = true;
	}
	wiz_text(w, "host", "Monitor host", check_host);
	f = wiz_text(w, "port", "Port", check_port);
	f->width = 6;
	f->base.hint = xstrdup("empty: Ceph's (3300 and 6789)");
	f = wiz_text(w, "chapuser", "Ceph user", NULL);
	f->base.hint =
		xstrdup("client.NAME without 'client.'; empty: no cephx");
	f = wiz_secret(w, "chappass", "cephx key", check_chap);
	f->base.hint = xstrdup("never shown; kept in the secrets store");
	label = xasprintf("RBD pools%s%s (F5 looks again)",
			  pw->srcs_for ? " of " : "",
			  pw->srcs_for ? pw->srcs_for : "");
	f = wiz_list(w, "pick", label, 4, false, NULL);
	free(label);
	f->text = xstrdup(pw->srcs_error ? "  (none: see below)" :
			  pw->srcs_for ? "  (the cluster has no RBD pool)" :
			  "  (give the monitor and the key, then Tab)");
	pw_srcs_list(w, "pick");
	if (f->nitems > 0 && wiz_get(w, "rbdpool")[0] == '\0')
		pw_src_change(w, "pick");
	wiz_text(w, "rbdpool", "Ceph pool", check_rbdpool);
}

/* The source page of the chosen type. */
void
pw_src_build(struct wiz *w)
{
	enum pool_type t = pw_type(w);

	switch (pool_type_info(t)->pick) {
	case POOL_PICK_DEVICE:
		build_device(w, t);
		break;
	case POOL_PICK_VG:
		build_logical(w);
		break;
	case POOL_PICK_EXPORT:
		build_netfs(w);
		break;
	case POOL_PICK_TARGET:
		build_iscsi(w);
		break;
	case POOL_PICK_CEPH_POOL:
		build_rbd(w);
		break;
	case POOL_PICK_NONE:
		break;
	}
}

/* Nothing to add to the fields' own checks but a busy disk. */
char *
pw_src_leave(struct wiz *w)
{
	struct pw *pw = w->ctx;
	const struct pw_dev *d;

	/* a label is written on the whole disk */
	if (!(pool_type_info(pw_type(w))->kind & POOL_TI_PARTITIONS))
		return NULL;
	d = pw_dev_find(pw, wiz_get(w, "device"));
	if (d != NULL && d->busy[0] != '\0')
		return xasprintf("%s is in use (%s): cistern writes no label "
				 "on a disk in use", d->path, d->busy);
	return NULL;
}
