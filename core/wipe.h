/* cistern — wiping data in process, with every libvirt algorithm.
 *
 * libvirt needs the external scrub tool for the pattern algorithms; cistern
 * writes the published pass sequences itself (NNSA NAP-14.1-C, DoD
 * 5220.22-M, BSI, Gutmann, Schneier, Pfitzner 7/33), with a verify read
 * where the standard asks for one. zero uses fallocate (ZERO_RANGE, then
 * PUNCH_HOLE) on files and BLKZEROOUT on block devices where it can; trim
 * discards (BLKDISCARD / PUNCH_HOLE); random passes come from a fast
 * xoshiro256** generator seeded by getrandom().
 */
#ifndef CISTERN_WIPE_H
#define CISTERN_WIPE_H

#include <stdbool.h>
#include <stdint.h>

#include "backend.h"
#include "err.h"
#include "job.h"

/* Wipe `length` bytes of fd from `offset` (length 0: to the end of the
 * file or device). Progress covers every pass; cancellation stops between
 * chunks with ERR_CANCELLED. */
int wipe_fd(int fd, uint64_t offset, uint64_t length, enum wipe_alg alg,
	    struct job *j, struct err *e);

/* Open `path` and wipe it whole. */
int wipe_path(const char *path, enum wipe_alg alg, struct job *j,
	      struct err *e);

/* Number of passes of an algorithm, and the fixed byte pattern of pass
 * `pass` (returns its length, 0 for a random pass). */
int wipe_passes(enum wipe_alg alg);
int wipe_pass_pattern(enum wipe_alg alg, int pass, unsigned char pat[3]);
/* Does the standard ask for pass `pass` to be read back and checked? */
bool wipe_pass_verify(enum wipe_alg alg, int pass);

/* Fill a buffer with fast pseudo-random bytes (seeded once per process). */
void wipe_random_fill(void *buf, size_t n);

#endif
