/* cistern — core/discover.c: block devices from a sysfs laid out as the
 * kernel lays it out (a tree made here, said so: its devices have no
 * /dev node), which of them are offered, and libvirt's <sources> read
 * back. Real devices are the wizard tests' (tests/tui/wizard_*.exp). */
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/discover.h"
#include "../../core/fileio.h"
#include "../../core/util.h"
#include "../lib/t.h"

static char root[] = "/tmp/cistern-discover-XXXXXX";

/* Write a small sysfs file, making its directory. */
static void
put(const char *rel, const char *value)
{
	char *path = xasprintf("%s/sys/block/%s", root, rel);
	char *dir = xstrdup(path);
	FILE *f;

	*strrchr(dir, '/') = '\0';
	mkdir_p(dir, 0755);
	f = fopen(path, "w");
	if (f != NULL) {
		fputs(value, f);
		fclose(f);
	}
	free(dir);
	free(path);
}

/* The device of that name in the list, or NULL. */
static const struct blockdev *
find(const struct blockdev *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* A recorded-layout tree: a disk with two partitions, a blank disk, a
 * loop device with a file attached and one without, a RAM disk, a CD
 * drive and an empty device. */
static void
tree(void)
{
	put("zdisk/size", "2097152\n");          /* 1 GiB */
	put("zdisk/dev", "250:0\n");
	put("zdisk/ro", "0\n");
	put("zdisk/zdisk1/partition", "1\n");
	put("zdisk/zdisk1/size", "204800\n");
	put("zdisk/zdisk1/dev", "250:1\n");
	put("zdisk/zdisk2/partition", "2\n");
	put("zdisk/zdisk2/size", "409600\n");
	put("zdisk/zdisk2/dev", "250:2\n");
	put("zblank/size", "1024\n");
	put("zblank/dev", "250:16\n");
	put("loop7/size", "8192\n");
	put("loop7/loop/backing_file", "/tmp/x.img\n");
	put("loop8/size", "0\n");
	put("ram0/size", "8192\n");
	put("sr0/size", "8192\n");
	put("zcd/size", "8192\n");
	put("zcd/device/type", "5\n");
	put("zempty/size", "0\n");
}

/* Which devices each kind of discovery offers. */
static void
test_blockdevs(void)
{
	struct blockdev *v;
	size_t n;
	struct err e;

	setenv("CISTERN_SYSFS_ROOT", root, 1);
	err_init(&e);
	T_CHECK(discover_blockdevs(DISCOVER_DISKS, &v, &n, &e) == 0,
		"whole disks are listed: %s", e.msg);
	T_CHECK(n == 3 && find(v, n, "zdisk") && find(v, n, "zblank") &&
		find(v, n, "loop7"), "disks: a loop with a file, not one "
		"without, no RAM disk, CD drive or empty device (%zu)", n);
	const struct blockdev *d = find(v, n, "zdisk");
	T_CHECK(d && d->size == 1073741824 && d->whole && d->disk == NULL &&
		strcmp(d->path, "/dev/zdisk") == 0, "a disk's size, path, "
		"wholeness");
	T_CHECK(d && d->busy && strcmp(d->busy, "no device node") == 0,
		"a device without a node says so");
	T_CHECK(n == 3 && strcmp(v[0].name, "loop7") == 0 &&
		strcmp(v[1].name, "zblank") == 0, "sorted by name");
	blockdevs_free(v, n);

	T_CHECK(discover_blockdevs(DISCOVER_DISKS | DISCOVER_PARTS |
				   DISCOVER_LEAVES, &v, &n, &e) == 0,
		"leaves: disks without partitions, and partitions");
	T_CHECK(n == 4 && !find(v, n, "zdisk") && find(v, n, "zdisk1") &&
		find(v, n, "zdisk2") && find(v, n, "zblank"),
		"a disk with partitions gives way to them (%zu)", n);
	d = find(v, n, "zdisk2");
	T_CHECK(d && !d->whole && d->disk && strcmp(d->disk, "zdisk") == 0 &&
		d->size == 209715200, "a partition's disk and size");
	blockdevs_free(v, n);

	T_CHECK(discover_blockdevs(DISCOVER_PARTS, &v, &n, &e) == 0 && n == 2,
		"only partitions");
	blockdevs_free(v, n);

	setenv("CISTERN_SYSFS_ROOT", "/nonexistent-cistern", 1);
	T_CHECK(discover_blockdevs(DISCOVER_DISKS, &v, &n, &e) < 0 &&
		strstr(e.msg, "/nonexistent-cistern/sys/block") != NULL,
		"no sysfs: an error naming it (%s)", e.msg);
	err_clear(&e);
	unsetenv("CISTERN_SYSFS_ROOT");
}

/* What a blank device and a partition table are called. */
static void
test_holds(void)
{
	struct blockdev b;
	char *s;

	memset(&b, 0, sizeof(b));
	s = blockdev_holds(&b);
	T_CHECK(strcmp(s, "nothing (blank)") == 0, "a blank device");
	free(s);
	b.pi.found = true;
	snprintf(b.pi.usage, sizeof(b.pi.usage), "partition table");
	snprintf(b.pi.what, sizeof(b.pi.what), "a gpt partition table");
	b.nparts = 3;
	s = blockdev_holds(&b);
	T_CHECK(strcmp(s, "a gpt partition table with 3 partitions") == 0,
		"a table and its partitions (%s)", s);
	free(s);
}

/* libvirt's <sources> answers, read back. */
static void
test_sources(void)
{
	const char *xml =
		"<sources>\n"
		"  <source>\n"
		"    <host name='nfs1' port='2049'/>\n"
		"    <dir path='/export/a'/>\n"
		"    <format type='nfs'/>\n"
		"  </source>\n"
		"  <source>\n"
		"    <device path='/dev/sdb'/>\n"
		"    <device path='/dev/sdc'/>\n"
		"    <name>vg0</name>\n"
		"    <format type='lvm2'/>\n"
		"  </source>\n"
		"</sources>\n";
	struct found_source *f;
	size_t n;
	struct err e;

	err_init(&e);
	T_CHECK(discover_sources_parse(xml, &f, &n, &e) == 0 && n == 2,
		"two sources");
	T_CHECK(n == 2 && strcmp(f[0].host, "nfs1") == 0 && f[0].port == 2049 &&
		strcmp(f[0].dir, "/export/a") == 0 &&
		strcmp(f[0].format, "nfs") == 0, "an export: host, port, dir, "
		"format");
	T_CHECK(n == 2 && f[1].ndevices == 2 &&
		strcmp(f[1].devices[1], "/dev/sdc") == 0 &&
		strcmp(f[1].name, "vg0") == 0 && f[1].host == NULL,
		"a volume group: name and devices");
	found_sources_free(f, n);
	T_CHECK(discover_sources_parse("<sources/>", &f, &n, &e) == 0 && n == 0,
		"nothing found");
	found_sources_free(f, n);
	T_CHECK(discover_sources_parse("<pool/>", &f, &n, &e) < 0 &&
		strstr(e.msg, "<sources>") != NULL, "not a <sources> list");
	err_clear(&e);
	T_CHECK(discover_sources_parse("<sources><source>", &f, &n, &e) < 0,
		"broken XML");
	err_clear(&e);
}

/* An empty directory, a directory with a file, nothing. */
static void
test_dir_state(void)
{
	char *d = xasprintf("%s/dir", root), *f = xasprintf("%s/dir/x", root);
	bool exists, empty;

	discover_dir_state(d, &exists, &empty);
	T_CHECK(!exists && !empty, "a path that is not there");
	mkdir(d, 0755);
	discover_dir_state(d, &exists, &empty);
	T_CHECK(exists && empty, "an empty directory");
	fclose(fopen(f, "w"));
	discover_dir_state(d, &exists, &empty);
	T_CHECK(exists && !empty, "a directory with a file");
	discover_dir_state(f, &exists, &empty);
	T_CHECK(exists && !empty, "a file is no empty directory");
	free(d);
	free(f);
}

/* nftw: remove one entry of the tree. */
static int
rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* Every case on a tree of its own, removed at the end. */
int
main(void)
{
	if (mkdtemp(root) == NULL) {
		T_FAIL("cannot make a temporary directory");
		return t_done();
	}
	tree();
	test_blockdevs();
	test_holds();
	test_sources();
	test_dir_state();
	if (nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS) != 0)
		T_FAIL("cannot remove %s", root);
	return t_done();
}
