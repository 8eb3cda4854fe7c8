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
/* May the selected host take an action now? NULL, or why not. */
const char *ui_host_unavailable(struct ui *ui, char *buf, size_t n);

#endif
