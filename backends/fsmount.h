/* cistern — mounting the filesystem of an fs or netfs pool.
 *
 * The mount command is libvirt's, argument for argument
 * (virStorageBackendFileSystemMountCmd): "mount -o OPTIONS [-t TYPE] SOURCE
 * TARGET", OPTIONS being nodev,nosuid,noexec, then nfsvers=N, guest (cifs)
 * or direct-io-mode=1 (glusterfs), then the pool's fs:mount_opts. Every
 * command runs with a timeout, and statvfs of a network mount runs in a
 * child process with one, so a dead server cannot hang cistern.
 */
#ifndef CISTERN_FSMOUNT_H
#define CISTERN_FSMOUNT_H

#include <stdbool.h>
#include <sys/statvfs.h>

#include "../core/pool.h"

#define FSMOUNT_TIMEOUT_MS (60 * 1000)
#define FSMOUNT_STATVFS_TIMEOUT_MS (10 * 1000)

/* What is mounted: a device path, HOST:DIR, or //HOST/DIR (cifs). */
char *fsmount_source(const struct pool_def *d);

/* The mount argv (NULL-terminated, caller frees with strv_free). */
char **fsmount_argv(const struct pool_def *d);

/* Is the pool's target mounted from its source? 1 yes, 0 nothing is
 * mounted there, -1 something else is (e says what). Reads only the mount
 * table: never touches a possibly dead mount. */
int fsmount_state(const struct pool_def *d, struct err *e);

/* Mount unless already mounted from the source; check that it worked. */
int fsmount_mount(struct pool *p, struct err *e);

/* Unmount (lazily with `lazy`); nothing to do when not mounted. */
int fsmount_unmount(struct pool *p, bool lazy, struct err *e);

/* statvfs(2) in a child process, killed after timeout_ms. */
int fsmount_statvfs(const char *path, int timeout_ms, struct statvfs *sv,
		    struct err *e);

/* The life cycle fs and netfs pools share: build makes the target
 * directory (remembered, so a failed pool-start --build takes it away
 * again), start mounts, stop unmounts (lazily with POOL_STOP_LAZY),
 * delete removes the empty mount point. */
int fsmount_build_target(struct pool *p, unsigned flags, struct job *j,
			 struct err *e);
int fsmount_pool_start(struct pool *p, unsigned flags, struct job *j,
		       struct err *e);
int fsmount_pool_stop(struct pool *p, unsigned flags, struct err *e);
int fsmount_pool_delete(struct pool *p, unsigned flags, struct job *j,
			struct err *e);
/* Running means the target is mounted from the pool's source. */
int fsmount_pool_check(struct pool *p, bool *running, struct err *e);
/* Only a mounted filesystem is listed (never the empty directory under
 * it); a network mount's statvfs runs in a child with a timeout, so a
 * dead server fails the refresh instead of hanging it. */
int fsmount_pool_refresh(struct pool *p, struct job *j, struct err *e);

#endif
