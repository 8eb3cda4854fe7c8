/* cistern — what there is to build a pool on: block devices from sysfs,
 * probed with libblkid; <sources> XML read back; the initiator name. */
#include "discover.h"

#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <blkid.h>

#include "fileio.h"
#include "mounts.h"
#include "util.h"
#include "xmlutil.h"

#define INITIATORNAME_FILE "/etc/iscsi/initiatorname.iscsi"

/* The sysfs directory of the block devices. */
static char *
sys_block(void)
{
	const char *root = getenv("CISTERN_SYSFS_ROOT");

	return xasprintf("%s/sys/block", root && *root ? root : "");
}

/* A small sysfs file's first line, or NULL. */
static char *
sys_read(const char *dir, const char *name)
{
	char *path = path_join(dir, name);
	char *s = file_read_all(path, 4096, NULL, NULL);

	free(path);
	if (s != NULL)
		s[strcspn(s, "\n")] = '\0';
	return s;
}

/* A sysfs number, or `dflt`. */
static uint64_t
sys_u64(const char *dir, const char *name, uint64_t dflt)
{
	char *s = sys_read(dir, name);
	uint64_t v;

	if (s == NULL || str_to_u64(s, 10, &v) < 0)
		v = dflt;
	free(s);
	return v;
}

/* Should a whole device be listed? Loops with nothing attached, RAM
 * disks, CD drives and empty devices are not worth offering. */
static bool
disk_wanted(const char *dir, const char *name)
{
	char *s;
	bool cd;

	if (str_startswith(name, "ram") || str_startswith(name, "sr") ||
	    str_startswith(name, "fd"))
		return false;
	if (str_startswith(name, "loop")) {
		char *back = path_join(dir, "loop/backing_file");
		bool attached = access(back, F_OK) == 0;
		free(back);
		if (!attached)
			return false;
	}
	s = sys_read(dir, "device/type");
	cd = s != NULL && strcmp(s, "5") == 0;
	free(s);
	return !cd && sys_u64(dir, "size", 0) > 0;
}

/* Where the device "major:minor" is mounted (the first mount), or NULL. */
static char *
mount_of(const char *devno)
{
	unsigned ma, mi;
	dev_t d;

	if (sscanf(devno, "%u:%u", &ma, &mi) != 2)
		return NULL;
	d = makedev(ma, mi);
	return mounts_find_devno(&d, 1, NULL);
}

/* How many partitions the table on `path` holds (libblkid), 0 if none. */
static int
count_parts(const char *path)
{
	blkid_probe pr = blkid_new_probe_from_filename(path);
	blkid_partlist pl;
	int n = 0;

	if (pr == NULL)
		return 0;
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	pl = blkid_probe_get_partitions(pr);
	if (pl != NULL)
		n = blkid_partlist_numof_partitions(pl);
	blkid_free_probe(pr);
	return n < 0 ? 0 : n;
}

/* Fill in one device from its sysfs directory. */
static void
dev_fill(struct blockdev *b, const char *dir, const char *name,
	 const char *disk)
{
	char why[512];
	char *devno = sys_read(dir, "dev");
	struct err e;

	memset(b, 0, sizeof(*b));
	err_init(&e);
	b->name = xstrdup(name);
	b->path = xasprintf("/dev/%s", name);
	b->disk = disk ? xstrdup(disk) : NULL;
	b->whole = disk == NULL;
	b->size = sys_u64(dir, "size", 0) * 512;
	b->ro = sys_u64(dir, "ro", 0) != 0;
	if (access(b->path, F_OK) < 0) {
		b->busy = xstrdup("no device node");
		free(devno);
		return;
	}
	if (probe_signatures(b->path, &b->pi, &e) < 0) {
		/* never call a device blank when it could not be read */
		memset(&b->pi, 0, sizeof(b->pi));
		b->pi.found = true;
		snprintf(b->pi.type, sizeof(b->pi.type), "unreadable");
		snprintf(b->pi.usage, sizeof(b->pi.usage), "other");
		snprintf(b->pi.what, sizeof(b->pi.what),
			 "unknown contents (%.280s)", e.msg);
		err_clear(&e);
	}
	if (b->whole && b->pi.found &&
	    strcmp(b->pi.usage, "partition table") == 0)
		b->nparts = count_parts(b->path);
	b->mountpoint = devno ? mount_of(devno) : NULL;
	if (probe_in_use(b->path, why, sizeof(why), NULL) == 1)
		b->busy = xstrdup(why);
	free(devno);
}

/* Name order that puts loop2 before loop10. */
static int
dev_cmp(const void *x, const void *y)
{
	const struct blockdev *a = x, *b = y;

	return strverscmp(a->name, b->name);
}

/* Append a device to the list. */
static struct blockdev *
dev_push(struct blockdev **v, size_t *n)
{
	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	return &(*v)[(*n)++];
}

/* The partitions the kernel knows of a disk (sysfs), as a count, and
 * added to the list when asked. */
static int
scan_parts(const char *dir, const char *disk, bool add, struct blockdev **v,
	   size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	int count = 0;

	while (d != NULL && (de = readdir(d)) != NULL) {
		char *pdir, *flag;
		if (de->d_name[0] == '.' ||
		    !str_startswith(de->d_name, disk))
			continue;
		pdir = path_join(dir, de->d_name);
		flag = path_join(pdir, "partition");
		if (access(flag, F_OK) == 0) {
			count++;
			if (add)
				dev_fill(dev_push(v, n), pdir, de->d_name,
					 disk);
		}
		free(flag);
		free(pdir);
	}
	if (d != NULL)
		closedir(d);
	return count;
}

/* The block devices of this machine (see discover.h). */
int
discover_blockdevs(unsigned flags, struct blockdev **out, size_t *n,
		   struct err *e)
{
	char *root = sys_block();
	DIR *d = opendir(root);
	struct dirent *de;
	struct blockdev *v = NULL;
	size_t nv = 0;

	*out = NULL;
	*n = 0;
	if (d == NULL) {
		err_errno(e, errno, "cannot list the block devices in '%s'",
			  root);
		free(root);
		return -1;
	}
	while ((de = readdir(d)) != NULL) {
		char *dir;
		int np;
		if (de->d_name[0] == '.')
			continue;
		dir = path_join(root, de->d_name);
		if (!disk_wanted(dir, de->d_name)) {
			free(dir);
			continue;
		}
		np = scan_parts(dir, de->d_name, (flags & DISCOVER_PARTS) != 0,
				&v, &nv);
		if ((flags & DISCOVER_DISKS) &&
		    !((flags & DISCOVER_LEAVES) && np > 0)) {
			dev_fill(dev_push(&v, &nv), dir, de->d_name, NULL);
		} else if (flags & DISCOVER_DISKS) {
			/* partitions the kernel remembers of a disk that holds
			 * a filesystem now are stale: the disk is the leaf */
			struct blockdev *b = dev_push(&v, &nv);
			dev_fill(b, dir, de->d_name, NULL);
			if (!b->pi.found ||
			    strcmp(b->pi.usage, "partition table") == 0) {
				free(b->name);
				free(b->path);
				free(b->mountpoint);
				free(b->busy);
				nv--;
			}
		}
		free(dir);
	}
	closedir(d);
	free(root);
	if (nv > 1)
		qsort(v, nv, sizeof(*v), dev_cmp);
	*out = v;
	*n = nv;
	return 0;
}

/* Free a list of block devices. */
void
blockdevs_free(struct blockdev *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].path);
		free(v[i].disk);
		free(v[i].mountpoint);
		free(v[i].busy);
	}
	free(v);
}

/* What a device holds, for people. */
char *
blockdev_holds(const struct blockdev *b)
{
	if (!b->pi.found)
		return xstrdup("nothing (blank)");
	if (strcmp(b->pi.usage, "partition table") == 0)
		return xasprintf("%s with %d partition%s", b->pi.what,
				 b->nparts, b->nparts == 1 ? "" : "s");
	return xstrdup(b->pi.what);
}

/* ---- <sources> ---- */

/* One <source> element. */
static void
source_read(xmlNodePtr s, struct found_source *f)
{
	xmlNodePtr h = xml_first(s, "host");
	char *port;
	size_t nd = 0;

	memset(f, 0, sizeof(*f));
	if (h != NULL) {
		f->host = xml_attr(h, "name");
		port = xml_attr(h, "port");
		if (port != NULL)
			f->port = atoi(port);
		free(port);
	}
	f->dir = xml_path_attr(s, "dir", "path");
	for (xmlNodePtr dv = xml_first(s, "device"); dv != NULL;
	     dv = xml_next(dv, "device")) {
		char *p = xml_attr(dv, "path");
		if (p != NULL)
			strv_push(&f->devices, &nd, p);
		free(p);
	}
	f->ndevices = nd;
	f->name = xml_text(s, "name");
	f->format = xml_path_attr(s, "format", "type");
}

/* Read find-storage-pool-sources' <sources> XML. */
int
discover_sources_parse(const char *xml, struct found_source **out,
		       size_t *n, struct err *e)
{
	xmlDocPtr doc = xml_parse(xml, strlen(xml), "the sources found", e);
	xmlNodePtr root;
	size_t k = 0;

	*out = NULL;
	*n = 0;
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	if (root == NULL || !xmlStrEqual(root->name, BAD_CAST "sources")) {
		xmlFreeDoc(doc);
		return err_setc(e, ERR_INVALID, "the sources found are not a "
				"<sources> list");
	}
	for (xmlNodePtr s = xml_first(root, "source"); s != NULL;
	     s = xml_next(s, "source")) {
		*out = xreallocarray(*out, k + 1, sizeof(**out));
		source_read(s, &(*out)[k++]);
	}
	*n = k;
	xmlFreeDoc(doc);
	return 0;
}

/* Free the sources read. */
void
found_sources_free(struct found_source *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].host);
		free(v[i].dir);
		strv_free(v[i].devices);
		free(v[i].name);
		free(v[i].format);
	}
	free(v);
}

/* This host's iSCSI initiator name, or NULL. */
char *
discover_initiator_iqn(void)
{
	char *data = file_read_all(INITIATORNAME_FILE, 4096, NULL, NULL);
	char *iqn = NULL;

	for (char *line = data, *next; line != NULL && *line && iqn == NULL;
	     line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (str_startswith(line, "InitiatorName=") && line[14] != '\0')
			iqn = xstrdup(str_trim(line + 14));
	}
	free(data);
	return iqn;
}

/* Is a path there, and an empty directory? */
void
discover_dir_state(const char *path, bool *exists, bool *empty_dir)
{
	struct stat st;
	DIR *d;
	struct dirent *de;

	*exists = path != NULL && lstat(path, &st) == 0;
	*empty_dir = false;
	if (!*exists || !S_ISDIR(st.st_mode))
		return;
	d = opendir(path);
	*empty_dir = d != NULL;
	while (d != NULL && (de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			*empty_dir = false;
	if (d != NULL)
		closedir(d);
}

/* The first missing component of path, or the non-directory in its way. */
char *
discover_first_missing(const char *path, char **blocker)
{
	char *p = xstrdup(path);
	size_t n = strlen(p);
	struct stat st;

	*blocker = NULL;
	for (size_t i = 1; i <= n; i++) {
		char c = p[i];
		if (c != '/' && c != '\0')
			continue;
		p[i] = '\0';
		if (stat(p, &st) < 0) {
			if (errno == ENOENT)
				return p;   /* cut at the first missing one */
			break;
		}
		if (c != '\0' && !S_ISDIR(st.st_mode)) {
			*blocker = p;
			return NULL;
		}
		p[i] = c;
	}
	free(p);
	return NULL;
}
