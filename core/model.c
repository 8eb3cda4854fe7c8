/* cistern — the model: names, format tables, copies and frees. */
#include "model.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "discover.h"
#include "util.h"

static const char *const pool_state_names[POOL_STATE_COUNT] = {
	[POOL_INACTIVE] = "inactive",
	[POOL_BUILDING] = "building",
	[POOL_RUNNING] = "running",
	[POOL_DEGRADED] = "degraded",
	[POOL_INACCESSIBLE] = "inaccessible",
};

static const char *const vol_type_names[VOL_TYPE_COUNT] = {
	[VOL_FILE] = "file",
	[VOL_BLOCK] = "block",
	[VOL_DIR] = "dir",
	[VOL_NETWORK] = "network",
	[VOL_NETDIR] = "netdir",
};

/* Pool source formats, as libvirt's enums (and the RelaxNG schema). */
static const char *const fs_formats[] = {
	"auto", "ext2", "ext3", "ext4", "ufs", "iso9660", "udf", "gfs",
	"gfs2", "vfat", "hfs+", "xfs", "ocfs2", "vmfs", NULL,
};
static const char *const netfs_formats[] = {
	"auto", "nfs", "glusterfs", "cifs", NULL,
};
static const char *const logical_formats[] = { "unknown", "lvm2", NULL };
static const char *const disk_formats[] = {
	"unknown", "dos", "dvh", "gpt", "mac", "bsd", "pc98", "sun", "lvm2",
	NULL,
};

/* Volume formats. File pools take every image format libvirt knows. */
static const char *const file_vol_formats[] = {
	"raw", "dir", "bochs", "cloop", "dmg", "iso", "vpc", "vdi", "fat",
	"vhd", "ploop", "cow", "qcow", "qcow2", "qed", "vmdk", "luks", NULL,
};
/* RBD images are raw (libvirt's rbd volOptions). */
static const char *const rbd_vol_formats[] = { "raw", NULL };
static const char *const disk_vol_formats[] = {
	"none", "linux", "fat16", "fat32", "linux-swap", "linux-lvm",
	"linux-raid", "extended", NULL,
};

#define FILE_POOL(nm, src, knd, fmts, dflt)                             \
	.name = nm, .source = src,                                            \
	.kind = POOL_TI_FILES | POOL_TI_SHARED_SPACE | POOL_TI_ALLOC_CHOICE | \
		knd,                                                          \
	.formats = fmts, .default_format = dflt,                              \
	.vol_formats = file_vol_formats, .vol_default_format = "raw",         \
	.vol_type = VOL_FILE, .format_label = "Filesystem"

#define LEAF_DEVICES (DISCOVER_DISKS | DISCOVER_PARTS | DISCOVER_LEAVES)

static const struct pool_type_info pool_types[POOL_TYPE_COUNT] = {
	[POOL_DIR] = {
		FILE_POOL("dir", 0, 0, NULL, NULL),
		.about = "A directory of image files (raw, qcow2, ...) on a "
			 "filesystem that is already there.",
	},
	[POOL_FS] = {
		FILE_POOL("fs", POOL_SRC_DEVICE,
			  POOL_TI_LOCAL_DEVICES | POOL_TI_NEEDS_DEVICE |
			  POOL_TI_ONE_DEVICE | POOL_TI_MOUNTS,
			  fs_formats, "auto"),
		.about = "A block device's filesystem, mounted on the target "
			 "directory; its volumes are image files.",
		.pick = POOL_PICK_DEVICE, .pick_devices = LEAF_DEVICES,
		.pick_what = "block devices",
		.format_note = "auto lets mount find the filesystem; Build "
			       "needs a real one (mkfs -t FORMAT).",
		.build_format = "ext4",
	},
	[POOL_NETFS] = {
		FILE_POOL("netfs", POOL_SRC_HOST | POOL_SRC_DIR, 0,
			  netfs_formats, "auto"),
		.about = "A share of an NFS or GlusterFS server (or CIFS), "
			 "mounted on the target directory; volumes are image "
			 "files.",
		.pick = POOL_PICK_EXPORT, .pick_what = "exports",
		.build_format = "auto",
	},
	[POOL_LOGICAL] = {
		.name = "logical", .source = POOL_SRC_NAME | POOL_SRC_DEVICE,
		.kind = POOL_TI_LOCAL_DEVICES | POOL_TI_VOLUME_GROUP |
			POOL_TI_ALLOC_CHOICE,
		.formats = logical_formats,
		.default_format = "lvm2", .vol_type = VOL_BLOCK,
		.about = "An LVM volume group, found or built from devices; "
			 "its volumes are logical volumes.",
		.pick = POOL_PICK_VG, .pick_devices = LEAF_DEVICES,
		.pick_what = "volume groups (pvs) and devices",
		.format_label = "Format", .build_format = "lvm2",
		.target_default = "/dev/%s",
	},
	[POOL_DISK] = {
		.name = "disk", .source = POOL_SRC_DEVICE,
		.kind = POOL_TI_LOCAL_DEVICES | POOL_TI_NEEDS_DEVICE |
			POOL_TI_PARTITIONS,
		.formats = disk_formats, .default_format = "unknown",
		.vol_formats = disk_vol_formats, .vol_default_format = "none",
		.vol_type = VOL_BLOCK,
		.about = "A whole disk and its partition table (libparted); "
			 "its volumes are partitions.",
		.pick = POOL_PICK_DEVICE, .pick_devices = DISCOVER_DISKS,
		.pick_what = "disks",
		.format_label = "Label", .build_format = "gpt",
		.no_build_format = "lvm2", .target_default = "/dev",
	},
	[POOL_ISCSI] = {
		.name = "iscsi",
		.source = POOL_SRC_HOST | POOL_SRC_DEVICE | POOL_SRC_INITIATOR,
		.kind = POOL_TI_LUNS | POOL_TI_NEEDS_DEVICE,
		.auth_type = "chap", .secret_words = "CHAP password",
		.vol_type = VOL_BLOCK,
		.about = "The LUNs of an iSCSI target, through the kernel's "
			 "initiator (iscsiadm); they are made on the server.",
		.pick = POOL_PICK_TARGET, .pick_what = "targets",
		.default_port = 3260, .target_default = "/dev/disk/by-path",
	},
	[POOL_ISCSI_DIRECT] = {
		.name = "iscsi-direct",
		.source = POOL_SRC_HOST | POOL_SRC_DEVICE | POOL_SRC_INITIATOR |
			  POOL_SRC_NETWORK,
		.kind = POOL_TI_LUNS | POOL_TI_NEEDS_DEVICE |
			POOL_TI_DEVICE_IQN | POOL_TI_NEEDS_INITIATOR,
		.auth_type = "chap", .secret_words = "CHAP password",
		.vol_type = VOL_NETWORK,
		.about = "The LUNs of an iSCSI target, through libiscsi inside "
			 "cistern (no kernel initiator); made on the server.",
		.pick = POOL_PICK_TARGET, .pick_what = "targets",
		.default_port = 3260, .target_default = "",
	},
	[POOL_RBD] = {
		.name = "rbd",
		.source = POOL_SRC_HOST | POOL_SRC_NAME | POOL_SRC_NETWORK,
		.kind = POOL_TI_NEEDS_NAME | POOL_TI_SHARED_SPACE |
			POOL_TI_FIND_AUTH,
		.auth_type = "ceph", .secret_words = "cephx key",
		.vol_formats = rbd_vol_formats, .vol_default_format = "raw",
		.vol_type = VOL_NETWORK,
		.about = "The RBD images of a Ceph pool, through librbd inside "
			 "cistern; its volumes are images.",
		.pick = POOL_PICK_CEPH_POOL, .pick_what = "Ceph pools",
		.target_default = "", .usage_label = "Ceph pool",
	},
};

const struct pool_type_info *
pool_type_info(enum pool_type t)
{
	static const struct pool_type_info none = {
		.name = "unknown", .vol_type = VOL_BLOCK,
	};

	return (unsigned)t < POOL_TYPE_COUNT ? &pool_types[t] : &none;
}

const char *
pool_type_name(enum pool_type t)
{
	return pool_type_info(t)->name;
}

static int
name_index(const char *const *names, size_t n, const char *s)
{
	for (size_t i = 0; s != NULL && i < n; i++)
		if (names[i] != NULL && strcmp(names[i], s) == 0)
			return (int)i;
	return -1;
}

int
pool_type_from_name(const char *s)
{
	for (int t = 0; s != NULL && t < POOL_TYPE_COUNT; t++)
		if (strcmp(pool_types[t].name, s) == 0)
			return t;
	return -1;
}

const char *
pool_state_name(enum pool_state s)
{
	return (unsigned)s < POOL_STATE_COUNT ? pool_state_names[s] : "unknown";
}

int
pool_state_from_name(const char *s)
{
	return name_index(pool_state_names, POOL_STATE_COUNT, s);
}

const char *
vol_type_name(enum vol_type t)
{
	return (unsigned)t < VOL_TYPE_COUNT ? vol_type_names[t] : "unknown";
}

int
vol_type_from_name(const char *s)
{
	return name_index(vol_type_names, VOL_TYPE_COUNT, s);
}

const char *const *
model_pool_formats(enum pool_type t)
{
	return pool_type_info(t)->formats;
}

const char *
model_pool_default_format(enum pool_type t)
{
	return pool_type_info(t)->default_format;
}

const char *const *
model_vol_formats(enum pool_type t)
{
	return pool_type_info(t)->vol_formats;
}

const char *
model_vol_default_format(enum pool_type t)
{
	return pool_type_info(t)->vol_default_format;
}

enum vol_type
model_vol_default_type(enum pool_type t)
{
	return pool_type_info(t)->vol_type;
}

uint64_t
vol_physical(const struct vol_def *v)
{
	if (v->physical > 0)
		return v->physical;
	return v->type == VOL_BLOCK ? v->capacity : v->allocation;
}

bool
model_format_allowed(const char *const *table, const char *fmt)
{
	for (size_t i = 0; table != NULL && table[i] != NULL; i++)
		if (strcmp(table[i], fmt) == 0)
			return true;
	return false;
}

int
model_check_name(const char *what, const char *name, struct err *e)
{
	if (name == NULL || *name == '\0')
		return err_setc(e, ERR_INVALID, "%s name is empty", what);
	/* a pool's files (NAME.xml, NAME.json, NAME.lock) must fit in a
	 * 255-byte file name */
	size_t max = strcmp(what, "pool") == 0 ? 250 : 255;
	if (strlen(name) > max)
		return err_setc(e, ERR_INVALID,
				"%s name is longer than %zu bytes%s", what, max,
				max == 250 ? " (its files NAME.xml and NAME.json must fit "
				"in a 255-byte file name)" : "");
	if (strchr(name, '/') != NULL)
		return err_setc(e, ERR_INVALID,
				"%s name '%s' cannot contain '/'", what, name);
	if (str_has_ctrl(name))
		return err_setc(e, ERR_INVALID,
				"%s name cannot contain a newline or other "
				"control character", what);
	long cp = str_invisible(name);
	if (cp < 0)
		return err_setc(e, ERR_INVALID,
				"%s name is not UTF-8 (byte %zu)", what,
				utf8_invalid_at(name, strlen(name)) + 1);
	if (cp > 0)
		return err_setc(e, ERR_INVALID,
				"%s name cannot contain the invisible or "
				"direction-changing character U+%04lX", what, cp);
	if (name[0] == '.')
		return err_setc(e, ERR_INVALID,
				"%s name '%s' cannot start with '.'", what,
				name);
	return 0;
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* As libvirt's virUUIDParse: 32 hex digits, dashes allowed between pairs,
 * surrounding blanks ignored. */
int
model_uuid_parse(const char *s, unsigned char out[16])
{
	size_t i = 0;

	while (*s == ' ')
		s++;
	while (i < 16) {
		if (*s == '-') {
			s++;
			continue;
		}
		int hi = hexval(s[0]);
		int lo = hi < 0 ? -1 : hexval(s[1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i++] = (unsigned char)(hi << 4 | lo);
		s += 2;
	}
	while (*s == ' ')
		s++;
	return *s == '\0' ? 0 : -1;
}

void
uuid_format(const unsigned char u[16], char out[37])
{
	snprintf(out, 37,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		 "%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
		 u[10], u[11], u[12], u[13], u[14], u[15]);
}

int
model_uuid_generate(unsigned char out[16])
{
	size_t got = 0;

	while (got < 16) {
		ssize_t n = getrandom(out + got, 16 - got, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		got += (size_t)n;
	}
	out[6] = (out[6] & 0x0f) | 0x40;   /* version 4 */
	out[8] = (out[8] & 0x3f) | 0x80;   /* RFC 4122 variant */
	return 0;
}

bool
model_uuid_is_null(const unsigned char uuid[16])
{
	for (int i = 0; i < 16; i++)
		if (uuid[i] != 0)
			return false;
	return true;
}

void
perms_init(struct perms *p)
{
	p->mode = -1;
	p->uid = -1;
	p->gid = -1;
	p->label = NULL;
}

void
perms_free(struct perms *p)
{
	free(p->label);
	perms_init(p);
}

static void
perms_copy(struct perms *dst, const struct perms *src)
{
	*dst = *src;
	dst->label = src->label ? xstrdup(src->label) : NULL;
}

static char *
sdup(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

struct pool_def *
pool_def_new(enum pool_type t)
{
	struct pool_def *d = xcalloc(1, sizeof(*d));

	d->type = t;
	d->cow = TRI_ABSENT;
	perms_init(&d->target_perms);
	return d;
}

void
pool_source_clear(struct pool_source *s)
{
	for (size_t i = 0; i < s->nhosts; i++)
		free(s->hosts[i].name);
	free(s->hosts);
	for (size_t i = 0; i < s->ndevices; i++) {
		free(s->devices[i].path);
		free(s->devices[i].free);
	}
	free(s->devices);
	free(s->dir);
	free(s->name);
	free(s->format);
	free(s->initiator_iqn);
	if (s->auth != NULL) {
		free(s->auth->type);
		free(s->auth->username);
		free(s->auth->secret_uuid);
		free(s->auth->secret_usage);
		free(s->auth);
	}
	free(s->protocol_ver);
	free(s->vendor);
	free(s->product);
	memset(s, 0, sizeof(*s));
}

void
pool_def_free(struct pool_def *d)
{
	if (d == NULL)
		return;
	free(d->name);
	pool_source_clear(&d->source);
	free(d->target_path);
	perms_free(&d->target_perms);
	for (size_t i = 0; i < d->nmount_opts; i++)
		free(d->mount_opts[i]);
	free(d->mount_opts);
	for (size_t i = 0; i < d->nrbd_opts; i++)
		free(d->rbd_opts[i]);
	free(d->rbd_opts);
	free(d);
}

struct pool_def *
pool_def_dup(const struct pool_def *d)
{
	struct pool_def *n = xcalloc(1, sizeof(*n));
	const struct pool_source *s = &d->source;
	struct pool_source *t = &n->source;

	*n = *d;
	n->name = sdup(d->name);
	memset(t, 0, sizeof(*t));
	if (s->nhosts) {
		t->hosts = xcalloc(s->nhosts, sizeof(*t->hosts));
		for (size_t i = 0; i < s->nhosts; i++) {
			t->hosts[i].name = sdup(s->hosts[i].name);
			t->hosts[i].port = s->hosts[i].port;
		}
		t->nhosts = s->nhosts;
	}
	if (s->ndevices) {
		t->devices = xcalloc(s->ndevices, sizeof(*t->devices));
		for (size_t i = 0; i < s->ndevices; i++) {
			const struct pool_device *sd = &s->devices[i];
			struct pool_device *td = &t->devices[i];
			td->path = sdup(sd->path);
			td->part_separator = sd->part_separator;
			if (sd->nfree) {
				td->free = xcalloc(sd->nfree, sizeof(*td->free));
				memcpy(td->free, sd->free,
				       sd->nfree * sizeof(*td->free));
				td->nfree = sd->nfree;
			}
		}
		t->ndevices = s->ndevices;
	}
	t->dir = sdup(s->dir);
	t->name = sdup(s->name);
	t->format = sdup(s->format);
	t->initiator_iqn = sdup(s->initiator_iqn);
	if (s->auth != NULL) {
		t->auth = xcalloc(1, sizeof(*t->auth));
		t->auth->type = sdup(s->auth->type);
		t->auth->username = sdup(s->auth->username);
		t->auth->secret_uuid = sdup(s->auth->secret_uuid);
		t->auth->secret_usage = sdup(s->auth->secret_usage);
	}
	t->protocol_ver = sdup(s->protocol_ver);
	t->vendor = sdup(s->vendor);
	t->product = sdup(s->product);
	n->target_path = sdup(d->target_path);
	perms_copy(&n->target_perms, &d->target_perms);
	n->mount_opts = NULL;
	n->nmount_opts = 0;
	for (size_t i = 0; i < d->nmount_opts; i++)
		strv_push(&n->mount_opts, &n->nmount_opts, d->mount_opts[i]);
	n->rbd_opts = NULL;
	n->nrbd_opts = 0;
	for (size_t i = 0; i < d->nrbd_opts; i++)
		strv_push(&n->rbd_opts, &n->nrbd_opts, d->rbd_opts[i]);
	return n;
}

struct vol_def *
vol_def_new(void)
{
	struct vol_def *v = xcalloc(1, sizeof(*v));

	perms_init(&v->target.perms);
	return v;
}

static void
encryption_free(struct vol_encryption *enc)
{
	if (enc == NULL)
		return;
	free(enc->format);
	free(enc->engine);
	for (size_t i = 0; i < enc->nsecrets; i++) {
		free(enc->secrets[i].type);
		free(enc->secrets[i].uuid);
		free(enc->secrets[i].usage);
	}
	free(enc->secrets);
	free(enc->cipher_name);
	free(enc->cipher_mode);
	free(enc->cipher_hash);
	free(enc->ivgen_name);
	free(enc->ivgen_hash);
	free(enc);
}

static struct vol_encryption *
encryption_dup(const struct vol_encryption *s)
{
	struct vol_encryption *d;

	if (s == NULL)
		return NULL;
	d = xcalloc(1, sizeof(*d));
	*d = *s;
	d->format = sdup(s->format);
	d->engine = sdup(s->engine);
	d->secrets = NULL;
	if (s->nsecrets) {
		d->secrets = xcalloc(s->nsecrets, sizeof(*d->secrets));
		for (size_t i = 0; i < s->nsecrets; i++) {
			d->secrets[i].type = sdup(s->secrets[i].type);
			d->secrets[i].uuid = sdup(s->secrets[i].uuid);
			d->secrets[i].usage = sdup(s->secrets[i].usage);
		}
	}
	d->cipher_name = sdup(s->cipher_name);
	d->cipher_mode = sdup(s->cipher_mode);
	d->cipher_hash = sdup(s->cipher_hash);
	d->ivgen_name = sdup(s->ivgen_name);
	d->ivgen_hash = sdup(s->ivgen_hash);
	return d;
}

void
vol_target_clear(struct vol_target *t)
{
	free(t->path);
	free(t->format);
	perms_free(&t->perms);
	free(t->timestamps);
	encryption_free(t->encryption);
	free(t->compat);
	memset(t, 0, sizeof(*t));
	perms_init(&t->perms);
}

static void
vol_target_copy(struct vol_target *d, const struct vol_target *s)
{
	*d = *s;
	d->path = sdup(s->path);
	d->format = sdup(s->format);
	perms_copy(&d->perms, &s->perms);
	if (s->timestamps != NULL) {
		d->timestamps = xmalloc(sizeof(*d->timestamps));
		*d->timestamps = *s->timestamps;
	}
	d->encryption = encryption_dup(s->encryption);
	d->compat = sdup(s->compat);
}

void
vol_def_free(struct vol_def *v)
{
	if (v == NULL)
		return;
	free(v->name);
	free(v->key);
	for (size_t i = 0; i < v->nextents; i++)
		free(v->extents[i].device);
	free(v->extents);
	vol_target_clear(&v->target);
	if (v->backing != NULL) {
		vol_target_clear(v->backing);
		free(v->backing);
	}
	free(v->note);
	free(v->want_device);
	free(v);
}

struct vol_def *
vol_def_dup(const struct vol_def *v)
{
	struct vol_def *n = xcalloc(1, sizeof(*n));

	*n = *v;
	n->name = sdup(v->name);
	n->key = sdup(v->key);
	n->extents = NULL;
	if (v->nextents) {
		n->extents = xcalloc(v->nextents, sizeof(*n->extents));
		for (size_t i = 0; i < v->nextents; i++) {
			n->extents[i] = v->extents[i];
			n->extents[i].device = sdup(v->extents[i].device);
		}
	}
	vol_target_copy(&n->target, &v->target);
	if (v->backing != NULL) {
		n->backing = xcalloc(1, sizeof(*n->backing));
		vol_target_copy(n->backing, v->backing);
	}
	n->note = sdup(v->note);
	n->want_device = sdup(v->want_device);
	return n;
}

void
dev_map_clear(struct dev_map *m)
{
	free(m->device);
	free(m->label);
	for (size_t i = 0; i < m->nsegs; i++)
		free(m->segs[i].vol);
	free(m->segs);
	memset(m, 0, sizeof(*m));
}
