/* cistern — the define-pool wizard's source pages: per type, what the
 * pool is made of, with discovery run as a job (block devices with
 * libblkid, a server's exports, volume groups, a portal's targets and a
 * target's LUNs). The page stays live while it runs; Esc cancels it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/secret.h"
#include "../core/units.h"
#include "../core/xml.h"
#include "ui_wiz_pool.h"

/* ---- discovery jobs (they run in a child) ---- */

/* What a discovery job looks for. */
struct disc {
	unsigned devflags;          /* block devices (discover_blockdevs) */
	int type;                   /* sources of this type, -1: none */
	char *host, *initiator;
	int port;
	char *xml;                  /* LUNs: the pool's definition */
	char *secret;               /* LUNs: the CHAP password */
};

/* Free a discovery request (the secret wiped). */
static void
disc_free(struct disc *d)
{
	free(d->host);
	free(d->initiator);
	free(d->xml);
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
		struct source_query q = { .host = d->host, .port = d->port,
					  .initiator = d->initiator };
		job_phase(j, "asking %s", d->host ? d->host : "the system");
		xml = pool_find_sources((enum pool_type)d->type, &q, e);
		if (xml == NULL)
			return -1;
		sbuf_add(out, xml);
		free(xml);
	}
	return 0;
}

/* In the child: a target's LUNs. The CHAP password goes into a secrets
 * store of the child's own in /dev/shm, removed before it answers. */
static int
job_luns(struct cistern *c, struct job *j, void *arg, struct sbuf *out,
	 struct err *e)
{
	struct disc *d = arg;
	struct pool_def *def;
	struct pool *p;
	char tmpl[] = "/dev/shm/cistern-wizard-XXXXXX", *dir = NULL;
	int rc = -1;

	def = pool_def_parse(d->xml, strlen(d->xml), "the new pool", e);
	if (def == NULL)
		return -1;
	if (d->secret != NULL) {
		dir = mkdtemp(tmpl);
		if (dir == NULL) {
			pool_def_free(def);
			return err_errno(e, errno, "cannot make a private "
					 "directory for the CHAP secret");
		}
		free(c->store.config_dir);
		c->store.config_dir = xstrdup(dir);
		if (secret_set(&c->store, NULL, "wizard-preview", d->secret,
			       strlen(d->secret), e) < 0)
			goto out;
	}
	job_phase(j, "logging in to %s", def->source.ndevices ?
		  def->source.devices[0].path : "the target");
	p = pool_preview(c, def, j, e);
	if (p == NULL)
		goto out;
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
	rc = 0;
out:
	if (dir != NULL) {
		struct err se;
		err_init(&se);
		secret_remove(&c->store, NULL, "wizard-preview", &se);
		err_clear(&se);
		char *sd = path_join(dir, "secrets");
		rmdir(sd);
		free(sd);
		rmdir(dir);
	}
	pool_def_free(def);
	return rc;
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
static int
split_tabs(char *line, char **f, int n)
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
static void
read_found(struct pw *pw, const char *output, const char *what_for)
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
		if (str_startswith(line, "D\t") && split_tabs(line, f, 11) == 11) {
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
		if (discover_sources_parse(xml.s, &pw->srcs, &pw->nsrcs, &e) < 0)
			pw->srcs_error = xstrdup(e.msg);
		err_clear(&e);
		pw->srcs_for = xstrdup(what_for ? what_for : "");
	}
	sbuf_free(&xml);
	free(copy);
}

static int src_found(struct ui *ui, struct ui_job *j, void *arg);

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
	if (t == POOL_DISK)
		return d->whole;
	if (for_pv)
		return d->busy[0] == '\0' && !in_a_vg(pw, d->path) &&
		       (d->blank || strcmp(d->type, "LVM2_member") == 0);
	return !(d->whole && d->nparts > 0);
}

/* The device rows of a list: path, size, what it holds, use. */
static void
devs_list(struct wiz *w, const char *id, bool for_pv)
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
				 *use ? ", " : t == POOL_FS ? ", not mounted" :
				 "", use);
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
static void
srcs_list(struct wiz *w, const char *id)
{
	struct pw *pw = w->ctx;
	enum pool_type t = pw_type(w);
	char **items = NULL, **keys = NULL;
	size_t ni = 0, nk = 0;

	for (size_t i = 0; i < pw->nsrcs; i++) {
		const struct found_source *s = &pw->srcs[i];
		char *line, *key;
		if (t == POOL_NETFS) {
			const char *where = s->dir ? s->dir : s->name;
			if (where == NULL)
				continue;
			line = xasprintf("%s  (%s)", where, s->format ? s->format :
					 "nfs");
			key = xasprintf("%s\t%s", where, s->format ? s->format :
					"auto");
		} else if (t == POOL_LOGICAL) {
			struct sbuf b;
			if (s->name == NULL)
				continue;
			sbuf_init(&b);
			for (size_t k = 0; k < s->ndevices; k++)
				sbuf_printf(&b, "%s%s", k ? ", " : "",
					    s->devices[k]);
			line = xasprintf("%-16s on %s", s->name, b.s ? b.s : "-");
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

/* ---- checks ---- */

/* A device path: it must be there, a block device or an image file. */
static char *
check_device(struct wiz *w, const char *v)
{
	struct stat st;

	(void)w;
	if (*v == '\0')
		return xstrdup("pick a device in the list, or type its path");
	if (*v != '/')
		return xasprintf("'%s': give the device's full path (/dev/...)", v);
	if (stat(v, &st) < 0)
		return xasprintf("%s: %s", v, strerror(errno));
	if (!S_ISBLK(st.st_mode) && !S_ISREG(st.st_mode))
		return xasprintf("%s is neither a block device nor an image file",
				 v);
	return NULL;
}

/* A server name: something to ask. */
static char *
check_host(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("give the server's name or address");
	if (strpbrk(v, " /\t") != NULL)
		return xasprintf("'%s' is not a host name or address", v);
	return NULL;
}

/* An absolute path on the server. */
static char *
check_srcdir(struct wiz *w, const char *v)
{
	if (pw_type(w) == POOL_NETFS && *v == '\0')
		return xstrdup("pick an export in the list, or type its path");
	if (*v != '\0' && *v != '/' && strcmp(wiz_get(w, "format"),
					      "glusterfs") != 0)
		return xasprintf("'%s': the export's path starts with /", v);
	return NULL;
}

/* A TCP port. */
static char *
check_port(struct wiz *w, const char *v)
{
	uint64_t n;

	(void)w;
	if (*v == '\0')
		return NULL;
	if (str_to_u64(v, 10, &n) < 0 || n == 0 || n > 65535)
		return xasprintf("'%s' is not a port number (1-65535)", v);
	return NULL;
}

/* An iSCSI qualified name (required for iscsi-direct). */
static char *
check_iqn(struct wiz *w, const char *v)
{
	if (*v == '\0')
		return pw_type(w) == POOL_ISCSI_DIRECT ?
		       xstrdup("iscsi-direct logs in with an initiator name of "
			       "its own: give one (iqn.YYYY-MM.domain:name)") :
		       NULL;
	if (!str_startswith(v, "iqn.") && !str_startswith(v, "eui.") &&
	    !str_startswith(v, "naa."))
		return xasprintf("'%s' is not an iSCSI name (iqn.YYYY-MM.domain:"
				 "name)", v);
	return NULL;
}

/* The CHAP password goes with a CHAP user. */
static char *
check_chap(struct wiz *w, const char *v)
{
	struct err e;
	char *why = NULL;

	if (wiz_get(w, "chapuser")[0] == '\0')
		return *v ? xstrdup("a CHAP password needs a CHAP user name") :
		       NULL;
	if (*v == '\0')
		return xstrdup("give the CHAP password (it is kept in cistern's "
			       "secrets store, never shown)");
	err_init(&e);
	if (secret_check_value(v, strlen(v), &e) < 0)
		why = xstrdup("the CHAP password cannot be used: it is empty, "
			      "too long or holds control characters");
	err_clear(&e);
	return why;
}

/* A new volume group's name, as LVM takes them. */
static char *
check_vgname(struct wiz *w, const char *v)
{
	struct pw *pw = w->ctx;

	if (*v == '\0')
		return xstrdup("give the new volume group a name");
	for (const char *p = v; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || strchr("+_.-", *p)))
			return xasprintf("'%s': a volume group name takes "
					 "letters, digits and + _ . -", v);
	if (*v == '-')
		return xasprintf("'%s': a volume group name cannot start with "
				 "-", v);
	for (size_t i = 0; i < pw->nsrcs; i++)
		if (str_eq(pw->srcs[i].name, v))
			return xasprintf("volume group %s exists already: choose "
					 "'existing'", v);
	return NULL;
}

/* The devices of a new volume group. */
static char *
check_pvs(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("pick the devices of the new volume group "
			       "(Space ticks one)");
	return NULL;
}

/* An existing volume group. */
static char *
check_vg(struct wiz *w, const char *v)
{
	(void)w;
	if (*v == '\0')
		return xstrdup("no volume group found: choose 'new', or F5 looks "
			       "again");
	return NULL;
}

/* ---- the source page ---- */

/* A discovery for this page (F5 looks again). */
static void
discover(struct wiz *w, unsigned devflags, int type, const char *what)
{
	struct disc *d = xcalloc(1, sizeof(*d));
	char *busy;

	d->devflags = devflags;
	d->type = type;
	if (type == POOL_NETFS || type == POOL_ISCSI ||
	    type == POOL_ISCSI_DIRECT) {
		d->host = xstrdup(wiz_get(w, "host"));
		d->port = atoi(wiz_get(w, "port"));
		if (wiz_get(w, "initiator")[0])
			d->initiator = xstrdup(wiz_get(w, "initiator"));
	}
	busy = xasprintf("looking for %s", what);
	wiz_job(w, busy, job_discover, d, src_found);
	free(busy);
	disc_free(d);
}

/* What a discovery job found. */
static int
src_found(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;
	struct pw *pw = w->ctx;
	enum pool_type t = pw_type(w);
	char *what = t == POOL_NETFS ? xstrdup(wiz_get(w, "host")) :
		     xasprintf("%s:%s", wiz_get(w, "host"), wiz_get(w, "port"));

	(void)ui;
	pw_free_found(pw);
	if (j->code == 0) {
		read_found(pw, j->output, what);
		pw->devs_done = true;
	} else if (j->code != ERR_CANCELLED) {
		pw->srcs_error = xstrdup(j->msg);
		pw->srcs_for = xstrdup(what);
		wiz_error(w, "Discovery failed: %s", j->msg);
	}
	free(what);
	if (t == POOL_LOGICAL && wiz_get(w, "vgmode")[0] == '\0')
		wiz_set(w, "vgmode", pw->nsrcs > 0 ? "existing" : "new");
	wiz_relayout(w);
	return UI_DRAW;
}

/* dir pools have no source. */
bool
src_skip(struct wiz *w)
{
	return pw_type(w) == POOL_DIR;
}

/* Start what the source page looks for. */
void
src_enter(struct wiz *w)
{
	switch (pw_type(w)) {
	case POOL_FS:
		discover(w, DISCOVER_DISKS | DISCOVER_PARTS | DISCOVER_LEAVES, -1,
			 "block devices");
		break;
	case POOL_DISK:
		discover(w, DISCOVER_DISKS, -1, "disks");
		break;
	case POOL_LOGICAL:
		discover(w, DISCOVER_DISKS | DISCOVER_PARTS | DISCOVER_LEAVES,
			 POOL_LOGICAL, "volume groups (pvs) and devices");
		break;
	case POOL_NETFS:
		if (check_host(w, wiz_get(w, "host")) == NULL) {
			char *what = xasprintf("exports on %s",
					       wiz_get(w, "host"));
			discover(w, 0, POOL_NETFS, what);
			free(what);
		}
		break;
	default:
		break;
	}
}

/* Leaving the server's name looks at what it exports. */
void
src_left(struct wiz *w, const char *id)
{
	struct pw *pw = w->ctx;

	if (strcmp(id, "host") == 0 && pw_type(w) == POOL_NETFS &&
	    !str_eq(pw->srcs_for, wiz_get(w, "host")))
		src_enter(w);
}

/* Picking a row fills the field it stands for. */
void
src_change(struct wiz *w, const char *id)
{
	if (strcmp(id, "pick") == 0 && pw_type(w) == POOL_NETFS) {
		char *v = xstrdup(wiz_get(w, "pick")), *tab = strchr(v, '\t');
		if (tab != NULL) {
			*tab = '\0';
			wiz_set(w, "srcdir", v);
			wiz_set(w, "format", tab + 1);
			wiz_put(w, "srcdir");
		}
		free(v);
	} else if (strcmp(id, "pick") == 0) {
		wiz_set(w, "device", wiz_get(w, "pick"));
		wiz_put(w, "device");
	} else if (strcmp(id, "vgmode") == 0) {
		wiz_relayout(w);
	} else if (strcmp(id, "host") == 0 && pw_type(w) == POOL_NETFS) {
		free(w->error);
		w->error = NULL;
	}
}

/* The fields of an fs or disk source: the devices found, the path. */
static void
build_device(struct wiz *w, enum pool_type t)
{
	struct pw *pw = w->ctx;
	struct wfield *f;

	f = wiz_list(w, "pick", t == POOL_DISK ? "Whole disks (libblkid; F5 "
		     "looks again)" : "Block devices (libblkid; F5 looks again)",
		     7, false, NULL);
	if (!pw->devs_done)
		f->text = xstrdup("  (looking...)");
	devs_list(w, "pick", false);
	if (wiz_get(w, "device")[0] == '\0')
		wiz_set(w, "device", wiz_get(w, "pick"));
	wiz_text(w, "device", t == POOL_DISK ? "Disk" : "Device", check_device);
}

/* The fields of a logical source: an existing VG, or a new one. */
static void
build_logical(struct wiz *w)
{
	static const char *const modes[] = { "existing", "new" };
	struct pw *pw = w->ctx;
	struct wfield *f;

	if (wiz_get(w, "vgmode")[0] == '\0' && pw->devs_done)
		wiz_set(w, "vgmode", pw->nsrcs > 0 ? "existing" : "new");
	wiz_choice(w, "vgmode", "Volume group", modes, 2);
	if (strcmp(wiz_get(w, "vgmode"), "existing") == 0) {
		f = wiz_list(w, "vg", "Volume groups found (pvs; F5 looks again)",
			     6, false, check_vg);
		if (!pw->devs_done)
			f->text = xstrdup("  (looking...)");
		srcs_list(w, "vg");
		return;
	}
	if (wiz_get(w, "vgname")[0] == '\0')
		wiz_set(w, "vgname", wiz_get(w, "name"));
	wiz_text(w, "vgname", "New VG name", check_vgname);
	f = wiz_list(w, "pvs", "Build it from (Space ticks; blank devices and "
		     "unused PVs)", 6, true, check_pvs);
	if (!pw->devs_done)
		f->text = xstrdup("  (looking...)");
	devs_list(w, "pvs", true);
}

/* The fields of a netfs source: server, exports found, path. */
static void
build_netfs(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct wfield *f;
	char *label;

	wiz_text(w, "host", "Server", check_host);
	label = xasprintf("Exports%s%s (showmount, gluster; F5 looks again)",
			  pw->srcs_for ? " of " : "",
			  pw->srcs_for ? pw->srcs_for : "");
	f = wiz_list(w, "pick", label, 5, false, NULL);
	free(label);
	f->text = xstrdup(pw->srcs_error ? "  (none: see below)" :
			  pw->srcs_for ? "  (it exports nothing)" :
			  "  (give the server, then Tab)");
	srcs_list(w, "pick");
	if (f->nitems > 0)
		src_change(w, "pick");
	wiz_text(w, "srcdir", "Export path", check_srcdir);
}

/* The fields of an iSCSI source: portal, initiator, CHAP. */
static void
build_iscsi(struct wiz *w)
{
	struct wfield *f;

	if (wiz_get(w, "port")[0] == '\0')
		wiz_set(w, "port", "3260");
	wiz_text(w, "host", "Portal host", check_host);
	f = wiz_text(w, "port", "Port", check_port);
	f->width = 6;
	if (wiz_get(w, "initiator")[0] == '\0' &&
	    pw_type(w) == POOL_ISCSI_DIRECT) {
		char *iqn = discover_initiator_iqn();
		if (iqn != NULL)
			wiz_set(w, "initiator", iqn);
		free(iqn);
	}
	f = wiz_text(w, "initiator", "Initiator IQN", check_iqn);
	if (pw_type(w) == POOL_ISCSI)
		f->hint = xstrdup("empty: this host's (open-iscsi)");
	f = wiz_text(w, "chapuser", "CHAP user", NULL);
	f->hint = xstrdup("empty: no CHAP");
	f = wiz_secret(w, "chappass", "CHAP password", check_chap);
	f->hint = xstrdup("never shown; kept in the secrets store");
}

/* The source page of the chosen type. */
void
src_build(struct wiz *w)
{
	enum pool_type t = pw_type(w);

	switch (t) {
	case POOL_FS:
	case POOL_DISK:
		build_device(w, t);
		break;
	case POOL_LOGICAL:
		build_logical(w);
		break;
	case POOL_NETFS:
		build_netfs(w);
		break;
	case POOL_ISCSI:
	case POOL_ISCSI_DIRECT:
		build_iscsi(w);
		break;
	default:
		break;
	}
}

/* Nothing to add to the fields' own checks but a busy disk. */
char *
src_leave(struct wiz *w)
{
	struct pw *pw = w->ctx;
	const struct pw_dev *d;

	if (pw_type(w) != POOL_DISK)
		return NULL;
	d = pw_dev_find(pw, wiz_get(w, "device"));
	if (d != NULL && d->busy[0] != '\0')
		return xasprintf("%s is in use (%s): cistern writes no label on "
				 "a disk in use", d->path, d->busy);
	return NULL;
}

/* ---- the iSCSI target page ---- */

/* Only the iSCSI types choose a target. */
bool
tgt_skip(struct wiz *w)
{
	enum pool_type t = pw_type(w);

	return t != POOL_ISCSI && t != POOL_ISCSI_DIRECT;
}

/* A target must be chosen. */
static char *
check_target(struct wiz *w, const char *v)
{
	struct pw *pw = w->ctx;

	(void)w;
	if (*v == '\0')
		return xstrdup(pw->srcs_error ? "no target found: see the error "
			       "(F5 looks again)" : "pick the target");
	return NULL;
}

/* The LUNs of the chosen target, as text. */
static char *
luns_text(const struct pw *pw)
{
	struct sbuf b;

	if (pw->luns_error != NULL)
		return xasprintf("Cannot list the LUNs: %s", pw->luns_error);
	if (pw->luns_for == NULL)
		return xstrdup("(logging in to list them...)");
	if (pw->nluns == 0)
		return xstrdup("(the target has no disk LUNs)");
	sbuf_init(&b);
	for (size_t i = 0; i < pw->nluns; i++) {
		char *sz = pw_size(pw->luns[i].size);
		sbuf_printf(&b, "%-12s %7s  %s\n", pw->luns[i].name, sz,
			    pw->luns[i].note);
		free(sz);
	}
	return sbuf_take(&b);
}

/* What the LUN job found. */
static int
luns_found(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;
	struct pw *pw = w->ctx;
	char *text;

	(void)ui;
	for (size_t i = 0; i < pw->nluns; i++) {
		free(pw->luns[i].name);
		free(pw->luns[i].note);
	}
	free(pw->luns);
	pw->luns = NULL;
	pw->nluns = 0;
	free(pw->luns_error);
	pw->luns_error = NULL;
	free(pw->luns_for);
	pw->luns_for = xstrdup(wiz_get(w, "target"));
	if (j->code != 0) {
		pw->luns_error = xstrdup(j->code == ERR_CANCELLED ? "cancelled" :
					 j->msg);
	} else {
		char *copy = xstrdup(j->output ? j->output : "");
		for (char *line = copy, *next; *line; line = next) {
			char *f[3];
			next = strchr(line, '\n');
			if (next)
				*next++ = '\0';
			else
				next = line + strlen(line);
			if (split_tabs(line, f, 3) != 3)
				continue;
			pw->luns = xreallocarray(pw->luns, pw->nluns + 1,
						 sizeof(*pw->luns));
			pw->luns[pw->nluns++] = (struct pw_lun){
				.name = xstrdup(f[0]),
				.size = strtoull(f[1], NULL, 10),
				.note = xstrdup(f[2]),
			};
		}
		free(copy);
	}
	text = luns_text(pw);
	wiz_set_text(w, "luns", text);
	free(text);
	return UI_DRAW;
}

/* Log in to the chosen target (as the pool will) and list its LUNs. */
static void
luns_look(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct disc *d;
	char **argv;
	struct sbuf out;
	char *busy;

	if (wiz_get(w, "target")[0] == '\0')
		return;
	free(pw->luns_for);
	pw->luns_for = NULL;
	argv = pw_argv(w, true, wiz_get(w, "chapuser")[0] ? "wizard-preview" :
		       NULL);
	sbuf_init(&out);
	d = xcalloc(1, sizeof(*d));
	d->type = -1;
	d->xml = pw_print_xml(w, argv, &out);
	strv_free(argv);
	if (d->xml == NULL) {
		pw->luns_error = xstrdup(out.s ? out.s : "cannot describe the pool");
		pw->luns_for = xstrdup(wiz_get(w, "target"));
		sbuf_free(&out);
		disc_free(d);
		return;
	}
	sbuf_free(&out);
	if (wiz_get(w, "chapuser")[0])
		d->secret = xstrdup(wiz_get(w, "chappass"));
	busy = xasprintf("listing the LUNs of %s", wiz_get(w, "target"));
	wiz_job(w, busy, job_luns, d, luns_found);
	free(busy);
	disc_free(d);
}

/* The targets found (and the LUNs of the one picked). */
void
tgt_build(struct wiz *w)
{
	struct pw *pw = w->ctx;
	struct wfield *f;
	char *label, *text;

	label = xasprintf("Targets on %s:%s (SendTargets; F5 looks again)",
			  wiz_get(w, "host"), wiz_get(w, "port"));
	f = wiz_list(w, "target", label, 4, false, check_target);
	free(label);
	f->text = xstrdup(pw->srcs_for ? "  (none offered)" : "  (looking...)");
	srcs_list(w, "target");
	text = luns_text(pw);
	wiz_view(w, "luns", "LUNs of the target (libiscsi: REPORT LUNS)", text,
		 5);
	free(text);
}

/* Another target: look at its LUNs. */
void
tgt_change(struct wiz *w, const char *id)
{
	if (strcmp(id, "target") == 0) {
		char *text;
		luns_look(w);
		text = luns_text(w->ctx);
		wiz_set_text(w, "luns", text);
		free(text);
	}
}

/* Entering: ask the portal for its targets (once per portal). */
static int tgt_found(struct ui *ui, struct ui_job *j, void *arg);

void
tgt_enter(struct wiz *w)
{
	struct pw *pw = w->ctx;
	char *what = xasprintf("%s:%s", wiz_get(w, "host"), wiz_get(w, "port"));
	struct disc *d;

	if (str_eq(pw->srcs_for, what) && w->job == 0 && pw->srcs_error == NULL) {
		free(what);
		if (!str_eq(pw->luns_for, wiz_get(w, "target")))
			luns_look(w);
		return;
	}
	d = xcalloc(1, sizeof(*d));
	d->type = pw_type(w);
	d->host = xstrdup(wiz_get(w, "host"));
	d->port = atoi(wiz_get(w, "port"));
	if (wiz_get(w, "initiator")[0])
		d->initiator = xstrdup(wiz_get(w, "initiator"));
	free(what);
	what = xasprintf("targets on %s:%s", d->host, wiz_get(w, "port"));
	char *busy = xasprintf("looking for %s", what);
	wiz_job(w, busy, job_discover, d, tgt_found);
	free(busy);
	free(what);
	disc_free(d);
}

/* The portal answered: list its targets, then the first one's LUNs. */
static int
tgt_found(struct ui *ui, struct ui_job *j, void *arg)
{
	struct wiz *w = arg;

	src_found(ui, j, arg);
	if (j->code == 0) {
		/* the list is made again with the targets: pick one */
		struct pw *pw = w->ctx;
		bool known = false;
		for (size_t i = 0; i < pw->nsrcs; i++)
			known |= pw->srcs[i].ndevices > 0 &&
				 str_eq(pw->srcs[i].devices[0],
					wiz_get(w, "target"));
		if (!known && pw->nsrcs > 0 && pw->srcs[0].ndevices > 0)
			wiz_set(w, "target", pw->srcs[0].devices[0]);
		luns_look(w);
	}
	return UI_DRAW;
}
