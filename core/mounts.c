/* cistern — the mount table through libmount. */
#include "mounts.h"

#include <stdlib.h>

#include <libmount.h>

#include "util.h"

/* The current mount table, or NULL if it cannot be read. */
static struct libmnt_table *
mounts_read(void)
{
	struct libmnt_table *tb = mnt_new_table();

	if (tb != NULL && mnt_table_parse_mtab(tb, NULL) != 0) {
		mnt_unref_table(tb);
		tb = NULL;
	}
	return tb;
}

char *
mounts_find_devno(const dev_t *devs, size_t n, size_t *which)
{
	struct libmnt_table *tb = mounts_read();
	struct libmnt_iter *itr = mnt_new_iter(MNT_ITER_FORWARD);
	struct libmnt_fs *fs;
	char *where = NULL;

	while (tb != NULL && itr != NULL && where == NULL &&
	       mnt_table_next_fs(tb, itr, &fs) == 0) {
		dev_t d = mnt_fs_get_devno(fs);
		for (size_t i = 0; i < n; i++) {
			if (devs[i] != d)
				continue;
			where = xstrdup(mnt_fs_get_target(fs));
			if (which != NULL)
				*which = i;
			break;
		}
	}
	mnt_free_iter(itr);
	mnt_unref_table(tb);
	return where;
}

bool
mounts_find_target(const char *dir, char **source, char **fstype)
{
	struct libmnt_table *tb = mounts_read();
	/* no cache on the table: libmount then resolves no path either */
	char *want = path_sanitize(dir);
	struct libmnt_fs *fs = NULL;

	if (source)
		*source = NULL;
	if (fstype)
		*fstype = NULL;
	/* backward: the last matching entry is the top of the stack */
	if (tb != NULL)
		fs = mnt_table_find_target(tb, want, MNT_ITER_BACKWARD);
	if (fs != NULL && source)
		*source = xstrdup(mnt_fs_get_source(fs));
	if (fs != NULL && fstype)
		*fstype = xstrdup(mnt_fs_get_fstype(fs));
	mnt_unref_table(tb);
	free(want);
	return fs != NULL;
}
