/* cistern — logical pools: volumes (logical volumes).
 *
 * Creation follows libvirt's virStorageBackendLogicalLVCreate: sizes in
 * KiB rounded up, an allocation below the capacity makes a sparse
 * snapshot-style LV (--type snapshot --virtualsize), a backing volume
 * makes a snapshot of it. Data operations (wipe, clone, upload,
 * download) work on the LV's device node, which exists only while the
 * LV is active.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <json-c/json.h>

#include "../core/copy.h"
#include "../core/probe.h"
#include "../core/util.h"
#include "../core/wipe.h"
#include "logical.h"

/* libvirt passes sizes to lvcreate in KiB, rounded up. */
static char *
size_kib(uint64_t bytes)
{
	return xasprintf("%lluK", (unsigned long long)(bytes / 1024 +
						       (bytes % 1024 != 0)));
}

/* The UUID of the LV named `lv` in `vg` (*uuid NULL when there is none).
 * Lists the whole VG: a missing LV is then an answer, not an error. */
static int
lv_lookup(const char *vg, const char *lv, char **uuid, struct err *e)
{
	const char *argv[] = {
		"lvs", "--reportformat", "json", "-o", "lv_name,lv_uuid", vg,
		NULL,
	};
	struct run_result r;
	json_object *root = NULL, *rep, *rows;
	int rc = -1;

	*uuid = NULL;
	if (lvm_run(argv, &r, e) < 0)
		goto out;
	root = json_tokener_parse(r.out);
	if (root == NULL || !json_object_object_get_ex(root, "report", &rep) ||
	    json_object_array_length(rep) < 1 ||
	    !json_object_object_get_ex(json_object_array_get_idx(rep, 0), "lv",
				       &rows)) {
		err_setc(e, ERR_TOOL, "lvs printed no JSON report");
		goto out;
	}
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i), *n, *u;
		if (json_object_object_get_ex(row, "lv_name", &n) &&
		    json_object_object_get_ex(row, "lv_uuid", &u) &&
		    strcmp(json_object_get_string(n), lv) == 0) {
			*uuid = xstrdup(json_object_get_string(u));
			break;
		}
	}
	rc = 0;
out:
	if (root != NULL)
		json_object_put(root);
	run_result_free(&r);
	return rc;
}

/* Remove an LV this operation made (after it failed or was cancelled);
 * keeps the first error, appends a failure to undo. */
static void
lv_undo(const char *vg, const char *lv, struct err *e)
{
	char *spec = lvm_lv_spec(vg, lv);
	const char *argv[] = { "lvremove", "-f", spec, NULL };
	struct err le;

	err_init(&le);
	if (lvm_run(argv, NULL, &le) < 0 && e != NULL) {
		char *msg = xasprintf("%s; and removing the half-made logical "
				      "volume %s failed: %s", e->msg, spec,
				      le.msg);
		snprintf(e->msg, sizeof(e->msg), "%s", msg);
		free(msg);
	}
	err_clear(&le);
	free(spec);
}

/* The LV's device node, or an error saying why it is not there. */
static int
lv_node(const struct pool *p, const struct vol_def *v, const char *what,
	struct err *e)
{
	struct stat st;

	if (stat(v->target.path, &st) == 0 && S_ISBLK(st.st_mode))
		return 0;
	if (errno == ENOENT || errno == ENOTDIR)
		return err_setc(e, ERR_STATE, "cannot %s '%s': its device node "
				"%s does not exist, so the logical volume is "
				"not active (activation needs device-mapper: "
				"'vgchange -aly %s')", what, v->name,
				v->target.path, p->def->source.name);
	return err_errno(e, errno, "cannot %s '%s': %s is not a block device",
			 what, v->name, v->target.path);
}

/* Refuse to touch an LV that is mounted or held. */
static int
lv_not_busy(const struct vol_def *v, struct err *e)
{
	char why[512];
	int busy;

	if (access(v->target.path, F_OK) != 0)
		return 0;
	busy = probe_in_use(v->target.path, why, sizeof(why), e);
	if (busy > 0)
		return err_setc(e, ERR_BUSY, "logical volume %s is in use: %s",
				v->target.path, why);
	return busy;
}

/* Fill `v` with what LVM really made: key, path, sizes, extents. */
static int
lv_describe(struct pool *p, struct vol_def *v, struct err *e)
{
	struct lvm_report r;
	const struct lvm_lv *lv;
	struct vol_def *made;

	if (lvm_report_load(p, &r, e) < 0)
		return -1;
	lv = lvm_report_find(&r, v->name);
	made = lv ? lvm_report_vol(&r, lv, p->def->target_path) : NULL;
	lvm_report_free(&r);
	if (made == NULL)
		return err_setc(e, ERR_TOOL, "lvcreate succeeded but lvs does "
				"not list '%s/%s'", p->def->source.name,
				v->name);
	free(v->key);
	v->key = made->key;
	made->key = NULL;
	free(v->target.path);
	v->target.path = made->target.path;
	made->target.path = NULL;
	for (size_t i = 0; i < v->nextents; i++)
		free(v->extents[i].device);
	free(v->extents);
	v->extents = made->extents;
	v->nextents = made->nextents;
	made->extents = NULL;
	made->nextents = 0;
	free(v->note);
	v->note = made->note;
	made->note = NULL;
	v->type = VOL_BLOCK;
	v->capacity = made->capacity;
	v->allocation = made->allocation;
	v->has_capacity = true;
	vol_def_free(made);
	return 0;
}

/* Apply the requested owner and mode to the node, as libvirt does
 * (mode 0600 unless given). An inactive LV has no node: nothing to do. */
static int
lv_set_perms(const struct vol_def *v, struct err *e)
{
	const struct perms *pm = &v->target.perms;
	int fd = open(v->target.path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return errno == ENOENT ? 0 :
		       err_errno(e, errno, "cannot open '%s'", v->target.path);
	if (geteuid() == 0 && (pm->uid >= 0 || pm->gid >= 0) &&
	    fchown(fd, pm->uid >= 0 ? (uid_t)pm->uid : (uid_t)-1,
		   pm->gid >= 0 ? (gid_t)pm->gid : (gid_t)-1) < 0) {
		err_errno(e, errno, "cannot set the owner of '%s'",
			  v->target.path);
		close(fd);
		return -1;
	}
	if (fchmod(fd, pm->mode >= 0 ? (mode_t)pm->mode : 0600) < 0) {
		err_errno(e, errno, "cannot set the mode of '%s'",
			  v->target.path);
		close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/* The pool volume a backing path names (snapshots stay in their VG). */
static const struct vol_def *
backing_vol(const struct pool *p, const char *path)
{
	for (size_t i = 0; i < p->nvols; i++)
		if (str_eq(p->vols[i]->target.path, path))
			return p->vols[i];
	return NULL;
}

/* Make the LV; `plain` ignores allocation and backing (clones). */
static int
lv_create(struct pool *p, struct vol_def *v, bool plain, struct err *e)
{
	const char *vg = lvm_vg_name(p, e);
	const char *argv[16];
	char *cap = NULL, *alloc = NULL, *origin = NULL, *uuid = NULL;
	size_t n = 0;
	int rc = -1;

	if (vg == NULL)
		return -1;
	if (!lvm_name_ok(v->name))
		return err_setc(e, ERR_INVALID, "'%s' is not a logical volume "
				"name LVM accepts (letters, digits, '+', '_', "
				"'.', '-'; not starting with '-')", v->name);
	if (v->target.encryption != NULL)
		return err_setc(e, ERR_UNSUPPORTED, "encrypted volumes are not "
				"supported in logical pools");
	if (v->capacity == 0)
		return err_setc(e, ERR_INVALID, "a logical volume needs a "
				"capacity above 0");
	if (!plain && v->backing != NULL) {
		const struct vol_def *b = backing_vol(p, v->backing->path);
		if (b == NULL)
			return err_setc(e, ERR_INVALID, "backing volume '%s' "
					"is not a logical volume of pool '%s' "
					"(a snapshot stays in its volume "
					"group)", v->backing->path,
					p->def->name);
		origin = lvm_lv_spec(vg, b->name);
	}
	if (!run_dry_run()) {
		if (lv_lookup(vg, v->name, &uuid, e) < 0)
			goto out;
		if (uuid != NULL) {
			err_setc(e, ERR_EXISTS, "logical volume '%s/%s' "
				 "already exists", vg, v->name);
			goto out;
		}
	}
	cap = size_kib(v->capacity);
	argv[n++] = "lvcreate";
	argv[n++] = "--yes";
	argv[n++] = "--name";
	argv[n++] = v->name;
	argv[n++] = "-L";
	if (origin != NULL) {
		argv[n++] = cap;
		argv[n++] = "-s";
		argv[n++] = origin;
	} else if (!plain && v->allocation < v->capacity) {
		alloc = size_kib(v->allocation ? v->allocation : 1);
		argv[n++] = alloc;
		argv[n++] = "--type";
		argv[n++] = "snapshot";
		argv[n++] = "--virtualsize";
		argv[n++] = cap;
		argv[n++] = vg;
	} else {
		argv[n++] = cap;
		argv[n++] = vg;
	}
	if (plain) {
		/* a clone's LV is a leftover until its data is in */
		argv[n++] = "--addtag";
		argv[n++] = LVM_PARTIAL_TAG;
	}
	argv[n] = NULL;
	if (lvm_run(argv, NULL, e) < 0) {
		/* lvcreate can fail after making the LV (activation,
		 * zeroing): remove it if it is there now */
		struct err le;
		err_init(&le);
		if (!run_dry_run() && lv_lookup(vg, v->name, &uuid, &le) == 0 &&
		    uuid != NULL)
			lv_undo(vg, v->name, e);
		err_clear(&le);
		goto out;
	}
	free(v->target.path);
	v->target.path = xasprintf("%s/%s", p->def->target_path, v->name);
	if (run_dry_run()) {
		rc = 0;
		goto out;
	}
	if (lv_describe(p, v, e) < 0 || lv_set_perms(v, e) < 0) {
		lv_undo(vg, v->name, e);
		goto out;
	}
	rc = 0;
out:
	free(cap);
	free(alloc);
	free(origin);
	free(uuid);
	return rc;
}

int
logical_vol_create(struct pool *p, struct vol_def *v, unsigned flags,
		   struct job *j, struct err *e)
{
	(void)j;
	if (flags & VOL_CREATE_PREALLOC_METADATA)
		return err_setc(e, ERR_INVALID, "preallocating metadata is "
				"for qcow2 volumes; logical volumes have no "
				"format");
	return lv_create(p, v, false, e);
}

/* The clone's data is in: it becomes a volume. */
static int
lv_complete(const char *vg, const char *lv, struct err *e)
{
	char *spec = lvm_lv_spec(vg, lv);
	const char *argv[] = { "lvchange", "--deltag", LVM_PARTIAL_TAG, spec,
			       NULL };
	int rc = lvm_run(argv, NULL, e);

	free(spec);
	return rc;
}

int
logical_vol_create_from(struct pool *p, struct vol_def *v,
			struct pool *src_pool, const struct vol_def *src,
			unsigned flags, struct job *j, struct err *e)
{
	uint64_t length = src->capacity, copied = 0;
	int in, out, rc = -1;

	if (flags & VOL_CREATE_REFLINK)
		return err_setc(e, ERR_UNSUPPORTED, "logical volumes cannot "
				"share extents with another volume (reflink)");
	if (flags & VOL_CREATE_PREALLOC_METADATA)
		return err_setc(e, ERR_INVALID, "preallocating metadata is "
				"for qcow2 volumes; logical volumes have no "
				"format");
	if (src->target.format != NULL && strcmp(src->target.format, "raw") &&
	    strcmp(src->target.format, "iso"))
		return err_setc(e, ERR_UNSUPPORTED, "volume '%s' is in %s "
				"format; only raw data can be copied into a "
				"logical volume", src->name,
				src->target.format);
	if (v->capacity < length)
		return err_setc(e, ERR_INVALID, "capacity %llu is smaller than "
				"the %llu bytes of volume '%s'",
				(unsigned long long)v->capacity,
				(unsigned long long)length, src->name);
	/* look at the source before making anything */
	if (src_pool->def->type == POOL_LOGICAL &&
	    lv_node(src_pool, src, "copy", e) < 0)
		return -1;
	if (run_dry_run())
		return lv_create(p, v, true, e);
	in = open(src->target.path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_errno(e, errno, "cannot open volume '%s' (%s)",
				 src->name, src->target.path);
	if (lv_create(p, v, true, e) < 0) {
		close(in);
		return -1;
	}
	if (lv_node(p, v, "copy into", e) < 0)
		goto undo;
	out = open(v->target.path, O_WRONLY | O_CLOEXEC);
	if (out < 0) {
		err_errno(e, errno, "cannot open '%s'", v->target.path);
		goto undo;
	}
	job_phase(j, "copying %s", src->name);
	rc = copy_fd(in, 0, out, 0, length, 0, j, &copied, e);
	if (rc == 0 && fsync(out) < 0)
		rc = err_errno(e, errno, "cannot sync '%s'", v->target.path);
	close(out);
	if (rc == 0)
		rc = lv_complete(p->def->source.name, v->name, e);
	if (rc == 0) {
		close(in);
		return 0;
	}
undo:
	close(in);
	lv_undo(p->def->source.name, v->name, e);
	return -1;
}

int
logical_vol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
		   struct err *e)
{
	const char *vg = lvm_vg_name(p, e);
	struct sbuf snaps;
	char *spec;
	int rc;

	(void)flags;
	if (vg == NULL)
		return -1;
	/* lvremove -f of an origin would take its snapshots along */
	sbuf_init(&snaps);
	for (size_t i = 0; i < p->nvols; i++)
		if (p->vols[i]->backing != NULL &&
		    str_eq(p->vols[i]->backing->path, v->target.path))
			sbuf_printf(&snaps, "%s%s", snaps.len ? ", " : "",
				    p->vols[i]->name);
	if (snaps.len > 0) {
		err_setc(e, ERR_REFUSED, "volume '%s' has snapshots (%s); "
			 "delete them first", v->name, snaps.s);
		sbuf_free(&snaps);
		return -1;
	}
	sbuf_free(&snaps);
	if (lv_not_busy(v, e) < 0)
		return -1;
	spec = lvm_lv_spec(vg, v->name);
	const char *argv[] = { "lvremove", "-f", spec, NULL };
	rc = lvm_run(argv, NULL, e);
	free(spec);
	return rc;
}

int
logical_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
		 struct job *j, struct err *e)
{
	struct lvm_report r;
	const struct lvm_lv *lv;
	bool sparse;
	int rc;

	rc = lvm_report_load(p, &r, e);
	if (rc < 0)
		return -1;
	lv = rc == 0 ? lvm_report_find(&r, v->name) : NULL;
	sparse = lv != NULL && lv->origin[0] == '[';
	if (rc == 0 && lv == NULL) {
		lvm_report_free(&r);
		return err_setc(e, ERR_NOT_FOUND, "logical volume '%s/%s' no "
				"longer exists", p->def->source.name, v->name);
	}
	lvm_report_free(&r);
	/* writing fills a sparse LV's snapshot store until LVM drops it */
	if (sparse)
		return err_setc(e, ERR_UNSUPPORTED, "volume '%s' is sparse (a "
				"thin snapshot); wiping it is not supported",
				v->name);
	if (run_dry_run())
		return 0;
	if (lv_node(p, v, "wipe", e) < 0 || lv_not_busy(v, e) < 0)
		return -1;
	return wipe_path(v->target.path, alg, j, e);
}

int
logical_vol_resize(struct pool *p, const struct vol_def *v,
		   uint64_t capacity, unsigned flags, struct job *j,
		   struct err *e)
{
	const char *vg = lvm_vg_name(p, e);
	struct lvm_report r;
	const struct lvm_lv *lv;
	uint64_t ext, cur, want;
	bool snapshot;
	char *spec, *size;
	int rc;

	(void)j;
	if (vg == NULL)
		return -1;
	rc = lvm_report_load(p, &r, e);
	if (rc < 0)
		return -1;
	if (rc == 1) {
		/* dry-run: no report, the size as asked */
		ext = 1024;
		cur = v->allocation;
		snapshot = false;
	} else {
		lv = lvm_report_find(&r, v->name);
		if (lv == NULL) {
			lvm_report_free(&r);
			return err_setc(e, ERR_NOT_FOUND, "logical volume "
					"'%s/%s' no longer exists", vg,
					v->name);
		}
		ext = r.extent_size;
		cur = lv->size;
		snapshot = lv->origin[0] != '\0';
		lvm_report_free(&r);
	}
	if (snapshot)
		return err_setc(e, ERR_UNSUPPORTED, "volume '%s' is a "
				"snapshot; resizing snapshots is not "
				"supported", v->name);
	want = (capacity + ext - 1) / ext * ext;
	if (want == cur)
		return 0;   /* the same number of extents */
	if (want < cur) {
		if (!(flags & VOL_RESIZE_SHRINK) ||
		    !(flags & VOL_RESIZE_CONFIRMED))
			return err_setc(e, ERR_REFUSED, "shrinking volume '%s' "
					"from %llu to %llu bytes destroys the "
					"data past the new end; give --shrink "
					"and confirm", v->name,
					(unsigned long long)cur,
					(unsigned long long)want);
		if (lv_not_busy(v, e) < 0)
			return -1;
	}
	spec = lvm_lv_spec(vg, v->name);
	size = size_kib(want);
	const char *argv[] = {
		want < cur ? "lvreduce" : "lvextend", "--yes", "-L", size, spec,
		NULL,
	};
	rc = lvm_run(argv, NULL, e);
	free(spec);
	free(size);
	return rc;
}

int
logical_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		   uint64_t offset, uint64_t length, unsigned flags,
		   struct job *j, struct err *e)
{
	int out, rc;

	(void)flags;
	if (offset > v->capacity ||
	    (length > 0 && length > v->capacity - offset))
		return err_setc(e, ERR_INVALID, "the range goes past the end "
				"of volume '%s' (%llu bytes)", v->name,
				(unsigned long long)v->capacity);
	if (run_dry_run())
		return 0;
	if (lv_node(p, v, "upload into", e) < 0 || lv_not_busy(v, e) < 0)
		return -1;
	out = open(v->target.path, O_WRONLY | O_CLOEXEC);
	if (out < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	rc = copy_fd(fd, 0, out, offset,
		     length ? length : v->capacity - offset, COPY_TO_EOF, j,
		     NULL, e);
	if (rc == 0 && fsync(out) < 0)
		rc = err_errno(e, errno, "cannot sync '%s'", v->target.path);
	close(out);
	return rc;
}

int
logical_vol_download(struct pool *p, const struct vol_def *v, int fd,
		     uint64_t offset, uint64_t length, unsigned flags,
		     struct job *j, struct err *e)
{
	int in, rc;

	if (offset > v->capacity)
		return err_setc(e, ERR_INVALID, "offset %llu is past the end "
				"of volume '%s'", (unsigned long long)offset,
				v->name);
	if (run_dry_run())
		return 0;
	if (lv_node(p, v, "download", e) < 0)
		return -1;
	in = open(v->target.path, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	rc = copy_fd(in, offset, fd, 0, length,
		     (flags & VOL_DOWNLOAD_SPARSE) ? COPY_SPARSE : 0, j, NULL,
		     e);
	close(in);
	return rc;
}
