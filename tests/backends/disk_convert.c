/* Disk pools: vol-create-from a qcow2 image converts it into the new
 * partition with qemu-img (-n into the node; --target-image-opts at the
 * partition's offset in an image file), and a failed copy leaves no
 * partition behind. Runs the real backend, qemu-img and a loop device;
 * the source is a qcow2 volume of a dir pool as a dir backend that
 * detects formats reports it. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/pool.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../../core/xml.h"
#include "../lib/t.h"
#include "../../backends/registry.h"

#define MiB (1024 * 1024)

static char dir[64];

/* Run a tool; 0 on success. */
static int
tool(const char *const argv[])
{
	struct err e;
	int rc;

	err_init(&e);
	rc = run_simple(argv, &e);
	if (rc < 0)
		printf("# %s: %s\n", argv[0], e.msg);
	err_clear(&e);
	return rc;
}

/* Read `len` bytes at `off` of `path`. */
static unsigned char *
read_at(const char *path, uint64_t off, size_t len)
{
	unsigned char *buf = xcalloc(1, len);
	int fd = open(path, O_RDONLY);

	if (fd < 0 || pread(fd, buf, len, (off_t)off) != (ssize_t)len) {
		free(buf);
		buf = NULL;
	}
	if (fd >= 0)
		close(fd);
	return buf;
}

static struct pool *
disk_pool(struct cistern *c, const char *name, const char *dev)
{
	char *xml = xasprintf("<pool type='disk'><name>%s</name><source>"
			      "<device path='%s'/><format type='gpt'/></source>"
			      "<target><path>/dev</path></target></pool>", name,
			      dev);
	struct pool_def *d;
	struct pool *p = NULL;
	struct err e;

	err_init(&e);
	d = pool_def_parse(xml, strlen(xml), "test", &e);
	free(xml);
	if (d == NULL || pool_define(c, d, &p, &e) < 0 ||
	    pool_build(c, p, 0, NULL, &e) < 0 ||
	    pool_start(c, p, 0, NULL, &e) < 0) {
		printf("# %s: %s\n", name, e.msg);
		p = NULL;
	}
	err_clear(&e);
	return p;
}

/* Convert src (qcow2) into a new partition of pool `p`, and compare with
 * the raw image `raw` read at the partition (through `data`: the node or
 * the image file). */
static void
convert_case(struct cistern *c, struct pool *p, const char *what,
	     const char *volname, struct pool *sp, struct vol_def *src,
	     const char *raw)
{
	struct vol_def *v = vol_def_new();
	struct err e;
	unsigned char *want, *got;
	const char *data;
	uint64_t off;

	err_init(&e);
	v->name = xstrdup(volname);
	v->capacity = 4 * MiB;
	v->has_capacity = true;
	if (vol_create_from(c, p, v, sp, src, 0, NULL, &e) < 0) {
		T_FAIL("%s: create from qcow2: %s", what, e.msg);
		goto out;
	}
	T_OK("%s: create from qcow2", what);
	if (strchr(v->target.path, '#') != NULL) {
		data = p->def->source.devices[0].path;
		off = v->extents[0].start;
	} else {
		data = v->target.path;
		off = 0;
	}
	want = read_at(raw, 0, 4 * MiB);
	got = read_at(data, off, 4 * MiB);
	T_CHECK(want && got && memcmp(want, got, 4 * MiB) == 0,
		"%s: the partition holds the converted image", what);
	free(want);
	free(got);
out:
	vol_def_free(v);
	err_clear(&e);
}

/* A copy that fails (a source file that is not there) removes the new
 * partition again. */
static void
failed_copy_case(struct cistern *c, struct pool *p, const char *what,
		 const char *volname, struct pool *sp, struct vol_def *src)
{
	struct vol_def *v = vol_def_new();
	struct vol_def *bad = vol_def_dup(src);
	size_t before = p->nvols;
	struct err e;

	err_init(&e);
	free(bad->target.path);
	bad->target.path = xasprintf("%s/missing.qcow2", dir);
	v->name = xstrdup(volname);
	v->capacity = 4 * MiB;
	v->has_capacity = true;
	T_CHECK(vol_create_from(c, p, v, sp, bad, 0, NULL, &e) < 0 &&
		strstr(e.msg, "qemu-img") != NULL,
		"%s: a failed conversion is an error naming qemu-img", what);
	err_clear(&e);
	T_CHECK(pool_refresh(c, p, NULL, &e) == 0 && p->nvols == before,
		"%s: and leaves no partition behind", what);
	vol_def_free(v);
	vol_def_free(bad);
	err_clear(&e);
}

int
main(void)
{
	struct cistern c;
	struct pool sp = { 0 };
	struct vol_def *src;
	struct err e;
	char *img, *img2, *qcow, *raw, *cfg, *loop = NULL, *name;
	struct pool *p;

	if (getuid() != 0 || !run_have("qemu-img") || !run_have("losetup")) {
		T_SKIP("disk-convert: needs root, qemu-img and losetup");
		return 0;
	}
	snprintf(dir, sizeof(dir), "/tmp/cistern-conv.XXXXXX");
	if (mkdtemp(dir) == NULL)
		return 1;
	backends_register_all();
	img = xasprintf("%s/file.img", dir);
	img2 = xasprintf("%s/loop.img", dir);
	qcow = xasprintf("%s/src.qcow2", dir);
	raw = xasprintf("%s/src.raw", dir);
	cfg = xasprintf("%s/cfg", dir);
	{
		const char *mk[] = { "truncate", "-s", "64M", img, img2, NULL };
		const char *q[] = { "qemu-img", "create", "-q", "-f", "qcow2",
				    qcow, "4M", NULL };
		const char *w[] = { "qemu-io", "-f", "qcow2", "-c",
				    "write -P 0x5a 0 1M", "-c",
				    "write -P 0xc3 3M 512k", qcow, NULL };
		const char *r[] = { "qemu-img", "convert", "-f", "qcow2", "-O",
				    "raw", qcow, raw, NULL };
		if (tool(mk) < 0 || tool(q) < 0 || tool(w) < 0 || tool(r) < 0)
			return 1;
	}
	err_init(&e);
	if (cistern_open(&c, cfg, NULL, 0, NULL, NULL, &e) < 0) {
		printf("# %s\n", e.msg);
		return 1;
	}
	/* the source: a qcow2 volume of a running dir pool */
	sp.def = pool_def_new(POOL_DIR);
	sp.def->name = xstrdup("imgs");
	sp.state = POOL_RUNNING;
	src = vol_def_new();
	src->name = xstrdup("src.qcow2");
	src->target.path = xstrdup(qcow);
	src->target.format = xstrdup("qcow2");
	src->capacity = 4 * MiB;

	p = disk_pool(&c, "conv-file", img);
	if (p != NULL) {
		convert_case(&c, p, "image file", "file.img-part1", &sp, src, raw);
		failed_copy_case(&c, p, "image file", "file.img-part2", &sp, src);
	} else {
		T_FAIL("image file: pool");
	}

	{
		const char *ls[] = { "losetup", "-f", "--show", img2, NULL };
		struct run_result r;
		if (run_argv(ls, NULL, &r, &e) == 0 && r.out != NULL)
			loop = xstrndup(r.out, strcspn(r.out, "\n"));
		run_result_free(&r);
		err_clear(&e);
	}
	if (loop != NULL && (p = disk_pool(&c, "conv-loop", loop)) != NULL) {
		name = xasprintf("%sp1", strrchr(loop, '/') + 1);
		convert_case(&c, p, "loop device", name, &sp, src, raw);
		free(name);
		name = xasprintf("%sp2", strrchr(loop, '/') + 1);
		failed_copy_case(&c, p, "loop device", name, &sp, src);
		free(name);
	} else {
		T_FAIL("loop device: pool");
	}
	if (loop != NULL) {
		const char *pd[] = { "partx", "-d", loop, NULL };
		const char *ld[] = { "losetup", "-d", loop, NULL };
		tool(pd);
		tool(ld);
	}
	cistern_close(&c);
	pool_def_free(sp.def);
	vol_def_free(src);
	{
		const char *rm[] = { "rm", "-rf", dir, NULL };
		tool(rm);
	}
	free(loop);
	free(img);
	free(img2);
	free(qcow);
	free(raw);
	free(cfg);
	return t_done();
}
