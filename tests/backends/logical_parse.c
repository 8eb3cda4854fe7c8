/* cistern — reading lvs/vgs reports: every LV kind this kernel cannot
 * make (snapshots, sparse snapshots, thin pools and volumes, missing
 * PVs), in the JSON shape LVM 2.03 prints, and every malformed field
 * refused with a message naming it. (Real reports of linear, striped
 * and raid LVs are read in logical_lifecycle.sh and logical_segments.sh.)
 */
#include <stdarg.h>
#include <string.h>

#include "../../backends/logical.h"
#include "../../core/util.h"
#include "../lib/t.h"

#define MIB (1024ull * 1024)
#define EXT (4 * MIB)

/* One lvs row: name uuid path size origin origin_size segtype stripes
 * seg_start seg_size devices attr parent (all strings, as LVM prints). */
static void
lv(struct sbuf *b, const char *const f[13])
{
	static const char *const keys[13] = {
		"lv_name", "lv_uuid", "lv_path", "lv_size", "origin",
		"origin_size", "segtype", "stripes", "seg_start", "seg_size",
		"devices", "lv_attr", "lv_parent",
	};

	sbuf_add(b, b->len ? ",\n{" : "{");
	for (int i = 0; i < 13; i++)
		sbuf_printf(b, "%s\"%s\":\"%s\"", i ? ", " : "", keys[i], f[i]);
	sbuf_add(b, "}");
}

static char *
wrap(const char *kind, const char *rows)
{
	return xasprintf("  {\n      \"report\": [\n          {\n"
			 "              \"%s\": [\n%s\n              ]\n"
			 "          }\n      ]\n  }\n", kind, rows);
}

/* A vgs row for VG "vg" (4 MiB extents). */
static void
pv(struct sbuf *b, const char *name, const char *uuid, const char *missing,
   const char *vg_size, const char *vg_free, unsigned long long dev_size,
   unsigned long long pe_count, unsigned long long alloc)
{
	sbuf_add(b, b->len ? ",\n" : "");
	sbuf_printf(b, "{\"vg_name\":\"vg\", \"vg_uuid\":\"Vgvgvg-aaaa-bbbb-cccc-"
		    "dddd-eeee-000001\", \"vg_size\":\"%s\", \"vg_free\":\"%s\", "
		    "\"vg_extent_size\":\"4194304\", \"pv_name\":\"%s\", "
		    "\"pv_uuid\":\"%s\", \"pv_missing\":\"%s\", "
		    "\"dev_size\":\"%llu\", \"pe_start\":\"1048576\", "
		    "\"pv_pe_count\":\"%llu\", \"pv_pe_alloc_count\":\"%llu\"}",
		    vg_size, vg_free, name, uuid, missing, dev_size, pe_count,
		    alloc);
}

/* Two PVs of 255 extents each. */
static char *
vgs_two(void)
{
	struct sbuf b;
	char *s, size[32], fr[32];

	snprintf(size, sizeof(size), "%llu", 510 * EXT);
	snprintf(fr, sizeof(fr), "%llu", 400 * EXT);
	sbuf_init(&b);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "", size, fr,
	   1024 * MIB, 255, 20);
	pv(&b, "/dev/sdb", "Pvbbbb-aaaa-bbbb-cccc-dddd-eeee-000002", "", size, fr,
	   1024 * MIB, 255, 10);
	s = wrap("vg", b.s);
	sbuf_free(&b);
	return s;
}

#define U(n) "Lvlvlv-aaaa-bbbb-cccc-dddd-eeee-00000" #n

/* Every kind of LV, as lvs -a lists them. */
static char *
lvs_all(void)
{
	struct sbuf b;
	char *s;

	sbuf_init(&b);
	lv(&b, (const char *[]){ "root", U(1), "/dev/vg/root", "62914560", "",
				 "", "linear", "1", "0", "41943040",
				 "/dev/sda(0)", "-wi-ao----", "" });
	lv(&b, (const char *[]){ "root", U(1), "/dev/vg/root", "62914560", "",
				 "", "linear", "1", "41943040", "20971520",
				 "/dev/sdb(0)", "-wi-ao----", "" });
	lv(&b, (const char *[]){ "origin", U(2), "/dev/vg/origin", "8388608",
				 "", "", "linear", "1", "0", "8388608",
				 "/dev/sda(10)", "owi-a-s---", "" });
	lv(&b, (const char *[]){ "snap", U(3), "/dev/vg/snap", "4194304",
				 "origin", "8388608", "linear", "1", "0",
				 "4194304", "/dev/sda(12)", "swi-a-s---", "" });
	lv(&b, (const char *[]){ "sparse", U(4), "/dev/vg/sparse", "4194304",
				 "[sparse_vorigin]", "1073741824", "linear",
				 "1", "0", "4194304", "/dev/sda(13)",
				 "swi-a-s---", "" });
	lv(&b, (const char *[]){ "[sparse_vorigin]", U(5), "", "1073741824",
				 "", "", "zero", "0", "0", "1073741824", "",
				 "owi-a-s---", "" });
	lv(&b, (const char *[]){ "st", U(6), "/dev/vg/st", "8388608", "", "",
				 "striped", "2", "0", "8388608",
				 "/dev/sda(14),/dev/sdb(9)", "-wi-a-----", "" });
	lv(&b, (const char *[]){ "thin1", U(7), "/dev/vg/thin1", "10737418240",
				 "", "", "thin", "0", "0", "10737418240", "",
				 "Vwi-a-tz--", "" });
	lv(&b, (const char *[]){ "tp", U(8), "", "8388608", "", "",
				 "thin-pool", "1", "0", "8388608",
				 "tp_tdata(0)", "twi-aotz--", "" });
	lv(&b, (const char *[]){ "[tp_tdata]", U(9), "", "8388608", "", "",
				 "linear", "1", "0", "8388608", "/dev/sdb(5)",
				 "Twi-ao----", "tp" });
	lv(&b, (const char *[]){ "[tp_tmeta]",
				 "Lvlvlv-aaaa-bbbb-cccc-dddd-eeee-000010", "",
				 "4194304", "", "", "linear", "1", "0",
				 "4194304", "/dev/sdb(7)", "ewi-ao----", "tp" });
	lv(&b, (const char *[]){ "[lvol0_pmspare]",
				 "Lvlvlv-aaaa-bbbb-cccc-dddd-eeee-000011", "",
				 "4194304", "", "", "linear", "1", "0",
				 "4194304", "/dev/sdb(8)", "ewi-------", "" });
	lv(&b, (const char *[]){ "idle", "Lvlvlv-aaaa-bbbb-cccc-dddd-eeee-000012",
				 "/dev/vg/idle", "4194304", "", "", "linear",
				 "1", "0", "4194304", "/dev/sda(15)",
				 "-wi-------", "" });
	s = wrap("lv", b.s);
	sbuf_free(&b);
	return s;
}

/* "kind:vol:startMiB-endMiB ..." of a map. */
static char *
map_text(const struct dev_map *m)
{
	struct sbuf b;

	sbuf_init(&b);
	for (size_t i = 0; i < m->nsegs; i++)
		sbuf_printf(&b, "%s%d:%s:%llu-%llu", i ? " " : "",
			    (int)m->segs[i].kind,
			    m->segs[i].vol ? m->segs[i].vol : "",
			    (unsigned long long)(m->segs[i].start / MIB),
			    (unsigned long long)(m->segs[i].end / MIB));
	return sbuf_take(&b);
}

static void
check_good(void)
{
	char *vgs = vgs_two(), *lvs = lvs_all(), *t;
	struct lvm_report r = { 0 };
	struct pool_def def = { .type = POOL_LOGICAL, .name = "p",
				.target_path = "/dev/vg" };
	struct pool p = { .def = &def, .state = POOL_RUNNING };
	struct vol_def *v;
	struct err e;

	err_init(&e);
	T_CHECK(lvm_report_vgs(&r, vgs, "vg", &e) == 0, "parse_vgs");
	T_CHECK(lvm_report_lvs(&r, lvs, "vg", &e) == 0, "parse_lvs%s%s",
		e.msg[0] ? ": " : "", e.msg);
	lvm_report_fill(&p, &r);
	lvm_report_free(&r);
	T_CHECK(def.capacity == 510 * EXT && def.available == 400 * EXT &&
		def.allocation == 110 * EXT, "parse_pool_sizes");
	T_CHECK(p.nvols == 7, "parse_volumes_skip_hidden_and_thin_pool (%zu)",
		p.nvols);
	T_CHECK(pool_find_vol(&p, "tp") == NULL && pool_find_vol(&p, "tp_tdata") == NULL &&
		pool_find_vol(&p, "sparse_vorigin") == NULL, "parse_no_internal_lvs");

	v = pool_find_vol(&p, "root");
	T_CHECK(v && v->type == VOL_BLOCK && str_eq(v->key, U(1)) &&
		str_eq(v->target.path, "/dev/vg/root") &&
		v->capacity == 60 * MIB && v->allocation == 60 * MIB,
		"parse_linear_volume");
	T_CHECK(v && v->nextents == 2 && str_eq(v->extents[0].device,
						 "/dev/sda") &&
		v->extents[0].start == 0 && v->extents[0].end == 40 * MIB &&
		str_eq(v->extents[1].device, "/dev/sdb") &&
		v->extents[1].start == 0 && v->extents[1].end == 20 * MIB,
		"parse_extents_across_pvs");
	T_CHECK(v && str_eq(v->note, "open"), "parse_open_noted");
	v = pool_find_vol(&p, "snap");
	T_CHECK(v && v->capacity == 8 * MIB && v->allocation == 4 * MIB &&
		v->backing && str_eq(v->backing->path, "/dev/vg/origin") &&
		str_eq(v->note, "snapshot of origin"), "parse_snapshot");
	v = pool_find_vol(&p, "sparse");
	T_CHECK(v && v->capacity == 1024 * MIB && v->allocation == 4 * MIB &&
		v->backing == NULL && str_eq(v->note, "sparse (thin snapshot)"),
		"parse_sparse_snapshot");
	v = pool_find_vol(&p, "st");
	T_CHECK(v && v->nextents == 2 && v->extents[0].start == 14 * EXT &&
		v->extents[0].end == 15 * EXT && v->extents[1].start == 9 * EXT &&
		v->extents[1].end == 10 * EXT, "parse_striped_extent_per_stripe");
	v = pool_find_vol(&p, "thin1");
	T_CHECK(v && v->nextents == 0 && v->capacity == 10240 * MIB &&
		str_eq(v->note, "thin volume"), "parse_thin_volume");
	v = pool_find_vol(&p, "idle");
	T_CHECK(v && str_eq(v->note, "inactive"), "parse_inactive_noted");

	T_CHECK(p.nmaps == 2 && str_eq(p.maps[0].device, "/dev/sda") &&
		str_eq(p.maps[0].label, "lvm2 PV"), "parse_one_map_per_pv");
	t = p.nmaps == 2 ? map_text(&p.maps[0]) : xstrdup("");
	T_CHECK(str_eq(t, "4::0-1 1:root:1-41 1:origin:41-49 1:snap:49-53 "
		       "1:sparse:53-57 1:st:57-61 1:idle:61-65 0::65-1021 "
		       "4::1021-1024"), "parse_map_sda '%s'", t);
	free(t);
	t = p.nmaps == 2 ? map_text(&p.maps[1]) : xstrdup("");
	T_CHECK(str_eq(t, "4::0-1 1:root:1-21 1:tp:21-33 "
		       "1:lvol0_pmspare:33-37 1:st:37-41 0::41-1021 "
		       "4::1021-1024"), "parse_map_sdb_thin_pool_parts '%s'", t);
	free(t);
	pool_clear_vols(&p);
	free(vgs);
	free(lvs);
}

/* One LV row set with one field replaced must be refused. */
static void
check_bad_lv(const char *name, int field, const char *value,
	     const char *want)
{
	const char *f[13] = { "a", U(1), "/dev/vg/a", "4194304", "", "",
			      "linear", "1", "0", "4194304", "/dev/sda(0)",
			      "-wi-a-----", "" };
	struct lvm_report r = { 0 };
	struct sbuf b;
	char *vgs = vgs_two(), *lvs;
	struct err e;

	f[field] = value;
	sbuf_init(&b);
	lv(&b, f);
	lvs = wrap("lv", b.s);
	sbuf_free(&b);
	err_init(&e);
	lvm_report_vgs(&r, vgs, "vg", &e);
	T_CHECK(lvm_report_lvs(&r, lvs, "vg", &e) < 0 && e.code == ERR_TOOL &&
		strstr(e.msg, want) != NULL, "refuse_%s ('%s')", name, e.msg);
	lvm_report_free(&r);
	free(vgs);
	free(lvs);
}

/* Raw report text that must be refused. */
static void
check_bad_doc(const char *name, const char *vgs, const char *lvs,
	      const char *want)
{
	struct lvm_report r = { 0 };
	struct err e;
	char *v = vgs ? xstrdup(vgs) : vgs_two();
	int rc;

	err_init(&e);
	rc = lvm_report_vgs(&r, v, "vg", &e);
	if (rc == 0 && lvs != NULL)
		rc = lvm_report_lvs(&r, lvs, "vg", &e);
	T_CHECK(rc < 0 && strstr(e.msg, want) != NULL, "refuse_%s ('%s')",
		name, e.msg);
	lvm_report_free(&r);
	free(v);
}

static void
check_refusals(void)
{
	check_bad_lv("bad_uuid", 1, "not-a-uuid", "malformed UUID");
	check_bad_lv("path_elsewhere", 2, "/dev/other/a", "reports path");
	check_bad_lv("name_chars", 0, "a b", "malformed logical volume name");
	check_bad_lv("name_option", 0, "-a", "malformed logical volume name");
	check_bad_lv("size_text", 3, "4M", "malformed lv_size");
	check_bad_lv("size_negative", 3, "-1", "malformed lv_size");
	check_bad_lv("devices_no_extent", 10, "/dev/sda", "malformed devices");
	check_bad_lv("devices_bad_number", 10, "/dev/sda(x)",
		     "malformed devices");
	check_bad_lv("devices_unknown", 10, "/dev/sdz(0)",
		     "neither a physical volume");
	check_bad_lv("extents_past_pv", 10, "/dev/sda(255)", "beyond its");
	check_bad_lv("linear_two_devices", 10, "/dev/sda(0),/dev/sdb(0)",
		     "2 devices for a linear segment");
	check_bad_lv("segment_gap", 8, "4194304", "where 0 was expected");
	check_bad_lv("attr_short", 11, "-wi", "malformed attributes");
	check_bad_lv("segtype_empty", 6, "", "malformed segment");
	check_bad_lv("origin_bad", 4, "a/b", "malformed origin");
	check_bad_lv("parent_bad", 12, "x y", "malformed parent");

	/* two LVs on the same extent */
	struct sbuf b;
	char *doc;
	sbuf_init(&b);
	lv(&b, (const char *[]){ "a", U(1), "/dev/vg/a", "8388608", "", "",
				 "linear", "1", "0", "8388608", "/dev/sda(0)",
				 "-wi-a-----", "" });
	lv(&b, (const char *[]){ "b", U(2), "/dev/vg/b", "4194304", "", "",
				 "linear", "1", "0", "4194304", "/dev/sda(1)",
				 "-wi-a-----", "" });
	doc = wrap("lv", b.s);
	check_bad_doc("overlapping_extents", NULL, doc, "used by both 'a' and 'b'");
	free(doc);
	sbuf_free(&b);
	/* the same name, two UUIDs */
	sbuf_init(&b);
	lv(&b, (const char *[]){ "a", U(1), "/dev/vg/a", "4194304", "", "",
				 "linear", "1", "0", "4194304", "/dev/sda(0)",
				 "-wi-a-----", "" });
	lv(&b, (const char *[]){ "a", U(2), "/dev/vg/a", "4194304", "", "",
				 "linear", "1", "0", "4194304", "/dev/sda(1)",
				 "-wi-a-----", "" });
	doc = wrap("lv", b.s);
	check_bad_doc("same_name_two_uuids", NULL, doc, "two logical volumes");
	free(doc);
	sbuf_free(&b);

	check_bad_doc("not_json", "WARNING: something", NULL, "no JSON report");
	check_bad_doc("no_rows", "{\"report\":[{\"pv\":[]}]}", NULL,
		      "no 'vg' rows");
	check_bad_doc("vg_absent", "{\"report\":[{\"vg\":[]}]}", NULL,
		      "does not list volume group 'vg'");
	sbuf_init(&b);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "",
	   "1069547520", "4194304", 1024 * MIB, 255, 1);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "",
	   "1069547520", "4194304", 1024 * MIB, 255, 1);
	doc = wrap("vg", b.s);
	check_bad_doc("pv_twice", doc, NULL, "physical volume '/dev/sda' twice");
	free(doc);
	sbuf_free(&b);
	sbuf_init(&b);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "",
	   "999", "0", 1024 * MIB, 255, 1);
	doc = wrap("vg", b.s);
	check_bad_doc("vg_size_odd", doc, NULL, "inconsistent sizes");
	free(doc);
	sbuf_free(&b);
	sbuf_init(&b);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "",
	   "1069547520", "4194304", 512 * MIB, 255, 1);
	doc = wrap("vg", b.s);
	check_bad_doc("pv_larger_than_device", doc, NULL,
		      "inconsistent extents");
	free(doc);
	sbuf_free(&b);
	sbuf_init(&b);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "",
	   "2139095040", "4194304", 1024 * MIB, 255, 1);
	doc = wrap("vg", b.s);
	check_bad_doc("vg_size_not_sum_of_pvs", doc, NULL,
		      "its physical volumes hold");
	free(doc);
	sbuf_free(&b);
	check_bad_doc("other_vg", "{\"report\":[{\"vg\":[{\"vg_name\":\"xx\"}]}]}",
		      NULL, "reports volume group 'xx'");
	check_bad_doc("field_missing",
		      "{\"report\":[{\"vg\":[{\"vg_name\":\"vg\"}]}]}", NULL,
		      "lacks the field 'vg_uuid'");
}

/* A PV whose name holds "(": the entry ends at the last "(N)". */
static void
check_odd_path(void)
{
	struct lvm_report r = { 0 };
	struct sbuf b;
	char *vgs, *lvs;
	struct err e;

	sbuf_init(&b);
	pv(&b, "/dev/disk/by-id/x(1),y", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001",
	   "", "1069547520", "1065353216", 1024 * MIB, 255, 1);
	vgs = wrap("vg", b.s);
	sbuf_free(&b);
	sbuf_init(&b);
	lv(&b, (const char *[]){ "a", U(1), "/dev/vg/a", "4194304", "", "",
				 "linear", "1", "0", "4194304",
				 "/dev/disk/by-id/x(1),y(7)", "-wi-a-----", "" });
	lvs = wrap("lv", b.s);
	sbuf_free(&b);
	err_init(&e);
	T_CHECK(lvm_report_vgs(&r, vgs, "vg", &e) == 0 &&
		lvm_report_lvs(&r, lvs, "vg", &e) == 0 && r.nlvs == 1 &&
		r.lvs[0].segs[0].nrefs == 1 &&
		str_eq(r.lvs[0].segs[0].refs[0].name, "/dev/disk/by-id/x(1),y") &&
		r.lvs[0].segs[0].refs[0].pe == 7, "parse_device_path_with_parens");
	lvm_report_free(&r);
	free(vgs);
	free(lvs);
}

/* A missing PV: no map for it, the pool degraded, the extent kept. */
static void
check_missing_pv(void)
{
	struct lvm_report r = { 0 };
	struct pool_def def = { .type = POOL_LOGICAL, .name = "p",
				.target_path = "/dev/vg" };
	struct pool p = { .def = &def, .state = POOL_RUNNING };
	struct sbuf b;
	char *vgs, *lvs;
	struct err e;

	sbuf_init(&b);
	pv(&b, "/dev/sda", "Pvaaaa-aaaa-bbbb-cccc-dddd-eeee-000001", "",
	   "2139095040", "2130706432", 1024 * MIB, 255, 1);
	pv(&b, "[unknown]", "Pvbbbb-aaaa-bbbb-cccc-dddd-eeee-000002", "missing",
	   "2139095040", "2130706432", 0, 255, 1);
	vgs = wrap("vg", b.s);
	sbuf_free(&b);
	sbuf_init(&b);
	lv(&b, (const char *[]){ "a", U(1), "/dev/vg/a", "8388608", "", "",
				 "linear", "1", "0", "4194304", "/dev/sda(0)",
				 "-wi-a---p-", "" });
	lv(&b, (const char *[]){ "a", U(1), "/dev/vg/a", "8388608", "", "",
				 "linear", "1", "4194304", "4194304",
				 "[unknown](0)", "-wi-a---p-", "" });
	lvs = wrap("lv", b.s);
	sbuf_free(&b);
	err_init(&e);
	T_CHECK(lvm_report_vgs(&r, vgs, "vg", &e) == 0 &&
		lvm_report_lvs(&r, lvs, "vg", &e) == 0, "parse_missing_pv%s%s",
		e.msg[0] ? ": " : "", e.msg);
	lvm_report_fill(&p, &r);
	T_CHECK(p.state == POOL_DEGRADED && p.nmaps == 1 && p.nvols == 1 &&
		p.vols[0]->nextents == 2 &&
		str_eq(p.vols[0]->extents[1].device, "[unknown]"),
		"parse_missing_pv_degrades");
	pool_clear_vols(&p);
	lvm_report_free(&r);
	free(vgs);
	free(lvs);
}

int
main(void)
{
	check_good();
	check_refusals();
	check_odd_path();
	check_missing_pv();
	return t_done();
}
