/* cistern — the mount table, read through libmount (the kernel's
 * mountinfo, its escapes undone by the library). */
#ifndef CISTERN_MOUNTS_H
#define CISTERN_MOUNTS_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Where the first mount of any of devs[0..n) is (in mount table order):
 * its mount point (malloc'd) and in *which the index of the device that
 * matched; NULL if none of them is mounted. */
char *mounts_find_devno(const dev_t *devs, size_t n, size_t *which);

/* Is `dir` a mount point? The top of its mount stack gives *source and
 * *fstype (malloc'd, may be NULL). Paths are compared as written: no
 * realpath(), since stat() on a dead NFS mount point would hang. */
bool mounts_find_target(const char *dir, char **source, char **fstype);

#endif
