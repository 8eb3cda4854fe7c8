/* cistern — disk pools: what the parts of the disk backend share.
 *
 * backends/disk.c is the backend (pool life cycle, refresh, volume create
 * and delete); disk_parted.c reads labels with libparted and opens its
 * sessions, disk_label.c writes labels (disk_sess.h between the two);
 * disk_format.c maps volume formats to partition types and flags;
 * disk_kernel.c makes the kernel's partitions follow the label;
 * disk_plan.c decides where a new partition goes (pure arithmetic on a
 * layout); disk_io.c moves volume data (wipe, clone, upload, download).
 *
 * A layout is libparted's view of a labelled disk in libvirt's terms:
 * byte offsets with exclusive ends, free extents as libvirt reports them
 * (every free region libparted knows, a region starting at byte 0 moved
 * to the second sector), partitions with cistern's volume formats.
 */
#ifndef CISTERN_DISK_H
#define CISTERN_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/backend.h"
#include "../core/err.h"
#include "../core/model.h"

struct pool;
struct vol_def;

/* One region of the disk, in disk order (logical partitions and the free
 * space between them follow their extended partition, with depth 1). */
struct dpart {
	enum seg_kind kind;
	int depth;
	int num;                /* partition number; 0 for free/metadata */
	uint64_t start, end;    /* bytes, end exclusive */
	const char *format;     /* partitions: volume format (static) */
	bool partial;           /* named DPARTED_PARTIAL: a clone into it
				   has not finished */
};

struct dlayout {
	char label[8];          /* cistern's name: dos gpt mac bsd pc98 sun dvh */
	uint64_t size;          /* bytes */
	uint64_t sector;        /* logical sector size */
	uint64_t grain;         /* optimal alignment, bytes */
	uint64_t cylinder;      /* bytes per cylinder (dos alignment), or 0 */
	int max_parts;          /* partition slots (primary ones on dos) */
	struct dpart *parts;
	size_t nparts;
};

void dlayout_clear(struct dlayout *l);
/* The partition numbered `num`, or NULL. */
const struct dpart *dlayout_find(const struct dlayout *l, int num);

/* ---- disk_parted.c: libparted ---- */

/* libparted's name of cistern's label format ("dos" -> "msdos"), NULL if
 * cistern does not know it. */
const char *dparted_label_name(const char *format);

/* Which label libparted finds on `path`: cistern's name in `label`, or ""
 * when there is none ("loop", libparted's whole-disk filesystem, counts
 * as none; its name goes to `other`). */
int dparted_probe(const char *path, char *label, size_t n, char *other,
		  size_t on, struct err *e);

/* The libparted filesystem type (a PedFileSystemType) used as the type
 * hint `name` ("ext2", "fat16", "fat32", "linux-swap"), or NULL. */
const void *dparted_hint(const char *name);

/* Read the label of `path` into a layout. */
int dparted_read(const char *path, struct dlayout *l, struct err *e);

/* ---- disk_label.c: writing labels ---- */

/* Write a new empty label of `format` (cistern's name). */
int dparted_mklabel(const char *path, const char *format, struct err *e);

/* Remove every partition (the kernel is told), leaving an empty label. */
int dparted_remove_all(const char *path, struct err *e);



/* What a new partition should be: made by disk_plan.c. */
struct dplan {
	enum seg_kind kind;     /* SEG_PRIMARY, SEG_LOGICAL or SEG_EXTENDED */
	bool new_extended;      /* dos: make the extended partition first */
	uint64_t ext_start, ext_end;
	uint64_t start, end;    /* bytes, end exclusive */
	uint64_t extent_start;  /* the free extent used (libvirt's start) */
	bool partial;           /* name it DPARTED_PARTIAL (labels with
				   names: gpt, mac, pc98, dvh) until its
				   data is in */
};

/* The partition name of a clone in progress (or of an interrupted one). */
#define DPARTED_PARTIAL "cistern-partial"


/* A new partition as planned. `check(num, arg)` is called with the number
 * libparted gives it before anything is written; a non-zero return
 * cancels (and leaves `e` as the callback set it). On success *num and
 * the real geometry are returned. Nothing is written in dry-run mode. */
typedef int (*dparted_check_fn)(int num, void *arg, struct err *e);
int dparted_add(const char *path, const struct dplan *pl, const char *format,
		dparted_check_fn check, void *arg, int *num, uint64_t *start,
		uint64_t *end, struct err *e);

/* Take the DPARTED_PARTIAL name off partition `num` (at `start`): its
 * data is complete. Nothing to do on labels without names. */
int dparted_unmark(const char *path, int num, uint64_t start, struct err *e);

/* Delete partition `num`, which must still start at `start`. */
int dparted_delete(const char *path, int num, uint64_t start, struct err *e);

/* ---- disk_kernel.c: the kernel's partitions ---- */

/* A partition of a disk, as the kernel has it or should have it. */
struct kpart {
	int num;
	uint64_t start, size;   /* 512-byte sectors */
	bool extended;          /* the kernel shows 1 KiB of it */
	char name[64];
};

/* Make the kernel's partitions of block device `path` those of `want`
 * (partx adds and removes what differs); nothing for image files. */
int dkernel_sync(const char *path, const struct kpart *want, size_t nwant,
		 struct err *e);

/* Make the kernel drop every partition it has of block device `path`. */
int dkernel_forget(const char *path, struct err *e);

/* ---- disk_format.c: volume formats as partition types ---- */

struct _PedPartition;

/* How a label holds a volume format: a libparted filesystem type as the
 * hint that picks the partition type code, and a flag to set (0: none;
 * a PedPartitionFlag). */
struct fmt_rule {
	const char *format;
	const char *hint;
	int flag;
};
const struct fmt_rule *dformat_rule(const char *label, const char *format);

/* Check that a label can hold a volume format; an error says why not. */
int dparted_format_ok(const char *label, const char *format,
		      struct err *e);

/* Partition type codes read with libblkid, by start (bytes). */
struct typecode {
	uint64_t start;
	int type;
	char str[40];
};
size_t dformat_typecodes(const char *path, struct typecode **out);
const struct typecode *dformat_typecode_at(const struct typecode *tc,
					   size_t n, uint64_t start);

/* The volume format of a libparted partition on a label (cistern's name). */
const char *dformat_read(const char *label, struct _PedPartition *p,
			 const struct typecode *tc);

/* ---- disk_plan.c: where a new partition goes ---- */

/* A size that asks for all an extent can hold once aligned. */
#define DPLAN_WHOLE UINT64_MAX

struct dplan_req {
	uint64_t size;          /* bytes asked for, or DPLAN_WHOLE */
	const char *format;
	bool has_start;         /* the caller names a free extent by its start */
	uint64_t start;
};

/* Can free extent `f` hold an aligned partition of one alignment unit? */
bool dplan_usable(const struct dlayout *l, const struct dpart *f);

/* Choose the free extent (the smallest that fits, libvirt's rule, or the
 * named one) and the aligned geometry. `dev` names the disk in errors. */
int dplan_make(const struct dlayout *l, const struct dplan_req *rq,
	       const char *dev, struct dplan *pl, struct err *e);

/* ---- disk.c helpers ---- */

/* What the kernel puts before a partition number in the node names of
 * disk `disk` (a node name): "sda", "nvme0n1p", "loop0p"; with
 * part_separator='yes' always a 'p' ("mpathap"), as libvirt. */
char *disk_part_prefix(const char *disk, enum tristate part_separator);

/* Is the pool's source device a regular (image) file? */
bool disk_is_file(const struct pool *p);

/* Refuse when the pool's disk (or, for image files, a loop device over
 * it) has a partition in use. */
int disk_check_unused(const struct pool *p, struct err *e);

/* ---- disk_io.c: volume data ---- */

/* Open a volume for reading or writing: the partition node, or the image
 * file with the partition's offset. *length is the partition size. */
int disk_vol_open(const struct pool *p, const struct vol_def *v, bool write,
		  uint64_t *offset, uint64_t *length, struct err *e);

int disk_vol_wipe(struct pool *p, const struct vol_def *v,
		  enum wipe_alg alg, struct job *j, struct err *e);
/* Copy `src` (any pool's volume) into the new partition `v`. */
int disk_vol_fill(struct pool *p, const struct vol_def *v,
		  struct pool *src_pool, const struct vol_def *src,
		  struct job *j, struct err *e);
int disk_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		    uint64_t offset, uint64_t length, unsigned flags,
		    struct job *j, struct err *e);
int disk_vol_download(struct pool *p, const struct vol_def *v, int fd,
		      uint64_t offset, uint64_t length, unsigned flags,
		      struct job *j, struct err *e);

#endif
