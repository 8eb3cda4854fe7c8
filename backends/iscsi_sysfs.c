/* cistern — the LUNs of a kernel iSCSI session, read from sysfs.
 *
 * The kernel lays a session out as (H = SCSI host, N = session number):
 *   /sys/class/iscsi_session/sessionN/targetname      the target IQN
 *   /sys/class/iscsi_session/sessionN/device  -> .../hostH/sessionN
 *   .../hostH/sessionN/targetH:B:T/                    one SCSI target
 *   /sys/bus/scsi/devices/H:B:T:L -> .../targetH:B:T/H:B:T:L
 *   H:B:T:L/type, vendor, model, vpd_pg80, vpd_pg83, block/sdX/size
 * which is what libvirt walks (virStorageBackendISCSIFindLUs and
 * virStorageBackendSCSIFindLUs). Every path is read below
 * $CISTERN_SYSFS_ROOT when it is set: the tests point it at a recorded
 * tree, since this kernel has no iSCSI initiator. Nothing else in cistern
 * reads that variable.
 */
#include "iscsi_common.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/pool.h"
#include "../core/util.h"

#define ATTR_MAX 4096
#define VPD_MAX 65536

/* A path below the sysfs root. */
static char *
sys_path(const char *fmt, ...)
{
	const char *root = getenv("CISTERN_SYSFS_ROOT");
	va_list ap;
	char *rel, *full;

	va_start(ap, fmt);
	rel = xvasprintf(fmt, ap);
	va_end(ap);
	full = xasprintf("%s%s", root != NULL ? root : "", rel);
	free(rel);
	return full;
}

/* A text attribute, trimmed, or NULL. */
static char *
read_attr(const char *path)
{
	char *s = file_read_all(path, ATTR_MAX, NULL, NULL);
	char *t;

	if (s == NULL)
		return NULL;
	t = xstrdup(str_trim(s));
	free(s);
	return t;
}

/* A text attribute of a LUN directory. */
static char *
lun_attr(const char *lunpath, const char *name)
{
	char *f = path_join(lunpath, name);
	char *v = read_attr(f);

	free(f);
	return v;
}

/* A binary attribute (a VPD page) of a LUN directory, or NULL. */
static unsigned char *
lun_bin(const char *lunpath, const char *name, size_t *len)
{
	char *f = path_join(lunpath, name);
	unsigned char *v;

	*len = 0;
	v = (unsigned char *)file_read_all(f, VPD_MAX, len, NULL);
	free(f);
	return v;
}

int
iscsi_sysfs_session(const char *target, unsigned *sid, struct err *e)
{
	char *dir = sys_path("/sys/class/iscsi_session");
	DIR *d = opendir(dir);
	struct dirent *de;
	bool found = false;

	if (d == NULL) {
		int saved = errno;
		free(dir);
		if (saved == ENOENT)
			return 0;   /* no iSCSI transport: no sessions */
		return err_errno(e, saved, "cannot read the iSCSI sessions");
	}
	while ((de = readdir(d)) != NULL) {
		unsigned n;
		int end = 0;
		char *path, *name;

		if (sscanf(de->d_name, "session%u%n", &n, &end) != 1 ||
		    de->d_name[end] != '\0')
			continue;
		path = xasprintf("%s/%s/targetname", dir, de->d_name);
		name = read_attr(path);
		free(path);
		/* the lowest session number when there are several */
		if (str_eq(name, target) && (!found || n < *sid)) {
			*sid = n;
			found = true;
		}
		free(name);
	}
	closedir(d);
	free(dir);
	return found ? 1 : 0;
}

/* The SCSI host of a session, from its "targetH:B:T" child. */
static int
session_host(unsigned sid, unsigned *host, struct err *e)
{
	char *dir = sys_path("/sys/class/iscsi_session/session%u/device", sid);
	DIR *d = opendir(dir);
	struct dirent *de;
	int rc = -1;

	if (d == NULL) {
		err_errno(e, errno, "cannot read iSCSI session %u ('%s')", sid,
			  dir);
		free(dir);
		return -1;
	}
	while ((de = readdir(d)) != NULL && rc < 0)
		if (sscanf(de->d_name, "target%u:", host) == 1)
			rc = 0;
	closedir(d);
	if (rc < 0)
		err_setc(e, ERR_NOT_FOUND, "iSCSI session %u has no SCSI target "
			 "in '%s'", sid, dir);
	free(dir);
	return rc;
}

/* The block device ("sdb") of a LUN directory, or NULL (no disk yet). */
static char *
lun_block(const char *lunpath)
{
	DIR *d = opendir(lunpath);
	struct dirent *de;
	char *dev = NULL;

	if (d == NULL)
		return NULL;
	while (dev == NULL && (de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, "block") == 0) {
			/* current layout: block/sdX */
			char *bp = path_join(lunpath, "block");
			DIR *bd = opendir(bp);
			struct dirent *be;
			while (bd && dev == NULL && (be = readdir(bd)) != NULL)
				if (be->d_name[0] != '.')
					dev = xstrdup(be->d_name);
			if (bd)
				closedir(bd);
			free(bp);
		} else if (str_startswith(de->d_name, "block:")) {
			/* old layout: a block:sdX link */
			dev = xstrdup(de->d_name + 6);
		}
	}
	closedir(d);
	return dev;
}

/* Resolve "." and ".." in an absolute path without touching the disk
 * (the device a link names need not exist where the tree was recorded). */
static char *
path_lexical(const char *path)
{
	char *out = xmalloc(strlen(path) + 2);
	size_t o = 0;
	const char *p = path;

	while (*p) {
		const char *s;
		size_t n;
		while (*p == '/')
			p++;
		s = p;
		while (*p && *p != '/')
			p++;
		n = (size_t)(p - s);
		if (n == 0 || (n == 1 && s[0] == '.'))
			continue;
		if (n == 2 && s[0] == '.' && s[1] == '.') {
			while (o > 0 && out[o - 1] != '/')
				o--;
			if (o > 0)
				o--;
			continue;
		}
		out[o++] = '/';
		memcpy(out + o, s, n);
		o += n;
	}
	if (o == 0)
		out[o++] = '/';
	out[o] = '\0';
	return out;
}

/* The pool-target entry that links to /dev/<dev> (libvirt's stable path,
 * e.g. /dev/disk/by-path/ip-...-lun-1), first by name; NULL if none. */
static char *
stable_path(const char *target, const char *dev)
{
	char *devpath = xasprintf("/dev/%s", dev), *best = NULL;
	DIR *d;
	struct dirent *de;

	if (strcmp(target, "/dev") == 0)
		return devpath;
	if ((d = opendir(target)) == NULL) {
		free(devpath);
		return NULL;
	}
	while ((de = readdir(d)) != NULL) {
		char link[PATH_MAX], *abs, *norm;
		ssize_t n;

		if (de->d_name[0] == '.')
			continue;
		n = readlinkat(dirfd(d), de->d_name, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = '\0';
		abs = link[0] == '/' ? xstrdup(link) : path_join(target, link);
		norm = path_lexical(abs);
		if (strcmp(norm, devpath) == 0 &&
		    (best == NULL || strcmp(de->d_name, best) < 0)) {
			free(best);
			best = xstrdup(de->d_name);
		}
		free(norm);
		free(abs);
	}
	closedir(d);
	free(devpath);
	if (best != NULL) {
		char *full = path_join(target, best);
		free(best);
		return full;
	}
	return NULL;
}

struct lu {
	unsigned bus, target, lun;
	struct vol_def *vol;
};

/* qsort order: bus, target, LUN. */
static int
lu_cmp(const void *a, const void *b)
{
	const struct lu *x = a, *y = b;

	if (x->bus != y->bus)
		return x->bus < y->bus ? -1 : 1;
	if (x->target != y->target)
		return x->target < y->target ? -1 : 1;
	return x->lun < y->lun ? -1 : x->lun > y->lun;
}

/* One LUN as a volume: 1 made, 0 skipped (not a disk, no block device
 * yet, no stable path), -1 on error. */
static int
lun_volume(struct pool *p, const char *lunpath, const struct lu *lu,
	   struct vol_def **out, struct err *e)
{
	char *attr, *dev, *path, *sz, *vendor, *model;
	unsigned char *p80, *p83;
	size_t l80, l83;
	uint64_t sectors;
	int64_t type;
	struct vol_def *v;
	char *f;

	attr = lun_attr(lunpath, "type");
	if (attr == NULL || str_to_i64(attr, 10, &type) < 0) {
		free(attr);
		return err_setc(e, ERR_GENERIC, "cannot tell whether %s is a "
				"disk: no readable 'type' in '%s'", lunpath,
				lunpath);
	}
	free(attr);
	if (type != 0 && type != 5)
		return 0;
	if ((dev = lun_block(lunpath)) == NULL)
		return 0;
	if ((path = stable_path(p->def->target_path, dev)) == NULL) {
		free(dev);
		return 0;
	}
	f = xasprintf("%s/block/%s/size", lunpath, dev);
	if (access(f, F_OK) < 0) {
		free(f);
		f = xasprintf("%s/block:%s/size", lunpath, dev);
	}
	sz = read_attr(f);
	free(f);
	if (sz == NULL || str_to_u64(sz, 10, &sectors) < 0) {
		err_setc(e, ERR_GENERIC, "cannot read the size of /dev/%s",
			 dev);
		free(sz);
		free(path);
		free(dev);
		return -1;
	}
	free(sz);
	vendor = lun_attr(lunpath, "vendor");
	model = lun_attr(lunpath, "model");
	p80 = lun_bin(lunpath, "vpd_pg80", &l80);
	p83 = lun_bin(lunpath, "vpd_pg83", &l83);
	v = vol_def_new();
	v->type = VOL_BLOCK;
	v->name = xasprintf("unit:%u:%u:%u", lu->bus, lu->target, lu->lun);
	v->target.path = path;
	v->key = scsi_id_key(p83, l83, p80, l80, vendor, model);
	if (v->key == NULL)
		v->key = xasprintf("/dev/%s", dev);
	attr = scsi_vpd80_serial(p80, l80);
	v->note = scsi_lun_note(vendor, model, attr);
	free(attr);
	v->capacity = v->allocation = sectors * 512;
	v->has_capacity = true;
	free(vendor);
	free(model);
	free(p80);
	free(p83);
	free(dev);
	*out = v;
	return 1;
}

int
iscsi_sysfs_add_luns(struct pool *p, unsigned sid, struct err *e)
{
	char *devices = sys_path("/sys/bus/scsi/devices");
	struct lu *lus = NULL;
	size_t n = 0;
	unsigned host;
	DIR *d;
	struct dirent *de;
	int rc = 0;

	if (session_host(sid, &host, e) < 0) {
		free(devices);
		return -1;
	}
	if ((d = opendir(devices)) == NULL) {
		err_errno(e, errno, "cannot read '%s'", devices);
		free(devices);
		return -1;
	}
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct lu lu = { 0 };
		unsigned h;
		int end = 0;
		char *lunpath;

		if (sscanf(de->d_name, "%u:%u:%u:%u%n", &h, &lu.bus,
			   &lu.target, &lu.lun, &end) != 4 ||
		    de->d_name[end] != '\0' || h != host)
			continue;
		lunpath = path_join(devices, de->d_name);
		rc = lun_volume(p, lunpath, &lu, &lu.vol, e);
		free(lunpath);
		if (rc == 1) {
			lus = xreallocarray(lus, n + 1, sizeof(*lus));
			lus[n++] = lu;
			rc = 0;
		}
	}
	closedir(d);
	free(devices);
	if (n > 1)
		qsort(lus, n, sizeof(*lus), lu_cmp);
	for (size_t i = 0; i < n; i++) {
		if (rc == 0) {
			p->def->capacity += lus[i].vol->capacity;
			p->def->allocation += lus[i].vol->allocation;
			pool_add_vol(p, lus[i].vol);
		} else {
			vol_def_free(lus[i].vol);
		}
	}
	free(lus);
	return rc;
}
