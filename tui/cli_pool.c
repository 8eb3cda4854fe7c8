/* cistern — command-line verbs for pools. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/build.h"
#include "../core/edit.h"
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

/* Define a pool from its XML: persistent, or transient (pool-create). */
static int
define_from(struct cli *cl, const char *data, size_t len, const char *origin,
	    bool transient, struct pool **out)
{
	struct err e;
	struct pool_def *d;
	int rc = 0;

	err_init(&e);
	d = pool_def_parse(data, len, origin, &e);
	if (d == NULL || (transient ?
			  pool_define_transient(cl->c, d, out, &e) :
			  pool_define(cl->c, d, out, &e)) < 0)
		rc = cli_error(cl, &e);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_define)
{
	const char *file = cli_get(a, "file");
	struct pool *p = NULL;
	size_t len;
	char *data = cli_read_input(cl, file, &len);
	int rc;

	if (data == NULL)
		return 1;
	rc = define_from(cl, data, len, strcmp(file, "-") ? file : "<stdin>",
			 false, &p);
	free(data);
	if (rc == 0)
		cli_extra(cl, "Pool %s defined from %s\n", p->def->name, file);
	return rc;
}

/* pool-define-as's options and where they go in a struct pool_args
 * (--source-dev, which repeats, aside). */
static const struct {
	const char *opt;
	size_t off;
} pool_opts[] = {
#define PO(o, f) { o, offsetof(struct pool_args, f) }
	PO("source-host", source_host),
	PO("source-port", source_port),
	PO("source-path", source_path),
	PO("source-name", source_name),
	PO("source-initiator", source_initiator),
	PO("auth-type", auth_type),
	PO("auth-username", auth_username),
	PO("secret-usage", secret_usage),
	PO("secret-uuid", secret_uuid),
	PO("source-protocol-ver", source_protocol_ver),
	PO("source-format", source_format),
	PO("target", target),
	PO("target-mode", target_mode),
	PO("target-owner", target_owner),
	PO("target-group", target_group),
#undef PO
};

/* The field of `a` an option fills. */
static const char **
pool_opt_field(struct pool_args *a, size_t i)
{
	return (const char **)(void *)((char *)a + pool_opts[i].off);
}

/* The command line that makes `a` (argv[0] is the verb; the source's
 * where before its what: host, port, path, name, devices, ...). */
char **
cli_pool_args_argv(const struct pool_args *a, bool print_xml)
{
	struct pool_args c = *a;
	char **v = NULL;
	size_t n = 0;

	strv_push(&v, &n, "pool-define-as");
	strv_push(&v, &n, a->name ? a->name : "");
	strv_push(&v, &n, a->type ? a->type : "");
	for (size_t i = 0; i < ARRAY_SIZE(pool_opts); i++) {
		const char *val = *pool_opt_field(&c, i);
		char opt[32];
		if (strcmp(pool_opts[i].opt, "source-initiator") == 0)
			for (size_t k = 0; k < a->nsource_devs; k++)
				if (*a->source_devs[k] != '\0') {
					strv_push(&v, &n, "--source-dev");
					strv_push(&v, &n, a->source_devs[k]);
				}
		if (val == NULL || *val == '\0')
			continue;
		snprintf(opt, sizeof(opt), "--%s", pool_opts[i].opt);
		strv_push(&v, &n, opt);
		strv_push(&v, &n, val);
	}
	if (print_xml)
		strv_push(&v, &n, "--print-xml");
	return v;
}

static int
define_as(struct cli *cl, const struct cli_args *a, bool transient,
	  struct pool **out)
{
	struct pool_args pa = { .type = cli_get(a, "type"),
				.name = cli_get(a, "name") };
	const char *devs[64];
	struct pool_def *d;
	struct err e;
	char *xml = NULL;
	int rc = 0;

	for (size_t i = 0; i < ARRAY_SIZE(pool_opts); i++)
		*pool_opt_field(&pa, i) = cli_get(a, pool_opts[i].opt);
	pa.nsource_devs = cli_get_all(a, "source-dev", devs, 64);
	pa.source_devs = devs;
	err_init(&e);
	d = pool_args_def(&pa, "pool-define-as", &xml, &e);
	if (d == NULL) {
		rc = cli_error(cl, &e);
	} else if (cli_flag(a, "print-xml")) {
		/* validated before printing, so a script learns of bad input */
		fputs(xml, cl->out);
		pool_def_free(d);
		rc = -1;    /* printed, nothing defined */
	} else if ((transient ? pool_define_transient(cl->c, d, out, &e) :
		    pool_define(cl->c, d, out, &e)) < 0) {
		rc = cli_error(cl, &e);
	}
	free(xml);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_define_as)
{
	struct pool *p = NULL;
	int rc = define_as(cl, a, false, &p);

	if (rc < 0)
		return 0;
	if (rc == 0)
		cli_extra(cl, "Pool %s defined\n", p->def->name);
	return rc;
}

CLI_HANDLER(cmd_pool_create)
{
	const char *file = cli_get(a, "file");
	struct pool *p = NULL;
	size_t len;
	char *data = cli_read_input(cl, file, &len);
	int rc;

	if (data == NULL)
		return 1;
	/* as libvirt: a transient pool, gone once stopped */
	rc = define_from(cl, data, len, strcmp(file, "-") ? file : "<stdin>",
			 true, &p);
	free(data);
	if (rc == 0 && !pool_is_active(p) &&
	    (rc = cli_start_pool(cl, p, cli_build_flags(a))) != 0)
		pool_drop_transient(cl->c, p);
	if (rc == 0)
		cli_extra(cl, "Pool %s created from %s\n", p->def->name, file);
	return rc;
}

CLI_HANDLER(cmd_pool_create_as)
{
	struct pool *p = NULL;
	int rc = define_as(cl, a, true, &p);

	if (rc < 0)
		return 0;
	if (rc == 0 && !pool_is_active(p) &&
	    (rc = cli_start_pool(cl, p, cli_build_flags(a))) != 0)
		pool_drop_transient(cl->c, p);
	if (rc == 0)
		cli_extra(cl, "Pool %s created\n", p->def->name);
	return rc;
}

CLI_HANDLER(cmd_pool_undefine)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct err e;
	char *name;
	int rc = 0;

	if (p == NULL)
		return 1;
	name = xstrdup(p->def->name);
	err_init(&e);
	if (pool_undefine(cl->c, p, &e) < 0)
		rc = cli_error(cl, &e);
	else
		cli_extra(cl, "Pool %s has been undefined\n", name);
	err_clear(&e);
	free(name);
	return rc;
}

static bool
type_selected(const struct cli_args *a, enum pool_type t)
{
	const char *types[32];
	size_t n = cli_get_all(a, "type", types, 32);

	if (n == 0)
		return true;
	for (size_t i = 0; i < n; i++) {
		char *copy = xstrdup(types[i]), *save = NULL;
		bool hit = false;
		for (char *w = strtok_r(copy, ",", &save); w && !hit;
		     w = strtok_r(NULL, ",", &save))
			hit = strcmp(w, pool_type_name(t)) == 0;
		free(copy);
		if (hit)
			return true;
	}
	return false;
}

CLI_HANDLER(cmd_pool_list)
{
	bool all = cli_flag(a, "all"), inactive = cli_flag(a, "inactive");
	bool details = cli_flag(a, "details");
	const char *types[32];
	size_t ntypes = cli_get_all(a, "type", types, 32);
	struct pool **sel = xcalloc(cl->c->npools + 1, sizeof(*sel));
	size_t n = 0;

	for (size_t i = 0; i < ntypes; i++) {
		char *copy = xstrdup(types[i]), *save = NULL;
		for (char *w = strtok_r(copy, ",", &save); w;
		     w = strtok_r(NULL, ",", &save))
			if (pool_type_from_name(w) < 0) {
				cli_fail(cl, "pool-list: unknown pool type '%s'",
					 w);
				free(copy);
				free(sel);
				return 1;
			}
		free(copy);
	}
	for (size_t i = 0; i < cl->c->npools; i++) {
		struct pool *p = cl->c->pools[i];
		bool active = pool_is_active(p);
		if (!all && (inactive ? active : !active))
			continue;
		if (!type_selected(a, p->def->type))
			continue;
		if (cli_flag(a, "autostart") && !p->autostart)
			continue;
		if (cli_flag(a, "no-autostart") && p->autostart)
			continue;
		if (cli_flag(a, "transient") && pool_is_persistent(p))
			continue;
		if (cli_flag(a, "persistent") && !pool_is_persistent(p))
			continue;
		sel[n++] = p;
	}

	if (cli_flag(a, "json")) {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i < n; i++) {
			struct row r = { .pool = sel[i] };
			json_object *o = columns_json(pool_columns, &r);
			json_object_object_add(o, "active",
					       json_object_new_boolean(
						       pool_is_active(sel[i])));
			if (sel[i]->error)
				json_object_object_add(o, "error",
						       json_object_new_string(
							       sel[i]->error));
			json_object_array_add(arr, o);
		}
		json_print(cl->out, arr);
		json_object_put(arr);
	} else if (cli_flag(a, "name") || cli_flag(a, "uuid")) {
		for (size_t i = 0; i < n; i++) {
			char u[37];
			uuid_format(sel[i]->def->uuid, u);
			if (cli_flag(a, "uuid") && cli_flag(a, "name"))
				fprintf(cl->out, "%s  %s\n", u, sel[i]->def->name);
			else
				fprintf(cl->out, "%s\n", cli_flag(a, "uuid") ?
					u : sel[i]->def->name);
		}
	} else {
		static const char *const ids_short[] = {
			"name", "state", "autostart", NULL,
		};
		static const char *const ids_details[] = {
			"name", "state", "autostart", "persistent", "capacity",
			"allocation", "available", NULL,
		};
		const char *const *ids = details ? ids_details : ids_short;
		const char *hdr[8], *cells[8];
		size_t nc = 0;
		struct table t;

		while (ids[nc] != NULL) {
			hdr[nc] = column_find(pool_columns, ids[nc])->title;
			nc++;
		}
		table_init(&t, nc, hdr);
		for (size_t i = 0; i < n; i++) {
			struct row r = { .pool = sel[i] };
			struct cell cs[8];
			for (size_t k = 0; k < nc; k++) {
				column_cell(column_find(pool_columns, ids[k]),
					    &r, &cs[k], false);
				cells[k] = cs[k].text;
			}
			if (!details)
				cells[1] = pool_state_short(sel[i]);
			table_add(&t, cells);
		}
		t.no_header = cl->quiet;
		table_print(cl->out, &t);
		table_free(&t);
	}
	free(sel);
	return 0;
}

CLI_HANDLER(cmd_pool_info)
{
	struct pool *p = cli_pool_arg(cl, a);
	bool bytes = cli_flag(a, "bytes");
	struct row r;
	char u[37];

	if (p == NULL)
		return 1;
	r = (struct row){ .pool = p };
	if (cli_flag(a, "json")) {
		json_object *o = columns_json(pool_columns, &r);
		json_object_object_add(o, "active",
				       json_object_new_boolean(pool_is_active(p)));
		json_object_object_add(o, "error", p->error ?
				       json_object_new_string(p->error) : NULL);
		json_print(cl->out, o);
		json_object_put(o);
		return 0;
	}
	uuid_format(p->def->uuid, u);
	fprintf(cl->out, "%-15s %s\n", "Name:", p->def->name);
	fprintf(cl->out, "%-15s %s\n", "UUID:", u);
	fprintf(cl->out, "%-15s %s\n", "State:", pool_state_name(p->state));
	fprintf(cl->out, "%-15s %s\n", "Persistent:",
		pool_is_persistent(p) ? "yes" : "no");
	fprintf(cl->out, "%-15s %s\n", "Autostart:", p->autostart ? "yes" : "no");
	if (p->state == POOL_RUNNING || p->state == POOL_DEGRADED) {
		static const char *const ids[] = {
			"capacity", "allocation", "available",
		};
		for (size_t i = 0; i < 3; i++) {
			const struct column *col = column_find(pool_columns, ids[i]);
			struct cell c;
			char label[32];
			column_cell(col, &r, &c, bytes);
			snprintf(label, sizeof(label), "%s:", col->title);
			fprintf(cl->out, "%-15s %s\n", label, c.text);
		}
	}
	/* virsh's lines only (scripts count them); the type and the last
	 * error are in --json */
	return 0;
}

CLI_HANDLER(cmd_pool_dumpxml)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct err e;
	char *xml;
	int rc;

	if (p == NULL)
		return 1;
	if (!cli_flag(a, "inactive") && pool_can(p, POOL_OP_MAP) &&
	    (p->state == POOL_RUNNING || p->state == POOL_DEGRADED)) {
		err_init(&e);
		if (pool_ensure_refreshed(cl->c, p, &e) < 0)
			cli_warn(cl, "%s", e.msg);
		err_clear(&e);
	}
	err_init(&e);
	xml = pool_dumpxml(cl->c, p, cli_flag(a, "inactive") ?
			   POOL_XML_INACTIVE : 0, &e);
	if (xml == NULL) {
		cli_error(cl, &e);
		err_clear(&e);
		return 1;
	}
	rc = cli_print_xml(cl, a, xml);
	free(xml);
	return rc;
}

CLI_HANDLER(cmd_pool_name)
{
	struct pool *p = cli_pool_arg(cl, a);

	if (p == NULL)
		return 1;
	fprintf(cl->out, "%s\n", p->def->name);
	return 0;
}

CLI_HANDLER(cmd_pool_uuid)
{
	struct pool *p = cli_pool_arg(cl, a);
	char u[37];

	if (p == NULL)
		return 1;
	uuid_format(p->def->uuid, u);
	fprintf(cl->out, "%s\n", u);
	return 0;
}

CLI_HANDLER(cmd_pool_autostart)
{
	struct pool *p = cli_pool_arg(cl, a);
	bool on = !cli_flag(a, "disable");
	struct err e;
	int rc = 0;

	if (p == NULL)
		return 1;
	err_init(&e);
	if (pool_set_autostart(cl->c, p, on, &e) < 0)
		rc = cli_error(cl, &e);
	else
		fprintf(cl->out, on ? "Pool %s marked as autostarted\n" :
			"Pool %s unmarked as autostarted\n", p->def->name);
	err_clear(&e);
	return rc;
}

/* Run $VISUAL/$EDITOR (split on blanks, no shell) on a file; the
 * full-screen interface uses it too. */
int
cli_editor(const char *file, struct err *e)
{
	const char *ed = getenv("VISUAL");
	char *copy, *save = NULL;
	const char *argv[16];
	size_t n = 0;
	struct run_opts o = { .interactive = true, .keep_locale = true };
	int rc;

	if (ed == NULL || *ed == '\0')
		ed = getenv("EDITOR");
	if (ed == NULL || *ed == '\0')
		ed = "vi";
	copy = xstrdup(ed);
	for (char *w = strtok_r(copy, " \t", &save); w && n < 14;
	     w = strtok_r(NULL, " \t", &save))
		argv[n++] = w;
	argv[n++] = file;
	argv[n] = NULL;
	rc = run_argv(argv, &o, NULL, e);
	free(copy);
	return rc;
}

static int
run_editor(struct cli *cl, const char *file)
{
	struct err e;
	int rc = 0;

	err_init(&e);
	if (cli_editor(file, &e) < 0)
		rc = cli_error(cl, &e);
	err_clear(&e);
	return rc;
}

CLI_HANDLER(cmd_pool_edit)
{
	struct pool *p = cli_pool_arg(cl, a);
	struct pool_edit ed;
	struct err e;
	int rc = 1;

	if (p == NULL)
		return 1;
	if (cl->c->read_only)
		return cli_fail(cl, "cistern is in read-only mode");
	err_init(&e);
	if (pool_edit_begin(p, &ed, &e) < 0) {
		rc = cli_error(cl, &e);
		err_clear(&e);
		return rc;
	}
	for (;;) {
		if (run_editor(cl, ed.file) != 0)
			break;
		switch (pool_edit_apply(cl->c, &ed, NULL, &e)) {
		case POOL_EDIT_UNCHANGED:
			cli_extra(cl, "Pool %s XML configuration not changed.\n",
				  ed.pool);
			rc = 0;
			break;
		case POOL_EDIT_DEFINED:
			cli_extra(cl, "Pool %s XML configuration edited.\n",
				  ed.pool);
			rc = 0;
			break;
		case POOL_EDIT_REFUSED:
			cli_error(cl, &e);
			err_clear(&e);
			if (cli_confirm(cl, "Failed. Edit again?"))
				continue;
			break;
		}
		break;
	}
	err_clear(&e);
	pool_edit_end(&ed);
	return rc;
}

CLI_HANDLER(cmd_pool_capabilities)
{
	(void)a;
	fputs("<storagepoolCapabilities>\n", cl->out);
	for (int t = 0; t < POOL_TYPE_COUNT; t++) {
		const char *const *pf = model_pool_formats((enum pool_type)t);
		const char *const *vf = model_vol_formats((enum pool_type)t);
		const struct backend *b = backend_get((enum pool_type)t);
		bool have = b != NULL && b->refresh != NULL;

		fprintf(cl->out, "  <pool type='%s' supported='%s'",
			pool_type_name((enum pool_type)t), have ? "yes" : "no");
		if (!have || (pf == NULL && vf == NULL)) {
			fputs("/>\n", cl->out);
			continue;
		}
		fputs(">\n", cl->out);
		if (pf != NULL) {
			fprintf(cl->out, "    <poolOptions>\n"
				"      <defaultFormat type='%s'/>\n"
				"      <enum name='sourceFormatType'>\n",
				model_pool_default_format((enum pool_type)t));
			for (size_t i = 0; pf[i]; i++)
				fprintf(cl->out, "        <value>%s</value>\n",
					pf[i]);
			fputs("      </enum>\n    </poolOptions>\n", cl->out);
		}
		if (vf != NULL) {
			fprintf(cl->out, "    <volOptions>\n"
				"      <defaultFormat type='%s'/>\n"
				"      <enum name='targetFormatType'>\n",
				model_vol_default_format((enum pool_type)t));
			for (size_t i = 0; vf[i]; i++)
				fprintf(cl->out, "        <value>%s</value>\n",
					vf[i]);
			fputs("      </enum>\n    </volOptions>\n", cl->out);
		}
		fputs("  </pool>\n", cl->out);
	}
	fputs("</storagepoolCapabilities>\n", cl->out);
	return 0;
}

