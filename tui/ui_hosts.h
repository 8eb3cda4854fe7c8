/* cistern — several hosts in one screen (ui_hosts.c): this machine and
 * libvirt hosts, from repeated -c or the hosts file (core/hosts.h). Each
 * host has its own connection and its own loads (ui_remote.c); the
 * pools pane shows the selected host's pools under its line and every
 * other host as one line with its state. The rest of the interface works
 * on ui->c, which is the selected host's. */
#ifndef CISTERN_UI_HOSTS_H
#define CISTERN_UI_HOSTS_H

#include <stdbool.h>
#include <stddef.h>

struct cistern;
struct options;
struct ui;
struct ui_remote;

struct ui_host {
	char *name;               /* "local", the hosts file's name, or the
				     URI given with -c */
	char *uri;                /* NULL: this machine */
	struct cistern *c;        /* this machine's is main's; a libvirt
				     host's is opened by its first load */
	bool own_c;
	struct ui_remote *remote; /* a libvirt host's loads, else NULL */
	bool autoconnect;
	char *pool_name, *vol_name;   /* its selection while another host
					 is shown */
	bool folded;              /* one line, its pools not shown */
	/* the pools pane's last draw, for the mouse: the host's line, and
	 * its pools' rows when another host is shown (-1: not drawn) */
	int line_y, pool_y, pool_n;
	bool stale;               /* the host on screen was read again since
				     this one was left: read it when shown */
};

/* Several hosts for this run? (several -c, or no -c and a hosts file
 * that names hosts). `why` gets a hosts file error (one line). */
bool ui_hosts_wanted(const struct options *o, char *why, size_t whylen);
/* Build the hosts (after ui_remote is usable): `home` is this machine's
 * connection, opened by main. */
int ui_hosts_setup(struct ui *ui, struct cistern *home, char *why,
		   size_t whylen);
void ui_hosts_free(struct ui *ui);
/* Show host i (the pools pane, the title, ui->c), read again now. */
void ui_host_switch(struct ui *ui, size_t i);
/* Show host i for a key ([, ], moving past the first or last pool): at
 * once, with what the host had; it is read again only when it may have
 * changed since it was left (ui_hosts_stale), this machine's after the
 * screen is drawn. */
void ui_host_browse(struct ui *ui, size_t i);
/* The host on screen is read again (the tick, the store's watch, a job's
 * end): the others may have changed too, and are read when shown. */
void ui_hosts_stale(struct ui *ui);
/* One host's line in the pools pane: "kvm-03  connected  3 pools". */
void ui_host_line(struct ui *ui, size_t i, char *buf, size_t n, int *role);
/* The same under a filter: "kvm-03  connected  1 of 3 pools" (matching
 * -1: no filter). */
void ui_host_line_matching(struct ui *ui, size_t i, long matching, char *buf,
			   size_t n, int *role);
/* Host i lost (or refusing its credentials)? "kvm-b lost, retrying in
 * 3 s: cannot reach ..." in buf, else NULL. */
const char *ui_host_down(struct ui *ui, size_t i, char *buf, size_t n);
/* May the selected host take an action now? NULL, or why not. */
const char *ui_host_unavailable(struct ui *ui, char *buf, size_t n);

/* ui_hosts_pane.c: the pools pane with every host (y, h: below the
 * pane's title); a click there (-1: not on a host's line or another
 * host's pool); `-`: fold or unfold the other hosts. */
void ui_hosts_pane_draw(struct ui *ui, int y, int h, int w, bool focused);
int ui_hosts_pane_click(struct ui *ui, int y);
int ui_hosts_fold(struct ui *ui);

/* Changes at run time (the hosts form): a screen of one host (no -c)
 * becomes one of several with `local` only; the host of that name
 * ((size_t)-1: none); does a job run on host i? */
void ui_hosts_begin(struct ui *ui);
size_t ui_host_find(const struct ui *ui, const char *name);
bool ui_host_busy(const struct ui *ui, size_t i);
/* A libvirt host at the end: connecting now (autoconnect) or held. */
void ui_host_add(struct ui *ui, const char *name, const char *uri,
		 bool autoconnect);
/* Host i (never local) off the screen; its connection is closed in
 * the background. */
void ui_host_remove(struct ui *ui, size_t i);
/* Host i's new name, URI (NULL: unchanged; a new one reconnects unless
 * disconnected) and autoconnect. */
void ui_host_change(struct ui *ui, size_t i, const char *name,
		    const char *uri, bool autoconnect);
/* Connect host i again, or disconnect it for this run: its connection
 * is closed in the background, and it is not retried. */
void ui_host_connect(struct ui *ui, size_t i, bool on);

#endif
