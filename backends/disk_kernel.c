/* cistern — disk pools: the kernel's view of a disk's partitions.
 *
 * After a label is written, libparted tells the kernel with BLKPG where
 * it can; this kernel has no partition parser, so nothing else would add
 * the partition nodes. What libparted could not do is done here with
 * partx, comparing the kernel's partitions (sysfs) with the label's.
 */
#include "disk.h"

#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

#include "../core/run.h"
#include "../core/util.h"

/* Read one number from a (sysfs) file. */
static bool
read_u64_file(const char *path, uint64_t *v)
{
	FILE *f = fopen(path, "r");
	unsigned long long x;
	bool ok;

	if (f == NULL)
		return false;
	ok = fscanf(f, "%llu", &x) == 1;
	fclose(f);
	if (ok)
		*v = x;
	return ok;
}

/* The kernel's partitions of block device `rdev` (from sysfs). */
static size_t
kernel_parts(dev_t rdev, struct kpart **out)
{
	char dir[64], sub[PATH_MAX];
	struct kpart *kp = NULL;
	size_t n = 0;
	DIR *d;
	struct dirent *de;

	snprintf(dir, sizeof(dir), "/sys/dev/block/%u:%u", major(rdev),
		 minor(rdev));
	d = opendir(dir);
	while (d != NULL && (de = readdir(d)) != NULL) {
		uint64_t num, start, size;

		if (de->d_name[0] == '.')
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/partition", dir, de->d_name);
		if (!read_u64_file(sub, &num))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/start", dir, de->d_name);
		if (!read_u64_file(sub, &start))
			continue;
		snprintf(sub, sizeof(sub), "%s/%s/size", dir, de->d_name);
		if (!read_u64_file(sub, &size))
			continue;
		kp = xreallocarray(kp, n + 1, sizeof(*kp));
		kp[n] = (struct kpart){ .num = (int)num, .start = start,
					.size = size };
		snprintf(kp[n].name, sizeof(kp[n].name), "%.63s", de->d_name);
		n++;
	}
	if (d != NULL)
		closedir(d);
	*out = kp;
	return n;
}

/* Run "partx OP --nr N DEV". */
static int
run_partx(const char *op, int num, const char *path, struct err *e)
{
	char nr[16];
	const char *argv[] = { "partx", op, "--nr", nr, path, NULL };

	snprintf(nr, sizeof(nr), "%d", num);
	return run_simple(argv, e);
}

/* A partition of `want` with number `num`, or NULL. */
static const struct kpart *
want_part(const struct kpart *want, size_t n, int num)
{
	for (size_t i = 0; i < n; i++)
		if (want[i].num == num)
			return &want[i];
	return NULL;
}

/* Make the kernel's partitions those of the label (see disk.h). */
int
dkernel_sync(const char *path, const struct kpart *want, size_t nwant,
	     struct err *e)
{
	struct stat st;
	struct kpart *kp;
	size_t nk;
	int rc = 0;

	if (stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
		return 0;
	nk = kernel_parts(st.st_rdev, &kp);
	/* the kernel's partitions the label no longer has (or has moved) */
	for (size_t i = 0; i < nk && rc == 0; i++) {
		const struct kpart *w = want_part(want, nwant, kp[i].num);

		/* the kernel shows 1 KiB of an extended partition */
		if (w == NULL || w->start != kp[i].start ||
		    (!w->extended && w->size != kp[i].size)) {
			rc = run_partx("-d", kp[i].num, path, e);
			kp[i].num = -1;
		}
	}
	/* the label's partitions the kernel lacks */
	for (size_t i = 0; i < nwant && rc == 0; i++) {
		bool have = false;

		for (size_t k = 0; k < nk; k++)
			if (kp[k].num == want[i].num)
				have = true;
		if (!have)
			rc = run_partx("-a", want[i].num, path, e);
	}
	free(kp);
	if (rc < 0)
		err_prefix(e, "the label of '%s' is written, but the kernel "
			   "does not show its partitions", path);
	return rc;
}

/* Make the kernel drop every partition of a block device. */
int
dkernel_forget(const char *path, struct err *e)
{
	struct stat st;
	struct kpart *kp;
	size_t nk;
	int rc = 0;

	if (run_dry_run() || stat(path, &st) < 0 || !S_ISBLK(st.st_mode))
		return 0;
	nk = kernel_parts(st.st_rdev, &kp);
	for (size_t i = 0; i < nk && rc == 0; i++)
		rc = run_partx("-d", kp[i].num, path, e);
	free(kp);
	return rc;
}

