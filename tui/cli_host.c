/* cistern — command-line verbs for the hosts file (core/hosts.h):
 * host-list, host-add, host-edit, host-remove. They never connect: they
 * change only CONFIG/hosts, under the store's lock, each change checked
 * before anything is written. */
#include <stdlib.h>
#include <string.h>

#include "../core/hosts.h"
#include "../core/run.h"
#include "cli.h"
#include "columns.h"
#include "table.h"

/* The store whose config dir holds the hosts file, and whether this
 * session may write it. */
static struct store *
host_store(struct cli *cl, bool *read_only)
{
	if (cl->c != NULL) {
		*read_only = cl->c->read_only || cl->read_only;
		return &cl->c->store;
	}
	*read_only = cl->read_only;
	return cl->config;
}

CLI_HANDLER(cmd_host_list)
{
	bool ro;
	struct store *s = host_store(cl, &ro);
	struct host_entry local = { .name = HOST_LOCAL, .autoconnect = true };
	struct hosts h;
	struct err e;

	err_init(&e);
	if (s == NULL || hosts_load(s->config_dir, &h, &e) < 0) {
		if (s == NULL)
			err_set(&e, "host-list: no config store");
		cli_error(cl, &e);
		err_clear(&e);
		if (s != NULL)
			hosts_free(&h);
		return 1;
	}
	if (cli_flag(a, "json")) {
		json_object *arr = json_object_new_array();
		for (size_t i = 0; i <= h.n; i++) {
			struct row r = { .host = i == 0 ? &local : &h.v[i - 1] };
			json_object_array_add(arr, columns_json(host_columns,
								&r));
		}
		json_print(cl->out, arr);
		json_object_put(arr);
	} else {
		const char *hdr[3], *cells[3];
		struct table t;

		for (size_t k = 0; k < 3; k++)
			hdr[k] = host_columns[k].title;
		table_init(&t, 3, hdr);
		for (size_t i = 0; i <= h.n; i++) {
			struct row r = { .host = i == 0 ? &local : &h.v[i - 1] };
			struct cell cs[3];
			for (size_t k = 0; k < 3; k++) {
				column_cell(&host_columns[k], &r, &cs[k], false);
				cells[k] = cs[k].text;
			}
			table_add(&t, cells);
		}
		t.no_header = cl->quiet;
		table_print(cl->out, &t);
		table_free(&t);
	}
	hosts_free(&h);
	return 0;
}

/* The three changing verbs: one hosts_edit with `fn`. */
static int
host_change(struct cli *cl, const struct cli_args *a, hosts_edit_fn fn,
	    const char *done)
{
	bool ro;
	struct store *s = host_store(cl, &ro);
	struct err e;
	int rc = 1;

	err_init(&e);
	if (s == NULL)
		err_set(&e, "no config store");
	else if (hosts_edit(s, ro, fn, (void *)a, NULL, &e) == 0)
		rc = 0;
	if (rc != 0)
		cli_error(cl, &e);
	else if (run_dry_run())
		cli_extra(cl, "Host %s not %s (dry run)\n",
			  cli_get(a, "host") ? cli_get(a, "host") :
			  cli_get(a, "name"), done);
	else
		cli_extra(cl, "Host %s %s\n", cli_get(a, "host") ?
			  cli_get(a, "host") : cli_get(a, "name"), done);
	err_clear(&e);
	return rc;
}

static int
add_fn(struct hosts *h, void *arg, struct err *e)
{
	const struct cli_args *a = arg;

	return hosts_add(h, cli_get(a, "name"), cli_get(a, "uri"),
			 !cli_flag(a, "no-autoconnect"), e);
}

static int
edit_fn(struct hosts *h, void *arg, struct err *e)
{
	const struct cli_args *a = arg;
	struct host_change ch = {
		.name = cli_get(a, "name"),
		.uri = cli_get(a, "uri"),
		.autoconnect = cli_flag(a, "autoconnect") ? 1 :
			       cli_flag(a, "no-autoconnect") ? 0 : -1,
	};

	return hosts_set(h, cli_get(a, "host"), &ch, e);
}

static int
remove_fn(struct hosts *h, void *arg, struct err *e)
{
	const struct cli_args *a = arg;

	return hosts_remove(h, cli_get(a, "host"), e);
}

CLI_HANDLER(cmd_host_add)
{
	return host_change(cl, a, add_fn, "added");
}

CLI_HANDLER(cmd_host_edit)
{
	if (cli_flag(a, "autoconnect") && cli_flag(a, "no-autoconnect"))
		return cli_fail(cl, "host-edit: --autoconnect or "
				"--no-autoconnect, not both");
	if (cli_get(a, "name") == NULL && cli_get(a, "uri") == NULL &&
	    !cli_flag(a, "autoconnect") && !cli_flag(a, "no-autoconnect"))
		return cli_fail(cl, "host-edit: nothing to change (--name, "
				"--uri, --autoconnect, --no-autoconnect)");
	return host_change(cl, a, edit_fn, "changed");
}

CLI_HANDLER(cmd_host_remove)
{
	return host_change(cl, a, remove_fn, "removed");
}
