/* cistern — what the two iSCSI backends share: portals, secrets, SCSI
 * identifiers and target discovery. */
#include "iscsi_common.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../core/fileio.h"
#include "../core/pool.h"
#include "../core/secret.h"
#include "../core/util.h"
#include "../core/xml.h"

#define INITIATORNAME_FILE "/etc/iscsi/initiatorname.iscsi"

char *
iscsi_portal(const char *host, int port, bool tpgt)
{
	bool v6 = strchr(host, ':') != NULL;

	return xasprintf("%s%s%s:%d%s", v6 ? "[" : "", host, v6 ? "]" : "",
			 port > 0 ? port : ISCSI_DEFAULT_PORT, tpgt ? ",1" : "");
}

int
iscsi_check_source(const struct pool_def *d, struct err *e)
{
	if (d->source.nhosts != 1)
		return err_setc(e, ERR_INVALID,
				"expected exactly 1 host for the storage pool");
	if (d->source.ndevices != 1 || d->source.devices[0].path == NULL)
		return err_setc(e, ERR_INVALID,
				"missing source device (the target IQN)");
	if (d->source.auth != NULL && !str_eq(d->source.auth->type, "chap"))
		return err_setc(e, ERR_UNSUPPORTED,
				"%s pools only support 'chap' auth",
				pool_type_name(d->type));
	return 0;
}

int
iscsi_pool_secret(struct pool *p, char **secret, size_t *len, struct err *e)
{
	const struct pool_auth *a = p->def->source.auth;

	*secret = NULL;
	*len = 0;
	if (a == NULL)
		return 0;
	*secret = pool_secret(p, len, e);
	if (*secret == NULL)
		return err_prefix(e, "CHAP user '%s'", a->username);
	return 0;
}

/* ---- SCSI identifiers ---- */

/* Designator types and code sets of VPD page 0x83 (SPC-3 7.6.3). */
enum {
	DESIG_VENDOR = 0, DESIG_T10 = 1, DESIG_EUI64 = 2, DESIG_NAA = 3,
	CODE_BINARY = 1, CODE_ASCII = 2,
	NAA_ANY = -1,
};

/* scsi_id's order of preference (udev's id_search_list). */
static const struct {
	int type, naa, code;
} id_order[] = {
	{ DESIG_NAA, 6, CODE_BINARY }, { DESIG_NAA, 6, CODE_ASCII },
	{ DESIG_NAA, 5, CODE_BINARY }, { DESIG_NAA, 5, CODE_ASCII },
	{ DESIG_NAA, NAA_ANY, CODE_BINARY }, { DESIG_NAA, NAA_ANY, CODE_ASCII },
	{ DESIG_EUI64, NAA_ANY, CODE_BINARY },
	{ DESIG_EUI64, NAA_ANY, CODE_ASCII },
	{ DESIG_T10, NAA_ANY, CODE_BINARY }, { DESIG_T10, NAA_ANY, CODE_ASCII },
	{ DESIG_VENDOR, NAA_ANY, CODE_BINARY },
	{ DESIG_VENDOR, NAA_ANY, CODE_ASCII },
};

static const char hexdig[] = "0123456789abcdef";

/* Append a fixed-width text field padded with spaces to `width`. */
static void
add_padded(struct sbuf *b, const char *s, size_t width)
{
	size_t n = s ? strlen(s) : 0;

	sbuf_addn(b, s ? s : "", n > width ? width : n);
	for (; n < width; n++)
		sbuf_addc(b, ' ');
}

/* Append designator bytes: hex for binary, text up to a NUL for ASCII. */
static void
add_designator(struct sbuf *b, const unsigned char *p, size_t n, bool ascii)
{
	for (size_t i = 0; i < n; i++) {
		if (!ascii) {
			sbuf_addc(b, hexdig[p[i] >> 4]);
			sbuf_addc(b, hexdig[p[i] & 0x0f]);
		} else if (p[i] == '\0') {
			break;
		} else {
			sbuf_addc(b, (char)p[i]);
		}
	}
}

/* udev's --replace-whitespace: trim, and turn each run of whitespace into
 * one '_'; other unprintable bytes become '_' too (keys go into XML). */
static char *
replace_whitespace(const char *s)
{
	struct sbuf b;
	const char *end = s + strlen(s);
	bool space = false;

	while (s < end && isspace((unsigned char)*s))
		s++;
	while (end > s && isspace((unsigned char)end[-1]))
		end--;
	sbuf_init(&b);
	for (; s < end; s++) {
		unsigned char c = (unsigned char)*s;
		if (isspace(c)) {
			if (!space)
				sbuf_addc(&b, '_');
			space = true;
			continue;
		}
		space = false;
		sbuf_addc(&b, (c < 0x20 || c >= 0x7f) ? '_' : (char)c);
	}
	if (b.s == NULL)
		sbuf_add(&b, "");
	return sbuf_take(&b);
}

/* The page 0x83 identifier as scsi_id makes it, or NULL. */
static char *
key_from_vpd83(const unsigned char *pg, size_t len, const char *vendor,
	       const char *model)
{
	struct sbuf b;
	size_t end;

	if (pg == NULL || len < 8 || pg[1] != 0x83)
		return NULL;
	end = 4 + (((size_t)pg[2] << 8) | pg[3]);
	if (end > len)
		end = len;
	sbuf_init(&b);
	if (pg[6] != 0) {
		/* a SCSI-2 style page: the WWN follows the header as is */
		sbuf_addc(&b, hexdig[DESIG_NAA]);
		add_designator(&b, pg + 4, pg[3] < end - 4 ? pg[3] : end - 4,
			       false);
		return sbuf_take(&b);
	}
	for (size_t k = 0; k < ARRAY_SIZE(id_order); k++) {
		for (size_t j = 4; j + 4 <= end; j += (size_t)pg[j + 3] + 4) {
			const unsigned char *d = pg + j;
			size_t dlen = d[3];

			if (j + 4 + dlen > end)
				break;
			if ((d[1] & 0x30) != 0 ||
			    (d[1] & 0x0f) != id_order[k].type ||
			    (d[0] & 0x0f) != id_order[k].code || dlen == 0)
				continue;
			if (id_order[k].naa != NAA_ANY &&
			    (d[4] >> 4) != id_order[k].naa)
				continue;
			sbuf_addc(&b, hexdig[id_order[k].type]);
			if (id_order[k].type == DESIG_VENDOR) {
				add_padded(&b, vendor, 8);
				add_padded(&b, model, 16);
			}
			add_designator(&b, d + 4, dlen,
				       id_order[k].code == CODE_ASCII);
			return sbuf_take(&b);
		}
	}
	sbuf_free(&b);
	return NULL;
}

char *
scsi_id_key(const unsigned char *vpd83, size_t len83,
	    const unsigned char *vpd80, size_t len80, const char *vendor,
	    const char *model)
{
	char *raw = key_from_vpd83(vpd83, len83, vendor, model), *key;

	if (raw == NULL && vpd80 != NULL && len80 > 4 && vpd80[1] == 0x80) {
		struct sbuf b;
		size_t n = vpd80[3];
		if (n > len80 - 4)
			n = len80 - 4;
		sbuf_init(&b);
		sbuf_addc(&b, 'S');
		add_padded(&b, vendor, 8);
		add_padded(&b, model, 16);
		add_designator(&b, vpd80 + 4, n, true);
		raw = sbuf_take(&b);
	}
	if (raw == NULL)
		return NULL;
	key = replace_whitespace(raw);
	free(raw);
	if (*key == '\0') {
		free(key);
		return NULL;
	}
	return key;
}

char *
scsi_text(const unsigned char *p, size_t n)
{
	char *s = xstrndup((const char *)p, n);
	char *t = xstrdup(str_trim(s));

	free(s);
	for (char *c = t; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c >= 0x7f)
			*c = '?';
	return t;
}

char *
scsi_vpd80_serial(const unsigned char *page, size_t len)
{
	size_t n;
	char *s;

	if (page == NULL || len <= 4 || page[1] != 0x80)
		return NULL;
	n = page[3];
	if (n > len - 4)
		n = len - 4;
	s = scsi_text(page + 4, strnlen((const char *)page + 4, n));
	if (*s == '\0') {
		free(s);
		return NULL;
	}
	return s;
}

char *
scsi_lun_note(const char *vendor, const char *model, const char *serial)
{
	struct sbuf b;

	sbuf_init(&b);
	if (vendor && *vendor)
		sbuf_add(&b, vendor);
	if (model && *model)
		sbuf_printf(&b, "%s%s", b.len ? " " : "", model);
	if (serial && *serial)
		sbuf_printf(&b, "%sserial %s", b.len ? ", " : "", serial);
	if (b.len == 0) {
		sbuf_free(&b);
		return NULL;
	}
	return sbuf_take(&b);
}

/* ---- discovery ---- */

/* This host's initiator name (open-iscsi's), else one made up for
 * cistern. */
char *
iscsi_default_initiator(void)
{
	char *data = file_read_all(INITIATORNAME_FILE, 4096, NULL, NULL);
	char host[256] = "localhost";

	for (char *line = data, *next; line != NULL && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (str_startswith(line, "InitiatorName=") &&
		    line[14] != '\0') {
			char *iqn = xstrdup(str_trim(line + 14));
			free(data);
			return iqn;
		}
	}
	free(data);
	gethostname(host, sizeof(host) - 1);
	for (char *c = host; *c; c++)
		if (!isalnum((unsigned char)*c) && *c != '.' && *c != '-')
			*c = '-';
	return xasprintf("iqn.2025-01.org.cistern:%s", host);
}

char *
iscsi_find_sources(enum pool_type type, const struct source_query *q,
		   struct err *e)
{
	struct pool_source *srcs = NULL;
	struct pool_host host;
	struct iscsi_conn *c;
	char **targets = NULL, *portal, *initiator, *xml = NULL;
	size_t n = 0, ns = 0;

	if (q->host == NULL || *q->host == '\0')
		return err_setc(e, ERR_INVALID, "hostname must be specified "
				"for iscsi sources"), NULL;
	if (type == POOL_ISCSI_DIRECT && q->initiator == NULL)
		return err_setc(e, ERR_INVALID, "missing initiator IQN "
				"(--initiator): an iscsi-direct pool logs in "
				"with its own"), NULL;
	initiator = q->initiator ? xstrdup(q->initiator) :
		    iscsi_default_initiator();
	portal = iscsi_portal(q->host, q->port, false);
	c = iscsi_conn_open(initiator, NULL, portal, NULL, NULL, NULL, e);
	if (c == NULL || iscsi_conn_discover(c, &targets, &n, e) < 0)
		goto out;
	/* as libvirt: iscsi sources carry the port it used, iscsi-direct
	 * ones the port given */
	host.name = (char *)q->host;
	host.port = type == POOL_ISCSI && q->port == 0 ? ISCSI_DEFAULT_PORT :
		    q->port;
	srcs = xcalloc(n ? n : 1, sizeof(*srcs));
	for (size_t i = 0; i < n; i++) {
		bool dup = false;
		for (size_t k = 0; k < ns && !dup; k++)
			dup = strcmp(srcs[k].devices[0].path, targets[i]) == 0;
		if (dup)
			continue;
		srcs[ns].hosts = &host;
		srcs[ns].nhosts = 1;
		srcs[ns].devices = xcalloc(1, sizeof(*srcs[ns].devices));
		srcs[ns].devices[0].path = targets[i];
		srcs[ns].devices[0].part_separator = TRI_ABSENT;
		srcs[ns].ndevices = 1;
		srcs[ns].initiator_iqn = (char *)q->initiator;
		ns++;
	}
	xml = pool_sources_format(type, srcs, ns);
out:
	for (size_t i = 0; i < ns; i++)
		free(srcs[i].devices);
	free(srcs);
	strv_free(targets);
	iscsi_conn_close(c);
	free(portal);
	free(initiator);
	return xml;
}
