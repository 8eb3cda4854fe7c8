/* cistern — errors as values. */
#include "err.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util.h"

void
err_init(struct err *e)
{
	memset(e, 0, sizeof(*e));
}

void
err_clear(struct err *e)
{
	if (e == NULL)
		return;
	strv_free(e->argv);
	free(e->tool_stderr);
	err_init(e);
}

/* Keep the message on one line: newlines become "; ", other control
 * characters become spaces, trailing separators are trimmed. */
static void
err_flatten(char *msg)
{
	char out[ERR_MSG_MAX];
	size_t o = 0;

	for (const char *p = msg; *p != '\0' && o + 3 < sizeof(out); p++) {
		unsigned char c = (unsigned char)*p;
		if (c == '\n' || c == '\r') {
			/* collapse runs of line breaks */
			if (o > 0 && out[o - 1] != ' ' && p[1] != '\0' &&
			    p[1] != '\n') {
				out[o++] = ';';
				out[o++] = ' ';
			}
		} else if (c < 0x20 || c == 0x7f) {
			out[o++] = ' ';
		} else {
			out[o++] = (char)c;
		}
	}
	while (o > 0 && (out[o - 1] == ' ' || out[o - 1] == ';'))
		o--;
	out[o] = '\0';
	memcpy(msg, out, o + 1);
}

static int
err_vset(struct err *e, enum err_code code, const char *fmt, va_list ap)
{
	if (e == NULL)
		return -1;
	/* a new message replaces the old one; tool details are kept only
	 * if err_set_tool is called again */
	strv_free(e->argv);
	e->argv = NULL;
	free(e->tool_stderr);
	e->tool_stderr = NULL;
	e->tool_status = 0;
	e->code = code;
	vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
	err_flatten(e->msg);
	if (e->msg[0] == '\0')
		snprintf(e->msg, sizeof(e->msg), "unknown error");
	return -1;
}

int
err_set(struct err *e, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, ERR_GENERIC, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_setc(struct err *e, enum err_code code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(e, code, fmt, ap);
	va_end(ap);
	return -1;
}

int
err_errno(struct err *e, int errnum, const char *fmt, ...)
{
	va_list ap;
	size_t len;

	va_start(ap, fmt);
	err_vset(e, ERR_GENERIC, fmt, ap);
	va_end(ap);
	if (e == NULL)
		return -1;
	len = strlen(e->msg);
	const char *why = strerror(errnum);
	if (len + 2 + strlen(why) < sizeof(e->msg)) {
		memcpy(e->msg + len, ": ", 2);
		strcpy(e->msg + len + 2, why);
	}
	if (errnum == EEXIST)
		e->code = ERR_EXISTS;
	else if (errnum == ENOENT)
		e->code = ERR_NOT_FOUND;
	else if (errnum == EBUSY)
		e->code = ERR_BUSY;
	else if (errnum == ECANCELED)
		e->code = ERR_CANCELLED;
	return -1;
}

int
err_prefix(struct err *e, const char *fmt, ...)
{
	char prefix[ERR_MSG_MAX];
	char old[ERR_MSG_MAX];
	va_list ap;

	if (e == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(prefix, sizeof(prefix), fmt, ap);
	va_end(ap);
	memcpy(old, e->msg, sizeof(old));
	size_t pl = strnlen(prefix, sizeof(e->msg) - 1);
	memcpy(e->msg, prefix, pl);
	e->msg[pl] = '\0';
	if (old[0] != '\0' && pl + 2 < sizeof(e->msg)) {
		size_t room = sizeof(e->msg) - pl - 3;
		size_t ol = strnlen(old, room);
		memcpy(e->msg + pl, ": ", 2);
		memcpy(e->msg + pl + 2, old, ol);
		e->msg[pl + 2 + ol] = '\0';
	}
	err_flatten(e->msg);
	if (e->code == ERR_NONE)
		e->code = ERR_GENERIC;
	return -1;
}

void
err_set_tool(struct err *e, const char *const argv[], const char *stderr_text,
	     int status)
{
	if (e == NULL)
		return;
	strv_free(e->argv);
	e->argv = argv ? strv_dup(argv) : NULL;
	free(e->tool_stderr);
	e->tool_stderr = stderr_text ? xstrdup(stderr_text) : NULL;
	e->tool_status = status;
	if (e->code == ERR_NONE || e->code == ERR_GENERIC)
		e->code = ERR_TOOL;
}

void
err_move(struct err *dst, struct err *src)
{
	err_clear(dst);
	*dst = *src;
	err_init(src);
}

bool
err_isset(const struct err *e)
{
	return e != NULL && e->msg[0] != '\0';
}
