/* Disk pools: where a new partition goes (smallest free extent that fits
 * after alignment, a named one, dos slots, extended and logical
 * partitions, cylinder-aligned ends on dos) and how partitions are named
 * (the kernel's rule and libvirt's part_separator), on layouts built by
 * hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../backends/disk.h"
#include "../../core/util.h"
#include "../lib/t.h"

#define MiB (1024ull * 1024)

static struct dlayout
layout(const char *label, uint64_t size, uint64_t cylinder)
{
	struct dlayout l;

	memset(&l, 0, sizeof(l));
	snprintf(l.label, sizeof(l.label), "%s", label);
	l.size = size;
	l.sector = 512;
	l.grain = MiB;
	l.cylinder = cylinder;
	l.max_parts = strcmp(label, "dos") == 0 ? 4 : 128;
	return l;
}

static void
add(struct dlayout *l, enum seg_kind kind, int depth, int num, uint64_t start,
    uint64_t end)
{
	l->parts = xreallocarray(l->parts, l->nparts + 1, sizeof(*l->parts));
	l->parts[l->nparts++] = (struct dpart){
		.kind = kind, .depth = depth, .num = num, .start = start,
		.end = end, .format = kind == SEG_FREE ? NULL : "linux",
	};
}

/* Plan `size` bytes (at `start` when named); returns 0/-1, fills pl/e. */
static int
plan(const struct dlayout *l, uint64_t size, const char *format,
     bool named, uint64_t start, struct dplan *pl, struct err *e)
{
	struct dplan_req rq = {
		.size = size, .format = format, .has_start = named,
		.start = start,
	};

	err_clear(e);
	return dplan_make(l, &rq, "/dev/x", pl, e);
}

static void
test_names(void)
{
	static const struct {
		const char *disk;
		enum tristate sep;
		const char *want;
	} cases[] = {
		{ "sda", TRI_ABSENT, "sda" },
		{ "vdb", TRI_NO, "vdb" },
		{ "nvme0n1", TRI_ABSENT, "nvme0n1p" },
		{ "loop0", TRI_ABSENT, "loop0p" },
		{ "mmcblk0", TRI_NO, "mmcblk0p" },
		{ "mpatha", TRI_YES, "mpathap" },
		{ "mpatha", TRI_NO, "mpatha" },
		{ "disk.img-part", TRI_ABSENT, "disk.img-part" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		char *p = disk_part_prefix(cases[i].disk, cases[i].sep);
		T_CHECK(strcmp(p, cases[i].want) == 0,
			"partition names of %s (part_separator %d): %s1",
			cases[i].disk, cases[i].sep, cases[i].want);
		free(p);
	}
}

static void
test_gpt(void)
{
	struct dlayout l = layout("gpt", 64 * MiB, 0);
	struct dplan pl;
	struct err e;

	err_init(&e);
	add(&l, SEG_METADATA, 0, 0, 0, 17408);
	add(&l, SEG_FREE, 0, 0, 17408, MiB);
	add(&l, SEG_PRIMARY, 0, 1, MiB, 9 * MiB);
	add(&l, SEG_FREE, 0, 0, 9 * MiB, 17 * MiB);         /* 8 MiB hole */
	add(&l, SEG_PRIMARY, 0, 2, 17 * MiB, 20 * MiB);
	add(&l, SEG_FREE, 0, 0, 20 * MiB, 64 * MiB - 16896);
	add(&l, SEG_METADATA, 0, 0, 64 * MiB - 16896, 64 * MiB);

	T_CHECK(plan(&l, 4 * MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.start == 9 * MiB && pl.end == 13 * MiB &&
		pl.kind == SEG_PRIMARY,
		"gpt: the smallest free extent that fits (the hole)");
	T_CHECK(plan(&l, 8 * MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.start == 9 * MiB && pl.end == 17 * MiB,
		"gpt: a request the size of the hole fills it");
	T_CHECK(plan(&l, 8 * MiB + 1, "none", false, 0, &pl, &e) == 0 &&
		pl.start == 20 * MiB && pl.end == 29 * MiB,
		"gpt: one byte more goes to the next extent, end aligned up");
	T_CHECK(plan(&l, 100 * 1024, "none", false, 0, &pl, &e) == 0 &&
		pl.start == 9 * MiB,
		"gpt: the 1 MiB head gap cannot hold an aligned partition");
	T_CHECK(plan(&l, 4 * MiB, "none", true, 20 * MiB, &pl, &e) == 0 &&
		pl.start == 20 * MiB && pl.extent_start == 20 * MiB,
		"gpt: the named free extent is used");
	T_CHECK(plan(&l, 4 * MiB, "none", true, 12345, &pl, &e) < 0 &&
		strstr(e.msg, "12345 is not the start of a free extent") &&
		strstr(e.msg, "17408, 9437184, 20971520"),
		"gpt: a named start that is no free extent: %s", e.msg);
	T_CHECK(plan(&l, 4 * MiB, "none", true, 17408, &pl, &e) < 0 &&
		strstr(e.msg, "cannot hold") != NULL,
		"gpt: a named extent too small once aligned: %s", e.msg);
	T_CHECK(plan(&l, 1024 * MiB, "none", false, 0, &pl, &e) < 0 &&
		strstr(e.msg, "no free extent on '/dev/x' can hold 1073741824") &&
		strstr(e.msg, "largest is 46120448 bytes at 20971520"),
		"gpt: too large for every extent: %s", e.msg);
	T_CHECK(plan(&l, 3 * MiB + 1, "none", false, 0, &pl, &e) == 0 &&
		pl.end == 13 * MiB,
		"gpt: the size grows to the next alignment boundary");
	l.max_parts = 2;
	T_CHECK(plan(&l, MiB, "none", false, 0, &pl, &e) < 0 &&
		strstr(e.msg, "is full: it holds at most 2 partitions"),
		"gpt: a full label: %s", e.msg);
	dlayout_clear(&l);
	err_clear(&e);
}

static void
test_dos(void)
{
	uint64_t cyl = 255 * 63 * 512;   /* 8225280 */
	struct dlayout l = layout("dos", 200 * MiB, cyl);
	struct dplan pl;
	struct err e;

	err_init(&e);
	add(&l, SEG_METADATA, 0, 0, 0, 512);
	add(&l, SEG_FREE, 0, 0, 512, 200 * MiB);
	T_CHECK(plan(&l, 10 * MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.kind == SEG_PRIMARY && pl.start == MiB &&
		pl.end == 2 * cyl,
		"dos: primary, start at 1 MiB, end on a cylinder boundary");
	dlayout_clear(&l);

	/* three primaries: the last slot becomes the extended partition */
	l = layout("dos", 200 * MiB, cyl);
	add(&l, SEG_FREE, 0, 0, 512, MiB);
	add(&l, SEG_PRIMARY, 0, 1, MiB, 10 * MiB);
	add(&l, SEG_PRIMARY, 0, 2, 10 * MiB, 20 * MiB);
	add(&l, SEG_PRIMARY, 0, 3, 20 * MiB, 30 * MiB);
	add(&l, SEG_FREE, 0, 0, 30 * MiB, 200 * MiB);
	T_CHECK(plan(&l, 10 * MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.kind == SEG_LOGICAL && pl.new_extended &&
		pl.ext_start == 30 * MiB && pl.ext_end == 200 * MiB &&
		pl.start == 31 * MiB,
		"dos: the 4th slot becomes an extended partition over the free "
		"extent, with the volume as its first logical partition");
	T_CHECK(plan(&l, 10 * MiB, "extended", false, 0, &pl, &e) == 0 &&
		pl.kind == SEG_EXTENDED && !pl.new_extended &&
		pl.start == 30 * MiB,
		"dos: an extended partition asked for is primary-placed");
	dlayout_clear(&l);

	/* four primaries: no slot and no extended partition */
	l = layout("dos", 200 * MiB, cyl);
	add(&l, SEG_PRIMARY, 0, 1, MiB, 10 * MiB);
	add(&l, SEG_PRIMARY, 0, 2, 10 * MiB, 20 * MiB);
	add(&l, SEG_PRIMARY, 0, 3, 20 * MiB, 30 * MiB);
	add(&l, SEG_PRIMARY, 0, 4, 30 * MiB, 40 * MiB);
	add(&l, SEG_FREE, 0, 0, 40 * MiB, 200 * MiB);
	T_CHECK(plan(&l, MiB, "none", false, 0, &pl, &e) < 0 &&
		strstr(e.msg, "has 4 primary partitions and no extended one"),
		"dos: a 5th primary is refused: %s", e.msg);
	dlayout_clear(&l);

	/* slots used by 3 primaries and the extended one */
	l = layout("dos", 200 * MiB, cyl);
	add(&l, SEG_PRIMARY, 0, 1, MiB, 10 * MiB);
	add(&l, SEG_PRIMARY, 0, 2, 10 * MiB, 20 * MiB);
	add(&l, SEG_PRIMARY, 0, 3, 20 * MiB, 30 * MiB);
	add(&l, SEG_EXTENDED, 0, 4, 30 * MiB, 100 * MiB);
	add(&l, SEG_FREE, 1, 0, 30 * MiB + 1024, 40 * MiB);
	add(&l, SEG_LOGICAL, 1, 5, 41 * MiB, 50 * MiB);
	add(&l, SEG_FREE, 1, 0, 50 * MiB, 100 * MiB);
	add(&l, SEG_FREE, 0, 0, 100 * MiB, 200 * MiB);
	T_CHECK(plan(&l, 5 * MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.kind == SEG_LOGICAL && !pl.new_extended &&
		pl.start == 31 * MiB,
		"dos: slots used: the smallest logical free extent");
	T_CHECK(plan(&l, 20 * MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.kind == SEG_LOGICAL && pl.start == 51 * MiB,
		"dos: a logical partition leaves room for its EBR");
	T_CHECK(plan(&l, MiB, "none", true, 100 * MiB, &pl, &e) < 0 &&
		strstr(e.msg, "free space of the extended partition 4"),
		"dos: outside the extended partition with no slot: %s", e.msg);
	T_CHECK(plan(&l, MiB, "extended", false, 0, &pl, &e) < 0 &&
		strstr(e.msg, "extended partition already (number 4)"),
		"dos: one extended partition only: %s", e.msg);
	T_CHECK(plan(&l, 80 * MiB, "none", false, 0, &pl, &e) < 0 &&
		strstr(e.msg, "no free extent") != NULL,
		"dos: too large for the extended partition's free space");
	dlayout_clear(&l);
	err_clear(&e);
}

static void
test_other(void)
{
	struct dlayout l = layout("dvh", 64 * MiB, 0);
	struct dplan pl;
	struct err e;

	err_init(&e);
	l.max_parts = 16;
	add(&l, SEG_EXTENDED, 0, 9, 0, 2 * MiB);
	add(&l, SEG_FREE, 1, 0, 512, 2 * MiB);
	add(&l, SEG_FREE, 0, 0, 2 * MiB, 64 * MiB);
	T_CHECK(plan(&l, MiB, "none", false, 0, &pl, &e) == 0 &&
		pl.start == 2 * MiB && pl.kind == SEG_PRIMARY,
		"dvh: partitions go after the volume header");
	T_CHECK(plan(&l, 1024, "none", true, 512, &pl, &e) < 0 &&
		strstr(e.msg, "inside partition 9"),
		"dvh: not inside the volume header: %s", e.msg);
	dlayout_clear(&l);
	err_clear(&e);
}

int
main(void)
{
	test_names();
	test_gpt();
	test_dos();
	test_other();
	return t_done();
}
