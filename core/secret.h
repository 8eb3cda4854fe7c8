/* cistern — the secrets store: CHAP passwords and cephx keys (libvirt's
 * <auth><secret uuid=.../usage=.../></auth>) kept out of command lines,
 * logs, XML and error messages.
 *
 * One file per secret in CONFIG/secrets/ (directory mode 0700, files 0600,
 * owned by the user running cistern), named by the secret's UUID in
 * lower case, or "usage-" followed by its usage name. A file holds the raw
 * value; one trailing newline is dropped, so `printf 'pw\n' > file` works.
 * A secret file readable by anyone else is refused, as ssh refuses a key.
 * Values never appear in an error message; callers wipe them with
 * secret_free().
 */
#ifndef CISTERN_SECRET_H
#define CISTERN_SECRET_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "model.h"
#include "store.h"

/* Longest secret value (open-iscsi's AUTH_STR_MAX_LEN). */
#define SECRET_MAX 256

/* The file name of a secret given as a UUID or a usage name (malloc'd),
 * or NULL with `e` set when the name cannot be used. */
char *secret_file_name(const char *uuid, const char *usage, struct err *e);

/* Store a value (atomically, mode 0600) under a UUID or a usage name.
 * Respects dry-run (nothing written). */
int secret_set(const struct store *s, const char *uuid, const char *usage,
	       const char *value, size_t len, struct err *e);

/* Remove a secret; ERR_NOT_FOUND when there is none. */
int secret_remove(const struct store *s, const char *uuid, const char *usage,
		  struct err *e);

/* The names of the stored secrets ("UUID" or "usage NAME"), sorted. */
int secret_list(const struct store *s, char ***names, size_t *n,
		struct err *e);

/* Read the secret an <auth> element points at (NUL-terminated, no control
 * characters). The caller wipes and frees it with secret_free(). */
char *secret_get(const struct store *s, const struct pool_auth *auth,
		 size_t *len, struct err *e);

/* Check a value before it is stored or used: not empty, at most
 * SECRET_MAX bytes, no control characters. */
int secret_check_value(const char *value, size_t len, struct err *e);

/* Wipe and free a value. */
void secret_free(char *value, size_t len);

/* Replace every occurrence of `secret` in `text` with "***" (in place):
 * a last guard on messages that came from elsewhere (a library's error
 * string). */
void secret_redact(char *text, const char *secret);

#endif
