/* cistern — file volumes: the target directory, refresh, delete, resize. */
#include "filevol.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <linux/magic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/imgprobe.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"

#define DEFAULT_DIR_MODE 0711
#define DEFAULT_VOL_MODE 0600

/* Make the target directory with the pool's mode and owner. */
int
filevol_build_target(struct pool *p, bool *created, struct err *e)
{
	const struct perms *pm = &p->def->target_perms;
	const char *dir = p->def->target_path;
	mode_t mode = pm->mode >= 0 ? (mode_t)pm->mode : DEFAULT_DIR_MODE;
	struct stat st;

	if (created)
		*created = false;
	if (run_dry_run())
		return 0;
	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return err_setc(e, ERR_EXISTS,
					"target '%s' exists and is not a "
					"directory", dir);
	} else if (errno != ENOENT) {
		return err_errno(e, errno, "cannot stat '%s'", dir);
	} else {
		if (mkdir_p(dir, 0755) < 0)
			return err_errno(e, errno,
					 "cannot create directory '%s'", dir);
		if (created)
			*created = true;
	}
	if (chmod(dir, mode) < 0)
		return err_errno(e, errno, "cannot set the mode of '%s'", dir);
	if ((pm->uid >= 0 || pm->gid >= 0) &&
	    chown(dir, pm->uid >= 0 ? (uid_t)pm->uid : (uid_t)-1,
		  pm->gid >= 0 ? (gid_t)pm->gid : (gid_t)-1) < 0)
		return err_errno(e, errno, "cannot set the owner of '%s'", dir);
	return 0;
}

/* Remove the pool's empty target directory. */
int
filevol_delete_target(struct pool *p, struct err *e)
{
	if (run_dry_run())
		return 0;
	if (rmdir(p->def->target_path) < 0 && errno != ENOENT) {
		if (errno == ENOTEMPTY || errno == EEXIST)
			return err_setc(e, ERR_BUSY, "directory '%s' is not "
					"empty: delete its volumes first",
					p->def->target_path);
		return err_errno(e, errno, "cannot remove directory '%s'",
				 p->def->target_path);
	}
	return 0;
}

/* Is the target an existing directory? */
bool
filevol_target_ok(const struct pool *p)
{
	struct stat st;

	return stat(p->def->target_path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Formats whose file bytes are the guest's bytes. */
bool
filevol_is_raw(const char *fmt)
{
	return fmt == NULL || strcmp(fmt, "raw") == 0 ||
	       strcmp(fmt, "iso") == 0;
}

/* A target's timestamps and permissions as stat(2) gives them. */
static void
fill_target_stat(struct vol_target *t, const struct stat *st)
{
	struct vol_timestamps *ts = xmalloc(sizeof(*ts));

	t->perms.mode = st->st_mode & 0777;
	t->perms.uid = st->st_uid;
	t->perms.gid = st->st_gid;
	t->has_perms = true;
	ts->atime = st->st_atim;
	ts->mtime = st->st_mtim;
	ts->ctime = st->st_ctim;
	/* libvirt 9 writes <btime>0</btime>: it does not read the birth
	 * time (statx) */
	ts->btime.tv_sec = 0;
	ts->btime.tv_nsec = 0;
	free(t->timestamps);
	t->timestamps = ts;
}

/* Timestamps, permissions and sizes as stat(2) gives them. */
static void
fill_stat(struct vol_def *v, const struct stat *st)
{
	fill_target_stat(&v->target, st);
	v->allocation = (uint64_t)st->st_blocks * 512;
	v->physical = (uint64_t)st->st_size;
}

/* The backing file's permissions and timestamps, read as the volume's
 * own are. libvirt opens it as a file or block device and gives neither
 * when it cannot (missing, unreadable, a directory): the backingStore then
 * holds only its path and format. */
static void
fill_backing_stat(struct vol_target *b)
{
	int fd = open(b->path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	struct stat st;

	if (fd < 0)
		return;
	if (fstat(fd, &st) == 0 &&
	    (S_ISREG(st.st_mode) || S_ISBLK(st.st_mode)))
		fill_target_stat(b, &st);
	close(fd);
}

/* The header facts of a file volume. */
static void
fill_image(struct vol_def *v, const char *dir, const struct img_info *ii)
{
	v->target.format = xstrdup(ii->format);
	v->capacity = ii->capacity;
	v->has_capacity = true;
	v->damaged = ii->damaged != NULL;
	if (ii->damaged != NULL)
		v->note = xasprintf("damaged %s image: %s (the capacity shown "
				    "is the file's size)", ii->format,
				    ii->damaged);
	if (ii->compat != NULL) {
		/* libvirt writes <compat> only for a version 3 qcow2 (1.1),
		 * whose features it reads */
		if (strcmp(ii->compat, "1.1") == 0)
			v->target.compat = xstrdup(ii->compat);
		v->target.cluster_size = ii->cluster_size;
		if (strcmp(ii->compat, "1.1") == 0) {
			v->target.has_features = true;
			if (ii->lazy_refcounts)
				v->target.features |= VOL_FEAT_LAZY_REFCOUNTS;
			if (ii->extended_l2)
				v->target.features |= VOL_FEAT_EXTENDED_L2;
		}
	}
	if (ii->encryption != NULL) {
		struct vol_encryption *enc = xcalloc(1, sizeof(*enc));
		enc->format = xstrdup(ii->encryption);
		v->target.encryption = enc;
	}
	if (ii->backing != NULL) {
		struct vol_target *b = xcalloc(1, sizeof(*b));
		perms_init(&b->perms);
		/* a relative name is relative to the image's directory */
		b->path = ii->backing[0] == '/' ? xstrdup(ii->backing) :
			  path_join(dir, ii->backing);
		if (ii->backing_format[0] != '\0')
			b->format = xstrdup(ii->backing_format);
		fill_backing_stat(b);
		v->backing = b;
	}
}

/* A volume that could not be opened: listed, with the reason. */
static struct vol_def *
unreadable(struct vol_def *v, const struct stat *st, int errnum)
{
	fill_stat(v, st);
	v->capacity = (uint64_t)st->st_size;
	v->has_capacity = true;
	v->note = xasprintf("cannot read it: %s", strerror(errnum));
	return v;
}

/* A volume named `name` in `dir`, keyed by its path. */
static struct vol_def *
new_vol(const char *dir, const char *name, enum vol_type type)
{
	struct vol_def *v = vol_def_new();

	v->type = type;
	v->name = xstrdup(name);
	v->target.path = path_join(dir, name);
	v->key = xstrdup(v->target.path);
	return v;
}

/* Read the header of an open regular file and describe it. */
static struct vol_def *
probe_open(struct vol_def *v, const char *dir, int fd, const struct stat *st,
	   bool holes_read_zero)
{
	unsigned char head[IMGPROBE_HEAD];
	struct img_info ii;
	ssize_t r;
	struct err e;

	if (holes_read_zero && st->st_blocks == 0) {
		/* nothing written anywhere: every byte reads as zero, and no
		 * image format starts with zeros */
		close(fd);
		fill_stat(v, st);
		v->target.format = xstrdup("raw");
		v->capacity = (uint64_t)st->st_size;
		v->has_capacity = true;
		return v;
	}
	r = fd_read_full(fd, head, sizeof(head), 0);
	if (r < 0) {
		int saved = errno;
		close(fd);
		return unreadable(v, st, saved);
	}
	err_init(&e);
	if (imgprobe_fd(fd, (uint64_t)st->st_size, head, (size_t)r, &ii,
			&e) < 0) {
		int saved = errno ? errno : EIO;
		close(fd);
		err_clear(&e);
		return unreadable(v, st, saved);
	}
	close(fd);
	fill_stat(v, st);
	fill_image(v, dir, &ii);
	img_info_clear(&ii);
	return v;
}

/* One directory entry as a volume, or NULL when it is none. */
struct vol_def *
filevol_probe(const char *dir, int dfd, const char *name,
	      unsigned char d_type, bool holes_read_zero)
{
	const int oflags = O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC;
	struct stat st;
	struct vol_def *v;
	int fd;

	switch (d_type) {
	case DT_FIFO: case DT_CHR: case DT_BLK: case DT_SOCK:
		return NULL;
	case DT_REG:
		/* the common case: open first, one lookup fewer */
		fd = openat(dfd, name, oflags | O_NOFOLLOW);
		if (fd >= 0) {
			if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
				close(fd);
				return NULL;
			}
			return probe_open(new_vol(dir, name, VOL_FILE), dir, fd,
					  &st, holes_read_zero);
		}
		if (errno == ENOENT)
			return NULL;
		break;
	default:
		break;
	}
	/* links are followed; a dangling one or a vanished file is no
	 * volume */
	if (fstatat(dfd, name, &st, 0) < 0)
		return NULL;
	if (S_ISDIR(st.st_mode)) {
		v = new_vol(dir, name, VOL_DIR);
		fill_stat(v, &st);
		v->target.format = xstrdup("dir");
		v->capacity = (uint64_t)st.st_size;
		v->has_capacity = true;
		return v;
	}
	if (!S_ISREG(st.st_mode))
		return NULL;
	v = new_vol(dir, name, VOL_FILE);
	fd = openat(dfd, name, oflags);
	if (fd < 0)
		return unreadable(v, &st, errno);
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		close(fd);
		vol_def_free(v);
		return NULL;
	}
	return probe_open(v, dir, fd, &st, holes_read_zero);
}

/* Filesystems whose st_blocks is exact: a file with none allocated holds
 * no data. (On others, NFS, FUSE, a stat may report 0 blocks for a file
 * full of data.) */
static bool
blocks_exact(int dfd)
{
	struct statfs sf;

	if (fstatfs(dfd, &sf) < 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case EXT4_SUPER_MAGIC:      /* ext2, ext3 and ext4 */
	case XFS_SUPER_MAGIC:
	case BTRFS_SUPER_MAGIC:
	case TMPFS_MAGIC:
		return true;
	default:
		return false;
	}
}

/* Add a leftover of an interrupted create to the list being made. */
static void
leftover_note(struct sbuf *b, int dfd, const char *name)
{
	struct stat st;
	char size[32] = "?";

	if (fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		size_short((uint64_t)st.st_size, size, sizeof(size));
	sbuf_printf(b, "%s%s (%s)", b->len ? ", " : "", name, size);
}

/* Say what interrupted creates left: they are no volumes (README:
 * "Interrupted operations"). */
static void
leftover_report(struct pool *p, struct sbuf *b)
{
	char *m;

	pool_set_fact(p, "leftovers", b->len ? b->s : NULL);
	if (b->len == 0 || p->owner == NULL || p->owner->warn == NULL) {
		sbuf_free(b);
		return;
	}
	m = xasprintf("pool '%s': interrupted cistern leftovers, not volumes: "
		      "%s; no cistern is making them: remove them (rm "
		      "'%s'/%s*)", p->def->name, b->s, p->def->target_path,
		      FILEVOL_PARTIAL);
	p->owner->warn(p->owner->warn_arg, m);
	free(m);
	sbuf_free(b);
}

/* The pool's sizes and every volume in its directory. */
int
filevol_refresh(struct pool *p, const struct statvfs *sv, struct job *j,
		struct err *e)
{
	const char *dir = p->def->target_path;
	struct sbuf left;
	struct dirent *de;
	size_t n = 0;
	bool exact;
	DIR *d;

	p->def->capacity = (uint64_t)sv->f_blocks * sv->f_frsize;
	/* libvirt's figures: what is free counts the blocks reserved for
	 * root (f_bfree), and allocation is the rest */
	p->def->available = (uint64_t)sv->f_bfree * sv->f_frsize;
	p->def->allocation = p->def->capacity - p->def->available;
	/* what of it only root may take, for the screen's usage bar */
	char reserved[32];
	snprintf(reserved, sizeof(reserved), "%llu", (unsigned long long)
		 ((uint64_t)(sv->f_bfree - sv->f_bavail) * sv->f_frsize));
	pool_set_fact(p, "reserved", sv->f_bfree > sv->f_bavail ? reserved :
		      NULL);
	d = opendir(dir);
	if (d == NULL)
		return err_errno(e, errno, "cannot read directory '%s'", dir);
	sbuf_init(&left);
	exact = blocks_exact(dirfd(d));
	for (;;) {
		struct vol_def *v;

		errno = 0;
		de = readdir(d);
		if (de == NULL)
			break;
		/* hidden files are never volumes (a volume name cannot
		 * start with '.'); names with control characters cannot be
		 * shown or given back safely */
		if (filevol_is_partial(de->d_name) &&
		    !filevol_partial_busy(dirfd(d), de->d_name))
			leftover_note(&left, dirfd(d), de->d_name);
		if (de->d_name[0] == '.' || str_has_ctrl(de->d_name))
			continue;
		/* a filesystem's own directory, not a volume */
		if (strcmp(de->d_name, "lost+found") == 0)
			continue;
		if ((++n & 4095) == 0 && job_check(j, e) < 0) {
			closedir(d);
			sbuf_free(&left);
			return -1;
		}
		v = filevol_probe(dir, dirfd(d), de->d_name, de->d_type, exact);
		if (v != NULL)
			pool_add_vol(p, v);
	}
	if (errno != 0) {
		int saved = errno;
		closedir(d);
		sbuf_free(&left);
		return err_errno(e, saved, "cannot read directory '%s'", dir);
	}
	closedir(d);
	leftover_report(p, &left);
	return 0;
}

/* Describe a volume as it now is on disk. */
void
filevol_update(struct vol_def *v, const char *dir)
{
	const char *name = v->name;
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct vol_def *nv;

	if (dfd < 0)
		return;
	nv = filevol_probe(dir, dfd, name, DT_UNKNOWN, false);
	close(dfd);
	if (nv == NULL)
		return;
	/* what was asked stays when the header cannot tell (iso is raw) */
	if (strcmp(nv->target.format ? nv->target.format : "", "raw") == 0 &&
	    v->target.format != NULL && filevol_is_raw(v->target.format)) {
		free(nv->target.format);
		nv->target.format = xstrdup(v->target.format);
	}
	struct vol_def tmp = *v;
	*v = *nv;
	*nv = tmp;
	vol_def_free(nv);
}

/* Delete a volume's file (or empty directory). */
int
filevol_delete(struct pool *p, const struct vol_def *v, unsigned flags,
	       struct err *e)
{
	int dfd, rc;

	(void)flags;
	if (run_dry_run())
		return 0;
	if ((dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	/* already gone is what was asked for */
	rc = filevol_vol_unlink(v, dfd, e);
	close(dfd);
	return rc;
}

/* Allocate a range: fallocate, or zeros where it cannot. */
int
filevol_allocate(int fd, uint64_t off, uint64_t len, struct job *j,
		 struct err *e)
{
	static const unsigned char zeros[1 << 20];

	if (len == 0)
		return 0;
	if (fallocate(fd, 0, (off_t)off, (off_t)len) == 0)
		return job_check(j, e);
	if (errno != EOPNOTSUPP && errno != ENOSYS)
		return err_errno(e, errno, "cannot allocate %llu bytes",
				 (unsigned long long)len);
	/* the filesystem cannot allocate without writing: write zeros */
	job_set_total(j, len);
	for (uint64_t done = 0; done < len;) {
		size_t n = len - done > sizeof(zeros) ? sizeof(zeros) :
			   (size_t)(len - done);

		if (job_check(j, e) < 0)
			return -1;
		if (fd_write_full(fd, zeros, n, (int64_t)(off + done)) < 0)
			return err_errno(e, errno,
					 "cannot write zeros at offset %llu",
					 (unsigned long long)(off + done));
		done += n;
		job_progress(j, done);
	}
	if (fdatasync(fd) < 0)
		return err_errno(e, errno, "cannot write zeros");
	return 0;
}

/* qemu-img resize, for every format but raw. */
static int
resize_qemu(struct pool *p, const struct vol_def *v, uint64_t capacity,
	    unsigned flags, struct job *j, struct err *e)
{
	char **argv = NULL;
	size_t n = 0;
	char size[32];
	int rc, dfd = -1, fd = -1;

	if (v->target.encryption != NULL)
		return err_setc(e, ERR_UNSUPPORTED,
				"resizing an encrypted volume is not supported "
				"(qemu-img would need its passphrase)");
	/* qemu-img is given a path: it must be the pool's regular file */
	if (!run_dry_run() &&
	    ((dfd = filevol_dir_open(p, e)) < 0 ||
	     (fd = filevol_vol_open(v, dfd, O_RDONLY, e)) < 0)) {
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	snprintf(size, sizeof(size), "%llu", (unsigned long long)capacity);
	strv_push(&argv, &n, "qemu-img");
	strv_push(&argv, &n, "resize");
	if (capacity < v->capacity)
		strv_push(&argv, &n, "--shrink");
	if (flags & VOL_RESIZE_ALLOCATE)
		strv_push(&argv, &n, "--preallocation=falloc");
	strv_push(&argv, &n, v->target.path);
	strv_push(&argv, &n, size);
	rc = filevol_qemu_img(argv, j, e);
	strv_free(argv);
	if (fd >= 0)
		close(fd);
	if (dfd >= 0)
		close(dfd);
	return rc;
}

/* Change a volume's capacity. */
int
filevol_resize(struct pool *p, const struct vol_def *v, uint64_t capacity,
	       unsigned flags, struct job *j, struct err *e)
{
	struct stat st;
	int dfd, fd, rc = 0;

	if (v->type == VOL_DIR)
		return err_setc(e, ERR_UNSUPPORTED,
				"a directory volume has no size to change");
	if (!filevol_is_raw(v->target.format))
		return resize_qemu(p, v, capacity, flags, j, e);
	if (run_dry_run())
		return 0;
	if ((dfd = filevol_dir_open(p, e)) < 0)
		return -1;
	fd = filevol_vol_open(v, dfd, O_RDWR, e);
	close(dfd);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0) {
		rc = err_errno(e, errno, "cannot stat '%s'", v->target.path);
	} else if (capacity < (uint64_t)st.st_size &&
		   !(flags & VOL_RESIZE_SHRINK)) {
		rc = err_setc(e, ERR_INVALID, "shrinking needs --shrink");
	} else if (ftruncate(fd, (off_t)capacity) < 0) {
		rc = err_errno(e, errno, "cannot resize '%s'", v->target.path);
	} else if ((flags & VOL_RESIZE_ALLOCATE) &&
		   capacity > (uint64_t)st.st_size) {
		job_phase(j, "allocating");
		rc = filevol_allocate(fd, (uint64_t)st.st_size,
				      capacity - (uint64_t)st.st_size, j, e);
		if (rc < 0 && ftruncate(fd, st.st_size) < 0) {
			/* the error already says what went wrong */
		}
	}
	if (close(fd) < 0 && rc == 0)
		rc = err_errno(e, errno, "cannot resize '%s'", v->target.path);
	return rc;
}
