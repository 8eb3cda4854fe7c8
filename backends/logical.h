/* cistern — logical (LVM) pools: what the files of the backend share.
 * logical.c holds the pool life cycle and the backend table,
 * logical_report.c reads and checks the `lvs`/`vgs`/`pvs` reports,
 * logical_map.c turns a report into volumes and device maps,
 * logical_vol.c holds the volume operations. */
#ifndef CISTERN_BACKEND_LOGICAL_H
#define CISTERN_BACKEND_LOGICAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/run.h"

/* Every LVM command gets this long; metadata commands take ~50 ms. */
#define LVM_TIMEOUT_MS (60 * 1000)

/* Extra environment of every LVM command (NULL-terminated). */
extern const char *const lvm_env[];

/* Run an LVM tool with the timeout; a failure's message carries every
 * line the tool wrote to stderr, in order. `r` may be NULL. */
int lvm_run(const char *const argv[], struct run_result *r, struct err *e);

/* Give an LVM tool's error its whole stderr (argv and status kept). */
void lvm_error_text(struct err *e);

/* Is `s` a name LVM accepts for a VG or an LV (and so safe as an
 * argument: never an option)? */
bool lvm_name_ok(const char *s);

/* The pool's VG name, checked; NULL with an error if unusable. */
const char *lvm_vg_name(const struct pool *p, struct err *e);

/* "VG/LV", malloc'd. */
char *lvm_lv_spec(const char *vg, const char *lv);

/* One "NAME(N)" entry of the `devices` field: a PV path or a sub-LV. */
struct lvm_ref {
	char *name;
	uint64_t pe;            /* first physical (or sub-LV) extent */
};

/* One segment of an LV, as one row of `lvs`. */
struct lvm_seg {
	char *segtype;
	unsigned stripes;
	uint64_t start, size;   /* bytes within the LV */
	struct lvm_ref *refs;
	size_t nrefs;
};

struct lvm_lv {
	char *name;             /* without the brackets of a hidden LV */
	bool hidden;
	char *uuid;
	char *path;             /* "" for hidden LVs */
	char *origin;           /* "" when none; may be "[x_vorigin]" */
	char *attr;
	char *parent;           /* lv_parent, "" when none */
	bool partial;           /* tagged LVM_PARTIAL_TAG: still being made,
				   or left by a cistern killed meanwhile */
	uint64_t size;
	uint64_t origin_size;   /* snapshots: the origin's (virtual) size */
	struct lvm_seg *segs;
	size_t nsegs;
};

/* A run of physical extents of one PV used by one LV. */
struct lvm_piece {
	size_t pv;
	uint64_t pe, npe;
	const char *owner;      /* the visible LV it belongs to, or "[name]" */
};

struct lvm_pv {
	char *name;
	char *uuid;
	bool missing;
	uint64_t dev_size, pe_start, pe_count, pe_alloc;
};

/* What one `lvs` and one `vgs` say about a VG. */
struct lvm_report {
	char *vg_name, *vg_uuid;
	uint64_t vg_size, vg_free, extent_size;
	struct lvm_pv *pvs;
	size_t npvs;
	struct lvm_lv *lvs;     /* sorted by name after lvm_report_lvs */
	size_t nlvs;
	struct lvm_piece *pieces;   /* who uses which PV extents, sorted */
	size_t npieces;
};

/* An LV whose data cistern is still writing (a clone) carries this tag
 * until it is complete: one that keeps it is an interrupted cistern's
 * leftover, never listed as a volume. */
#define LVM_PARTIAL_TAG "cistern_partial"

/* The fields asked of `lvs` and `vgs` (the bench compares with them). */
extern const char lvm_lvs_fields[];
extern const char lvm_vgs_fields[];

/* Parse `vgs --reportformat json -o lvm_vgs_fields VG` output. */
int lvm_report_vgs(struct lvm_report *r, const char *json, const char *vg,
		   struct err *e);
/* Parse `lvs -a --reportformat json -o lvm_lvs_fields VG` output (after
 * lvm_report_vgs: devices and extents are checked against its PVs). */
int lvm_report_lvs(struct lvm_report *r, const char *json, const char *vg,
		   struct err *e);
void lvm_report_free(struct lvm_report *r);
struct lvm_lv *lvm_report_find(const struct lvm_report *r, const char *name);
/* A PV of the report by name (missing PVs never match). */
struct lvm_pv *lvm_find_pv(const struct lvm_report *r, const char *name,
			   size_t *index);
/* Bytes of each device of a segment: stripes share the segment. */
uint64_t lvm_ref_bytes(const struct lvm_seg *s);

/* Run both reports at once for the pool's VG (one lvs, one vgs) and
 * parse them. Returns 0, or 1 in dry-run mode (nothing ran: the report
 * is empty), or -1. */
int lvm_report_load(const struct pool *p, struct lvm_report *r,
		    struct err *e);

/* A volume definition for a visible LV (NULL for thin pools and other
 * LVs that are not volumes). */
struct vol_def *lvm_report_vol(const struct lvm_report *r,
			       const struct lvm_lv *lv, const char *target);

/* Fill the pool from a report: sizes, volumes, one device map per PV. */
void lvm_report_fill(struct pool *p, const struct lvm_report *r);

/* One row of `pvs -o pv_name,vg_name` (vg "" for a PV in no VG). */
struct lvm_pvrow {
	char *pv;
	char *vg;
};

/* Every PV LVM sees (none in dry-run mode). */
int lvm_pvs(struct lvm_pvrow **rows, size_t *n, struct err *e);
void lvm_pvs_free(struct lvm_pvrow *rows, size_t n);

/* The refresh operation. */
int logical_refresh(struct pool *p, struct job *j, struct err *e);

/* Volume operations (logical_vol.c), as core/backend.h describes. */
int logical_vol_create(struct pool *p, struct vol_def *v, unsigned flags,
		       struct job *j, struct err *e);
int logical_vol_create_from(struct pool *p, struct vol_def *v,
			    struct pool *src_pool, const struct vol_def *src,
			    unsigned flags, struct job *j, struct err *e);
int logical_vol_delete(struct pool *p, const struct vol_def *v,
		       unsigned flags, struct err *e);
int logical_vol_wipe(struct pool *p, const struct vol_def *v,
		     enum wipe_alg alg, struct job *j, struct err *e);
int logical_vol_resize(struct pool *p, const struct vol_def *v,
		       uint64_t capacity, unsigned flags, struct job *j,
		       struct err *e);
int logical_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		       uint64_t offset, uint64_t length, unsigned flags,
		       struct job *j, struct err *e);
int logical_vol_download(struct pool *p, const struct vol_def *v, int fd,
			 uint64_t offset, uint64_t length, unsigned flags,
			 struct job *j, struct err *e);

#endif
