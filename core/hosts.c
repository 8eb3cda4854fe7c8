/* cistern — the hosts file (core/hosts.h): read, checked, changed in
 * memory, written back atomically with its comments. */
#include "hosts.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "run.h"
#include "util.h"

#define HOSTS_MAX_BYTES (1024 * 1024)
#define HOST_LINE_FORM "NAME = URI [autoconnect=no]"

/* A byte a host name may hold. */
static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-';
}

int
host_name_check(const char *name, struct err *e)
{
	size_t n = strlen(name);

	if (n == 0)
		return err_setc(e, ERR_INVALID, "a host needs a name");
	for (size_t i = 0; i < n; i++)
		if (!name_char(name[i]))
			return err_setc(e, ERR_INVALID, "'%s': a host name is "
					"letters, digits, '.', '_' and '-'",
					name);
	if (n > HOST_NAME_MAX_LEN)
		return err_setc(e, ERR_INVALID, "'%.20s...': a host name is "
				"at most %d characters", name,
				HOST_NAME_MAX_LEN);
	if (name[0] == '-' || name[0] == '.')
		return err_setc(e, ERR_INVALID, "'%s': a host name does not "
				"start with '%c'", name, name[0]);
	if (strcmp(name, HOST_LOCAL) == 0)
		return err_setc(e, ERR_INVALID, "'%s': the name is reserved "
				"for this machine", name);
	return 0;
}

int
host_uri_check(const char *uri, struct err *e)
{
	const char *sep;
	size_t i;

	if (*uri == '\0')
		return err_setc(e, ERR_INVALID, "a host needs a URI");
	for (i = 0; uri[i] != '\0'; i++) {
		unsigned char c = (unsigned char)uri[i];
		if (c <= 0x20 || c == 0x7f)
			return err_setc(e, ERR_INVALID, "a URI holds no blank "
					"or control characters");
	}
	sep = strstr(uri, "://");
	/* the scheme: a letter, then letters, digits, '+', '-', '.' */
	for (i = 0; sep != NULL && uri + i < sep; i++) {
		char c = uri[i];
		bool letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
		if (!letter && (i == 0 || !((c >= '0' && c <= '9') ||
					    c == '+' || c == '-' || c == '.')))
			break;
	}
	if (sep == NULL || i == 0 || uri + i != sep)
		return err_setc(e, ERR_INVALID, "'%s': a URI is "
				"DRIVER[+TRANSPORT]://[HOST]/PATH, such as "
				"qemu+ssh://root@kvm-03/system", uri);
	return 0;
}

struct host_entry *
hosts_find(const struct hosts *h, const char *name)
{
	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i].name, name) == 0)
			return &h->v[i];
	return NULL;
}

static void
entry_free(struct host_entry *he)
{
	free(he->name);
	free(he->uri);
	free(he->before);
	free(he->line);
	memset(he, 0, sizeof(*he));
}

void
hosts_free(struct hosts *h)
{
	for (size_t i = 0; i < h->n; i++)
		entry_free(&h->v[i]);
	free(h->v);
	free(h->path);
	free(h->tail);
	memset(h, 0, sizeof(*h));
}

/* The options after the URI: autoconnect=yes|no. */
static int
parse_option(const char *word, bool *autoconnect, struct err *e)
{
	if (strcmp(word, "autoconnect=yes") == 0)
		*autoconnect = true;
	else if (strcmp(word, "autoconnect=no") == 0)
		*autoconnect = false;
	else
		return err_setc(e, ERR_INVALID, "'%s': the one option after "
				"the URI is autoconnect=yes or autoconnect=no",
				word);
	return 0;
}

/* One host line (trimmed, not a comment) into *he; e without the
 * file:line prefix. */
static int
parse_host(char *s, struct host_entry *he, struct err *e)
{
	char *eq = strchr(s, '='), *name, *rest, *word, *save = NULL;
	bool autoconnect = true;

	if (eq == NULL)
		return err_setc(e, ERR_INVALID, "'%s': a host line is "
				HOST_LINE_FORM, s);
	*eq = '\0';
	name = str_trim(s);
	rest = eq + 1;
	if (host_name_check(name, e) < 0)
		return -1;
	word = strtok_r(rest, " \t\r", &save);
	if (word == NULL)
		return err_setc(e, ERR_INVALID, "host '%s': no URI after '='",
				name);
	if (host_uri_check(word, e) < 0)
		return -1;
	he->uri = xstrdup(word);
	while ((word = strtok_r(NULL, " \t\r", &save)) != NULL) {
		if (parse_option(word, &autoconnect, e) < 0) {
			free(he->uri);
			he->uri = NULL;
			return -1;
		}
	}
	he->name = xstrdup(name);
	he->autoconnect = autoconnect;
	return 0;
}

/* Append a new entry to h (no checks). */
static struct host_entry *
entry_push(struct hosts *h)
{
	h->v = xreallocarray(h->v, h->n + 1, sizeof(*h->v));
	memset(&h->v[h->n], 0, sizeof(h->v[h->n]));
	return &h->v[h->n++];
}

/* Parse the file's text into h; "PATH:LINE: ..." on a bad line. */
static int
hosts_parse(struct hosts *h, char *text, struct err *e)
{
	struct sbuf before;
	char *line = text, *next;
	int lineno = 0;

	sbuf_init(&before);
	for (; *line != '\0'; line = next) {
		char *nl = strchr(line, '\n'), *copy, *s;
		struct host_entry he = { 0 };

		next = nl ? nl + 1 : line + strlen(line);
		if (nl)
			*nl = '\0';
		lineno++;
		copy = xstrdup(line);
		s = str_trim(line);
		if (*s == '\0' || *s == '#') {
			sbuf_add(&before, copy);
			sbuf_addc(&before, '\n');
			free(copy);
			continue;
		}
		if (parse_host(s, &he, e) < 0) {
			free(copy);
			sbuf_free(&before);
			return err_prefix(e, "%s:%d", h->path, lineno);
		}
		if (hosts_find(h, he.name) != NULL) {
			err_setc(e, ERR_EXISTS, "%s:%d: host '%s' is defined "
				 "twice", h->path, lineno, he.name);
			entry_free(&he);
			free(copy);
			sbuf_free(&before);
			return -1;
		}
		he.line = copy;
		he.before = before.len ? sbuf_take(&before) : NULL;
		*entry_push(h) = he;
	}
	h->tail = before.len ? sbuf_take(&before) : NULL;
	sbuf_free(&before);
	return 0;
}

int
hosts_load(const char *config_dir, struct hosts *out, struct err *e)
{
	struct stat st;
	char *text;
	size_t len;
	int rc;

	memset(out, 0, sizeof(*out));
	out->path = path_join(config_dir, HOSTS_FILE);
	if (lstat(out->path, &st) < 0 && errno == ENOENT)
		return 0;
	text = file_read_regular(out->path, HOSTS_MAX_BYTES, &len, e);
	if (text == NULL)
		return -1;
	if (strlen(text) != len) {
		free(text);
		return err_setc(e, ERR_INVALID, "%s: not a text file (a NUL "
				"byte)", out->path);
	}
	rc = hosts_parse(out, text, e);
	free(text);
	if (rc < 0) {
		char *path = out->path;
		out->path = NULL;
		hosts_free(out);
		out->path = path;
	}
	return rc;
}

/* Is `name` free for host `self` (NULL: a new host)? */
static int
name_free(const struct hosts *h, const char *name,
	  const struct host_entry *self, struct err *e)
{
	const struct host_entry *other = hosts_find(h, name);

	if (other != NULL && other != self)
		return err_setc(e, ERR_EXISTS, "host '%s' is already in %s",
				name, h->path);
	return 0;
}

int
hosts_add(struct hosts *h, const char *name, const char *uri,
	  bool autoconnect, struct err *e)
{
	struct host_entry *he;

	if (host_name_check(name, e) < 0 || host_uri_check(uri, e) < 0 ||
	    name_free(h, name, NULL, e) < 0)
		return -1;
	he = entry_push(h);
	/* after every line of the file, its last comments too */
	he->before = h->tail;
	h->tail = NULL;
	he->name = xstrdup(name);
	he->uri = xstrdup(uri);
	he->autoconnect = autoconnect;
	return 0;
}

/* "no host 'NAME' in PATH" (returns -1). */
static int
no_host(const struct hosts *h, const char *name, struct err *e)
{
	if (strcmp(name, HOST_LOCAL) == 0)
		return err_setc(e, ERR_INVALID, "'%s' is this machine, not a "
				"host of %s", name, h->path);
	return err_setc(e, ERR_NOT_FOUND, "no host '%s' in %s", name,
			h->path);
}

int
hosts_set(struct hosts *h, const char *name, const struct host_change *ch,
	  struct err *e)
{
	struct host_entry *he = hosts_find(h, name);

	if (he == NULL)
		return no_host(h, name, e);
	if (ch->name != NULL && (host_name_check(ch->name, e) < 0 ||
				 name_free(h, ch->name, he, e) < 0))
		return -1;
	if (ch->uri != NULL && host_uri_check(ch->uri, e) < 0)
		return -1;
	if (ch->name != NULL) {
		free(he->name);
		he->name = xstrdup(ch->name);
	}
	if (ch->uri != NULL) {
		free(he->uri);
		he->uri = xstrdup(ch->uri);
	}
	if (ch->autoconnect >= 0)
		he->autoconnect = ch->autoconnect != 0;
	/* written anew (an unchanged edit keeps the operator's spacing) */
	if (ch->name != NULL || ch->uri != NULL || ch->autoconnect >= 0) {
		free(he->line);
		he->line = NULL;
	}
	return 0;
}

int
hosts_remove(struct hosts *h, const char *name, struct err *e)
{
	struct host_entry *he = hosts_find(h, name);
	size_t i;
	char **keep;

	if (he == NULL)
		return no_host(h, name, e);
	i = (size_t)(he - h->v);
	/* its comments stay, before the next host or at the end */
	keep = i + 1 < h->n ? &h->v[i + 1].before : &h->tail;
	if (he->before != NULL) {
		char *joined = xasprintf("%s%s", he->before,
					 *keep ? *keep : "");
		free(*keep);
		*keep = joined;
	}
	entry_free(he);
	memmove(&h->v[i], &h->v[i + 1], (h->n - i - 1) * sizeof(*h->v));
	h->n--;
	return 0;
}

/* The file's text. */
static char *
hosts_text(const struct hosts *h)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < h->n; i++) {
		const struct host_entry *he = &h->v[i];
		if (he->before != NULL)
			sbuf_add(&b, he->before);
		if (he->line != NULL)
			sbuf_printf(&b, "%s\n", he->line);
		else
			sbuf_printf(&b, "%s = %s%s\n", he->name, he->uri,
				  he->autoconnect ? "" : " autoconnect=no");
	}
	if (h->tail != NULL)
		sbuf_add(&b, h->tail);
	return sbuf_take(&b);
}

int
hosts_save(const struct hosts *h, struct store *s, bool read_only,
	   struct err *e)
{
	char *text;
	int rc;

	if (read_only)
		return err_setc(e, ERR_REFUSED, "cistern is in read-only mode");
	if (run_dry_run())
		return 0;
	if (store_lock(s, e) < 0)
		return -1;
	text = hosts_text(h);
	rc = file_write_atomic(h->path, text, strlen(text), 0600, e);
	free(text);
	store_unlock(s);
	return rc;
}

int
hosts_edit(struct store *s, bool read_only, hosts_edit_fn fn, void *arg,
	   struct hosts *out, struct err *e)
{
	struct hosts h;
	bool locked = false;
	int rc = -1;

	memset(&h, 0, sizeof(h));
	/* nothing made in read-only mode or with --dry-run: not even the
	 * config dir or its lock file */
	if (read_only) {
		err_setc(e, ERR_REFUSED, "cistern is in read-only mode");
		goto out;
	}
	if (!run_dry_run()) {
		if (store_lock(s, e) < 0)
			goto out;
		locked = true;
	}
	if (hosts_load(s->config_dir, &h, e) < 0 || fn(&h, arg, e) < 0 ||
	    hosts_save(&h, s, read_only, e) < 0)
		goto out;
	rc = 0;
out:
	if (locked)
		store_unlock(s);
	if (out != NULL && rc == 0)
		*out = h;
	else
		hosts_free(&h);
	return rc;
}

int
hosts_resolve(const char *config_dir, const char *word, char **uri,
	      struct err *e)
{
	struct hosts h;
	struct host_entry *he;
	int rc = -1;

	*uri = NULL;
	if (strchr(word, ':') != NULL) {
		*uri = xstrdup(word);
		return 0;
	}
	if (*word == '\0' || strcmp(word, HOST_LOCAL) == 0)
		return 0;
	if (hosts_load(config_dir, &h, e) < 0) {
		hosts_free(&h);
		return -1;
	}
	he = hosts_find(&h, word);
	if (he != NULL) {
		*uri = xstrdup(he->uri);
		rc = 0;
	} else {
		no_host(&h, word, e);
	}
	hosts_free(&h);
	return rc;
}
