/* cistern — disk pools: libparted sessions, shared by the reading of
 * labels (disk_parted.c, which owns them) and their writing
 * (disk_label.c). Not for other files: everything else goes through
 * disk.h. */
#ifndef CISTERN_DISK_SESS_H
#define CISTERN_DISK_SESS_H

#include <stdbool.h>
#include <stdint.h>

#include "../core/err.h"
#include "parted_api.h"

/* A device open in libparted, with its label once read. */
struct dsess {
	PedDevice *dev;
	PedDisk *disk;
	bool opened;
	bool cached;            /* dev belongs to the read cache */
};

/* Open the device (loading libparted the first time); with `label`, read
 * its partition table too. -1 with e set, the session closed. */
int dsess_open(struct dsess *s, const char *path, bool label, struct err *e);

/* End a session (a cached device stays open). */
void dsess_close(struct dsess *s);

/* Answer libparted's questions here and forget its last message (done
 * by dsess_open; again before a commit, for the commit's message). */
void dsess_begin(void);

/* Fail (-1) with "libparted cannot WHAT 'PATH': its last message". */
int dsess_fail(struct err *e, const char *what, const char *path);

/* cistern's name of a libparted label type ("msdos" -> "dos"), or NULL. */
const char *dparted_label_ours(const char *name);

/* Does the label give partitions names (gpt, mac, pc98, dvh)? */
bool dparted_has_names(const PedDisk *disk);

/* On labels without names, a partition being cloned into ends with a
 * marker block: write it (`mark`) or clear it at the end of [.., end)
 * of `path` (only if it still holds the marker). */
int dparted_partial_set(const char *path, uint64_t end, bool mark,
			struct err *e);

#endif
