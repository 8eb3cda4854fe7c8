/* cistern — disk pools: volume formats as partition types and flags.
 *
 * Creating, a format picks a libparted filesystem type as the hint that
 * sets the partition's type code (dos system byte, gpt type GUID, ...)
 * and a flag (lvm, raid, swap), per label; a label without a way to hold
 * a format refuses it rather than writing something else. Reading, the
 * flags come first, then the type code read with libblkid (libparted
 * 3.5 has no call for it). "none" asks for the label's plain data type:
 * on dos, gpt and sun that is the Linux type, which reads back as
 * "linux"; on mac, bsd, pc98 and dvh it reads back as "none".
 */
#include "disk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <blkid.h>
#include "../core/util.h"
#include "parted_api.h"

/* bsd and sun drop a partition whose type says "unused" (no hint), so a
 * plain partition there gets the ext2 hint (bsd: 4.2BSD, sun: Linux). */
static const struct {
	const char *label;
	struct fmt_rule rules[9];
} fmt_rules[] = {
	{ "dos", {
		{ "none", NULL, 0 }, { "linux", "ext2", 0 },
		{ "fat16", "fat16", 0 }, { "fat32", "fat32", 0 },
		{ "linux-swap", "linux-swap", 0 },
		{ "linux-lvm", NULL, PED_PARTITION_LVM },
		{ "linux-raid", NULL, PED_PARTITION_RAID },
		{ "extended", NULL, 0 } } },
	{ "gpt", {
		{ "none", NULL, 0 }, { "linux", "ext2", 0 },
		{ "fat32", "fat32", 0 }, { "linux-swap", "linux-swap", 0 },
		{ "linux-lvm", NULL, PED_PARTITION_LVM },
		{ "linux-raid", NULL, PED_PARTITION_RAID } } },
	{ "mac", {
		{ "none", NULL, 0 }, { "linux", "ext2", 0 },
		{ "linux-swap", "linux-swap", 0 },
		{ "linux-lvm", "ext2", PED_PARTITION_LVM },
		{ "linux-raid", "ext2", PED_PARTITION_RAID } } },
	{ "bsd", {
		{ "none", "ext2", 0 }, { "linux-swap", "linux-swap", 0 } } },
	{ "pc98", {
		{ "none", NULL, 0 } } },
	{ "sun", {
		{ "none", "ext2", 0 }, { "linux", "ext2", 0 },
		{ "linux-swap", "linux-swap", 0 },
		{ "linux-lvm", "ext2", PED_PARTITION_LVM },
		{ "linux-raid", "ext2", PED_PARTITION_RAID } } },
	{ "dvh", {
		{ "none", NULL, 0 }, { "linux-swap", NULL, PED_PARTITION_SWAP } } },
};

/* How a label holds a volume format, or NULL when it cannot. */
const struct fmt_rule *
dformat_rule(const char *label, const char *format)
{
	for (size_t i = 0; i < ARRAY_SIZE(fmt_rules); i++) {
		if (!str_eq(fmt_rules[i].label, label))
			continue;
		for (size_t k = 0; k < ARRAY_SIZE(fmt_rules[i].rules) &&
		     fmt_rules[i].rules[k].format != NULL; k++)
			if (str_eq(fmt_rules[i].rules[k].format, format))
				return &fmt_rules[i].rules[k];
	}
	return NULL;
}

/* Refuse a format the label cannot hold, saying what it can. */
int
dparted_format_ok(const char *label, const char *format, struct err *e)
{
	struct sbuf b;
	size_t i;

	if (dformat_rule(label, format) != NULL)
		return 0;
	if (str_eq(label, "gpt") && str_eq(format, "fat16"))
		return err_setc(e, ERR_UNSUPPORTED,
				"a gpt label has one partition type for FAT "
				"(Microsoft basic data): use the format fat32");
	if (str_eq(format, "extended"))
		return err_setc(e, ERR_UNSUPPORTED,
				"extended partitions exist on dos labels only, "
				"not on %s", label);
	sbuf_init(&b);
	for (i = 0; i < ARRAY_SIZE(fmt_rules); i++)
		if (str_eq(fmt_rules[i].label, label))
			break;
	for (size_t k = 0; i < ARRAY_SIZE(fmt_rules) &&
	     k < ARRAY_SIZE(fmt_rules[i].rules) &&
	     fmt_rules[i].rules[k].format != NULL; k++)
		sbuf_printf(&b, "%s%s", k ? ", " : "",
			    fmt_rules[i].rules[k].format);
	err_setc(e, ERR_UNSUPPORTED,
		 "a %s label has no partition type for the format '%s' (it "
		 "can hold: %s)", label, format, b.s ? b.s : "none");
	sbuf_free(&b);
	return -1;
}

/* The partition type codes of the label on `path`, read with libblkid. */
size_t
dformat_typecodes(const char *path, struct typecode **out)
{
	blkid_probe pr = blkid_new_probe_from_filename(path);
	blkid_partlist ls;
	struct typecode *tc = NULL;
	size_t n = 0;

	*out = NULL;
	if (pr == NULL)
		return 0;
	blkid_probe_enable_superblocks(pr, 0);
	blkid_probe_enable_partitions(pr, 1);
	ls = blkid_probe_get_partitions(pr);
	int np = ls ? blkid_partlist_numof_partitions(ls) : 0;
	if (np > 0)
		tc = xcalloc((size_t)np, sizeof(*tc));
	for (int i = 0; i < np; i++) {
		blkid_partition par = blkid_partlist_get_partition(ls, i);
		const char *s;

		if (par == NULL)
			continue;
		tc[n].start = (uint64_t)blkid_partition_get_start(par) * 512;
		tc[n].type = blkid_partition_get_type(par);
		s = blkid_partition_get_type_string(par);
		snprintf(tc[n].str, sizeof(tc[n].str), "%s", s ? s : "");
		n++;
	}
	blkid_free_probe(pr);
	*out = tc;
	return n;
}

/* The type code of the partition starting at `start`, or NULL. */
const struct typecode *
dformat_typecode_at(const struct typecode *tc, size_t n, uint64_t start)
{
	for (size_t i = 0; i < n; i++)
		if (tc[i].start == start)
			return &tc[i];
	return NULL;
}

/* The volume format of a partition: its flags, then its type code. */
const char *
dformat_read(const char *label, PedPartition *p, const struct typecode *tc)
{
	static const struct {
		PedPartitionFlag flag;
		const char *format;
	} flags[] = {
		{ PED_PARTITION_LVM, "linux-lvm" },
		{ PED_PARTITION_RAID, "linux-raid" },
		{ PED_PARTITION_SWAP, "linux-swap" },
	};
	static const struct {
		const char *label;
		int type;
		const char *str;
		const char *format;
	} codes[] = {
		{ "dos", 0x83, NULL, "linux" }, { "dos", 0x82, NULL, "linux-swap" },
		{ "dos", 0x8e, NULL, "linux-lvm" }, { "dos", 0xfd, NULL, "linux-raid" },
		{ "dos", 0x04, NULL, "fat16" }, { "dos", 0x06, NULL, "fat16" },
		{ "dos", 0x0e, NULL, "fat16" }, { "dos", 0x14, NULL, "fat16" },
		{ "dos", 0x16, NULL, "fat16" }, { "dos", 0x1e, NULL, "fat16" },
		{ "dos", 0x0b, NULL, "fat32" }, { "dos", 0x0c, NULL, "fat32" },
		{ "dos", 0x1b, NULL, "fat32" }, { "dos", 0x1c, NULL, "fat32" },
		{ "gpt", 0, "0fc63daf-8483-4772-8e79-3d69d8477de4", "linux" },
		{ "gpt", 0, "ebd0a0a2-b9e5-4433-87c0-68b6b72699c7", "fat32" },
		{ "gpt", 0, "0657fd6d-a4ab-43c4-84e5-0933c84b4f4f", "linux-swap" },
		{ "gpt", 0, "e6d6d379-f507-44c2-a23c-238f2a3df928", "linux-lvm" },
		{ "gpt", 0, "a19d880f-05fc-4d3b-a006-743f0f84911e", "linux-raid" },
		{ "sun", 0x83, NULL, "linux" }, { "sun", 0x82, NULL, "linux-swap" },
		{ "sun", 0x8e, NULL, "linux-lvm" }, { "sun", 0xfd, NULL, "linux-raid" },
		{ "bsd", 0x01, NULL, "linux-swap" },
		{ "mac", 0, "Apple_UNIX_SVR2", "linux" },
		{ "mac", 0, "Linux_LVM", "linux-lvm" },
		{ "mac", 0, "Linux_RAID", "linux-raid" },
	};

	if (p->type & PED_PARTITION_EXTENDED)
		return "extended";
	for (size_t i = 0; i < ARRAY_SIZE(flags); i++)
		if (parted.ped_partition_is_flag_available(p, flags[i].flag) &&
		    parted.ped_partition_get_flag(p, flags[i].flag))
			return flags[i].format;
	for (size_t i = 0; tc != NULL && i < ARRAY_SIZE(codes); i++) {
		if (!str_eq(codes[i].label, label))
			continue;
		if (codes[i].str != NULL ? strcasecmp(codes[i].str, tc->str) == 0 :
		    codes[i].type == tc->type)
			return codes[i].format;
	}
	return "none";
}

