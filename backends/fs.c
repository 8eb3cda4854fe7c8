/* cistern — fs pools: a block device's filesystem, mounted on the target
 * directory; its volumes are files. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/util.h"
#include "filevol.h"
#include "fsmount.h"

/* mkfs may take a while on a large device. */
#define MKFS_TIMEOUT_MS (30 * 60 * 1000)

/* Recorded by a build that made the target, so a failed
 * "pool-start --build" can take it away again. */

/* The force flag of mkfs for a format (libvirt's). */
static const char *
mkfs_force(const char *fmt)
{
	if (strcmp(fmt, "xfs") == 0)
		return "-f";
	if (strcmp(fmt, "ext2") == 0 || strcmp(fmt, "ext3") == 0 ||
	    strcmp(fmt, "ext4") == 0)
		return "-F";
	if (strcmp(fmt, "vfat") == 0)
		return "-I";
	return NULL;
}

/* Make the filesystem: probe first and refuse (--no-overwrite), or wipe
 * every old signature and force mkfs (--overwrite). */
static int
fs_mkfs(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const char *dev = p->def->source.devices[0].path;
	const char *fmt = p->def->source.format ? p->def->source.format :
			  "auto";
	struct run_opts o = { .timeout_ms = MKFS_TIMEOUT_MS, .job = j };
	struct probe_info pi;
	const char *argv[8];
	char why[512];
	size_t n = 0;
	int busy;

	if (access(dev, F_OK) < 0)
		return err_errno(e, errno, "source device '%s'", dev);
	busy = probe_in_use(dev, why, sizeof(why), e);
	if (busy < 0)
		return -1;
	if (busy > 0)
		return err_setc(e, ERR_BUSY, "will not format '%s': %s", dev,
				why);
	if (flags & POOL_BUILD_NO_OVERWRITE) {
		if (probe_signatures(dev, &pi, e) < 0)
			return -1;
		if (pi.found)
			return err_setc(e, ERR_REFUSED,
					"device '%s' holds %s; not overwriting "
					"it (--overwrite destroys it)", dev,
					pi.what);
	}
	if (strcmp(fmt, "auto") == 0)
		return err_setc(e, ERR_INVALID,
				"cannot make a filesystem of format 'auto': "
				"give the pool a source format");
	job_phase(j, "making a %s filesystem on %s", fmt, dev);
	if ((flags & POOL_BUILD_OVERWRITE) && probe_wipe_signatures(dev, e) < 0)
		return -1;
	argv[n++] = "mkfs";
	argv[n++] = "-t";
	argv[n++] = fmt;
	if ((flags & POOL_BUILD_OVERWRITE) && mkfs_force(fmt) != NULL)
		argv[n++] = mkfs_force(fmt);
	argv[n++] = dev;
	argv[n] = NULL;
	return run_argv(argv, &o, NULL, e);
}

/* Without a flag: only the target directory (as libvirt). With
 * --overwrite or --no-overwrite: the filesystem too. */
static int
fs_build(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	if ((flags & (POOL_BUILD_OVERWRITE | POOL_BUILD_NO_OVERWRITE)) &&
	    fs_mkfs(p, flags, j, e) < 0)
		return -1;
	return fsmount_build_target(p, flags, j, e);
}

const struct backend fs_backend = {
	.type = POOL_FS,
	.flags = BACKEND_VOL_CREATE | BACKEND_NEEDS_ROOT |
		 BACKEND_BUILD_DESTRUCTIVE,
	.says_build = "run mkfs.{format} on {devices}",
	.says_destroy = "run mkfs.{format} on {devices}",
	.says_start = "mount it on the target path",
	.check = fsmount_pool_check,
	.build = fs_build,
	.start = fsmount_pool_start,
	.stop = fsmount_pool_stop,
	.delete = fsmount_pool_delete,
	.refresh = fsmount_pool_refresh,
	FILEVOL_OPS,
};
