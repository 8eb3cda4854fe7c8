/* A bounded, seeded mutation fuzz of the pool and volume XML parsers:
 * every mutant either parses — and then formats to XML that parses again
 * to the same text — or fails with a one-line error. Run under
 * SANITIZE=1 it also catches memory errors. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/fileio.h"
#include "../../core/util.h"
#include "../../core/xml.h"
#include "../lib/t.h"

static uint64_t rng = 0x9e3779b97f4a7c15ull;

static uint32_t
rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

static const char *const tokens[] = {
	"<", ">", "/>", "'", "\"", "&amp;", "&#10;", "&lt;", "<!--", "-->",
	"<![CDATA[x]]>", "unit='EiB'", "unit='k'", "99999999999999999999",
	"-1", "0", "/", "\n", "<name>", "</name>", "<target>", "</target>",
	"<path>/x</path>", "<source>", "</source>", "<device path='/dev/x'/>",
	"<host name='h'/>", "type='logical'", "type='disk'", "type='iscsi'",
	"<format type='qcow2'/>", "<capacity>1</capacity>", "<backingStore>",
	"<permissions><mode>0777</mode></permissions>", "\xc3\xa9", "\xff",
	"<features><lazy_refcounts/></features>", "<encryption format='luks'>",
	"<secret type='passphrase' uuid='x'/>", "xmlns:fs='http://libvirt.org/schemas/storagepool/fs/1.0'",
	"<fs:mount_opts><fs:option name='a'/></fs:mount_opts>",
};

static char *
mutate(const char *in, size_t len, size_t *out_len)
{
	struct sbuf b;
	size_t pos = len ? rnd((uint32_t)len) : 0;
	int op = (int)rnd(5);

	sbuf_init(&b);
	sbuf_addn(&b, in, pos);
	switch (op) {
	case 0:   /* drop a span */
		pos += rnd(40);
		break;
	case 1:   /* insert a token */
		sbuf_add(&b, tokens[rnd(ARRAY_SIZE(tokens))]);
		break;
	case 2:   /* flip a byte */
		if (pos < len) {
			sbuf_addc(&b, (char)(in[pos] ^ (1 << rnd(8))));
			pos++;
		}
		break;
	case 3:   /* duplicate a span */
		sbuf_addn(&b, in + pos, (len - pos) < 60 ? len - pos : 60);
		break;
	default:  /* truncate */
		*out_len = b.len;
		return sbuf_take(&b);
	}
	if (pos < len)
		sbuf_addn(&b, in + pos, len - pos);
	*out_len = b.len;
	return sbuf_take(&b);
}

static char **
load_dir(const char *dir, size_t *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char **v = NULL;

	*n = 0;
	while (d && (de = readdir(d)) != NULL) {
		if (!str_endswith(de->d_name, ".xml"))
			continue;
		char *p = path_join(dir, de->d_name);
		char *data = file_read_all(p, XML_MAX_BYTES, NULL, NULL);
		if (data)
			strv_push(&v, n, data);
		free(data);
		free(p);
	}
	if (d)
		closedir(d);
	return v;
}

static int
check_one(const char *data, size_t len, bool pool, enum pool_type pt,
	  long *parsed)
{
	struct err e;

	err_init(&e);
	if (pool) {
		struct pool_def *d = pool_def_parse(data, len, "fuzz", &e);
		if (d == NULL)
			return (strchr(e.msg, '\n') == NULL && e.msg[0]) ? 0 : -1;
		char *out = pool_def_format(d, 0);
		struct pool_def *d2 = pool_def_parse(out, strlen(out), "again", &e);
		char *out2 = d2 ? pool_def_format(d2, 0) : NULL;
		int rc = (out2 && strcmp(out, out2) == 0) ? 0 : -1;
		if (rc < 0)
			fprintf(stderr, "round trip failed:\n%s\n---\n%s\n", out,
				out2 ? out2 : e.msg);
		(*parsed)++;
		pool_def_free(d);
		pool_def_free(d2);
		free(out);
		free(out2);
		err_clear(&e);
		return rc;
	}
	struct vol_def *v = vol_def_parse(data, len, "fuzz", pt,
					  VOL_PARSE_OPT_CAPACITY, &e);
	if (v == NULL)
		return (strchr(e.msg, '\n') == NULL && e.msg[0]) ? 0 : -1;
	char *out = vol_def_format(v, pt);
	struct vol_def *v2 = vol_def_parse(out, strlen(out), "again", pt,
					   VOL_PARSE_NO_CAPACITY, &e);
	char *out2 = v2 ? vol_def_format(v2, pt) : NULL;
	int rc = (out2 && strcmp(out, out2) == 0) ? 0 : -1;
	if (rc < 0)
		fprintf(stderr, "round trip failed:\n%s\n---\n%s\n", out,
			out2 ? out2 : e.msg);
	(*parsed)++;
	vol_def_free(v);
	vol_def_free(v2);
	free(out);
	free(out2);
	err_clear(&e);
	return rc;
}

int
main(int argc, char **argv)
{
	const char *peer = t_peer();
	long iterations = argc > 1 ? atol(argv[1]) : 100000;
	char *pd = xasprintf("%s/tests/storagepoolxml2xmlin", peer);
	char *vd = xasprintf("%s/tests/storagevolxml2xmlin", peer);
	size_t np, nv;
	char **pools = load_dir(pd, &np), **vols = load_dir(vd, &nv);
	static const enum pool_type pts[] = { POOL_DIR, POOL_DISK, POOL_LOGICAL,
					      POOL_ISCSI };

	T_CHECK(np > 0 && nv > 0, "fuzz seeds loaded (%zu pools, %zu volumes)",
		np, nv);
	for (int kind = 0; kind < 2; kind++) {
		long bad = 0, parsed = 0;
		for (long i = 0; i < iterations; i++) {
			char **set = kind == 0 ? pools : vols;
			size_t n = kind == 0 ? np : nv;
			const char *seed = set[rnd((uint32_t)n)];
			size_t len = strlen(seed), ml;
			char *cur = xstrdup(seed);
			/* stack a few mutations */
			for (int k = (int)rnd(4); k >= 0; k--) {
				char *m = mutate(cur, len, &ml);
				free(cur);
				cur = m;
				len = ml;
			}
			if (check_one(cur, len, kind == 0,
				      pts[rnd(ARRAY_SIZE(pts))], &parsed) < 0)
				bad++;
			free(cur);
		}
		T_CHECK(bad == 0, "%ld mutated %s documents: each parses and "
			"round-trips or fails with one line (%ld parsed, %ld bad)",
			iterations, kind == 0 ? "pool" : "volume", parsed, bad);
	}
	strv_free(pools);
	strv_free(vols);
	free(pd);
	free(vd);
	return t_done();
}
