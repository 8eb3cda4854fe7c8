/* cistern — looking before touching: what a device holds (libblkid) and
 * whether anything uses it (mounts, swap, holders, exclusive open). */
#ifndef CISTERN_PROBE_H
#define CISTERN_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

struct probe_info {
	bool found;            /* a signature of any kind was found */
	char type[32];         /* blkid TYPE or PTTYPE ("ext4", "gpt", "LVM2_member") */
	char usage[32];        /* filesystem, raid, crypto, other, partition table */
	char label[128];
	char uuid[64];
	char what[320];        /* for people: "an ext4 filesystem labelled 'data'" */
};

/* Probe a device or image file for filesystems, RAID/LVM/crypto
 * signatures and partition tables (first thing found is described). */
int probe_signatures(const char *path, struct probe_info *pi, struct err *e);

/* Remove every signature libblkid finds and zero the first and last MiB
 * (old GPT backups live at the tail). Respects dry-run. */
int probe_wipe_signatures(const char *path, struct err *e);

/* Size in bytes of a block device or regular file. */
int probe_size(const char *path, uint64_t *size, struct err *e);

/* Is a block device (or any of its partitions) in use? Returns 1 and a
 * reason ("/dev/loop0p1 is mounted on /mnt"), 0 if free, -1 on error.
 * Regular files report 0. */
int probe_in_use(const char *path, char *why, size_t n, struct err *e);

#endif
