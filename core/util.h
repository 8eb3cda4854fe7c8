/* cistern — small helpers shared by every layer: allocation that never
 * returns NULL, string vectors, a growable string buffer, paths. */
#ifndef CISTERN_UTIL_H
#define CISTERN_UTIL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Allocation: abort on out-of-memory (after restoring the terminal through
 * the registered hook), so callers never check for NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
void *xreallocarray(void *p, size_t n, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap);

/* Called before abort() on a fatal error (the UI restores the terminal). */
void util_set_fatal_hook(void (*hook)(void));
void fatal(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* NULL-terminated string vectors. */
size_t strv_len(char *const *v);
char **strv_dup(const char *const *v);
void strv_free(char **v);
void strv_push(char ***v, size_t *n, const char *s);   /* copies s */

/* A growable NUL-terminated string buffer. */
struct sbuf {
	char *s;
	size_t len, cap;
	int indent;   /* spaces written at the start of each sbuf_line */
};
void sbuf_init(struct sbuf *b);
void sbuf_free(struct sbuf *b);
char *sbuf_take(struct sbuf *b);           /* caller frees; b is reset */
void sbuf_add(struct sbuf *b, const char *s);
void sbuf_addn(struct sbuf *b, const char *s, size_t n);
void sbuf_addc(struct sbuf *b, char c);
void sbuf_printf(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void sbuf_vprintf(struct sbuf *b, const char *fmt, va_list ap);
/* Indentation then the formatted text (used by the XML writer). */
void sbuf_line(struct sbuf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Strings. */
bool str_eq(const char *a, const char *b);        /* NULL-safe */
bool str_startswith(const char *s, const char *prefix);
bool str_endswith(const char *s, const char *suffix);
bool str_has_ctrl(const char *s);                  /* any byte < 0x20 or 0x7f */
/* The offset of the first byte that is not valid UTF-8, (size_t)-1 if
 * none. */
size_t utf8_invalid_at(const char *s, size_t len);
/* The first invisible or direction-changing code point of s (bidi
 * controls, zero-width characters, ...), 0 if none, -1: not UTF-8. */
long str_invisible(const char *s);
char *str_trim(char *s);                           /* in place */
/* Parse a whole string as a base-10 (or base) integer; 0 on success. */
int str_to_u64(const char *s, int base, uint64_t *out);
int str_to_i64(const char *s, int base, int64_t *out);

/* Paths. */
/* Collapse repeated slashes and drop a trailing one ("///a//b/" -> "/a/b"),
 * as libvirt's virFileSanitizePath. Returns a new string. */
char *path_sanitize(const char *path);
char *path_join(const char *dir, const char *name);
/* DIR/NAME.EXT (`ext` without its dot): a pool's file in a store dir. */
char *path_join_ext(const char *dir, const char *name, const char *ext);
/* mkdir -p with mode for the created components; 0 or -1 with errno. */
int mkdir_p(const char *path, unsigned mode);

/* Monotonic clock in milliseconds / nanoseconds. */
int64_t now_ms(void);
int64_t now_ns(void);

#endif
