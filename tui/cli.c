/* cistern — the batch command line: the verb table, argument parsing,
 * help, errors and progress. */
#include "cli.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "globals.h"

#define POOL_OPTS_BUILD "overwrite no-overwrite"
#define XPATH_HELP \
	"  --xpath EXPR     print only the nodes EXPR selects (XPath), one " \
	"a line\n" \
	"  --wrap           with --xpath: inside one <nodes> element\n"

const struct cli_verb cli_verbs[] = {
	/* pools: definitions */
	{ "pool-define", cmd_pool_define, "file", "validate",
	  "define (but don't start) a pool from an XML file",
	  "  FILE             pool XML (libvirt's format); '-' reads stdin\n"
	  "  --validate       accepted for virsh compatibility (always done)\n",
	  VERB_WRITES },
	{ "pool-define-as", cmd_pool_define_as,
	  "name type source-host? source-path? source-dev? source-name? target?",
	  "source-host= source-port= source-path= source-dev=* source-name= "
	  "target= source-format= auth-type= auth-username= secret-usage= "
	  "secret-uuid= source-initiator= source-protocol-ver= target-mode= "
	  "target-owner= target-group= print-xml",
	  "define a pool from a set of arguments",
	  "  NAME TYPE               pool name and type (dir fs netfs logical "
	  "disk iscsi iscsi-direct rbd)\n"
	  "  --source-host HOST      netfs/iscsi server, Ceph monitor\n"
	  "  --source-port PORT      iSCSI portal port, Ceph monitor port\n"
	  "  --source-path DIR       netfs export (or gluster volume)\n"
	  "  --source-dev DEV        device (repeat for several LVM PVs); iSCSI "
	  "target IQN\n"
	  "  --source-name NAME      volume group name (logical), Ceph pool "
	  "(rbd)\n"
	  "  --target DIR            target path\n"
	  "  --source-format FMT     source format (ext4, nfs, gpt, lvm2, ...)\n"
	  "  --auth-type chap|ceph --auth-username USER --secret-usage U | "
	  "--secret-uuid U\n"
	  "                          CHAP (iSCSI), cephx (rbd); store the password\n"
	  "                          or key with 'cistern secret-set-value U'\n"
	  "  --source-initiator IQN  initiator IQN (iSCSI)\n"
	  "  --source-protocol-ver V NFS protocol version\n"
	  "  --target-mode MODE --target-owner UID --target-group GID\n"
	  "                          the target's permissions (octal mode,\n"
	  "                          numeric ids)\n"
	  "  --print-xml             print the XML instead of defining it\n",
	  VERB_WRITES },
	{ "pool-create", cmd_pool_create, "file",
	  "build overwrite no-overwrite validate",
	  "start a transient pool from an XML file (gone once stopped)",
	  "  --build [--overwrite|--no-overwrite]  build it before starting\n"
	  "The definition is kept in the run dir only; pool-define of the\n"
	  "same XML makes the pool persistent.\n",
	  VERB_WRITES },
	{ "pool-create-as", cmd_pool_create_as,
	  "name type source-host? source-path? source-dev? source-name? target?",
	  "source-host= source-port= source-path= source-dev=* source-name= "
	  "target= source-format= auth-type= auth-username= secret-usage= "
	  "secret-uuid= source-initiator= source-protocol-ver= target-mode= "
	  "target-owner= target-group= print-xml build overwrite no-overwrite",
	  "start a transient pool from a set of arguments (gone once "
	  "stopped)", NULL,
	  VERB_WRITES },
	{ "pool-undefine", cmd_pool_undefine, "pool", "",
	  "undefine an inactive pool", NULL, VERB_WRITES },
	{ "pool-edit", cmd_pool_edit, "pool", "",
	  "edit a pool's XML in $EDITOR (validated before it is saved)", NULL,
	  VERB_WRITES },
	{ "pool-autostart", cmd_pool_autostart, "pool", "disable",
	  "start the pool when cistern first runs after boot",
	  "  --disable        turn autostart off\n", VERB_WRITES },
	{ "pool-event", cmd_pool_event, "pool?",
	  "event= loop timeout= list timestamp all",
	  "wait for storage pool events (from any cistern) and print them",
	  "  --event TYPE     lifecycle (Defined, Undefined, Started, Stopped)\n"
	  "                   or refresh; without it (or with --all): both\n"
	  "  --loop           until --timeout or Ctrl-C, not the first event\n"
	  "  --timeout SECS   stop waiting after SECS seconds\n"
	  "  --timestamp      each event after the time it was seen (UTC)\n"
	  "  --list           the event types\n", 0 },
	{ "import-libvirt", cmd_import_libvirt, "dir?", "",
	  "copy pool definitions from libvirt (default /etc/libvirt/storage)",
	  NULL, VERB_WRITES },
	/* pools: information */
	{ "pool-list", cmd_pool_list, "",
	  "all inactive details type=* autostart no-autostart persistent "
	  "transient name uuid json",
	  "list pools",
	  "  --all            active and inactive pools\n"
	  "  --inactive       only inactive pools\n"
	  "  --details        state, sizes\n"
	  "  --type T         only pools of type T (repeatable, or "
	  "comma-separated)\n"
	  "  --autostart      only pools with autostart\n"
	  "  --no-autostart   only pools without autostart\n"
	  "  --persistent     only persistent pools\n"
	  "  --transient      only transient pools (pool-create's)\n"
	  "  --name | --uuid  print only names or UUIDs\n"
	  "  --json           machine-readable output\n", 0 },
	{ "pool-info", cmd_pool_info, "pool", "bytes json",
	  "show pool information",
	  "  --bytes          sizes in bytes\n  --json           JSON output\n",
	  0 },
	{ "pool-dumpxml", cmd_pool_dumpxml, "pool", "inactive xpath= wrap",
	  "print a pool's XML", XPATH_HELP, 0 },
	{ "pool-name", cmd_pool_name, "pool", "",
	  "print the name of a pool given its UUID", NULL, 0 },
	{ "pool-uuid", cmd_pool_uuid, "pool", "",
	  "print the UUID of a pool given its name", NULL, 0 },
	{ "pool-capabilities", cmd_pool_capabilities, "", "json",
	  "pool types and formats this cistern supports", NULL,
	  VERB_NO_STORE | VERB_NO_CONNECT },
	{ "pool-map", cmd_pool_map, "pool", "bytes json",
	  "the device map of a disk or logical pool (partitions, LVs, free "
	  "extents)", NULL, 0 },
	{ "find-storage-pool-sources", cmd_find_sources, "type srcSpec?", "",
	  "discover pool sources (libvirt's <sources> XML)",
	  "  --srcSpec FILE   (or FILE after TYPE) a <source> to search from,\n"
	  "                   as virsh: its <host>, <initiator>, <auth>\n",
	  VERB_NO_STORE },
	{ "find-storage-pool-sources-as", cmd_find_sources_as,
	  "type host? port?", "initiator= auth-username= secret-usage= "
	  "secret-uuid=",
	  "discover pool sources on a host",
	  "  --initiator IQN  iscsi-direct: the initiator to log in as\n"
	  "  --auth-username USER --secret-usage U | --secret-uuid U\n"
	  "                   rbd: the cephx user and the stored secret that\n"
	  "                   holds its key\n", VERB_NO_STORE },
	/* pools: life cycle */
	{ "pool-build", cmd_pool_build, "pool", POOL_OPTS_BUILD,
	  "build a pool (directory, filesystem, label, volume group)",
	  "  --overwrite      destroy whatever the device holds\n"
	  "  --no-overwrite   probe first and refuse to touch existing data\n",
	  VERB_WRITES },
	{ "pool-start", cmd_pool_start, "pool", "build " POOL_OPTS_BUILD,
	  "start an inactive pool",
	  "  --build [--overwrite|--no-overwrite]  build it first\n",
	  VERB_WRITES },
	{ "pool-destroy", cmd_pool_destroy, "pool", "lazy",
	  "stop a pool (nothing is deleted)",
	  "  --lazy           netfs: lazy unmount when the server is gone\n",
	  VERB_WRITES },
	{ "pool-delete", cmd_pool_delete, "pool", "overwrite",
	  "delete a pool's storage (directory, label, volume group)",
	  "  --overwrite      confirm: destroys the label or volume group\n",
	  VERB_WRITES },
	{ "pool-refresh", cmd_pool_refresh, "pool", "",
	  "rescan a pool's volumes and sizes", NULL, 0 },
	{ "start-autostart", cmd_start_autostart, "", "",
	  "start every inactive pool marked autostart (for boot scripts)",
	  NULL, VERB_WRITES },
	/* volumes */
	{ "vol-list", cmd_vol_list, "pool", "details json",
	  "list a pool's volumes",
	  "  --details        type, capacity, allocation\n"
	  "  --json           machine-readable output\n", 0 },
	{ "vol-info", cmd_vol_info, "vol", "pool= bytes physical json",
	  "show volume information", NULL, 0 },
	{ "vol-dumpxml", cmd_vol_dumpxml, "vol", "pool= xpath= wrap",
	  "print a volume's XML", XPATH_HELP, 0 },
	{ "vol-path", cmd_vol_path, "vol", "pool=",
	  "print a volume's path", NULL, 0 },
	{ "vol-key", cmd_vol_key, "vol", "pool=",
	  "print a volume's key", NULL, 0 },
	{ "vol-name", cmd_vol_name, "vol", "",
	  "print a volume's name given its key or path", NULL, 0 },
	{ "vol-pool", cmd_vol_pool, "vol", "uuid",
	  "print the pool of a volume given its key or path", NULL, 0 },
	{ "vol-create", cmd_vol_create, "pool file", "prealloc-metadata validate",
	  "create a volume from an XML file", NULL, VERB_WRITES },
	{ "vol-create-as", cmd_vol_create_as, "pool name capacity",
	  "allocation= format= backing-vol= backing-vol-format= "
	  "prealloc-metadata print-xml extent-start=",
	  "create a volume from a set of arguments",
	  "  CAPACITY               size with a unit (20G = 20 GiB, 20GB = "
	  "20e9 bytes)\n"
	  "  --allocation SIZE      initial allocation (sparse below "
	  "capacity)\n"
	  "  --format FMT           raw, qcow2, ... (file pools); partition "
	  "type (disk)\n"
	  "  --extent-start BYTES   disk pools: put the partition in the free "
	  "extent\n"
	  "                         starting there (pool-map lists them); "
	  "default:\n"
	  "                         the smallest free extent that fits\n"
	  "  --backing-vol VOL      backing volume (name in this pool, path or "
	  "key)\n"
	  "  --backing-vol-format F its format\n"
	  "  --prealloc-metadata    qcow2: preallocate metadata\n",
	  VERB_WRITES },
	{ "vol-create-from", cmd_vol_create_from, "pool file vol",
	  "inputpool= prealloc-metadata reflink validate",
	  "create a volume from an XML file, copying another volume", NULL,
	  VERB_WRITES },
	{ "vol-clone", cmd_vol_clone, "vol newname",
	  "pool= prealloc-metadata reflink print-xml keep-backing",
	  "clone a volume in its pool",
	  "  --reflink        require a reflink (shared extents)\n"
	  "  --print-xml      print the source's XML with the new name; make "
	  "nothing\n"
	  "  --keep-backing   a qcow2 overlay's clone keeps its backing file\n"
	  "                   (default: a standalone copy, as libvirt)\n",
	  VERB_WRITES },
	{ "vol-delete", cmd_vol_delete, "vol", "pool= delete-snapshots",
	  "delete a volume",
	  "  --delete-snapshots  rbd: delete the image's snapshots with it\n",
	  VERB_WRITES },
	{ "vol-wipe", cmd_vol_wipe, "vol", "pool= algorithm=",
	  "wipe a volume's data",
	  "  --algorithm A    zero (default), nnsa, dod, bsi, gutmann, "
	  "schneier,\n"
	  "                   pfitzner7, pfitzner33, random, trim\n",
	  VERB_WRITES },
	{ "vol-resize", cmd_vol_resize, "vol capacity",
	  "pool= allocate delta shrink",
	  "resize a volume",
	  "  --delta          CAPACITY is added (or with --shrink removed)\n"
	  "  --shrink         allow making it smaller\n"
	  "  --allocate       preallocate the new space\n", VERB_WRITES },
	{ "vol-upload", cmd_vol_upload, "vol file",
	  "pool= offset= length= sparse",
	  "upload a file's content into a volume",
	  "  FILE             a file, or a pipe (/dev/stdin): read to its end\n"
	  "  --offset SIZE    where in the volume to start writing\n"
	  "  --length SIZE    how much of FILE to write (default: all)\n"
	  "  --sparse         zero blocks become holes in the volume\n",
	  VERB_WRITES },
	{ "vol-download", cmd_vol_download, "vol file",
	  "pool= offset= length= sparse",
	  "download a volume's content into a file",
	  "  --offset SIZE    where in the volume to start reading\n"
	  "  --length SIZE    how much to read (default: to the end)\n"
	  "  --sparse         the volume's holes stay holes in FILE\n", 0 },
	/* secrets (CHAP passwords for iSCSI pools, cephx keys for rbd) */
	{ "secret-set-value", cmd_secret_set_value, "secret", "file= usage",
	  "store a secret value (a CHAP password, a cephx key) for "
	  "<auth><secret>",
	  "  SECRET           the secret's uuid or usage name, as the pool's\n"
	  "                   <secret uuid='...'/> or <secret usage='...'/>\n"
	  "  --file FILE      read the value from FILE ('-': stdin); without\n"
	  "                   it, stdin, or the terminal with echo off\n"
	  "  --usage          SECRET is a usage name even if it looks like a\n"
	  "                   uuid\n"
	  "The value is kept in CONFIG/secrets/ (mode 0600) and never shown,\n"
	  "logged or put on a command line. One trailing newline is dropped.\n",
	  VERB_WRITES },
	{ "secret-list", cmd_secret_list, "", "",
	  "list the stored secrets (names only, never values)", NULL, 0 },
	{ "secret-undefine", cmd_secret_undefine, "secret", "usage",
	  "remove a stored secret", NULL, VERB_WRITES },
	/* the connection */
	{ "uri", cmd_uri, "", "",
	  "print the connection's URI (libvirt's, with -c)", NULL, 0 },
	{ "hostname", cmd_hostname, "", "",
	  "print the name of the host the connection manages", NULL, 0 },
	/* the hosts file (CONFIG/hosts): the interface's hosts, -c NAME */
	{ "host-list", cmd_host_list, "", "json",
	  "list the hosts of the hosts file ('local' first: this machine)",
	  "  --json           machine-readable output\n",
	  VERB_NO_STORE | VERB_NO_CONNECT },
	{ "host-add", cmd_host_add, "name uri", "no-autoconnect",
	  "add a libvirt host to the hosts file",
	  "  NAME             letters, digits, '.', '_' and '-' (not 'local');\n"
	  "                   'cistern -c NAME' then connects to URI\n"
	  "  URI              libvirt's, as virsh -c "
	  "(qemu+ssh://root@kvm-03/system)\n"
	  "  --no-autoconnect the interface connects only when asked\n",
	  VERB_WRITES | VERB_NO_STORE | VERB_NO_CONNECT },
	{ "host-edit", cmd_host_edit, "host",
	  "name= uri= autoconnect no-autoconnect",
	  "change a host of the hosts file",
	  "  --name NEW       rename it\n"
	  "  --uri URI        connect to URI instead\n"
	  "  --autoconnect | --no-autoconnect\n"
	  "                   whether the interface connects at start\n",
	  VERB_WRITES | VERB_NO_STORE | VERB_NO_CONNECT },
	{ "host-remove", cmd_host_remove, "host", "",
	  "remove a host from the hosts file (nothing on the host changes)",
	  NULL, VERB_WRITES | VERB_NO_STORE | VERB_NO_CONNECT },
	{ "help", cmd_help, "verb?", "man", "show help",
	  "  --man            the manual page (roff)\n",
	  VERB_NO_STORE | VERB_NO_CONNECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

const struct cli_verb *
cli_find_verb(const char *name)
{
	for (const struct cli_verb *v = cli_verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}

/* The next word of a space-separated spec at *p: its name's length and
 * start; *suffix is what follows the name ("", "?", "...", "=", "=*").
 * NULL at the end. */
static const char *
spec_next(const char **p, size_t *wl, const char **suffix)
{
	const char *w, *end;

	if (*p == NULL)
		return NULL;
	while (**p == ' ')
		(*p)++;
	if (**p == '\0')
		return NULL;
	w = *p;
	end = w;
	while (*end && *end != ' ')
		end++;
	*wl = 0;
	while (w + *wl < end && w[*wl] != '?' && w[*wl] != '=' &&
	       w[*wl] != '.')
		(*wl)++;
	*suffix = w + *wl;
	*p = end;
	return w;
}

bool
cli_spec_has(const char *list, const char *name, size_t nlen,
	     const char **suffix)
{
	const char *p = list, *w, *sfx;
	size_t wl;

	while ((w = spec_next(&p, &wl, &sfx)) != NULL) {
		if (wl == nlen && strncmp(w, name, nlen) == 0) {
			if (suffix)
				*suffix = sfx;
			return true;
		}
	}
	return false;
}

bool
cli_spec_nth(const char *list, size_t nth, char *buf, size_t bufsz)
{
	const char *p = list, *w, *sfx;
	size_t wl, i = 0;

	while ((w = spec_next(&p, &wl, &sfx)) != NULL) {
		bool rest = strncmp(sfx, "...", 3) == 0;
		if (i == nth || (rest && i < nth)) {
			snprintf(buf, bufsz, "%.*s", (int)wl, w);
			return true;
		}
		i++;
	}
	buf[0] = '\0';
	return false;
}

static void
args_add(struct cli_args *a, const char *name, const char *value)
{
	a->v = xreallocarray(a->v, a->n + 1, sizeof(*a->v));
	a->v[a->n++] = (struct cli_arg){ .name = name, .value = value };
}

const char *
cli_get(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return a->v[i].value;
	return NULL;
}

bool
cli_flag(const struct cli_args *a, const char *name)
{
	for (size_t i = 0; i < a->n; i++)
		if (strcmp(a->v[i].name, name) == 0)
			return true;
	return false;
}

size_t
cli_get_all(const struct cli_args *a, const char *name, const char **out,
	    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < a->n && n < max; i++)
		if (strcmp(a->v[i].name, name) == 0)
			out[n++] = a->v[i].value;
	return n;
}

int
cli_print_xml(struct cli *cl, const struct cli_args *a, const char *xml)
{
	const char *expr = cli_get(a, "xpath");
	struct err e;
	char *sel;

	if (expr == NULL) {
		fputs(xml, cl->out);
		return 0;
	}
	err_init(&e);
	sel = xml_xpath_dump(xml, expr, cli_flag(a, "wrap"), &e);
	if (sel == NULL) {
		cli_error(cl, &e);
		err_clear(&e);
		return 1;
	}
	fputs(sel, cl->out);
	free(sel);
	return 0;
}

int
cli_error(struct cli *cl, const struct err *e)
{
	fprintf(cl->err, "error: %s\n", e->msg[0] ? e->msg : "failed");
	if (cl->error[0] == '\0')
		snprintf(cl->error, sizeof(cl->error), "%s",
			 e->msg[0] ? e->msg : "failed");
	if (cl->verbose && e->argv != NULL) {
		char *line = run_argv_line((const char *const *)e->argv);
		fprintf(cl->err, "  command: %s\n", line);
		free(line);
		if (e->tool_stderr && *e->tool_stderr) {
			fputs("  stderr:\n", cl->err);
			const char *s = e->tool_stderr;
			while (*s) {
				const char *eol = strchr(s, '\n');
				size_t n = eol ? (size_t)(eol - s) : strlen(s);
				fprintf(cl->err, "    %.*s\n", (int)n, s);
				s += n;
				if (*s == '\n')
					s++;
			}
		}
	}
	return 1;
}

int
cli_fail(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	char msg[ERR_MSG_MAX];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fprintf(cl->err, "error: %s\n", msg);
	if (cl->error[0] == '\0')
		snprintf(cl->error, sizeof(cl->error), "%s", msg);
	return 1;
}

void
cli_extra(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	if (cl->quiet)
		return;
	va_start(ap, fmt);
	vfprintf(cl->out, fmt, ap);
	va_end(ap);
}

void
cli_warn(struct cli *cl, const char *fmt, ...)
{
	va_list ap;

	fputs("warning: ", cl->err);
	va_start(ap, fmt);
	vfprintf(cl->err, fmt, ap);
	va_end(ap);
	fputc('\n', cl->err);
}

static void
usage_line(FILE *out, const struct cli_verb *v)
{
	fprintf(out, "usage: cistern %s", v->name);
	const char *p = v->pos;
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		size_t wl = 0;
		while (p + wl < end && p[wl] != '?' && p[wl] != '.')
			wl++;
		bool opt = p[wl] == '?';
		fputc(' ', out);
		if (opt)
			fputc('[', out);
		for (size_t i = 0; i < wl; i++)
			fputc(p[i] == '-' ? '-' : (p[i] >= 'a' && p[i] <= 'z') ?
			      p[i] - 32 : p[i], out);
		if (opt)
			fputc(']', out);
		p = end;
	}
	p = v->opts;
	while (p && *p) {
		while (*p == ' ')
			p++;
		const char *end = p;
		while (*end && *end != ' ')
			end++;
		if (end > p) {
			size_t wl = 0;
			while (p + wl < end && p[wl] != '=')
				wl++;
			fprintf(out, " [--%.*s%s]", (int)wl, p,
				p[wl] == '=' ? " X" : "");
		}
		p = end;
	}
	fputc('\n', out);
}

void
cli_help(FILE *out, const char *verb)
{
	if (verb != NULL) {
		const struct cli_verb *v = cli_find_verb(verb);
		if (v == NULL) {
			fprintf(out, "unknown verb '%s'\n", verb);
			return;
		}
		usage_line(out, v);
		fprintf(out, "\n  %s\n", v->summary);
		if (v->help)
			fprintf(out, "\n%s", v->help);
		return;
	}
	fputs("usage: cistern [GLOBAL OPTIONS] [VERB [ARGS]]\n"
	      "\n"
	      "Manage storage pools and volumes (libvirt-compatible XML).\n"
	      "With no verb, on a terminal, the full-screen interface opens;\n"
	      "otherwise the pool list is printed.\n"
	      "\n"
	      "Global options:\n", out);
	globals_help(out);
	fputs("\n"
	      "Verbs:\n", out);
	for (const struct cli_verb *v = cli_verbs; v->name != NULL; v++)
		fprintf(out, "  %-30s %s\n", v->name, v->summary);
	fputs("\nRun 'cistern help VERB' for a verb's options.\n", out);
}

CLI_HANDLER(cmd_help)
{
	if (cli_flag(a, "man"))
		cli_man(cl->out);
	else
		cli_help(cl->out, cli_get(a, "verb"));
	return 0;
}

/* Parse argv (argv[0] = verb) against the verb's spec. */
static int
parse_args(struct cli *cl, const struct cli_verb *v, int argc, char **argv,
	   struct cli_args *a)
{
	const char *posp = v->pos;
	bool only_pos = false;
	int i;

	for (i = 1; i < argc; i++) {
		const char *arg = argv[i];
		const char *suffix;

		if (!only_pos && strcmp(arg, "--") == 0) {
			only_pos = true;
			continue;
		}
		if (!only_pos && arg[0] == '-' && arg[1] == '-' && arg[2] != '\0') {
			const char *name = arg + 2;
			const char *eq = strchr(name, '=');
			size_t nl = eq ? (size_t)(eq - name) : strlen(name);
			char *key;

			if (cli_spec_has(v->opts, name, nl, &suffix)) {
				key = xstrndup(name, nl);
				if (suffix[0] == '=') {
					const char *val = eq ? eq + 1 : NULL;
					if (val == NULL) {
						if (i + 1 >= argc) {
							cli_fail(cl,
								 "option --%s needs a value",
								 key);
							free(key);
							return -1;
						}
						val = argv[++i];
					}
					if (suffix[1] != '*' && cli_get(a, key)) {
						cli_fail(cl, "option --%s given twice",
							 key);
						free(key);
						return -1;
					}
					args_add(a, key, val);
				} else {
					if (eq != NULL) {
						cli_fail(cl,
							 "option --%s takes no value",
							 key);
						free(key);
						return -1;
					}
					args_add(a, key, NULL);
				}
				continue;
			}
			if (cli_spec_has(v->pos, name, nl, &suffix)) {
				/* a positional given by name: --pool NAME */
				key = xstrndup(name, nl);
				const char *val = eq ? eq + 1 : NULL;
				if (val == NULL) {
					if (i + 1 >= argc) {
						cli_fail(cl, "option --%s needs a value",
							 key);
						free(key);
						return -1;
					}
					val = argv[++i];
				}
				if (cli_get(a, key)) {
					cli_fail(cl, "'%s' given twice", key);
					free(key);
					return -1;
				}
				args_add(a, key, val);
				continue;
			}
			cli_fail(cl, "%s: unknown option '%s' (see 'cistern help %s')",
				 v->name, arg, v->name);
			return -1;
		}
		/* next positional not already given by name */
		for (;;) {
			const char *w, *sfx;
			size_t wl;
			if ((w = spec_next(&posp, &wl, &sfx)) == NULL) {
				cli_fail(cl, "%s: unexpected argument '%s' (see "
					 "'cistern help %s')", v->name, arg,
					 v->name);
				return -1;
			}
			char *key = xstrndup(w, wl);
			if (cli_get(a, key) != NULL) {
				free(key);
				continue;
			}
			args_add(a, key, arg);
			break;
		}
	}
	/* every required positional present? */
	const char *p = v->pos, *w, *sfx;
	size_t wl;
	while ((w = spec_next(&p, &wl, &sfx)) != NULL) {
		if (wl == 0 || *sfx == '?')
			continue;
		char *key = xstrndup(w, wl);
		bool have = cli_get(a, key) != NULL;
		if (!have) {
			cli_fail(cl, "%s: missing argument %s (see 'cistern "
				 "help %s')", v->name, key, v->name);
			free(key);
			return -1;
		}
		free(key);
	}
	return 0;
}

void
cli_args_free(struct cli_args *a)
{
	for (size_t i = 0; i < a->n; i++)
		free((char *)a->v[i].name);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

const struct cli_verb *
cli_parse(struct cli *cl, int argc, char **argv, struct cli_args *a)
{
	const struct cli_verb *v = cli_find_verb(argv[0]);

	if (v == NULL) {
		cli_fail(cl, "unknown verb '%s' (see 'cistern help')", argv[0]);
		return NULL;
	}
	if (parse_args(cl, v, argc, argv, a) < 0) {
		cli_args_free(a);
		return NULL;
	}
	return v;
}

int
cli_run(struct cli *cl, int argc, char **argv)
{
	const struct cli_verb *v;
	struct cli_args a = { 0 };
	int rc;

	if ((v = cli_parse(cl, argc, argv, &a)) == NULL)
		return 1;
	if (!(v->flags & VERB_NO_STORE) && cl->c == NULL) {
		cli_args_free(&a);
		return cli_fail(cl, "%s: no config store", v->name);
	}
	rc = v->fn(cl, &a);
	cli_args_free(&a);
	return rc;
}

/* ---- jobs: a progress line and Ctrl-C ---- */

static struct job *volatile sigint_job;

static void
on_sigint(int sig)
{
	(void)sig;
	if (sigint_job != NULL)
		job_cancel(sigint_job);
}

static void
progress_draw(struct job *j, void *arg)
{
	struct cli *cl = arg;
	char done[32], total[32], rate[32];
	int64_t eta = job_eta_s(j);

	if (!cl->progress)
		return;
	size_pretty(j->done, done, sizeof(done));
	size_pretty((uint64_t)job_rate(j), rate, sizeof(rate));
	if (j->total > 0) {
		size_pretty(j->total, total, sizeof(total));
		int pct = (int)(j->done * 100 / (j->total ? j->total : 1));
		fprintf(cl->out, "\r%s: %3d%%  %s / %s  %s/s", j->phase, pct,
			done, total, rate);
		if (eta >= 0)
			fprintf(cl->out, "  %02lld:%02lld left",
				(long long)(eta / 60), (long long)(eta % 60));
	} else {
		fprintf(cl->out, "\r%s: %s  %s/s", j->phase, done, rate);
	}
	fputs("\033[K", cl->out);
	fflush(cl->out);
}

void
cli_job_begin(struct cli *cl, struct job *j, const char *what)
{
	struct sigaction sa;

	job_init(j, progress_draw, cl);
	snprintf(j->phase, sizeof(j->phase), "%s", what);
	cl->job = j;
	sigint_job = j;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_sigint;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
}

void
cli_job_end(struct cli *cl, struct job *j)
{
	signal(SIGINT, SIG_DFL);
	signal(SIGTERM, SIG_DFL);
	sigint_job = NULL;
	cl->job = NULL;
	if (cl->progress && j->last_notify_ms != 0) {
		fputs("\r\033[K", cl->out);
		fflush(cl->out);
	}
}

bool
cli_confirm(struct cli *cl, const char *fmt, ...)
{
	char line[64];
	va_list ap;

	if (!cl->interactive)
		return false;
	va_start(ap, fmt);
	vfprintf(cl->out, fmt, ap);
	va_end(ap);
	fputs(" [y/N] ", cl->out);
	fflush(cl->out);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return false;
	return line[0] == 'y' || line[0] == 'Y';
}

/* Read FILE, or stdin for "-". */
char *
cli_read_input(struct cli *cl, const char *file, size_t *len)
{
	struct err e;
	char *data;

	err_init(&e);
	if (strcmp(file, "-") == 0)
		data = file_read_all("/dev/stdin", XML_MAX_BYTES, len, &e);
	else
		data = file_read_all(file, XML_MAX_BYTES, len, &e);
	if (data == NULL)
		cli_error(cl, &e);
	err_clear(&e);
	return data;
}

struct pool *
cli_pool_arg(struct cli *cl, const struct cli_args *a)
{
	struct err e;
	struct pool *p;

	err_init(&e);
	p = cistern_get_pool(cl->c, cli_get(a, "pool"), &e);
	if (p == NULL)
		cli_error(cl, &e);
	err_clear(&e);
	return p;
}
