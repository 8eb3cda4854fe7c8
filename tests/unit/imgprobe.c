/* cistern — the in-process image header prober on hand-made headers
 * (every format, including those qemu-img cannot create), truncated and
 * corrupted ones, and a mutation run (no crash, no read outside the
 * buffers: run it under SANITIZE=1). The shell test file_dir.sh checks
 * the same prober against qemu-img info on images qemu-img made. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "../../core/imgprobe.h"
#include "../../core/wipe.h"
#include "../lib/t.h"

/* An in-memory file: `hdr` at 0, `tail` (if any) at size - taillen. */
static int
mkimg(const void *hdr, size_t hlen, uint64_t size, const void *tail,
      size_t tlen, uint64_t tail_off)
{
	int fd = memfd_create("img", MFD_CLOEXEC);

	if (fd < 0 || ftruncate(fd, (off_t)size) < 0)
		abort();
	if (hlen && pwrite(fd, hdr, hlen, 0) != (ssize_t)hlen)
		abort();
	if (tlen && pwrite(fd, tail, tlen, (off_t)tail_off) != (ssize_t)tlen)
		abort();
	return fd;
}

static void
put_be16(unsigned char *p, uint16_t v) { p[0] = v >> 8; p[1] = (unsigned char)v; }
static void
put_be32(unsigned char *p, uint32_t v)
{
	p[0] = v >> 24; p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}
static void
put_be64(unsigned char *p, uint64_t v) { put_be32(p, v >> 32); put_be32(p + 4, (uint32_t)v); }
static void
put_le32(unsigned char *p, uint32_t v)
{
	p[3] = v >> 24; p[2] = (unsigned char)(v >> 16);
	p[1] = (unsigned char)(v >> 8); p[0] = (unsigned char)v;
}
static void
put_le64(unsigned char *p, uint64_t v) { put_le32(p, (uint32_t)v); put_le32(p + 4, v >> 32); }

static int
probe(int fd, uint64_t size, struct img_info *ii)
{
	struct err e;
	int rc;

	err_init(&e);
	rc = imgprobe_fd(fd, size, NULL, 0, ii, &e);
	err_clear(&e);
	return rc;
}

#define G (1024ull * 1024 * 1024)

/* qcow2 v3, backing "base.img" with its format in an extension. */
static size_t
make_qcow2(unsigned char *h, int version)
{
	memset(h, 0, 4096);
	memcpy(h, "QFI\xfb", 4);
	put_be32(h + 4, (uint32_t)version);
	put_be64(h + 8, 512);             /* backing name offset */
	put_be32(h + 16, 8);              /* its length */
	put_be32(h + 20, 16);             /* 64 KiB clusters */
	put_be64(h + 24, 10 * G);
	if (version == 3) {
		put_be64(h + 72, 1u << 4); /* extended L2 */
		put_be64(h + 80, 1);       /* lazy refcounts */
		put_be32(h + 100, 112);
	}
	size_t ext = version == 3 ? 112 : 72;
	put_be32(h + ext, 0x6803f857);     /* an extension to skip */
	put_be32(h + ext + 4, 3);
	put_be32(h + ext + 16, 0xE2792ACA);
	put_be32(h + ext + 20, 5);
	memcpy(h + ext + 24, "qcow2", 5);
	memcpy(h + 512, "base.img", 8);
	return 4096;
}

static void
test_qcow(void)
{
	unsigned char h[4096];
	struct img_info ii;
	int fd;

	make_qcow2(h, 3);
	fd = mkimg(h, sizeof(h), 262144, NULL, 0, 0);
	T_CHECK(probe(fd, 262144, &ii) == 0 && strcmp(ii.format, "qcow2") == 0 &&
		ii.capacity == 10 * G && ii.backing &&
		strcmp(ii.backing, "base.img") == 0 &&
		strcmp(ii.backing_format, "qcow2") == 0 &&
		strcmp(ii.compat, "1.1") == 0 && ii.cluster_size == 65536 &&
		ii.lazy_refcounts && ii.extended_l2 && ii.encryption == NULL,
		"qcow2 v3: size, backing, backing format, features");
	img_info_clear(&ii);
	close(fd);

	make_qcow2(h, 2);
	put_be32(h + 32, 2);
	fd = mkimg(h, sizeof(h), 262144, NULL, 0, 0);
	T_CHECK(probe(fd, 262144, &ii) == 0 && strcmp(ii.format, "qcow2") == 0 &&
		strcmp(ii.compat, "0.10") == 0 &&
		strcmp(ii.backing_format, "qcow2") == 0 &&
		strcmp(ii.encryption, "luks") == 0 && !ii.lazy_refcounts,
		"qcow2 v2 with luks encryption");
	img_info_clear(&ii);
	close(fd);

	make_qcow2(h, 7);
	fd = mkimg(h, sizeof(h), 262144, NULL, 0, 0);
	T_CHECK(probe(fd, 262144, &ii) == 0 && strcmp(ii.format, "raw") == 0 &&
		ii.capacity == 262144 && ii.backing == NULL,
		"qcow2 magic with an unknown version is raw");
	img_info_clear(&ii);
	close(fd);

	fd = mkimg("QFI\xfb\0\0\0\3", 8, 8, NULL, 0, 0);
	T_CHECK(probe(fd, 8, &ii) == 0 && strcmp(ii.format, "raw") == 0,
		"a truncated qcow2 header is raw");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	memcpy(h, "QFI\xfb", 4);
	put_be32(h + 4, 1);
	put_be64(h + 8, 48);
	put_be32(h + 16, 6);
	put_be64(h + 24, 3 * G);
	put_be32(h + 36, 1);
	memcpy(h + 48, "/a/b.c", 6);
	fd = mkimg(h, 512, 4096, NULL, 0, 0);
	T_CHECK(probe(fd, 4096, &ii) == 0 && strcmp(ii.format, "qcow") == 0 &&
		ii.capacity == 3 * G && ii.backing &&
		strcmp(ii.backing, "/a/b.c") == 0 &&
		strcmp(ii.encryption, "qcow") == 0,
		"qcow v1 with backing and AES encryption");
	img_info_clear(&ii);
	close(fd);
}

static void
test_qed_vmdk(void)
{
	unsigned char h[4096];
	struct img_info ii;
	int fd;

	memset(h, 0, sizeof(h));
	memcpy(h, "QED\0", 4);
	put_le32(h + 4, 65536);
	put_le64(h + 16, 1 | 4);
	put_le64(h + 48, 5 * G);
	put_le32(h + 56, 1024);
	put_le32(h + 60, 7);
	memcpy(h + 1024, "raw.img", 7);
	fd = mkimg(h, sizeof(h), 65536, NULL, 0, 0);
	T_CHECK(probe(fd, 65536, &ii) == 0 && strcmp(ii.format, "qed") == 0 &&
		ii.capacity == 5 * G && ii.backing &&
		strcmp(ii.backing, "raw.img") == 0 &&
		strcmp(ii.backing_format, "raw") == 0,
		"qed with a raw (no-probe) backing file");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	memcpy(h, "KDMV", 4);
	put_le32(h + 4, 1);
	put_le64(h + 12, 2097152);     /* sectors: 1 GiB */
	put_le64(h + 28, 1);           /* descriptor at sector 1 */
	put_le64(h + 36, 2);
	strcpy((char *)h + 512, "# Disk DescriptorFile\nversion=1\n"
	       "parentFileNameHint=\"parent.vmdk\"\n"
	       "RW 2097152 SPARSE \"x.vmdk\"\n");
	fd = mkimg(h, sizeof(h), 65536, NULL, 0, 0);
	T_CHECK(probe(fd, 65536, &ii) == 0 && strcmp(ii.format, "vmdk") == 0 &&
		ii.capacity == G && ii.backing &&
		strcmp(ii.backing, "parent.vmdk") == 0 &&
		strcmp(ii.backing_format, "vmdk") == 0,
		"vmdk sparse extent with a parent");
	img_info_clear(&ii);
	close(fd);

	static const char desc[] = "# Disk DescriptorFile\nversion=1\n"
		"createType=\"monolithicFlat\"\n"
		"RW 2048 FLAT \"a-flat.vmdk\" 0\nRW 1024 FLAT \"b-flat.vmdk\" 0\n";
	fd = mkimg(desc, sizeof(desc) - 1, sizeof(desc) - 1, NULL, 0, 0);
	T_CHECK(probe(fd, sizeof(desc) - 1, &ii) == 0 &&
		strcmp(ii.format, "vmdk") == 0 && ii.capacity == 3072 * 512 &&
		ii.backing == NULL, "vmdk descriptor file sums its extents");
	img_info_clear(&ii);
	close(fd);
}

/* A VHD footer. */
static void
vhd_footer(unsigned char *f, const char *creator, uint64_t cur, uint16_t c,
	   uint8_t hd, uint8_t s)
{
	memset(f, 0, 512);
	memcpy(f, "conectix", 8);
	memcpy(f + 28, creator, 4);
	put_be64(f + 40, cur);
	put_be64(f + 48, cur);
	put_be16(f + 56, c);
	f[58] = hd;
	f[59] = s;
}

static void
test_vpc_vdi_cow(void)
{
	unsigned char h[4096], f[512];
	struct img_info ii;
	int fd;

	vhd_footer(f, "win ", 1000000000, 1938, 16, 63);
	fd = mkimg(f, 512, 1 << 20, NULL, 0, 0);
	T_CHECK(probe(fd, 1 << 20, &ii) == 0 && strcmp(ii.format, "vpc") == 0 &&
		ii.capacity == 1000000000,
		"vpc made by Hyper-V: the size is the footer's current size");
	img_info_clear(&ii);
	close(fd);

	vhd_footer(f, "qemu", 1000000000, 1938, 16, 63);
	fd = mkimg(f, 512, 1 << 20, NULL, 0, 0);
	T_CHECK(probe(fd, 1 << 20, &ii) == 0 && strcmp(ii.format, "vpc") == 0 &&
		ii.capacity == 1938ull * 16 * 63 * 512,
		"vpc made by qemu: the size comes from the CHS geometry");
	img_info_clear(&ii);
	close(fd);

	vhd_footer(f, "win ", 1000000000, 1938, 16, 63);
	fd = mkimg(NULL, 0, 1000000512, f, 512, 1000000000);
	T_CHECK(probe(fd, 1000000512, &ii) == 0 && strcmp(ii.format, "raw") == 0 &&
		ii.capacity == 1000000512,
		"a fixed vpc (footer only at the end) is raw, as qemu sees it");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	memcpy(h, "<<< Oracle VM VirtualBox Disk Image >>>\n", 40);
	put_le32(h + 64, 0xbeda107f);
	put_le32(h + 68, 0x00010001);
	put_le64(h + 368, 7 * G);
	fd = mkimg(h, 512, 1 << 20, NULL, 0, 0);
	T_CHECK(probe(fd, 1 << 20, &ii) == 0 && strcmp(ii.format, "vdi") == 0 &&
		ii.capacity == 7 * G, "vdi");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	memcpy(h, "OOOM", 4);
	put_be32(h + 4, 2);
	strcpy((char *)h + 8, "/images/base.raw");
	put_be64(h + 1036, 2 * G);
	fd = mkimg(h, 2048, 4096, NULL, 0, 0);
	T_CHECK(probe(fd, 4096, &ii) == 0 && strcmp(ii.format, "cow") == 0 &&
		ii.capacity == 2 * G && ii.backing &&
		strcmp(ii.backing, "/images/base.raw") == 0, "cow version 2");
	img_info_clear(&ii);
	close(fd);
}

static void
test_luks_misc(void)
{
	unsigned char h[16384];
	struct img_info ii;
	int fd;

	memset(h, 0, sizeof(h));
	memcpy(h, "LUKS\xba\xbe", 6);
	put_be16(h + 6, 1);
	put_be32(h + 104, 4096);     /* payload after 2 MiB */
	fd = mkimg(h, 512, 10 << 20, NULL, 0, 0);
	T_CHECK(probe(fd, 10 << 20, &ii) == 0 && strcmp(ii.format, "luks") == 0 &&
		ii.capacity == 8 << 20 && strcmp(ii.encryption, "luks") == 0,
		"luks 1: capacity is what follows the payload offset");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	memcpy(h, "LUKS\xba\xbe", 6);
	put_be16(h + 6, 2);
	put_be64(h + 8, 16384);
	strcpy((char *)h + 4096, "{\"keyslots\":{},\"segments\":{\"0\":{\"type\":"
	       "\"crypt\",\"offset\":\"16777216\",\"size\":\"dynamic\"}}}");
	fd = mkimg(h, sizeof(h), 20 << 20, NULL, 0, 0);
	T_CHECK(probe(fd, 20 << 20, &ii) == 0 && strcmp(ii.format, "luks") == 0 &&
		ii.capacity == 4 << 20, "luks 2: segment offset from the JSON area");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	strcpy((char *)h, "Bochs Virtual HD Image");
	strcpy((char *)h + 32, "Redolog");
	strcpy((char *)h + 48, "Growing");
	put_le32(h + 64, 0x00020000);
	put_le64(h + 88, 3 * G);
	fd = mkimg(h, 512, 4096, NULL, 0, 0);
	T_CHECK(probe(fd, 4096, &ii) == 0 && strcmp(ii.format, "bochs") == 0 &&
		ii.capacity == 3 * G, "bochs version 2");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	strcpy((char *)h, "#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && "
	       "mount -r -t iso9660 /dev/cloop $1\n");
	put_be32(h + 128, 65536);
	put_be32(h + 132, 100);
	fd = mkimg(h, 512, 8192, NULL, 0, 0);
	T_CHECK(probe(fd, 8192, &ii) == 0 && strcmp(ii.format, "cloop") == 0 &&
		ii.capacity == 6553600, "cloop");
	img_info_clear(&ii);
	close(fd);

	memset(h, 0, sizeof(h));
	memcpy(h, "WithouFreSpacExt", 16);
	put_le32(h + 16, 2);
	put_le64(h + 36, 131072);
	fd = mkimg(h, 512, 4096, NULL, 0, 0);
	T_CHECK(probe(fd, 4096, &ii) == 0 && strcmp(ii.format, "ploop") == 0 &&
		ii.capacity == 64 << 20, "parallels (ploop)");
	img_info_clear(&ii);
	close(fd);

	unsigned char k[512];
	memset(k, 0, sizeof(k));
	memcpy(k, "koly", 4);
	put_be32(k + 4, 4);
	put_be32(k + 8, 512);
	put_be64(k + 0x1ec, 204800);
	fd = mkimg(NULL, 0, 1 << 20, k, 512, (1 << 20) - 512);
	T_CHECK(probe(fd, 1 << 20, &ii) == 0 && strcmp(ii.format, "dmg") == 0 &&
		ii.capacity == 100 << 20, "dmg: the koly block at the end");
	img_info_clear(&ii);
	close(fd);

	fd = mkimg(NULL, 0, 1 << 20, "\1CD001\1", 7, 32768);
	T_CHECK(probe(fd, 1 << 20, &ii) == 0 && strcmp(ii.format, "iso") == 0 &&
		ii.capacity == 1 << 20, "iso 9660 volume descriptor at 32769");
	img_info_clear(&ii);
	close(fd);

	fd = mkimg(NULL, 0, 0, NULL, 0, 0);
	T_CHECK(probe(fd, 0, &ii) == 0 && strcmp(ii.format, "raw") == 0 &&
		ii.capacity == 0, "an empty file is raw");
	img_info_clear(&ii);
	close(fd);

	fd = mkimg(NULL, 0, 5 * G, NULL, 0, 0);
	T_CHECK(probe(fd, 5 * G, &ii) == 0 && strcmp(ii.format, "raw") == 0 &&
		ii.capacity == 5 * G, "a sparse file is raw");
	img_info_clear(&ii);
	close(fd);
}

/* Random damage to every valid header: never a crash, never a wrong
 * read (ASan), always an answer. */
static void
test_mutations(void)
{
	unsigned char base[4096], h[4096];
	unsigned r;
	int bad = 0;

	for (int kind = 0; kind < 2; kind++) {
		make_qcow2(base, kind ? 2 : 3);
		for (int i = 0; i < 3000; i++) {
			struct img_info ii;
			uint64_t size;
			memcpy(h, base, sizeof(h));
			wipe_random_fill(&r, sizeof(r));
			for (unsigned m = 0; m < 1 + r % 8; m++) {
				unsigned pos;
				wipe_random_fill(&pos, sizeof(pos));
				wipe_random_fill(&h[(pos >> 8) % 600], 1);
			}
			size = 512 + r % 8192;
			int fd = mkimg(h, size < sizeof(h) ? size : sizeof(h), size,
				       NULL, 0, 0);
			if (probe(fd, size, &ii) < 0 || ii.format == NULL)
				bad++;
			img_info_clear(&ii);
			close(fd);
		}
	}
	T_CHECK(bad == 0, "6000 damaged qcow2 headers all probe without error");
}

/* Sizes past SIZE_LIMIT in a header: the format stays, the capacity is
 * the file's size, and the reason is given (never a wrapped number). */
static void
check_damaged(const void *hdr, size_t hlen, const char *fmt, const char *what)
{
	struct img_info ii;
	int fd = mkimg(hdr, hlen, 65536, NULL, 0, 0);

	T_CHECK(probe(fd, 65536, &ii) == 0 && strcmp(ii.format, fmt) == 0 &&
		ii.capacity == 65536 && ii.damaged != NULL &&
		strstr(ii.damaged, "past the limit of 9223372036854775807"),
		"%s: damaged (%s), capacity the file's size", what,
		ii.damaged ? ii.damaged : "no reason");
	img_info_clear(&ii);
	close(fd);
}

static void
test_huge_sizes(void)
{
	unsigned char h[4096];

	make_qcow2(h, 3);
	put_be64(h + 24, UINT64_MAX);
	check_damaged(h, sizeof(h), "qcow2", "qcow2 with size bytes 0xff...");
	make_qcow2(h, 3);
	put_be64(h + 24, (1ull << 63));
	check_damaged(h, sizeof(h), "qcow2", "qcow2 of 2^63 bytes");

	memset(h, 0, sizeof(h));
	memcpy(h, "KDMV", 4);
	put_le32(h + 4, 1);
	put_le64(h + 12, 1ull << 55);      /* x 512 wraps to 0 */
	check_damaged(h, sizeof(h), "vmdk", "vmdk sparse extent of 2^55 sectors");

	static const char desc[] = "# Disk DescriptorFile\nversion=1\n"
		"RW 18014398509481984 FLAT \"a.vmdk\" 0\n"
		"RW 18014398509481984 FLAT \"b.vmdk\" 0\n";
	check_damaged(desc, sizeof(desc) - 1, "vmdk",
		      "vmdk whose extents add past 2^63 bytes");
	static const char desc2[] = "# Disk DescriptorFile\nversion=1\n"
		"RW 18446744073709551615 FLAT \"a.vmdk\" 0\n"
		"RW 2 FLAT \"b.vmdk\" 0\n";
	check_damaged(desc2, sizeof(desc2) - 1, "vmdk",
		      "vmdk whose sector count wraps");

	memset(h, 0, sizeof(h));
	put_le32(h + 64, 0xbeda107fu);
	put_le64(h + 368, UINT64_MAX - 1);
	check_damaged(h, sizeof(h), "vdi", "vdi of 2^64-2 bytes");

	memset(h, 0, sizeof(h));
	strcpy((char *)h, "#!/bin/sh\n#V2.0 Format\nmodprobe cloop file=$0 && "
	       "mount -r -t iso9660 /dev/cloop $1\n");
	put_be32(h + 128, 0xffffffffu);
	put_be32(h + 132, 0xffffffffu);
	check_damaged(h, sizeof(h), "cloop", "cloop of 2^32 x 2^32 bytes");

	memset(h, 0, sizeof(h));
	memcpy(h, "WithoutFreeSpace", 16);
	put_le64(h + 36, 1ull << 56);
	check_damaged(h, sizeof(h), "ploop", "ploop of 2^56 sectors");
}

int
main(void)
{
	test_qcow();
	test_qed_vmdk();
	test_vpc_vdi_cow();
	test_luks_misc();
	test_huge_sizes();
	test_mutations();
	return t_done();
}
