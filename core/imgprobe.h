/* cistern — what an image file is, read from its header in process.
 *
 * Recognises qcow, qcow2 (virtual size, backing file, backing format from
 * the header extension, compat level, cluster size, encryption, lazy
 * refcounts, extended L2), qed, vmdk (sparse extents and descriptor
 * files), vpc (dynamic; a fixed VHD is raw, as qemu and libvirt see it),
 * vdi, iso, cow, luks (1 and 2), bochs, cloop, ploop (qemu's parallels)
 * and dmg; everything else is raw. No tool is spawned: one pread of the
 * first 4 KiB, a few more only where a format keeps its magic elsewhere
 * (iso at 32769, dmg in the last 512 bytes, a backing file name past the
 * first block). Sizes follow qemu's reading of each header.
 */
#ifndef CISTERN_IMGPROBE_H
#define CISTERN_IMGPROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct img_info {
	const char *format;        /* static: "raw", "qcow2", ... */
	uint64_t capacity;         /* virtual size in bytes */
	char *backing;             /* backing file as stored, or NULL */
	char backing_format[16];   /* "" when the header does not say */
	const char *encryption;    /* static: "qcow", "luks" or NULL */
	const char *compat;        /* static: qcow2 "0.10" / "1.1", else NULL */
	uint64_t cluster_size;     /* qcow2, qed: 0 otherwise */
	bool lazy_refcounts;       /* qcow2 v3 compatible feature bit 0 */
	bool extended_l2;          /* qcow2 v3 incompatible feature bit 4 */
	char *damaged;             /* why the header cannot be right (a size
				      past SIZE_LIMIT), or NULL; capacity
				      is then the file's size */
};

/* Probe an open image of `size` bytes. `head` may hold its first
 * `headlen` bytes, already read: min(size, IMGPROBE_HEAD) of them (NULL:
 * read them here). Never fails on
 * content: anything unrecognised or inconsistent is raw with capacity
 * `size`; a recognised header giving an impossible size keeps its format
 * and says why in `damaged`. Returns -1 only when the file cannot be read. */
int imgprobe_fd(int fd, uint64_t size, const unsigned char *head,
		size_t headlen, struct img_info *out, struct err *e);

/* Open `path` read-only (non-blocking, no controlling tty) and probe it. */
int imgprobe_path(const char *path, struct img_info *out, struct err *e);

/* Free what an img_info owns. */
void img_info_clear(struct img_info *ii);

/* How many bytes imgprobe_fd wants in `head` (callers reading the first
 * block themselves pass it on to save a read). */
#define IMGPROBE_HEAD 4096

#endif
