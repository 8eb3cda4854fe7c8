/* cistern — errors as values.
 *
 * Every fallible core call returns 0/-1 (or a pointer/NULL) and fills a
 * caller's struct err: a one-line message naming the object and the cause,
 * and, where an external tool failed, its argv and its stderr.
 * No core function prints or exits.
 */
#ifndef CISTERN_ERR_H
#define CISTERN_ERR_H

#include <stdarg.h>
#include <stdbool.h>

#define ERR_MSG_MAX 1024

enum err_code {
	ERR_NONE = 0,
	ERR_GENERIC,
	ERR_INVALID,     /* bad input: XML, name, size, path, key */
	ERR_EXISTS,      /* object already there */
	ERR_NOT_FOUND,   /* no such pool, volume, device */
	ERR_UNSUPPORTED, /* the backend cannot do this */
	ERR_STATE,       /* wrong pool state for this operation */
	ERR_BUSY,        /* in use: mounted, open, locked */
	ERR_TOOL,        /* an external tool failed */
	ERR_CANCELLED,   /* the operator cancelled */
	ERR_REFUSED,     /* safety refusal: data found, overwrite not given */
	ERR_AUTH,        /* the other side refused our credentials */
};

struct err {
	enum err_code code;
	char msg[ERR_MSG_MAX];   /* one line, never empty once set */
	char **argv;             /* failed tool's argv (NULL-terminated) or NULL */
	char *tool_stderr;       /* failed tool's stderr or NULL */
	int tool_status;         /* its exit status, -1 for a signal/timeout */
};

/* Zero an error before first use. */
void err_init(struct err *e);

/* Free what an error owns and reset it. */
void err_clear(struct err *e);

/* Set the message (printf style); always returns -1 so callers can
 * `return err_set(e, ...)`. Newlines in the result become "; ". */
int err_set(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Set the message with a code. */
int err_setc(struct err *e, enum err_code code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Set the message and append ": strerror(errnum)". */
int err_errno(struct err *e, int errnum, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Put "prefix: " in front of the current message (e.g. the pool name). */
int err_prefix(struct err *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Attach a failed tool's argv, stderr and status (copied). */
void err_set_tool(struct err *e, const char *const argv[],
		  const char *stderr_text, int status);

/* Move an error from src into dst (dst cleared first, src reset). */
void err_move(struct err *dst, struct err *src);

/* True when the error carries a message. */
bool err_isset(const struct err *e);

#endif
