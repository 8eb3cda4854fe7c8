/* cistern — copying bytes between volumes, files and streams, keeping
 * holes: SEEK_DATA/SEEK_HOLE on the source skips what was never written,
 * copy_file_range moves data in the kernel where both ends allow it, and
 * zero blocks are skipped (not written) when the destination is a file
 * being made sparse. Progress and cancellation through a job. */
#ifndef CISTERN_COPY_H
#define CISTERN_COPY_H

#include <stdint.h>

#include "err.h"
#include "job.h"

enum {
	COPY_SPARSE = 1 << 0,      /* leave holes in the destination for
				      holes and zero blocks of the source */
	COPY_NO_KERNEL = 1 << 1,   /* do not use copy_file_range */
	COPY_TO_EOF = 1 << 2,      /* length 0 means "until the source ends"
				      (streams: pipes, sockets) */
};

/* Copy `length` bytes from in@in_off to out@out_off (length 0 with a
 * seekable source: to the source's end). Returns the bytes copied through
 * *copied (may be NULL). The destination is never truncated here. */
int copy_fd(int in, uint64_t in_off, int out, uint64_t out_off,
	    uint64_t length, unsigned flags, struct job *j, uint64_t *copied,
	    struct err *e);

#endif
