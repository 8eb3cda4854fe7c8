/* cistern — libvirt volume XML, read and written. */
#include "xml.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "units.h"
#include "util.h"
#include "xmlutil.h"

static const char *const feature_names[] = {
	"lazy_refcounts", "extended_l2",
};

static int
parse_format(xmlNodePtr node, enum pool_type ptype, char **out,
	     const char *origin, struct err *e)
{
	const char *const *table = model_vol_formats(ptype);
	char *fmt;

	*out = NULL;
	if (table == NULL)
		return 0;
	fmt = xml_path_attr(node, "format", "type");
	if (fmt == NULL) {
		*out = xstrdup(model_vol_default_format(ptype));
		return 0;
	}
	if (!model_format_allowed(table, fmt)) {
		err_setc(e, ERR_INVALID,
			 "%s: unknown volume format type '%s' for a %s pool",
			 origin, fmt, pool_type_name(ptype));
		free(fmt);
		return -1;
	}
	*out = fmt;
	return 0;
}

static int
parse_encryption(xmlNodePtr tnode, struct vol_target *t, const char *origin,
		 struct err *e)
{
	xmlNodePtr n = xml_first(tnode, "encryption");
	struct vol_encryption *enc;
	static const char *const formats[] = {
		"default", "qcow", "luks", "luks2", "luks-any", NULL,
	};

	if (n == NULL)
		return 0;
	enc = t->encryption = xcalloc(1, sizeof(*enc));
	enc->format = xml_attr(n, "format");
	if (enc->format == NULL)
		return err_setc(e, ERR_INVALID,
				"%s: missing encryption format", origin);
	if (!model_format_allowed(formats, enc->format))
		return err_setc(e, ERR_INVALID,
				"%s: unknown encryption format '%s'", origin,
				enc->format);
	enc->engine = xml_attr(n, "engine");
	if (enc->engine != NULL && strcmp(enc->engine, "qemu") != 0 &&
	    strcmp(enc->engine, "librbd") != 0)
		return err_setc(e, ERR_INVALID,
				"%s: unknown encryption engine '%s'", origin,
				enc->engine);
	size_t ns = xml_count(n, "secret");
	if (ns)
		enc->secrets = xcalloc(ns, sizeof(*enc->secrets));
	for (xmlNodePtr s = xml_first(n, "secret"); s;
	     s = xml_next(s, "secret")) {
		struct vol_secret *vs = &enc->secrets[enc->nsecrets++];
		unsigned char u[16];

		vs->type = xml_attr(s, "type");
		vs->uuid = xml_attr(s, "uuid");
		vs->usage = xml_attr(s, "usage");
		if (!str_eq(vs->type, "passphrase"))
			return err_setc(e, ERR_INVALID,
					"%s: encryption secret type must be "
					"'passphrase'", origin);
		if (vs->uuid == NULL && vs->usage == NULL)
			return err_setc(e, ERR_INVALID,
					"%s: encryption secret needs a uuid or "
					"usage", origin);
		if (vs->uuid != NULL && model_uuid_parse(vs->uuid, u) < 0)
			return err_setc(e, ERR_INVALID,
					"%s: malformed secret uuid '%s'",
					origin, vs->uuid);
	}
	xmlNodePtr c = xml_first(n, "cipher");
	if (c != NULL) {
		char *size = xml_attr(c, "size");
		uint64_t v;
		enc->cipher_name = xml_attr(c, "name");
		enc->cipher_mode = xml_attr(c, "mode");
		enc->cipher_hash = xml_attr(c, "hash");
		if (enc->cipher_name == NULL || size == NULL ||
		    str_to_u64(size, 10, &v) < 0 || v == 0 || v > 65535) {
			free(size);
			return err_setc(e, ERR_INVALID,
					"%s: cipher needs a name and a size",
					origin);
		}
		free(size);
		enc->cipher_size = (unsigned)v;
	}
	xmlNodePtr iv = xml_first(n, "ivgen");
	if (iv != NULL) {
		enc->has_ivgen = true;
		enc->ivgen_name = xml_attr(iv, "name");
		enc->ivgen_hash = xml_attr(iv, "hash");
		if (enc->ivgen_name == NULL)
			return err_setc(e, ERR_INVALID,
					"%s: ivgen needs a name", origin);
	}
	return 0;
}

static int
parse_target(xmlNodePtr root, struct vol_def *v, enum pool_type ptype,
	     const char *origin, struct err *e)
{
	xmlNodePtr t = xml_first(root, "target");
	struct vol_target *vt = &v->target;
	char *s;

	vt->path = xml_text(t, "path");
	if (parse_format(t, ptype, &vt->format, origin, e) < 0)
		return -1;
	if (xml_perms_parse(xml_first(t, "permissions"), &vt->perms, origin,
			    e) < 0)
		return -1;
	if (parse_encryption(t, vt, origin, e) < 0)
		return -1;

	if ((s = xml_text(t, "compat")) != NULL) {
		const char *p = s;
		bool ok = isdigit((unsigned char)*p);
		int dots = 0;
		for (; *p != '\0'; p++) {
			if (*p == '.')
				dots++;
			else if (!isdigit((unsigned char)*p))
				ok = false;
		}
		if (!ok || dots != 1 || s[strlen(s) - 1] == '.') {
			err_setc(e, ERR_INVALID,
				 "%s: forbidden characters in compat '%s'",
				 origin, s);
			free(s);
			return -1;
		}
		vt->compat = s;
	}
	if (xml_first(t, "nocow") != NULL)
		vt->nocow = true;
	xmlNodePtr cs = xml_first(t, "clusterSize");
	if (cs != NULL &&
	    xml_scaled(cs, &vt->cluster_size, origin, "clusterSize", e) < 0)
		return -1;
	xmlNodePtr f = xml_first(t, "features");
	if (f != NULL) {
		vt->has_features = true;
		for (xmlNodePtr c = xml_first(f, NULL); c; c = xml_next(c, NULL)) {
			size_t i;
			for (i = 0; i < ARRAY_SIZE(feature_names); i++)
				if (strcmp((const char *)c->name,
					   feature_names[i]) == 0)
					break;
			if (i == ARRAY_SIZE(feature_names))
				return err_setc(e, ERR_INVALID,
						"%s: unsupported volume feature "
						"'%s'", origin,
						(const char *)c->name);
			vt->features |= 1u << i;
		}
		if (vt->compat == NULL)
			vt->compat = xstrdup("1.1");
	}
	return 0;
}

static int
parse_backing(xmlNodePtr root, struct vol_def *v, enum pool_type ptype,
	      const char *origin, struct err *e)
{
	xmlNodePtr b = xml_first(root, "backingStore");
	char *path = xml_text(b, "path");

	if (path == NULL)
		return 0;
	v->backing = xcalloc(1, sizeof(*v->backing));
	perms_init(&v->backing->perms);
	v->backing->path = xstrdup(str_trim(path));
	free(path);
	if (parse_format(b, ptype, &v->backing->format, origin, e) < 0)
		return -1;
	return xml_perms_parse(xml_first(b, "permissions"), &v->backing->perms,
			       origin, e);
}

/* <source><device path='DEV'><extent start='S' end='E'/>: libvirt ignores
 * a volume's source on input; cistern reads the first extent's start as
 * the place a new volume should go (disk pools), and never writes it
 * back. `end` may be left out. */
static int
parse_want_start(xmlNodePtr root, struct vol_def *v, const char *origin,
		 struct err *e)
{
	xmlNodePtr dev = xml_find(root, "source/device");
	xmlNodePtr x = dev ? xml_first(dev, "extent") : NULL;
	char *s;

	if (x == NULL || (s = xml_attr(x, "start")) == NULL)
		return 0;
	if (str_to_u64(s, 10, &v->want_start) < 0) {
		err_setc(e, ERR_INVALID, "%s: malformed extent start '%s'",
			 origin, s);
		free(s);
		return -1;
	}
	free(s);
	v->has_want_start = true;
	v->want_device = xml_attr(dev, "path");
	return 0;
}

static struct vol_def *
vol_def_parse_doc(xmlDocPtr doc, const char *origin, enum pool_type ptype,
		  unsigned flags, struct err *e)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	struct vol_def *v;
	char *s;

	if (strcmp((const char *)root->name, "volume") != 0) {
		err_setc(e, ERR_INVALID,
			 "%s: unexpected root element <%s>, expecting <volume>",
			 origin, (const char *)root->name);
		return NULL;
	}
	v = vol_def_new();
	v->type = model_vol_default_type(ptype);
	if ((s = xml_attr(root, "type")) != NULL) {
		int t = vol_type_from_name(s);
		if (t < 0) {
			err_setc(e, ERR_INVALID, "%s: unknown volume type '%s'",
				 origin, s);
			free(s);
			goto fail;
		}
		v->type = (enum vol_type)t;
		free(s);
	}
	v->name = xml_text(root, "name");
	if (v->name == NULL) {
		err_setc(e, ERR_INVALID, "%s: missing volume name element",
			 origin);
		goto fail;
	}
	if (model_check_name("volume", v->name, e) < 0) {
		err_prefix(e, "%s", origin);
		goto fail;
	}
	v->key = xml_text(root, "key");
	if (parse_want_start(root, v, origin, e) < 0)
		goto fail;

	if (parse_backing(root, v, ptype, origin, e) < 0)
		goto fail;

	xmlNodePtr cap = xml_first(root, "capacity");
	if (cap != NULL) {
		if (xml_scaled(cap, &v->capacity, origin, "capacity", e) < 0)
			goto fail;
		v->has_capacity = true;
	} else if (!(flags & VOL_PARSE_NO_CAPACITY) &&
		   !((flags & VOL_PARSE_OPT_CAPACITY) && v->backing != NULL)) {
		err_setc(e, ERR_INVALID, "%s: missing capacity element",
			 origin);
		goto fail;
	}
	xmlNodePtr alloc = xml_first(root, "allocation");
	if (alloc != NULL) {
		if (xml_scaled(alloc, &v->allocation, origin, "allocation",
			       e) < 0)
			goto fail;
	} else {
		v->allocation = v->capacity;
	}
	if (parse_target(root, v, ptype, origin, e) < 0)
		goto fail;
	return v;
fail:
	vol_def_free(v);
	return NULL;
}

struct vol_def *
vol_def_parse(const char *xml, size_t len, const char *origin,
	      enum pool_type ptype, unsigned flags, struct err *e)
{
	xmlDocPtr doc;
	struct vol_def *v;

	if (origin == NULL)
		origin = "<input>";
	if (len > XML_MAX_BYTES)
		return err_setc(e, ERR_INVALID, "%s: document too large",
				origin), NULL;
	doc = xml_parse(xml, len, origin, e);
	if (doc == NULL)
		return NULL;
	v = vol_def_parse_doc(doc, origin, ptype, flags, e);
	xmlFreeDoc(doc);
	return v;
}

struct vol_def *
vol_def_parse_file(const char *path, enum pool_type ptype, unsigned flags,
		   struct err *e)
{
	size_t len;
	char *data = file_read_all(path, XML_MAX_BYTES, &len, e);
	struct vol_def *v;

	if (data == NULL)
		return NULL;
	v = vol_def_parse(data, len, path, ptype, flags, e);
	free(data);
	return v;
}

static void
format_timestamp(struct sbuf *b, const char *tag, const struct timespec *ts)
{
	if (ts->tv_sec < 0)
		return;
	sbuf_line(b, "<%s>%lld", tag, (long long)ts->tv_sec);
	if (ts->tv_nsec)
		sbuf_printf(b, ".%09ld", ts->tv_nsec);
	sbuf_printf(b, "</%s>\n", tag);
}

static void
format_encryption(struct sbuf *b, const struct vol_encryption *enc)
{
	sbuf_line(b, "<encryption format='");
	xml_escape(b, enc->format);
	sbuf_add(b, "'");
	if (enc->engine != NULL) {
		sbuf_add(b, " engine='");
		xml_escape(b, enc->engine);
		sbuf_add(b, "'");
	}
	if (enc->nsecrets == 0 && enc->cipher_size == 0 && !enc->has_ivgen) {
		sbuf_add(b, "/>\n");
		return;
	}
	sbuf_add(b, ">\n");
	b->indent += 2;
	for (size_t i = 0; i < enc->nsecrets; i++) {
		const struct vol_secret *s = &enc->secrets[i];
		sbuf_line(b, "<secret type='");
		xml_escape(b, s->type);
		sbuf_add(b, s->uuid ? "' uuid='" : "' usage='");
		xml_escape(b, s->uuid ? s->uuid : s->usage);
		sbuf_add(b, "'/>\n");
	}
	if (enc->cipher_size) {
		sbuf_line(b, "<cipher name='");
		xml_escape(b, enc->cipher_name);
		sbuf_printf(b, "' size='%u'", enc->cipher_size);
		if (enc->cipher_mode) {
			sbuf_add(b, " mode='");
			xml_escape(b, enc->cipher_mode);
			sbuf_add(b, "'");
		}
		if (enc->cipher_hash) {
			sbuf_add(b, " hash='");
			xml_escape(b, enc->cipher_hash);
			sbuf_add(b, "'");
		}
		sbuf_add(b, "/>\n");
	}
	if (enc->has_ivgen) {
		sbuf_line(b, "<ivgen name='");
		xml_escape(b, enc->ivgen_name);
		sbuf_add(b, "'");
		if (enc->ivgen_hash) {
			sbuf_add(b, " hash='");
			xml_escape(b, enc->ivgen_hash);
			sbuf_add(b, "'");
		}
		sbuf_add(b, "/>\n");
	}
	b->indent -= 2;
	sbuf_line(b, "</encryption>\n");
}

static void
format_target(struct sbuf *b, const struct vol_target *t, const char *tag,
	      enum pool_type ptype)
{
	sbuf_line(b, "<%s>\n", tag);
	b->indent += 2;
	xml_elem(b, "path", t->path);
	if (model_vol_formats(ptype) != NULL && t->format != NULL)
		xml_empty_attr(b, "format", "type", t->format);
	xml_perms_format(b, &t->perms);
	if (t->timestamps != NULL) {
		sbuf_line(b, "<timestamps>\n");
		b->indent += 2;
		format_timestamp(b, "atime", &t->timestamps->atime);
		format_timestamp(b, "mtime", &t->timestamps->mtime);
		format_timestamp(b, "ctime", &t->timestamps->ctime);
		format_timestamp(b, "btime", &t->timestamps->btime);
		b->indent -= 2;
		sbuf_line(b, "</timestamps>\n");
	}
	if (t->encryption != NULL)
		format_encryption(b, t->encryption);
	xml_elem(b, "compat", t->compat);
	if (t->cluster_size > 0)
		sbuf_line(b, "<clusterSize unit='B'>%llu</clusterSize>\n",
			  (unsigned long long)t->cluster_size);
	/* libvirt reads <nocow/> but never writes it back; cistern keeps it so
	 * a definition survives a round trip */
	if (t->nocow)
		sbuf_line(b, "<nocow/>\n");
	if (t->has_features) {
		if (t->features == 0) {
			sbuf_line(b, "<features/>\n");
		} else {
			sbuf_line(b, "<features>\n");
			for (size_t i = 0; i < ARRAY_SIZE(feature_names); i++)
				if (t->features & (1u << i))
					sbuf_line(b, "  <%s/>\n",
						  feature_names[i]);
			sbuf_line(b, "</features>\n");
		}
	}
	b->indent -= 2;
	sbuf_line(b, "</%s>\n", tag);
}

char *
vol_def_format(const struct vol_def *v, enum pool_type ptype)
{
	struct sbuf b;
	const char *dev = NULL;

	sbuf_init(&b);
	sbuf_printf(&b, "<volume type='%s'>\n", vol_type_name(v->type));
	b.indent = 2;
	xml_elem(&b, "name", v->name);
	xml_elem(&b, "key", v->key);
	if (v->nextents > 0) {
		sbuf_line(&b, "<source>\n");
		b.indent += 2;
		for (size_t i = 0; i < v->nextents; i++) {
			const struct vol_extent *x = &v->extents[i];
			if (dev == NULL || !str_eq(dev, x->device)) {
				if (dev != NULL)
					sbuf_line(&b, "</device>\n");
				sbuf_line(&b, "<device path='");
				xml_escape(&b, x->device);
				sbuf_add(&b, "'>\n");
			}
			sbuf_line(&b, "  <extent start='%llu' end='%llu'/>\n",
				  (unsigned long long)x->start,
				  (unsigned long long)x->end);
			dev = x->device;
		}
		sbuf_line(&b, "</device>\n");
		b.indent -= 2;
		sbuf_line(&b, "</source>\n");
	}
	sbuf_line(&b, "<capacity unit='bytes'>%llu</capacity>\n",
		  (unsigned long long)v->capacity);
	sbuf_line(&b, "<allocation unit='bytes'>%llu</allocation>\n",
		  (unsigned long long)v->allocation);
	if (v->physical > 0)
		sbuf_line(&b, "<physical unit='bytes'>%llu</physical>\n",
			  (unsigned long long)v->physical);
	format_target(&b, &v->target, "target", ptype);
	if (v->backing != NULL)
		format_target(&b, v->backing, "backingStore", ptype);
	b.indent = 0;
	sbuf_add(&b, "</volume>\n");
	return sbuf_take(&b);
}
