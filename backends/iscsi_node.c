/* cistern — the CHAP password in open-iscsi's node records.
 *
 * libvirt sets the password with `iscsiadm --mode node ... --op update
 * --name node.session.auth.password --value SECRET`, which puts the secret
 * in argv (visible in `ps`, in audit and command logs). iscsiadm has no
 * other way in: no stdin, no file option. So cistern lets iscsiadm create
 * the record and set the auth method and user name as libvirt does, then
 * writes the password line into the record files itself: iscsiadm reads
 * them back at login. A record is the file
 *   DBROOT/nodes/<target>/<address>,<port>,<tpgt>/<interface>
 * (or, in old open-iscsi, DBROOT/nodes/<target>/<address>,<port>,<tpgt>),
 * one "name = value" per line, mode 0600, in /etc/iscsi (Debian) or
 * /var/lib/iscsi (others).
 */
#include "iscsi_common.h"

#include <dirent.h>
#include <errno.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/util.h"

#define RECORD_MAX (256u << 10)
#define PASSWORD_KEY "node.session.auth.password"
#define USERNAME_KEY "node.session.auth.username"

static const char *const node_dbs[] = {
	"/etc/iscsi/nodes", "/var/lib/iscsi/nodes",
};

/* Does a record directory's address name `host` (as written, or one of
 * its addresses)? */
static bool
addr_matches(const char *addr, const char *host)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res, *ai;
	bool match = false;

	if (strcmp(addr, host) == 0)
		return true;
	if (getaddrinfo(host, NULL, &hints, &res) != 0)
		return false;
	for (ai = res; ai != NULL && !match; ai = ai->ai_next) {
		char num[NI_MAXHOST];
		if (getnameinfo(ai->ai_addr, ai->ai_addrlen, num, sizeof(num),
				NULL, 0, NI_NUMERICHOST) == 0)
			match = strcmp(num, addr) == 0;
	}
	freeaddrinfo(res);
	return match;
}

/* Every record file for target at host:port. */
static void
node_records(const char *target, const char *host, int port, char ***files,
	     size_t *n)
{
	*files = NULL;
	*n = 0;
	if (strchr(target, '/') != NULL || target[0] == '.')
		return;
	for (size_t i = 0; i < ARRAY_SIZE(node_dbs); i++) {
		char *dir = path_join(node_dbs[i], target);
		DIR *d = opendir(dir);
		struct dirent *de;

		while (d != NULL && (de = readdir(d)) != NULL) {
			char *comma, *addr, *rec;
			struct stat st;
			int p = 0, tpgt = 0, end = 0;

			if (de->d_name[0] == '.')
				continue;
			/* "<address>,<port>,<tpgt>"; an IPv6 address has
			 * colons but no commas */
			comma = strchr(de->d_name, ',');
			if (comma == NULL ||
			    sscanf(comma, ",%d,%d%n", &p, &tpgt, &end) != 2 ||
			    comma[end] != '\0' ||
			    p != (port > 0 ? port : ISCSI_DEFAULT_PORT))
				continue;
			addr = xstrndup(de->d_name, (size_t)(comma - de->d_name));
			if (!addr_matches(addr, host)) {
				free(addr);
				continue;
			}
			free(addr);
			rec = path_join(dir, de->d_name);
			if (lstat(rec, &st) < 0) {
				/* gone meanwhile */
			} else if (S_ISREG(st.st_mode)) {
				strv_push(files, n, rec);
			} else if (S_ISDIR(st.st_mode)) {
				DIR *id = opendir(rec);
				struct dirent *ie;
				while (id && (ie = readdir(id)) != NULL) {
					char *f;
					struct stat fst;
					if (ie->d_name[0] == '.')
						continue;
					f = path_join(rec, ie->d_name);
					if (lstat(f, &fst) == 0 &&
					    S_ISREG(fst.st_mode))
						strv_push(files, n, f);
					free(f);
				}
				if (id)
					closedir(id);
			}
			free(rec);
		}
		if (d != NULL)
			closedir(d);
		free(dir);
	}
}

bool
iscsi_node_exists(const char *target, const char *host, int port)
{
	char **files;
	size_t n;

	node_records(target, host, port, &files, &n);
	strv_free(files);
	return n > 0;
}

/* Is this line the setting `key`? ("key = value", spaces optional) */
static bool
line_is(const char *line, size_t len, const char *key)
{
	size_t kl = strlen(key);

	if (len < kl || strncmp(line, key, kl) != 0)
		return false;
	line += kl;
	len -= kl;
	while (len > 0 && (*line == ' ' || *line == '\t')) {
		line++;
		len--;
	}
	return len > 0 && *line == '=';
}

/* Rewrite one record with the password line after the user name. */
static int
record_set_password(const char *file, const char *secret, struct err *e)
{
	size_t len;
	char *data = file_read_all(file, RECORD_MAX, &len, e);
	struct sbuf b;
	bool placed = false;
	int rc;

	if (data == NULL)
		return -1;
	sbuf_init(&b);
	for (const char *p = data; *p != '\0';) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);

		if (!placed && str_startswith(p, "# END RECORD")) {
			sbuf_printf(&b, PASSWORD_KEY " = %s\n", secret);
			placed = true;
		}
		if (!line_is(p, n, PASSWORD_KEY)) {
			sbuf_addn(&b, p, n);
			sbuf_addc(&b, '\n');
		}
		if (!placed && line_is(p, n, USERNAME_KEY)) {
			sbuf_printf(&b, PASSWORD_KEY " = %s\n", secret);
			placed = true;
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	if (!placed)
		sbuf_printf(&b, PASSWORD_KEY " = %s\n", secret);
	rc = file_write_atomic(file, b.s, b.len, 0600, e);
	explicit_bzero(b.s, b.len);
	explicit_bzero(data, len);
	sbuf_free(&b);
	free(data);
	return rc;
}

int
iscsi_node_set_password(const char *target, const char *host, int port,
			const char *secret, struct err *e)
{
	size_t sl = strlen(secret), n;
	char **files;
	int rc = 0;

	if (sl > 0 && (secret[0] == ' ' || secret[0] == '\t' ||
		       secret[sl - 1] == ' ' || secret[sl - 1] == '\t'))
		return err_setc(e, ERR_INVALID, "open-iscsi cannot use a CHAP "
				"secret that begins or ends with a space");
	if (run_dry_run())
		return 0;
	node_records(target, host, port, &files, &n);
	if (n == 0)
		return err_setc(e, ERR_NOT_FOUND,
				"cannot find the node record iscsiadm made for "
				"%s at %s (looked in %s and %s), so the CHAP "
				"secret cannot be given to it without a command "
				"line", target, host, node_dbs[0], node_dbs[1]);
	for (size_t i = 0; i < n && rc == 0; i++)
		rc = record_set_password(files[i], secret, e);
	strv_free(files);
	return rc;
}
