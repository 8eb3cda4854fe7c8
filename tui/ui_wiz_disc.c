/* cistern — the define-pool wizard's discovery: jobs that look for
 * block devices (libblkid), a server's exports, volume groups, a portal's
 * targets or a target's LUNs in a child process, what they send back and
 * the list rows made of it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/pool.h"
#include "../core/secret.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "ui_job.h"
#include "ui_wiz_pool.h"

/* ---- discovery jobs (they run in a child) ---- */

/* What a discovery job looks for. */
struct disc {
	unsigned devflags;          /* block devices (discover_blockdevs) */
	int type;                   /* sources of this type, -1: none */
	char *host, *initiator;
	char *user;                 /* rbd: the cephx user */
	int port;
	struct pool_def *def;       /* LUNs: the pool's definition */
	char *secret;               /* LUNs: the CHAP password */
};

/* Free a discovery request (the secret wiped). */
static void
disc_free(struct disc *d)
{
	free(d->host);
	free(d->initiator);
	free(d->user);
	pool_def_free(d->def);
	if (d->secret != NULL)
		secret_free(d->secret, strlen(d->secret));
	free(d);
}

/* A field for a tab-separated line: no tabs or newlines inside. */
static void
put_field(struct sbuf *b, const char *s)
{
	sbuf_addc(b, '\t');
	for (; s != NULL && *s; s++)
		sbuf_addc(b, *s == '\t' || *s == '\n' ? ' ' : *s);
}

/* In the child: block devices as "D" lines, then sources' XML. */
static int
job_discover(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	     struct err *e)
{
	struct disc *d = arg;
	struct blockdev *v;
	size_t n;
	char *xml, num[64];

	(void)c;
	if (d->devflags != 0) {
		job_phase(j, "looking for block devices");
		if (discover_blockdevs(d->devflags, &v, &n, e) < 0)
			return -1;
		for (size_t i = 0; i < n; i++) {
			char *holds = blockdev_holds(&v[i]);
			sbuf_add(out, "D");
			put_field(out, v[i].path);
			snprintf(num, sizeof(num), "%llu\t%d\t%d\t%d",
				 (unsigned long long)v[i].size, v[i].whole,
				 v[i].nparts, !v[i].pi.found);
			sbuf_addc(out, '\t');
			sbuf_add(out, num);
			put_field(out, v[i].pi.type);
			put_field(out, v[i].pi.usage);
			put_field(out, v[i].pi.label);
			put_field(out, holds);
			put_field(out, v[i].busy ? v[i].busy : "");
			sbuf_addc(out, '\n');
			free(holds);
		}
		blockdevs_free(v, n);
	}
	if (d->type >= 0) {
		struct pool_auth a = { .username = d->user };
		struct source_query q = { .host = d->host, .port = d->port,
					  .initiator = d->initiator };
		if ((pool_type_info((enum pool_type)d->type)->kind &
		     POOL_TI_FIND_AUTH) && d->user != NULL) {
			q.auth = &a;
			q.key = d->secret;
		}
		job_phase(j, "asking %s", d->host ? d->host : "the system");
		xml = pool_find_sources((enum pool_type)d->type, &q, e);
		if (xml == NULL)
			return -1;
		sbuf_add(out, xml);
		free(xml);
	}
	return 0;
}

/* In the child: a target's LUNs. The CHAP password is the preview's own
 * (pool_preview), never stored. */
static int
job_luns(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	 struct err *e)
{
	struct disc *d = arg;
	const struct pool_def *def = d->def;
	struct pool *p;

	job_phase(j, "logging in to %s", def->source.ndevices ?
		  def->source.devices[0].path : "the target");
	p = pool_preview(c, def, d->secret, j, e);
	if (p == NULL)
		return -1;
	for (size_t i = 0; i < p->nvols; i++) {
		const struct vol_def *v = p->vols[i];
		char num[32];
		sbuf_add(out, v->name);
		snprintf(num, sizeof(num), "\t%llu",
			 (unsigned long long)v->capacity);
		sbuf_add(out, num);
		put_field(out, v->note ? v->note : "");
		sbuf_addc(out, '\n');
	}
	pool_preview_free(p);
	return 0;
}

/* ---- what came back ---- */

/* Forget the devices found. */
static void
devs_free(struct pw *pw)
{
	for (size_t i = 0; i < pw->ndevs; i++) {
		struct pw_dev *d = &pw->devs[i];
		free(d->path);
		free(d->holds);
		free(d->type);
		free(d->usage);
		free(d->label);
		free(d->busy);
	}
	free(pw->devs);
	pw->devs = NULL;
	pw->ndevs = 0;
}

/* Forget everything found. */
void
pw_free_found(struct pw *pw)
{
	devs_free(pw);
	found_sources_free(pw->srcs, pw->nsrcs);
	pw->srcs = NULL;
	pw->nsrcs = 0;
	free(pw->srcs_for);
	free(pw->srcs_error);
	pw->srcs_for = pw->srcs_error = NULL;
	for (size_t i = 0; i < pw->nluns; i++) {
		free(pw->luns[i].name);
		free(pw->luns[i].note);
	}
	free(pw->luns);
	pw->luns = NULL;
	pw->nluns = 0;
	free(pw->luns_for);
	free(pw->luns_error);
	pw->luns_for = pw->luns_error = NULL;
}

/* Split a line at tabs into at most n fields (in place). */
int
pw_split_tabs(char *line, char **f, int n)
{
	int k = 0;

	while (k < n) {
		f[k++] = line;
		line = strchr(line, '\t');
		if (line == NULL)
			break;
		*line++ = '\0';
	}
	return k;
}

/* Read the discovery job's answer into the wizard. */
void
pw_read_found(struct pw *pw, const char *output, const char *what_for)
{
	struct sbuf xml;
	char *copy = xstrdup(output ? output : "");
	struct err e;

	sbuf_init(&xml);
	for (char *line = copy, *next; line != NULL && *line; line = next) {
		char *f[11];
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (str_startswith(line, "D\t") &&
		    pw_split_tabs(line, f, 11) == 11) {
			struct pw_dev *d;
			pw->devs = xreallocarray(pw->devs, pw->ndevs + 1,
						 sizeof(*pw->devs));
			d = &pw->devs[pw->ndevs++];
			d->path = xstrdup(f[1]);
			d->size = strtoull(f[2], NULL, 10);
			d->whole = atoi(f[3]) != 0;
			d->nparts = atoi(f[4]);
			d->blank = atoi(f[5]) != 0;
			d->type = xstrdup(f[6]);
			d->usage = xstrdup(f[7]);
			d->label = xstrdup(f[8]);
			d->holds = xstrdup(f[9]);
			d->busy = xstrdup(f[10]);
			continue;
		}
		sbuf_add(&xml, line);
		sbuf_addc(&xml, '\n');
	}
	if (xml.len > 0) {
		err_init(&e);
		if (discover_sources_parse(xml.s, &pw->srcs, &pw->nsrcs,
					   &e) < 0)
			pw->srcs_error = xstrdup(e.msg);
		err_clear(&e);
		pw->srcs_for = xstrdup(what_for ? what_for : "");
	}
	sbuf_free(&xml);
	free(copy);
}


/* Look for block devices and/or sources of a type; the answer goes
 * to on_end (pw_read_found reads it). */
void
pw_discover(struct wiz *w, unsigned devflags, int type, const char *what,
	    job_end_fn on_end)
{
	struct disc *d = xcalloc(1, sizeof(*d));
	char *busy;

	d->devflags = devflags;
	d->type = type;
	if (type >= 0 && (pool_type_info((enum pool_type)type)->source &
			  POOL_SRC_HOST)) {
		d->host = xstrdup(wiz_get(w, "host"));
		d->port = atoi(wiz_get(w, "port"));
		if (wiz_get(w, "initiator")[0])
			d->initiator = xstrdup(wiz_get(w, "initiator"));
	}
	/* the cephx key goes to the discovery child only */
	if (type >= 0 && (pool_type_info((enum pool_type)type)->kind &
			  POOL_TI_FIND_AUTH) && wiz_get(w, "chapuser")[0]) {
		d->user = xstrdup(wiz_get(w, "chapuser"));
		d->secret = xstrdup(wiz_get(w, "chappass"));
	}
	busy = xasprintf("looking for %s", what);
	wiz_job(w, busy, job_discover, d, on_end);
	free(busy);
	disc_free(d);
}

/* Log in to a target (the pool's XML) and list its LUNs; the CHAP
 * password goes to the child only. */
void
pw_luns_start(struct wiz *w, struct pool_def *def, const char *secret,
	      job_end_fn on_end)
{
	struct disc *d = xcalloc(1, sizeof(*d));
	char *busy;

	d->type = -1;
	d->def = def;
	if (secret != NULL)
		d->secret = xstrdup(secret);
	busy = xasprintf("listing the LUNs of %s", wiz_get(w, "tgt"));
	wiz_job(w, busy, job_luns, d, on_end);
	free(busy);
	disc_free(d);
}

/* ---- the lists ---- */

/* Size in a narrow column. */
char *
pw_size(uint64_t bytes)
{
	char b[32];

	return xstrdup(size_short(bytes, b, sizeof(b)));
}

/* A device found by discovery. */
const struct pw_dev *
pw_dev_find(const struct pw *pw, const char *path)
{
	for (size_t i = 0; i < pw->ndevs; i++)
		if (strcmp(pw->devs[i].path, path) == 0)
			return &pw->devs[i];
	return NULL;
}

/* Is a device a PV of a volume group found? */
static bool
in_a_vg(const struct pw *pw, const char *path)
{
	for (size_t i = 0; i < pw->nsrcs; i++)
		for (size_t k = 0; k < pw->srcs[i].ndevices; k++)
			if (strcmp(pw->srcs[i].devices[k], path) == 0)
				return true;
	return false;
}

/* Is a device offered for this pool type? */
static bool
dev_offered(const struct pw *pw, enum pool_type t, const struct pw_dev *d,
	    bool for_pv)
{
	if (pool_type_info(t)->kind & POOL_TI_PARTITIONS)
		return d->whole;        /* a partition table is a disk's */
	if (for_pv)
		return d->busy[0] == '\0' && !in_a_vg(pw, d->path) &&
		       (d->blank || strcmp(d->type, "LVM2_member") == 0);
	return !(d->whole && d->nparts > 0);
}

/* The device rows of a list: path, size, what it holds, use. */
void
pw_devs_list(struct wiz *w, const char *id, bool for_pv)
{
	struct pw *pw = w->ctx;
	enum pool_type t = pw_type(w);
	char **items = NULL, **keys = NULL;
	size_t ni = 0, nk = 0;

	for (size_t i = 0; i < pw->ndevs; i++) {
		const struct pw_dev *d = &pw->devs[i];
		const char *use = d->busy;
		char *sz, *line;
		if (!dev_offered(pw, t, d, for_pv))
			continue;
		/* "/dev/x is mounted on /y": the path is on the row already */
		if (str_startswith(use, d->path) && use[strlen(d->path)] == ' ')
			use += strlen(d->path) + 1;
		if (str_startswith(use, "is "))
			use += 3;
		sz = pw_size(d->size);
		line = xasprintf("%-13s %6s  %s%s%s", d->path, sz, d->holds,
				 *use ? ", " : (pool_type_info(t)->kind &
				 POOL_TI_MOUNTS) ? ", not mounted" : "", use);
		strv_push(&items, &ni, line);
		strv_push(&keys, &nk, d->path);
		free(line);
		free(sz);
	}
	wiz_list_set(w, id, items, keys, (int)ni);
	strv_free(items);
	strv_free(keys);
}

/* Rows of the sources found (exports, VGs, targets). */
void
pw_srcs_list(struct wiz *w, const char *id)
{
	struct pw *pw = w->ctx;
	enum pool_type t = pw_type(w);
	char **items = NULL, **keys = NULL;
	size_t ni = 0, nk = 0;

	for (size_t i = 0; i < pw->nsrcs; i++) {
		const struct found_source *s = &pw->srcs[i];
		char *line, *key;
		enum pool_pick pick = pool_type_info(t)->pick;
		if (pick == POOL_PICK_EXPORT) {
			const char *where = s->dir ? s->dir : s->name;
			if (where == NULL)
				continue;
			line = xasprintf("%s  (%s)", where,
					 s->format ? s->format : "nfs");
			key = xasprintf("%s\t%s", where, s->format ? s->format :
					"auto");
		} else if (pick == POOL_PICK_CEPH_POOL) {
			if (s->name == NULL)
				continue;
			line = xstrdup(s->name);
			key = xstrdup(s->name);
		} else if (pick == POOL_PICK_VG) {
			struct sbuf b;
			if (s->name == NULL)
				continue;
			sbuf_init(&b);
			for (size_t k = 0; k < s->ndevices; k++)
				sbuf_printf(&b, "%s%s", k ? ", " : "",
					    s->devices[k]);
			line = xasprintf("%-16s on %s", s->name,
					 b.s ? b.s : "-");
			key = xstrdup(s->name);
			sbuf_free(&b);
		} else {
			if (s->ndevices == 0)
				continue;
			line = xstrdup(s->devices[0]);
			key = xstrdup(s->devices[0]);
		}
		strv_push(&items, &ni, line);
		strv_push(&keys, &nk, key);
		free(line);
		free(key);
	}
	wiz_list_set(w, id, items, keys, (int)ni);
	strv_free(items);
	strv_free(keys);
}
