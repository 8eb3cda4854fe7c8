/* cistern — iscsi-direct pools: a target's LUNs through libiscsi in
 * process, with no kernel initiator (libvirt's
 * storage_backend_iscsi_direct.c).
 *
 * Nothing stays connected: refresh, wipe, upload and download each open
 * a session (CHAP when the pool has <auth>), do their SCSI commands and
 * log out. Volumes are named as libvirt names them ("unit:0:0:LUN") and
 * addressed by the URI qemu and libiscsi take,
 * iscsi://HOST:PORT/TARGET/LUN; their key is the LUN's SCSI identifier,
 * the same one udev's scsi_id gives the kernel's view of that LUN. The
 * LUNs are made on the storage server: they cannot be created or deleted
 * here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/secret.h"
#include "../core/util.h"
#include "../core/wipe.h"
#include "iscsi_common.h"

#define NAME_PREFIX "unit:0:0:"
#define CHUNK (1u << 20)

/* Log in to the pool's target. */
static struct iscsi_conn *
direct_open(struct pool *p, struct job *j, struct err *e)
{
	const struct pool_def *d = p->def;
	struct iscsi_conn *c;
	char *secret, *portal;
	size_t slen;

	if (iscsi_check_source(d, e) < 0 ||
	    iscsi_pool_secret(p, &secret, &slen, e) < 0)
		return NULL;
	portal = iscsi_portal(d->source.hosts[0].name, d->source.hosts[0].port,
			      false);
	c = iscsi_conn_open(d->source.initiator_iqn, d->source.devices[0].path,
			    portal, d->source.auth ? d->source.auth->username :
			    NULL, secret, j, e);
	secret_free(secret, slen);
	free(portal);
	return c;
}

/* Log in, list the target's LUNs as volumes, log out. */
int
iscsi_direct_list(struct pool *p, struct job *j, struct err *e)
{
	const struct pool_def *d = p->def;
	struct iscsi_conn *c = direct_open(p, j, e);
	struct iscsi_lun *luns;
	size_t n;
	char *base;

	if (c == NULL)
		return -1;
	if (iscsi_conn_luns(c, &luns, &n, e) < 0) {
		iscsi_conn_close(c);
		return -1;
	}
	iscsi_conn_close(c);
	p->def->capacity = p->def->allocation = p->def->available = 0;
	base = iscsi_portal(d->source.hosts[0].name, d->source.hosts[0].port,
			    false);
	for (size_t i = 0; i < n; i++) {
		struct vol_def *v;

		/* disks and CDs, as the kernel's view lists them (not the
		 * target's controller LUN 0) */
		if (luns[i].type != 0 && luns[i].type != 5)
			continue;
		v = vol_def_new();
		v->type = VOL_NETWORK;
		v->name = xasprintf(NAME_PREFIX "%d", luns[i].lun);
		v->target.path = xasprintf("iscsi://%s/%s/%d", base,
					   d->source.devices[0].path,
					   luns[i].lun);
		v->key = luns[i].key ? xstrdup(luns[i].key) :
			 xstrdup(v->target.path);
		v->note = scsi_lun_note(luns[i].vendor, luns[i].model,
					luns[i].serial);
		v->capacity = v->allocation =
			luns[i].blocks * luns[i].block_size;
		v->has_capacity = true;
		p->def->capacity += v->capacity;
		p->def->allocation += v->allocation;
		pool_add_vol(p, v);
	}
	free(base);
	iscsi_luns_free(luns, n);
	return 0;
}

/* Free what a probe filled in. */
static void
lun_clear(struct iscsi_lun *l)
{
	free(l->vendor);
	free(l->model);
	free(l->serial);
	free(l->key);
	memset(l, 0, sizeof(*l));
}

/* Log in and probe the volume's LUN. */
static struct iscsi_conn *
direct_open_lun(struct pool *p, const struct vol_def *v, struct iscsi_lun *l,
		struct job *j, struct err *e)
{
	struct iscsi_conn *c;
	uint64_t lun;

	memset(l, 0, sizeof(*l));
	if (!str_startswith(v->name, NAME_PREFIX) ||
	    str_to_u64(v->name + strlen(NAME_PREFIX), 10, &lun) < 0 ||
	    lun > 65535)
		return err_setc(e, ERR_INVALID, "invalid volume name '%s'",
				v->name), NULL;
	if ((c = direct_open(p, j, e)) == NULL)
		return NULL;
	if (iscsi_conn_probe(c, (int)lun, l, e) < 0 || l->blocks == 0) {
		if (!err_isset(e))
			err_setc(e, ERR_UNSUPPORTED, "LUN %d is not a disk",
				 (int)lun);
		iscsi_conn_close(c);
		lun_clear(l);
		return NULL;
	}
	return c;
}

/* Fill a buffer for pass `pass`; `off` is the buffer's byte offset from
 * the start of the LUN, so 3-byte patterns run on across chunks. */
static void
pass_fill(enum wipe_alg alg, int pass, unsigned char *buf, size_t n,
	  uint64_t off)
{
	unsigned char pat[3];
	int len = wipe_pass_pattern(alg, pass, pat);

	if (len <= 0) {
		wipe_random_fill(buf, n);
	} else if (len == 1) {
		memset(buf, pat[0], n);
	} else {
		for (size_t i = 0; i < n; i++)
			buf[i] = pat[(off + i) % (uint64_t)len];
	}
}

/* Read a pass back and compare it with its pattern. */
static int
pass_verify(struct iscsi_conn *c, const struct iscsi_lun *l, enum wipe_alg alg,
	    int pass, unsigned char *buf, unsigned char *want, struct job *j,
	    struct err *e)
{
	uint64_t bpc = CHUNK / l->block_size;

	for (uint64_t lba = 0; lba < l->blocks; lba += bpc) {
		uint32_t nb = (uint32_t)(l->blocks - lba < bpc ?
					 l->blocks - lba : bpc);
		size_t n = (size_t)nb * l->block_size;

		if (job_check(j, e) < 0 ||
		    iscsi_conn_read(c, l, lba, nb, buf, e) < 0)
			return -1;
		pass_fill(alg, pass, want, n, lba * l->block_size);
		if (memcmp(buf, want, n) != 0)
			return err_setc(e, ERR_TOOL, "verify of pass %d failed "
					"near block %llu", pass + 1,
					(unsigned long long)lba);
	}
	return 0;
}

/* Write every pass of the algorithm over the LUN with WRITE 16,
 * reading back the passes the standard verifies. */
static int
direct_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
		struct job *j, struct err *e)
{
	struct iscsi_lun l;
	struct iscsi_conn *c;
	unsigned char *buf = NULL, *want = NULL;
	int npass = wipe_passes(alg), rc = 0;
	uint64_t bpc;

	if (npass <= 0)
		return err_setc(e, ERR_INVALID, "unknown wipe algorithm");
	if (run_dry_run())
		return 0;
	if ((c = direct_open_lun(p, v, &l, j, e)) == NULL)
		return -1;
	bpc = CHUNK / l.block_size;
	buf = xmalloc(CHUNK);
	want = xmalloc(CHUNK);
	job_set_total(j, l.blocks * l.block_size * (uint64_t)npass);
	for (int pass = 0; pass < npass && rc == 0; pass++) {
		if (npass > 1)
			job_phase(j, "pass %d/%d", pass + 1, npass);
		else
			job_phase(j, "writing");
		for (uint64_t lba = 0; lba < l.blocks && rc == 0; lba += bpc) {
			uint32_t nb = (uint32_t)(l.blocks - lba < bpc ?
						 l.blocks - lba : bpc);
			size_t n = (size_t)nb * l.block_size;

			pass_fill(alg, pass, buf, n, lba * l.block_size);
			rc = job_check(j, e);
			if (rc == 0)
				rc = iscsi_conn_write(c, &l, lba, nb, buf, e);
			job_advance(j, n);
		}
		if (rc == 0 && wipe_pass_verify(alg, pass))
			rc = pass_verify(c, &l, alg, pass, buf, want, j, e);
	}
	free(buf);
	free(want);
	iscsi_conn_close(c);
	lun_clear(&l);
	return rc;
}

/* Write n bytes at byte offset `pos` of the LUN; a partial first or last
 * block is read first and merged. `span` has room for CHUNK + 2 blocks. */
static int
write_bytes(struct iscsi_conn *c, const struct iscsi_lun *l, uint64_t pos,
	    const unsigned char *data, size_t n, unsigned char *span,
	    struct err *e)
{
	uint64_t bs = l->block_size, lba = pos / bs;
	size_t head = (size_t)(pos % bs);
	uint32_t nb = (uint32_t)((head + n + bs - 1) / bs);

	if (head != 0 || (head + n) % bs != 0) {
		if (iscsi_conn_read(c, l, lba, 1, span, e) < 0)
			return -1;
		if (nb > 1 && iscsi_conn_read(c, l, lba + nb - 1, 1,
					      span + (nb - 1) * bs, e) < 0)
			return -1;
	}
	memcpy(span + head, data, n);
	return iscsi_conn_write(c, l, lba, nb, span, e);
}

/* Write a file (or a stream) into the LUN at a byte offset. */
static int
direct_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		  uint64_t offset, uint64_t length, unsigned flags,
		  struct job *j, struct err *e)
{
	struct iscsi_lun l;
	struct iscsi_conn *c;
	unsigned char *data, *span;
	uint64_t size, done = 0;
	struct stat st;
	bool to_eof;
	int rc = 0;

	(void)flags;
	if (run_dry_run())
		return 0;
	if (length == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		off_t cur = lseek(fd, 0, SEEK_CUR);
		length = (uint64_t)st.st_size - (uint64_t)(cur > 0 ? cur : 0);
	}
	to_eof = length == 0;
	if ((c = direct_open_lun(p, v, &l, j, e)) == NULL)
		return -1;
	size = l.blocks * l.block_size;
	if (offset > size || (!to_eof && length > size - offset)) {
		iscsi_conn_close(c);
		lun_clear(&l);
		return err_setc(e, ERR_INVALID, "%llu bytes at offset %llu do "
				"not fit in %llu bytes", (unsigned long long)length,
				(unsigned long long)offset,
				(unsigned long long)size);
	}
	data = xmalloc(CHUNK);
	span = xmalloc(CHUNK + 2 * (size_t)l.block_size);
	job_set_total(j, length);
	while (rc == 0 && (to_eof || done < length)) {
		uint64_t pos = offset + done;
		/* end each chunk on a block boundary */
		size_t want = CHUNK - (size_t)(pos % l.block_size);
		ssize_t got;

		if (!to_eof && length - done < want)
			want = (size_t)(length - done);
		if ((rc = job_check(j, e)) < 0)
			break;
		got = fd_read_full(fd, data, want, -1);
		if (got < 0) {
			rc = err_errno(e, errno, "cannot read the input");
			break;
		}
		if (got == 0) {
			if (!to_eof)
				rc = err_setc(e, ERR_INVALID, "the input ended "
					      "after %llu of %llu bytes",
					      (unsigned long long)done,
					      (unsigned long long)length);
			break;
		}
		if (pos + (uint64_t)got > size) {
			rc = err_setc(e, ERR_INVALID, "the input is larger than "
				      "the %llu bytes left in the volume",
				      (unsigned long long)(size - offset));
			break;
		}
		rc = write_bytes(c, &l, pos, data, (size_t)got, span, e);
		done += (uint64_t)got;
		job_advance(j, (uint64_t)got);
	}
	free(data);
	free(span);
	iscsi_conn_close(c);
	lun_clear(&l);
	return rc;
}

/* Write all of buf to fd, or skip over zeros when making a sparse file. */
static int
out_write(int fd, const unsigned char *buf, size_t n, bool sparse,
	  struct err *e)
{
	const char *what;

	if (fd_write_sparse(fd, buf, n, sparse, &what) < 0)
		return err_errno(e, errno, "cannot %s the output", what);
	return 0;
}

/* Read (a range of) the LUN out to a file, optionally sparse. */
static int
direct_vol_download(struct pool *p, const struct vol_def *v, int fd,
		    uint64_t offset, uint64_t length, unsigned flags,
		    struct job *j, struct err *e)
{
	struct iscsi_lun l;
	struct iscsi_conn *c;
	unsigned char *buf;
	uint64_t size, done = 0, bs;
	struct stat st;
	bool sparse;
	int rc = 0;

	if (run_dry_run())
		return 0;
	sparse = (flags & VOL_DOWNLOAD_SPARSE) && fstat(fd, &st) == 0 &&
		 S_ISREG(st.st_mode);
	if ((c = direct_open_lun(p, v, &l, j, e)) == NULL)
		return -1;
	size = l.blocks * l.block_size;
	bs = l.block_size;
	if (offset > size || length > size - offset) {
		iscsi_conn_close(c);
		lun_clear(&l);
		return err_setc(e, ERR_INVALID, "offset %llu and length %llu "
				"go past the end of the volume (%llu bytes)",
				(unsigned long long)offset,
				(unsigned long long)length,
				(unsigned long long)size);
	}
	if (length == 0)
		length = size - offset;
	buf = xmalloc(CHUNK + bs);
	job_set_total(j, length);
	while (rc == 0 && done < length) {
		uint64_t pos = offset + done, lba = pos / bs;
		size_t head = (size_t)(pos % bs);
		size_t n = CHUNK - head;
		uint32_t nb;

		if (length - done < n)
			n = (size_t)(length - done);
		nb = (uint32_t)((head + n + bs - 1) / bs);
		if ((rc = job_check(j, e)) < 0 ||
		    (rc = iscsi_conn_read(c, &l, lba, nb, buf, e)) < 0 ||
		    (rc = out_write(fd, buf + head, n, sparse, e)) < 0)
			break;
		done += n;
		job_advance(j, n);
	}
	if (rc == 0 && sparse && fd_sparse_end(fd) < 0)
		rc = err_errno(e, errno, "cannot set the output's size");
	free(buf);
	iscsi_conn_close(c);
	lun_clear(&l);
	return rc;
}

/* find-storage-pool-sources-as iscsi-direct HOST [PORT] --initiator IQN */
static char *
direct_sources(const struct source_query *q, struct err *e)
{
	return iscsi_find_sources(POOL_ISCSI_DIRECT, q, e);
}

const struct backend iscsi_direct_backend = {
	.type = POOL_ISCSI_DIRECT,
	.says_start = "log in and list the LUNs",
	.says_no_volumes = "its volumes are the target's LUNs, which are "
			   "made and removed on the storage server (do it "
			   "there, then pool-refresh)",
	.refresh = iscsi_direct_list,
	.preview = iscsi_direct_list,
	.find_sources = direct_sources,
	.vol_wipe = direct_vol_wipe,
	.vol_upload = direct_vol_upload,
	.vol_download = direct_vol_download,
};
