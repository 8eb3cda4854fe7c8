/* cistern — command-line verbs for the secrets store (CHAP passwords).
 *
 * virsh's secret-set-value takes the value on its command line (--base64),
 * where `ps` shows it; cistern reads it from a file, from stdin, or from
 * the terminal with echo off, and never prints a value back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/secret.h"
#include "../core/util.h"
#include "cli.h"

/* Split the operator's SECRET into a UUID or a usage name (--usage
 * forces a usage name that looks like a UUID). */
static void
secret_id(const struct cli_args *a, const char **uuid, const char **usage)
{
	const char *id = cli_get(a, "secret");
	unsigned char u[16];

	*uuid = *usage = NULL;
	if (!cli_flag(a, "usage") && model_uuid_parse(id, u) == 0)
		*uuid = id;
	else
		*usage = id;
}

/* Read at most SECRET_MAX + 2 bytes from fd into buf; returns the count or
 * -1. Reading stops at the first newline when `line` is set (a terminal). */
static ssize_t
read_value(int fd, char *buf, size_t cap, bool line)
{
	size_t got = 0;

	while (got < cap) {
		ssize_t r = fd_read_full(fd, buf + got, line ? 1 : cap - got, -1);
		if (r < 0)
			return -1;
		if (r == 0)
			break;
		got += (size_t)r;
		if (line && buf[got - 1] == '\n')
			break;
	}
	return (ssize_t)got;
}

/* Prompt on the terminal with echo off and read one line. */
static ssize_t
read_from_terminal(struct cli *cl, char *buf, size_t cap)
{
	struct termios old, quiet;
	ssize_t n;

	fputs("Enter new value for secret: ", cl->out);
	fflush(cl->out);
	if (tcgetattr(0, &old) < 0)
		return read_value(0, buf, cap, true);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(0, TCSAFLUSH, &quiet);
	n = read_value(0, buf, cap, true);
	tcsetattr(0, TCSAFLUSH, &old);
	fputc('\n', cl->out);
	return n;
}

CLI_HANDLER(cmd_secret_set_value)
{
	const char *file = cli_get(a, "file");
	const char *uuid, *usage;
	char buf[SECRET_MAX + 2];
	ssize_t n;
	struct err e;
	int fd = 0, rc = 0;

	if (cl->c->read_only)
		return cli_fail(cl, "cistern is in read-only mode");
	if (file != NULL && strcmp(file, "-") != 0) {
		fd = open(file, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return cli_fail(cl, "cannot open '%s': %s", file,
					strerror(errno));
	}
	if (fd == 0 && file == NULL && isatty(0))
		n = read_from_terminal(cl, buf, sizeof(buf));
	else
		n = read_value(fd, buf, sizeof(buf), false);
	if (fd > 0)
		close(fd);
	if (n < 0) {
		explicit_bzero(buf, sizeof(buf));
		return cli_fail(cl, "cannot read the secret value: %s",
				strerror(errno));
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	secret_id(a, &uuid, &usage);
	err_init(&e);
	if (secret_set(&cl->c->store, uuid, usage, buf, (size_t)n, &e) < 0)
		rc = cli_error(cl, &e);
	else
		fputs(run_dry_run() ? "Secret value not set (dry run)\n" :
		      "Secret value set\n", cl->out);
	explicit_bzero(buf, sizeof(buf));
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_secret_undefine)
{
	const char *uuid, *usage;
	struct err e;
	int rc = 0;

	if (cl->c->read_only)
		return cli_fail(cl, "cistern is in read-only mode");
	secret_id(a, &uuid, &usage);
	err_init(&e);
	if (secret_remove(&cl->c->store, uuid, usage, &e) < 0)
		rc = cli_error(cl, &e);
	else
		cli_extra(cl, "Secret %s %s\n", cli_get(a, "secret"),
			run_dry_run() ? "not deleted (dry run)" : "deleted");
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_secret_list)
{
	char **names;
	size_t n;
	struct err e;
	int rc = 0;

	(void)a;
	err_init(&e);
	if (secret_list(&cl->c->store, &names, &n, &e) < 0) {
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	for (size_t i = 0; i < n; i++)
		fprintf(cl->out, "%s\n", names[i]);
	strv_free(names);
	return 0;
}
