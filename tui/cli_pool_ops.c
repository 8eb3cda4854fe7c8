/* cistern — command-line verbs for pool life cycles, discovery, import
 * and device maps. */
#include <errno.h>
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
	if (pool_refresh(cl->c, p, NULL, &e) < 0)
		rc = cli_error(cl, &e);
	else
		cli_extra(cl, "Pool %s refreshed\n", p->def->name);
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
	const char *spec = cli_get(a, "srcspec");
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

CLI_HANDLER(cmd_import_libvirt)
{
	const char *dir = cli_get(a, "dir");
	char *autodir;
	struct store src;
	struct pool_def **defs;
	size_t n, imported = 0, skipped = 0;
	struct err e;

	if (dir == NULL)
		dir = "/etc/libvirt/storage";
	err_init(&e);
	/* read libvirt's directory as a store (no run dir is touched) */
	memset(&src, 0, sizeof(src));
	src.config_dir = xstrdup(dir);
	src.lock_fd = -1;
	if (store_load(&src, &defs, &n, (store_warn_fn)NULL, NULL, &e) < 0) {
		free(src.config_dir);
		int rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	autodir = path_join(dir, "autostart");
	for (size_t i = 0; i < n; i++) {
		char *name = xstrdup(defs[i]->name);
		char *file = xasprintf("%s/%s.xml", autodir, name);
		bool autostart = access(file, F_OK) == 0;
		struct pool *p = NULL;

		free(file);
		if (cistern_find_pool(cl->c, name) != NULL) {
			cli_warn(cl, "pool '%s' is already defined; skipped", name);
			pool_def_free(defs[i]);
			skipped++;
		} else if (pool_define(cl->c, defs[i], &p, &e) < 0) {
			cli_warn(cl, "%s; skipped", e.msg);
			err_clear(&e);
			skipped++;
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
	free(defs);
	free(autodir);
	free(src.config_dir);
	fprintf(cl->out, "%zu pools imported, %zu skipped\n", imported, skipped);
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
