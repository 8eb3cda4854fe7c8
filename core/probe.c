/* cistern — looking before touching: libblkid probes, in-use checks. */
#include "probe.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <blkid.h>

#include "fileio.h"
#include "mounts.h"
#include "run.h"
#include "util.h"

static void
describe(struct probe_info *pi)
{
	char label[200] = "";

	if (pi->label[0])
		snprintf(label, sizeof(label), " labelled '%s'", pi->label);
	if (strcmp(pi->usage, "partition table") == 0)
		snprintf(pi->what, sizeof(pi->what), "a %s partition table",
			 pi->type);
	else if (strcmp(pi->type, "LVM2_member") == 0)
		snprintf(pi->what, sizeof(pi->what), "an LVM2 physical volume%s",
			 pi->uuid[0] ? " (PV)" : "");
	else if (strcmp(pi->usage, "filesystem") == 0)
		snprintf(pi->what, sizeof(pi->what), "%s %s filesystem%s",
			 strchr("aeiouxAEIOUX", pi->type[0]) ? "an" : "a", pi->type,
			 label);
	else if (strcmp(pi->type, "swap") == 0)
		snprintf(pi->what, sizeof(pi->what), "a swap area%s", label);
	else
		snprintf(pi->what, sizeof(pi->what), "%s %s signature (%s)%s",
			 strchr("aeiouAEIOU", pi->type[0]) ? "an" : "a", pi->type,
			 pi->usage[0] ? pi->usage : "other", label);
}

int
probe_signatures(const char *path, struct probe_info *pi, struct err *e)
{
	blkid_probe pr;
	const char *val;
	int rc;

	memset(pi, 0, sizeof(*pi));
	pr = blkid_new_probe_from_filename(path);
	if (pr == NULL)
		return err_errno(e, errno ? errno : EIO, "cannot probe '%s'",
				 path);
	blkid_probe_enable_superblocks(pr, 1);
	blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_TYPE |
					  BLKID_SUBLKS_USAGE |
					  BLKID_SUBLKS_LABEL | BLKID_SUBLKS_UUID);
	blkid_probe_enable_partitions(pr, 1);
	blkid_probe_set_partitions_flags(pr, BLKID_PARTS_ENTRY_DETAILS);
	rc = blkid_do_safeprobe(pr);
	if (rc == -2) {
		/* ambiguous: more than one signature; still something */
		pi->found = true;
		snprintf(pi->type, sizeof(pi->type), "ambiguous");
		snprintf(pi->usage, sizeof(pi->usage), "other");
		snprintf(pi->what, sizeof(pi->what),
			 "several conflicting signatures");
	} else if (rc < 0) {
		blkid_free_probe(pr);
		return err_setc(e, ERR_GENERIC, "cannot probe '%s'", path);
	} else if (rc == 0) {
		pi->found = true;
		if (blkid_probe_lookup_value(pr, "TYPE", &val, NULL) == 0) {
			snprintf(pi->type, sizeof(pi->type), "%s", val);
			if (blkid_probe_lookup_value(pr, "USAGE", &val, NULL) == 0)
				snprintf(pi->usage, sizeof(pi->usage), "%s", val);
		} else if (blkid_probe_lookup_value(pr, "PTTYPE", &val,
						    NULL) == 0) {
			snprintf(pi->type, sizeof(pi->type), "%s", val);
			snprintf(pi->usage, sizeof(pi->usage), "partition table");
		} else {
			/* only PART_ENTRY_* values: the partition's own entry in
			 * its disk's table, nothing about what it holds */
			pi->found = false;
			blkid_free_probe(pr);
			return 0;
		}
		if (blkid_probe_lookup_value(pr, "LABEL", &val, NULL) == 0)
			snprintf(pi->label, sizeof(pi->label), "%s", val);
		if (blkid_probe_lookup_value(pr, "UUID", &val, NULL) == 0)
			snprintf(pi->uuid, sizeof(pi->uuid), "%s", val);
		describe(pi);
	}
	blkid_free_probe(pr);
	return 0;
}

int
probe_size(const char *path, uint64_t *size, struct err *e)
{
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", path);
	if (fstat(fd, &st) < 0) {
		int saved = errno;
		close(fd);
		return err_errno(e, saved, "cannot stat '%s'", path);
	}
	if (S_ISBLK(st.st_mode)) {
		uint64_t sz;
		if (ioctl(fd, BLKGETSIZE64, &sz) < 0) {
			int saved = errno;
			close(fd);
			return err_errno(e, saved, "cannot get the size of '%s'",
					 path);
		}
		*size = sz;
	} else {
		*size = (uint64_t)st.st_size;
	}
	close(fd);
	return 0;
}

/* Zero `len` bytes at `off` (no error if the device is smaller). */
static int
zero_at(int fd, uint64_t off, uint64_t len, const char *path, struct err *e)
{
	static const char zeros[65536];

	while (len > 0) {
		size_t n = len > sizeof(zeros) ? sizeof(zeros) : (size_t)len;
		if (fd_write_full(fd, zeros, n, (int64_t)off) < 0)
			return err_errno(e, errno, "cannot clear '%s'", path);
		off += n;
		len -= n;
	}
	return 0;
}

int
probe_wipe_signatures(const char *path, struct err *e)
{
	blkid_probe pr;
	uint64_t size;
	int fd, rc = 0;

	if (run_dry_run())
		return 0;
	if (probe_size(path, &size, e) < 0)
		return -1;
	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s' for writing", path);
	pr = blkid_new_probe();
	if (pr != NULL && blkid_probe_set_device(pr, fd, 0, 0) == 0) {
		blkid_probe_enable_superblocks(pr, 1);
		blkid_probe_set_superblocks_flags(pr, BLKID_SUBLKS_MAGIC |
						  BLKID_SUBLKS_BADCSUM);
		blkid_probe_enable_partitions(pr, 1);
		blkid_probe_set_partitions_flags(pr, BLKID_PARTS_MAGIC |
						 BLKID_PARTS_FORCE_GPT);
		while (blkid_do_probe(pr) == 0)
			blkid_do_wipe(pr, 0);
	}
	if (pr != NULL)
		blkid_free_probe(pr);
	/* the head and the tail (GPT backup header, MD superblocks) */
	uint64_t mib = 1 << 20;
	if (zero_at(fd, 0, size < mib ? size : mib, path, e) < 0 ||
	    (size > mib && zero_at(fd, size - mib, mib, path, e) < 0))
		rc = -1;
	if (rc == 0 && fsync(fd) < 0)
		rc = err_errno(e, errno, "cannot sync '%s'", path);
	close(fd);
	return rc;
}

/* Collect the device numbers of a block device and its partitions. */
static size_t
dev_family(dev_t dev, const char *name, dev_t *out, char (*names)[64],
	   size_t max)
{
	size_t n = 0;
	char path[PATH_MAX];
	DIR *d;
	struct dirent *de;

	out[n] = dev;
	snprintf(names[n], 64, "%s", name);
	n++;
	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u", major(dev),
		 minor(dev));
	d = opendir(path);
	while (d != NULL && (de = readdir(d)) != NULL && n < max) {
		char sub[PATH_MAX + 300];
		unsigned ma, mi;
		FILE *f;

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/dev", path, de->d_name);
		f = fopen(sub, "r");
		if (f == NULL)
			continue;
		if (fscanf(f, "%u:%u", &ma, &mi) == 2) {
			out[n] = makedev(ma, mi);
			snprintf(names[n], 64, "%.63s", de->d_name);
			n++;
		}
		fclose(f);
	}
	if (d != NULL)
		closedir(d);
	return n;
}

static bool
holders_of(dev_t dev, char *who, size_t n)
{
	char path[128];
	DIR *d;
	struct dirent *de;
	bool found = false;

	snprintf(path, sizeof(path), "/sys/dev/block/%u:%u/holders", major(dev),
		 minor(dev));
	d = opendir(path);
	while (d != NULL && (de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(who, n, "%.63s", de->d_name);
		found = true;
		break;
	}
	if (d != NULL)
		closedir(d);
	return found;
}

int
probe_in_use(const char *path, char *why, size_t n, struct err *e)
{
	struct stat st;
	dev_t fam[300];
	char names[300][64];
	size_t nfam, which;
	char *mnt;
	FILE *f;
	char line[4096];
	const char *base;

	if (stat(path, &st) < 0)
		return err_errno(e, errno, "cannot stat '%s'", path);
	if (!S_ISBLK(st.st_mode))
		return 0;
	base = strrchr(path, '/');
	base = base ? base + 1 : path;
	nfam = dev_family(st.st_rdev, base, fam, names, ARRAY_SIZE(fam));

	mnt = mounts_find_devno(fam, nfam, &which);
	if (mnt != NULL) {
		if (which == 0)   /* the device as named (a symlink too) */
			snprintf(why, n, "%s is mounted on %s", path, mnt);
		else
			snprintf(why, n, "/dev/%s is mounted on %s", names[which],
				 mnt);
		free(mnt);
		return 1;
	}

	f = fopen("/proc/swaps", "r");
	while (f != NULL && fgets(line, sizeof(line), f) != NULL) {
		char dev[PATH_MAX];
		struct stat sst;
		if (sscanf(line, "%4095s", dev) != 1 || dev[0] != '/')
			continue;
		if (stat(dev, &sst) == 0 && S_ISBLK(sst.st_mode)) {
			for (size_t i = 0; i < nfam; i++)
				if (fam[i] == sst.st_rdev) {
					snprintf(why, n, "/dev/%s is in use as swap",
						 names[i]);
					fclose(f);
					return 1;
				}
		}
	}
	if (f != NULL)
		fclose(f);

	for (size_t i = 0; i < nfam; i++) {
		char who[64];
		if (holders_of(fam[i], who, sizeof(who))) {
			snprintf(why, n, "/dev/%s is held by %s", names[i], who);
			return 1;
		}
	}
	/* partitions that are LVM physical volumes belong to LVM */
	for (size_t i = 1; i < nfam; i++) {
		char dpath[128];
		struct probe_info pi;
		snprintf(dpath, sizeof(dpath), "/dev/%s", names[i]);
		if (access(dpath, F_OK) == 0 &&
		    probe_signatures(dpath, &pi, NULL) == 0 &&
		    strcmp(pi.type, "LVM2_member") == 0) {
			snprintf(why, n, "%s is an LVM physical volume", dpath);
			return 1;
		}
	}
	/* the kernel refuses an exclusive open of a device someone holds */
	int fd = open(path, O_RDONLY | O_EXCL | O_CLOEXEC);
	if (fd < 0 && errno == EBUSY) {
		snprintf(why, n, "%s is busy (opened exclusively by the kernel "
			 "or another program)", path);
		return 1;
	}
	if (fd >= 0)
		close(fd);
	return 0;
}
