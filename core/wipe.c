/* cistern — wiping data in process, with every libvirt algorithm. */
#include "wipe.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/falloc.h>
#include <linux/fs.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"

#define CHUNK (4u << 20)

/* A pass writes a repeated pattern of 1-3 bytes, or random bytes;
 * `verify` reads the pass back. */
struct pass {
	unsigned char len;        /* 0: random */
	unsigned char pat[3];
	bool verify;
};

#define P1(a) { 1, { a, 0, 0 }, false }
#define P3(a, b, c) { 3, { a, b, c }, false }
#define PV(a) { 1, { a, 0, 0 }, true }
#define PR { 0, { 0, 0, 0 }, false }

/* The published sequences (the same ones scrub(1) writes for libvirt). */
static const struct pass seq_nnsa[] = { PR, PR, PV(0x00) };
static const struct pass seq_dod[] = { PR, P1(0x00), PV(0xff) };
static const struct pass seq_bsi[] = {
	P1(0xff), P1(0xfe), P1(0xfd), P1(0xfb), P1(0xf7), P1(0xef), P1(0xdf),
	P1(0xbf), P1(0x7f),
};
static const struct pass seq_gutmann[] = {
	PR, PR, PR, PR,
	P1(0x55), P1(0xaa),
	P3(0x92, 0x49, 0x24), P3(0x49, 0x24, 0x92), P3(0x24, 0x92, 0x49),
	P1(0x00), P1(0x11), P1(0x22), P1(0x33), P1(0x44), P1(0x55), P1(0x66),
	P1(0x77), P1(0x88), P1(0x99), P1(0xaa), P1(0xbb), P1(0xcc), P1(0xdd),
	P1(0xee), P1(0xff),
	P3(0x92, 0x49, 0x24), P3(0x49, 0x24, 0x92), P3(0x24, 0x92, 0x49),
	P3(0x6d, 0xb6, 0xdb), P3(0xb6, 0xdb, 0x6d), P3(0xdb, 0x6d, 0xb6),
	PR, PR, PR, PR,
};
static const struct pass seq_schneier[] = {
	P1(0x00), P1(0xff), PR, PR, PR, PR, PR,
};
static const struct pass seq_pfitzner7[] = { PR, PR, PR, PR, PR, PR, PR };
static const struct pass seq_pfitzner33[] = {
	PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR,
	PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR, PR,
};
static const struct pass seq_random[] = { PR };
static const struct pass seq_zero[] = { P1(0x00) };

static const struct pass *
sequence(enum wipe_alg alg, int *n)
{
#define SEQ(s) (*n = (int)ARRAY_SIZE(s), s)
	switch (alg) {
	case WIPE_ZERO: return SEQ(seq_zero);
	case WIPE_NNSA: return SEQ(seq_nnsa);
	case WIPE_DOD: return SEQ(seq_dod);
	case WIPE_BSI: return SEQ(seq_bsi);
	case WIPE_GUTMANN: return SEQ(seq_gutmann);
	case WIPE_SCHNEIER: return SEQ(seq_schneier);
	case WIPE_PFITZNER7: return SEQ(seq_pfitzner7);
	case WIPE_PFITZNER33: return SEQ(seq_pfitzner33);
	case WIPE_RANDOM: return SEQ(seq_random);
	case WIPE_TRIM: return SEQ(seq_zero);
	default: *n = 0; return NULL;
	}
#undef SEQ
}

int
wipe_passes(enum wipe_alg alg)
{
	int n;

	sequence(alg, &n);
	return n;
}

int
wipe_pass_pattern(enum wipe_alg alg, int pass, unsigned char pat[3])
{
	int n;
	const struct pass *s = sequence(alg, &n);

	if (s == NULL || pass < 0 || pass >= n)
		return -1;
	memcpy(pat, s[pass].pat, 3);
	return s[pass].len;
}

bool
wipe_pass_verify(enum wipe_alg alg, int pass)
{
	int n;
	const struct pass *s = sequence(alg, &n);

	return s != NULL && pass >= 0 && pass < n && s[pass].verify;
}

/* xoshiro256** (Blackman & Vigna), seeded from getrandom(). */
static uint64_t rng_state[4];
static bool rng_seeded;

static inline uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

static uint64_t
rng_next(void)
{
	uint64_t *s = rng_state;
	uint64_t result = rotl(s[1] * 5, 7) * 9;
	uint64_t t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return result;
}

void
wipe_random_fill(void *buf, size_t n)
{
	unsigned char *p = buf;

	if (!rng_seeded) {
		if (getrandom(rng_state, sizeof(rng_state), 0) !=
		    (ssize_t)sizeof(rng_state)) {
			rng_state[0] = (uint64_t)now_ns();
			rng_state[1] = (uint64_t)getpid() * 0x9e3779b97f4a7c15ull;
			rng_state[2] = 0x6a09e667f3bcc909ull;
			rng_state[3] = 0xbb67ae8584caa73bull;
		}
		rng_seeded = true;
	}
	while (n >= 8) {
		uint64_t v = rng_next();
		memcpy(p, &v, 8);
		p += 8;
		n -= 8;
	}
	if (n > 0) {
		uint64_t v = rng_next();
		memcpy(p, &v, n);
	}
}

static int
write_all(int fd, const unsigned char *buf, size_t n, uint64_t off,
	  struct err *e)
{
	if (fd_write_full(fd, buf, n, (int64_t)off) < 0)
		return err_errno(e, errno, "write failed at offset %llu",
				 (unsigned long long)off);
	return 0;
}

/* One pass over [offset, offset+length). Pattern offsets count from the
 * start of the range, so 3-byte patterns line up from chunk to chunk. */
static int
run_pass(int fd, uint64_t offset, uint64_t length, const struct pass *p,
	 unsigned char *buf, unsigned char *vbuf, struct job *j, struct err *e)
{
	uint64_t done = 0;

	if (p->len == 1)
		memset(buf, p->pat[0], CHUNK);
	while (done < length) {
		size_t n = length - done > CHUNK ? CHUNK : (size_t)(length - done);
		if (job_check(j, e) < 0)
			return -1;
		if (p->len == 0)
			wipe_random_fill(buf, n);
		else if (p->len == 3)
			for (size_t i = 0; i < n; i++)
				buf[i] = p->pat[(done + i) % 3];
		if (write_all(fd, buf, n, offset + done, e) < 0)
			return -1;
		done += n;
		job_advance(j, n);
	}
	if (fdatasync(fd) < 0 && errno != EINVAL)
		return err_errno(e, errno, "cannot sync");
	if (!p->verify)
		return 0;
	/* read the pass back (after dropping what the page cache holds) */
	posix_fadvise(fd, (off_t)offset, (off_t)length, POSIX_FADV_DONTNEED);
	for (done = 0; done < length;) {
		size_t n = length - done > CHUNK ? CHUNK : (size_t)(length - done);
		ssize_t r;
		if (job_check(j, e) < 0)
			return -1;
		r = fd_read_full(fd, vbuf, n, (int64_t)(offset + done));
		if (r < 0)
			return err_errno(e, errno, "verify read failed");
		if (r == 0)
			break;
		for (ssize_t i = 0; i < r; i++)
			if (vbuf[i] != p->pat[0])
				return err_setc(e, ERR_GENERIC,
						"verify failed at offset %llu",
						(unsigned long long)(offset + done +
								     (uint64_t)i));
		done += (uint64_t)r;
	}
	return 0;
}

/* zero and trim without writing, where the kernel can. Returns 1 when
 * done, 0 when the caller must write zeros, -1 on error. */
static int
fast_zero(int fd, bool blockdev, uint64_t offset, uint64_t length, bool trim,
	  struct err *e)
{
	if (blockdev) {
		uint64_t range[2] = { offset, length };
		if (trim) {
			if (ioctl(fd, BLKDISCARD, range) == 0)
				return 1;
			/* a discard that the device refuses: zero instead */
		}
		if (ioctl(fd, BLKZEROOUT, range) == 0)
			return 1;
		return 0;
	}
	if (!trim && fallocate(fd, FALLOC_FL_ZERO_RANGE | FALLOC_FL_KEEP_SIZE,
			       (off_t)offset, (off_t)length) == 0)
		return 1;
	if (fallocate(fd, FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE,
		      (off_t)offset, (off_t)length) == 0)
		return 1;
	if (errno != EOPNOTSUPP && errno != ENOSYS && errno != EINVAL)
		return err_errno(e, errno, "cannot zero the range");
	return 0;
}

int
wipe_fd(int fd, uint64_t offset, uint64_t length, enum wipe_alg alg,
	struct job *j, struct err *e)
{
	struct stat st;
	int npass, rc = 0;
	const struct pass *seq = sequence(alg, &npass);
	unsigned char *buf = NULL, *vbuf = NULL;
	bool blockdev;

	if (seq == NULL)
		return err_setc(e, ERR_INVALID, "unknown wipe algorithm");
	if (fstat(fd, &st) < 0)
		return err_errno(e, errno, "cannot stat the volume");
	blockdev = S_ISBLK(st.st_mode);
	if (length == 0) {
		uint64_t size = (uint64_t)st.st_size;
		if (blockdev && ioctl(fd, BLKGETSIZE64, &size) < 0)
			return err_errno(e, errno, "cannot get the device size");
		if (offset > size)
			return err_setc(e, ERR_INVALID, "offset past the end");
		length = size - offset;
	}
	job_set_total(j, length * (uint64_t)npass);
	if (length == 0)
		return 0;

	if (alg == WIPE_ZERO || alg == WIPE_TRIM) {
		job_phase(j, alg == WIPE_TRIM ? "trimming" : "zeroing");
		int fz = fast_zero(fd, blockdev, offset, length,
				   alg == WIPE_TRIM, e);
		if (fz < 0)
			return -1;
		if (fz == 1) {
			if (fdatasync(fd) < 0 && errno != EINVAL)
				return err_errno(e, errno, "cannot sync");
			job_progress(j, length);
			return 0;
		}
	}
	buf = aligned_alloc(4096, CHUNK);
	vbuf = aligned_alloc(4096, CHUNK);
	if (buf == NULL || vbuf == NULL)
		fatal("out of memory");
	for (int i = 0; i < npass && rc == 0; i++) {
		if (npass > 1) {
			if (seq[i].len == 0)
				job_phase(j, "pass %d/%d (random)", i + 1, npass);
			else
				job_phase(j, "pass %d/%d (0x%02x%s)", i + 1, npass,
					  seq[i].pat[0], seq[i].len == 3 ? "..." : "");
		} else {
			job_phase(j, seq[i].len == 0 ? "writing random data" :
				  "writing zeros");
		}
		rc = run_pass(fd, offset, length, &seq[i], buf, vbuf, j, e);
	}
	free(buf);
	free(vbuf);
	return rc;
}

int
wipe_path(const char *path, enum wipe_alg alg, struct job *j, struct err *e)
{
	int fd = open(path, O_RDWR | O_CLOEXEC);
	int rc;

	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", path);
	rc = wipe_fd(fd, 0, 0, alg, j, e);
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot close '%s'", path);
	return rc;
}
