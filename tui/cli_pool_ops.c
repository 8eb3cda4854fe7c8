/* cistern — command-line verbs for pool life cycles, discovery, import
 * and device maps. */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/engine.h"
#include "../core/fileio.h"
#include "../core/run.h"
#include "../core/units.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "../core/watch.h"
#include "../core/xmlutil.h"
#include "cli.h"
#include "columns.h"
#include "table.h"

unsigned
cli_build_flags(const struct cli_args *a)
{
	unsigned f = 0;

	if (cli_flag(a, "overwrite"))
		f |= POOL_BUILD_OVERWRITE;
	if (cli_flag(a, "no-overwrite"))
		f |= POOL_BUILD_NO_OVERWRITE;
	if (cli_flag(a, "build"))
		f |= POOL_START_BUILD;
	return f;
}

int
cli_start_pool(struct cli *cl, struct pool *p, unsigned flags)
{
	struct job j;
	struct err e;
	int rc = 0;

	err_init(&e);
	cli_job_begin(cl, &j, (flags & POOL_START_BUILD) ? "building" :
		      "starting");
	if (pool_start(cl->c, p, flags, &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_build)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct job j;
	struct err e;
	int rc = 0;

	if (p == NULL)
		return 1;
	err_init(&e);
	cli_job_begin(cl, &j, "building");
	if (pool_build(cl->c, p, cli_build_flags(a), &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	else if (!run_dry_run())
		cli_extra(cl, "Pool %s built\n", p->def->name);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_start)
{
	struct pool *p = cli_pool_arg(cl, a);
	int rc;

	if (p == NULL)
		return 1;
	rc = cli_start_pool(cl, p, cli_build_flags(a));
	if (rc == 0 && !run_dry_run())
		cli_extra(cl, "Pool %s started\n", p->def->name);
	return rc;
}

CLI_HANDLER(cmd_pool_destroy)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct err e;
	int rc = 0;

	if (p == NULL)
		return 1;
	err_init(&e);
	if (pool_stop(cl->c, p, cli_flag(a, "lazy") ? POOL_STOP_LAZY : 0,
		      &e) < 0)
		rc = cli_error(cl, &e);
	else if (!run_dry_run())
		cli_extra(cl, "Pool %s destroyed\n", p->def->name);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_delete)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct job j;
	struct err e;
	int rc = 0;

	if (p == NULL)
		return 1;
	err_init(&e);
	cli_job_begin(cl, &j, "deleting");
	if (pool_delete(cl->c, p, cli_flag(a, "overwrite") ?
			POOL_DELETE_CONFIRMED : 0, &j, &e) < 0)
		rc = 1;
	cli_job_end(cl, &j);
	if (rc)
		cli_error(cl, &e);
	else if (!run_dry_run())
		cli_extra(cl, "Pool %s deleted\n", p->def->name);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_refresh)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct err e;
	int rc = 0;

	if (p == NULL)
		return 1;
	err_init(&e);
	if (pool_refresh(cl->c, p, NULL, &e) < 0) {
		rc = cli_error(cl, &e);
	} else {
		pool_announce_refresh(cl->c, p);
		cli_extra(cl, "Pool %s refreshed\n", p->def->name);
	}
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_start_autostart)
{
	int rc = 0;

	(void)a;
	for (size_t i = 0; i < cl->c->npools; i++) {
		struct pool *p = cl->c->pools[i];
		if (!p->autostart || pool_is_active(p))
			continue;
		if (cli_start_pool(cl, p, 0) != 0)
			rc = 1;
		else
			cli_extra(cl, "Pool %s started\n", p->def->name);
	}
	return rc;
}

static int
find_sources(struct cli *cl, const char *type, struct source_query *q)
{
	int t = pool_type_from_name(type);
	struct err e;
	char *xml;

	if (t < 0)
		return cli_fail(cl, "unknown pool type '%s'", type);
	err_init(&e);
	xml = cistern_find_sources(cl->c, (enum pool_type)t, q, &e);
	if (xml == NULL) {
		int rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	fputs(xml, cl->out);
	free(xml);
	return 0;
}

CLI_HANDLER(cmd_find_sources)
{
	const char *spec = cli_get(a, "srcSpec");
	struct source_query q = { 0 };
	char *data = NULL, *host = NULL, *port = NULL, *init = NULL;
	struct pool_auth auth = { 0 };
	int rc;

	if (spec != NULL) {
		size_t len;
		struct err e;
		xmlDocPtr doc;

		data = cli_read_input(cl, spec, &len);
		if (data == NULL)
			return 1;
		err_init(&e);
		doc = xml_parse(data, len, spec, &e);
		if (doc == NULL) {
			free(data);
			rc = cli_error(cl, &e);
			err_clear(&e);
			return rc;
		}
		xmlNodePtr root = xmlDocGetRootElement(doc);
		host = xml_path_attr(root, "host", "name");
		port = xml_path_attr(root, "host", "port");
		init = xml_path_attr(root, "initiator/iqn", "name");
		auth.username = xml_path_attr(root, "auth", "username");
		auth.secret_uuid = xml_path_attr(root, "auth/secret", "uuid");
		auth.secret_usage = xml_path_attr(root, "auth/secret", "usage");
		xmlFreeDoc(doc);
		q.host = host;
		q.port = port ? atoi(port) : 0;
		q.initiator = init;
		q.srcspec_xml = data;
		if (auth.username != NULL)
			q.auth = &auth;
	}
	q.store = cl->c ? &cl->c->store : cl->secrets;
	rc = find_sources(cl, cli_get(a, "type"), &q);
	free(auth.username);
	free(auth.secret_uuid);
	free(auth.secret_usage);
	free(host);
	free(port);
	free(init);
	free(data);
	return rc;
}

CLI_HANDLER(cmd_find_sources_as)
{
	struct source_query q = { 0 };
	const char *port = cli_get(a, "port");
	struct pool_auth auth = { 0 };

	q.host = cli_get(a, "host");
	q.initiator = cli_get(a, "initiator");
	/* rbd: the cephx user, and the stored secret holding its key */
	auth.username = (char *)cli_get(a, "auth-username");
	auth.secret_uuid = (char *)cli_get(a, "secret-uuid");
	auth.secret_usage = (char *)cli_get(a, "secret-usage");
	if (auth.username != NULL) {
		if (auth.secret_uuid == NULL && auth.secret_usage == NULL)
			return cli_fail(cl, "--auth-username needs --secret-usage "
					"or --secret-uuid (the stored cephx key)");
		q.auth = &auth;
	}
	q.store = cl->c ? &cl->c->store : cl->secrets;
	if (port != NULL) {
		int64_t v;
		if (str_to_i64(port, 10, &v) < 0 || v < 1 || v > 65535)
			return cli_fail(cl, "invalid port '%s'", port);
		q.port = (int)v;
	}
	return find_sources(cl, cli_get(a, "type"), &q);
}

struct import_ctx {
	struct cli *cl;
	size_t unread;
};

/* A definition import-libvirt could not read: warned and counted. */
static void
import_warn(void *arg, const char *msg)
{
	struct import_ctx *x = arg;

	cli_warn(x->cl, "%s", msg);
	x->unread++;
}

/* Add "NAME (why)" to the import's list of skipped pools. */
static void
import_skip(struct sbuf *names, size_t *skipped, char *what)
{
	sbuf_add(names, *skipped ? ", " : ": ");
	sbuf_add(names, what);
	free(what);
	(*skipped)++;
}

CLI_HANDLER(cmd_import_libvirt)
{
	const char *dir = cli_get(a, "dir");
	char *autodir, **unsup;
	struct store src;
	struct pool_def **defs;
	size_t n, nunsup, imported = 0, skipped = 0;
	struct import_ctx x = { .cl = cl };
	struct sbuf names;
	struct stat st;
	struct err e;

	if (dir == NULL)
		dir = "/etc/libvirt/storage";
	err_init(&e);
	/* read libvirt's directory as a store (no run dir is touched) */
	memset(&src, 0, sizeof(src));
	src.config_dir = xstrdup(dir);
	src.lock_fd = -1;
	if (store_load(&src, &defs, &n, import_warn, &x, &e) < 0) {
		free(src.config_dir);
		int rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	sbuf_init(&names);
	nunsup = store_unsupported(&src, &unsup);
	for (size_t i = 0; i < nunsup; i++)
		import_skip(&names, &skipped, unsup[i]);
	free(unsup);
	autodir = path_join(dir, "autostart");
	for (size_t i = 0; i < n; i++) {
		char *name = xstrdup(defs[i]->name);
		char *file = xasprintf("%s/%s.xml", autodir, name);
		/* the link's name says it: libvirt's absolute target may not
		 * resolve from here (another root, a copied directory) */
		bool autostart = lstat(file, &st) == 0;
		struct pool *p = NULL;

		free(file);
		if (cistern_find_pool(cl->c, name) != NULL) {
			cli_warn(cl, "pool '%s' is already defined; skipped", name);
			pool_def_free(defs[i]);
			import_skip(&names, &skipped,
				    xasprintf("%s (already defined)", name));
		} else if (pool_define(cl->c, defs[i], &p, &e) < 0) {
			cli_warn(cl, "%s; skipped", e.msg);
			err_clear(&e);
			import_skip(&names, &skipped,
				    xasprintf("%s (see the warning)", name));
		} else {
			imported++;
			cli_extra(cl, "Pool %s imported\n", name);
			if (autostart && pool_set_autostart(cl->c, p, true, &e) < 0) {
				cli_warn(cl, "%s", e.msg);
				err_clear(&e);
			}
		}
		free(name);
	}
	/* files neither read nor of an unknown type: the warnings name them */
	if (x.unread > nunsup)
		import_skip(&names, &skipped,
			    xasprintf("%zu unreadable (see the warnings)",
				      x.unread - nunsup));
	free(defs);
	free(autodir);
	free(src.config_dir);
	fprintf(cl->out, "%zu pools imported, %zu skipped%s\n", imported,
		skipped, names.s ? names.s : "");
	sbuf_free(&names);
	return 0;
}

/* ---- pool-event ---- */

static volatile sig_atomic_t event_interrupted;

static void
event_on_sigint(int sig)
{
	(void)sig;
	event_interrupted = 1;
}

/* One event as virsh prints it, after the time with --timestamp. */
static void
event_print(struct cli *cl, const struct pool_event *ev, bool stamp)
{
	if (stamp) {
		struct timespec ts;
		struct tm tm;
		char buf[32];
		clock_gettime(CLOCK_REALTIME, &ts);
		gmtime_r(&ts.tv_sec, &tm);
		strftime(buf, sizeof(buf), "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(cl->out, "%s.%03ld+0000: ", buf, ts.tv_nsec / 1000000);
	}
	if (ev->type == POOL_EVENT_REFRESH)
		fprintf(cl->out, "event 'refresh' for storage pool %s\n",
			ev->name);
	else
		fprintf(cl->out, "event 'lifecycle' for storage pool %s: %s\n",
			ev->name, pool_event_detail_name(ev->detail));
	fflush(cl->out);
}

/* Print ev if it passes the filters; true when that was the last one
 * wanted (no --loop). */
static bool
event_take(struct cli *cl, const struct pool_event *ev, int type,
	   const char *filter, bool stamp, bool loop, size_t *received)
{
	if ((type >= 0 && ev->type != (enum pool_event_type)type) ||
	    (filter != NULL && strcmp(ev->name, filter) != 0))
		return false;
	event_print(cl, ev, stamp);
	(*received)++;
	return !loop;
}

/* Over -c: the engine's events, as records on a descriptor. 0 when
 * ended by --timeout, Ctrl-C or the one event wanted; -1 with e set
 * when the connection is lost. */
static int
event_remote(struct cli *cl, int fd, int type, const char *filter,
	     bool stamp, bool loop, int64_t deadline, size_t *received,
	     bool *done, struct err *e)
{
	while (!*done && !event_interrupted) {
		int64_t now = now_ms(), wait = -1;
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		struct pool_event ev;
		int r;

		if (deadline >= 0 && now >= deadline)
			break;
		if (deadline >= 0)
			wait = deadline - now;
		if (poll(&pf, 1, wait > INT32_MAX ? INT32_MAX : (int)wait) <= 0)
			continue;
		r = engine_event_read(fd, &ev, e);
		if (r < 0)
			return -1;
		*done = event_take(cl, &ev, type, filter, stamp, loop,
				   received);
		free(ev.name);
	}
	return 0;
}

CLI_HANDLER(cmd_pool_event)
{
	const char *ename = cli_get(a, "event"), *tmo = cli_get(a, "timeout");
	const char *pname = cli_get(a, "pool");
	bool loop = cli_flag(a, "loop"), stamp = cli_flag(a, "timestamp");
	bool remote = engine_remote(cl->c);
	int type = -1, fd;
	int64_t deadline = -1, reload_at = -1, secs;
	size_t received = 0;
	struct pool_look before, after;
	struct sigaction sa, old_sa;
	char *filter = NULL;
	bool done = false;
	struct err e;

	if (cli_flag(a, "list")) {
		fputs("lifecycle\nrefresh\n", cl->out);
		return 0;
	}
	if (ename != NULL && (type = pool_event_type_from_name(ename)) < 0)
		return cli_fail(cl, "unknown event type '%s' (lifecycle, "
				"refresh)", ename);
	if (tmo != NULL) {
		if (str_to_i64(tmo, 10, &secs) < 0 || secs <= 0 ||
		    secs > INT32_MAX / 1000)
			return cli_fail(cl, "invalid timeout '%s' (seconds)",
					tmo);
		deadline = now_ms() + secs * 1000;
	}
	if (pname != NULL) {
		struct pool *p;
		err_init(&e);
		p = cistern_get_pool(cl->c, pname, &e);
		if (p == NULL) {
			int rc = cli_error(cl, &e);
			err_clear(&e);
			return rc;
		}
		filter = xstrdup(p->def->name);
	}
	err_init(&e);
	if (remote) {
		/* the daemon's own events (the local store never sees its
		 * changes) */
		fd = cistern_events_open(cl->c, &e);
		if (fd < 0) {
			int rc = cli_error(cl, &e);
			err_clear(&e);
			free(filter);
			return rc;
		}
	} else {
		fd = store_watch_open(&cl->c->store, !cl->c->read_only);
		if (fd < 0) {
			free(filter);
			return cli_fail(cl, "cannot watch '%s': %s",
					cl->c->store.config_dir, strerror(errno));
		}
	}
	event_interrupted = 0;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = event_on_sigint;
	sigaction(SIGINT, &sa, &old_sa);
	if (remote) {
		int rc = event_remote(cl, fd, type, filter, stamp, loop,
				      deadline, &received, &done, &e);
		sigaction(SIGINT, &old_sa, NULL);
		cistern_events_close(cl->c, fd);
		free(filter);
		if (rc < 0) {
			rc = cli_error(cl, &e);
			err_clear(&e);
			return rc;
		}
		if (event_interrupted)
			fputs("event loop interrupted\n", cl->out);
		else if (!done)
			fputs("event loop timed out\n", cl->out);
		fprintf(cl->out, "events received: %zu\n", received);
		return 0;
	}
	pool_look_take(cl->c, &before);
	while (!done && !event_interrupted) {
		int64_t now = now_ms(), wait = -1;
		struct pollfd pf = { .fd = fd, .events = POLLIN };

		if (deadline >= 0 && now >= deadline)
			break;
		if (deadline >= 0)
			wait = deadline - now;
		if (reload_at >= 0 && (wait < 0 || reload_at - now < wait))
			wait = reload_at - now < 0 ? 0 : reload_at - now;
		if (poll(&pf, 1, wait > INT32_MAX ? INT32_MAX : (int)wait) > 0 &&
		    store_watch_read(&cl->c->store, fd) && reload_at < 0)
			reload_at = now_ms() + WATCH_DEBOUNCE_MS;
		if (reload_at < 0 || now_ms() < reload_at)
			continue;
		reload_at = -1;
		err_init(&e);
		if (cistern_reload(cl->c, &e) < 0) {
			cli_warn(cl, "%s", e.msg);
			err_clear(&e);
			continue;
		}
		pool_look_take(cl->c, &after);
		struct pool_event *ev;
		size_t n = pool_events_between(&before, &after, &ev);
		for (size_t i = 0; i < n && !done; i++)
			done = event_take(cl, &ev[i], type, filter, stamp, loop,
					  &received);
		pool_events_free(ev, n);
		pool_look_free(&before);
		before = after;
	}
	if (event_interrupted)
		fputs("event loop interrupted\n", cl->out);
	else if (!done)
		fputs("event loop timed out\n", cl->out);
	fprintf(cl->out, "events received: %zu\n", received);
	sigaction(SIGINT, &old_sa, NULL);
	pool_look_free(&before);
	close(fd);
	free(filter);
	return 0;
}

static const char *
seg_kind_name(enum seg_kind k)
{
	switch (k) {
	case SEG_FREE: return "free";
	case SEG_PRIMARY: return "primary";
	case SEG_EXTENDED: return "extended";
	case SEG_LOGICAL: return "logical";
	case SEG_METADATA: return "metadata";
	}
	return "unknown";
}

CLI_HANDLER(cmd_pool_map)
{
	struct pool *p = cli_pool_arg(cl, a);
	bool bytes = cli_flag(a, "bytes");
	struct err e;

	if (p == NULL)
		return 1;
	if (!pool_can(p, POOL_OP_MAP))
		return cli_fail(cl, "pool '%s': %s pools have no device map",
				p->def->name, pool_type_name(p->def->type));
	err_init(&e);
	if (pool_ensure_refreshed(cl->c, p, &e) < 0) {
		int rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	if (cli_flag(a, "json")) {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < p->nmaps; i++) {
			const struct dev_map *m = &p->maps[i];
			json_object *o = json_object_new_object();
			json_object *segs = json_object_new_array();
			json_object_object_add(o, "device",
					       json_object_new_string(m->device));
			json_object_object_add(o, "size",
					       json_object_new_int64((int64_t)m->size));
			json_object_object_add(o, "label", m->label ?
					       json_object_new_string(m->label) : NULL);
			for (size_t k = 0; k < m->nsegs; k++) {
				const struct map_seg *s = &m->segs[k];
				json_object *so = json_object_new_object();
				json_object_object_add(so, "kind",
					json_object_new_string(seg_kind_name(s->kind)));
				json_object_object_add(so, "start",
					json_object_new_int64((int64_t)s->start));
				json_object_object_add(so, "end",
					json_object_new_int64((int64_t)s->end));
				json_object_object_add(so, "volume", s->vol ?
					json_object_new_string(s->vol) : NULL);
				json_object_object_add(so, "depth",
					json_object_new_int(s->depth));
				json_object_array_add(segs, so);
			}
			json_object_object_add(o, "segments", segs);
			json_object_array_add(arr, o);
		}
		json_print(cl->out, arr);
		json_object_put(arr);
		return 0;
	}
	for (size_t i = 0; i < p->nmaps; i++) {
		const struct dev_map *m = &p->maps[i];
		static const char *const hdr[] = {
			"Start", "End", "Size", "Kind", "Volume",
		};
		struct table t;
		char sz[32];

		fprintf(cl->out, "%s  %s  %s\n", m->device,
			m->label ? m->label : "-",
			bytes ? (snprintf(sz, sizeof(sz), "%llu",
					  (unsigned long long)m->size), sz) :
			size_pretty(m->size, sz, sizeof(sz)));
		table_init(&t, 5, hdr);
		for (size_t k = 0; k < m->nsegs; k++) {
			const struct map_seg *s = &m->segs[k];
			char st[32], en[32], size[32];
			const char *cells[5] = { st, en, size,
						 seg_kind_name(s->kind),
						 s->vol ? s->vol : "" };
			snprintf(st, sizeof(st), "%llu", (unsigned long long)s->start);
			snprintf(en, sizeof(en), "%llu", (unsigned long long)s->end);
			if (bytes)
				snprintf(size, sizeof(size), "%llu",
					 (unsigned long long)(s->end - s->start));
			else
				size_pretty(s->end - s->start, size, sizeof(size));
			table_add(&t, cells);
		}
		t.no_header = cl->quiet;
		table_print(cl->out, &t);
		table_free(&t);
	}
	return 0;
}

/* virsh's uri and hostname: one line from the connection. */
static int
print_conn(struct cli *cl, char *(*get)(struct cistern *, struct err *))
{
	struct err e;
	char *s;
	int rc = 0;

	err_init(&e);
	s = get(cl->c, &e);
	if (s == NULL)
		rc = cli_error(cl, &e);
	else
		fprintf(cl->out, "%s\n", s);
	free(s);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_uri)
{
	(void)a;
	return print_conn(cl, cistern_uri);
}

CLI_HANDLER(cmd_hostname)
{
	(void)a;
	return print_conn(cl, cistern_hostname);
}
