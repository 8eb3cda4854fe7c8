/* cistern — qemu-img command lines of file volumes, in dry-run, against
 * libvirt's expected argv (tests/storagevolxml2argvdata): the same volume
 * XML into a dir pool at /var/lib/libvirt/images must give the same
 * command, argument for argument. Encrypted volumes are left out (cistern
 * does not pass volume passphrases to qemu-img and refuses them, tested
 * below), and so is
 * iso-input.argv: a raw-to-raw copy is done in process, not by qemu-img. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../backends/filevol.h"
#include "../../core/fileio.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../../core/xml.h"
#include "../lib/t.h"

static struct sbuf logged;

/* Keep every command dry-run would have run, one per line. */
static void
capture(const struct run_log_entry *ent, void *arg)
{
	char *line;

	(void)arg;
	if (ent->status != RUN_PENDING)
		return;
	line = run_argv_line(ent->argv);
	sbuf_printf(&logged, "%s\n", line);
	free(line);
}

/* libvirt's file with its " \\\n" continuations joined. */
static char *
expected(const char *name)
{
	char *path = xasprintf("%s/tests/storagevolxml2argvdata/%s.argv",
			       t_peer(), name);
	struct err e;
	char *data, *o;
	size_t len;

	err_init(&e);
	data = file_read_all(path, 1 << 20, &len, &e);
	free(path);
	err_clear(&e);
	if (data == NULL)
		return NULL;
	o = data;
	for (char *s = data; *s != '\0';) {
		if (strncmp(s, " \\\n", 3) == 0) {
			*o++ = ' ';
			s += 3;
		} else {
			*o++ = *s++;
		}
	}
	*o = '\0';
	return data;
}

static struct vol_def *
vol(const char *name, unsigned flags)
{
	char *path = xasprintf("%s/tests/storagevolxml2xmlin/%s.xml", t_peer(),
			       name);
	struct err e;
	struct vol_def *v;

	err_init(&e);
	v = vol_def_parse_file(path, POOL_DIR, flags, &e);
	if (v == NULL)
		printf("# %s: %s\n", path, e.msg);
	free(path);
	err_clear(&e);
	return v;
}

static struct pool *
pool(enum pool_type t, const char *target)
{
	struct pool *p = calloc(1, sizeof(*p));

	p->def = pool_def_new(t);
	p->def->name = xstrdup("test");
	p->def->target_path = xstrdup(target);
	p->state = POOL_RUNNING;
	return p;
}

static void
pool_free_test(struct pool *p)
{
	pool_def_free(p->def);
	free(p);
}

/* One case: ok, or what went wrong and what ran (takes `name`). */
static void
report(bool ok, const struct err *e, char *name)
{
	if (ok) {
		T_OK("%s", name);
	} else {
		char *got = xstrdup(logged.s ? logged.s : "(nothing)");
		for (char *c = got; *c; c++)
			if (*c == '\n')
				*c = ';';
		T_FAIL("%s: %s got: %s", name, e->msg[0] ? e->msg : "", got);
		free(got);
	}
	free(name);
}

/* Create `volname` (with parse flags and create flags) and compare. */
static void
check_create(const char *volname, unsigned pflags, unsigned cflags,
	     const char *argvname)
{
	struct pool *p = pool(POOL_DIR, "/var/lib/libvirt/images");
	struct vol_def *v = vol(volname, pflags);
	char *want = expected(argvname);
	struct err e;
	int rc = -1;

	err_init(&e);
	sbuf_free(&logged);
	sbuf_init(&logged);
	if (v != NULL)
		rc = filevol_create(p, v, cflags, NULL, &e);
	report(rc == 0 && want != NULL && logged.s != NULL &&
	       strcmp(logged.s, want) == 0, &e,
	       xasprintf("create %s = libvirt's %s.argv", volname, argvname));
	err_clear(&e);
	free(want);
	vol_def_free(v);
	pool_free_test(p);
}

/* Clone `srcname` of a pool of type `st` into `volname`, and compare. */
static void
check_convert(const char *volname, enum pool_type st, const char *srcname,
	      unsigned cflags, const char *argvname)
{
	struct pool *p = pool(POOL_DIR, "/var/lib/libvirt/images");
	struct pool *sp = pool(st, "/var/lib/libvirt/images");
	struct vol_def *v = vol(volname, VOL_PARSE_NO_CAPACITY);
	struct vol_def *src = vol(srcname, 0);
	char *want = expected(argvname);
	struct err e;
	int rc = -1;

	err_init(&e);
	sbuf_free(&logged);
	sbuf_init(&logged);
	if (v != NULL && src != NULL) {
		if (st == POOL_LOGICAL) {
			free(src->target.format);
			src->target.format = NULL;
		}
		rc = filevol_create_from(p, v, sp, src, cflags, NULL, &e);
	}
	report(rc == 0 && want != NULL && logged.s != NULL &&
	       strcmp(logged.s, want) == 0, &e,
	       xasprintf("clone %s into %s = libvirt's %s.argv", srcname,
			 volname, argvname));
	err_clear(&e);
	free(want);
	vol_def_free(v);
	vol_def_free(src);
	pool_free_test(p);
	pool_free_test(sp);
}

int
main(void)
{
	struct pool *p;
	struct vol_def *v;
	struct err e;

	run_set_dry_run(true);
	run_set_logger(capture, NULL);
	sbuf_init(&logged);

	check_create("vol-qcow2", 0, 0, "qcow2-compat");
	check_create("vol-qcow2-1.1", 0, 0, "qcow2-1.1");
	check_create("vol-qcow2-lazy", 0, 0, "qcow2-lazy");
	check_create("vol-qcow2-nobacking", 0, VOL_CREATE_PREALLOC_METADATA,
		     "qcow2-nobacking-prealloc-compat");
	check_create("vol-qcow2-nocow", 0, 0, "qcow2-nocow-compat");
	check_create("vol-qcow2-zerocapacity", 0, 0, "qcow2-zerocapacity");
	check_create("vol-qcow2-nocapacity-backing", VOL_PARSE_OPT_CAPACITY, 0,
		     "qcow2-nocapacity");
	check_create("vol-qcow2-clusterSize", 0, 0, "qcow2-clusterSize");
	check_convert("vol-qcow2-nobacking", POOL_DIR, "vol-file",
		      VOL_CREATE_PREALLOC_METADATA,
		      "qcow2-nobacking-convert-prealloc-compat");
	check_convert("vol-qcow2-nobacking", POOL_LOGICAL, "vol-logical", 0,
		      "qcow2-from-logical-compat");

	/* encrypted volumes are refused, clearly */
	p = pool(POOL_DIR, "/var/lib/libvirt/images");
	v = vol("vol-luks", 0);
	err_init(&e);
	sbuf_free(&logged);
	sbuf_init(&logged);
	T_CHECK(v != NULL && filevol_create(p, v, 0, NULL, &e) < 0 &&
		e.code == ERR_UNSUPPORTED && strstr(e.msg, "passphrase") &&
		logged.len == 0, "an encrypted volume is refused: %s", e.msg);
	err_clear(&e);
	vol_def_free(v);
	pool_free_test(p);
	sbuf_free(&logged);
	return t_done();
}
