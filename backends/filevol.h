/* cistern — file volumes: what dir, fs and netfs pools share.
 *
 * A pool of these types is a directory; each regular file (or
 * subdirectory) in it is a volume, named by its file name. Raw files are
 * made and changed in process (open O_EXCL, fallocate, ftruncate, FICLONE,
 * copy_file_range, the wipe and copy helpers of core/); other image
 * formats go through qemu-img. Refresh reads headers in process
 * (core/imgprobe.h).
 */
#ifndef CISTERN_FILEVOL_H
#define CISTERN_FILEVOL_H

#include <stdbool.h>
#include <limits.h>
#include <stdint.h>
#include <sys/statvfs.h>

#include "../core/backend.h"
#include "../core/pool.h"

/* Make the target directory (mkdir -p) and give it the pool's mode
 * (default 0711) and owner. Sets *created when it did not exist. */
int filevol_build_target(struct pool *p, bool *created, struct err *e);

/* Remove the target directory; it must be empty. */
int filevol_delete_target(struct pool *p, struct err *e);

/* Is the target an existing directory? (for check/start) */
bool filevol_target_ok(const struct pool *p);

/* Fill the pool's sizes from `sv` and list every volume in the target. */
int filevol_refresh(struct pool *p, const struct statvfs *sv, struct job *j,
		    struct err *e);

/* Describe one directory entry as a volume; NULL (and no error) when it
 * is not one (gone, a FIFO, a socket, a device, a dangling link). With
 * `holes_read_zero`, a file with no block allocated is raw without
 * reading it (the filesystem's st_blocks can be trusted). */
struct vol_def *filevol_probe(const char *dir, int dfd, const char *name,
			      unsigned char d_type, bool holes_read_zero);

/* The volume operations (struct backend signatures). */
int filevol_create(struct pool *p, struct vol_def *v, unsigned flags,
		   struct job *j, struct err *e);
int filevol_create_from(struct pool *p, struct vol_def *v,
			struct pool *src_pool, const struct vol_def *src,
			unsigned flags, struct job *j, struct err *e);
int filevol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
		   struct err *e);
int filevol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
		 struct job *j, struct err *e);
int filevol_resize(struct pool *p, const struct vol_def *v, uint64_t capacity,
		   unsigned flags, struct job *j, struct err *e);
int filevol_upload(struct pool *p, const struct vol_def *v, int fd,
		   uint64_t offset, uint64_t length, unsigned flags,
		   struct job *j, struct err *e);
int filevol_download(struct pool *p, const struct vol_def *v, int fd,
		     uint64_t offset, uint64_t length, unsigned flags,
		     struct job *j, struct err *e);

/* Shared between the filevol_*.c files. */

/* Is `fmt` a format whose bytes are the guest's bytes (raw, iso)? */
bool filevol_is_raw(const char *fmt);
/* Allocate [off, off+len) of fd: fallocate, or zeros written where the
 * filesystem cannot (with progress and cancellation). */
int filevol_allocate(int fd, uint64_t off, uint64_t len, struct job *j,
		     struct err *e);
/* Replace `v` with what is on disk now (capacity, allocation, format). */
void filevol_update(struct vol_def *v, const char *dir);
/* Can qemu-img make an image of this format (without a secret)? */
bool filevol_qemu_can_create(const char *fmt);
/* qemu-img argv builders (argv is a NULL-terminated strv, caller frees). */
char **filevol_qemu_create_argv(const struct vol_def *v, const char *fmt,
				const char *backing_fmt, unsigned flags);
/* Run qemu-img with the job (cancellation) and a long timeout. */
int filevol_qemu_img(char **argv, struct job *j, struct err *e);
/* The format of a backing file given without one (probe it). */
int filevol_backing_format(const struct vol_target *b, char *out, size_t n,
			   struct err *e);

/* The pool's directory, opened; refused (-1) when the target now leads
 * elsewhere than when the pool was defined (filevol_path.c). */
int filevol_dir_open(struct pool *p, struct err *e);
/* Open an existing volume's regular file in `dfd`, never through a link
 * (flags: O_RDONLY, O_RDWR, O_WRONLY). */
int filevol_vol_open(const struct vol_def *v, int dfd, int flags,
		     struct err *e);
/* Is the volume's name still the file open as `fd`? (before a tool is
 * given the path) */
int filevol_vol_still(const struct vol_def *v, int dfd, int fd,
		      struct err *e);
/* Remove a volume's file (or empty directory) from `dfd`. */
int filevol_vol_unlink(const struct vol_def *v, int dfd, struct err *e);

/* New volumes are made as FILEVOL_PARTIAL "TAG-NAME" and renamed. */
#define FILEVOL_PARTIAL ".cistern-part-"
struct filevol_new {
	int dfd;                /* the pool's directory */
	int fd;                 /* the file being made (flock held) */
	char tmp[NAME_MAX + 1]; /* its hidden name */
	char *tmp_path;         /* and path, for tools */
	const char *name;       /* the volume's name when done */
};
/* Claim a hidden file for volume `v` (its mode, owner and nocow); fails
 * when the name is taken. */
int filevol_new_begin(struct pool *p, const struct vol_def *v,
		      struct filevol_new *n, struct err *e);
/* Sync it and give it the volume's name (never over another file). */
int filevol_new_commit(struct filevol_new *n, struct err *e);
/* Remove it (a failed or cancelled create). */
void filevol_new_abort(struct filevol_new *n);
/* Is `name` a volume in the making (or the leftover of one)? */
bool filevol_is_partial(const char *name);
/* Is a cistern still making it (it holds the lock)? */
bool filevol_partial_busy(int dfd, const char *name);

/* The volume operations every file pool has, for a struct backend. */
#define FILEVOL_OPS \
	.vol_create = filevol_create, \
	.vol_create_from = filevol_create_from, \
	.vol_delete = filevol_delete, \
	.vol_wipe = filevol_wipe, \
	.vol_resize = filevol_resize, \
	.vol_upload = filevol_upload, \
	.vol_download = filevol_download

#endif
