/* cistern — the command lines of logical pools, in dry-run mode.
 *
 * Start and stop of every logical pool in libvirt's
 * storagepoolxml2argvdata must equal libvirt's command line rendered as
 * libvirt renders it (virCommandToStringFull with line breaks). libvirt
 * has no fixture for stop: its virStorageBackendLogicalSetActive runs the
 * same command with -aln instead of -aly. The other operations are
 * checked against the command lines libvirt's logical backend builds
 * (pvcreate/vgcreate, vgremove -f/pvremove, lvcreate as in
 * virStorageBackendLogicalLVCreate, lvremove -f), with the prompt-free
 * flags cistern adds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/backend.h"
#include "../../core/fileio.h"
#include "../../core/pool.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../../core/xml.h"
#include "../lib/t.h"
#include "../../backends/registry.h"

static struct sbuf lines;       /* every command, one per line */
static struct sbuf libvirt;     /* the last command, libvirt's way */

/* Does an argument need libvirt's shell quoting? */
static bool
needs_quote(const char *s)
{
	for (; *s; s++)
		if (strchr(" \t\n'\"\\$`*?[]{}()<>|&;!#~", *s))
			return true;
	return false;
}

/* virCommandToStringBuf(linebreaks=true, stripCommandPath=true): a
 * line break before each argument, except a value right after an
 * option. */
static void
render_libvirt(const char *const *argv, struct sbuf *b)
{
	const char *prog = strrchr(argv[0], '/');

	sbuf_add(b, prog ? prog + 1 : argv[0]);
	for (size_t i = 1; argv[i] != NULL; i++) {
		bool joined = argv[i][0] != '-' && i > 1 && argv[i - 1][0] == '-';
		sbuf_add(b, joined ? " " : " \\\n");
		if (needs_quote(argv[i])) {
			sbuf_addc(b, '\'');
			sbuf_add(b, argv[i]);
			sbuf_addc(b, '\'');
		} else {
			sbuf_add(b, argv[i]);
		}
	}
	sbuf_addc(b, '\n');
}

/* The run log, in dry-run mode: what would run. */
static void
logger(const struct run_log_entry *ent, void *arg)
{
	char *line;

	(void)arg;
	if (ent->status != RUN_PENDING)
		return;
	line = run_argv_line(ent->argv);
	sbuf_printf(&lines, "%s\n", line);
	free(line);
	sbuf_free(&libvirt);
	sbuf_init(&libvirt);
	render_libvirt(ent->argv, &libvirt);
}

static void
reset(void)
{
	sbuf_free(&lines);
	sbuf_init(&lines);
	sbuf_free(&libvirt);
	sbuf_init(&libvirt);
}

static char *
peer_file(const char *dir, const char *name, const char *ext)
{
	char *path = xasprintf("%s/tests/%s/%s%s", t_peer(), dir, name, ext);
	struct err e;
	size_t len;
	char *data;

	err_init(&e);
	data = file_read_all(path, 1 << 20, &len, &e);
	if (data == NULL)
		T_FAIL("read %s: %s", path, e.msg);
	err_clear(&e);
	free(path);
	return data;
}

static void
check_eq(const char *name, const char *got, const char *want)
{
	if (got != NULL && want != NULL && strcmp(got, want) == 0)
		T_OK("%s", name);
	else
		T_FAIL("%s: got '%s' expected '%s'", name, got ? got : "(null)",
		       want ? want : "(null)");
}

/* Start and stop of one of libvirt's logical pools. */
static void
check_fixture(const struct backend *b, const char *name)
{
	char *xml = peer_file("storagepoolxml2xmlin", name, ".xml");
	char *want = peer_file("storagepoolxml2argvdata", name, ".argv");
	struct pool p = { 0 };
	struct err e;
	char *stop, *at;

	if (xml == NULL || want == NULL)
		goto out;
	err_init(&e);
	p.def = pool_def_parse(xml, strlen(xml), name, &e);
	if (p.def == NULL) {
		T_FAIL("logical_argv_%s_parse: %s", name, e.msg);
		goto out;
	}
	reset();
	T_CHECK(b->start(&p, 0, NULL, &e) == 0, "logical_argv_%s_start_runs",
		name);
	char *slabel = xasprintf("logical_argv_%s_start", name);
	check_eq(slabel, libvirt.s, want);
	free(slabel);
	/* libvirt: the same command with -aln */
	stop = xstrdup(want);
	if ((at = strstr(stop, "-aly")) != NULL)
		at[3] = 'n';
	reset();
	p.state = POOL_RUNNING;
	T_CHECK(b->stop(&p, 0, &e) == 0, "logical_argv_%s_stop_runs", name);
	char *label = xasprintf("logical_argv_%s_stop", name);
	check_eq(label, libvirt.s, stop);
	free(label);
	free(stop);
	pool_def_free(p.def);
	err_clear(&e);
out:
	free(xml);
	free(want);
}

/* A volume of the fixture vol-logical.xml, with a capacity and
 * allocation of our choosing. */
static struct vol_def *
fixture_vol(const char *name, uint64_t cap, uint64_t alloc)
{
	char *xml = peer_file("storagevolxml2xmlin", "vol-logical", ".xml");
	struct vol_def *v;
	struct err e;

	err_init(&e);
	v = xml ? vol_def_parse(xml, strlen(xml), "vol-logical", POOL_LOGICAL,
				0, &e) : NULL;
	free(xml);
	if (v == NULL) {
		T_FAIL("parse vol-logical.xml: %s", e.msg);
		exit(1);
	}
	free(v->name);
	v->name = xstrdup(name);
	v->capacity = cap;
	v->allocation = alloc;
	if (v->backing != NULL) {
		vol_target_clear(v->backing);
		free(v->backing);
		v->backing = NULL;
	}
	return v;
}

static void
check_volumes(const struct backend *b)
{
	char *xml = peer_file("storagepoolxml2xmlin", "pool-logical-create",
			      ".xml");
	struct pool p = { .state = POOL_RUNNING };
	struct vol_def *v;
	struct err e;
	const uint64_t gib = 1ull << 30;

	err_init(&e);
	p.def = xml ? pool_def_parse(xml, strlen(xml), "create", &e) : NULL;
	free(xml);
	if (p.def == NULL) {
		T_FAIL("logical_argv_volumes: %s", e.msg);
		return;
	}

	reset();
	T_CHECK(b->build(&p, 0, NULL, &e) == 0, "logical_argv_build_runs");
	check_eq("logical_argv_build", lines.s,
		 "pvcreate --yes /dev/sdb1\npvcreate --yes /dev/sdb2\n"
		 "pvcreate --yes /dev/sdb3\n"
		 "vgcreate --yes HostVG /dev/sdb1 /dev/sdb2 /dev/sdb3\n");

	reset();
	T_CHECK(b->delete(&p, 0, NULL, &e) < 0 && e.code == ERR_REFUSED &&
		lines.len == 0, "logical_argv_delete_unconfirmed_refused");
	err_clear(&e);
	T_CHECK(b->delete(&p, POOL_DELETE_CONFIRMED, NULL, &e) == 0,
		"logical_argv_delete_runs");
	check_eq("logical_argv_delete", lines.s,
		 "vgremove -f HostVG\npvremove --yes /dev/sdb1\n"
		 "pvremove --yes /dev/sdb2\npvremove --yes /dev/sdb3\n");

	reset();
	v = fixture_vol("data", gib, gib);
	T_CHECK(b->vol_create(&p, v, 0, NULL, &e) == 0,
		"logical_argv_create_runs");
	check_eq("logical_argv_create", lines.s,
		 "lvcreate --yes --name data -L 1048576K HostVG\n");
	check_eq("logical_argv_create_path", v->target.path, "/dev/HostVG/data");
	vol_def_free(v);

	/* allocation below capacity: libvirt's sparse snapshot-style LV,
	 * allocation 0 asks for 1 KiB */
	reset();
	v = fixture_vol("sparse", gib, 0);
	T_CHECK(b->vol_create(&p, v, 0, NULL, &e) == 0,
		"logical_argv_create_sparse_runs");
	check_eq("logical_argv_create_sparse", lines.s,
		 "lvcreate --yes --name sparse -L 1K --type snapshot "
		 "--virtualsize 1048576K HostVG\n");
	vol_def_free(v);
	reset();
	v = fixture_vol("sparse2", 3 * gib + 1, 5 * 1024 * 1024 + 1);
	b->vol_create(&p, v, 0, NULL, &e);
	check_eq("logical_argv_create_sparse_rounds_up", lines.s,
		 "lvcreate --yes --name sparse2 -L 5121K --type snapshot "
		 "--virtualsize 3145729K HostVG\n");
	vol_def_free(v);

	/* a backing volume makes a snapshot of it */
	struct vol_def *base = fixture_vol("base", gib, gib);
	base->target.path = (free(base->target.path),
			     xstrdup("/dev/HostVG/base"));
	pool_add_vol(&p, base);
	reset();
	v = fixture_vol("snap", gib / 2, gib / 2);
	v->backing = xcalloc(1, sizeof(*v->backing));
	perms_init(&v->backing->perms);
	v->backing->path = xstrdup("/dev/HostVG/base");
	T_CHECK(b->vol_create(&p, v, 0, NULL, &e) == 0,
		"logical_argv_create_snapshot_runs");
	check_eq("logical_argv_create_snapshot", lines.s,
		 "lvcreate --yes --name snap -L 524288K -s HostVG/base\n");
	free(v->backing->path);
	v->backing->path = xstrdup("/dev/OtherVG/base");
	reset();
	T_CHECK(b->vol_create(&p, v, 0, NULL, &e) < 0 && lines.len == 0,
		"logical_argv_snapshot_of_foreign_volume_refused");
	err_clear(&e);
	vol_def_free(v);

	/* deleting an origin that has snapshots is refused */
	v = fixture_vol("snap", gib / 2, gib / 2);
	v->backing = xcalloc(1, sizeof(*v->backing));
	perms_init(&v->backing->perms);
	v->backing->path = xstrdup("/dev/HostVG/base");
	pool_add_vol(&p, v);
	reset();
	T_CHECK(b->vol_delete(&p, base, 0, &e) < 0 && e.code == ERR_REFUSED &&
		strstr(e.msg, "snap") != NULL && lines.len == 0,
		"logical_argv_delete_origin_with_snapshot_refused");
	err_clear(&e);
	reset();
	T_CHECK(b->vol_delete(&p, v, 0, &e) == 0, "logical_argv_vol_delete_runs");
	check_eq("logical_argv_vol_delete", lines.s, "lvremove -f HostVG/snap\n");

	/* resize: grow, and shrink only when asked and confirmed */
	reset();
	T_CHECK(b->vol_resize(&p, base, 2 * gib, 0, NULL, &e) == 0,
		"logical_argv_grow_runs");
	check_eq("logical_argv_grow", lines.s,
		 "lvextend --yes -L 2097152K HostVG/base\n");
	reset();
	T_CHECK(b->vol_resize(&p, base, gib / 2, VOL_RESIZE_SHRINK, NULL,
			      &e) < 0 && e.code == ERR_REFUSED && lines.len == 0,
		"logical_argv_shrink_unconfirmed_refused");
	err_clear(&e);
	reset();
	T_CHECK(b->vol_resize(&p, base, gib / 2, VOL_RESIZE_SHRINK |
			      VOL_RESIZE_CONFIRMED, NULL, &e) == 0,
		"logical_argv_shrink_runs");
	check_eq("logical_argv_shrink", lines.s,
		 "lvreduce --yes -L 524288K HostVG/base\n");

	/* names that LVM would read as options never reach it */
	reset();
	v = fixture_vol("-n", gib, gib);
	T_CHECK(b->vol_create(&p, v, 0, NULL, &e) < 0 && lines.len == 0,
		"logical_argv_option_like_name_refused");
	err_clear(&e);
	vol_def_free(v);
	free(p.def->source.name);
	p.def->source.name = xstrdup("--force");
	reset();
	T_CHECK(b->start(&p, 0, NULL, &e) < 0 && lines.len == 0,
		"logical_argv_option_like_vg_refused");
	err_clear(&e);

	pool_clear_vols(&p);
	pool_def_free(p.def);
}

int
main(void)
{
	static const char *const fixtures[] = {
		"pool-logical", "pool-logical-nopath", "pool-logical-create",
		"pool-logical-noname",
	};
	const struct backend *b;

	backends_register_all();
	b = backend_get(POOL_LOGICAL);
	if (b == NULL || b->start == NULL) {
		T_FAIL("logical backend registered");
		return t_done();
	}
	sbuf_init(&lines);
	sbuf_init(&libvirt);
	run_set_dry_run(true);
	run_set_logger(logger, NULL);
	for (size_t i = 0; i < ARRAY_SIZE(fixtures); i++)
		check_fixture(b, fixtures[i]);
	check_volumes(b);
	sbuf_free(&lines);
	sbuf_free(&libvirt);
	return t_done();
}
