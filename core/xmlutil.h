/* cistern — safe XML reading and the one XML writer.
 *
 * Reading: libxml2 with no network access, no DTD loading, no entity
 * substitution; a document carrying a DOCTYPE (the only way to declare
 * entities) is refused outright, so neither an entity-expansion bomb nor
 * an external entity can do anything.
 */
#ifndef CISTERN_XMLUTIL_H
#define CISTERN_XMLUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libxml/tree.h>

#include "err.h"
#include "fileio.h"
#include "model.h"
#include "util.h"

/* Parse a document; the error names `origin` (a file name) and the line. */
xmlDocPtr xml_parse(const char *data, size_t len, const char *origin,
		    struct err *e);

/* What virsh's --xpath EXPR [--wrap] prints of the document `xml`: each
 * node of the node set EXPR selects, indented afresh, a line each; with
 * `wrap`, copies of them inside one <nodes> element. An expression that
 * does not give a node set (a string, a number) is an error, as virsh. */
char *xml_xpath_dump(const char *xml, const char *expr, bool wrap,
		     struct err *e);

/* The document `xml` with its root's <name> set to `name`, as libxml2
 * writes it (double quotes, no declaration, no final newline): what
 * virsh's vol-clone --print-xml prints. */
char *xml_renamed(const char *xml, const char *name, struct err *e);

/* The first element child of `node` reached by the '/'-separated `path`
 * of element names, or NULL. */
xmlNodePtr xml_find(xmlNodePtr node, const char *path);

/* Count element children named `name`. */
size_t xml_count(xmlNodePtr node, const char *name);

/* Next element sibling named `name` after `node` (NULL name: any). */
xmlNodePtr xml_next(xmlNodePtr node, const char *name);
xmlNodePtr xml_first(xmlNodePtr parent, const char *name);

/* The text content of the element at `path` (malloc'd), or NULL. */
char *xml_text(xmlNodePtr node, const char *path);

/* An attribute of `node` (malloc'd), or NULL. */
char *xml_attr(xmlNodePtr node, const char *name);

/* An attribute of the element at `path`, or NULL. */
char *xml_path_attr(xmlNodePtr node, const char *path, const char *name);

/* Writer: append `s` escaped for an attribute or text. */
void xml_escape(struct sbuf *b, const char *s);

/* Writer: indentation, then printf with %s arguments NOT escaped; use
 * xml_line_esc for one escaped value. */
/* `<tag>value</tag>\n` with value escaped; nothing if value is NULL. */
void xml_elem(struct sbuf *b, const char *tag, const char *value);
/* `<tag attr='value'/>\n` with value escaped; nothing if value is NULL. */
void xml_empty_attr(struct sbuf *b, const char *tag, const char *attr,
		    const char *value);

/* <permissions>: mode (octal, at most 0777 as libvirt), owner and group (-1 or
 * 0..4294967295, the latter meaning -1), label. */
int xml_perms_parse(xmlNodePtr node, struct perms *p, const char *origin,
		    struct err *e);
/* Writes <permissions> if any field is set. */
void xml_perms_format(struct sbuf *b, const struct perms *p);

/* Parse a libvirt scaled integer element (<capacity unit='G'>5</...>). */
int xml_scaled(xmlNodePtr node, uint64_t *out, const char *origin,
	       const char *what, struct err *e);

#endif
