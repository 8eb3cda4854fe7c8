/* cistern — libvirt's pool and volume XML, read and written.
 *
 * The parser applies libvirt's rules (required elements per pool type,
 * defaults, path clean-up) and the formatter writes libvirt's canonical
 * layout byte for byte (virStoragePoolDefFormat / virStorageVolDefFormat).
 */
#ifndef CISTERN_XML_H
#define CISTERN_XML_H

#include <stddef.h>

#include "err.h"
#include "model.h"

#define FS_NS_HREF "http://libvirt.org/schemas/storagepool/fs/1.0"
#define RBD_NS_HREF "http://libvirt.org/schemas/storagepool/rbd/1.0"

/* Parse pool XML. `origin` names the source in errors (a file name). */
struct pool_def *pool_def_parse(const char *xml, size_t len,
				const char *origin, struct err *e);
struct pool_def *pool_def_parse_file(const char *path, struct err *e);

/* Write pool XML: what `d` holds; with POOL_XML_INACTIVE, as a definition
 * (sizes 0, no free extents: the run-time facts left out). */
enum { POOL_XML_INACTIVE = 1 << 0 };
char *pool_def_format(const struct pool_def *d, unsigned flags);

/* find-storage-pool-sources output: libvirt's <sources> list of <source>
 * elements, each written as in a pool of `type`
 * (virStoragePoolSourceListFormat). */
char *pool_sources_format(enum pool_type type, const struct pool_source *srcs,
			  size_t n);

enum vol_parse_flags {
	VOL_PARSE_OPT_CAPACITY = 1 << 0, /* capacity optional with a backing store */
	VOL_PARSE_NO_CAPACITY = 1 << 1,  /* capacity never required */
};

/* Parse volume XML in the context of a pool type (formats and defaults
 * depend on it). */
struct vol_def *vol_def_parse(const char *xml, size_t len, const char *origin,
			      enum pool_type ptype, unsigned flags,
			      struct err *e);
struct vol_def *vol_def_parse_file(const char *path, enum pool_type ptype,
				   unsigned flags, struct err *e);

char *vol_def_format(const struct vol_def *v, enum pool_type ptype);

/* Largest XML document cistern reads. */
#define XML_MAX_BYTES (4u << 20)

#endif
