/* cistern — disk pools: writing labels with libparted (a new label,
 * a partition added, unmarked or deleted), in sessions opened by
 * disk_parted.c (disk_sess.h). Every write commits the whole label, then
 * tells the kernel (disk_kernel.c); in a dry run nothing is committed.
 */
#include "disk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/run.h"
#include "../core/util.h"
#include "disk_sess.h"

/* The partitions the label has, as the kernel should have them. */
static size_t
label_parts(PedDisk *disk, struct kpart **out)
{
	uint64_t per = (uint64_t)disk->dev->sector_size / 512;
	struct kpart *kp = NULL;
	size_t n = 0;

	for (PedPartition *p = parted.ped_disk_next_partition(disk, NULL);
	     p != NULL; p = parted.ped_disk_next_partition(disk, p)) {
		if (p->num <= 0 || !parted.ped_partition_is_active(p))
			continue;
		kp = xreallocarray(kp, n + 1, sizeof(*kp));
		kp[n++] = (struct kpart){
			.num = p->num,
			.start = (uint64_t)p->geom.start * per,
			.size = (uint64_t)p->geom.length * per,
			.extended = (p->type & PED_PARTITION_EXTENDED) != 0,
		};
	}
	*out = kp;
	return n;
}

/* Write the label and tell the kernel. */
static int
sess_commit(struct dsess *s, const char *path, struct err *e)
{
	if (run_dry_run())
		return 0;
	dsess_begin();
	if (!parted.ped_disk_commit_to_dev(s->disk))
		return dsess_fail(e, "write the partition table of", path);
	/* a kernel that cannot be told is handled by dkernel_sync */
	parted.ped_disk_commit_to_os(s->disk);
	{
		struct kpart *want;
		size_t n = label_parts(s->disk, &want);
		int rc = dkernel_sync(path, want, n, e);
		free(want);
		return rc;
	}
}

/* Commit and end the session. */
static int
commit_close(struct dsess *s, const char *path, struct err *e)
{
	int rc = sess_commit(s, path, e);

	dsess_close(s);
	return rc;
}

/* Write a new empty label. */
int
dparted_mklabel(const char *path, const char *format, struct err *e)
{
	const char *name = dparted_label_name(format);
	PedDiskType *t;
	struct dsess s;

	if (parted_load(e) < 0)
		return -1;
	t = name ? parted.ped_disk_type_get(name) : NULL;
	if (t == NULL)
		return err_setc(e, ERR_UNSUPPORTED, "libparted here cannot "
				"write %s labels", format);
	if (dsess_open(&s, path, false, e) < 0)
		return -1;
	s.disk = parted.ped_disk_new_fresh(s.dev, t);
	if (s.disk == NULL) {
		dsess_fail(e, "make a new label on", path);
		dsess_close(&s);
		return -1;
	}
	return commit_close(&s, path, e);
}

/* Remove every partition, leaving an empty label. */
int
dparted_remove_all(const char *path, struct err *e)
{
	struct dsess s;
	PedDisk *fresh;

	if (dsess_open(&s, path, true, e) < 0)
		return -1;
	/* a new label of the same type: what a label needs of itself (the
	 * mac partition map) stays, every partition goes */
	fresh = parted.ped_disk_new_fresh(s.dev, s.disk->type);
	if (fresh == NULL) {
		dsess_fail(e, "remove the partitions of", path);
		dsess_close(&s);
		return -1;
	}
	parted.ped_disk_destroy(s.disk);
	s.disk = fresh;
	return commit_close(&s, path, e);
}

/* Add one partition with exactly this geometry (bytes, end exclusive). */
static PedPartition *
add_exact(PedDisk *disk, PedPartitionType type, const char *hint,
	  uint64_t start, uint64_t end)
{
	uint64_t sec = (uint64_t)disk->dev->sector_size;
	const PedFileSystemType *fs = dparted_hint(hint);
	PedPartition *p;
	PedConstraint *c;

	p = parted.ped_partition_new(disk, type, fs, (PedSector)(start / sec),
			      (PedSector)(end / sec - 1));
	if (p == NULL)
		return NULL;
	c = parted.ped_constraint_exact(&p->geom);
	if (c == NULL || !parted.ped_disk_add_partition(disk, p, c)) {
		if (c != NULL)
			parted.ped_constraint_destroy(c);
		parted.ped_partition_destroy(p);
		return NULL;
	}
	parted.ped_constraint_destroy(c);
	return p;
}

/* Add the planned partition, check its number, commit. */
int
dparted_add(const char *path, const struct dplan *pl, const char *format,
	    dparted_check_fn check, void *arg, int *num, uint64_t *start,
	    uint64_t *end, struct err *e)
{
	const struct fmt_rule *r;
	struct dsess s;
	PedPartition *p;
	PedPartitionType type;
	uint64_t sec;
	const char *ours;
	char label[8];

	if (dsess_open(&s, path, true, e) < 0)
		return -1;
	ours = dparted_label_ours(s.disk->type->name);
	snprintf(label, sizeof(label), "%s", ours ? ours : s.disk->type->name);
	if (dparted_format_ok(label, format, e) < 0)
		goto fail;
	r = dformat_rule(label, format);
	if (pl->new_extended &&
	    add_exact(s.disk, PED_PARTITION_EXTENDED, NULL, pl->ext_start,
		      pl->ext_end) == NULL) {
		dsess_fail(e, "add an extended partition to", path);
		goto fail;
	}
	type = pl->kind == SEG_LOGICAL ? PED_PARTITION_LOGICAL :
	       pl->kind == SEG_EXTENDED ? PED_PARTITION_EXTENDED :
	       PED_PARTITION_NORMAL;
	p = add_exact(s.disk, type, r->hint, pl->start, pl->end);
	if (p == NULL) {
		dsess_fail(e, "add a partition to", path);
		goto fail;
	}
	if (r->flag != 0 &&
	    (!parted.ped_partition_is_flag_available(p, r->flag) ||
	     !parted.ped_partition_set_flag(p, r->flag, 1))) {
		dsess_fail(e, "set the partition type on", path);
		goto fail;
	}
	/* in the same commit as the partition: never an unmarked moment */
	if (pl->partial && dparted_has_names(s.disk) &&
	    !parted.ped_partition_set_name(p, DPARTED_PARTIAL)) {
		dsess_fail(e, "name a partition of", path);
		goto fail;
	}
	/* without names: the marker block at its end, written before the
	 * commit (free space until then); a plain partition clears one an
	 * interrupted attempt may have left there */
	if (!dparted_has_names(s.disk) &&
	    dparted_partial_set(path, ((uint64_t)p->geom.end + 1) *
				(uint64_t)s.dev->sector_size, pl->partial,
				e) < 0)
		goto fail;
	if (check != NULL && check(p->num, arg, e) != 0)
		goto fail;
	sec = (uint64_t)s.dev->sector_size;
	*num = p->num;
	*start = (uint64_t)p->geom.start * sec;
	*end = ((uint64_t)p->geom.end + 1) * sec;
	return commit_close(&s, path, e);
fail:
	dsess_close(&s);
	return -1;
}

/* Open the label for a change to partition `num`, which must still start
 * at `start` (else, an error saying it has changed `since`). */
static PedPartition *
part_open(struct dsess *s, const char *path, int num, uint64_t start,
	  const char *since, struct err *e)
{
	PedPartition *p;

	if (dsess_open(s, path, true, e) < 0)
		return NULL;
	p = parted.ped_disk_get_partition(s->disk, num);
	if (p == NULL ||
	    (uint64_t)p->geom.start * (uint64_t)s->dev->sector_size != start) {
		err_setc(e, ERR_STATE, "partition %d of '%s' has changed %s",
			 num, path, since);
		dsess_close(s);
		return NULL;
	}
	return p;
}

int
dparted_unmark(const char *path, int num, uint64_t start, struct err *e)
{
	struct dsess s;
	PedPartition *p;

	p = part_open(&s, path, num, start, "while data was copied into it",
		      e);
	if (p == NULL)
		return -1;
	if (!dparted_has_names(s.disk)) {
		uint64_t end = ((uint64_t)p->geom.end + 1) *
			       (uint64_t)s.dev->sector_size;
		dsess_close(&s);
		return dparted_partial_set(path, end, false, e);
	}
	if (!parted.ped_partition_set_name(p, "")) {
		dsess_fail(e, "name a partition of", path);
		dsess_close(&s);
		return -1;
	}
	return commit_close(&s, path, e);
}

/* Delete a partition that is where the pool saw it. */
int
dparted_delete(const char *path, int num, uint64_t start, struct err *e)
{
	struct dsess s;
	PedPartition *p;
	struct sbuf b;

	p = part_open(&s, path, num, start, "since the pool was refreshed; "
		      "refresh it and try again", e);
	if (p == NULL)
		return -1;
	sbuf_init(&b);
	if (p->type & PED_PARTITION_EXTENDED)
		for (PedPartition *q = p->part_list; q != NULL; q = q->next)
			if (q->num > 0)
				sbuf_printf(&b, "%s%d", b.len ? ", " : "",
					    q->num);
	if (b.len > 0) {
		err_setc(e, ERR_REFUSED, "the extended partition %d still "
			 "holds logical partitions (%s); delete them first",
			 num, b.s);
		sbuf_free(&b);
		dsess_close(&s);
		return -1;
	}
	sbuf_free(&b);
	if (!parted.ped_disk_delete_partition(s.disk, p)) {
		dsess_fail(e, "delete a partition of", path);
		dsess_close(&s);
		return -1;
	}
	return commit_close(&s, path, e);
}
