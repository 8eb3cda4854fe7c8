/* cistern — definitions built from a few plain values: what virsh's
 * pool-define-as and vol-create-as take (buildPoolXML and
 * virshVolCreateAs), as structs any face fills in (the command line, the
 * wizards, the default pool) and core turns into a definition.
 *
 * The XML text is virsh's own layout (what --print-xml shows); the
 * definition is that text read by the one parser (core/xml.h), so a
 * builder's result obeys every rule a definition file does.
 */
#ifndef CISTERN_BUILD_H
#define CISTERN_BUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"
#include "model.h"

/* A pool's definition as pool-define-as's arguments (NULL or "": not
 * given). */
struct pool_args {
	const char *type;
	const char *name;
	const char *source_host;
	const char *source_port;
	const char *source_path;
	const char *const *source_devs;
	size_t nsource_devs;
	const char *source_name;
	const char *source_format;
	const char *source_initiator;
	const char *auth_type;            /* chap, ceph */
	const char *auth_username;
	const char *secret_usage;         /* one of usage / uuid */
	const char *secret_uuid;
	const char *source_protocol_ver;
	const char *target;
	const char *target_mode;
	const char *target_owner;
	const char *target_group;
};

/* virsh's buildPoolXML of `a` (malloc'd), or NULL with `e` set when the
 * arguments do not go together. */
char *pool_args_xml(const struct pool_args *a, struct err *e);

/* The definition `a` makes: the name checked first, then the XML read by
 * the parser. `origin` names the caller in errors ("pool-define-as").
 * With `xml_out`, the XML too (malloc'd). */
struct pool_def *pool_args_def(const struct pool_args *a, const char *origin,
			       char **xml_out, struct err *e);

/* A volume's definition as vol-create-as's arguments. */
struct vol_args {
	const char *name;
	uint64_t capacity;
	bool has_allocation;
	uint64_t allocation;
	const char *format;               /* NULL: the pool type's default */
	const char *backing_path;         /* NULL: no backing store */
	const char *backing_format;
	/* disk pools: where the partition goes (vol_def.want_start) */
	const char *device;
	bool has_start;
	uint64_t start;
	int64_t mode, uid, gid;           /* -1: not given (vol_args_init) */
};

/* Every field "not given". */
void vol_args_init(struct vol_args *a);

/* virsh's vol-create-as XML of `a` (malloc'd). */
char *vol_args_xml(const struct vol_args *a);

/* The definition `a` makes in a pool of type `t` (the parser's rules);
 * `origin` names the caller in errors. */
struct vol_def *vol_args_def(const struct vol_args *a, enum pool_type t,
			     const char *origin, char **xml_out,
			     struct err *e);

/* libvirt's convention: the 'default' dir pool for images, and where it
 * goes (/var/lib/cistern/images for root, else under XDG_DATA_HOME or
 * ~/.local/share); malloc'd. */
char *default_pool_dir(void);

/* Define the 'default' dir pool in `dir`, build and start it, and mark it
 * autostarted (the offer on a first start, from either face). */
struct cistern;
int pool_create_default(struct cistern *c, const char *dir, struct err *e);

/* A clone's definition (virsh vol-clone): the source's with a new name
 * and no path, key, extents or partition number (the backend gives
 * them), and no backing store: a clone is a standalone copy, as
 * libvirt's; VOL_CREATE_KEEP_BACKING (core/backend.h) keeps it. */
struct vol_def *vol_def_clone(const struct vol_def *src, const char *name,
			      unsigned flags);

#endif
