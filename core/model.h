/* cistern — the model: pool and volume definitions as libvirt defines them,
 * plus the run-time facts a refresh fills in (sizes, volumes, extents).
 *
 * Strings are owned (malloc'd) by the structure that holds them.
 * Formats are kept as strings, validated against the type's table
 * (model_pool_formats / model_vol_formats), with libvirt's defaults filled
 * in at parse time.
 */
#ifndef CISTERN_MODEL_H
#define CISTERN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "err.h"

enum pool_type {
	POOL_DIR,
	POOL_FS,
	POOL_NETFS,
	POOL_LOGICAL,
	POOL_DISK,
	POOL_ISCSI,
	POOL_ISCSI_DIRECT,
	POOL_RBD,
	POOL_TYPE_COUNT
};

enum pool_state {
	POOL_INACTIVE,
	POOL_BUILDING,
	POOL_RUNNING,
	POOL_DEGRADED,
	POOL_INACCESSIBLE,
	POOL_STATE_COUNT
};

enum vol_type {
	VOL_FILE,
	VOL_BLOCK,
	VOL_DIR,
	VOL_NETWORK,
	VOL_NETDIR,
	VOL_TYPE_COUNT
};

/* Tri-state for optional yes/no attributes. */
enum tristate { TRI_ABSENT = -1, TRI_NO = 0, TRI_YES = 1 };

/* -1 in any field means "not given" (libvirt's (uid_t)-1). */
struct perms {
	int64_t mode;
	int64_t uid;
	int64_t gid;
	char *label;
};

struct extent {
	uint64_t start;   /* first byte */
	uint64_t end;     /* one past the last byte */
};

struct pool_host {
	char *name;
	int port;         /* 0: not given */
};

struct pool_device {
	char *path;
	enum tristate part_separator;
	struct extent *free;    /* disk pools: free extents (run-time) */
	size_t nfree;
};

struct pool_auth {
	char *type;             /* "chap" (or "ceph") */
	char *username;
	char *secret_uuid;      /* one of uuid / usage */
	char *secret_usage;
};

struct pool_source {
	struct pool_host *hosts;
	size_t nhosts;
	struct pool_device *devices;
	size_t ndevices;
	char *dir;
	char *name;
	char *format;           /* NULL for types without a format */
	char *initiator_iqn;
	struct pool_auth *auth;
	char *protocol_ver;
	char *vendor;
	char *product;
};

struct pool_def {
	enum pool_type type;
	char *name;
	unsigned char uuid[16];
	/* sizes: run-time; a parsed definition has 0 (libvirt ignores them) */
	uint64_t capacity, allocation, available;
	enum tristate cow;      /* <features><cow state=.../> */
	struct pool_source source;
	char *target_path;      /* NULL for iscsi-direct and rbd */
	struct perms target_perms;
	bool has_fs_ns;         /* xmlns:fs declared / mount_opts present */
	char **mount_opts;      /* fs:mount_opts option names */
	size_t nmount_opts;
	char **rbd_opts;        /* rbd:config_opts, name and value in turn */
	size_t nrbd_opts;       /* (entries: twice the options) */
};

/* One extent of a volume on a device (disk partitions, LVM segments). */
struct vol_extent {
	char *device;
	uint64_t start, end;
};

struct vol_secret {
	char *type;             /* "passphrase" */
	char *uuid;
	char *usage;
};

struct vol_encryption {
	char *format;           /* default, qcow, luks, luks2, luks-any */
	char *engine;
	struct vol_secret *secrets;
	size_t nsecrets;
	char *cipher_name, *cipher_mode, *cipher_hash;
	unsigned cipher_size;   /* 0: no <cipher> */
	char *ivgen_name, *ivgen_hash;
	bool has_ivgen;
};

enum vol_feature {
	VOL_FEAT_LAZY_REFCOUNTS = 1u << 0,
	VOL_FEAT_EXTENDED_L2 = 1u << 1,
};

struct vol_timestamps {
	struct timespec atime, mtime, ctime, btime;   /* tv_sec < 0: absent */
};

struct vol_target {
	char *path;
	char *format;           /* NULL where the pool type has no format */
	struct perms perms;
	bool has_perms;
	struct vol_timestamps *timestamps;
	struct vol_encryption *encryption;
	char *compat;
	uint64_t cluster_size;
	bool nocow;
	bool has_features;
	unsigned features;      /* enum vol_feature bits */
};

struct vol_def {
	enum vol_type type;
	char *name;
	char *key;
	struct vol_extent *extents;
	size_t nextents;
	uint64_t capacity;
	uint64_t allocation;
	uint64_t physical;      /* run-time, 0: not shown */
	bool has_capacity;
	struct vol_target target;
	struct vol_target *backing;   /* <backingStore> or NULL */
	/* vol-create only: where the caller wants the volume (disk pools: the
	 * start of a free extent). Read from <source><device path><extent
	 * start/> of a volume XML, or set by the caller; never written back
	 * (libvirt's volume XML has no such request). */
	bool has_want_start;
	uint64_t want_start;
	char *want_device;      /* the device that extent is on, or NULL */
	/* run-time facts a backend may fill in */
	int part_num;           /* disk pools: partition number, 0 otherwise */
	char *note;             /* a short remark the UI may show */
	bool damaged;           /* its header cannot be right (note: why) */
};

/* What a map of a pool's devices looks like (disk and logical pools):
 * one ordered list per device of used and free segments. The UI draws it;
 * the backend fills it on refresh. */
enum seg_kind {
	SEG_FREE,
	SEG_PRIMARY,      /* a partition, or an LV segment */
	SEG_EXTENDED,     /* dos extended partition (holds logicals) */
	SEG_LOGICAL,      /* dos logical partition inside the extended one */
	SEG_METADATA,     /* label/metadata areas, unusable */
};

struct map_seg {
	enum seg_kind kind;
	uint64_t start, end;    /* bytes, end exclusive */
	char *vol;              /* volume name, NULL for free/metadata */
	int depth;              /* 1 for segments inside an extended partition */
	bool too_small;         /* free, but no aligned partition fits */
};

struct dev_map {
	char *device;
	uint64_t size;          /* bytes */
	char *label;            /* partition table type or "lvm2 PV" */
	struct map_seg *segs;
	size_t nsegs;
};

/* Names. */
const char *pool_type_name(enum pool_type t);
int pool_type_from_name(const char *s);          /* -1 if unknown */
const char *pool_state_name(enum pool_state s);
int pool_state_from_name(const char *s);
const char *vol_type_name(enum vol_type t);
int vol_type_from_name(const char *s);

/* What each pool type is: one table (libvirt's poolTypeInfo[]). What a
 * backend does (build, start, why it refuses) is in its ops table. */
enum {                          /* the <source> parts a type uses */
	POOL_SRC_HOST = 1 << 0,
	POOL_SRC_DEVICE = 1 << 1,
	POOL_SRC_DIR = 1 << 2,
	POOL_SRC_NAME = 1 << 3,
	POOL_SRC_INITIATOR = 1 << 4,
	POOL_SRC_NETWORK = 1 << 5,  /* no local target */
};
enum {                          /* what a type's storage is */
	POOL_TI_FILES = 1 << 0,         /* volumes: files in the target dir */
	POOL_TI_LOCAL_DEVICES = 1 << 1, /* source devices: this host's disks */
	POOL_TI_LUNS = 1 << 2,          /* volumes: an iSCSI target's LUNs */
	POOL_TI_NEEDS_DEVICE = 1 << 3,  /* a <device> is required */
	POOL_TI_DEVICE_IQN = 1 << 4,    /* the <device path> is a target IQN */
	POOL_TI_NEEDS_INITIATOR = 1 << 5,
	POOL_TI_ONE_DEVICE = 1 << 6,    /* at most one <device> */
	POOL_TI_NEEDS_NAME = 1 << 7,    /* <source><name> is required */
	POOL_TI_PARTITIONS = 1 << 8,    /* volumes: partitions of a disk, each
					   made in a free extent and named
					   as its node */
	POOL_TI_VOLUME_GROUP = 1 << 9,  /* volumes: LVs of a volume group;
					   a backing store is a snapshot's
					   origin in the same group */
	POOL_TI_SHARED_SPACE = 1 << 10, /* volumes take the pool's space as
					   they are written (files, images) */
	POOL_TI_ALLOC_CHOICE = 1 << 11, /* a new volume's allocation may be
					   less than its capacity */
	POOL_TI_FIND_AUTH = 1 << 12,    /* finding its sources takes the
					   <auth> user and secret */
	POOL_TI_MOUNTS = 1 << 13,       /* start mounts the source device */
};
/* How the source of a new pool is chosen (the wizard's source page). */
enum pool_pick {
	POOL_PICK_NONE,                 /* nothing to choose */
	POOL_PICK_DEVICE,               /* a block device of this host */
	POOL_PICK_VG,                   /* a volume group, or devices to
					   make one of */
	POOL_PICK_EXPORT,               /* an export of a file server */
	POOL_PICK_TARGET,               /* a target of an iSCSI portal */
	POOL_PICK_CEPH_POOL,            /* a pool of a Ceph cluster */
};
struct pool_type_info {
	const char *name;
	unsigned source;                /* POOL_SRC_* */
	unsigned kind;                  /* POOL_TI_* */
	/* source formats (NULL-terminated; NULL: the type has none) */
	const char *const *formats;
	const char *default_format;
	const char *const *vol_formats; /* likewise for its volumes */
	const char *vol_default_format;
	enum vol_type vol_type;         /* what its volumes are by default */
	const char *auth_type;          /* <auth type>: chap, ceph; NULL */
	const char *secret_words;       /* what that secret is, in words */
	/* for the faces */
	const char *about;              /* one line: what a pool of it is */
	enum pool_pick pick;            /* how its source is chosen */
	unsigned pick_devices;          /* DISCOVER_* (core/discover.h): the
					   block devices it takes */
	const char *pick_what;          /* what discovery looks for, words */
	int default_port;               /* the source host's port when none is
					   given; 0: none */
	const char *format_label;       /* what its source format is called */
	const char *format_note;        /* a line about the choice, or NULL */
	const char *build_format;       /* the format Build makes unless told */
	const char *no_build_format;    /* a format Build cannot make, or NULL */
	/* a new pool's target path: NULL, a directory named as the pool;
	 * "" none; else the path, where %s stands for <source><name> */
	const char *target_default;
	const char *usage_label;        /* what its space is called ("Ceph
					   pool"), NULL: the pool's */
};
/* The type's entry (a valid type; an invalid one gets an empty entry). */
const struct pool_type_info *pool_type_info(enum pool_type t);

/* What a volume takes on its storage (virsh vol-info --physical): a
 * file's size, a block device's size. */
uint64_t vol_physical(const struct vol_def *v);

/* Shorthands of the table. */
const char *const *model_pool_formats(enum pool_type t);
const char *model_pool_default_format(enum pool_type t);
const char *const *model_vol_formats(enum pool_type t);
const char *model_vol_default_format(enum pool_type t);
enum vol_type model_vol_default_type(enum pool_type t);
bool model_format_allowed(const char *const *table, const char *fmt);

/* Validate a pool or volume name: non-empty, at most 255 bytes (250 for
 * a pool, whose files are NAME.xml and NAME.json), no '/',
 * no control characters (newline included), not "." / ".." and not
 * starting with '.' (the config dir keeps its temporary files there). */
int model_check_name(const char *what, const char *name, struct err *e);

/* UUIDs. */
int model_uuid_parse(const char *s, unsigned char out[16]);
void uuid_format(const unsigned char uuid[16], char out[37]);
int model_uuid_generate(unsigned char out[16]);
bool model_uuid_is_null(const unsigned char uuid[16]);

void perms_init(struct perms *p);
void perms_free(struct perms *p);

/* Free and deep-copy. */
void pool_def_free(struct pool_def *d);
struct pool_def *pool_def_dup(const struct pool_def *d);
void pool_source_clear(struct pool_source *s);
void vol_def_free(struct vol_def *v);
struct vol_def *vol_def_dup(const struct vol_def *v);
void vol_target_clear(struct vol_target *t);
void dev_map_clear(struct dev_map *m);

/* A new empty definition with every optional field "absent". */
struct pool_def *pool_def_new(enum pool_type t);
struct vol_def *vol_def_new(void);

#endif
