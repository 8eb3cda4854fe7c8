/* cistern — the create-volume wizard (F3): what its two files share
 * (ui_wiz_vol.c: the pages; ui_wiz_volrev.c: the XML and the review). */
#ifndef CISTERN_UI_WIZ_VOL_H
#define CISTERN_UI_WIZ_VOL_H

#include "ui_wiz.h"

struct vw {
	char *pool;
	enum pool_type type;
	bool from_map;            /* started on a free extent of the map */
	struct vol_plan plan;     /* disk pools: what would be made */
	char *plan_error;
	bool cap_typed;           /* the operator set the capacity */
};

/* The wizard's pool now (NULL when another program removed it). */
struct pool *vw_pool(struct wiz *w);
/* Does this format keep a backing file (and so a backing volume)? */
bool vw_format_backs(enum pool_type t, const char *fmt);
/* Is the pool's type of this kind (POOL_TI_*, core/model.h)? */
static inline bool
vw_is(const struct vw *vw, unsigned kind)
{
	return (pool_type_info(vw->type)->kind & kind) != 0;
}
/* The capacity asked for, or -1 and why (malloc'd). */
int vw_capacity(struct wiz *w, uint64_t *cap, char **why);
/* The allocation the volume will have. */
uint64_t vw_allocation(struct wiz *w, uint64_t cap);
/* Disk pools: the plan in words (malloc'd). */
char *vw_plan_words(struct wiz *w);

/* ui_wiz_volrev.c */
void vw_review_build(struct wiz *w);
int vw_done(struct ui *ui, struct wiz *w);

#endif
