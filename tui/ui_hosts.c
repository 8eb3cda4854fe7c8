/* cistern — several hosts in one screen: the hosts, switching the screen
 * between them, and what each host's line in the pools pane says. */
#include "ui_hosts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/engine.h"
#include "../core/hosts.h"
#include "../core/pool.h"
#include "../core/store.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/watch.h"
#include "main.h"
#include "ui.h"
#include "ui_job.h"
#include "ui_model.h"
#include "ui_remote.h"
#include "ui_theme.h"

/* The hosts file's hosts (none without a file). */
static int
file_hosts(const struct options *o, struct hosts *h, char *why,
	   size_t whylen)
{
	char *cfg, *run;
	struct err e;
	int rc;

	store_default_dirs(o->config_dir, o->run_dir, &cfg, &run);
	err_init(&e);
	rc = hosts_load(cfg, h, &e);
	if (rc < 0)
		snprintf(why, whylen, "%s", e.msg);
	err_clear(&e);
	free(cfg);
	free(run);
	return rc;
}

bool
ui_hosts_wanted(const struct options *o, char *why, size_t whylen)
{
	struct hosts h;
	bool want;

	if (o->nconnects > 1)
		return true;
	if (o->nconnects == 1)
		return false;
	memset(&h, 0, sizeof(h));
	if (file_hosts(o, &h, why, whylen) < 0) {
		hosts_free(&h);
		return true;      /* the error stops the screen, with why */
	}
	want = h.n > 0;
	hosts_free(&h);
	return want;
}

static void
add_host(struct ui *ui, const char *name, const char *uri, bool autoconnect)
{
	struct ui_host *h;

	ui->hosts = xreallocarray(ui->hosts, ui->nhosts + 1, sizeof(*ui->hosts));
	h = &ui->hosts[ui->nhosts++];
	memset(h, 0, sizeof(*h));
	h->name = xstrdup(name);
	h->uri = uri ? xstrdup(uri) : NULL;
	h->autoconnect = autoconnect;
	if (uri == NULL) {
		h->c = ui->home;
	} else {
		h->c = xcalloc(1, sizeof(*h->c));
		h->own_c = true;
		h->remote = ui_remote_new(h->c, name, uri, true, ui->o);
	}
}

int
ui_hosts_setup(struct ui *ui, struct cistern *home, char *why,
	       size_t whylen)
{
	const struct options *o = ui->o;
	struct hosts hf;

	ui->home = home;
	memset(&hf, 0, sizeof(hf));
	if (o->nconnects > 1) {
		/* the -c's, in their order, named as given */
		for (size_t i = 0; i < o->nconnects; i++) {
			const char *uri = o->connect_uris ? o->connect_uris[i] :
					  o->connects[i];
			add_host(ui, uri ? o->connects[i] : HOST_LOCAL, uri,
				 true);
		}
	} else {
		if (file_hosts(o, &hf, why, whylen) < 0) {
			hosts_free(&hf);
			return -1;
		}
		add_host(ui, HOST_LOCAL, NULL, true);
		for (size_t i = 0; i < hf.n; i++)
			add_host(ui, hf.v[i].name, hf.v[i].uri,
				 hf.v[i].autoconnect);
		hosts_free(&hf);
	}
	/* the first host on screen; the others connect at once in the
	 * background (autoconnect), or when they are shown */
	ui->cur = 0;
	ui->c = ui->hosts[0].c;
	ui->remote = ui->hosts[0].remote;
	for (size_t i = 0; i < ui->nhosts; i++) {
		if (ui->hosts[i].remote != NULL &&
		    (ui->hosts[i].autoconnect || i == 0))
			ui_remote_load_one(ui, ui->hosts[i].remote, false);
		/* this machine after a -c host: not read until it is shown */
		if (ui->hosts[i].remote == NULL && i != 0)
			ui->hosts[i].stale = true;
	}
	return 0;
}

void
ui_hosts_free(struct ui *ui)
{
	for (size_t i = 0; i < ui->nhosts; i++) {
		struct ui_host *h = &ui->hosts[i];
		bool opened = h->remote != NULL && ui_remote_opened(h->remote);

		/* a thread stuck on a dead host keeps its connection */
		if (ui_remote_destroy(h->remote) && h->own_c) {
			if (opened)
				cistern_close(h->c);
			free(h->c);
		}
		free(h->name);
		free(h->uri);
		free(h->pool_name);
		free(h->vol_name);
	}
	free(ui->hosts);
	ui->hosts = NULL;
	ui->nhosts = 0;
	ui->remote = NULL;
	ui->c = ui->home;
}

/* The shown name goes to the host left (`keep`), the host shown next
 * gives its own (`take`). */
static void
hand_over(char **keep, char **shown, char **take)
{
	free(*keep);
	*keep = *shown;
	*shown = *take;
	*take = NULL;
}

/* Why a libvirt host is not connected, in a line. */
static const char *
lost_why(const struct ui_remote *r)
{
	return ui_remote_why(r) ? ui_remote_why(r) : "not connected";
}

/* Show host i; `read`: what it shows is read again now (a host not yet
 * connected connects), else only when it is stale. */
static void
host_show(struct ui *ui, size_t i, bool read)
{
	struct ui_host *from, *to;

	if (i >= ui->nhosts || i == ui->cur)
		return;
	from = &ui->hosts[ui->cur];
	to = &ui->hosts[i];
	ui_detach(ui);
	/* each host keeps its own selection */
	hand_over(&from->pool_name, &ui->pool_name, &to->pool_name);
	hand_over(&from->vol_name, &ui->vol_name, &to->vol_name);
	ui->cur = i;
	ui->c = to->c;
	ui->remote = to->remote;
	ui_rebuild_pools(ui);
	ui_rebuild_vols(ui);
	if (to->remote != NULL) {
		/* in the background: a host not connected connects */
		if (read || to->stale || !ui_remote_opened(to->remote) ||
		    ui_remote_is_lost(to->remote))
			ui_remote_load(ui, true);
	} else if (read) {
		ui_reload(ui);
	} else if (to->stale && ui->reload_at == 0) {
		/* this machine is read in the loop (a dir of thousands of
		 * volumes takes tens of ms): the key is answered first */
		ui->reload_at = now_ms() + WATCH_DEBOUNCE_MS;
	}
	to->stale = false;
	if (ui_remote_off(to->remote))
		ui_status(ui, R_WARNING, "%s: disconnected.", to->name);
	else if (to->remote != NULL && ui_remote_is_lost(to->remote))
		ui_status(ui, R_ERROR, "%s: %s", to->name, lost_why(to->remote));
	else
		ui_status(ui, R_STATUS, "Host %s.", to->name);
}

void
ui_host_switch(struct ui *ui, size_t i)
{
	host_show(ui, i, true);
}

void
ui_host_browse(struct ui *ui, size_t i)
{
	host_show(ui, i, false);
}

void
ui_hosts_stale(struct ui *ui)
{
	for (size_t i = 0; i < ui->nhosts; i++)
		if (i != ui->cur)
			ui->hosts[i].stale = true;
}

void
ui_host_line(struct ui *ui, size_t i, char *buf, size_t n, int *role)
{
	ui_host_line_matching(ui, i, -1, buf, n, role);
}

void
ui_host_line_matching(struct ui *ui, size_t i, long matching, char *buf,
		      size_t n, int *role)
{
	struct ui_host *h = &ui->hosts[i];
	char state[256], cap[32], match[32] = "";
	uint64_t total = 0;
	bool open = h->remote == NULL || ui_remote_opened(h->remote);

	*role = R_GOOD;
	if (h->remote != NULL)
		ui_remote_state(h->remote, now_ms(), state, sizeof(state), role);
	else
		snprintf(state, sizeof(state), "this machine");
	if (!open) {
		snprintf(buf, n, "%s  %s", h->name, state);
		return;
	}
	for (size_t k = 0; k < h->c->npools; k++)
		total += h->c->pools[k]->def->capacity;
	size_short(total, cap, sizeof(cap));
	if (matching >= 0)
		snprintf(match, sizeof(match), "%ld of ", matching);
	snprintf(buf, n, "%s  %s  %s%zu pool%s  %s", h->name, state, match,
		 h->c->npools, h->c->npools == 1 ? "" : "s", cap);
}

const char *
ui_host_unavailable(struct ui *ui, char *buf, size_t n)
{
	const struct ui_host *h;
	char state[256];
	int role;

	if (ui->remote == NULL || !ui_remote_is_lost(ui->remote))
		return NULL;
	h = ui->nhosts > 0 ? &ui->hosts[ui->cur] : NULL;
	if (h != NULL && ui_remote_off(ui->remote)) {
		snprintf(buf, n, "%s is disconnected: connect it in the hosts "
			 "form (H, then c)", h->name);
		return buf;
	}
	ui_remote_state(ui->remote, now_ms(), state, sizeof(state), &role);
	snprintf(buf, n, "%s is not available (%s): %s",
		 h ? h->name : ui_remote_uri(ui), state, lost_why(ui->remote));
	return buf;
}

const char *
ui_host_down(struct ui *ui, size_t i, char *buf, size_t n)
{
	const struct ui_host *h;
	char state[256];
	int role;

	if (i >= ui->nhosts || ui->hosts[i].remote == NULL ||
	    !ui_remote_is_lost(ui->hosts[i].remote))
		return NULL;
	h = &ui->hosts[i];
	ui_remote_state(h->remote, now_ms(), state, sizeof(state), &role);
	snprintf(buf, n, "%s %s: %s", h->name, state, lost_why(h->remote));
	return buf;
}

/* ---- changes at run time (the hosts form, ui_hostform.c) ---- */

void
ui_hosts_begin(struct ui *ui)
{
	if (ui->nhosts > 0 || ui->remote != NULL)
		return;
	add_host(ui, HOST_LOCAL, NULL, true);
	ui->cur = 0;
	ui->c = ui->hosts[0].c;
}

size_t
ui_host_find(const struct ui *ui, const char *name)
{
	for (size_t i = 0; i < ui->nhosts; i++)
		if (str_eq(ui->hosts[i].name, name))
			return i;
	return (size_t)-1;
}

bool
ui_host_busy(const struct ui *ui, size_t i)
{
	for (size_t k = 0; k < ui->njobs; k++)
		if (!ui->jobs[k]->ended && ui->jobs[k]->host == i)
			return true;
	return false;
}

void
ui_host_add(struct ui *ui, const char *name, const char *uri,
	    bool autoconnect)
{
	add_host(ui, name, uri, autoconnect);
	/* as at the start: without autoconnect, it connects when shown */
	if (autoconnect)
		ui_remote_load_one(ui, ui->hosts[ui->nhosts - 1].remote, false);
}

/* Host i's connection closed in the background and a new one put in
 * its place: held (off), or connecting. */
static void
host_renew(struct ui *ui, size_t i, bool off)
{
	struct ui_host *h = &ui->hosts[i];
	bool on_screen = i == ui->cur;

	if (on_screen)
		ui_detach(ui);
	ui_remote_retire(h->remote, h->c);
	h->c = xcalloc(1, sizeof(*h->c));
	h->remote = ui_remote_new(h->c, h->name, h->uri, true, ui->o);
	ui_remote_hold(h->remote, off);
	if (on_screen) {
		ui->c = h->c;
		ui->remote = h->remote;
		ui_rebuild_pools(ui);
		ui_rebuild_vols(ui);
	}
	ui_remote_load_one(ui, h->remote, false);
}

void
ui_host_remove(struct ui *ui, size_t i)
{
	struct ui_host *h;

	if (i == 0 || i >= ui->nhosts || ui->hosts[i].remote == NULL)
		return;
	if (i == ui->cur)
		ui_host_switch(ui, 0);
	h = &ui->hosts[i];
	ui_remote_retire(h->remote, h->c);
	free(h->name);
	free(h->uri);
	free(h->pool_name);
	free(h->vol_name);
	memmove(h, h + 1, (ui->nhosts - i - 1) * sizeof(*h));
	ui->nhosts--;
	if (ui->cur > i)
		ui->cur--;
	/* the jobs that ran on hosts below keep theirs */
	for (size_t k = 0; k < ui->njobs; k++)
		if (ui->jobs[k]->host > i)
			ui->jobs[k]->host--;
		else if (ui->jobs[k]->host == i)
			ui->jobs[k]->host = ui->cur;
}

void
ui_host_change(struct ui *ui, size_t i, const char *name, const char *uri,
	       bool autoconnect)
{
	struct ui_host *h = &ui->hosts[i];

	if (name != NULL && !str_eq(name, h->name)) {
		free(h->name);
		h->name = xstrdup(name);
		ui_remote_rename(h->remote, name);
	}
	h->autoconnect = autoconnect;
	if (uri != NULL && h->uri != NULL && !str_eq(uri, h->uri)) {
		free(h->uri);
		h->uri = xstrdup(uri);
		/* another host: connected again, unless it was held */
		host_renew(ui, i, ui_remote_off(h->remote));
	}
}

void
ui_host_connect(struct ui *ui, size_t i, bool on)
{
	struct ui_host *h = &ui->hosts[i];

	if (h->remote == NULL)
		return;
	if (on) {
		ui_remote_hold(h->remote, false);
		ui_remote_load_one(ui, h->remote, false);
	} else {
		host_renew(ui, i, true);
	}
}
