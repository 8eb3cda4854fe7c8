/* cistern — the libvirt engine's disk map: a disk pool's devices drawn
 * from what libvirt reports, the <freeExtent>s of the live pool XML and
 * each volume's source <extent>s, so the map screen and pool-map show the
 * same picture as with the local engine. */
#include "libvirt.h"

#include <stdlib.h>
#include <string.h>

#include "../core/util.h"
#include "../core/xmlutil.h"

/* start= and end= of an extent element; 0, or -1 when malformed. */
static int
extent_read(xmlNodePtr x, uint64_t *start, uint64_t *end)
{
	char *s = xml_attr(x, "start"), *t = xml_attr(x, "end");
	int rc = 0;

	if (s == NULL || t == NULL || str_to_u64(s, 10, start) < 0 ||
	    str_to_u64(t, 10, end) < 0 || *end < *start)
		rc = -1;
	free(s);
	free(t);
	return rc;
}

void
lv_vol_extents(struct vol_def *v, const char *xml)
{
	struct err e;
	xmlDocPtr doc;
	xmlNodePtr root, src;

	err_init(&e);
	doc = xml_parse(xml, strlen(xml), "libvirt's volume", &e);
	err_clear(&e);
	if (doc == NULL)
		return;
	root = xmlDocGetRootElement(doc);
	src = root ? xml_find(root, "source") : NULL;
	for (xmlNodePtr d = src ? xml_first(src, "device") : NULL; d != NULL;
	     d = xml_next(d, "device")) {
		char *path = xml_attr(d, "path");
		for (xmlNodePtr x = xml_first(d, "extent"); path && x != NULL;
		     x = xml_next(x, "extent")) {
			struct vol_extent ve = { 0 };
			if (extent_read(x, &ve.start, &ve.end) < 0)
				continue;
			ve.device = xstrdup(path);
			v->extents = xreallocarray(v->extents, v->nextents + 1,
						   sizeof(*v->extents));
			v->extents[v->nextents++] = ve;
		}
		free(path);
	}
	xmlFreeDoc(doc);
}

/* One segment before map_add_seg: sorted by start. */
struct seg {
	enum seg_kind kind;
	uint64_t start, end;
	const char *vol;
};

static int
cmp_seg(const void *a, const void *b)
{
	const struct seg *x = a, *y = b;

	return x->start < y->start ? -1 : x->start > y->start;
}

/* The map of one device: the volumes' extents on it and its free ones. */
static void
map_device(struct pool *p, const char *path, uint64_t size,
	   xmlNodePtr dev)
{
	struct seg *segs = NULL;
	size_t n = 0;
	const struct seg *ext = NULL;
	struct dev_map *m;

	for (size_t i = 0; i < p->nvols; i++) {
		const struct vol_def *v = p->vols[i];
		bool extended = str_eq(v->target.format, "extended");
		for (size_t k = 0; k < v->nextents; k++) {
			if (!str_eq(v->extents[k].device, path))
				continue;
			segs = xreallocarray(segs, n + 1, sizeof(*segs));
			segs[n++] = (struct seg){
				extended ? SEG_EXTENDED : SEG_PRIMARY,
				v->extents[k].start, v->extents[k].end, v->name };
		}
	}
	for (xmlNodePtr x = xml_first(dev, "freeExtent"); x != NULL;
	     x = xml_next(x, "freeExtent")) {
		uint64_t s, e;
		if (extent_read(x, &s, &e) < 0)
			continue;
		segs = xreallocarray(segs, n + 1, sizeof(*segs));
		segs[n++] = (struct seg){ SEG_FREE, s, e, NULL };
	}
	if (n > 0)
		qsort(segs, n, sizeof(*segs), cmp_seg);
	m = pool_add_map(p, path, size, p->def->source.format);
	for (size_t i = 0; i < n; i++) {
		/* inside the extended partition: logical ones and free space */
		bool inside = ext != NULL && segs[i].kind != SEG_EXTENDED &&
			      segs[i].start >= ext->start &&
			      segs[i].end <= ext->end;
		enum seg_kind k = segs[i].kind;
		if (inside && k == SEG_PRIMARY)
			k = SEG_LOGICAL;
		map_add_seg(m, k, segs[i].start, segs[i].end, segs[i].vol,
			    inside ? 1 : 0);
		if (segs[i].kind == SEG_EXTENDED)
			ext = &segs[i];
	}
	free(segs);
}

int
lv_disk_map(struct cistern *c, struct pool *p, virStoragePoolPtr pp,
	    struct err *e)
{
	char *xml = virt.virStoragePoolGetXMLDesc(pp, 0);
	xmlDocPtr doc;
	xmlNodePtr root, src;

	if (xml == NULL)
		return lv_fail(c, e, "pool '%s'", p->def->name);
	doc = xml_parse(xml, strlen(xml), "libvirt's pool", e);
	free(xml);
	if (doc == NULL)
		return -1;
	root = xmlDocGetRootElement(doc);
	src = root ? xml_find(root, "source") : NULL;
	for (xmlNodePtr d = src ? xml_first(src, "device") : NULL; d != NULL;
	     d = xml_next(d, "device")) {
		char *path = xml_attr(d, "path");
		/* libvirt's capacity of a disk pool is its device's size */
		if (path != NULL)
			map_device(p, path, p->def->capacity, d);
		free(path);
	}
	xmlFreeDoc(doc);
	return 0;
}
