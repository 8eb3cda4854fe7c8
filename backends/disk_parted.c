/* cistern — disk pools: reading and writing labels with libparted.
 *
 * libparted reads and writes the labels in process (disk_format.c maps
 * volume formats to partition types). libparted's questions (exceptions) are
 * answered here, never on the terminal: warnings are ignored where
 * libparted allows it (the kernel not re-reading a table, a gpt not
 * using the whole disk), everything else cancels, and the last message
 * becomes the error. libparted keeps global state, so these calls are not
 * for concurrent threads.
 */
#include "disk.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/util.h"
#include "parted_api.h"

static char ped_msg[512];
static bool ped_msg_is_error;

/* Answer libparted's questions without a terminal (see the top). */
static PedExceptionOption
dparted_exception(PedException *ex)
{
	bool error = ex->type >= PED_EXCEPTION_ERROR;

	if (error || !ped_msg_is_error) {
		snprintf(ped_msg, sizeof(ped_msg), "%s",
			 ex->message ? ex->message : "libparted failed");
		ped_msg_is_error = error;
	}
	if (!error) {
		if (ex->options & PED_EXCEPTION_IGNORE)
			return PED_EXCEPTION_IGNORE;
		if (ex->options & PED_EXCEPTION_OK)
			return PED_EXCEPTION_OK;
		if (ex->options & PED_EXCEPTION_NO)
			return PED_EXCEPTION_NO;
	}
	if (ex->options & PED_EXCEPTION_CANCEL)
		return PED_EXCEPTION_CANCEL;
	if (ex->options & PED_EXCEPTION_NO)
		return PED_EXCEPTION_NO;
	return PED_EXCEPTION_UNHANDLED;
}

/* The filesystem types cistern hands libparted as type hints. */
static const char *const hint_names[] = {
	"ext2", "fat16", "fat32", "linux-swap",
};
static const PedFileSystemType *hint_types[ARRAY_SIZE(hint_names)];

/* The libparted filesystem type used as type hint `name`. */
const void *
dparted_hint(const char *name)
{
	for (size_t i = 0; name != NULL && i < ARRAY_SIZE(hint_names); i++)
		if (strcmp(hint_names[i], name) == 0)
			return hint_types[i];
	return NULL;
}

/* libparted's filesystem types while a session has them unregistered. */
static PedFileSystemType *fs_saved[64];
static size_t fs_nsaved;

/* Install the handler and forget the last message, and for the length of
 * a session unregister libparted's filesystem types: cistern takes
 * partition types from the label (libblkid), never filesystems from
 * partition contents, and without them libparted's read of a label no
 * longer probes every partition's content for every filesystem it knows
 * (most of the time of a refresh with many partitions). The hints are
 * kept aside; ped_end puts everything back (libparted checks at exit). */
static void
ped_begin(void)
{
	static bool hints;
	PedFileSystemType *t;

	parted.ped_exception_set_handler(dparted_exception);
	ped_msg[0] = '\0';
	ped_msg_is_error = false;
	if (!hints) {
		for (size_t i = 0; i < ARRAY_SIZE(hint_names); i++)
			hint_types[i] = parted.ped_file_system_type_get(hint_names[i]);
		hints = true;
	}
	if (fs_nsaved > 0)
		return;
	while (fs_nsaved < ARRAY_SIZE(fs_saved) &&
	       (t = parted.ped_file_system_type_get_next(NULL)) != NULL) {
		parted.ped_file_system_type_unregister(t);
		fs_saved[fs_nsaved++] = t;
	}
}

/* Register the filesystem types again, in their order. */
static void
ped_end(void)
{
	while (fs_nsaved > 0)
		parted.ped_file_system_type_register(fs_saved[--fs_nsaved]);
}

/* Fail with `what` and libparted's last message. */
static int
ped_fail(struct err *e, const char *what, const char *path)
{
	char msg[sizeof(ped_msg)];
	size_t n;

	snprintf(msg, sizeof(msg), "%s", ped_msg[0] ? ped_msg : "unknown error");
	n = strlen(msg);
	while (n > 0 && (msg[n - 1] == '\n' || msg[n - 1] == ' ' ||
			 msg[n - 1] == '.'))
		msg[--n] = '\0';
	return err_setc(e, ERR_GENERIC, "libparted cannot %s '%s': %s", what,
			path, msg);
}

static const struct {
	const char *ours, *parted;
} label_names[] = {
	{ "dos", "msdos" }, { "gpt", "gpt" }, { "mac", "mac" },
	{ "bsd", "bsd" }, { "pc98", "pc98" }, { "sun", "sun" },
	{ "dvh", "dvh" },
};

/* libparted's name of a label format (dos is msdos). */
const char *
dparted_label_name(const char *format)
{
	for (size_t i = 0; i < ARRAY_SIZE(label_names); i++)
		if (str_eq(label_names[i].ours, format))
			return label_names[i].parted;
	return NULL;
}

/* cistern's name of a libparted label type, or NULL. */
static const char *
label_ours(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(label_names); i++)
		if (str_eq(label_names[i].parted, name))
			return label_names[i].ours;
	return NULL;
}

/* ---- opening ---- */

struct dsess {
	PedDevice *dev;
	PedDisk *disk;
	bool opened;
	bool cached;            /* dev belongs to the read cache */
};

/* The last device read, kept open: libparted flushes a block device and
 * every partition node of it (an fsync and a scan of the mount tables
 * each) whenever it opens it read-write, which is most of a refresh of
 * a disk with many partitions. A refresh of the same device reuses the
 * open device (the label is read again every time); anything else, and
 * every write, closes it first. */
static struct {
	PedDevice *dev;
	char *path;
	dev_t rdev;
	ino_t ino;
	uint64_t size;
} cache;

/* Close the cached device. */
static void
cache_drop(void)
{
	if (cache.dev != NULL) {
		parted.ped_device_close(cache.dev);
		parted.ped_device_destroy(cache.dev);
	}
	free(cache.path);
	memset(&cache, 0, sizeof(cache));
}

/* Identity and size of `path`, to know the cached device is still it. */
static bool
dev_ident(const char *path, dev_t *rdev, ino_t *ino, uint64_t *size)
{
	struct stat st;
	struct err e;
	bool ok;

	if (stat(path, &st) < 0)
		return false;
	*rdev = st.st_rdev;
	*ino = st.st_ino;
	err_init(&e);
	ok = probe_size(path, size, &e) == 0;
	err_clear(&e);
	return ok;
}

/* End a session (a cached device stays open). */
static void
sess_close(struct dsess *s)
{
	if (s->disk != NULL)
		parted.ped_disk_destroy(s->disk);
	if (!s->cached) {
		if (s->opened)
			parted.ped_device_close(s->dev);
		/* drop libparted's device: the next call sees a new size */
		if (s->dev != NULL)
			parted.ped_device_destroy(s->dev);
	}
	memset(s, 0, sizeof(*s));
	ped_end();
}

/* Read the label of an open device. */
static int
sess_label(struct dsess *s, const char *path, struct err *e)
{
	PedDiskType *t = parted.ped_disk_probe(s->dev);

	if (t == NULL || strcmp(t->name, "loop") == 0) {
		err_setc(e, ERR_NOT_FOUND, "no partition table on '%s' "
			 "(requires build)", path);
		sess_close(s);
		return -1;
	}
	s->disk = parted.ped_disk_new(s->dev);
	if (s->disk == NULL) {
		ped_fail(e, "read the partition table of", path);
		sess_close(s);
		return -1;
	}
	/* as parted with its default optimal alignment: no dos metadata for
	 * a partial last cylinder, so the free space agrees with parted's */
	if (parted.ped_disk_is_flag_available(s->disk, PED_DISK_CYLINDER_ALIGNMENT))
		parted.ped_disk_set_flag(s->disk, PED_DISK_CYLINDER_ALIGNMENT, 0);
	return 0;
}

/* Open the device; with `label`, read its partition table too. Every
 * session but a cached read closes the cached device first (libparted
 * keeps one object per path). */
static int
sess_open(struct dsess *s, const char *path, bool label, struct err *e)
{
	memset(s, 0, sizeof(*s));
	if (parted_load(e) < 0)
		return -1;
	cache_drop();
	ped_begin();
	s->dev = parted.ped_device_get(path);
	if (s->dev == NULL) {
		ped_fail(e, "open", path);
		sess_close(s);
		return -1;
	}
	if (!parted.ped_device_open(s->dev)) {
		ped_fail(e, "open", path);
		sess_close(s);
		return -1;
	}
	s->opened = true;
	return label ? sess_label(s, path, e) : 0;
}

/* A read session through the cache (see above). */
static int
sess_open_read(struct dsess *s, const char *path, struct err *e)
{
	static bool at_exit;
	dev_t rdev;
	ino_t ino;
	uint64_t size;

	if (!dev_ident(path, &rdev, &ino, &size))
		return sess_open(s, path, true, e);
	if (cache.dev != NULL && strcmp(cache.path, path) == 0 &&
	    cache.rdev == rdev && cache.ino == ino && cache.size == size &&
	    (uint64_t)cache.dev->length * (uint64_t)cache.dev->sector_size ==
	    size) {
		memset(s, 0, sizeof(*s));
		ped_begin();
		s->dev = cache.dev;
		s->opened = s->cached = true;
		return sess_label(s, path, e);
	}
	if (sess_open(s, path, false, e) < 0)
		return -1;
	cache.dev = s->dev;
	cache.path = xstrdup(path);
	cache.rdev = rdev;
	cache.ino = ino;
	cache.size = size;
	s->cached = true;
	if (!at_exit) {
		atexit(cache_drop);
		at_exit = true;
	}
	return sess_label(s, path, e);
}

/* Which label libparted finds on a device, if any. */
int
dparted_probe(const char *path, char *label, size_t n, char *other,
	      size_t on, struct err *e)
{
	struct dsess s;
	PedDiskType *t;
	const char *ours;

	label[0] = '\0';
	if (other != NULL && on > 0)
		other[0] = '\0';
	if (sess_open(&s, path, false, e) < 0)
		return -1;
	t = parted.ped_disk_probe(s.dev);
	ours = t ? label_ours(t->name) : NULL;
	if (ours != NULL)
		snprintf(label, n, "%s", ours);
	else if (t != NULL && other != NULL)
		snprintf(other, on, "%s", t->name);
	sess_close(&s);
	return 0;
}

/* ---- reading a layout ---- */

/* Free a layout. */
void
dlayout_clear(struct dlayout *l)
{
	free(l->parts);
	memset(l, 0, sizeof(*l));
}

/* The partition numbered `num` of a layout, or NULL. */
const struct dpart *
dlayout_find(const struct dlayout *l, int num)
{
	for (size_t i = 0; i < l->nparts; i++)
		if (l->parts[i].num == num && l->parts[i].kind != SEG_FREE &&
		    l->parts[i].kind != SEG_METADATA)
			return &l->parts[i];
	return NULL;
}

/* Append a region to a layout. */
static void
layout_add(struct dlayout *l, enum seg_kind kind, int depth, int num,
	   uint64_t start, uint64_t end, const char *format)
{
	if ((l->nparts & (l->nparts - 1)) == 0)
		l->parts = xreallocarray(l->parts, l->nparts ? l->nparts * 2 : 8,
					 sizeof(*l->parts));
	l->parts[l->nparts++] = (struct dpart){
		.kind = kind, .depth = depth, .num = num, .start = start,
		.end = end, .format = format,
	};
}

/* Greatest common divisor. */
static uint64_t
gcd64(uint64_t a, uint64_t b)
{
	while (b != 0) {
		uint64_t t = a % b;
		a = b;
		b = t;
	}
	return a;
}

/* Alignment facts: the optimal grain (a multiple of what the label
 * itself needs) and, for dos, the cylinder size libvirt aligns to. */
static void
layout_alignment(struct dlayout *l, PedDisk *disk)
{
	PedDevice *dev = disk->dev;
	PedAlignment *a = parted.ped_device_get_optimum_alignment(dev);
	PedAlignment *d = parted.ped_disk_get_partition_alignment(disk);
	uint64_t grain = 2048;

	if (a != NULL && a->grain_size > 1)
		grain = (uint64_t)a->grain_size;
	if (d != NULL && d->grain_size > 1) {
		uint64_t dg = (uint64_t)d->grain_size;
		uint64_t lcm = grain / gcd64(grain, dg) * dg;
		/* the label's own rule wins where both cannot be met on a
		 * sane scale (pc98 and sun cylinders of 255x2 sectors) */
		grain = lcm <= 16 * (grain > dg ? grain : dg) ? lcm : dg;
	}
	if (a != NULL)
		parted.ped_alignment_destroy(a);
	if (d != NULL)
		parted.ped_alignment_destroy(d);
	l->grain = grain * l->sector;
	if (str_eq(l->label, "dos"))
		l->cylinder = (uint64_t)dev->hw_geom.heads *
			      (uint64_t)dev->hw_geom.sectors * l->sector;
}

/* The layout of an open disk (libvirt's free extents, see disk.h). */
/* Does the label give partitions names (gpt, mac, pc98, dvh)? */
static bool
has_names(const PedDisk *disk)
{
	return parted.ped_disk_type_check_feature(disk->type,
					   PED_DISK_TYPE_PARTITION_NAME);
}

/* Labels without partition names (dos, bsd, sun, ...): a clone's new
 * partition carries this block in its last 512 bytes until its data is
 * in (the copy may not reach that far; the unmark clears it then). */
static const char partial_magic[] = "CISTERN-PARTIAL-CLONE v1\n";
#define PARTIAL_BLOCK 512

static void
partial_block(unsigned char blk[PARTIAL_BLOCK])
{
	memset(blk, 0, PARTIAL_BLOCK);
	memcpy(blk, partial_magic, sizeof(partial_magic) - 1);
}

/* Does the byte range [start, end) of the device end with the marker? */
static bool
partial_marked(int fd, uint64_t end)
{
	unsigned char want[PARTIAL_BLOCK], got[PARTIAL_BLOCK];

	if (fd < 0 || end < PARTIAL_BLOCK)
		return false;
	partial_block(want);
	return fd_read_full(fd, got, PARTIAL_BLOCK,
			    (int64_t)(end - PARTIAL_BLOCK)) == PARTIAL_BLOCK &&
	       memcmp(got, want, PARTIAL_BLOCK) == 0;
}

/* Write (mark) or clear the marker at the end of [.., end) of `path`;
 * clearing touches the block only if it still holds the marker. */
static int
partial_set(const char *path, uint64_t end, bool mark, struct err *e)
{
	unsigned char blk[PARTIAL_BLOCK];
	int fd, rc = 0;

	if (run_dry_run())
		return 0;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", path);
	if (mark || partial_marked(fd, end)) {
		if (mark)
			partial_block(blk);
		else
			memset(blk, 0, sizeof(blk));
		if (fd_write_full(fd, blk, PARTIAL_BLOCK,
				  (int64_t)(end - PARTIAL_BLOCK)) < 0 ||
		    fdatasync(fd) < 0)
			rc = err_errno(e, errno, "cannot %s the new partition's "
				       "last block on '%s'", mark ? "mark" :
				       "clear", path);
	}
	close(fd);
	return rc;
}

static void
layout_fill(struct dlayout *l, PedDisk *disk, const char *path)
{
	PedDevice *dev = disk->dev;
	struct typecode *tc;
	size_t ntc;
	int mfd = -2;               /* the device, opened when needed */

	memset(l, 0, sizeof(*l));
	snprintf(l->label, sizeof(l->label), "%s",
		 label_ours(disk->type->name) ? label_ours(disk->type->name) :
		 disk->type->name);
	l->sector = (uint64_t)dev->sector_size;
	l->size = (uint64_t)dev->length * l->sector;
	l->max_parts = parted.ped_disk_get_max_primary_partition_count(disk);
	layout_alignment(l, disk);
	ntc = dformat_typecodes(path, &tc);
	for (PedPartition *p = parted.ped_disk_next_partition(disk, NULL); p != NULL;
	     p = parted.ped_disk_next_partition(disk, p)) {
		uint64_t s = (uint64_t)p->geom.start * l->sector;
		uint64_t e = ((uint64_t)p->geom.end + 1) * l->sector;
		int depth = (p->type & PED_PARTITION_LOGICAL) ? 1 : 0;

		if (p->type & PED_PARTITION_FREESPACE) {
			/* libvirt: "first block reported as free, even if
			 * it is not" */
			if (s == 0) {
				layout_add(l, SEG_METADATA, depth, 0, 0,
					   l->sector, NULL);
				s = l->sector;
			}
			if (e > s)
				layout_add(l, SEG_FREE, depth, 0, s, e, NULL);
		} else if (p->type & PED_PARTITION_METADATA) {
			if (depth == 0)
				layout_add(l, SEG_METADATA, 0, 0, s, e, NULL);
		} else {
			enum seg_kind k = (p->type & PED_PARTITION_EXTENDED) ?
					  SEG_EXTENDED : depth ? SEG_LOGICAL :
					  SEG_PRIMARY;
			layout_add(l, k, depth, p->num, s, e,
				   dformat_read(l->label, p,
						dformat_typecode_at(tc, ntc, s)));
			if (k != SEG_EXTENDED && has_names(disk) &&
			    str_eq(parted.ped_partition_get_name(p), DPARTED_PARTIAL))
				l->parts[l->nparts - 1].partial = true;
			if (k != SEG_EXTENDED && !has_names(disk)) {
				if (mfd == -2)
					mfd = open(path, O_RDONLY | O_CLOEXEC);
				l->parts[l->nparts - 1].partial =
					partial_marked(mfd, e);
			}
		}
	}
	free(tc);
	if (mfd >= 0)
		close(mfd);
}

/* Read the label of a device into a layout (through the cache). */
int
dparted_read(const char *path, struct dlayout *l, struct err *e)
{
	struct dsess s;

	memset(l, 0, sizeof(*l));
	if (sess_open_read(&s, path, e) < 0)
		return -1;
	layout_fill(l, s.disk, path);
	sess_close(&s);
	return 0;
}

/* The partitions the label has, as the kernel should have them. */
static size_t
label_parts(PedDisk *disk, struct kpart **out)
{
	uint64_t per = (uint64_t)disk->dev->sector_size / 512;
	struct kpart *kp = NULL;
	size_t n = 0;

	for (PedPartition *p = parted.ped_disk_next_partition(disk, NULL); p != NULL;
	     p = parted.ped_disk_next_partition(disk, p)) {
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
	ped_begin();
	if (!parted.ped_disk_commit_to_dev(s->disk))
		return ped_fail(e, "write the partition table of", path);
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

/* ---- writing ---- */

/* Write a new empty label. */
int
dparted_mklabel(const char *path, const char *format, struct err *e)
{
	const char *name = dparted_label_name(format);
	PedDiskType *t;
	struct dsess s;
	int rc;

	if (parted_load(e) < 0)
		return -1;
	t = name ? parted.ped_disk_type_get(name) : NULL;
	if (t == NULL)
		return err_setc(e, ERR_UNSUPPORTED, "libparted here cannot "
				"write %s labels", format);
	if (sess_open(&s, path, false, e) < 0)
		return -1;
	s.disk = parted.ped_disk_new_fresh(s.dev, t);
	if (s.disk == NULL) {
		ped_fail(e, "make a new label on", path);
		sess_close(&s);
		return -1;
	}
	rc = sess_commit(&s, path, e);
	sess_close(&s);
	return rc;
}

/* Remove every partition, leaving an empty label. */
int
dparted_remove_all(const char *path, struct err *e)
{
	struct dsess s;
	PedDisk *fresh;
	int rc;

	if (sess_open(&s, path, true, e) < 0)
		return -1;
	/* a new label of the same type: what a label needs of itself (the
	 * mac partition map) stays, every partition goes */
	fresh = parted.ped_disk_new_fresh(s.dev, s.disk->type);
	if (fresh == NULL) {
		ped_fail(e, "remove the partitions of", path);
		sess_close(&s);
		return -1;
	}
	parted.ped_disk_destroy(s.disk);
	s.disk = fresh;
	rc = sess_commit(&s, path, e);
	sess_close(&s);
	return rc;
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
	char label[8];

	if (sess_open(&s, path, true, e) < 0)
		return -1;
	snprintf(label, sizeof(label), "%s", label_ours(s.disk->type->name) ?
		 label_ours(s.disk->type->name) : s.disk->type->name);
	if (dparted_format_ok(label, format, e) < 0)
		goto fail;
	r = dformat_rule(label, format);
	if (pl->new_extended &&
	    add_exact(s.disk, PED_PARTITION_EXTENDED, NULL, pl->ext_start,
		      pl->ext_end) == NULL) {
		ped_fail(e, "add an extended partition to", path);
		goto fail;
	}
	type = pl->kind == SEG_LOGICAL ? PED_PARTITION_LOGICAL :
	       pl->kind == SEG_EXTENDED ? PED_PARTITION_EXTENDED :
	       PED_PARTITION_NORMAL;
	p = add_exact(s.disk, type, r->hint, pl->start, pl->end);
	if (p == NULL) {
		ped_fail(e, "add a partition to", path);
		goto fail;
	}
	if (r->flag != 0 && (!parted.ped_partition_is_flag_available(p, r->flag) ||
			     !parted.ped_partition_set_flag(p, r->flag, 1))) {
		ped_fail(e, "set the partition type on", path);
		goto fail;
	}
	/* in the same commit as the partition: never an unmarked moment */
	if (pl->partial && has_names(s.disk) &&
	    !parted.ped_partition_set_name(p, DPARTED_PARTIAL)) {
		ped_fail(e, "name a partition of", path);
		goto fail;
	}
	/* without names: the marker block at its end, written before the
	 * commit (free space until then); a plain partition clears one an
	 * interrupted attempt may have left there */
	if (!has_names(s.disk) &&
	    partial_set(path, ((uint64_t)p->geom.end + 1) *
			(uint64_t)s.dev->sector_size, pl->partial, e) < 0)
		goto fail;
	if (check != NULL && check(p->num, arg, e) != 0)
		goto fail;
	sec = (uint64_t)s.dev->sector_size;
	*num = p->num;
	*start = (uint64_t)p->geom.start * sec;
	*end = ((uint64_t)p->geom.end + 1) * sec;
	if (sess_commit(&s, path, e) < 0)
		goto fail;
	sess_close(&s);
	return 0;
fail:
	sess_close(&s);
	return -1;
}

int
dparted_unmark(const char *path, int num, uint64_t start, struct err *e)
{
	struct dsess s;
	PedPartition *p;

	if (sess_open(&s, path, true, e) < 0)
		return -1;
	p = parted.ped_disk_get_partition(s.disk, num);
	if (p == NULL || (uint64_t)p->geom.start * (uint64_t)s.dev->sector_size !=
	    start) {
		err_setc(e, ERR_STATE, "partition %d of '%s' has changed while "
			 "data was copied into it", num, path);
		goto fail;
	}
	if (!has_names(s.disk)) {
		uint64_t end = ((uint64_t)p->geom.end + 1) *
			       (uint64_t)s.dev->sector_size;
		sess_close(&s);
		return partial_set(path, end, false, e);
	}
	if (!parted.ped_partition_set_name(p, "")) {
		ped_fail(e, "name a partition of", path);
		goto fail;
	}
	if (sess_commit(&s, path, e) < 0)
		goto fail;
	sess_close(&s);
	return 0;
fail:
	sess_close(&s);
	return -1;
}

/* Delete a partition that is where the pool saw it. */
int
dparted_delete(const char *path, int num, uint64_t start, struct err *e)
{
	struct dsess s;
	PedPartition *p;

	if (sess_open(&s, path, true, e) < 0)
		return -1;
	p = parted.ped_disk_get_partition(s.disk, num);
	if (p == NULL || (uint64_t)p->geom.start * (uint64_t)s.dev->sector_size !=
	    start) {
		err_setc(e, ERR_STATE, "partition %d of '%s' has changed since "
			 "the pool was refreshed; refresh it and try again",
			 num, path);
		goto fail;
	}
	if ((p->type & PED_PARTITION_EXTENDED) && p->part_list != NULL) {
		struct sbuf b;
		sbuf_init(&b);
		for (PedPartition *q = p->part_list; q != NULL; q = q->next)
			if (q->num > 0)
				sbuf_printf(&b, "%s%d", b.len ? ", " : "", q->num);
		if (b.len > 0) {
			err_setc(e, ERR_REFUSED, "the extended partition %d "
				 "still holds logical partitions (%s); delete "
				 "them first", num, b.s);
			sbuf_free(&b);
			goto fail;
		}
		sbuf_free(&b);
	}
	if (!parted.ped_disk_delete_partition(s.disk, p)) {
		ped_fail(e, "delete a partition of", path);
		goto fail;
	}
	if (sess_commit(&s, path, e) < 0)
		goto fail;
	sess_close(&s);
	return 0;
fail:
	sess_close(&s);
	return -1;
}
