/* cistern — the screen over a remote engine (ui_remote.c): loads run in
 * a thread and arrive through a pipe the loop polls; a lost connection
 * is shown and retried with backoff (1, 2, 4 ... 30 s), and the screen
 * reloads by itself when it is back. */
#ifndef CISTERN_UI_REMOTE_H
#define CISTERN_UI_REMOTE_H

#include <stdbool.h>
#include <stdint.h>

struct ui;

/* Set up (when c's engine is remote) and tear down. */
void ui_remote_init(struct ui *ui);
void ui_remote_free(struct ui *ui);
/* Is the screen on a remote engine? */
bool ui_remote(const struct ui *ui);
/* Read every pool and the running pools' volumes, off the loop; with
 * `again`, once more after the load on its way (the model changed since
 * it began), else that load will do. */
void ui_remote_load(struct ui *ui, bool again);
/* F5: have libvirt look at the pool's storage again, then load. */
void ui_remote_rescan(struct ui *ui, const char *pool);
/* The fd the loop polls (-1: none), and what to do when it is ready. */
int ui_remote_fd(const struct ui *ui);
int ui_remote_ended(struct ui *ui);
/* The other side's pool events (-1: none yet): a change reloads soon, a
 * lost connection is shown at once. UI_DRAW when the screen changed. */
int ui_remote_event_fd(const struct ui *ui);
int ui_remote_event(struct ui *ui);
/* Retries and the countdown: UI_DRAW when the screen changed; and the
 * longest the loop may sleep (ms). */
int ui_remote_tick(struct ui *ui, int64_t now);
int ui_remote_timeout(const struct ui *ui, int64_t now, int timeout);
/* What the title shows: the URI, and whether it is lost. */
const char *ui_remote_uri(const struct ui *ui);
bool ui_remote_lost(const struct ui *ui);

#endif
