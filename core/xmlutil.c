/* cistern — safe XML reading and the one XML writer. */
#include "xmlutil.h"

#include "units.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <libxml/xpath.h>

struct xml_errctx {
	char msg[512];
	int line;
	bool seen;
};

/* Keep the first error libxml2 reports for the one-line message. */
static void
xml_on_error(void *arg, xmlErrorPtr err)
{
	struct xml_errctx *x = arg;

	if (x->seen || err == NULL || err->level < XML_ERR_ERROR)
		return;
	x->seen = true;
	x->line = err->line;
	snprintf(x->msg, sizeof(x->msg), "%s",
		 err->message ? err->message : "parse error");
	size_t n = strlen(x->msg);
	while (n > 0 && (x->msg[n - 1] == '\n' || x->msg[n - 1] == ' '))
		x->msg[--n] = '\0';
}

/* True when the bytes hold a DOCTYPE or an entity declaration anywhere
 * (even in a comment): a cheap, strict pre-check before libxml2 sees it. */
static bool
xml_has_doctype(const char *data, size_t len)
{
	return memmem(data, len, "<!DOCTYPE", 9) != NULL ||
	       memmem(data, len, "<!ENTITY", 8) != NULL;
}

/* xml_parse with libxml2 parser options added (XML_PARSE_NOBLANKS). */
static xmlDocPtr
xml_parse_opts(const char *data, size_t len, const char *origin, int opts,
	       struct err *e)
{
	struct xml_errctx x = { .seen = false };
	xmlDocPtr doc;

	if (origin == NULL)
		origin = "<input>";
	if (len == 0)
		return err_setc(e, ERR_INVALID, "%s: empty document", origin),
		       NULL;
	if (len > 0x7fffffff)
		return err_setc(e, ERR_INVALID, "%s: document too large",
				origin), NULL;
	if (xml_has_doctype(data, len))
		return err_setc(e, ERR_INVALID,
				"%s: DOCTYPE and entity declarations are not "
				"allowed", origin), NULL;

	/* what libxml2 would call malformed: say what it is (a document
	 * that declares another encoding is left to libxml2) */
	size_t bad = utf8_invalid_at(data, len);
	if (bad != (size_t)-1 && !(len > 5 && memcmp(data, "<?xml", 5) == 0 &&
				   memmem(data, len < 200 ? len : 200,
					  "encoding", 8) != NULL)) {
		int line = 1;
		for (size_t i = 0; i < bad; i++)
			line += data[i] == '\n';
		return err_setc(e, ERR_INVALID, "%s: line %d: not UTF-8 (byte "
				"%zu)", origin, line, bad + 1), NULL;
	}
	xmlSetStructuredErrorFunc(&x, xml_on_error);
	doc = xmlReadMemory(data, (int)len, origin, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOWARNING |
			    XML_PARSE_NOERROR | XML_PARSE_NOCDATA | opts);
	xmlSetStructuredErrorFunc(NULL, NULL);

	if (doc == NULL || x.seen) {
		if (doc != NULL)
			xmlFreeDoc(doc);
		if (x.seen)
			err_setc(e, ERR_INVALID, "%s: line %d: malformed XML: %s",
				 origin, x.line, x.msg);
		else
			err_setc(e, ERR_INVALID, "%s: malformed XML", origin);
		return NULL;
	}
	if (doc->intSubset != NULL || doc->extSubset != NULL) {
		xmlFreeDoc(doc);
		return err_setc(e, ERR_INVALID,
				"%s: DOCTYPE and entity declarations are not "
				"allowed", origin), NULL;
	}
	if (xmlDocGetRootElement(doc) == NULL) {
		xmlFreeDoc(doc);
		return err_setc(e, ERR_INVALID, "%s: no root element", origin),
		       NULL;
	}
	return doc;
}

xmlDocPtr
xml_parse(const char *data, size_t len, const char *origin, struct err *e)
{
	return xml_parse_opts(data, len, origin, 0, e);
}

/* One node as virsh prints it (libvirt's virXMLNodeToString). */
static void
xpath_node_dump(struct sbuf *out, xmlDocPtr doc, xmlNodePtr node)
{
	xmlBufferPtr buf = xmlBufferCreate();

	if (buf == NULL)
		return;
	xmlNodeDump(buf, doc, node, 0, 1);
	sbuf_add(out, (const char *)xmlBufferContent(buf));
	sbuf_addc(out, '\n');
	xmlBufferFree(buf);
}

char *
xml_xpath_dump(const char *xml, const char *expr, bool wrap, struct err *e)
{
	struct xml_errctx x = { .seen = false };
	xmlXPathContextPtr ctx;
	xmlXPathObjectPtr obj;
	xmlNodeSetPtr set;
	struct sbuf out;
	xmlDocPtr doc;
	bool ok = false;

	/* as virsh: blanks dropped, so the nodes are indented afresh */
	doc = xml_parse_opts(xml, strlen(xml), "xml", XML_PARSE_NOBLANKS, e);
	if (doc == NULL)
		return NULL;
	ctx = xmlXPathNewContext(doc);
	if (ctx == NULL) {
		xmlFreeDoc(doc);
		return err_setc(e, ERR_GENERIC, "out of memory"), NULL;
	}
	xmlSetStructuredErrorFunc(&x, xml_on_error);
	obj = xmlXPathEval(BAD_CAST expr, ctx);
	xmlSetStructuredErrorFunc(NULL, NULL);
	sbuf_init(&out);
	if (obj == NULL) {
		err_setc(e, ERR_INVALID, "invalid XPath expression '%s': %s",
			 expr, x.seen ? x.msg : "cannot evaluate");
	} else if (obj->type != XPATH_NODESET) {
		/* virsh's words: only node sets are printed */
		err_setc(e, ERR_INVALID, "internal error: Incorrect xpath '%s'",
			 expr);
	} else if (wrap) {
		xmlDocPtr nd = xmlNewDoc(BAD_CAST "1.0");
		xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "nodes");
		set = obj->nodesetval;
		xmlDocSetRootElement(nd, root);
		for (int i = 0; set != NULL && i < set->nodeNr; i++) {
			xmlNodePtr copy = xmlDocCopyNode(set->nodeTab[i], nd, 1);
			if (copy != NULL && xmlAddChild(root, copy) == NULL)
				xmlFreeNode(copy);
		}
		xpath_node_dump(&out, doc, root);
		xmlFreeDoc(nd);
		ok = true;
	} else {
		set = obj->nodesetval;
		for (int i = 0; set != NULL && i < set->nodeNr; i++)
			xpath_node_dump(&out, doc, set->nodeTab[i]);
		ok = true;
	}
	xmlXPathFreeObject(obj);
	xmlXPathFreeContext(ctx);
	xmlFreeDoc(doc);
	if (!ok) {
		sbuf_free(&out);
		return NULL;
	}
	return sbuf_take(&out);
}

char *
xml_renamed(const char *xml, const char *name, struct err *e)
{
	xmlDocPtr doc = xml_parse(xml, strlen(xml), "xml", e);
	xmlNodePtr root, n;
	xmlBufferPtr buf;
	char *out;

	if (doc == NULL)
		return NULL;
	root = xmlDocGetRootElement(doc);
	n = xml_first(root, "name");
	if (n == NULL || (buf = xmlBufferCreate()) == NULL) {
		xmlFreeDoc(doc);
		return err_setc(e, ERR_INVALID, "the XML has no <name>"), NULL;
	}
	/* xmlNodeSetContent takes its text as markup: escape it first */
	xmlChar *esc = xmlEncodeSpecialChars(doc, BAD_CAST name);
	xmlNodeSetContent(n, esc);
	xmlFree(esc);
	xmlNodeDump(buf, doc, root, 0, 1);
	out = xstrdup((const char *)xmlBufferContent(buf));
	xmlBufferFree(buf);
	xmlFreeDoc(doc);
	return out;
}

static bool
is_elem(xmlNodePtr n, const char *name)
{
	return n != NULL && n->type == XML_ELEMENT_NODE &&
	       (name == NULL || strcmp((const char *)n->name, name) == 0);
}

xmlNodePtr
xml_next(xmlNodePtr node, const char *name)
{
	for (node = node ? node->next : NULL; node != NULL; node = node->next)
		if (is_elem(node, name))
			return node;
	return NULL;
}

xmlNodePtr
xml_first(xmlNodePtr parent, const char *name)
{
	if (parent == NULL)
		return NULL;
	for (xmlNodePtr n = parent->children; n != NULL; n = n->next)
		if (is_elem(n, name))
			return n;
	return NULL;
}

xmlNodePtr
xml_find(xmlNodePtr node, const char *path)
{
	char part[128];

	while (node != NULL && *path != '\0') {
		const char *slash = strchr(path, '/');
		size_t n = slash ? (size_t)(slash - path) : strlen(path);
		if (n >= sizeof(part))
			return NULL;
		memcpy(part, path, n);
		part[n] = '\0';
		node = xml_first(node, part);
		path += n;
		if (*path == '/')
			path++;
	}
	return node;
}

size_t
xml_count(xmlNodePtr node, const char *name)
{
	size_t n = 0;

	for (xmlNodePtr c = xml_first(node, name); c; c = xml_next(c, name))
		n++;
	return n;
}

char *
xml_text(xmlNodePtr node, const char *path)
{
	xmlNodePtr n = path ? xml_find(node, path) : node;
	xmlChar *c;
	char *s;

	if (n == NULL)
		return NULL;
	c = xmlNodeGetContent(n);
	if (c == NULL)
		return xstrdup("");
	s = xstrdup((const char *)c);
	xmlFree(c);
	return s;
}

char *
xml_attr(xmlNodePtr node, const char *name)
{
	xmlChar *c;
	char *s;

	if (node == NULL)
		return NULL;
	c = xmlGetNoNsProp(node, (const xmlChar *)name);
	if (c == NULL)
		return NULL;
	s = xstrdup((const char *)c);
	xmlFree(c);
	return s;
}

char *
xml_path_attr(xmlNodePtr node, const char *path, const char *name)
{
	return xml_attr(xml_find(node, path), name);
}

/* Escape as libvirt's virBufferEscapeString: <, >, &, ', " become
 * entities; tab, newline and carriage return become character references;
 * other control characters are dropped (XML 1.0 cannot carry them). */
void
xml_escape(struct sbuf *b, const char *s)
{
	for (; s != NULL && *s != '\0'; s++) {
		switch (*s) {
		case '<': sbuf_add(b, "&lt;"); break;
		case '>': sbuf_add(b, "&gt;"); break;
		case '&': sbuf_add(b, "&amp;"); break;
		case '\'': sbuf_add(b, "&apos;"); break;
		case '"': sbuf_add(b, "&quot;"); break;
		case '\t': sbuf_add(b, "&#x9;"); break;
		case '\n': sbuf_add(b, "&#xA;"); break;
		case '\r': sbuf_add(b, "&#xD;"); break;
		default:
			if ((unsigned char)*s >= 0x20)
				sbuf_addc(b, *s);
		}
	}
}

void
xml_elem(struct sbuf *b, const char *tag, const char *value)
{
	if (value == NULL)
		return;
	sbuf_line(b, "<%s>", tag);
	xml_escape(b, value);
	sbuf_printf(b, "</%s>\n", tag);
}

void
xml_empty_attr(struct sbuf *b, const char *tag, const char *attr,
	       const char *value)
{
	if (value == NULL)
		return;
	sbuf_line(b, "<%s %s='", tag, attr);
	xml_escape(b, value);
	sbuf_add(b, "'/>\n");
}

static int
perms_id(const char *text, int64_t *out)
{
	int64_t v;

	if (str_to_i64(text, 10, &v) < 0 || v < -1 || v > (int64_t)UINT32_MAX)
		return -1;
	*out = (v == (int64_t)UINT32_MAX) ? -1 : v;
	return 0;
}

int
xml_perms_parse(xmlNodePtr node, struct perms *p, const char *origin,
		struct err *e)
{
	char *s;
	int rc = 0;

	perms_free(p);
	if (node == NULL)
		return 0;
	if ((s = xml_text(node, "mode")) != NULL) {
		int64_t mode;
		char *t = str_trim(s);
		if (str_to_i64(t, 8, &mode) < 0 || mode < 0 || mode > 0777)
			rc = err_setc(e, ERR_INVALID,
				      "%s: malformed octal mode '%s'", origin,
				      t);
		else
			p->mode = mode;
		free(s);
	}
	if (rc == 0 && (s = xml_text(node, "owner")) != NULL) {
		if (perms_id(str_trim(s), &p->uid) < 0)
			rc = err_setc(e, ERR_INVALID,
				      "%s: malformed owner element '%s'",
				      origin, str_trim(s));
		free(s);
	}
	if (rc == 0 && (s = xml_text(node, "group")) != NULL) {
		if (perms_id(str_trim(s), &p->gid) < 0)
			rc = err_setc(e, ERR_INVALID,
				      "%s: malformed group element '%s'",
				      origin, str_trim(s));
		free(s);
	}
	if (rc == 0)
		p->label = xml_text(node, "label");
	return rc;
}

void
xml_perms_format(struct sbuf *b, const struct perms *p)
{
	if (p->mode == -1 && p->uid == -1 && p->gid == -1 && p->label == NULL)
		return;
	sbuf_line(b, "<permissions>\n");
	b->indent += 2;
	if (p->mode != -1)
		sbuf_line(b, "<mode>0%o</mode>\n", (unsigned)p->mode);
	if (p->uid != -1)
		sbuf_line(b, "<owner>%lld</owner>\n", (long long)p->uid);
	if (p->gid != -1)
		sbuf_line(b, "<group>%lld</group>\n", (long long)p->gid);
	xml_elem(b, "label", p->label);
	b->indent -= 2;
	sbuf_line(b, "</permissions>\n");
}

int
xml_scaled(xmlNodePtr node, uint64_t *out, const char *origin,
	   const char *what, struct err *e)
{
	char *num = xml_text(node, NULL);
	char *unit = xml_attr(node, "unit");
	int rc = size_parse_unit(num, unit, out, e);

	if (rc < 0)
		err_prefix(e, "%s: <%s>", origin, what);
	free(num);
	free(unit);
	return rc;
}
