/* cistern — what there is to build a pool on, for the define-pool wizard
 * and anything else that asks: this machine's block devices (sysfs and
 * libblkid) with their size, what they hold and whether something uses
 * them; libvirt's <sources> XML (pool_find_sources' answer) read back
 * into a list; this host's iSCSI initiator name. No drawing: the
 * interface shows what this finds.
 */
#ifndef CISTERN_DISCOVER_H
#define CISTERN_DISCOVER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"
#include "probe.h"

struct blockdev {
	char *name;             /* kernel name: "sdb", "loop3p1" */
	char *path;             /* "/dev/sdb" */
	char *disk;             /* a partition's disk ("sdb"), else NULL */
	uint64_t size;          /* bytes */
	bool whole;             /* a whole disk (not a partition) */
	bool ro;
	struct probe_info pi;   /* what it holds; pi.found false: nothing */
	int nparts;             /* whole disks: partitions in its table */
	char *mountpoint;       /* where it is mounted, or NULL */
	char *busy;             /* why it is in use (mounted, swap, held,
				   a PV, opened exclusively), or NULL */
};

enum {
	DISCOVER_DISKS = 1 << 0,       /* whole disks */
	DISCOVER_PARTS = 1 << 1,       /* partitions */
	DISCOVER_LEAVES = 1 << 2,      /* with DISKS: only disks that have no
					  partitions the kernel knows (or that
					  hold a filesystem all the same) */
};

/* The block devices of this machine, sorted by name: loop devices only
 * when something is attached, no RAM disks, CD drives or empty devices.
 * Sysfs is read below $CISTERN_SYSFS_ROOT/sys/block when that is set
 * (device nodes are still /dev/NAME). */
int discover_blockdevs(unsigned flags, struct blockdev **out, size_t *n,
		       struct err *e);
void blockdevs_free(struct blockdev *v, size_t n);

/* For people: "an xfs filesystem labelled 'data'", "a gpt partition
 * table with 3 partitions", "nothing (blank)". Malloc'd. */
char *blockdev_holds(const struct blockdev *b);

/* One <source> of libvirt's <sources> answer. */
struct found_source {
	char *host;
	int port;
	char *dir;
	char **devices;         /* NULL-terminated */
	size_t ndevices;
	char *name;
	char *format;
};

/* Read find-storage-pool-sources' XML. */
int discover_sources_parse(const char *xml, struct found_source **out,
			   size_t *n, struct err *e);
void found_sources_free(struct found_source *v, size_t n);

/* This host's iSCSI initiator name (open-iscsi's initiatorname.iscsi),
 * or NULL when there is none. Malloc'd. */
char *discover_initiator_iqn(void);

/* Does `path` exist, and is it an empty directory (what a pool's build
 * would make, or find)? */
void discover_dir_state(const char *path, bool *exists, bool *empty_dir);

/* What making directory `path` (with its parents) would make: the first
 * component that is missing (malloc'd), or NULL when the path is there.
 * When an existing component on the way is not a directory, nothing can
 * be made: NULL, and *blocker is that component (malloc'd). */
char *discover_first_missing(const char *path, char **blocker);

#endif
