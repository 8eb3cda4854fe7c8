/* cistern — columns of pools and volumes, declared once. */
#include "columns.h"

#include <stdio.h>
#include <string.h>

#include "../core/hosts.h"
#include "../core/units.h"
#include "../core/util.h"

static void
set_text(struct cell *c, const char *s)
{
	c->text = s ? s : "";
	c->has_num = false;
}

static void
set_size(struct cell *c, uint64_t v, bool bytes)
{
	c->num = v;
	c->has_num = true;
	if (bytes)
		snprintf(c->buf, sizeof(c->buf), "%llu", (unsigned long long)v);
	else
		size_pretty(v, c->buf, sizeof(c->buf));
	c->text = c->buf;
}

int
pool_usage_percent(const struct pool *p)
{
	if (p->def->capacity == 0 ||
	    (p->state != POOL_RUNNING && p->state != POOL_DEGRADED))
		return -1;
	return (int)((p->def->allocation * 100 + p->def->capacity / 2) /
		     p->def->capacity);
}

const char *
pool_state_short(const struct pool *p)
{
	/* one truth with pool-info: a running pool whose storage is gone
	 * is not "active" */
	if (p->state == POOL_INACCESSIBLE)
		return "inaccessible";
	return pool_is_active(p) ? "active" : "inactive";
}

static void
pc_name(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->pool->def->name);
}

static void
pc_uuid(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	uuid_format(r->pool->def->uuid, c->buf);
	c->text = c->buf;
	c->has_num = false;
}

static void
pc_type(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, pool_type_name(r->pool->def->type));
}

static void
pc_state(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, pool_state_name(r->pool->state));
}

static void
pc_autostart(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->pool->autostart ? "yes" : "no");
	c->num = r->pool->autostart;
	c->has_num = true;
}

static void
pc_persistent(const struct row *r, struct cell *c, bool b)
{
	bool yes = pool_is_persistent(r->pool);

	(void)b;
	set_text(c, yes ? "yes" : "no");
	c->num = yes;
	c->has_num = true;
}

static bool
pool_has_sizes(const struct pool *p)
{
	return p->state == POOL_RUNNING || p->state == POOL_DEGRADED;
}

static void
pc_capacity(const struct row *r, struct cell *c, bool b)
{
	if (!pool_has_sizes(r->pool)) {
		set_text(c, "-");
		return;
	}
	set_size(c, r->pool->def->capacity, b);
}

static void
pc_allocation(const struct row *r, struct cell *c, bool b)
{
	if (!pool_has_sizes(r->pool)) {
		set_text(c, "-");
		return;
	}
	set_size(c, r->pool->def->allocation, b);
}

static void
pc_available(const struct row *r, struct cell *c, bool b)
{
	if (!pool_has_sizes(r->pool)) {
		set_text(c, "-");
		return;
	}
	set_size(c, r->pool->def->available, b);
}

static void
pc_usage(const struct row *r, struct cell *c, bool b)
{
	int pct = pool_usage_percent(r->pool);

	(void)b;
	if (pct < 0) {
		set_text(c, "-");
		return;
	}
	snprintf(c->buf, sizeof(c->buf), "%d%%", pct);
	c->text = c->buf;
	c->num = (uint64_t)pct;
	c->has_num = true;
}

static void
pc_target(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->pool->def->target_path ? r->pool->def->target_path : "-");
}

const struct column pool_columns[] = {
	{ "name", "Name", false, COL_TEXT, 8, 100, pc_name },
	{ "uuid", "UUID", false, COL_TEXT, 36, 1, pc_uuid },
	{ "type", "Type", false, COL_TEXT, 5, 90, pc_type },
	{ "state", "State", false, COL_TEXT, 8, 95, pc_state },
	{ "autostart", "Autostart", false, COL_BOOL, 9, 40, pc_autostart },
	{ "persistent", "Persistent", false, COL_BOOL, 10, 2, pc_persistent },
	{ "capacity", "Capacity", true, COL_SIZE, 10, 60, pc_capacity },
	{ "allocation", "Allocation", true, COL_SIZE, 10, 50, pc_allocation },
	{ "available", "Available", true, COL_SIZE, 10, 55, pc_available },
	{ "usage", "Usage", true, COL_PERCENT, 5, 80, pc_usage },
	{ "target", "Target", false, COL_TEXT, 10, 10, pc_target },
	{ NULL, NULL, false, COL_TEXT, 0, 0, NULL },
};

static void
vc_name(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->vol->name);
}

static void
vc_path(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->vol->target.path);
}

/* A volume read only for a list (pool_ensure_listed) has not yet what
 * the column needs (`need`: VOL_LIST_SIZES, or 0 for the whole volume):
 * the cell stays empty until the rest arrives. */
static bool
vol_unknown(const struct row *r, struct cell *c, int need)
{
	int have = r->pool != NULL ? r->pool->vols_brief : 0;

	if (have == 0 || (need != 0 && have >= need))
		return false;
	set_text(c, "");
	return true;
}

static void
vc_type(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	if (!vol_unknown(r, c, VOL_LIST_SIZES))
		set_text(c, vol_type_name(r->vol->type));
}

static void
vc_format(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	if (!vol_unknown(r, c, 0))
		set_text(c, r->vol->target.format ? r->vol->target.format :
			 "-");
}

static void
vc_capacity(const struct row *r, struct cell *c, bool b)
{
	if (!vol_unknown(r, c, VOL_LIST_SIZES))
		set_size(c, r->vol->capacity, b);
}

static void
vc_allocation(const struct row *r, struct cell *c, bool b)
{
	if (!vol_unknown(r, c, VOL_LIST_SIZES))
		set_size(c, r->vol->allocation, b);
}

static void
vc_key(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->vol->key);
}

static void
vc_backing(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->vol->backing ? r->vol->backing->path : "");
}

const struct column vol_columns[] = {
	{ "name", "Name", false, COL_TEXT, 8, 100, vc_name },
	{ "path", "Path", false, COL_TEXT, 10, 20, vc_path },
	{ "type", "Type", false, COL_TEXT, 5, 30, vc_type },
	{ "format", "Format", false, COL_TEXT, 6, 90, vc_format },
	{ "capacity", "Capacity", true, COL_SIZE, 10, 80, vc_capacity },
	{ "allocation", "Allocation", true, COL_SIZE, 10, 70, vc_allocation },
	{ "key", "Key", false, COL_TEXT, 10, 1, vc_key },
	{ "backing", "Backing", false, COL_TEXT, 10, 5, vc_backing },
	{ NULL, NULL, false, COL_TEXT, 0, 0, NULL },
};

static void
hc_name(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->host->name);
}

/* this machine's is empty (as `-c ''` is this machine) */
static void
hc_uri(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->host->uri);
}

static void
hc_autoconnect(const struct row *r, struct cell *c, bool b)
{
	(void)b;
	set_text(c, r->host->autoconnect ? "yes" : "no");
	c->num = r->host->autoconnect;
	c->has_num = true;
}

const struct column host_columns[] = {
	{ "name", "Name", false, COL_TEXT, 8, 100, hc_name },
	{ "uri", "URI", false, COL_TEXT, 10, 50, hc_uri },
	{ "autoconnect", "Autoconnect", false, COL_BOOL, 11, 40,
	  hc_autoconnect },
	{ NULL, NULL, false, COL_TEXT, 0, 0, NULL },
};

const struct column *
column_find(const struct column *cols, const char *id)
{
	for (; cols->id != NULL; cols++)
		if (strcmp(cols->id, id) == 0)
			return cols;
	return NULL;
}

void
column_cell(const struct column *col, const struct row *r, struct cell *c,
	    bool bytes)
{
	memset(c, 0, sizeof(*c));
	col->get(r, c, bytes);
}

int
column_compare(const struct column *col, const struct row *a,
	       const struct row *b)
{
	struct cell ca, cb;

	column_cell(col, a, &ca, true);
	column_cell(col, b, &cb, true);
	if (ca.has_num && cb.has_num)
		return ca.num < cb.num ? -1 : ca.num > cb.num;
	if (ca.has_num != cb.has_num)
		return ca.has_num ? 1 : -1;
	return strcmp(ca.text, cb.text);
}

json_object *
columns_json(const struct column *cols, const struct row *r)
{
	json_object *o = json_object_new_object();

	for (; cols->id != NULL; cols++) {
		struct cell c;
		json_object *v;

		column_cell(cols, r, &c, true);
		if (cols->kind == COL_BOOL)
			v = json_object_new_boolean(c.num != 0);
		else if ((cols->kind == COL_SIZE || cols->kind == COL_PERCENT) &&
			 c.has_num)
			v = json_object_new_int64((int64_t)c.num);
		else if (cols->kind == COL_SIZE || cols->kind == COL_PERCENT)
			v = NULL;   /* JSON null: unknown */
		else
			v = json_object_new_string(c.text);
		json_object_object_add(o, cols->id, v);
	}
	return o;
}
