/* cistern — whole-file reads and atomic writes. */
#ifndef CISTERN_FILEIO_H
#define CISTERN_FILEIO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "err.h"

/* Read n bytes from fd at byte `off` (pread), or from where it is when
 * off < 0; fewer only at its end. Returns the count, or -1 (errno).
 * The one read loop (EINTR and short reads). */
ssize_t fd_read_full(int fd, void *buf, size_t n, int64_t off);
/* Write all n bytes likewise; 0, or -1 (errno; ENOSPC when the file takes
 * no more). */
int fd_write_full(int fd, const void *buf, size_t n, int64_t off);

/* A download's output: n bytes written where fd is, or, when `sparse`
 * and they are all zero, skipped over (a hole); 0 or -1 (errno, "seek"
 * in *what, else "write"). fd_sparse_end gives the file the size the
 * last holes left it. */
int fd_write_sparse(int fd, const void *buf, size_t n, bool sparse,
		    const char **what);
int fd_sparse_end(int fd);

/* Read a whole file (at most max bytes) into a NUL-terminated buffer. */
char *file_read_all(const char *path, size_t max, size_t *len, struct err *e);

/* The same for files cistern keeps itself (definitions, state, secrets):
 * refuses, without waiting, anything but a regular file — a FIFO, a
 * device, a symbolic link. */
char *file_read_regular(const char *path, size_t max, size_t *len,
			struct err *e);

/* Replace `path` atomically: write a temporary file in the same directory
 * (".cistern-tmp-XXXXXX"), fsync it, rename it over `path`, fsync the directory.
 * A crash at any point leaves either the old or the new file. */
int file_write_atomic(const char *path, const char *data, size_t len,
		      mode_t mode, struct err *e);

/* The files this process changed, each as it left it: file_write_atomic
 * notes its own; after a link, an unlink, a mkdir or a utime, the caller
 * calls file_note_own. A watcher of their directories (core/watch.c)
 * tells its own changes from other programs' with file_is_own: is the
 * file still as this process left it (the same inode, change time and
 * size; or still gone)? A change by another program after it, even to
 * the same content, is a new inode or change time. */
void file_note_own(const char *path);
bool file_is_own(const char *path);

/* fsync a directory (after a rename or unlink in it). */
int dir_fsync(const char *dir, struct err *e);

/* Remove stale temporary files left by a killed writer (call it only
 * while holding the lock that writers hold). */
void dir_clean_temps(const char *dir);

#endif
