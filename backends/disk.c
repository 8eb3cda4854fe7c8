/* cistern — disk pools: a whole disk (or a disk image file) whose
 * volumes are its partitions, read and written with libparted in process.
 *
 * Volumes are named as the kernel names partition nodes (sda1, loop0p1,
 * nvme0n1p1; part_separator='yes' forces the 'p'). On an image file there
 * are no nodes: a volume is FILE plus its partition number, named
 * "disk.img-part1" (udev's suffix for partition links) with the path and
 * key "/abs/disk.img#part1" ('#': a place inside the file, not a file),
 * and cistern reads and writes it at its offset in the file.
 */
#include "disk.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/util.h"

/* The pool's source device (libvirt's disk pools have exactly one). */
static const char *
disk_dev(const struct pool *p, struct err *e)
{
	if (p->def->source.ndevices == 0 || p->def->source.devices[0].path == NULL)
		return err_setc(e, ERR_INVALID, "a disk pool needs a source "
				"device"), NULL;
	return p->def->source.devices[0].path;
}

/* Is the pool's source an image file rather than a block device? */
bool
disk_is_file(const struct pool *p)
{
	struct stat st;
	const char *dev = p->def->source.ndevices ?
			  p->def->source.devices[0].path : NULL;

	return dev != NULL && stat(dev, &st) == 0 && S_ISREG(st.st_mode);
}

/* The label format the pool asks for: libvirt builds and checks 'unknown'
 * as dos. */
static const char *
disk_format(const struct pool *p, struct err *e)
{
	const char *f = p->def->source.format;

	if (f == NULL || strcmp(f, "unknown") == 0)
		return "dos";
	if (strcmp(f, "lvm2") == 0)
		return err_setc(e, ERR_UNSUPPORTED, "the format lvm2 is an LVM "
				"physical volume, not a partition table: use a "
				"logical pool"), NULL;
	if (dparted_label_name(f) == NULL)
		return err_setc(e, ERR_UNSUPPORTED, "unknown partition table "
				"format '%s'", f), NULL;
	return f;
}

/* The loop devices attached to image file `file` (their /dev paths). */
static size_t
file_loops(const char *file, char ***out)
{
	char real[PATH_MAX], back[PATH_MAX + 16], path[300];
	char **v = NULL;
	size_t n = 0;
	DIR *d;
	struct dirent *de;

	*out = NULL;
	if (realpath(file, real) == NULL)
		return 0;
	d = opendir("/sys/block");
	while (d != NULL && (de = readdir(d)) != NULL) {
		FILE *f;
		size_t len;

		if (strncmp(de->d_name, "loop", 4) != 0)
			continue;
		snprintf(path, sizeof(path), "/sys/block/%.200s/loop/backing_file",
			 de->d_name);
		f = fopen(path, "r");
		if (f == NULL)
			continue;
		if (fgets(back, sizeof(back), f) != NULL) {
			len = strlen(back);
			while (len > 0 && back[len - 1] == '\n')
				back[--len] = '\0';
			if (strcmp(back, real) == 0) {
				snprintf(path, sizeof(path), "/dev/%.200s",
					 de->d_name);
				strv_push(&v, &n, path);
			}
		}
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	*out = v;
	return n;
}

/* Refuse a write while a partition of the disk is in use (see disk.h). */
int
disk_check_unused(const struct pool *p, struct err *e)
{
	const char *dev = disk_dev(p, e);
	char why[512];
	char **loops;
	size_t n;
	int rc = 0;

	if (dev == NULL)
		return -1;
	if (!disk_is_file(p)) {
		int r = probe_in_use(dev, why, sizeof(why), e);
		if (r < 0)
			return -1;
		if (r > 0)
			return err_setc(e, ERR_BUSY, "'%s' is in use: %s", dev,
					why);
		return 0;
	}
	n = file_loops(dev, &loops);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct err le;
		err_init(&le);
		if (probe_in_use(loops[i], why, sizeof(why), &le) > 0)
			rc = err_setc(e, ERR_BUSY, "image file '%s' is attached "
				      "to %s, which is in use: %s", dev,
				      loops[i], why);
		err_clear(&le);
	}
	strv_free(loops);
	return rc;
}

/* ---- names and paths of partitions ---- */

struct names {
	bool file;
	char *prefix;          /* "loop0p", "sda", "disk.img-part" */
	char *dir;             /* where the nodes are: "/dev", "/dev/mapper" */
	char *file_abs;        /* image files: the absolute path */
	char **links, **reals; /* links in the pool's target dir */
	size_t nlinks;
};

/* Links in `dir` to nodes in /dev, for libvirt's stable paths (a target
 * of /dev/disk/by-id names partitions by their links there). */
static void
names_scan_links(struct names *n, const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t nr = 0;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char real[PATH_MAX];
		char *link;

		if (de->d_name[0] == '.')
			continue;
		link = path_join(dir, de->d_name);
		if (realpath(link, real) != NULL && str_startswith(real, "/dev/")) {
			strv_push(&n->links, &n->nlinks, link);
			strv_push(&n->reals, &nr, real);
		}
		free(link);
	}
	if (d != NULL)
		closedir(d);
}

/* The kernel's partition node prefix of a disk (see disk.h). */
char *
disk_part_prefix(const char *disk, enum tristate part_separator)
{
	size_t n = strlen(disk);
	bool digit = n > 0 && isdigit((unsigned char)disk[n - 1]);

	return xasprintf("%s%s", disk,
			 part_separator == TRI_YES || digit ? "p" : "");
}

/* How this pool names and finds its partitions. */
static void
names_init(const struct pool *p, struct names *n)
{
	const struct pool_device *pd = &p->def->source.devices[0];
	char real[PATH_MAX];
	const char *base, *canon = pd->path;

	memset(n, 0, sizeof(*n));
	n->file = disk_is_file(p);
	if (n->file) {
		n->file_abs = xstrdup(realpath(pd->path, real) ? real : pd->path);
		base = strrchr(n->file_abs, '/');
		n->prefix = xasprintf("%s-part", base ? base + 1 : n->file_abs);
		return;
	}
	/* device-mapper names are kept (libvirt does not resolve them) */
	if (!str_startswith(pd->path, "/dev/mapper/") &&
	    realpath(pd->path, real) != NULL)
		canon = real;
	base = strrchr(canon, '/');
	n->dir = base && base != canon ? xstrndup(canon, (size_t)(base - canon)) :
		 xstrdup("/dev");
	n->prefix = disk_part_prefix(base ? base + 1 : canon,
				     pd->part_separator);
	if (p->def->target_path != NULL &&
	    !str_eq(p->def->target_path, n->dir) &&
	    !str_eq(p->def->target_path, "/dev"))
		names_scan_links(n, p->def->target_path);
}

/* Free what names_init made. */
static void
names_free(struct names *n)
{
	free(n->prefix);
	free(n->dir);
	free(n->file_abs);
	strv_free(n->links);
	strv_free(n->reals);
	memset(n, 0, sizeof(*n));
}

/* The volume name of partition `num`. */
static char *
names_vol(const struct names *n, int num)
{
	return xasprintf("%s%d", n->prefix, num);
}

/* The volume's path: the node (or its link in the target dir), or
 * FILE#partN for an image file. */
static char *
names_path(const struct names *n, int num)
{
	char *node, *name;

	if (n->file)
		return xasprintf("%s#part%d", n->file_abs, num);
	name = names_vol(n, num);
	node = path_join(n->dir, name);
	free(name);
	for (size_t i = 0; i < n->nlinks; i++)
		if (strcmp(n->reals[i], node) == 0) {
			free(node);
			return xstrdup(n->links[i]);
		}
	return node;
}

/* ---- volumes from a layout ---- */

#define PARTIAL_NOTE "interrupted cistern leftover: a clone into it did " \
		     "not finish; its data is incomplete"

/* Fill `v` (its old run-time fields replaced) from partition `dp`. */
static void
vol_fill(struct vol_def *v, const struct pool *p, const struct names *n,
	 const struct dpart *dp)
{
	struct stat st;

	v->type = VOL_BLOCK;
	free(v->target.path);
	v->target.path = names_path(n, dp->num);
	free(v->key);
	v->key = xstrdup(v->target.path);
	free(v->target.format);
	v->target.format = xstrdup(dp->format);
	v->capacity = v->allocation = dp->end - dp->start;
	v->has_capacity = true;
	if (dp->kind == SEG_EXTENDED)
		v->allocation = 0;   /* libvirt: the logical ones add to it */
	for (size_t i = 0; i < v->nextents; i++)
		free(v->extents[i].device);
	free(v->extents);
	v->extents = xcalloc(1, sizeof(*v->extents));
	v->extents[0] = (struct vol_extent){
		.device = xstrdup(p->def->source.devices[0].path),
		.start = dp->start, .end = dp->end,
	};
	v->nextents = 1;
	v->part_num = dp->num;
	free(v->note);
	v->note = NULL;
	if (n->file)
		v->note = xasprintf("partition %d inside image file %s (no "
				    "device node)", dp->num, n->file_abs);
	else if (dp->kind == SEG_EXTENDED)
		v->note = xstrdup("extended partition: holds the logical ones");
	/* as libvirt: the device's size, and its node's times */
	v->physical = dp->end - dp->start;
	free(v->target.timestamps);
	v->target.timestamps = NULL;
	if (!n->file && stat(v->target.path, &st) == 0) {
		v->target.perms.mode = st.st_mode & 07777;
		v->target.perms.uid = st.st_uid;
		v->target.perms.gid = st.st_gid;
		v->target.timestamps = xcalloc(1, sizeof(*v->target.timestamps));
		v->target.timestamps->atime = st.st_atim;
		v->target.timestamps->mtime = st.st_mtim;
		v->target.timestamps->ctime = st.st_ctim;
	}
}

/* Record a free extent in the pool's XML (libvirt's <freeExtent>). */
static void
free_add(struct pool_device *pd, uint64_t start, uint64_t end)
{
	pd->free = xreallocarray(pd->free, pd->nfree + 1, sizeof(*pd->free));
	pd->free[pd->nfree++] = (struct extent){ .start = start, .end = end };
}

/* Volumes, free extents, the map and the sizes, as libvirt computes them:
 * capacity is the end of the last partition or free extent, allocation
 * the sum of the partitions but the extended one, available the sum of
 * the free extents. */
static void
disk_load(struct pool *p, const struct dlayout *l)
{
	struct pool_device *pd = &p->def->source.devices[0];
	struct vol_def *ext = NULL;
	struct dev_map *m;
	struct names n;
	struct sbuf left;

	sbuf_init(&left);
	names_init(p, &n);
	p->def->capacity = p->def->allocation = p->def->available = 0;
	m = pool_add_map(p, pd->path, l->size, l->label);
	for (size_t i = 0; i < l->nparts; i++) {
		const struct dpart *dp = &l->parts[i];
		char *name = NULL;

		if (dp->kind == SEG_FREE) {
			free_add(pd, dp->start, dp->end);
			p->def->available += dp->end - dp->start;
		} else if (dp->kind != SEG_METADATA) {
			struct vol_def *v = vol_def_new();
			v->name = names_vol(&n, dp->num);
			vol_fill(v, p, &n, dp);
			if (dp->partial) {
				free(v->note);
				v->note = xstrdup(PARTIAL_NOTE);
				sbuf_printf(&left, "%s%s", left.len ? ", " : "",
					    v->name);
			}
			if (dp->kind == SEG_EXTENDED)
				ext = v;
			else
				p->def->allocation += v->allocation;
			if (dp->kind == SEG_LOGICAL && ext != NULL)
				ext->allocation += v->allocation;
			name = v->name;
			pool_add_vol(p, v);
		}
		if (dp->kind != SEG_METADATA && dp->end > p->def->capacity)
			p->def->capacity = dp->end;
		map_add_seg(m, dp->kind, dp->start, dp->end, name, dp->depth);
		/* a gap no aligned partition fits in is no place for one */
		if (dp->kind == SEG_FREE && !dplan_usable(l, dp))
			m->segs[m->nsegs - 1].too_small = true;
	}
	names_free(&n);
	/* a partition stays a partition (it holds its place on the disk);
	 * what it holds is said */
	pool_set_fact(p, "leftovers", left.len ? left.s : NULL);
	if (left.len > 0 && p->owner != NULL && p->owner->warn != NULL) {
		char *m2 = xasprintf("pool '%s': partitions an interrupted "
				     "cistern was copying into (named %s; "
				     "their data is incomplete): %s",
				     p->def->name, DPARTED_PARTIAL, left.s);
		p->owner->warn(p->owner->warn_arg, m2);
		free(m2);
	}
	sbuf_free(&left);
}

/* ---- the pool ---- */

/* Is a running pool's disk still there? */
static int
disk_check(struct pool *p, bool *running, struct err *e)
{
	const char *dev = disk_dev(p, e);

	*running = dev != NULL && access(dev, F_OK) == 0;
	if (dev != NULL && !*running)
		err_setc(e, ERR_NOT_FOUND, "device '%s' is missing", dev);
	return dev == NULL ? -1 : 0;
}

/* libvirt's error for a source device that is not there. */
static int
dev_exists(const char *dev, struct err *e)
{
	if (access(dev, F_OK) < 0)
		return err_setc(e, ERR_NOT_FOUND, "device path '%s' doesn't "
				"exist", dev);
	return 0;
}

/* Write a new label; without --overwrite only on a disk holding nothing. */
static int
disk_build(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const char *dev = disk_dev(p, e);
	const char *format = disk_format(p, e);
	char label[16], other[32];

	if (dev == NULL || format == NULL || dev_exists(dev, e) < 0 ||
	    disk_check_unused(p, e) < 0)
		return -1;
	if (flags & POOL_BUILD_OVERWRITE) {
		job_phase(j, "clearing old signatures");
		if (probe_wipe_signatures(dev, e) < 0)
			return -1;
	} else {
		struct probe_info pi;
		if (probe_signatures(dev, &pi, e) < 0)
			return -1;
		if (pi.found)
			return err_setc(e, ERR_REFUSED, "'%s' holds %s (found by "
					"libblkid); build with --overwrite to "
					"destroy it", dev, pi.what);
		if (dparted_probe(dev, label, sizeof(label), other,
				  sizeof(other), e) < 0)
			return -1;
		if (label[0] || other[0])
			return err_setc(e, ERR_REFUSED, "'%s' holds a %s %s "
					"(found by libparted); build with "
					"--overwrite to destroy it", dev,
					label[0] ? label : other,
					label[0] ? "partition table" : "label");
	}
	job_phase(j, "writing a %s label", format);
	return dparted_mklabel(dev, format, e);
}

/* Check the disk carries a label of the pool's format. */
static int
disk_start(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const char *dev = disk_dev(p, e);
	const char *format = disk_format(p, e);
	char label[16], other[32];

	(void)flags;
	(void)j;
	if (dev == NULL || format == NULL || dev_exists(dev, e) < 0)
		return -1;
	if (dparted_probe(dev, label, sizeof(label), other, sizeof(other),
			  e) < 0)
		return -1;
	if (label[0] == '\0' && other[0] != '\0')
		return err_setc(e, ERR_STATE, "'%s' holds a filesystem, not a "
				"partition table (requires build --overwrite)",
				dev);
	if (label[0] == '\0')
		return err_setc(e, ERR_STATE, "no partition table on '%s' "
				"(requires build)", dev);
	if (strcmp(label, format) != 0)
		return err_setc(e, ERR_STATE, "'%s' has a %s partition table, "
				"but the pool's format is %s%s", dev, label,
				format, p->def->source.format &&
				strcmp(p->def->source.format, "unknown") == 0 ?
				" ('unknown' means dos, as in libvirt)" : "");
	return 0;
}

/* Destroy the label (confirmed only), its partitions and old signatures. */
static int
disk_delete(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const char *dev = disk_dev(p, e);
	char label[16], other[32];

	(void)j;
	if (dev == NULL)
		return -1;
	if (!(flags & POOL_DELETE_CONFIRMED))
		return err_setc(e, ERR_REFUSED, "deleting the pool destroys the "
				"partition table of '%s' and every partition on "
				"it: confirm it (pool-delete --overwrite)", dev);
	if (dev_exists(dev, e) < 0 || disk_check_unused(p, e) < 0)
		return -1;
	if (dparted_probe(dev, label, sizeof(label), other, sizeof(other),
			  e) < 0)
		return -1;
	/* through libparted first, so the kernel drops the partitions */
	if (label[0] && dparted_remove_all(dev, e) < 0)
		return -1;
	if (probe_wipe_signatures(dev, e) < 0)
		return -1;
	/* what a label keeps of itself (mac's map) has no label left */
	return dkernel_forget(dev, e);
}

/* Read the label: volumes, free extents, the map and the sizes. */
static int
disk_refresh(struct pool *p, struct job *j, struct err *e)
{
	const char *dev = disk_dev(p, e);
	struct dlayout l;

	(void)j;
	if (dev == NULL || dev_exists(dev, e) < 0)
		return -1;
	if (dparted_read(dev, &l, e) < 0)
		return -1;
	disk_load(p, &l);
	dlayout_clear(&l);
	return 0;
}

/* ---- volumes ---- */

struct name_check {
	struct names *n;
	const char *want;
};

/* libvirt's rule: the volume's name is the partition's node name. */
static int
check_name(int num, void *arg, struct err *e)
{
	struct name_check *nc = arg;
	char *name = names_vol(nc->n, num);
	int rc = 0;

	if (strcmp(name, nc->want) != 0)
		rc = err_setc(e, ERR_INVALID, "disk pool volumes are named as "
			      "their partitions: the new partition will be "
			      "'%s'; create the volume with that name", name);
	free(name);
	return rc;
}

/* Does the volume XML's placement request apply to this pool? libvirt
 * ignores a volume's <source>; cistern honours an extent on the pool's
 * own device (or with no device named). */
static bool
want_start_here(const struct pool *p, const struct vol_def *v)
{
	char a[PATH_MAX], b[PATH_MAX];
	const char *dev = p->def->source.devices[0].path;

	if (!v->has_want_start)
		return false;
	if (v->want_device == NULL || str_eq(v->want_device, dev))
		return true;
	return realpath(v->want_device, a) != NULL &&
	       realpath(dev, b) != NULL && strcmp(a, b) == 0;
}

/* Read the label and plan where `v` goes (the layout is left in `l`,
 * to be cleared by the caller also on failure). */
static int
plan_part(struct pool *p, const struct vol_def *v, struct dlayout *l,
	  struct dplan_req *rq, struct dplan *pl, struct err *e)
{
	const char *dev = disk_dev(p, e);

	memset(l, 0, sizeof(*l));
	if (dev == NULL)
		return -1;
	if (v->target.encryption != NULL)
		return err_setc(e, ERR_UNSUPPORTED, "disk pools do not support "
				"encrypted volumes");
	if (v->capacity == 0)
		return err_setc(e, ERR_INVALID, "a partition needs a capacity");
	if (dparted_read(dev, l, e) < 0)
		return -1;
	memset(rq, 0, sizeof(*rq));
	rq->size = v->capacity;
	rq->format = v->target.format ? v->target.format : "none";
	rq->has_start = want_start_here(p, v);
	rq->start = v->want_start;
	if (dparted_format_ok(l->label, rq->format, e) < 0 ||
	    dplan_make(l, rq, dev, pl, e) < 0)
		return -1;
	return 0;
}

/* Make the partition for `v`, and fill `v` with what was made; `partial`
 * names it as a clone in progress (DPARTED_PARTIAL). */
static int
disk_make_part(struct pool *p, struct vol_def *v, bool partial,
	       struct err *e)
{
	const char *dev = disk_dev(p, e);
	struct dplan_req rq;
	struct dplan pl;
	struct dlayout l;
	struct names n;
	struct name_check nc;
	struct dpart made;
	int rc = -1;

	if (dev == NULL || disk_check_unused(p, e) < 0)
		return -1;
	names_init(p, &n);
	nc = (struct name_check){ .n = &n, .want = v->name };
	if (plan_part(p, v, &l, &rq, &pl, e) < 0)
		goto out;
	pl.partial = partial;
	memset(&made, 0, sizeof(made));
	made.kind = pl.kind;
	/* the table's string: v's own is replaced by vol_fill */
	made.format = dformat_rule(l.label, rq.format)->format;
	if (dparted_add(dev, &pl, rq.format, check_name, &nc, &made.num,
			&made.start, &made.end, e) < 0)
		goto out;
	if (!run_dry_run()) {
		/* read it back: the format as the label holds it */
		struct dlayout after;
		const struct dpart *dp;
		if (dparted_read(dev, &after, e) < 0)
			goto out;
		dp = dlayout_find(&after, made.num);
		if (dp != NULL)
			made = *dp;
		vol_fill(v, p, &n, &made);
		dlayout_clear(&after);
	} else {
		vol_fill(v, p, &n, &made);
	}
	rc = 0;
out:
	names_free(&n);
	dlayout_clear(&l);
	return rc;
}

/* dparted_add's check, for a plan: note the number libparted gives the
 * partition and stop before anything is written. */
static int
plan_stop(int num, void *arg, struct err *e)
{
	*(int *)arg = num;
	return err_setc(e, ERR_CANCELLED, "only planned");
}

/* Where a new partition would go, its aligned size and the name it will
 * have; nothing is written. */
static int
disk_vol_plan(struct pool *p, const struct vol_def *v, struct vol_plan *out,
	      struct err *e)
{
	const char *dev = disk_dev(p, e);
	struct dplan_req rq;
	struct dplan pl;
	struct dlayout l;
	struct names n;
	struct err ae;
	uint64_t s, en;
	int num = 0, got = 0, rc = -1;

	if (dev == NULL)
		return -1;
	if (plan_part(p, v, &l, &rq, &pl, e) < 0)
		goto out;
	err_init(&ae);
	dparted_add(dev, &pl, rq.format, plan_stop, &num, &got, &s, &en, &ae);
	if (num <= 0) {
		err_move(e, &ae);
		goto out;
	}
	err_clear(&ae);
	names_init(p, &n);
	out->name = names_vol(&n, num);
	names_free(&n);
	out->start = pl.start;
	out->end = pl.end;
	out->capacity = pl.end - pl.start;
	out->extent_start = pl.extent_start;
	if (pl.new_extended)
		out->note = xasprintf("a logical partition in a new extended "
				      "partition (%s has one primary slot "
				      "left)", l.label);
	else if (pl.kind == SEG_LOGICAL)
		out->note = xstrdup("a logical partition in the extended one");
	else if (pl.kind == SEG_EXTENDED)
		out->note = xstrdup("an extended partition (it holds logical "
				    "ones)");
	rc = 0;
out:
	dlayout_clear(&l);
	return rc;
}

/* Make a partition for a new volume. */
static int
disk_vol_create(struct pool *p, struct vol_def *v, unsigned flags,
		struct job *j, struct err *e)
{
	(void)flags;
	(void)j;
	return disk_make_part(p, v, false, e);
}

/* Remove a volume's partition from the label. */
static int
disk_vol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
		struct err *e)
{
	const char *dev = disk_dev(p, e);

	(void)flags;
	if (dev == NULL)
		return -1;
	if (v->part_num <= 0 || v->nextents == 0)
		return err_setc(e, ERR_STATE, "volume '%s' has no partition "
				"number; refresh the pool", v->name);
	if (disk_check_unused(p, e) < 0)
		return -1;
	return dparted_delete(dev, v->part_num, v->extents[0].start, e);
}

/* Make a partition and copy (or convert) another volume into it. */
static int
disk_vol_create_from(struct pool *p, struct vol_def *v,
		     struct pool *src_pool, const struct vol_def *src,
		     unsigned flags, struct job *j, struct err *e)
{
	const char *dev = disk_dev(p, e);
	struct err de;

	if (flags & VOL_CREATE_REFLINK)
		return err_setc(e, ERR_UNSUPPORTED, "partitions cannot share "
				"extents (--reflink)");
	if (dev == NULL)
		return -1;
	if (v->capacity < src->capacity)
		return err_setc(e, ERR_INVALID, "the new partition (%" PRIu64
				" bytes) would be smaller than volume '%s' (%"
				PRIu64 " bytes)", v->capacity, src->name,
				src->capacity);
	if (disk_make_part(p, v, true, e) < 0)
		return -1;
	if (run_dry_run())
		return 0;
	if (disk_vol_fill(p, v, src_pool, src, j, e) == 0 &&
	    dparted_unmark(dev, v->part_num, v->extents[0].start, e) == 0) {
		free(v->note);
		v->note = NULL;
		return 0;
	}
	/* nothing half-made: the new partition goes again */
	err_init(&de);
	if (dparted_delete(dev, v->part_num, v->extents[0].start, &de) < 0) {
		char *msg = xasprintf("%s; the new partition %d could not be "
				      "removed: %s", e->msg, v->part_num, de.msg);
		err_setc(e, e->code, "%s", msg);
		free(msg);
	}
	err_clear(&de);
	return -1;
}

const struct backend disk_backend = {
	.type = POOL_DISK,
	.flags = BACKEND_VOL_CREATE | BACKEND_SHOWS_MAP |
		 BACKEND_BUILD_DESTRUCTIVE | BACKEND_VOL_REFRESH |
		 BACKEND_DELETE_UNDOES_BUILD,
	.says_build = "write a new {format} label on {devices}",
	.says_destroy = "write a new {format} label on {devices}",
	.says_start = "check the label and list the partitions",
	.check = disk_check,
	.build = disk_build,
	.start = disk_start,
	.delete = disk_delete,
	.refresh = disk_refresh,
	.vol_create = disk_vol_create,
	.vol_create_from = disk_vol_create_from,
	.vol_delete = disk_vol_delete,
	.vol_wipe = disk_vol_wipe,
	.vol_upload = disk_vol_upload,
	.vol_download = disk_vol_download,
	.vol_plan = disk_vol_plan,
};
