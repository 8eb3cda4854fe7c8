/* cistern — iscsi pools (kernel initiator) over a RECORDED sysfs tree.
 *
 * This kernel has no iSCSI initiator, so there is never a real session in
 * /sys. The test lays out, under a temporary directory, the tree the
 * kernel makes for a logged-in session (copied from a 6.x kernel with
 * tgt 1.0.85 as the target: the VPD pages are tgt's bytes for target 1,
 * LUNs 1 and 2), points CISTERN_SYSFS_ROOT at it (read only by
 * backends/iscsi_sysfs.c), and checks, through the core API in dry-run
 * mode, refresh's exact iscsiadm command line and the volumes the sysfs
 * walk finds, stop's command line, the running check and start's "already
 * logged in" case; then scsi_id keys from VPD pages, and the block-device
 * volume operations on a stand-in file.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../backends/iscsi_common.h"
#include "../../core/pool.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../../core/xml.h"
#include "../lib/t.h"
#include "../../backends/registry.h"

#define IQN "iqn.2025-01.org.cistern.test:recorded"
#define OTHER "iqn.2025-01.org.cistern.test:other"

static char dir[PATH_MAX];

/* tgt's VPD page 0x83 for target 1, LUN n: a T10 vendor id, an NAA-3 and
 * an NAA-6 designator. */
static size_t
vpd83(unsigned char *b, int lun)
{
	static const unsigned char head[] = {
		0x00, 0x83, 0x00, 0x48, 0x02, 0x01, 0x00, 0x24,
		'I', 'E', 'T', ' ', ' ', ' ', ' ', ' ',
		'0', '0', '0', '1', '0', '0', '0', '0',
	};
	static const unsigned char tail[] = {
		0x01, 0x03, 0x00, 0x08, 0x30, 0x00, 0x00, 0x01, 0x00, 0x00,
		0x00, 0x00, 0x01, 0x03, 0x00, 0x10, 0x60, 0x00, 0x00, 0x00,
		0x00, 0x00, 0x00, 0x00, 0x0e, 0x00, 0x00, 0x00, 0x00, 0x01,
		0x00, 0x00,
	};
	memset(b, 0, 76);
	memcpy(b, head, sizeof(head));
	b[23] = (unsigned char)('0' + lun);
	memcpy(b + 44, tail, sizeof(tail));
	b[55] = (unsigned char)lun;
	b[75] = (unsigned char)lun;
	return 76;
}

/* tgt's VPD page 0x80: the serial right-aligned in 36 bytes. */
static size_t
vpd80(unsigned char *b, const char *serial)
{
	b[0] = 0x00;
	b[1] = 0x80;
	b[2] = 0x00;
	b[3] = 0x24;
	memset(b + 4, ' ', 36);
	memcpy(b + 40 - strlen(serial), serial, strlen(serial));
	return 40;
}

/* Write a file below the test directory, making its parents. */
static void
put(const char *rel, const void *data, size_t len)
{
	char *path = xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');
	int fd;

	*slash = '\0';
	mkdir_p(path, 0755);
	*slash = '/';
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, data, len) != (ssize_t)len)
		T_FAIL("cannot write %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
	free(path);
}

static void
put_text(const char *rel, const char *text)
{
	put(rel, text, strlen(text));
}

/* A symlink below the test directory (target as the kernel writes it). */
static void
link_to(const char *rel, const char *target)
{
	char *path = xasprintf("%s/%s", dir, rel);
	char *slash = strrchr(path, '/');

	*slash = '\0';
	mkdir_p(path, 0755);
	*slash = '/';
	if (symlink(target, path) < 0)
		T_FAIL("cannot link %s: %s", path, strerror(errno));
	free(path);
}

#define HOST7 "sys/devices/platform/host7"
#define SESS3 HOST7 "/session3"
#define TGT7 SESS3 "/target7:0:0"

/* One SCSI device of host 7 (or 8) and its /sys/bus/scsi link. */
static void
lun_dir(const char *parent, const char *hbtl, const char *type,
	const char *model, const char *blk, const char *sectors, int vpdlun)
{
	char *p = xasprintf("%s/%s", parent, hbtl), *f, *link;
	unsigned char buf[128];

	f = xasprintf("%s/type", p); put_text(f, type); free(f);
	f = xasprintf("%s/vendor", p); put_text(f, "IET     \n"); free(f);
	f = xasprintf("%s/model", p); put_text(f, model); free(f);
	f = xasprintf("%s/rev", p); put_text(f, "0001\n"); free(f);
	if (vpdlun > 0) {
		char serial[16];
		snprintf(serial, sizeof(serial), "beaf1%d", vpdlun);
		f = xasprintf("%s/vpd_pg83", p);
		put(f, buf, vpd83(buf, vpdlun));
		free(f);
		f = xasprintf("%s/vpd_pg80", p);
		put(f, buf, vpd80(buf, serial));
		free(f);
		f = xasprintf("%s/wwid", p);
		put_text(f, vpdlun == 1 ? "naa.60000000000000000e00000000010001\n" :
			 "naa.60000000000000000e00000000010002\n");
		free(f);
	}
	if (blk != NULL) {
		f = xasprintf("%s/block/%s/size", p, blk);
		put_text(f, sectors);
		free(f);
		f = xasprintf("%s/block/%s/dev", p, blk);
		put_text(f, "8:16\n");
		free(f);
	}
	f = xasprintf("sys/bus/scsi/devices/%s", hbtl);
	link = xasprintf("../../../%s", p + 4);
	link_to(f, link);
	free(link);
	free(f);
	free(p);
}

/* The tree of two sessions (3 on host 7 to IQN, 4 on host 8 to OTHER)
 * plus a SATA disk on host 0, and the pool's by-path directory. */
static void
build_tree(const char *bypath)
{
	char *rel, *f;
	int depth = 0;

	put_text(SESS3 "/iscsi_session/session3/targetname", IQN "\n");
	put_text(SESS3 "/iscsi_session/session3/tpgt", "1\n");
	put_text(SESS3 "/iscsi_session/session3/state", "LOGGED_IN\n");
	link_to(SESS3 "/iscsi_session/session3/device", "../../../session3");
	put_text(SESS3 "/connection3:0/iscsi_connection/connection3:0/"
		 "persistent_address", "127.0.0.1\n");
	put_text(SESS3 "/connection3:0/iscsi_connection/connection3:0/"
		 "persistent_port", "3260\n");
	put_text(HOST7 "/scsi_host/host7/proc_name", "iscsi_tcp\n");
	link_to("sys/class/iscsi_session/session3",
		"../../devices/platform/host7/session3/iscsi_session/session3");
	link_to("sys/bus/scsi/devices/host7", "../../../devices/platform/host7");
	link_to("sys/bus/scsi/devices/target7:0:0",
		"../../../devices/platform/host7/session3/target7:0:0");
	lun_dir(TGT7, "7:0:0:0", "12\n", "Controller      \n", NULL, NULL, 0);
	lun_dir(TGT7, "7:0:0:1", "0\n", "VIRTUAL-DISK    \n", "sdb", "16384\n", 1);
	lun_dir(TGT7, "7:0:0:2", "0\n", "VIRTUAL-DISK    \n", "sdc", "6144\n", 2);

	put_text("sys/devices/platform/host8/session4/iscsi_session/session4/"
		 "targetname", OTHER "\n");
	link_to("sys/devices/platform/host8/session4/iscsi_session/session4/"
		"device", "../../../session4");
	link_to("sys/class/iscsi_session/session4",
		"../../devices/platform/host8/session4/iscsi_session/session4");
	lun_dir("sys/devices/platform/host8/session4/target8:0:0", "8:0:0:1",
		"0\n", "VIRTUAL-DISK    \n", "sdd", "2048\n", 0);
	lun_dir("sys/devices/pci0000:00/0000:00:1f.2/ata1/host0/target0:0:0",
		"0:0:0:0", "0\n", "SSD             \n", "sda", "1000000\n", 0);

	/* by-path: absolute links, a partition, and a relative link as
	 * udev writes them ("../../sdc" from /dev/disk/by-path) */
	rel = xasprintf("%s/ip-127.0.0.1:3260-iscsi-" IQN "-lun-1", bypath);
	symlink("/dev/sdb", rel);
	free(rel);
	rel = xasprintf("%s/ip-127.0.0.1:3260-iscsi-" IQN "-lun-1-part1", bypath);
	symlink("/dev/sdb1", rel);
	free(rel);
	for (const char *c = bypath; *c; c++)
		depth += *c == '/';
	f = xstrdup("");
	for (int i = 0; i < depth; i++) {
		char *g = xasprintf("%s../", f);
		free(f);
		f = g;
	}
	rel = xasprintf("%s/ip-127.0.0.1:3260-iscsi-" IQN "-lun-2", bypath);
	{
		char *target = xasprintf("%sdev/sdc", f);
		symlink(target, rel);
		free(target);
	}
	free(rel);
	free(f);
	rel = xasprintf("%s/ip-127.0.0.1:3260-iscsi-" OTHER "-lun-1", bypath);
	symlink("/dev/sdd", rel);
	free(rel);
}

/* Commands the runner was asked to run. */
static struct sbuf cmds;

static void
capture(const struct run_log_entry *ent, void *arg)
{
	char *line;

	(void)arg;
	if (ent->status != RUN_PENDING)
		return;
	line = run_argv_line(ent->argv);
	sbuf_printf(&cmds, "%s\n", line);
	free(line);
}

static void
test_session_lookup(void)
{
	unsigned sid = 0;
	struct err e;

	err_init(&e);
	T_CHECK(iscsi_sysfs_session(IQN, &sid, &e) == 1 && sid == 3,
		"recorded sysfs: the session of a target is found by its name");
	T_CHECK(iscsi_sysfs_session(OTHER, &sid, &e) == 1 && sid == 4,
		"recorded sysfs: another target's session is told apart");
	T_CHECK(iscsi_sysfs_session(IQN ".x", &sid, &e) == 0,
		"recorded sysfs: no session for an unknown target");
	err_clear(&e);
}

static void
test_pool(const char *cfgdir, const char *bypath)
{
	struct cistern c;
	struct pool *p = NULL;
	struct pool_def *d;
	struct err e;
	char *xml;
	bool running = false;
	const struct backend *b = backend_get(POOL_ISCSI);

	err_init(&e);
	if (cistern_open(&c, cfgdir, NULL, 0, NULL, NULL, &e) < 0) {
		T_FAIL("cistern_open: %s", e.msg);
		return;
	}
	xml = xasprintf("<pool type='iscsi'><name>rec</name><source>"
			"<host name='127.0.0.1'/><device path='" IQN "'/>"
			"</source><target><path>%s</path></target></pool>",
			bypath);
	d = pool_def_parse(xml, strlen(xml), "test", &e);
	free(xml);
	if (d == NULL || pool_define(&c, d, &p, &e) < 0) {
		T_FAIL("define: %s", e.msg);
		cistern_close(&c);
		return;
	}
	run_set_dry_run(true);
	run_set_logger(capture, NULL);

	/* start with a session already there: libvirt runs nothing */
	sbuf_init(&cmds);
	T_CHECK(pool_start(&c, p, 0, NULL, &e) == 0 && cmds.len == 0,
		"recorded sysfs: start with a session already logged in runs "
		"no iscsiadm");
	sbuf_free(&cmds);

	/* refresh: rescan, then the walk */
	p->state = POOL_RUNNING;
	sbuf_init(&cmds);
	if (pool_refresh(&c, p, NULL, &e) < 0)
		T_FAIL("recorded sysfs: refresh: %s", e.msg);
	T_CHECK(str_eq(cmds.s, "iscsiadm --mode session -r 3 -R\n"),
		"recorded sysfs: refresh rescans the session with libvirt's "
		"command line");
	sbuf_free(&cmds);
	T_CHECK(p->nvols == 2,
		"recorded sysfs: the walk finds the session's 2 disk LUNs "
		"(not the controller, not other hosts)");
	if (p->nvols == 2) {
		const struct vol_def *v1 = p->vols[0], *v2 = p->vols[1];
		char *p1 = xasprintf("%s/ip-127.0.0.1:3260-iscsi-" IQN "-lun-1",
				     bypath);
		char *p2 = xasprintf("%s/ip-127.0.0.1:3260-iscsi-" IQN "-lun-2",
				     bypath);
		T_CHECK(str_eq(v1->name, "unit:0:0:1") &&
			str_eq(v2->name, "unit:0:0:2"),
			"recorded sysfs: volumes are named unit:B:T:L as libvirt");
		T_CHECK(str_eq(v1->target.path, p1) && str_eq(v2->target.path, p2),
			"recorded sysfs: paths are the pool target's stable links "
			"(absolute and relative)");
		T_CHECK(str_eq(v1->key, "360000000000000000e00000000010001") &&
			str_eq(v2->key, "360000000000000000e00000000010002"),
			"recorded sysfs: keys are scsi_id's from vpd_pg83 (the "
			"same as iscsi-direct's for that LUN)");
		T_CHECK(v1->capacity == 8u << 20 && v2->capacity == 3u << 20 &&
			v1->allocation == v1->capacity && v1->type == VOL_BLOCK,
			"recorded sysfs: capacity from the block device's size");
		T_CHECK(str_eq(v1->note, "IET VIRTUAL-DISK, serial beaf11"),
			"recorded sysfs: the note shows vendor, model and serial");
		T_CHECK(p->def->capacity == 11u << 20 &&
			p->def->allocation == 11u << 20 &&
			p->def->available == 0,
			"recorded sysfs: pool sizes are the sum of its LUNs");
		free(p1);
		free(p2);
	}

	T_CHECK(b->check(p, &running, &e) == 0 && running,
		"recorded sysfs: a pool with a session checks as running");

	/* stop: logout */
	sbuf_init(&cmds);
	if (pool_stop(&c, p, 0, &e) < 0)
		T_FAIL("recorded sysfs: stop: %s", e.msg);
	T_CHECK(str_eq(cmds.s, "iscsiadm --mode node --portal 127.0.0.1:3260,1 "
		       "--targetname " IQN " --logout\n"),
		"recorded sysfs: stop logs out with libvirt's command line");
	sbuf_free(&cmds);

	/* the session gone (logged out elsewhere, reboot) */
	{
		char *a = xasprintf("%s/sys/class/iscsi_session/session3", dir);
		char *z = xasprintf("%s/sys/class/iscsi_session/gone", dir);
		rename(a, z);
		err_clear(&e);
		running = true;
		T_CHECK(b->check(p, &running, &e) == 0 && !running &&
			strstr(e.msg, "no iSCSI session to " IQN) != NULL,
			"recorded sysfs: without its session the pool is not "
			"running, and says why");
		err_clear(&e);
		p->state = POOL_RUNNING;
		T_CHECK(pool_refresh(&c, p, NULL, &e) < 0 &&
			strstr(e.msg, "the pool is not logged in") != NULL,
			"recorded sysfs: refresh without a session fails clearly");
		sbuf_init(&cmds);
		p->state = POOL_RUNNING;
		err_clear(&e);
		T_CHECK(pool_stop(&c, p, 0, &e) == 0 && cmds.len == 0,
			"recorded sysfs: stop without a session runs nothing");
		sbuf_free(&cmds);
		rename(z, a);
		free(a);
		free(z);
	}
	run_set_logger(NULL, NULL);
	run_set_dry_run(false);
	err_clear(&e);
	cistern_close(&c);
}

static void
test_keys(void)
{
	unsigned char p83[128], p80[64];
	size_t l80 = vpd80(p80, "beaf11");
	char *k;

	/* only the T10 designator (ASCII, NUL padded) */
	vpd83(p83, 1);
	p83[3] = 0x28;
	k = scsi_id_key(p83, 44, NULL, 0, "IET", "VIRTUAL-DISK");
	T_CHECK(str_eq(k, "1IET_00010001"),
		"scsi_id key from a T10 designator: type 1, whitespace as '_'");
	free(k);
	k = scsi_id_key(NULL, 0, p80, l80, "IET", "VIRTUAL-DISK");
	T_CHECK(str_eq(k, "SIET_VIRTUAL-DISK_beaf11"),
		"scsi_id key from the unit serial page when 0x83 has none");
	free(k);
	vpd83(p83, 2);
	p83[6] = 0x12;   /* a SCSI-2 layout: WWN straight after the header */
	k = scsi_id_key(p83, 76, NULL, 0, NULL, NULL);
	T_CHECK(k != NULL && k[0] == '3' && strlen(k) == 1 + 2 * 0x48,
		"scsi_id key from a pre-SPC-3 page 0x83");
	free(k);
	k = scsi_vpd80_serial(p80, l80);
	T_CHECK(str_eq(k, "beaf11"), "unit serial number from VPD 0x80");
	free(k);
}

/* The block-device volume operations, on a file standing in for the
 * LUN's device node. */
static void
test_vol_io(void)
{
	const struct backend *b = backend_get(POOL_ISCSI);
	struct vol_def v = { 0 };
	char *img = xasprintf("%s/lun.img", dir), *src = xasprintf("%s/src", dir);
	char *dst = xasprintf("%s/dst", dir), buf[8];
	struct err e;
	int fd;

	err_init(&e);
	put_text("lun.img", "0123456789abcdef");
	put_text("src", "XYZ");
	v.name = "unit:0:0:1";
	v.target.path = img;
	fd = open(src, O_RDONLY);
	T_CHECK(b->vol_upload(NULL, &v, fd, 5, 0, 0, NULL, &e) == 0,
		"iscsi volume upload into the device");
	close(fd);
	fd = open(dst, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	T_CHECK(b->vol_download(NULL, &v, fd, 4, 5, 0, NULL, &e) == 0,
		"iscsi volume download of a range");
	close(fd);
	fd = open(dst, O_RDONLY);
	memset(buf, 0, sizeof(buf));
	T_CHECK(read(fd, buf, sizeof(buf)) == 5 && memcmp(buf, "4XYZ8", 5) == 0,
		"iscsi upload and download moved the right bytes");
	close(fd);
	fd = open(src, O_RDONLY);
	T_CHECK(b->vol_upload(NULL, &v, fd, 15, 0, 0, NULL, &e) < 0 &&
		strstr(e.msg, "do not fit") != NULL,
		"iscsi upload past the device's end is refused");
	close(fd);
	err_clear(&e);
	T_CHECK(b->vol_wipe(NULL, &v, WIPE_ZERO, NULL, &e) == 0,
		"iscsi volume wipe");
	fd = open(img, O_RDONLY);
	T_CHECK(read(fd, buf, 8) == 8 && memcmp(buf, "\0\0\0\0\0\0\0\0", 8) == 0,
		"iscsi wipe zeroed the device");
	close(fd);
	err_clear(&e);
	free(img);
	free(src);
	free(dst);
}

int
main(void)
{
	char *bypath, *cfg;

	snprintf(dir, sizeof(dir), "/tmp/cistern-sysfs.XXXXXX");
	if (mkdtemp(dir) == NULL) {
		T_FAIL("mkdtemp: %s", strerror(errno));
		return t_done();
	}
	backends_register_all();
	bypath = xasprintf("%s/dev/disk/by-path", dir);
	cfg = xasprintf("%s/cfg", dir);
	mkdir_p(bypath, 0755);
	build_tree(bypath);
	setenv("CISTERN_SYSFS_ROOT", dir, 1);
	test_session_lookup();
	test_pool(cfg, bypath);
	test_keys();
	test_vol_io();
	unsetenv("CISTERN_SYSFS_ROOT");
	{
		const char *argv[] = { "rm", "-rf", dir, NULL };
		run_simple(argv, NULL);
	}
	free(bypath);
	free(cfg);
	return t_done();
}
