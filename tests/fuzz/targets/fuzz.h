/* cistern — what every libFuzzer harness shares.
 *
 * Each tests/fuzz/targets/NAME.c defines LLVMFuzzerTestOneInput and is
 * built twice: with clang and libFuzzer for `make fuzz`, and with the
 * normal compiler and tests/fuzz/driver/replay.c for `make check`, which
 * replays tests/fuzz/corpus/NAME and tests/fuzz/regress/NAME. Harnesses
 * stay in memory (no process, no file) so that they run fast. */
#ifndef CISTERN_FUZZ_H
#define CISTERN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A property the code promises is broken: stop with the reason, so that
 * libFuzzer keeps the input as a crash. */
#define FUZZ_ASSERT(cond, what) do { if (!(cond)) { \
	fprintf(stderr, "fuzz: %s\n", what); abort(); } } while (0)

/* The input as a NUL-terminated string (caller frees). */
static inline char *
fuzz_str(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		abort();
	memcpy(s, data, size);
	s[size] = '\0';
	return s;
}

/* Cut the input at its first NUL: *rest and *nrest are what follows. */
static inline size_t
fuzz_split(const uint8_t *data, size_t size, const uint8_t **rest,
	   size_t *nrest)
{
	const uint8_t *z = memchr(data, 0, size);
	size_t n = z ? (size_t)(z - data) : size;

	*rest = z ? z + 1 : data + size;
	*nrest = z ? size - n - 1 : 0;
	return n;
}

/* An error message is one non-empty line. */
#define FUZZ_ONE_LINE(msg) \
	FUZZ_ASSERT((msg)[0] != '\0' && strchr((msg), '\n') == NULL, \
		    "an error message is not one line")

#endif
