/* cistern — the screen over a remote engine (ui_remote.c): loads run in
 * a thread and arrive through a pipe the loop polls; a lost connection
 * is shown and retried with backoff (1, 2, 4 ... 30 s), and the screen
 * reloads by itself when it is back. One struct ui_remote per libvirt
 * connection of the screen; ui->remote is the one on screen. */
#ifndef CISTERN_UI_REMOTE_H
#define CISTERN_UI_REMOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cistern;
struct options;
struct pollfd;
struct ui;
struct ui_remote;

/* A connection's loads: into c, which the first load opens (need_open)
 * or which is open already. */
struct ui_remote *ui_remote_new(struct cistern *c, const char *name,
				const char *uri, bool need_open,
				const struct options *o);
/* false: its thread is stuck on a dead host and keeps r. */
bool ui_remote_destroy(struct ui_remote *r);

/* Close r's connection and free r and c (malloc'd), in the background:
 * the loop never waits on a dead host. r is no longer polled. */
void ui_remote_retire(struct ui_remote *r, struct cistern *c);
/* Disconnected by the operator (off): no loads, no retries, the state
 * says "disconnected", actions are refused; or connectable again. */
void ui_remote_hold(struct ui_remote *r, bool off);
bool ui_remote_off(const struct ui_remote *r);
/* The host's name, for the log. */
void ui_remote_rename(struct ui_remote *r, const char *name);

/* Set up (when c's engine is remote) and tear down: one -c. */
void ui_remote_init(struct ui *ui);
void ui_remote_free(struct ui *ui);
/* Is the screen on a remote engine? */
bool ui_remote(const struct ui *ui);
/* Read every pool and the running pools' volumes, off the loop; with
 * `again`, once more after the load on its way (the model changed since
 * it began), else that load will do. */
void ui_remote_load(struct ui *ui, bool again);
void ui_remote_load_one(struct ui *ui, struct ui_remote *r, bool again);
/* F5: have libvirt look at the pool's storage again, then load. */
void ui_remote_rescan(struct ui *ui, const char *pool);

/* The loop: the fds of every connection's loads and events (at most
 * 2 each); what to do when one is ready (`mine` false: not one of
 * them); retries and countdowns (UI_DRAW when the screen changed); the
 * longest the loop may sleep (ms). */
size_t ui_remotes_count(const struct ui *ui);
size_t ui_remotes_pollfds(const struct ui *ui, struct pollfd *pf, size_t max);
int ui_remotes_ready(struct ui *ui, int fd, bool *mine);
int ui_remotes_tick(struct ui *ui, int64_t now);
int ui_remotes_timeout(const struct ui *ui, int64_t now, int timeout);

/* What the title shows: the URI, and whether it is lost. */
const char *ui_remote_uri(const struct ui *ui);
bool ui_remote_lost(const struct ui *ui);
/* One connection: lost (or never made), open, its last failure, and
 * its state in words ("connected", "lost, retrying in 4 s"). */
bool ui_remote_is_lost(const struct ui_remote *r);
bool ui_remote_opened(const struct ui_remote *r);
const char *ui_remote_why(const struct ui_remote *r);
/* Is its first full load still on its way (some volumes not there yet)? */
bool ui_remote_loading(const struct ui_remote *r);
const char *ui_remote_state(const struct ui_remote *r, int64_t now,
			    char *buf, size_t n, int *role);

#endif
