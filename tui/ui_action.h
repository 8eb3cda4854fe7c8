/* cistern — what the action table's rows do on the screen (ui_action.c,
 * ui_act_pool.c, ui_act_vol.c); the table itself is actions.h. */
#ifndef CISTERN_UI_ACTION_H
#define CISTERN_UI_ACTION_H

#include <stdbool.h>

#include "actions.h"

struct ui;
struct vol_def;

/* Is the action offered here (mode, selection, backend)? */
bool action_offered(struct ui *ui, const struct action *a);
/* Offered and usable now. */
bool action_ready(struct ui *ui, const struct action *a);
int action_run(struct ui *ui, const struct action *a);
/* The action bound to a key for the focused pane, or NULL. */
const struct action *action_for_key(struct ui *ui, int key);
/* Run the focused pane's action for a key, or say why nothing runs. */
int action_key(struct ui *ui, int key);
char *action_help_text(struct ui *ui);

/* Pool and volume actions (ui_act_pool.c, ui_act_vol.c). */
#define ACT(name) int name(struct ui *ui)
#define USABLE(name) const char *name(struct ui *ui)
ACT(act_help); ACT(act_quit); ACT(act_prompt); ACT(act_filter);
ACT(act_sort); ACT(act_log); ACT(act_theme); ACT(act_jobs);
ACT(act_details); ACT(act_refresh);
ACT(act_pool_new); ACT(act_pool_start); ACT(act_pool_stop);
ACT(act_pool_build); ACT(act_pool_autostart); ACT(act_pool_delete);
ACT(act_pool_undefine); ACT(act_pool_edit); ACT(act_pool_xml);
ACT(act_vol_create); ACT(act_vol_clone); ACT(act_vol_wipe);
ACT(act_vol_resize); ACT(act_vol_delete); ACT(act_vol_upload);
ACT(act_vol_download); ACT(act_vol_xml);
/* The hosts form (ui_hostform.c). */
ACT(act_hosts);
/* Create a volume as a job (takes v): the volume wizard's Finish. */
int ui_vol_create(struct ui *ui, const char *pool, struct vol_def *v,
		  unsigned flags);
USABLE(need_inactive); USABLE(need_active); USABLE(need_running);
USABLE(need_vol);
void ui_offer_default_pool(struct ui *ui);

#endif
