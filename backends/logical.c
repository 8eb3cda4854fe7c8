/* cistern — logical pools: an LVM volume group whose volumes are its
 * logical volumes, managed through the LVM tools (as libvirt's
 * storage_backend_logical.c).
 *
 * Every LVM command runs with --yes, -f or nothing that could prompt,
 * stdin from /dev/null, a timeout, and the caller's environment (so
 * LVM_SYSTEM_DIR reaches the tools); a failure carries the tool's whole
 * stderr. This file holds the pool life cycle and the backend table;
 * logical_report.c reads the reports, logical_vol.c the volumes.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/probe.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "logical.h"

const char *const lvm_env[] = { "LVM_SUPPRESS_FD_WARNINGS=1", NULL };

void
lvm_error_text(struct err *e)
{
	struct sbuf b;
	char **argv;
	char *text;
	int status;

	if (e == NULL || e->argv == NULL || e->tool_stderr == NULL ||
	    e->code == ERR_CANCELLED)
		return;
	sbuf_init(&b);
	for (const char *s = e->tool_stderr; *s != '\0';) {
		const char *eol = strchr(s, '\n');
		size_t n = eol ? (size_t)(eol - s) : strlen(s);
		const char *t = s;
		while (n > 0 && (*t == ' ' || *t == '\t')) {
			t++;
			n--;
		}
		while (n > 0 && (t[n - 1] == ' ' || t[n - 1] == '\r'))
			n--;
		if (n > 0) {
			if (b.len > 0)
				sbuf_add(&b, "; ");
			sbuf_addn(&b, t, n);
		}
		s = eol ? eol + 1 : s + strlen(s);
	}
	if (b.len == 0) {
		sbuf_free(&b);
		return;
	}
	argv = e->argv;
	text = e->tool_stderr;
	status = e->tool_status;
	e->argv = NULL;
	e->tool_stderr = NULL;
	if (status > 0) {
		err_setc(e, ERR_TOOL, "%s failed (exit %d): %s", argv[0],
			 status, b.s);
	} else {
		char *old = xstrdup(e->msg);
		char *colon = strstr(old, ": ");
		if (colon != NULL && strstr(b.s, colon + 2) == b.s)
			*colon = '\0';   /* the first line is already there */
		err_setc(e, ERR_TOOL, "%s: %s", old, b.s);
		free(old);
	}
	err_set_tool(e, (const char *const *)argv, text, status);
	strv_free(argv);
	free(text);
	sbuf_free(&b);
}

int
lvm_run(const char *const argv[], struct run_result *r, struct err *e)
{
	struct run_opts o = {
		.timeout_ms = LVM_TIMEOUT_MS,
		.env = lvm_env,
	};

	if (run_argv(argv, &o, r, e) < 0) {
		lvm_error_text(e);
		return -1;
	}
	return 0;
}

bool
lvm_name_ok(const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n == 0 || n > 127 || s[0] == '-' || strcmp(s, ".") == 0 ||
	    strcmp(s, "..") == 0)
		return false;
	for (; *s != '\0'; s++) {
		unsigned char c = (unsigned char)*s;
		if (!(c >= 'a' && c <= 'z') && !(c >= 'A' && c <= 'Z') &&
		    !(c >= '0' && c <= '9') && strchr("+_.-", c) == NULL)
			return false;
	}
	return true;
}

const char *
lvm_vg_name(const struct pool *p, struct err *e)
{
	const char *vg = p->def->source.name;

	if (!lvm_name_ok(vg))
		return err_setc(e, ERR_INVALID, "'%s' is not a volume group "
				"name LVM accepts (letters, digits, '+', '_', "
				"'.', '-'; not starting with '-')",
				vg ? vg : ""), NULL;
	return vg;
}

char *
lvm_lv_spec(const char *vg, const char *lv)
{
	return xasprintf("%s/%s", vg, lv);
}

/* Source devices must be absolute paths (never read as options). */
static int
check_devices(const struct pool *p, struct err *e)
{
	const struct pool_source *s = &p->def->source;

	for (size_t i = 0; i < s->ndevices; i++) {
		const char *d = s->devices[i].path;
		if (d == NULL || d[0] != '/' || str_has_ctrl(d))
			return err_setc(e, ERR_INVALID, "source device '%s' is "
					"not an absolute path", d ? d : "");
		for (size_t k = 0; k < i; k++)
			if (strcmp(s->devices[k].path, d) == 0)
				return err_setc(e, ERR_INVALID, "source device "
						"'%s' is listed twice", d);
	}
	return 0;
}

/* Do two paths name the same block device? */
static bool
same_device(const char *a, const char *b)
{
	struct stat sa, sb;

	if (strcmp(a, b) == 0)
		return true;
	return stat(a, &sa) == 0 && stat(b, &sb) == 0 &&
	       S_ISBLK(sa.st_mode) && S_ISBLK(sb.st_mode) &&
	       sa.st_rdev == sb.st_rdev;
}

/* The pvs row of a device (by path or device number). */
static const struct lvm_pvrow *
find_pvrow(const struct lvm_pvrow *rows, size_t n, const char *dev)
{
	for (size_t i = 0; i < n; i++)
		if (same_device(rows[i].pv, dev))
			return &rows[i];
	return NULL;
}

/* A pool recorded as running is still there if its devices are. (The
 * VG's directory in /dev exists only while an LV is active, so it says
 * nothing; a refresh asks LVM.) */
static int
logical_check(struct pool *p, bool *running, struct err *e)
{
	const struct pool_source *s = &p->def->source;

	*running = true;
	for (size_t i = 0; i < s->ndevices; i++) {
		struct stat st;
		if (stat(s->devices[i].path, &st) < 0 || !S_ISBLK(st.st_mode)) {
			*running = false;
			err_setc(e, ERR_NOT_FOUND, "physical volume '%s' is "
				 "missing", s->devices[i].path);
			return 0;
		}
	}
	return 0;
}

/* Start's check: the VG exists and the defined devices are its PVs. */
static int
match_source(const struct pool *p, const char *vg, struct err *e)
{
	const struct pool_source *s = &p->def->source;
	struct lvm_pvrow *rows;
	size_t n, mine = 0;
	int rc = -1;

	if (lvm_pvs(&rows, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].vg, vg) == 0)
			mine++;
	if (mine == 0) {
		err_setc(e, ERR_NOT_FOUND, "volume group '%s' does not exist "
			 "(pvs lists no physical volume in it); build the "
			 "pool first", vg);
		goto out;
	}
	for (size_t i = 0; i < s->ndevices; i++) {
		const char *dev = s->devices[i].path;
		const struct lvm_pvrow *r = find_pvrow(rows, n, dev);
		if (r == NULL)
			err_setc(e, ERR_INVALID, "source device '%s' is not a "
				 "physical volume of volume group '%s'", dev,
				 vg);
		else if (r->vg[0] == '\0')
			err_setc(e, ERR_INVALID, "source device '%s' is a "
				 "physical volume in no volume group, not in "
				 "'%s'", dev, vg);
		else if (strcmp(r->vg, vg) != 0)
			err_setc(e, ERR_INVALID, "source device '%s' belongs "
				 "to volume group '%s', not '%s'", dev, r->vg,
				 vg);
		else
			continue;
		goto out;
	}
	rc = 0;
out:
	lvm_pvs_free(rows, n);
	return rc;
}

/* vgchange -aly, once pvs shows the VG as the pool defines it. */
static int
logical_start(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const char *vg = lvm_vg_name(p, e);

	(void)flags;
	(void)j;
	if (vg == NULL || check_devices(p, e) < 0)
		return -1;
	if (!run_dry_run() && match_source(p, vg, e) < 0)
		return -1;
	const char *argv[] = { "vgchange", "-aly", vg, NULL };
	return lvm_run(argv, NULL, e);
}

/* Is any LV of the VG open or mounted? Names the first one. */
static int
check_busy(const struct pool *p, const char *vg, struct err *e)
{
	struct lvm_report r;
	int rc;

	rc = lvm_report_load(p, &r, e);
	if (rc != 0)
		return rc < 0 ? -1 : 0;
	for (size_t i = 0; i < r.nlvs && rc == 0; i++) {
		const struct lvm_lv *lv = &r.lvs[i];
		char *node, why[512];
		if (lv->hidden)
			continue;
		if (lv->attr[5] == 'o') {
			rc = err_setc(e, ERR_BUSY, "logical volume '%s/%s' is "
				      "open", vg, lv->name);
			break;
		}
		node = xasprintf("/dev/%s/%s", vg, lv->name);
		if (access(node, F_OK) == 0 &&
		    probe_in_use(node, why, sizeof(why), NULL) == 1)
			rc = err_setc(e, ERR_BUSY, "logical volume '%s/%s' is "
				      "in use: %s", vg, lv->name, why);
		free(node);
	}
	lvm_report_free(&r);
	return rc;
}

/* Does LVM see the VG at all (on some PV)? */
static int
vg_exists(const char *vg, struct err *e)
{
	struct lvm_pvrow *rows;
	size_t n;
	int found = 0;

	if (lvm_pvs(&rows, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n && !found; i++)
		found = strcmp(rows[i].vg, vg) == 0;
	lvm_pvs_free(rows, n);
	return found;
}

/* vgchange -aln, unless an LV is open or mounted. A VG that is gone
 * (its disks pulled, removed by hand) has nothing left to deactivate. */
static int
logical_stop(struct pool *p, unsigned flags, struct err *e)
{
	const char *vg = lvm_vg_name(p, e);
	int exists;

	(void)flags;
	if (vg == NULL)
		return -1;
	if (!run_dry_run()) {
		if ((exists = vg_exists(vg, e)) <= 0)
			return exists;
		if (check_busy(p, vg, e) < 0)
			return -1;
	}
	const char *argv[] = { "vgchange", "-aln", vg, NULL };
	return lvm_run(argv, NULL, e);
}

/* Build, first half: look at every device and refuse before anything
 * is written. */
static int
build_check(const struct pool *p, const char *vg, unsigned flags,
	    struct err *e)
{
	const struct pool_source *s = &p->def->source;
	bool overwrite = (flags & POOL_BUILD_OVERWRITE) != 0;
	struct lvm_pvrow *rows;
	size_t n;
	int rc = -1;

	if (lvm_pvs(&rows, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		bool ours = false;
		if (strcmp(rows[i].vg, vg) != 0)
			continue;
		for (size_t k = 0; k < s->ndevices; k++)
			ours |= same_device(rows[i].pv, s->devices[k].path);
		if (!ours) {
			err_setc(e, ERR_EXISTS, "volume group '%s' already "
				 "exists (on %s)", vg, rows[i].pv);
			goto out;
		}
	}
	for (size_t i = 0; i < s->ndevices; i++) {
		const char *dev = s->devices[i].path;
		struct probe_info pi;
		char why[512];
		int fd, busy, ro = 0;

		if (run_dry_run() && access(dev, F_OK) != 0)
			continue;
		busy = probe_in_use(dev, why, sizeof(why), e);
		if (busy < 0)
			goto out;
		if (busy > 0) {
			err_setc(e, ERR_BUSY, "device '%s' is in use: %s", dev,
				 why);
			goto out;
		}
		if (probe_signatures(dev, &pi, e) < 0)
			goto out;
		if (pi.found && strcmp(pi.type, "LVM2_member") == 0) {
			/* overwriting it would break that VG on its other
			 * disks too: never, even with --overwrite */
			const struct lvm_pvrow *r = find_pvrow(rows, n, dev);
			if (r != NULL && r->vg[0] != '\0') {
				err_setc(e, ERR_REFUSED, "device '%s' is a "
					 "physical volume of volume group "
					 "'%s'; take it out of that group "
					 "first (vgreduce or vgremove)", dev,
					 r->vg);
				goto out;
			}
			if (r == NULL && !overwrite) {
				/* a PV LVM does not list: whose is it? */
				err_setc(e, ERR_REFUSED, "device '%s' holds %s "
					 "that LVM does not list (filtered "
					 "out?); give --overwrite to destroy "
					 "it", dev, pi.what);
				goto out;
			}
		} else if (pi.found && !overwrite) {
			err_setc(e, ERR_REFUSED, "device '%s' holds %s (give "
				 "--overwrite to destroy it)", dev, pi.what);
			goto out;
		}
		if (run_dry_run())
			continue;
		fd = open(dev, O_RDWR | O_CLOEXEC);
		if (fd < 0) {
			err_errno(e, errno, "cannot open device '%s' for "
				  "writing", dev);
			goto out;
		}
		if (ioctl(fd, BLKROGET, &ro) == 0 && ro) {
			close(fd);
			err_setc(e, ERR_REFUSED, "device '%s' is read-only",
				 dev);
			goto out;
		}
		close(fd);
	}
	rc = 0;
out:
	lvm_pvs_free(rows, n);
	return rc;
}

/* Remove the PV label of a device we initialised (undoing a build). */
static void
build_undo(const char *dev, struct err *e)
{
	const char *argv[] = { "pvremove", "--yes", dev, NULL };
	struct probe_info pi;
	struct err le;

	if (!run_dry_run() && (probe_signatures(dev, &pi, NULL) < 0 ||
			       strcmp(pi.type, "LVM2_member") != 0))
		return;
	err_init(&le);
	if (lvm_run(argv, NULL, &le) < 0) {
		char *msg = xasprintf("%s; and undoing it failed, the PV label "
				      "stays on %s: %s", e->msg, dev, le.msg);
		snprintf(e->msg, sizeof(e->msg), "%s", msg);
		free(msg);
	}
	err_clear(&le);
}

/* Probe, then clear, pvcreate and vgcreate; undo on any failure. */
static int
logical_build(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const struct pool_source *s = &p->def->source;
	const char *vg = lvm_vg_name(p, e);
	const char **vgargv;
	size_t made = 0, n = 0;
	int rc = -1;

	if (vg == NULL || check_devices(p, e) < 0)
		return -1;
	if (s->ndevices == 0)
		return err_setc(e, ERR_INVALID, "no source devices to build "
				"volume group '%s' on", vg);
	job_phase(j, "checking devices");
	if (build_check(p, vg, flags, e) < 0)
		return -1;
	vgargv = xcalloc(s->ndevices + 4, sizeof(*vgargv));
	vgargv[n++] = "vgcreate";
	vgargv[n++] = "--yes";
	vgargv[n++] = vg;
	for (size_t i = 0; i < s->ndevices; i++) {
		const char *dev = s->devices[i].path;
		const char *pv[] = { "pvcreate", "--yes", dev, NULL };
		job_phase(j, "initialising %s", dev);
		if (job_check(j, e) < 0 ||
		    probe_wipe_signatures(dev, e) < 0)
			goto undo;
		if (lvm_run(pv, NULL, e) < 0) {
			made = i + 1;   /* a failed pvcreate may label */
			goto undo;
		}
		made = i + 1;
		vgargv[n++] = dev;
	}
	job_phase(j, "creating volume group %s", vg);
	if (job_check(j, e) < 0 || lvm_run(vgargv, NULL, e) < 0)
		goto undo;
	rc = 0;
	goto out;
undo:
	for (size_t i = 0; i < made; i++)
		build_undo(s->devices[i].path, e);
out:
	free(vgargv);
	return rc;
}

/* vgremove, then pvremove of each PV it had; only when confirmed. */
static int
logical_delete(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const struct pool_source *s = &p->def->source;
	const char *vg = lvm_vg_name(p, e);
	struct lvm_pvrow *rows = NULL;
	char **devs = NULL;
	size_t n = 0, ndevs = 0;
	struct sbuf failed;
	int rc = -1;

	(void)j;
	if (vg == NULL)
		return -1;
	if (lvm_pvs(&rows, &n, e) < 0)
		return -1;
	for (size_t i = 0; i < n; i++)
		if (strcmp(rows[i].vg, vg) == 0)
			strv_push(&devs, &ndevs, rows[i].pv);
	lvm_pvs_free(rows, n);
	if (run_dry_run())
		for (size_t i = 0; i < s->ndevices; i++)
			strv_push(&devs, &ndevs, s->devices[i].path);
	if (ndevs == 0)
		return err_setc(e, ERR_NOT_FOUND, "volume group '%s' does not "
				"exist", vg);
	if (!(flags & POOL_DELETE_CONFIRMED)) {
		struct sbuf list;
		sbuf_init(&list);
		for (size_t i = 0; i < ndevs; i++)
			sbuf_printf(&list, "%s%s", i ? ", " : "", devs[i]);
		err_setc(e, ERR_REFUSED, "deleting it destroys volume group "
			 "'%s' with every logical volume in it, and the "
			 "physical volume labels of %s; give --overwrite to "
			 "confirm", vg, list.s);
		sbuf_free(&list);
		goto out;
	}
	const char *argv[] = { "vgremove", "-f", vg, NULL };
	if (lvm_run(argv, NULL, e) < 0)
		goto out;
	sbuf_init(&failed);
	for (size_t i = 0; i < ndevs; i++) {
		const char *pv[] = { "pvremove", "--yes", devs[i], NULL };
		struct err le;
		err_init(&le);
		if (lvm_run(pv, NULL, &le) < 0)
			sbuf_printf(&failed, "%s%s", failed.len ? "; " : "",
				    le.msg);
		err_clear(&le);
	}
	if (failed.len > 0)
		err_setc(e, ERR_TOOL, "volume group '%s' removed, but a "
			 "physical volume label stays: %s", vg, failed.s);
	else
		rc = 0;
	sbuf_free(&failed);
out:
	strv_free(devs);
	return rc;
}

/* libvirt's <sources>: each VG with its PVs, from pvs. */
static char *
logical_find_sources(const struct source_query *q, struct err *e)
{
	struct lvm_pvrow *rows;
	struct pool_source *srcs = NULL;
	size_t n, nsrcs = 0;
	char *xml;

	(void)q;
	if (lvm_pvs(&rows, &n, e) < 0)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		struct pool_source *src = NULL;
		if (rows[i].vg[0] == '\0')
			continue;   /* a PV in no VG is no pool source */
		for (size_t k = 0; k < nsrcs && src == NULL; k++)
			if (strcmp(srcs[k].name, rows[i].vg) == 0)
				src = &srcs[k];
		if (src == NULL) {
			srcs = xreallocarray(srcs, nsrcs + 1, sizeof(*srcs));
			src = &srcs[nsrcs++];
			memset(src, 0, sizeof(*src));
			src->name = xstrdup(rows[i].vg);
			src->format = xstrdup("lvm2");
		}
		src->devices = xreallocarray(src->devices, src->ndevices + 1,
					     sizeof(*src->devices));
		src->devices[src->ndevices++] = (struct pool_device){
			.path = xstrdup(rows[i].pv),
			.part_separator = TRI_ABSENT,
		};
	}
	lvm_pvs_free(rows, n);
	xml = pool_sources_format(POOL_LOGICAL, srcs, nsrcs);
	for (size_t k = 0; k < nsrcs; k++)
		pool_source_clear(&srcs[k]);
	free(srcs);
	return xml;
}

const struct backend logical_backend = {
	.type = POOL_LOGICAL,
	.flags = BACKEND_VOL_CREATE | BACKEND_NEEDS_ROOT | BACKEND_SHOWS_MAP |
		 BACKEND_BUILD_DESTRUCTIVE | BACKEND_DELETE_UNDOES_BUILD,
	.says_build = "pvcreate {devices}, vgcreate {name}",
	.says_destroy = "run pvcreate on {devices}",
	.says_start = "activate the volume group",
	.check = logical_check,
	.build = logical_build,
	.start = logical_start,
	.stop = logical_stop,
	.delete = logical_delete,
	.refresh = logical_refresh,
	.find_sources = logical_find_sources,
	.vol_create = logical_vol_create,
	.vol_create_from = logical_vol_create_from,
	.vol_delete = logical_vol_delete,
	.vol_wipe = logical_vol_wipe,
	.vol_resize = logical_vol_resize,
	.vol_upload = logical_vol_upload,
	.vol_download = logical_vol_download,
};
