/* cistern — the libvirt engine reading a file pool's volumes here.
 *
 * libvirt has no call that gives many volumes' sizes at once: a list with
 * sizes costs one request per volume, and on the host itself those
 * requests' hand-offs cost libvirtd and the client more CPU than reading
 * the files does. So over a local URI a file pool's volumes are read here,
 * with the local engine's probe (the header, as libvirtd reads it), once
 * this process is shown to see the daemon's files rather than another
 * mount namespace's or a container's: the target here is a filesystem of
 * the size libvirt gives the pool, and a volume read both ways reads the
 * same. A volume that cannot be read here (gone, unreadable, damaged, not
 * a file or directory) is asked of libvirt. CISTERN_LOCAL_READ=0 asks
 * libvirt for every one. */
#include "libvirt.h"

#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "../core/util.h"
#include "filevol.h"

/* The file name of a volume keyed DIR/NAME by libvirt, or NULL when its
 * key is no such path. */
static const char *
local_name(const char *dir, virStorageVolPtr vol)
{
	const char *key = virt.virStorageVolGetKey(vol);
	const char *name = virt.virStorageVolGetName(vol);
	size_t dl;

	if (key == NULL || name == NULL || dir == NULL)
		return NULL;
	dl = strlen(dir);
	if (strncmp(key, dir, dl) != 0 || key[dl] != '/' ||
	    strcmp(key + dl + 1, name) != 0 || strchr(name, '/') != NULL)
		return NULL;
	return name;
}

bool
lv_local_info(const char *dir, int dfd, virStorageVolPtr vol,
	      virStorageVolInfo *info)
{
	const char *name = local_name(dir, vol);
	struct vol_def *v;
	struct stat st;
	bool ok;

	/* regular files only: a link is libvirt's to follow or not, and a
	 * directory's sizes are libvirt's own (0) */
	if (dfd < 0 || name == NULL ||
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) < 0 ||
	    !S_ISREG(st.st_mode))
		return false;
	v = filevol_probe(dir, dfd, name, DT_REG, false);
	ok = v != NULL && v->note == NULL && !v->damaged && v->has_capacity &&
	     v->type == VOL_FILE;
	if (ok) {
		info->type = VIR_STORAGE_VOL_FILE;
		info->capacity = v->capacity;
		info->allocation = v->allocation;
	}
	vol_def_free(v);
	return ok;
}

/* How many volumes may be looked at for one to compare. */
#define LOCAL_TRIES 8

int
lv_local_dir(struct cistern *c, const struct pool *p, virStorageVolPtr *vols,
	     int n)
{
	struct lv *lv = c->engine_data;
	const char *env = getenv("CISTERN_LOCAL_READ");
	const char *dir = p->def->target_path;
	virStorageVolInfo here, there;
	struct statvfs sv;
	int dfd;

	if (env != NULL && strcmp(env, "0") == 0)
		return -1;
	if (lv == NULL || !engine_uri_local(lv->uri) || n < 1 || dir == NULL)
		return -1;
	switch (p->def->type) {
	case POOL_DIR: case POOL_FS: case POOL_NETFS: break;
	default: return -1;
	}
	/* the filesystem libvirt measured for the pool (its capacity is
	 * statvfs's f_frsize * f_blocks of the target) */
	if (statvfs(dir, &sv) < 0 || p->def->capacity == 0 ||
	    (uint64_t)sv.f_frsize * sv.f_blocks != p->def->capacity)
		return -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0)
		return -1;
	/* a volume of it (the first of the first few that is a file here)
	 * reads the same here as from libvirt */
	for (int i = 0; i < n && i < LOCAL_TRIES; i++) {
		if (!lv_local_info(dir, dfd, vols[i], &here))
			continue;
		if (virt.virStorageVolGetInfo(vols[i], &there) == 0 &&
		    here.type == there.type &&
		    here.capacity == there.capacity &&
		    here.allocation == there.allocation)
			return dfd;
		break;
	}
	virt.virResetLastError();
	close(dfd);
	return -1;
}
