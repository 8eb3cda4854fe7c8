/* cistern — command-line verbs for volumes. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/build.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "cli.h"
#include "columns.h"
#include "table.h"

/* The running pool `name`, its volumes read in full, or (`list`:
 * VOL_LIST_NAMES, VOL_LIST_SIZES) as far as a list needs. */
static struct pool *
active_pool(struct cli *cl, const char *name, int list)
{
	struct err e;
	struct pool *p;

	err_init(&e);
	p = cistern_get_pool(cl->c, name, &e);
	if (p != NULL && !pool_is_active(p)) {
		err_setc(&e, ERR_STATE, "pool '%s' is not active", p->def->name);
		p = NULL;
	}
	if (p != NULL && (list ? pool_ensure_listed(cl->c, p, list, &e) :
			  pool_ensure_refreshed(cl->c, p, &e)) < 0)
		p = NULL;
	if (p == NULL)
		cli_error(cl, &e);
	err_clear(&e);
	return p;
}

/* The volume named by the "vol" argument (with --pool, a name; without,
 * a key or path). */
static struct vol_def *
get_vol(struct cli *cl, const struct cli_args *a, struct pool **pool)
{
	struct err e;
	struct vol_def *v;

	err_init(&e);
	v = cistern_find_vol(cl->c, cli_get(a, "pool"), cli_get(a, "vol"), pool,
			     &e);
	if (v == NULL)
		cli_error(cl, &e);
	err_clear(&e);
	return v;
}

static int
cmp_vol_names(const void *x, const void *y)
{
	const struct vol_def *const *a = x, *const *b = y;

	return strcmp((*a)->name, (*b)->name);
}

CLI_HANDLER(cmd_vol_list)
{
	bool details = cli_flag(a, "details"), json = cli_flag(a, "json");
	/* the text columns need no volume XML; --json prints every field */
	struct pool *p = active_pool(cl, cli_get(a, "pool"), json ? 0 :
				     details ? VOL_LIST_SIZES : VOL_LIST_NAMES);
	struct vol_def **vols;

	if (p == NULL)
		return 1;
	vols = xcalloc(p->nvols + 1, sizeof(*vols));
	memcpy(vols, p->vols, p->nvols * sizeof(*vols));
	qsort(vols, p->nvols, sizeof(*vols), cmp_vol_names);

	if (json) {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < p->nvols; i++) {
			struct row r = { .pool = p, .vol = vols[i] };
			json_object_array_add(arr, columns_json(vol_columns, &r));
		}
		json_print(cl->out, arr);
		json_object_put(arr);
	} else {
		static const char *const ids_short[] = { "name", "path", NULL };
		static const char *const ids_details[] = {
			"name", "path", "type", "capacity", "allocation", NULL,
		};
		const char *const *ids = details ? ids_details : ids_short;
		const char *hdr[8], *cells[8];
		size_t nc = 0;
		struct table t;

		while (ids[nc] != NULL) {
			hdr[nc] = column_find(vol_columns, ids[nc])->title;
			nc++;
		}
		table_init(&t, nc, hdr);
		for (size_t i = 0; i < p->nvols; i++) {
			struct row r = { .pool = p, .vol = vols[i] };
			struct cell cs[8];
			for (size_t k = 0; k < nc; k++) {
				column_cell(column_find(vol_columns, ids[k]), &r,
					    &cs[k], false);
				cells[k] = cs[k].text;
			}
			table_add(&t, cells);
		}
		t.no_header = cl->quiet;
		table_print(cl->out, &t);
		table_free(&t);
	}
	free(vols);
	return 0;
}

CLI_HANDLER(cmd_vol_info)
{
	struct pool *p = NULL;
	struct vol_def *v = get_vol(cl, a, &p);
	bool bytes = cli_flag(a, "bytes");
	struct row r;

	if (v == NULL)
		return 1;
	r = (struct row){ .pool = p, .vol = v };
	if (cli_flag(a, "json")) {
		json_object *o = columns_json(vol_columns, &r);
		json_object_object_add(o, "pool",
				       json_object_new_string(p->def->name));
		json_object_object_add(o, "physical",
				       json_object_new_int64((int64_t)vol_physical(v)));
		json_object_object_add(o, "note", v->note ?
				       json_object_new_string(v->note) : NULL);
		json_print(cl->out, o);
		json_object_put(o);
		return 0;
	}
	/* virsh's lines only (scripts count them); format, path, backing
	 * and notes are in --json */
	static const char *const ids[] = {
		"name", "type", "capacity", "allocation", NULL,
	};
	for (size_t i = 0; ids[i]; i++) {
		const struct column *col = column_find(vol_columns, ids[i]);
		struct cell c;
		char label[32];
		column_cell(col, &r, &c, bytes);
		if (cli_flag(a, "physical") && strcmp(ids[i], "allocation") == 0) {
			/* virsh --physical: the size on disk instead */
			if (bytes)
				snprintf(c.buf, sizeof(c.buf), "%llu",
					 (unsigned long long)vol_physical(v));
			else
				size_pretty(vol_physical(v), c.buf,
					    sizeof(c.buf));
			c.text = c.buf;
			snprintf(label, sizeof(label), "Physical:");
		} else {
			snprintf(label, sizeof(label), "%s:", col->title);
		}
		fprintf(cl->out, "%-15s %s%s\n", label, c.text,
			bytes && col->kind == COL_SIZE ? " bytes" : "");
	}
	return 0;
}

CLI_HANDLER(cmd_vol_dumpxml)
{
	struct pool *p = NULL;
	struct vol_def *v = get_vol(cl, a, &p);
	struct err e;
	char *xml;
	int rc;

	if (v == NULL)
		return 1;
	err_init(&e);
	xml = vol_dumpxml(cl->c, p, v, &e);
	if (xml == NULL) {
		cli_error(cl, &e);
		err_clear(&e);
		return 1;
	}
	rc = cli_print_xml(cl, a, xml);
	free(xml);
	return rc;
}

CLI_HANDLER(cmd_vol_path)
{
	struct vol_def *v = get_vol(cl, a, NULL);

	if (v == NULL)
		return 1;
	fprintf(cl->out, "%s\n", v->target.path ? v->target.path : "");
	return 0;
}

CLI_HANDLER(cmd_vol_key)
{
	struct vol_def *v = get_vol(cl, a, NULL);

	if (v == NULL)
		return 1;
	fprintf(cl->out, "%s\n", v->key ? v->key : "");
	return 0;
}

CLI_HANDLER(cmd_vol_name)
{
	struct vol_def *v = get_vol(cl, a, NULL);

	if (v == NULL)
		return 1;
	fprintf(cl->out, "%s\n", v->name);
	return 0;
}

CLI_HANDLER(cmd_vol_pool)
{
	struct pool *p = NULL;
	struct vol_def *v = get_vol(cl, a, &p);
	char u[37];

	if (v == NULL)
		return 1;
	if (cli_flag(a, "uuid")) {
		uuid_format(p->def->uuid, u);
		fprintf(cl->out, "%s\n", u);
	} else {
		fprintf(cl->out, "%s\n", p->def->name);
	}
	return 0;
}

static int
create_vol(struct cli *cl, struct pool *p, struct vol_def *v, unsigned flags)
{
	struct job j;
	struct err e;
	int rc = 0;

	err_init(&e);
	cli_job_begin(cl, &j, "creating");
	if (vol_create(cl->c, p, v, flags, &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	err_clear(&e);
	return rc;
}

/* The size the backend actually made, when it differs (alignment). */
static void
report_size(struct cli *cl, const struct vol_def *v, uint64_t asked)
{
	char a[32], b[32];

	if (v->capacity != asked && asked != 0 && !run_dry_run())
		cli_extra(cl, "Vol %s: capacity %s (asked for %s; "
			"aligned)\n", v->name, size_pretty(v->capacity, a,
							   sizeof(a)),
			size_pretty(asked, b, sizeof(b)));
}

CLI_HANDLER(cmd_vol_create)
{
	struct pool *p = active_pool(cl, cli_get(a, "pool"), 0);
	const char *file = cli_get(a, "file");
	struct vol_def *v;
	struct err e;
	uint64_t asked;
	int rc;

	if (p == NULL)
		return 1;
	err_init(&e);
	v = vol_def_parse_file(strcmp(file, "-") ? file : "/dev/stdin",
			       p->def->type, VOL_PARSE_OPT_CAPACITY, &e);
	if (v == NULL) {
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	asked = v->capacity;
	rc = create_vol(cl, p, v, cli_flag(a, "prealloc-metadata") ?
			VOL_CREATE_PREALLOC_METADATA : 0);
	if (rc == 0 && !run_dry_run()) {
		cli_extra(cl, "Vol %s created from %s\n", v->name, file);
		report_size(cl, v, asked);
	}
	vol_def_free(v);
	return rc;
}

/* Resolve --backing-vol as virsh does: a name in this pool, else a key
 * or a path anywhere. */
static const struct vol_def *
find_backing(struct cli *cl, struct pool *p, const char *name)
{
	struct vol_def *v = pool_find_vol(p, name);
	struct err e;

	if (v != NULL)
		return v;
	err_init(&e);
	v = cistern_find_vol(cl->c, NULL, name, NULL, &e);
	err_clear(&e);
	return v;
}

CLI_HANDLER(cmd_vol_create_as)
{
	struct pool *p = active_pool(cl, cli_get(a, "pool"), 0);
	const char *alloc = cli_get(a, "allocation");
	const char *fmt = cli_get(a, "format");
	const char *bvol = cli_get(a, "backing-vol");
	const char *bfmt = cli_get(a, "backing-vol-format");
	const char *xstart = cli_get(a, "extent-start");
	struct vol_args va;
	struct vol_def *v;
	struct err e;
	uint64_t cap, al = 0, start = 0;
	char *xml = NULL;
	int rc;

	if (p == NULL)
		return 1;
	err_init(&e);
	if (size_parse(cli_get(a, "capacity"), &cap, &e) < 0 ||
	    (alloc && size_parse(alloc, &al, &e) < 0) ||
	    (xstart && size_parse(xstart, &start, &e) < 0)) {
		err_prefix(&e, "vol-create-as");
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	if (xstart && (p->def->source.ndevices == 0 ||
		       p->def->source.devices[0].path == NULL))
		return cli_fail(cl, "vol-create-as: --extent-start places a "
				"partition on a disk pool's device; pool '%s' "
				"has none", p->def->name);
	vol_args_init(&va);
	va.name = cli_get(a, "name");
	va.capacity = cap;
	va.has_allocation = alloc != NULL;
	va.allocation = al;
	va.format = fmt;
	if (xstart) {
		va.device = p->def->source.devices[0].path;
		va.has_start = true;
		va.start = start;
	}
	if (bvol) {
		const struct vol_def *bv = find_backing(cl, p, bvol);
		if (bv == NULL)
			return cli_fail(cl, "vol-create-as: no backing volume "
					"'%s' (a name in pool '%s', a key or a "
					"path)", bvol, p->def->name);
		va.backing_path = bv->target.path;
		va.backing_format = bfmt ? bfmt : bv->target.format;
	}
	v = vol_args_def(&va, p->def->type, "vol-create-as", &xml, &e);
	if (v == NULL) {
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	if (cli_flag(a, "print-xml")) {
		fputs(xml, cl->out);
		free(xml);
		vol_def_free(v);
		return 0;
	}
	free(xml);
	rc = create_vol(cl, p, v, cli_flag(a, "prealloc-metadata") ?
			VOL_CREATE_PREALLOC_METADATA : 0);
	if (rc == 0 && !run_dry_run()) {
		cli_extra(cl, "Vol %s created\n", v->name);
		report_size(cl, v, cap);
	}
	vol_def_free(v);
	return rc;
}

static int
clone_vol(struct cli *cl, struct pool *p, struct vol_def *nv,
	  struct pool *sp, const struct vol_def *src, unsigned flags)
{
	struct job j;
	struct err e;
	int rc = 0;

	err_init(&e);
	cli_job_begin(cl, &j, "copying");
	if (vol_create_from(cl->c, p, nv, sp, src, flags, &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	err_clear(&e);
	return rc;
}

static unsigned
clone_flags(const struct cli_args *a)
{
	return (cli_flag(a, "prealloc-metadata") ?
		VOL_CREATE_PREALLOC_METADATA : 0) |
	       (cli_flag(a, "reflink") ? VOL_CREATE_REFLINK : 0) |
	       (cli_flag(a, "keep-backing") ? VOL_CREATE_KEEP_BACKING : 0);
}

CLI_HANDLER(cmd_vol_create_from)
{
	struct pool *p = active_pool(cl, cli_get(a, "pool"), 0);
	struct pool *sp = NULL;
	struct vol_def *src, *nv;
	char *src_name;
	struct err e;
	int rc;

	if (p == NULL)
		return 1;
	err_init(&e);
	src = cistern_find_vol(cl->c, cli_get(a, "inputpool"), cli_get(a, "vol"),
			       &sp, &e);
	if (src == NULL && cli_get(a, "inputpool") == NULL) {
		err_clear(&e);
		src = cistern_find_vol(cl->c, p->def->name, cli_get(a, "vol"),
				       &sp, &e);
	}
	if (src == NULL) {
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	nv = vol_def_parse_file(strcmp(cli_get(a, "file"), "-") ?
				cli_get(a, "file") : "/dev/stdin", p->def->type,
				VOL_PARSE_NO_CAPACITY, &e);
	if (nv == NULL) {
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	if (!nv->has_capacity) {
		nv->capacity = src->capacity;
		nv->has_capacity = true;
	}
	/* the source's entry may be re-read away by the create */
	src_name = xstrdup(src->name);
	rc = clone_vol(cl, p, nv, sp, src, clone_flags(a));
	if (rc == 0 && !run_dry_run())
		cli_extra(cl, "Vol %s created from input vol %s\n", nv->name,
			src_name);
	free(src_name);
	vol_def_free(nv);
	return rc;
}

CLI_HANDLER(cmd_vol_clone)
{
	struct pool *p = NULL;
	struct vol_def *src = get_vol(cl, a, &p);
	struct vol_def *nv;
	char *src_name;
	int rc;

	if (src == NULL)
		return 1;
	if (cli_flag(a, "print-xml")) {
		/* as virsh: the source's XML with the new name, nothing made */
		char *xml = vol_def_format(src, p->def->type), *nx;
		struct err e;
		err_init(&e);
		nx = xml_renamed(xml, cli_get(a, "newname"), &e);
		free(xml);
		if (nx == NULL) {
			rc = cli_error(cl, &e);
			err_clear(&e);
			return rc;
		}
		fputs(nx, cl->out);
		free(nx);
		return 0;
	}
	/* as virsh: the source's definition with a new name, no path or key */
	nv = vol_def_clone(src, cli_get(a, "newname"), clone_flags(a));
	/* the source's entry may be re-read away by the create */
	src_name = xstrdup(src->name);
	rc = clone_vol(cl, p, nv, p, src, clone_flags(a));
	if (rc == 0 && !run_dry_run())
		cli_extra(cl, "Vol %s cloned from %s\n", nv->name, src_name);
	free(src_name);
	vol_def_free(nv);
	return rc;
}

CLI_HANDLER(cmd_vol_delete)
{
	struct pool *p = NULL;
	struct vol_def *v = get_vol(cl, a, &p);
	struct err e;
	char *name;
	int rc = 0;

	if (v == NULL)
		return 1;
	name = xstrdup(v->name);
	err_init(&e);
	if (vol_delete(cl->c, p, v, cli_flag(a, "delete-snapshots") ?
		       VOL_DELETE_SNAPSHOTS : 0, &e) < 0)
		rc = cli_error(cl, &e);
	else if (!run_dry_run())
		cli_extra(cl, "Vol %s deleted\n", name);
	err_clear(&e);
	free(name);
	return rc;
}

CLI_HANDLER(cmd_vol_wipe)
{
	struct pool *p = NULL;
	struct vol_def *v;
	const char *alg_name = cli_get(a, "algorithm");
	int alg = alg_name ? wipe_alg_from_name(alg_name) : WIPE_ZERO;
	struct job j;
	struct err e;
	int rc = 0;

	if (alg < 0)
		return cli_fail(cl, "vol-wipe: unknown algorithm '%s' (zero, "
				"nnsa, dod, bsi, gutmann, schneier, pfitzner7, "
				"pfitzner33, random, trim)", alg_name);
	v = get_vol(cl, a, &p);
	if (v == NULL)
		return 1;
	err_init(&e);
	cli_job_begin(cl, &j, "wiping");
	if (vol_wipe(cl->c, p, v, (enum wipe_alg)alg, &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	else if (!run_dry_run())
		cli_extra(cl, "Vol %s wiped\n", v->name);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_vol_resize)
{
	struct pool *p = NULL;
	struct vol_def *v;
	const char *cap_s = cli_get(a, "capacity");
	bool delta = cli_flag(a, "delta"), shrink = cli_flag(a, "shrink");
	bool negative = cap_s[0] == '-';
	uint64_t cap, target;
	unsigned flags = 0;
	struct job j;
	struct err e;
	int rc = 0;

	err_init(&e);
	if (negative && !(delta && shrink))
		return cli_fail(cl, "vol-resize: a negative size needs --delta "
				"and --shrink");
	/* virsh takes "+5M" (the sign of a growth) and "-5M" */
	if (size_parse(cap_s + (negative || cap_s[0] == '+' ? 1 : 0), &cap,
		       &e) < 0) {
		err_prefix(&e, "vol-resize");
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	v = get_vol(cl, a, &p);
	if (v == NULL)
		return 1;
	if (delta) {
		if (shrink) {
			if (cap > v->capacity)
				return cli_fail(cl, "vol-resize: cannot shrink "
						"'%s' by more than its capacity",
						v->name);
			target = v->capacity - cap;
		} else {
			if (v->capacity > SIZE_LIMIT ||
			    cap > SIZE_LIMIT - v->capacity)
				return cli_fail(cl, "vol-resize: '%s' would pass "
						"the size limit of %llu bytes",
						v->name,
						(unsigned long long)SIZE_LIMIT);
			target = v->capacity + cap;
		}
	} else {
		target = cap;
	}
	if (shrink)
		flags |= VOL_RESIZE_SHRINK;
	if (cli_flag(a, "allocate"))
		flags |= VOL_RESIZE_ALLOCATE;
	if (shrink && target < v->capacity && cl->interactive &&
	    !cli_confirm(cl, "Shrink volume '%s' in pool '%s' from %llu to "
			 "%llu bytes? Data past the new end is lost.", v->name,
			 p->def->name, (unsigned long long)v->capacity,
			 (unsigned long long)target))
		return cli_fail(cl, "vol-resize: cancelled");
	if (shrink)
		flags |= VOL_RESIZE_CONFIRMED;
	cli_job_begin(cl, &j, "resizing");
	if (vol_resize(cl->c, p, v, target, flags, &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	else if (!run_dry_run())
		cli_extra(cl, "Size of volume '%s' successfully changed %s "
			  "%s\n", v->name, delta ? "by" : "to",
			  cap_s + (negative ? 1 : 0));
	err_clear(&e);
	return rc;
}

static int
parse_range(struct cli *cl, const struct cli_args *a, uint64_t *off,
	    uint64_t *len)
{
	struct err e;
	const char *o = cli_get(a, "offset"), *l = cli_get(a, "length");

	*off = *len = 0;
	err_init(&e);
	if ((o && size_parse(o, off, &e) < 0) ||
	    (l && size_parse(l, len, &e) < 0)) {
		cli_error(cl, &e);
		err_clear(&e);
		return -1;
	}
	return 0;
}

CLI_HANDLER(cmd_vol_upload)
{
	struct pool *p = NULL;
	struct vol_def *v;
	uint64_t off, len;
	struct job j;
	struct err e;
	int fd, rc = 0;

	if (parse_range(cl, a, &off, &len) < 0)
		return 1;
	fd = open(cli_get(a, "file"), O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return cli_fail(cl, "cannot open '%s': %s", cli_get(a, "file"),
				strerror(errno));
	v = get_vol(cl, a, &p);
	if (v == NULL) {
		close(fd);
		return 1;
	}
	err_init(&e);
	cli_job_begin(cl, &j, "uploading");
	if (vol_upload(cl->c, p, v, fd, off, len,
		       cli_flag(a, "sparse") ? VOL_UPLOAD_SPARSE : 0, &j,
		       &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	close(fd);
	if (rc)
		cli_error(cl, &e);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_vol_download)
{
	struct pool *p = NULL;
	struct vol_def *v;
	const char *file = cli_get(a, "file");
	uint64_t off, len;
	bool created = true;
	struct job j;
	struct err e;
	int fd, rc = 0;

	if (parse_range(cl, a, &off, &len) < 0)
		return 1;
	v = get_vol(cl, a, &p);
	if (v == NULL)
		return 1;
	fd = open(file, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
	if (fd < 0 && errno == EEXIST) {
		created = false;
		fd = open(file, O_WRONLY | O_TRUNC | O_CLOEXEC);
	}
	if (fd < 0)
		return cli_fail(cl, "cannot open '%s': %s", file,
				strerror(errno));
	err_init(&e);
	cli_job_begin(cl, &j, "downloading");
	if (vol_download(cl->c, p, v, fd, off, len,
			 cli_flag(a, "sparse") ? VOL_DOWNLOAD_SPARSE : 0, &j,
			 &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (close(fd) < 0 && rc == 0) {
		err_errno(&e, errno, "cannot write '%s'", file);
		rc = 1;
	}
	if (rc) {
		if (created)
			unlink(file);
		cli_error(cl, &e);
	}
	err_clear(&e);
	return rc;
}
