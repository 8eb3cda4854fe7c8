/* cistern — disk pools: reading labels with libparted, and the sessions
 * in which disk_label.c writes them (disk_sess.h).
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
#include "disk_sess.h"

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
 * kept aside; dsess_end puts everything back (libparted checks at exit). */
void
dsess_begin(void)
{
	static bool hints;
	PedFileSystemType *t;

	parted.ped_exception_set_handler(dparted_exception);
	ped_msg[0] = '\0';
	ped_msg_is_error = false;
	if (!hints) {
		for (size_t i = 0; i < ARRAY_SIZE(hint_names); i++)
			hint_types[i] =
				parted.ped_file_system_type_get(hint_names[i]);
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
dsess_end(void)
{
	while (fs_nsaved > 0)
		parted.ped_file_system_type_register(fs_saved[--fs_nsaved]);
}

/* Fail with `what` and libparted's last message. */
int
dsess_fail(struct err *e, const char *what, const char *path)
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
const char *
dparted_label_ours(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(label_names); i++)
		if (str_eq(label_names[i].parted, name))
			return label_names[i].ours;
	return NULL;
}

/* ---- opening ---- */

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
void
dsess_close(struct dsess *s)
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
	dsess_end();
}

/* Read the label of an open device. */
static int
dsess_label(struct dsess *s, const char *path, struct err *e)
{
	PedDiskType *t = parted.ped_disk_probe(s->dev);

	if (t == NULL || strcmp(t->name, "loop") == 0) {
		err_setc(e, ERR_NOT_FOUND, "no partition table on '%s' "
			 "(requires build)", path);
		dsess_close(s);
		return -1;
	}
	s->disk = parted.ped_disk_new(s->dev);
	if (s->disk == NULL) {
		dsess_fail(e, "read the partition table of", path);
		dsess_close(s);
		return -1;
	}
	/* as parted with its default optimal alignment: no dos metadata for
	 * a partial last cylinder, so the free space agrees with parted's */
	if (parted.ped_disk_is_flag_available(s->disk,
					      PED_DISK_CYLINDER_ALIGNMENT))
		parted.ped_disk_set_flag(s->disk, PED_DISK_CYLINDER_ALIGNMENT,
					 0);
	return 0;
}

/* Open the device; with `label`, read its partition table too. Every
 * session but a cached read closes the cached device first (libparted
 * keeps one object per path). */
int
dsess_open(struct dsess *s, const char *path, bool label, struct err *e)
{
	memset(s, 0, sizeof(*s));
	if (parted_load(e) < 0)
		return -1;
	cache_drop();
	dsess_begin();
	s->dev = parted.ped_device_get(path);
	if (s->dev == NULL) {
		dsess_fail(e, "open", path);
		dsess_close(s);
		return -1;
	}
	if (!parted.ped_device_open(s->dev)) {
		dsess_fail(e, "open", path);
		dsess_close(s);
		return -1;
	}
	s->opened = true;
	return label ? dsess_label(s, path, e) : 0;
}

/* A read session through the cache (see above). */
static int
dsess_open_read(struct dsess *s, const char *path, struct err *e)
{
	static bool at_exit;
	dev_t rdev;
	ino_t ino;
	uint64_t size;

	if (!dev_ident(path, &rdev, &ino, &size))
		return dsess_open(s, path, true, e);
	if (cache.dev != NULL && strcmp(cache.path, path) == 0 &&
	    cache.rdev == rdev && cache.ino == ino && cache.size == size &&
	    (uint64_t)cache.dev->length * (uint64_t)cache.dev->sector_size ==
	    size) {
		memset(s, 0, sizeof(*s));
		dsess_begin();
		s->dev = cache.dev;
		s->opened = s->cached = true;
		return dsess_label(s, path, e);
	}
	if (dsess_open(s, path, false, e) < 0)
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
	return dsess_label(s, path, e);
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
	if (dsess_open(&s, path, false, e) < 0)
		return -1;
	t = parted.ped_disk_probe(s.dev);
	ours = t ? dparted_label_ours(t->name) : NULL;
	if (ours != NULL)
		snprintf(label, n, "%s", ours);
	else if (t != NULL && other != NULL)
		snprintf(other, on, "%s", t->name);
	dsess_close(&s);
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

/* Does the label give partitions names (gpt, mac, pc98, dvh)? */
bool
dparted_has_names(const PedDisk *disk)
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
int
dparted_partial_set(const char *path, uint64_t end, bool mark,
		    struct err *e)
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

/* The layout of an open disk (libvirt's free extents, see disk.h). */
static void
layout_fill(struct dlayout *l, PedDisk *disk, const char *path)
{
	PedDevice *dev = disk->dev;
	const char *ours = dparted_label_ours(disk->type->name);
	struct typecode *tc;
	size_t ntc;
	int mfd = -2;               /* the device, opened when needed */

	memset(l, 0, sizeof(*l));
	snprintf(l->label, sizeof(l->label), "%s",
		 ours ? ours : disk->type->name);
	l->sector = (uint64_t)dev->sector_size;
	l->size = (uint64_t)dev->length * l->sector;
	l->max_parts = parted.ped_disk_get_max_primary_partition_count(disk);
	layout_alignment(l, disk);
	ntc = dformat_typecodes(path, &tc);
	for (PedPartition *p = parted.ped_disk_next_partition(disk, NULL);
	     p != NULL; p = parted.ped_disk_next_partition(disk, p)) {
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
			if (k != SEG_EXTENDED && dparted_has_names(disk) &&
			    str_eq(parted.ped_partition_get_name(p),
				   DPARTED_PARTIAL))
				l->parts[l->nparts - 1].partial = true;
			if (k != SEG_EXTENDED && !dparted_has_names(disk)) {
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
	if (dsess_open_read(&s, path, e) < 0)
		return -1;
	layout_fill(l, s.disk, path);
	dsess_close(&s);
	return 0;
}
