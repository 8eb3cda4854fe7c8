/* cistern — the define-pool wizard (F2): what its pages share.
 *
 * Pages: name and type; source (per type, with discovery); the iSCSI
 * target and its LUNs; target path, permissions and format; review (the
 * XML, what will happen, Build / Start / Autostart). The result is a
 * struct pool_args (core/build.h), the same as `cistern pool-define-as`
 * takes (its scriptable twin, shown on the review).
 */
#ifndef CISTERN_UI_WIZ_POOL_H
#define CISTERN_UI_WIZ_POOL_H

#include "../core/build.h"
#include "../core/discover.h"
#include "ui_wiz.h"

/* A block device as discovery reported it. */
struct pw_dev {
	char *path;
	uint64_t size;
	bool whole, blank;
	int nparts;
	char *holds;        /* "an xfs filesystem labelled 'data'" */
	char *type;         /* blkid TYPE or PTTYPE, "" if blank */
	char *usage;        /* "filesystem", "partition table", ... */
	char *label;
	char *busy;         /* why it is in use, "" if free */
};

/* A LUN of an iSCSI target (the preview). */
struct pw_lun {
	char *name;
	uint64_t size;
	char *note;
};

struct pw {
	struct pw_dev *devs;
	size_t ndevs;
	bool devs_done;
	struct found_source *srcs;   /* exports, VGs or targets */
	size_t nsrcs;
	char *srcs_for;              /* what they were found for (host) */
	char *srcs_error;
	struct pw_lun *luns;
	size_t nluns;
	char *luns_for;              /* the target they belong to */
	char *luns_error;
	char *review_sig;            /* the setup the review defaults are for */
	bool rbd_user_set;           /* the Ceph user was given its default */
};

/* The pool type chosen on the first page. */
enum pool_type pw_type(const struct wiz *w);
/* A device found by discovery, or NULL. */
const struct pw_dev *pw_dev_find(const struct pw *pw, const char *path);
/* Size in a narrow column ("300M"). */
char *pw_size(uint64_t bytes);

/* ui_wiz_disc.c: discovery jobs and their answers. */
void pw_discover(struct wiz *w, unsigned devflags, int type, const char *what,
		 job_end_fn on_end);
/* (takes `def`) */
void pw_luns_start(struct wiz *w, struct pool_def *def, const char *secret,
		   job_end_fn on_end);
void pw_read_found(struct pw *pw, const char *output, const char *what_for);
int pw_split_tabs(char *line, char **f, int n);
void pw_devs_list(struct wiz *w, const char *id, bool for_pv);
void pw_srcs_list(struct wiz *w, const char *id);

/* ui_wiz_src.c: the source page; ui_wiz_tgt.c: the iSCSI target page. */
int pw_src_found(struct ui *ui, struct ui_job *j, void *arg);
bool pw_src_skip(struct wiz *w);
void pw_src_build(struct wiz *w);
void pw_src_change(struct wiz *w, const char *id);
void pw_src_enter(struct wiz *w);
void pw_src_left(struct wiz *w, const char *id);
char *pw_src_leave(struct wiz *w);
bool pw_tgt_skip(struct wiz *w);
void pw_tgt_build(struct wiz *w);
void pw_tgt_change(struct wiz *w, const char *id);
void pw_tgt_enter(struct wiz *w);
void pw_free_found(struct pw *pw);

/* ui_wiz_pool.c: the wizard's values as pool-define-as's arguments
 * (core/build.h), with the strings they need; pw_args_free frees them. */
struct pw_args {
	struct pool_args a;
	char **devs;
	size_t ndevs;
	char *owner, *group;
};
void pw_args(struct wiz *w, const char *secret_usage, struct pw_args *out);
void pw_args_free(struct pw_args *pa);
/* The definition the wizard's values make, or NULL when they make none
 * (yet). */
struct pool_def *pw_def(struct wiz *w, const char *secret_usage);

#endif
