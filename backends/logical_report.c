/* cistern — logical pools: reading `lvs` and `vgs` JSON reports.
 *
 * A refresh runs exactly one `lvs -a` and one `vgs` (at the same time)
 * and checks every field it uses: names, UUIDs (the volume key), paths,
 * sizes, origins, segment types, the devices of each segment and their
 * extents. LVs that are parts of others (raid images, thin pool data,
 * pvmove) are followed to the LV they belong to, so each PV's map shows
 * whose extents are where.
 */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "../core/util.h"
#include "logical.h"

const char lvm_lvs_fields[] =
	"lv_name,lv_uuid,lv_path,lv_size,origin,origin_size,segtype,stripes,"
	"seg_start,seg_size,devices,lv_attr,lv_parent,lv_tags";
const char lvm_vgs_fields[] =
	"vg_name,vg_uuid,vg_size,vg_free,vg_extent_size,pv_name,pv_uuid,"
	"pv_missing,dev_size,pe_start,pv_pe_count,pv_pe_alloc_count";

/* The rows of one kind ("lv", "vg") of an LVM JSON report. */
static json_object *
report_rows(json_object *root, const char *kind, const char *tool,
	    struct err *e)
{
	json_object *rep, *rows = NULL;

	if (root == NULL || !json_object_object_get_ex(root, "report", &rep) ||
	    !json_object_is_type(rep, json_type_array))
		return err_setc(e, ERR_TOOL, "%s printed no JSON report", tool),
		       NULL;
	for (size_t i = 0; i < json_object_array_length(rep); i++) {
		json_object *o = json_object_array_get_idx(rep, i), *a;
		if (json_object_object_get_ex(o, kind, &a) &&
		    json_object_is_type(a, json_type_array)) {
			rows = a;
			break;
		}
	}
	if (rows == NULL)
		err_setc(e, ERR_TOOL, "%s report has no '%s' rows", tool, kind);
	return rows;
}

/* A field of a row as a string (LVM prints every value as one). */
static const char *
field(json_object *row, const char *name, const char *tool, struct err *e)
{
	json_object *v;

	if (!json_object_object_get_ex(row, name, &v) || v == NULL ||
	    json_object_is_type(v, json_type_object) ||
	    json_object_is_type(v, json_type_array))
		return err_setc(e, ERR_TOOL, "%s report lacks the field '%s'",
				tool, name), NULL;
	return json_object_get_string(v);
}

/* A size or count field: a plain non-negative integer. */
static int
field_u64(json_object *row, const char *name, const char *tool,
	  const char *obj, uint64_t *out, struct err *e)
{
	const char *s = field(row, name, tool, e);

	if (s == NULL)
		return -1;
	if (str_to_u64(s, 10, out) < 0 || *out > (uint64_t)INT64_MAX)
		return err_setc(e, ERR_TOOL, "%s reports a malformed %s '%s' "
				"for %s", tool, name, s, obj);
	return 0;
}

/* LVM's UUIDs: 32 letters and digits as 6-4-4-4-4-4-6. */
static bool
lvm_uuid_ok(const char *s)
{
	static const int groups[] = { 6, 4, 4, 4, 4, 4, 6 };

	for (size_t g = 0; g < ARRAY_SIZE(groups); g++) {
		for (int i = 0; i < groups[g]; i++, s++)
			if (!isalnum((unsigned char)*s))
				return false;
		if (g + 1 < ARRAY_SIZE(groups) && *s++ != '-')
			return false;
	}
	return *s == '\0';
}

/* Free what an LV of a report holds. */
static void
lv_clear(struct lvm_lv *lv)
{
	free(lv->name);
	free(lv->uuid);
	free(lv->path);
	free(lv->origin);
	free(lv->attr);
	free(lv->parent);
	for (size_t i = 0; i < lv->nsegs; i++) {
		for (size_t k = 0; k < lv->segs[i].nrefs; k++)
			free(lv->segs[i].refs[k].name);
		free(lv->segs[i].refs);
		free(lv->segs[i].segtype);
	}
	free(lv->segs);
	memset(lv, 0, sizeof(*lv));
}

void
lvm_report_free(struct lvm_report *r)
{
	free(r->vg_name);
	free(r->vg_uuid);
	for (size_t i = 0; i < r->npvs; i++) {
		free(r->pvs[i].name);
		free(r->pvs[i].uuid);
	}
	free(r->pvs);
	for (size_t i = 0; i < r->nlvs; i++)
		lv_clear(&r->lvs[i]);
	free(r->lvs);
	free(r->pieces);
	memset(r, 0, sizeof(*r));
}

/* One row of `vgs` (one per PV) into the report. */
static int
vgs_row(struct lvm_report *r, json_object *row, const char *vg,
	struct err *e)
{
	const char *name, *uuid, *pv, *pvuuid, *missing;
	uint64_t size, vfree, ext;
	struct lvm_pv *x;

	if ((name = field(row, "vg_name", "vgs", e)) == NULL)
		return -1;
	if (strcmp(name, vg) != 0)
		return err_setc(e, ERR_TOOL, "vgs reports volume group '%s' "
				"when asked for '%s'", name, vg);
	if ((uuid = field(row, "vg_uuid", "vgs", e)) == NULL ||
	    (pv = field(row, "pv_name", "vgs", e)) == NULL ||
	    (pvuuid = field(row, "pv_uuid", "vgs", e)) == NULL ||
	    (missing = field(row, "pv_missing", "vgs", e)) == NULL)
		return -1;
	if (!lvm_uuid_ok(uuid))
		return err_setc(e, ERR_TOOL, "vgs reports a malformed UUID "
				"'%s' for volume group '%s'", uuid, vg);
	if (field_u64(row, "vg_size", "vgs", vg, &size, e) < 0 ||
	    field_u64(row, "vg_free", "vgs", vg, &vfree, e) < 0 ||
	    field_u64(row, "vg_extent_size", "vgs", vg, &ext, e) < 0)
		return -1;
	if (ext == 0 || ext % 512 != 0 || vfree > size || size % ext != 0 ||
	    vfree % ext != 0)
		return err_setc(e, ERR_TOOL, "vgs reports inconsistent sizes "
				"for volume group '%s' (size %llu, free %llu, "
				"extent %llu)", vg, (unsigned long long)size,
				(unsigned long long)vfree,
				(unsigned long long)ext);
	if (r->vg_name == NULL) {
		r->vg_name = xstrdup(name);
		r->vg_uuid = xstrdup(uuid);
		r->vg_size = size;
		r->vg_free = vfree;
		r->extent_size = ext;
	} else if (strcmp(r->vg_uuid, uuid) != 0 || r->vg_size != size ||
		   r->vg_free != vfree || r->extent_size != ext) {
		return err_setc(e, ERR_TOOL, "vgs reports two different "
				"volume groups named '%s'", vg);
	}
	r->pvs = xreallocarray(r->pvs, r->npvs + 1, sizeof(*r->pvs));
	x = &r->pvs[r->npvs];
	memset(x, 0, sizeof(*x));
	x->missing = missing[0] != '\0';
	if ((pv[0] != '/' && !(x->missing && strcmp(pv, "[unknown]") == 0)) ||
	    str_has_ctrl(pv))
		return err_setc(e, ERR_TOOL, "vgs reports a malformed physical "
				"volume name '%s' in volume group '%s'", pv,
				vg);
	if (!lvm_uuid_ok(pvuuid))
		return err_setc(e, ERR_TOOL, "vgs reports a malformed UUID "
				"'%s' for physical volume '%s'", pvuuid, pv);
	if (field_u64(row, "dev_size", "vgs", pv, &x->dev_size, e) < 0 ||
	    field_u64(row, "pe_start", "vgs", pv, &x->pe_start, e) < 0 ||
	    field_u64(row, "pv_pe_count", "vgs", pv, &x->pe_count, e) < 0 ||
	    field_u64(row, "pv_pe_alloc_count", "vgs", pv, &x->pe_alloc,
		      e) < 0)
		return -1;
	if (x->pe_alloc > x->pe_count || x->pe_count > UINT64_MAX / ext ||
	    (!x->missing &&
	     x->pe_start + x->pe_count * ext > x->dev_size))
		return err_setc(e, ERR_TOOL, "vgs reports inconsistent extents "
				"for physical volume '%s' (device %llu bytes, "
				"first extent at %llu, %llu extents)", pv,
				(unsigned long long)x->dev_size,
				(unsigned long long)x->pe_start,
				(unsigned long long)x->pe_count);
	for (size_t i = 0; i < r->npvs && !x->missing; i++)
		if (strcmp(r->pvs[i].name, pv) == 0)
			return err_setc(e, ERR_TOOL, "vgs reports physical "
					"volume '%s' twice", pv);
	x->name = xstrdup(pv);
	x->uuid = xstrdup(pvuuid);
	r->npvs++;
	return 0;
}

int
lvm_report_vgs(struct lvm_report *r, const char *json, const char *vg,
	       struct err *e)
{
	json_object *root = json_tokener_parse(json), *rows;
	uint64_t extents = 0;
	int rc = -1;

	rows = report_rows(root, "vg", "vgs", e);
	if (rows == NULL)
		goto out;
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		if (vgs_row(r, json_object_array_get_idx(rows, i), vg, e) < 0)
			goto out;
	if (r->vg_name == NULL) {
		err_setc(e, ERR_NOT_FOUND, "vgs does not list volume group "
			 "'%s'", vg);
		goto out;
	}
	for (size_t i = 0; i < r->npvs; i++)
		extents += r->pvs[i].pe_count;
	if (extents * r->extent_size != r->vg_size) {
		err_setc(e, ERR_TOOL, "vgs reports %llu bytes for volume group "
			 "'%s' but its physical volumes hold %llu",
			 (unsigned long long)r->vg_size, vg,
			 (unsigned long long)(extents * r->extent_size));
		goto out;
	}
	rc = 0;
out:
	if (root != NULL)
		json_object_put(root);
	return rc;
}

/* Parse a `devices` field: "PATH(N),NAME(N),...". A path may itself hold
 * "(N)," so an entry ends at the first "(digits)" followed by ',' or the
 * end that makes a known PV name, else at the first one (an LV name
 * holds neither '(' nor ','). */
static int
parse_devices(const struct lvm_report *r, const char *s, struct lvm_seg *seg,
	      const char *lv, struct err *e)
{
	const char *p = s;

	while (*p != '\0') {
		const char *open = NULL, *close = NULL;
		for (const char *q = strchr(p, '('); q != NULL;
		     q = strchr(q + 1, '(')) {
			const char *d = q + 1;
			while (isdigit((unsigned char)*d))
				d++;
			if (q == p || d == q + 1 || *d != ')' ||
			    (d[1] != ',' && d[1] != '\0'))
				continue;
			char *name = xstrndup(p, (size_t)(q - p));
			bool pv = lvm_find_pv(r, name, NULL) != NULL;
			free(name);
			if (open == NULL || pv) {
				open = q;
				close = d;
			}
			if (pv)
				break;
		}
		if (close == NULL)
			return err_setc(e, ERR_TOOL, "lvs reports malformed "
					"devices '%s' for logical volume '%s'",
					s, lv);
		char *num = xstrndup(open + 1, (size_t)(close - open - 1));
		struct lvm_ref ref;
		ref.name = xstrndup(p, (size_t)(open - p));
		int bad = str_to_u64(num, 10, &ref.pe);
		free(num);
		if (bad < 0 || str_has_ctrl(ref.name)) {
			free(ref.name);
			return err_setc(e, ERR_TOOL, "lvs reports malformed "
					"devices '%s' for logical volume '%s'",
					s, lv);
		}
		seg->refs = xreallocarray(seg->refs, seg->nrefs + 1,
					  sizeof(*seg->refs));
		seg->refs[seg->nrefs++] = ref;
		p = close[1] == ',' ? close + 2 : close + 1;
	}
	return 0;
}

/* LVM prints hidden LVs in brackets: "[name]" in lv_name, lv_parent and
 * origin. */
static char *
unbracket(const char *s, bool *hidden)
{
	size_t n = strlen(s);

	if (n >= 2 && s[0] == '[' && s[n - 1] == ']') {
		if (hidden)
			*hidden = true;
		return xstrndup(s + 1, n - 2);
	}
	if (hidden)
		*hidden = false;
	return xstrdup(s);
}

/* The LV a row belongs to: the previous one (rows of an LV are
 * consecutive) or a new one. */
/* Does the row's lv_tags (comma-separated; an older report may not have
 * the field) hold `tag`? */
static bool
has_tag(json_object *row, const char *tag)
{
	json_object *o;
	const char *t;
	size_t n = strlen(tag);

	if (!json_object_object_get_ex(row, "lv_tags", &o) ||
	    (t = json_object_get_string(o)) == NULL)
		return false;
	for (const char *p = t; (p = strstr(p, tag)) != NULL; p += n)
		if ((p == t || p[-1] == ',') && (p[n] == '\0' || p[n] == ','))
			return true;
	return false;
}

static struct lvm_lv *
row_lv(struct lvm_report *r, json_object *row, const char *vg,
       struct err *e)
{
	const char *name, *uuid, *path, *origin, *attr, *parent;
	struct lvm_lv *lv;
	bool hidden;
	char *bare;

	if ((name = field(row, "lv_name", "lvs", e)) == NULL ||
	    (uuid = field(row, "lv_uuid", "lvs", e)) == NULL ||
	    (path = field(row, "lv_path", "lvs", e)) == NULL ||
	    (origin = field(row, "origin", "lvs", e)) == NULL ||
	    (attr = field(row, "lv_attr", "lvs", e)) == NULL ||
	    (parent = field(row, "lv_parent", "lvs", e)) == NULL)
		return NULL;
	bare = unbracket(name, &hidden);
	if (r->nlvs > 0 && strcmp(r->lvs[r->nlvs - 1].name, bare) == 0 &&
	    r->lvs[r->nlvs - 1].hidden == hidden) {
		free(bare);
		lv = &r->lvs[r->nlvs - 1];
		if (strcmp(lv->uuid, uuid) != 0)
			return err_setc(e, ERR_TOOL, "lvs reports two logical "
					"volumes named '%s'", name), NULL;
		return lv;
	}
	if (!lvm_name_ok(bare)) {
		err_setc(e, ERR_TOOL, "lvs reports a malformed logical volume "
			 "name '%s'", name);
		free(bare);
		return NULL;
	}
	r->lvs = xreallocarray(r->lvs, r->nlvs + 1, sizeof(*r->lvs));
	lv = &r->lvs[r->nlvs++];
	memset(lv, 0, sizeof(*lv));
	lv->name = bare;
	lv->hidden = hidden;
	if (!lvm_uuid_ok(uuid))
		return err_setc(e, ERR_TOOL, "lvs reports a malformed UUID "
				"'%s' for logical volume '%s'", uuid, name),
		       NULL;
	lv->uuid = xstrdup(uuid);
	lv->path = xstrdup(path);
	lv->partial = has_tag(row, LVM_PARTIAL_TAG);
	if (path[0] != '\0') {
		char *want = xasprintf("/dev/%s/%s", vg, bare);
		bool ok = !hidden && strcmp(path, want) == 0;
		free(want);
		if (!ok)
			return err_setc(e, ERR_TOOL, "lvs reports path '%s' "
					"for logical volume '%s' of volume "
					"group '%s'", path, name, vg), NULL;
	}
	lv->origin = xstrdup(origin);
	if (origin[0] != '\0') {
		char *o = unbracket(origin, NULL);
		bool ok = lvm_name_ok(o);
		free(o);
		if (!ok)
			return err_setc(e, ERR_TOOL, "lvs reports a malformed "
					"origin '%s' for logical volume '%s'",
					origin, name), NULL;
	}
	lv->attr = xstrdup(attr);
	if (strlen(attr) < 6 || strlen(attr) > 10 || str_has_ctrl(attr) ||
	    strchr(attr, ' ') != NULL)
		return err_setc(e, ERR_TOOL, "lvs reports malformed attributes "
				"'%s' for logical volume '%s'", attr, name),
		       NULL;
	lv->parent = unbracket(parent, NULL);
	if (lv->parent[0] != '\0' && !lvm_name_ok(lv->parent))
		return err_setc(e, ERR_TOOL, "lvs reports a malformed parent "
				"'%s' for logical volume '%s'", parent, name),
		       NULL;
	if (field_u64(row, "lv_size", "lvs", name, &lv->size, e) < 0)
		return NULL;
	if (origin[0] != '\0' &&
	    field_u64(row, "origin_size", "lvs", name, &lv->origin_size,
		      e) < 0)
		return NULL;
	return lv;
}

/* One row of `lvs` (one per LV segment). */
static int
lvs_row(struct lvm_report *r, json_object *row, const char *vg,
	struct err *e)
{
	struct lvm_lv *lv = row_lv(r, row, vg, e);
	const char *segtype, *devices, *stripes;
	struct lvm_seg *seg;
	uint64_t n, end;

	if (lv == NULL)
		return -1;
	if ((segtype = field(row, "segtype", "lvs", e)) == NULL ||
	    (stripes = field(row, "stripes", "lvs", e)) == NULL ||
	    (devices = field(row, "devices", "lvs", e)) == NULL)
		return -1;
	lv->segs = xreallocarray(lv->segs, lv->nsegs + 1, sizeof(*lv->segs));
	seg = &lv->segs[lv->nsegs++];
	memset(seg, 0, sizeof(*seg));
	seg->segtype = xstrdup(segtype);
	if (segtype[0] == '\0' || str_has_ctrl(segtype) ||
	    str_to_u64(stripes, 10, &n) < 0 || n > 1024)
		return err_setc(e, ERR_TOOL, "lvs reports a malformed segment "
				"(type '%s', %s stripes) for logical volume "
				"'%s'", segtype, stripes, lv->name);
	seg->stripes = (unsigned)n;
	if (field_u64(row, "seg_start", "lvs", lv->name, &seg->start, e) < 0 ||
	    field_u64(row, "seg_size", "lvs", lv->name, &seg->size, e) < 0)
		return -1;
	end = lv->nsegs > 1 ? lv->segs[lv->nsegs - 2].start +
			      lv->segs[lv->nsegs - 2].size : 0;
	if (seg->start != end)
		return err_setc(e, ERR_TOOL, "lvs reports a segment of logical "
				"volume '%s' at %llu where %llu was expected",
				lv->name, (unsigned long long)seg->start,
				(unsigned long long)end);
	if (parse_devices(r, devices, seg, lv->name, e) < 0)
		return -1;
	if ((strcmp(segtype, "linear") == 0 && seg->nrefs != 1) ||
	    (strcmp(segtype, "striped") == 0 &&
	     (seg->nrefs != seg->stripes || seg->stripes == 0)))
		return err_setc(e, ERR_TOOL, "lvs reports %zu devices for a %s "
				"segment of %u stripes of logical volume '%s'",
				seg->nrefs, segtype, seg->stripes, lv->name);
	return 0;
}

/* LVs by name (qsort, bsearch). */
static int
cmp_lv(const void *a, const void *b)
{
	const struct lvm_lv *x = a, *y = b;

	return strcmp(x->name, y->name);
}

struct lvm_lv *
lvm_report_find(const struct lvm_report *r, const char *name)
{
	struct lvm_lv key = { .name = (char *)name };

	if (r->nlvs == 0)
		return NULL;
	return bsearch(&key, r->lvs, r->nlvs, sizeof(*r->lvs), cmp_lv);
}

struct lvm_pv *
lvm_find_pv(const struct lvm_report *r, const char *name, size_t *index)
{
	for (size_t i = 0; i < r->npvs; i++)
		if (!r->pvs[i].missing && strcmp(r->pvs[i].name, name) == 0) {
			if (index)
				*index = i;
			return &r->pvs[i];
		}
	return NULL;
}

/* The visible LV that `lv` is part of (itself if visible). */
static const char *
owner_of(const struct lvm_report *r, const struct lvm_lv *lv)
{
	for (int depth = 0; lv->hidden && lv->parent[0] != '\0' && depth < 16;
	     depth++) {
		const struct lvm_lv *up = lvm_report_find(r, lv->parent);
		if (up == NULL)
			break;
		lv = up;
	}
	return lv->name;
}

uint64_t
lvm_ref_bytes(const struct lvm_seg *s)
{
	if (strcmp(s->segtype, "striped") == 0 && s->stripes > 0)
		return s->size / s->stripes;
	return s->size;
}

/* Pieces by PV, then by first extent. */
static int
cmp_piece(const void *a, const void *b)
{
	const struct lvm_piece *x = a, *y = b;

	if (x->pv != y->pv)
		return x->pv < y->pv ? -1 : 1;
	return x->pe < y->pe ? -1 : x->pe > y->pe;
}

/* Check one device reference of an LV's segment; a PV's extents become
 * a piece of the maps. */
static int
check_ref(struct lvm_report *r, const struct lvm_lv *lv,
	  const struct lvm_ref *ref, uint64_t bytes, struct err *e)
{
	uint64_t ext = r->extent_size, n = bytes / ext;
	size_t pvi;
	struct lvm_pv *pv = lvm_find_pv(r, ref->name, &pvi);

	if (pv == NULL) {
		if (strcmp(ref->name, "[unknown]") == 0 ||
		    lvm_report_find(r, ref->name) != NULL)
			return 0;
		return err_setc(e, ERR_TOOL, "lvs reports device '%s' for "
				"logical volume '%s', which is neither a "
				"physical volume of '%s' nor a logical volume",
				ref->name, lv->name, r->vg_name);
	}
	if (bytes % ext != 0 || ref->pe > pv->pe_count ||
	    n > pv->pe_count - ref->pe)
		return err_setc(e, ERR_TOOL, "lvs reports extents %llu+%llu of "
				"'%s' for logical volume '%s', beyond its %llu "
				"extents", (unsigned long long)ref->pe,
				(unsigned long long)n, pv->name, lv->name,
				(unsigned long long)pv->pe_count);
	r->pieces = xreallocarray(r->pieces, r->npieces + 1,
				  sizeof(*r->pieces));
	r->pieces[r->npieces++] = (struct lvm_piece){
		.pv = pvi, .pe = ref->pe, .npe = n, .owner = owner_of(r, lv),
	};
	return 0;
}

/* Check every device reference and collect who uses which extents; no
 * extent may belong to two LVs. */
static int
check_refs(struct lvm_report *r, struct err *e)
{
	for (size_t i = 0; i < r->nlvs; i++) {
		const struct lvm_lv *lv = &r->lvs[i];
		for (size_t s = 0; s < lv->nsegs; s++) {
			const struct lvm_seg *sg = &lv->segs[s];
			for (size_t k = 0; k < sg->nrefs; k++)
				if (check_ref(r, lv, &sg->refs[k],
					      lvm_ref_bytes(sg), e) < 0)
					return -1;
		}
	}
	if (r->npieces > 1)
		qsort(r->pieces, r->npieces, sizeof(*r->pieces), cmp_piece);
	for (size_t i = 1; i < r->npieces; i++) {
		const struct lvm_piece *a = &r->pieces[i - 1];
		const struct lvm_piece *b = &r->pieces[i];
		if (a->pv == b->pv && a->pe + a->npe > b->pe)
			return err_setc(e, ERR_TOOL, "lvs reports extent %llu "
					"of '%s' used by both '%s' and '%s'",
					(unsigned long long)b->pe,
					r->pvs[b->pv].name, a->owner, b->owner);
	}
	return 0;
}

int
lvm_report_lvs(struct lvm_report *r, const char *json, const char *vg,
	       struct err *e)
{
	json_object *root = json_tokener_parse(json), *rows;
	int rc = -1;

	rows = report_rows(root, "lv", "lvs", e);
	if (rows == NULL)
		goto out;
	for (size_t i = 0; i < json_object_array_length(rows); i++)
		if (lvs_row(r, json_object_array_get_idx(rows, i), vg, e) < 0)
			goto out;
	if (r->nlvs > 1)
		qsort(r->lvs, r->nlvs, sizeof(*r->lvs), cmp_lv);
	for (size_t i = 1; i < r->nlvs; i++)
		if (strcmp(r->lvs[i - 1].name, r->lvs[i].name) == 0) {
			err_setc(e, ERR_TOOL, "lvs reports logical volume '%s' "
				 "twice", r->lvs[i].name);
			goto out;
		}
	rc = check_refs(r, e);
out:
	if (root != NULL)
		json_object_put(root);
	return rc;
}

int
lvm_report_load(const struct pool *p, struct lvm_report *r, struct err *e)
{
	const char *vg = lvm_vg_name(p, e);
	struct run_result res[2];
	struct run_opts o = {
		.timeout_ms = LVM_TIMEOUT_MS,
		.env = lvm_env,
	};
	int rc;

	memset(r, 0, sizeof(*r));
	if (vg == NULL)
		return -1;
	if (run_dry_run())
		return 1;   /* queries are not run: an empty report */
	const char *lvs[] = {
		"lvs", "-a", "--reportformat", "json", "--units", "b",
		"--nosuffix", "-o", lvm_lvs_fields, vg, NULL,
	};
	const char *vgs[] = {
		"vgs", "--reportformat", "json", "--units", "b", "--nosuffix",
		"-o", lvm_vgs_fields, vg, NULL,
	};
	const char *const *const both[] = { lvs, vgs };

	rc = run_argv_all(both, 2, &o, res, e);
	if (rc < 0)
		lvm_error_text(e);
	else if (lvm_report_vgs(r, res[1].out, vg, e) < 0 ||
		 lvm_report_lvs(r, res[0].out, vg, e) < 0)
		rc = -1;
	run_result_free(&res[0]);
	run_result_free(&res[1]);
	if (rc < 0)
		lvm_report_free(r);
	return rc;
}

void
lvm_pvs_free(struct lvm_pvrow *rows, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(rows[i].pv);
		free(rows[i].vg);
	}
	free(rows);
}

int
lvm_pvs(struct lvm_pvrow **out, size_t *nout, struct err *e)
{
	const char *argv[] = {
		"pvs", "--reportformat", "json", "-o", "pv_name,vg_name", NULL,
	};
	struct run_result res;
	json_object *root = NULL, *rows;
	struct lvm_pvrow *list = NULL;
	size_t n = 0;
	int rc = -1;

	*out = NULL;
	*nout = 0;
	if (run_dry_run())
		return 0;   /* queries are not run */
	if (lvm_run(argv, &res, e) < 0)
		goto out;
	root = json_tokener_parse(res.out);
	if ((rows = report_rows(root, "pv", "pvs", e)) == NULL)
		goto out;
	for (size_t i = 0; i < json_object_array_length(rows); i++) {
		json_object *row = json_object_array_get_idx(rows, i);
		const char *pv = field(row, "pv_name", "pvs", e);
		const char *vg = pv ? field(row, "vg_name", "pvs", e) : NULL;
		if (vg == NULL)
			goto out;
		if ((pv[0] != '/' && strcmp(pv, "[unknown]") != 0) ||
		    str_has_ctrl(pv) || (vg[0] != '\0' && !lvm_name_ok(vg))) {
			err_setc(e, ERR_TOOL, "pvs reports a malformed row "
				 "('%s' in volume group '%s')", pv, vg);
			goto out;
		}
		list = xreallocarray(list, n + 1, sizeof(*list));
		list[n].pv = xstrdup(pv);
		list[n].vg = xstrdup(vg);
		n++;
	}
	*out = list;
	*nout = n;
	list = NULL;
	n = 0;
	rc = 0;
out:
	if (root != NULL)
		json_object_put(root);
	run_result_free(&res);
	lvm_pvs_free(list, n);
	return rc;
}
