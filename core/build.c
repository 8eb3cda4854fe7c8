/* cistern — definitions built from plain values (see build.h). */
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "build.h"
#include "pool.h"
#include "util.h"
#include "xml.h"
#include "xmlutil.h"

/* A value, or NULL when absent or empty ("" skips an argument). */
static const char *
given(const char *s)
{
	return s != NULL && *s != '\0' ? s : NULL;
}

/* `pre` VALUE `post`, the value escaped. */
static void
put(struct sbuf *b, const char *pre, const char *value, const char *post)
{
	sbuf_add(b, pre);
	xml_escape(b, value);
	sbuf_add(b, post);
}

/* The <source> element of buildPoolXML, when anything goes in it. */
static void
pool_args_source(struct sbuf *b, const struct pool_args *a)
{
	const char *host = given(a->source_host);
	const char *port = given(a->source_port);
	const char *sec_usage = given(a->secret_usage);
	size_t ndev = 0;

	for (size_t i = 0; i < a->nsource_devs; i++)
		ndev += given(a->source_devs[i]) != NULL;
	if (!host && !given(a->source_path) && ndev == 0 &&
	    !given(a->source_initiator) && !given(a->source_format) &&
	    !given(a->source_name) && !given(a->auth_type) &&
	    !given(a->source_protocol_ver))
		return;
	sbuf_add(b, "  <source>\n");
	if (host) {
		put(b, "    <host name='", host, "'");
		if (port)
			put(b, " port='", port, "'");
		sbuf_add(b, "/>\n");
	}
	if (given(a->source_path))
		put(b, "    <dir path='", a->source_path, "'/>\n");
	for (size_t i = 0; i < a->nsource_devs; i++)
		if (given(a->source_devs[i]))
			put(b, "    <device path='", a->source_devs[i], "'/>\n");
	if (given(a->source_format))
		put(b, "    <format type='", a->source_format, "'/>\n");
	if (given(a->source_name))
		put(b, "    <name>", a->source_name, "</name>\n");
	if (given(a->source_initiator))
		put(b, "    <initiator>\n      <iqn name='",
		    a->source_initiator, "'/>\n    </initiator>\n");
	if (given(a->auth_type)) {
		put(b, "    <auth type='", a->auth_type, "'");
		put(b, " username='", a->auth_username, "'>\n");
		if (sec_usage)
			put(b, "      <secret usage='", sec_usage, "'/>\n");
		else
			put(b, "      <secret uuid='", a->secret_uuid, "'/>\n");
		sbuf_add(b, "    </auth>\n");
	}
	if (given(a->source_protocol_ver))
		put(b, "    <protocol ver='", a->source_protocol_ver, "'/>\n");
	sbuf_add(b, "  </source>\n");
}

/* virsh's buildPoolXML. */
char *
pool_args_xml(const struct pool_args *a, struct err *e)
{
	const char *auth_type = given(a->auth_type);
	const char *auth_user = given(a->auth_username);
	const char *sec_usage = given(a->secret_usage);
	const char *sec_uuid = given(a->secret_uuid);
	const char *mode = given(a->target_mode);
	const char *owner = given(a->target_owner);
	const char *group = given(a->target_group);
	struct sbuf b;

	if ((auth_type || auth_user || sec_usage || sec_uuid) &&
	    !(auth_type && auth_user && (sec_usage || sec_uuid))) {
		err_setc(e, ERR_INVALID, "--auth-type, --auth-username and "
			 "--secret-usage or --secret-uuid go together");
		return NULL;
	}
	if (sec_usage && sec_uuid) {
		err_setc(e, ERR_INVALID, "give --secret-usage or "
			 "--secret-uuid, not both");
		return NULL;
	}
	if ((mode || owner || group) && !given(a->target)) {
		err_setc(e, ERR_INVALID, "--target-mode, --target-owner and "
			 "--target-group need --target");
		return NULL;
	}
	sbuf_init(&b);
	put(&b, "<pool type='", a->type ? a->type : "", "'>\n");
	put(&b, "  <name>", a->name ? a->name : "", "</name>\n");
	pool_args_source(&b, a);
	if (given(a->target)) {
		put(&b, "  <target>\n    <path>", a->target, "</path>\n");
		if (mode || owner || group) {
			sbuf_add(&b, "    <permissions>\n");
			if (mode)
				put(&b, "      <mode>", mode, "</mode>\n");
			if (owner)
				put(&b, "      <owner>", owner, "</owner>\n");
			if (group)
				put(&b, "      <group>", group, "</group>\n");
			sbuf_add(&b, "    </permissions>\n");
		}
		sbuf_add(&b, "  </target>\n");
	}
	sbuf_add(&b, "</pool>\n");
	return sbuf_take(&b);
}

struct pool_def *
pool_args_def(const struct pool_args *a, const char *origin, char **xml_out,
	      struct err *e)
{
	struct pool_def *d;
	char *xml;

	/* the name first: its own error, not the XML's */
	if (model_check_name("pool", a->name ? a->name : "", e) < 0) {
		err_prefix(e, "%s", origin);
		return NULL;
	}
	xml = pool_args_xml(a, e);
	if (xml == NULL) {
		err_prefix(e, "%s", origin);
		return NULL;
	}
	d = pool_def_parse(xml, strlen(xml), origin, e);
	if (d != NULL && xml_out != NULL)
		*xml_out = xml;
	else
		free(xml);
	return d;
}

void
vol_args_init(struct vol_args *a)
{
	memset(a, 0, sizeof(*a));
	a->mode = a->uid = a->gid = -1;
}

/* virsh's vol-create-as XML (virshVolCreateAs). */
char *
vol_args_xml(const struct vol_args *a)
{
	struct sbuf b;
	bool perms = a->mode >= 0 || a->uid >= 0 || a->gid >= 0;

	sbuf_init(&b);
	put(&b, "<volume>\n  <name>", a->name ? a->name : "", "</name>\n");
	if (a->has_start && a->device != NULL) {
		/* where the new partition goes (see vol_def.want_start) */
		put(&b, "  <source>\n    <device path='", a->device, "'>\n");
		sbuf_printf(&b, "      <extent start='%llu' end='%llu'/>\n"
			    "    </device>\n  </source>\n",
			    (unsigned long long)a->start,
			    (unsigned long long)(a->start + a->capacity));
	}
	sbuf_printf(&b, "  <capacity>%llu</capacity>\n",
		    (unsigned long long)a->capacity);
	if (a->has_allocation)
		sbuf_printf(&b, "  <allocation>%llu</allocation>\n",
			    (unsigned long long)a->allocation);
	if (given(a->format) || perms) {
		sbuf_add(&b, "  <target>\n");
		if (given(a->format))
			put(&b, "    <format type='", a->format, "'/>\n");
		if (perms) {
			struct perms pm = { a->mode, a->uid, a->gid, NULL };
			b.indent = 4;
			xml_perms_format(&b, &pm);
			b.indent = 0;
		}
		sbuf_add(&b, "  </target>\n");
	}
	if (given(a->backing_path)) {
		put(&b, "  <backingStore>\n    <path>", a->backing_path,
		    "</path>\n");
		if (given(a->backing_format))
			put(&b, "    <format type='", a->backing_format,
			    "'/>\n");
		sbuf_add(&b, "  </backingStore>\n");
	}
	sbuf_add(&b, "</volume>\n");
	return sbuf_take(&b);
}

struct vol_def *
vol_args_def(const struct vol_args *a, enum pool_type t, const char *origin,
	     char **xml_out, struct err *e)
{
	char *xml = vol_args_xml(a);
	struct vol_def *v = vol_def_parse(xml, strlen(xml), origin, t, 0, e);

	if (v != NULL && xml_out != NULL)
		*xml_out = xml;
	else
		free(xml);
	return v;
}

struct vol_def *
vol_def_clone(const struct vol_def *src, const char *name, unsigned flags)
{
	struct vol_def *nv = vol_def_dup(src);

	free(nv->name);
	nv->name = xstrdup(name);
	free(nv->key);
	nv->key = NULL;
	free(nv->target.path);
	nv->target.path = NULL;
	for (size_t i = 0; i < nv->nextents; i++)
		free(nv->extents[i].device);
	free(nv->extents);
	nv->extents = NULL;
	nv->nextents = 0;
	nv->part_num = 0;
	if (!(flags & VOL_CREATE_KEEP_BACKING) && nv->backing != NULL) {
		vol_target_clear(nv->backing);
		free(nv->backing);
		nv->backing = NULL;
	}
	return nv;
}

char *
default_pool_dir(void)
{
	const char *x = getenv("XDG_DATA_HOME");
	const char *home = getenv("HOME");

	if (geteuid() == 0)
		return xstrdup("/var/lib/cistern/images");
	if (x && *x == '/')
		return xasprintf("%s/cistern/images", x);
	return xasprintf("%s/.local/share/cistern/images", home ? home : "/tmp");
}

int
pool_create_default(struct cistern *c, const char *dir, struct err *e)
{
	struct pool_args a = { .type = "dir", .name = "default",
			       .target = dir };
	struct pool_def *d = pool_args_def(&a, "default pool", NULL, e);
	struct pool *p = NULL;

	if (d == NULL || pool_define(c, d, &p, e) < 0 ||
	    pool_start(c, p, POOL_START_BUILD, NULL, e) < 0 ||
	    pool_set_autostart(c, p, true, e) < 0)
		return -1;
	return 0;
}
