/* cistern — image headers read in process. */
#include "imgprobe.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "fileio.h"
#include "units.h"
#include "util.h"

/* Where the bytes come from: the first block already read, the rest
 * through pread. */
struct src {
	int fd;
	uint64_t size;
	const unsigned char *head;
	size_t headlen;
};

/* Big-endian 16-bit value. */
static uint16_t
be16(const unsigned char *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Big-endian 32-bit value. */
static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Big-endian 64-bit value. */
static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* Little-endian 32-bit value. */
static uint32_t
le32(const unsigned char *p)
{
	return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[1] << 8 | p[0];
}

/* Little-endian 64-bit value. */
static uint64_t
le64(const unsigned char *p)
{
	return (uint64_t)le32(p + 4) << 32 | le32(p);
}

/* Read up to `len` bytes at `off`; returns the count (short at the end of
 * the file), or -1 with errno set. */
static ssize_t
src_read(const struct src *s, uint64_t off, void *buf, size_t len)
{
	size_t got = 0;

	if (off >= s->size)
		return 0;
	if (len > s->size - off)
		len = (size_t)(s->size - off);
	if (off < s->headlen) {
		size_t n = s->headlen - (size_t)off;
		if (n > len)
			n = len;
		memcpy(buf, s->head + off, n);
		got = n;
	}
	if (got < len) {
		ssize_t r = fd_read_full(s->fd, (char *)buf + got, len - got,
					 (int64_t)(off + got));
		if (r < 0)
			return -1;
		got += (size_t)r;
	}
	return (ssize_t)got;
}

/* Bytes [off, off+len) of the head, or NULL when the file is shorter. */
static const unsigned char *
at(const struct src *s, size_t off, size_t len)
{
	if (off + len > s->headlen || off + len > s->size)
		return NULL;
	return s->head + off;
}

/* Read a backing file name of `len` bytes at `off` (stops at a NUL). */
static int
read_name(const struct src *s, uint64_t off, uint32_t len, char **out)
{
	char buf[4097];
	ssize_t r;

	if (len == 0 || off == 0)
		return 0;
	if (len > sizeof(buf) - 1)
		len = sizeof(buf) - 1;
	r = src_read(s, off, buf, len);
	if (r < 0)
		return -1;
	buf[r] = '\0';
	if (buf[0] != '\0' && !str_has_ctrl(buf))
		*out = xstrdup(buf);
	return 0;
}

/* qcow2 header extensions: the backing format lives in one of them. */
static int
qcow2_extensions(const struct src *s, uint64_t off, uint64_t limit,
		 struct img_info *ii)
{
	for (int n = 0; n < 64 && off + 8 <= limit; n++) {
		unsigned char h[8];
		uint32_t type, len;

		if (src_read(s, off, h, 8) != 8)
			return 0;
		type = be32(h);
		len = be32(h + 4);
		if (type == 0)
			return 0;
		if (type == 0xE2792ACAu && len > 0 &&
		    len < sizeof(ii->backing_format)) {
			char fmt[sizeof(ii->backing_format)] = "";
			if (src_read(s, off + 8, fmt, len) != (ssize_t)len)
				return 0;
			fmt[len] = '\0';
			if (!str_has_ctrl(fmt))
				memcpy(ii->backing_format, fmt, len + 1);
		}
		off += 8 + (((uint64_t)len + 7) & ~(uint64_t)7);
	}
	return 0;
}

/* A size read from a header, `count` units of `unit` bytes. Past what
 * cistern takes anywhere (SIZE_LIMIT, as for sizes typed in) the image is
 * damaged: the reason is kept and 0 returned, never a wrapped number. */
static uint64_t
hdr_size(struct img_info *ii, uint64_t count, uint64_t unit)
{
	uint64_t r;

	if (!__builtin_mul_overflow(count, unit, &r) && r <= SIZE_LIMIT)
		return r;
	if (ii->damaged == NULL) {
		if (unit == 1)
			ii->damaged = xasprintf("its header gives a size of "
						"%llu bytes, past the limit "
						"of %llu",
						(unsigned long long)count,
						(unsigned long long)SIZE_LIMIT);
		else
			ii->damaged = xasprintf("its header gives a size of "
						"%llu x %llu bytes, past the "
						"limit of %llu",
						(unsigned long long)count,
						(unsigned long long)unit,
						(unsigned long long)SIZE_LIMIT);
	}
	return 0;
}

/* qcow (version 1) and qcow2 (versions 2 and 3), magic "QFI\xfb". */
static int
probe_qcow(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 72);
	uint32_t version, cluster_bits, crypt;
	uint64_t boff;
	uint32_t blen;

	if (h == NULL || memcmp(h, "QFI\xfb", 4) != 0)
		return 0;
	version = be32(h + 4);
	boff = be64(h + 8);
	blen = be32(h + 16);
	if (version == 1) {
		ii->format = "qcow";
		ii->capacity = hdr_size(ii, be64(h + 24), 1);
		crypt = be32(h + 36);
		if (crypt == 1)
			ii->encryption = "qcow";
		return read_name(s, boff, blen > 1023 ? 1023 : blen,
				 &ii->backing) < 0 ? -1 : 1;
	}
	if (version != 2 && version != 3)
		return 0;
	ii->format = "qcow2";
	ii->compat = version == 2 ? "0.10" : "1.1";
	cluster_bits = be32(h + 20);
	if (cluster_bits >= 9 && cluster_bits <= 21)
		ii->cluster_size = (uint64_t)1 << cluster_bits;
	ii->capacity = hdr_size(ii, be64(h + 24), 1);
	crypt = be32(h + 32);
	if (crypt == 1)
		ii->encryption = "qcow";
	else if (crypt == 2)
		ii->encryption = "luks";
	uint64_t ext = 72;
	if (version == 3) {
		const unsigned char *h3 = at(s, 0, 104);
		if (h3 != NULL) {
			uint64_t incompat = be64(h3 + 72);
			uint64_t compat = be64(h3 + 80);
			ii->lazy_refcounts = (compat & 1) != 0;
			ii->extended_l2 = (incompat & (1u << 4)) != 0;
			ext = be32(h3 + 100);
			if (ext < 104)
				ext = 104;
		}
	}
	/* extensions sit between the header and the end of the first
	 * cluster (or the backing file name, which follows them) */
	uint64_t limit = ii->cluster_size ? ii->cluster_size : 65536;
	if (boff > ext && boff < limit)
		limit = boff;
	qcow2_extensions(s, ext, limit, ii);
	return read_name(s, boff, blen > 1023 ? 1023 : blen,
			 &ii->backing) < 0 ? -1 : 1;
}

/* QED, magic "QED\0", little-endian. */
static int
probe_qed(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 64);
	uint64_t features;

	if (h == NULL || memcmp(h, "QED\0", 4) != 0)
		return 0;
	ii->format = "qed";
	ii->cluster_size = le32(h + 4);
	features = le64(h + 16);
	ii->capacity = hdr_size(ii, le64(h + 48), 1);
	if (!(features & 1))
		return 1;
	if (features & 4)
		snprintf(ii->backing_format, sizeof(ii->backing_format), "raw");
	return read_name(s, le32(h + 56), le32(h + 60), &ii->backing) < 0 ?
	       -1 : 1;
}

/* The value of `key="..."` on a descriptor line. */
static bool
desc_value(const char *line, const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	const char *p = line, *end;

	while (*p == ' ' || *p == '\t')
		p++;
	if (strncmp(p, key, kl) != 0)
		return false;
	p += kl;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '=')
		return false;
	while (*p == ' ' || *p == '\t')
		p++;
	if (*p++ != '"')
		return false;
	end = strchr(p, '"');
	if (end == NULL || (size_t)(end - p) >= n)
		return false;
	memcpy(out, p, (size_t)(end - p));
	out[end - p] = '\0';
	return true;
}

/* A VMDK text descriptor: the parent (backing) and, for descriptor files,
 * the extents' sizes. */
static void
vmdk_descriptor(char *text, bool sum_extents, struct img_info *ii)
{
	uint64_t sectors = 0;
	char *save = NULL;

	for (char *line = strtok_r(text, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char val[1024];
		unsigned long long n;

		if (desc_value(line, "parentFileNameHint", val, sizeof(val)) &&
		    val[0] != '\0' && ii->backing == NULL &&
		    !str_has_ctrl(val)) {
			ii->backing = xstrdup(val);
			snprintf(ii->backing_format, sizeof(ii->backing_format),
				 "vmdk");
		}
		if (sum_extents &&
		    (sscanf(line, "RW %llu", &n) == 1 ||
		     sscanf(line, "RDONLY %llu", &n) == 1 ||
		     sscanf(line, "NOACCESS %llu", &n) == 1) &&
		    __builtin_add_overflow(sectors, n, &sectors))
			sectors = UINT64_MAX;   /* past any limit */
	}
	if (sum_extents)
		ii->capacity = hdr_size(ii, sectors, 512);
}

/* VMDK: a sparse extent ("KDMV") or a descriptor file. */
static int
probe_vmdk(const struct src *s, struct img_info *ii)
{
	static const char desc_magic[] = "# Disk DescriptorFile";
	const unsigned char *h = at(s, 0, 44);
	char *text;
	uint64_t off, len;
	bool sparse;
	ssize_t r;

	sparse = h != NULL && memcmp(h, "KDMV", 4) == 0 &&
		 le32(h + 4) >= 1 && le32(h + 4) <= 3;
	if (!sparse) {
		h = at(s, 0, sizeof(desc_magic) - 1);
		if (h == NULL || memcmp(h, desc_magic, sizeof(desc_magic) - 1))
			return 0;
		off = 0;
		len = s->size;
	} else {
		ii->capacity = hdr_size(ii, le64(h + 12), 512);
		off = le64(h + 28) * 512;
		len = le64(h + 36) * 512;
	}
	ii->format = "vmdk";
	if (off == 0 && sparse)
		return 1;
	if (len > 65536)
		len = 65536;
	text = xmalloc((size_t)len + 1);
	r = src_read(s, off, text, (size_t)len);
	if (r < 0) {
		free(text);
		return -1;
	}
	text[r] = '\0';
	vmdk_descriptor(text, !sparse, ii);
	free(text);
	return 1;
}

/* A VHD footer ("conectix"); the size as qemu reads it: CHS geometry for
 * images made by Virtual PC or old qemu, current_size for the rest. */
static bool
vpc_footer(const unsigned char *f, struct img_info *ii)
{
	uint64_t chs, cur;
	bool use_chs;

	if (memcmp(f, "conectix", 8) != 0)
		return false;
	chs = (uint64_t)be16(f + 56) * f[58] * f[59];
	cur = be64(f + 48);
	use_chs = memcmp(f + 28, "win ", 4) != 0 &&
		  memcmp(f + 28, "qem2", 4) != 0 &&
		  memcmp(f + 28, "d2v ", 4) != 0 &&
		  memcmp(f + 28, "CTXS", 4) != 0 &&
		  memcmp(f + 28, "tap\0", 4) != 0;
	ii->format = "vpc";
	if (!use_chs || chs == 65535ull * 16 * 255)
		ii->capacity = hdr_size(ii, cur / 512, 512);
	else
		ii->capacity = chs * 512;
	return true;
}

/* VirtualBox VDI: signature 0xbeda107f at 64. */
static int
probe_vdi(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 376);

	if (h == NULL || le32(h + 64) != 0xbeda107fu)
		return 0;
	ii->format = "vdi";
	ii->capacity = hdr_size(ii, le64(h + 368), 1);
	return 1;
}

/* User-mode Linux COW, version 2. */
static int
probe_cow(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 1044);
	char name[1025];

	if (h == NULL || memcmp(h, "OOOM", 4) != 0 || be32(h + 4) != 2)
		return 0;
	ii->format = "cow";
	ii->capacity = hdr_size(ii, be64(h + 1036), 1);
	memcpy(name, h + 8, 1024);
	name[1024] = '\0';
	if (name[0] != '\0' && !str_has_ctrl(name))
		ii->backing = xstrdup(name);
	return 1;
}

/* LUKS 2: the data segment's offset from the JSON metadata area. */
static uint64_t
luks2_offset(const struct src *s, uint64_t hdr_size)
{
	char json[12289];
	ssize_t r;
	const char *p;
	uint64_t off = 0;

	if (hdr_size <= 4096)
		return 0;
	if (hdr_size - 4096 < sizeof(json) - 1)
		r = src_read(s, 4096, json, (size_t)(hdr_size - 4096));
	else
		r = src_read(s, 4096, json, sizeof(json) - 1);
	if (r <= 0)
		return 0;
	json[r] = '\0';
	p = strstr(json, "\"segments\"");
	if (p != NULL)
		p = strstr(p, "\"offset\"");
	if (p == NULL)
		return 0;
	p += strlen("\"offset\"");
	while (*p == ' ' || *p == ':' || *p == '"')
		p++;
	while (*p >= '0' && *p <= '9' && off < (UINT64_MAX - 9) / 10)
		off = off * 10 + (uint64_t)(*p++ - '0');
	return off;
}

/* LUKS: the payload follows the header; the volume is what is left. */
static int
probe_luks(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 108);
	uint64_t payload;

	if (h == NULL || memcmp(h, "LUKS\xba\xbe", 6) != 0)
		return 0;
	if (be16(h + 6) == 1)
		payload = (uint64_t)be32(h + 104) * 512;
	else if (be16(h + 6) == 2)
		payload = luks2_offset(s, be64(h + 8));
	else
		return 0;
	ii->format = "luks";
	ii->encryption = "luks";
	ii->capacity = payload <= s->size ? s->size - payload : 0;
	return 1;
}

/* Bochs growing image (versions 1 and 2). */
static int
probe_bochs(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 96);

	if (h == NULL || strncmp((const char *)h, "Bochs Virtual HD Image",
				 32) != 0 ||
	    strncmp((const char *)h + 32, "Redolog", 16) != 0 ||
	    strncmp((const char *)h + 48, "Growing", 16) != 0)
		return 0;
	if (le32(h + 64) == 0x00020000u)
		ii->capacity = hdr_size(ii, le64(h + 88), 1);
	else if (le32(h + 64) == 0x00010000u)
		ii->capacity = hdr_size(ii, le64(h + 84), 1);
	else
		return 0;
	ii->format = "bochs";
	return 1;
}

/* Parallels (libvirt's "ploop"): its signature, then the size in
 * sectors. */
static int
probe_ploop(const struct src *s, struct img_info *ii)
{
	const unsigned char *h = at(s, 0, 44);

	if (h == NULL || (memcmp(h, "WithoutFreeSpace", 16) != 0 &&
			  memcmp(h, "WithouFreSpacExt", 16) != 0))
		return 0;
	ii->format = "ploop";
	ii->capacity = hdr_size(ii, le64(h + 36), 512);
	return 1;
}

/* cloop V2.0: a shell preamble, then block size and count. */
static int
probe_cloop(const struct src *s, struct img_info *ii)
{
	static const char magic[] = "#!/bin/sh\n#V2.0 Format\nmodprobe cloop "
				    "file=$0 && mount -r -t iso9660 /dev/cloop "
				    "$1\n";
	const unsigned char *h = at(s, 0, 136);

	if (h == NULL || memcmp(h, magic, sizeof(magic) - 1) != 0)
		return 0;
	ii->format = "cloop";
	ii->capacity = hdr_size(ii, be32(h + 128), be32(h + 132));
	return 1;
}

/* dmg: the "koly" trailer in the last 512 bytes. (A VHD footer is not
 * looked for there: qemu and libvirt take a fixed VHD for raw, and so does
 * cistern, so a guest cannot turn its raw disk into another format by
 * writing its last sector.) */
static int
probe_dmg(const struct src *s, struct img_info *ii)
{
	unsigned char t[512];

	if (s->size < 1024)
		return 0;
	if (src_read(s, s->size - 512, t, 512) != 512)
		return errno ? -1 : 0;
	if (memcmp(t, "koly", 4) != 0 || be32(t + 4) != 4 ||
	    be32(t + 8) != 512)
		return 0;
	ii->format = "dmg";
	ii->capacity = hdr_size(ii, be64(t + 0x1ec), 512);
	return 1;
}

/* ISO 9660: "CD001" in the first volume descriptor at 32769. */
static int
probe_iso(const struct src *s, struct img_info *ii)
{
	unsigned char m[5];

	if (s->size < 32769 + 5)
		return 0;
	if (src_read(s, 32769, m, 5) != 5)
		return errno ? -1 : 0;
	if (memcmp(m, "CD001", 5) != 0)
		return 0;
	ii->format = "iso";
	return 1;
}

/* What an open image file is. */
int
imgprobe_fd(int fd, uint64_t size, const unsigned char *head, size_t headlen,
	    struct img_info *out, struct err *e)
{
	static int (*const probers[])(const struct src *, struct img_info *) = {
		probe_qcow, probe_qed, probe_vmdk, probe_vdi, probe_cow,
		probe_luks, probe_bochs, probe_cloop, probe_ploop, probe_dmg,
		probe_iso,
	};
	unsigned char buf[IMGPROBE_HEAD];
	struct src s = { .fd = fd, .size = size, .head = head,
			 .headlen = headlen };

	memset(out, 0, sizeof(*out));
	out->format = "raw";
	out->capacity = size;
	if (head == NULL) {
		ssize_t r;
		s.headlen = 0;
		r = src_read(&s, 0, buf, sizeof(buf));
		if (r < 0)
			return err_errno(e, errno,
					 "cannot read the image header");
		s.head = buf;
		s.headlen = (size_t)r;
	}
	/* a dynamic VHD keeps a copy of its footer at the start */
	if (s.headlen >= 512 && vpc_footer(s.head, out)) {
		if (out->damaged != NULL)
			out->capacity = size;
		return 0;
	}
	for (size_t i = 0; i < ARRAY_SIZE(probers); i++) {
		errno = 0;
		int rc = probers[i](&s, out);
		if (rc < 0) {
			int saved = errno ? errno : EIO;
			img_info_clear(out);
			out->format = "raw";
			out->capacity = size;
			return err_errno(e, saved, "cannot read the image");
		}
		if (rc > 0) {
			/* the file's own size stands in for one past the
			 * limit (the reason says so) */
			if (out->damaged != NULL)
				out->capacity = size;
			return 0;
		}
		/* a prober that did not match leaves nothing behind */
		img_info_clear(out);
		out->format = "raw";
		out->capacity = size;
	}
	return 0;
}

/* What the image file at `path` is. */
int
imgprobe_path(const char *path, struct img_info *out, struct err *e)
{
	struct stat st;
	int fd, rc;

	memset(out, 0, sizeof(*out));
	out->format = "raw";
	fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", path);
	if (fstat(fd, &st) < 0) {
		int saved = errno;
		close(fd);
		return err_errno(e, saved, "cannot stat '%s'", path);
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return err_setc(e, ERR_INVALID, "'%s' is not a regular file",
				path);
	}
	rc = imgprobe_fd(fd, (uint64_t)st.st_size, NULL, 0, out, e);
	close(fd);
	if (rc < 0)
		err_prefix(e, "'%s'", path);
	return rc;
}

/* Free what an img_info holds. */
void
img_info_clear(struct img_info *ii)
{
	free(ii->backing);
	free(ii->damaged);
	memset(ii, 0, sizeof(*ii));
}
