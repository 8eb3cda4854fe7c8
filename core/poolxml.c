/* cistern — libvirt pool XML, read and written. */
#include "xml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "util.h"
#include "xmlutil.h"

/* Which <source> parts each pool type uses (libvirt's poolOptions). */
static unsigned
pool_source_flags(enum pool_type t)
{
	return pool_type_info(t)->source;
}

/* A host name as the schema takes it: a DNS name or an IP address. */
static bool
host_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '.' && *s != '-' &&
		    *s != ':')
			return false;
	return true;
}

/* iqn.YYYY-MM.naming-authority[:unique] */
static bool
iqn_ok(const char *s)
{
	if (strncmp(s, "iqn.", 4) != 0)
		return false;
	s += 4;
	for (int i = 0; i < 4; i++)
		if (!isdigit((unsigned char)*s++))
			return false;
	if (*s++ != '-')
		return false;
	if (!((s[0] == '0' && s[1] >= '1' && s[1] <= '9') ||
	      (s[0] == '1' && s[1] >= '0' && s[1] <= '2')))
		return false;
	s += 2;
	if (*s++ != '.')
		return false;
	const char *start = s;
	while (isalnum((unsigned char)*s) || *s == '.' || *s == '-')
		s++;
	if (s == start)
		return false;
	return *s == '\0' || (*s == ':' && s[1] != '\0');
}

static bool
generic_name_ok(const char *s)
{
	if (*s == '\0')
		return false;
	for (; *s != '\0'; s++)
		if (!isalnum((unsigned char)*s) && *s != '_' && *s != '+' &&
		    *s != '-')
			return false;
	return true;
}

static int
parse_hosts(xmlNodePtr src, struct pool_source *s, const char *origin,
	    struct err *e)
{
	size_t n = xml_count(src, "host");

	if (n == 0)
		return 0;
	s->hosts = xcalloc(n, sizeof(*s->hosts));
	for (xmlNodePtr h = xml_first(src, "host"); h; h = xml_next(h, "host")) {
		struct pool_host *ph = &s->hosts[s->nhosts++];
		char *port;

		ph->name = xml_attr(h, "name");
		if (ph->name == NULL)
			return err_setc(e, ERR_INVALID,
					"%s: missing storage pool host name",
					origin);
		if (!host_name_ok(ph->name))
			return err_setc(e, ERR_INVALID,
					"%s: invalid host name '%s'", origin,
					ph->name);
		port = xml_attr(h, "port");
		if (port != NULL) {
			int64_t v;
			if (str_to_i64(port, 10, &v) < 0 || v < 1 ||
			    v > 65535) {
				err_setc(e, ERR_INVALID,
					 "%s: invalid port number '%s'",
					 origin, port);
				free(port);
				return -1;
			}
			ph->port = (int)v;
			free(port);
		}
	}
	return 0;
}

static int
parse_devices(xmlNodePtr src, struct pool_def *d, const char *origin,
	      struct err *e)
{
	struct pool_source *s = &d->source;
	size_t n = xml_count(src, "device");

	if (n == 0)
		return 0;
	s->devices = xcalloc(n, sizeof(*s->devices));
	for (xmlNodePtr dv = xml_first(src, "device"); dv;
	     dv = xml_next(dv, "device")) {
		struct pool_device *pd = &s->devices[s->ndevices++];
		char *sep;

		pd->part_separator = TRI_ABSENT;
		pd->path = xml_attr(dv, "path");
		if (pd->path == NULL || *pd->path == '\0')
			return err_setc(e, ERR_INVALID,
					"%s: missing storage pool source device "
					"path", origin);
		if ((pool_type_info(d->type)->kind & POOL_TI_DEVICE_IQN) ?
		    !iqn_ok(pd->path) :
		    (pd->path[0] != '/' && !generic_name_ok(pd->path) &&
		     !iqn_ok(pd->path)))
			return err_setc(e, ERR_INVALID,
					"%s: invalid source device path '%s'",
					origin, pd->path);
		if (pd->path[0] == '/') {
			char *clean = path_sanitize(pd->path);
			free(pd->path);
			pd->path = clean;
		}
		sep = xml_attr(dv, "part_separator");
		if (sep != NULL) {
			if (strcmp(sep, "yes") == 0)
				pd->part_separator = TRI_YES;
			else if (strcmp(sep, "no") == 0)
				pd->part_separator = TRI_NO;
			else {
				err_setc(e, ERR_INVALID,
					 "%s: invalid part_separator '%s'",
					 origin, sep);
				free(sep);
				return -1;
			}
			free(sep);
		}
	}
	return 0;
}

static int
parse_auth(xmlNodePtr src, struct pool_source *s, const char *origin,
	   struct err *e)
{
	xmlNodePtr a = xml_first(src, "auth");
	struct pool_auth *au;

	if (a == NULL)
		return 0;
	au = s->auth = xcalloc(1, sizeof(*au));
	au->type = xml_attr(a, "type");
	au->username = xml_attr(a, "username");
	if (au->type == NULL)
		return err_setc(e, ERR_INVALID, "%s: missing auth type", origin);
	if (strcmp(au->type, "chap") != 0 && strcmp(au->type, "ceph") != 0)
		return err_setc(e, ERR_INVALID, "%s: unknown auth type '%s'",
				origin, au->type);
	if (au->username == NULL || *au->username == '\0')
		return err_setc(e, ERR_INVALID,
				"%s: missing username for auth", origin);
	au->secret_uuid = xml_path_attr(a, "secret", "uuid");
	au->secret_usage = xml_path_attr(a, "secret", "usage");
	if (au->secret_uuid == NULL && au->secret_usage == NULL)
		return err_setc(e, ERR_INVALID,
				"%s: auth needs a <secret> with a uuid or usage",
				origin);
	if (au->secret_uuid != NULL) {
		unsigned char u[16];
		if (model_uuid_parse(au->secret_uuid, u) < 0)
			return err_setc(e, ERR_INVALID,
					"%s: malformed secret uuid '%s'",
					origin, au->secret_uuid);
	}
	return 0;
}

static int
parse_source(xmlNodePtr root, struct pool_def *d, const char *origin,
	     struct err *e)
{
	xmlNodePtr src = xml_first(root, "source");
	struct pool_source *s = &d->source;
	unsigned fl = pool_source_flags(d->type);
	char *fmt;

	if (src != NULL) {
		if (parse_hosts(src, s, origin, e) < 0 ||
		    parse_devices(src, d, origin, e) < 0 ||
		    parse_auth(src, s, origin, e) < 0)
			return -1;
		char *dir = xml_path_attr(src, "dir", "path");
		if (dir != NULL) {
			s->dir = path_sanitize(dir);
			free(dir);
		}
		s->name = xml_text(src, "name");
		if (s->name != NULL) {
			char *t = xstrdup(str_trim(s->name));
			free(s->name);
			s->name = t;
		}
		s->initiator_iqn = xml_path_attr(src, "initiator/iqn", "name");
		s->protocol_ver = xml_path_attr(src, "protocol", "ver");
		s->vendor = xml_path_attr(src, "vendor", "name");
		s->product = xml_path_attr(src, "product", "name");
	}

	fmt = src ? xml_path_attr(src, "format", "type") : NULL;
	if (model_pool_formats(d->type) != NULL) {
		if (fmt == NULL)
			fmt = xstrdup(model_pool_default_format(d->type));
		if (!model_format_allowed(model_pool_formats(d->type), fmt)) {
			err_setc(e, ERR_INVALID,
				 "%s: unknown pool format type '%s' for a %s "
				 "pool", origin, fmt, pool_type_name(d->type));
			free(fmt);
			return -1;
		}
		s->format = fmt;
	} else {
		free(fmt);
	}

	if (s->protocol_ver != NULL) {
		if (d->type != POOL_NETFS)
			return err_setc(e, ERR_INVALID,
					"%s: <protocol ver> is only for netfs "
					"pools", origin);
		const char *p = s->protocol_ver;
		bool ok = isdigit((unsigned char)*p);
		for (; *p != '\0'; p++)
			if (!isdigit((unsigned char)*p) && *p != '.')
				ok = false;
		if (!ok)
			return err_setc(e, ERR_INVALID,
					"%s: invalid protocol version '%s'",
					origin, s->protocol_ver);
	}

	if ((fl & POOL_SRC_HOST) && s->nhosts == 0)
		return err_setc(e, ERR_INVALID,
				"%s: missing storage pool source host name",
				origin);
	if ((fl & POOL_SRC_DIR) && s->dir == NULL)
		return err_setc(e, ERR_INVALID,
				"%s: missing storage pool source path", origin);
	if ((fl & POOL_SRC_DIR) && s->dir != NULL) {
		bool relative_ok = str_eq(s->format, "cifs") ||
				   str_eq(s->format, "glusterfs");
		if (*s->dir == '\0' || (!relative_ok && s->dir[0] != '/'))
			return err_setc(e, ERR_INVALID,
					"%s: source dir '%s' must be an "
					"absolute path", origin, s->dir);
	}
	if ((fl & POOL_SRC_NAME) && s->name == NULL &&
	    (pool_type_info(d->type)->kind & POOL_TI_NEEDS_NAME))
		return err_setc(e, ERR_INVALID,
				"%s: an %s pool needs <source><name> (the Ceph "
				"pool)", origin, pool_type_name(d->type));
	if ((fl & POOL_SRC_NAME) && s->name == NULL) {
		/* source name defaults to the pool name */
		if (d->name == NULL)
			return err_setc(e, ERR_INVALID,
					"%s: missing pool source name element",
					origin);
		s->name = xstrdup(d->name);
	}
	if ((fl & POOL_SRC_NAME) && *s->name == '\0')
		return err_setc(e, ERR_INVALID, "%s: empty source name", origin);
	if ((pool_type_info(d->type)->kind & POOL_TI_NEEDS_DEVICE) &&
	    s->ndevices == 0)
		return err_setc(e, ERR_INVALID,
				"%s: missing storage pool source device path",
				origin);
	/* libvirt takes more and refuses at start; an fs pool mounts one
	 * device, so say so at define */
	if ((pool_type_info(d->type)->kind & POOL_TI_ONE_DEVICE) &&
	    s->ndevices > 1)
		return err_setc(e, ERR_INVALID,
				"%s: expected exactly 1 device for the storage "
				"pool (an fs pool mounts one; %zu given)",
				origin, s->ndevices);
	const char *auth = pool_type_info(d->type)->auth_type;
	if (s->auth != NULL && !str_eq(s->auth->type, auth))
		return err_setc(e, ERR_INVALID,
				"%s: auth type '%s' is not for %s pools (%s%s%s)",
				origin, s->auth->type, pool_type_name(d->type),
				auth ? "use '" : "they take none",
				auth ? auth : "", auth ? "'" : "");
	if ((pool_type_info(d->type)->kind & POOL_TI_NEEDS_INITIATOR) &&
	    s->initiator_iqn == NULL)
		return err_setc(e, ERR_INVALID,
				"%s: missing initiator IQN (required for "
				"iscsi-direct)", origin);
	return 0;
}

/* A target path trimmed and sanitized until neither changes it, so that
 * the path written reads back the same ("/a/ /" is "/a"). */
static char *
target_clean(const char *path)
{
	char *cur = path_sanitize(path);

	for (;;) {
		char *t = path_sanitize(str_trim(cur));
		if (strcmp(t, cur) == 0) {
			free(cur);
			return t;
		}
		free(cur);
		cur = t;
	}
}

static int
parse_target(xmlNodePtr root, struct pool_def *d, const char *origin,
	     struct err *e)
{
	xmlNodePtr tgt = xml_first(root, "target");
	char *path;

	if (pool_source_flags(d->type) & POOL_SRC_NETWORK)
		return 0;
	if (d->type == POOL_LOGICAL) {
		path = xasprintf("/dev/%s", d->source.name);
	} else {
		path = xml_text(tgt, "path");
		if (path == NULL)
			return err_setc(e, ERR_INVALID,
					"%s: missing storage pool target path",
					origin);
		char *t = xstrdup(str_trim(path));
		free(path);
		path = t;
	}
	d->target_path = target_clean(path);
	if (d->target_path[0] != '/' || d->target_path[1] == '\0') {
		err_setc(e, ERR_INVALID,
			 "%s: target path '%s' must be an absolute path below /",
			 origin, path);
		free(path);
		return -1;
	}
	free(path);
	if (str_has_ctrl(d->target_path))
		return err_setc(e, ERR_INVALID,
				"%s: target path contains control characters",
				origin);
	return xml_perms_parse(xml_first(tgt, "permissions"), &d->target_perms,
			       origin, e);
}

/* <fs:mount_opts> in libvirt's fs namespace (fs and netfs pools). */
static int
parse_mount_opts(xmlNodePtr root, struct pool_def *d, const char *origin,
		 struct err *e)
{
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || n->ns == NULL ||
		    strcmp((const char *)n->ns->href, FS_NS_HREF) != 0 ||
		    strcmp((const char *)n->name, "mount_opts") != 0)
			continue;
		if (d->type != POOL_FS && d->type != POOL_NETFS)
			return err_setc(e, ERR_INVALID,
					"%s: fs:mount_opts is only for fs and "
					"netfs pools", origin);
		for (xmlNodePtr o = n->children; o != NULL; o = o->next) {
			if (o->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)o->name, "option") != 0)
				continue;
			char *name = xml_attr(o, "name");
			if (name == NULL || *name == '\0' ||
			    strchr(name, ',') != NULL || str_has_ctrl(name)) {
				err_setc(e, ERR_INVALID,
					 "%s: invalid mount option '%s'",
					 origin, name ? name : "");
				free(name);
				return -1;
			}
			strv_push(&d->mount_opts, &d->nmount_opts, name);
			free(name);
		}
		d->has_fs_ns = true;
	}
	return 0;
}

/* <rbd:config_opts> in libvirt's rbd namespace: options handed to
 * librados as they are. The cephx key itself never lives in XML: it comes
 * from the secrets store, so an option named "key" is refused. */
static int
parse_rbd_opts(xmlNodePtr root, struct pool_def *d, const char *origin,
	       struct err *e)
{
	for (xmlNodePtr n = root->children; n != NULL; n = n->next) {
		if (n->type != XML_ELEMENT_NODE || n->ns == NULL ||
		    strcmp((const char *)n->ns->href, RBD_NS_HREF) != 0 ||
		    strcmp((const char *)n->name, "config_opts") != 0)
			continue;
		if (d->type != POOL_RBD)
			return err_setc(e, ERR_INVALID,
					"%s: rbd:config_opts is only for rbd "
					"pools", origin);
		for (xmlNodePtr o = n->children; o != NULL; o = o->next) {
			if (o->type != XML_ELEMENT_NODE ||
			    strcmp((const char *)o->name, "option") != 0)
				continue;
			char *name = xml_attr(o, "name");
			char *value = xml_attr(o, "value");
			const char *bad = NULL;

			if (name == NULL || *name == '\0' || str_has_ctrl(name))
				bad = "invalid Ceph option name";
			else if (value == NULL || str_has_ctrl(value))
				bad = "invalid value for Ceph option";
			else if (strcmp(name, "key") == 0)
				bad = "the cephx key belongs in the secrets "
				      "store, not in an option:";
			if (bad != NULL) {
				err_setc(e, ERR_INVALID, "%s: %s '%s'", origin,
					 bad, name ? name : "");
				free(name);
				free(value);
				return -1;
			}
			strv_push(&d->rbd_opts, &d->nrbd_opts, name);
			strv_push(&d->rbd_opts, &d->nrbd_opts, value);
			free(name);
			free(value);
		}
	}
	return 0;
}

static struct pool_def *
pool_def_parse_doc(xmlDocPtr doc, const char *origin, struct err *e)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct pool_def *d = NULL;
	char *type = NULL, *s = NULL;
	int t;

	if (strcmp((const char *)root->name, "pool") != 0) {
		err_setc(e, ERR_INVALID,
			 "%s: unexpected root element <%s>, expecting <pool>",
			 origin, (const char *)root->name);
		return NULL;
	}
	type = xml_attr(root, "type");
	if (type == NULL) {
		err_setc(e, ERR_INVALID, "%s: missing pool type attribute",
			 origin);
		return NULL;
	}
	t = pool_type_from_name(type);
	if (t < 0) {
		err_setc(e, ERR_INVALID,
			 "%s: unknown pool type '%s' (cistern manages dir, fs, "
			 "netfs, logical, disk, iscsi, iscsi-direct, rbd)",
			 origin, type);
		free(type);
		return NULL;
	}
	free(type);
	d = pool_def_new((enum pool_type)t);

	d->name = xml_text(root, "name");
	if (d->name != NULL) {
		char *trimmed = xstrdup(str_trim(d->name));
		free(d->name);
		d->name = trimmed;
	}
	if (d->name == NULL && d->type == POOL_LOGICAL) {
		d->name = xml_text(root, "source/name");
		if (d->name != NULL) {
			char *trimmed = xstrdup(str_trim(d->name));
			free(d->name);
			d->name = trimmed;
		}
	}
	if (d->name == NULL) {
		err_setc(e, ERR_INVALID, "%s: missing pool name element", origin);
		goto fail;
	}
	if (model_check_name("pool", d->name, e) < 0) {
		err_prefix(e, "%s", origin);
		goto fail;
	}

	s = xml_text(root, "uuid");
	if (s != NULL) {
		if (model_uuid_parse(s, d->uuid) < 0) {
			err_setc(e, ERR_INVALID, "%s: malformed uuid element",
				 origin);
			goto fail;
		}
	} else if (model_uuid_generate(d->uuid) < 0) {
		err_setc(e, ERR_GENERIC, "%s: cannot generate a UUID", origin);
		goto fail;
	}
	free(s);
	s = NULL;

	s = xml_path_attr(root, "features/cow", "state");
	if (s != NULL) {
		if (strcmp(s, "yes") == 0)
			d->cow = TRI_YES;
		else if (strcmp(s, "no") == 0)
			d->cow = TRI_NO;
		else {
			err_setc(e, ERR_INVALID, "%s: invalid cow state '%s'",
				 origin, s);
			goto fail;
		}
		free(s);
		s = NULL;
	}

	if (parse_source(root, d, origin, e) < 0 ||
	    parse_target(root, d, origin, e) < 0 ||
	    parse_mount_opts(root, d, origin, e) < 0 ||
	    parse_rbd_opts(root, d, origin, e) < 0)
		goto fail;
	return d;
fail:
	free(s);
	pool_def_free(d);
	return NULL;
}

struct pool_def *
pool_def_parse(const char *xml, size_t len, const char *origin, struct err *e)
{
	xmlDocPtr doc;
	struct pool_def *d;

	if (origin == NULL)
		origin = "<input>";
	if (len > XML_MAX_BYTES)
		return err_setc(e, ERR_INVALID, "%s: document too large",
				origin), NULL;
	doc = xml_parse(xml, len, origin, e);
	if (doc == NULL)
		return NULL;
	d = pool_def_parse_doc(doc, origin, e);
	xmlFreeDoc(doc);
	return d;
}

struct pool_def *
pool_def_parse_file(const char *path, struct err *e)
{
	size_t len;
	char *data = file_read_all(path, XML_MAX_BYTES, &len, e);
	struct pool_def *d;

	if (data == NULL)
		return NULL;
	d = pool_def_parse(data, len, path, e);
	free(data);
	return d;
}

/* One <source> element (virStoragePoolSourceFormat). */
static void
format_source(struct sbuf *b, enum pool_type type, const struct pool_source *s,
	      unsigned flags)
{
	unsigned fl = pool_source_flags(type);

	sbuf_line(b, "<source>\n");
	b->indent += 2;
	for (size_t i = 0; (fl & POOL_SRC_HOST) && i < s->nhosts; i++) {
		sbuf_line(b, "<host name='");
		xml_escape(b, s->hosts[i].name);
		sbuf_add(b, "'");
		if (s->hosts[i].port)
			sbuf_printf(b, " port='%d'", s->hosts[i].port);
		sbuf_add(b, "/>\n");
	}
	for (size_t i = 0; (fl & POOL_SRC_DEVICE) && i < s->ndevices; i++) {
		const struct pool_device *dv = &s->devices[i];
		sbuf_line(b, "<device path='");
		xml_escape(b, dv->path);
		sbuf_add(b, "'");
		if (dv->part_separator != TRI_ABSENT)
			sbuf_printf(b, " part_separator='%s'",
				    dv->part_separator == TRI_YES ? "yes" : "no");
		if (dv->nfree == 0 || (flags & POOL_XML_INACTIVE)) {
			sbuf_add(b, "/>\n");
			continue;
		}
		sbuf_add(b, ">\n");
		b->indent += 2;
		for (size_t j = 0; j < dv->nfree; j++)
			sbuf_line(b, "<freeExtent start='%llu' end='%llu'/>\n",
				  (unsigned long long)dv->free[j].start,
				  (unsigned long long)dv->free[j].end);
		b->indent -= 2;
		sbuf_line(b, "</device>\n");
	}
	if (fl & POOL_SRC_DIR)
		xml_empty_attr(b, "dir", "path", s->dir);
	if (fl & POOL_SRC_NAME)
		xml_elem(b, "name", s->name);
	if ((fl & POOL_SRC_INITIATOR) && s->initiator_iqn != NULL) {
		sbuf_line(b, "<initiator>\n");
		b->indent += 2;
		xml_empty_attr(b, "iqn", "name", s->initiator_iqn);
		b->indent -= 2;
		sbuf_line(b, "</initiator>\n");
	}
	if (s->format != NULL)
		xml_empty_attr(b, "format", "type", s->format);
	if (s->auth != NULL) {
		sbuf_line(b, "<auth type='");
		xml_escape(b, s->auth->type);
		sbuf_add(b, "' username='");
		xml_escape(b, s->auth->username);
		sbuf_add(b, "'>\n");
		b->indent += 2;
		if (s->auth->secret_uuid != NULL)
			xml_empty_attr(b, "secret", "uuid", s->auth->secret_uuid);
		else
			xml_empty_attr(b, "secret", "usage",
				       s->auth->secret_usage);
		b->indent -= 2;
		sbuf_line(b, "</auth>\n");
	}
	xml_empty_attr(b, "protocol", "ver", s->protocol_ver);
	xml_empty_attr(b, "vendor", "name", s->vendor);
	xml_empty_attr(b, "product", "name", s->product);
	b->indent -= 2;
	sbuf_line(b, "</source>\n");
}

char *
pool_sources_format(enum pool_type type, const struct pool_source *srcs,
		    size_t n)
{
	struct sbuf b;

	sbuf_init(&b);
	sbuf_add(&b, "<sources>\n");
	b.indent = 2;
	for (size_t i = 0; i < n; i++)
		format_source(&b, type, &srcs[i], 0);
	b.indent = 0;
	sbuf_add(&b, "</sources>\n");
	return sbuf_take(&b);
}

char *
pool_def_format(const struct pool_def *d, unsigned flags)
{
	bool live = !(flags & POOL_XML_INACTIVE);
	struct sbuf b;
	char uuid[37];

	sbuf_init(&b);
	sbuf_printf(&b, "<pool type='%s'", pool_type_name(d->type));
	if (d->nmount_opts > 0)
		sbuf_add(&b, " xmlns:fs='" FS_NS_HREF "'");
	if (d->nrbd_opts > 0)
		sbuf_add(&b, " xmlns:rbd='" RBD_NS_HREF "'");
	sbuf_add(&b, ">\n");
	b.indent = 2;
	xml_elem(&b, "name", d->name);
	uuid_format(d->uuid, uuid);
	sbuf_line(&b, "<uuid>%s</uuid>\n", uuid);
	sbuf_line(&b, "<capacity unit='bytes'>%llu</capacity>\n",
		  live ? (unsigned long long)d->capacity : 0ULL);
	sbuf_line(&b, "<allocation unit='bytes'>%llu</allocation>\n",
		  live ? (unsigned long long)d->allocation : 0ULL);
	sbuf_line(&b, "<available unit='bytes'>%llu</available>\n",
		  live ? (unsigned long long)d->available : 0ULL);
	if (d->cow != TRI_ABSENT) {
		sbuf_line(&b, "<features>\n");
		sbuf_line(&b, "  <cow state='%s'/>\n",
			  d->cow == TRI_YES ? "yes" : "no");
		sbuf_line(&b, "</features>\n");
	}
	format_source(&b, d->type, &d->source, flags);
	if (d->target_path != NULL) {
		sbuf_line(&b, "<target>\n");
		b.indent += 2;
		xml_elem(&b, "path", d->target_path);
		xml_perms_format(&b, &d->target_perms);
		b.indent -= 2;
		sbuf_line(&b, "</target>\n");
	}
	if (d->nmount_opts > 0) {
		sbuf_line(&b, "<fs:mount_opts>\n");
		b.indent += 2;
		for (size_t i = 0; i < d->nmount_opts; i++)
			xml_empty_attr(&b, "fs:option", "name", d->mount_opts[i]);
		b.indent -= 2;
		sbuf_line(&b, "</fs:mount_opts>\n");
	}
	if (d->nrbd_opts > 0) {
		sbuf_line(&b, "<rbd:config_opts>\n");
		b.indent += 2;
		for (size_t i = 0; i + 1 < d->nrbd_opts; i += 2) {
			sbuf_line(&b, "<rbd:option name='");
			xml_escape(&b, d->rbd_opts[i]);
			sbuf_add(&b, "' value='");
			xml_escape(&b, d->rbd_opts[i + 1]);
			sbuf_add(&b, "'/>\n");
		}
		b.indent -= 2;
		sbuf_line(&b, "</rbd:config_opts>\n");
	}
	b.indent = 0;
	sbuf_add(&b, "</pool>\n");
	return sbuf_take(&b);
}
