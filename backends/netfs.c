/* cistern — netfs pools: an NFS, CIFS or GlusterFS export mounted on the
 * target directory; its volumes are files. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "../core/backend.h"
#include "../core/pool.h"
#include "../core/run.h"
#include "../core/util.h"
#include "../core/xml.h"
#include "../core/xmlutil.h"
#include "filevol.h"
#include "fsmount.h"

#define DISCOVER_TIMEOUT_MS (30 * 1000)

/* One found export. */
static void
add_source(struct pool_source **v, size_t *n, const char *host,
	   const char *dir, const char *format)
{
	struct pool_source *s;

	*v = xreallocarray(*v, *n + 1, sizeof(**v));
	s = &(*v)[(*n)++];
	memset(s, 0, sizeof(*s));
	s->hosts = xcalloc(1, sizeof(*s->hosts));
	s->hosts[0].name = xstrdup(host);
	s->nhosts = 1;
	s->dir = xstrdup(dir);
	s->format = xstrdup(format);
}

/* showmount --no-headers --exports HOST: "PATH CLIENTS" per line. */
static int
find_nfs(const char *host, struct pool_source **v, size_t *n, struct err *e)
{
	const char *argv[] = {
		"showmount", "--no-headers", "--exports", host, NULL,
	};
	struct run_opts o = { .timeout_ms = DISCOVER_TIMEOUT_MS };
	struct run_result r;
	char *save = NULL;

	if (run_argv(argv, &o, &r, e) < 0) {
		run_result_free(&r);
		return -1;
	}
	for (char *line = strtok_r(r.out, "\n", &save); line != NULL;
	     line = strtok_r(NULL, "\n", &save)) {
		char *end = line + strlen(line);
		/* the path may hold spaces; the client list is the last word */
		while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		while (end > line && end[-1] != ' ' && end[-1] != '\t')
			end--;
		while (end > line && (end[-1] == ' ' || end[-1] == '\t'))
			end--;
		*end = '\0';
		if (line[0] == '/' && !str_has_ctrl(line))
			add_source(v, n, host, line, "nfs");
	}
	run_result_free(&r);
	return 0;
}

/* gluster --xml volume info all: each volume is a source. */
static int
find_gluster(const char *host, struct pool_source **v, size_t *n,
	     struct err *e)
{
	char *remote = xasprintf("--remote-host=%s", host);
	const char *argv[] = {
		"gluster", "--xml", "--log-file=/dev/null", "volume", "info",
		"all", remote, NULL,
	};
	struct run_opts o = { .timeout_ms = DISCOVER_TIMEOUT_MS };
	struct run_result r;
	xmlDocPtr doc = NULL;
	xmlNodePtr vol;
	char *ret = NULL;
	int rc = -1;

	if (run_argv(argv, &o, &r, e) < 0)
		goto out;
	if (run_dry_run()) {
		rc = 0;
		goto out;
	}
	doc = xml_parse(r.out, r.out_len, "gluster volume info", e);
	if (doc == NULL)
		goto out;
	ret = xml_text(xmlDocGetRootElement(doc), "opRet");
	if (ret == NULL || strcmp(ret, "0") != 0) {
		char *msg = xml_text(xmlDocGetRootElement(doc), "opErrstr");
		err_setc(e, ERR_TOOL, "gluster volume info failed: %s",
			 msg && *msg ? msg : "no reason given");
		free(msg);
		goto out;
	}
	vol = xml_find(xmlDocGetRootElement(doc), "volInfo/volumes");
	for (vol = vol ? xml_first(vol, "volume") : NULL; vol != NULL;
	     vol = xml_next(vol, "volume")) {
		char *name = xml_text(vol, "name");
		if (name != NULL && *name != '\0' && !str_has_ctrl(name))
			add_source(v, n, host, name, "glusterfs");
		free(name);
	}
	rc = 0;
out:
	if (doc != NULL)
		xmlFreeDoc(doc);
	free(ret);
	free(remote);
	run_result_free(&r);
	return rc;
}

/* The <format type> of a source spec, or NULL. */
static char *
spec_format(const char *spec)
{
	struct err e;
	xmlDocPtr doc;
	char *fmt;

	if (spec == NULL)
		return NULL;
	err_init(&e);
	doc = xml_parse(spec, strlen(spec), "source spec", &e);
	err_clear(&e);
	if (doc == NULL)
		return NULL;
	fmt = xml_path_attr(xmlDocGetRootElement(doc), "format", "type");
	xmlFreeDoc(doc);
	return fmt;
}

/* NFS exports (showmount) and, where the gluster tool is installed,
 * GlusterFS volumes of a host. */
static char *
netfs_find_sources(const struct source_query *q, struct err *e)
{
	struct pool_source *v = NULL;
	size_t n = 0;
	char *fmt, *xml = NULL;
	bool want_nfs, want_gluster;
	struct err ge;
	int nfs_rc = 0, gl_rc = 0;

	if (q->host == NULL || *q->host == '\0')
		return err_setc(e, ERR_INVALID, "finding netfs sources "
				"needs a host name"), NULL;
	fmt = spec_format(q->srcspec_xml);
	want_nfs = fmt == NULL || strcmp(fmt, "auto") == 0 ||
		   strcmp(fmt, "nfs") == 0;
	want_gluster = (fmt == NULL || strcmp(fmt, "auto") == 0 ||
			strcmp(fmt, "glusterfs") == 0) && run_have("gluster");
	if (!want_nfs && !want_gluster) {
		err_setc(e, ERR_UNSUPPORTED, "cannot find %s sources%s", fmt,
			 strcmp(fmt, "glusterfs") == 0 ?
			 " (the gluster tool is not installed)" : "");
		free(fmt);
		return NULL;
	}
	free(fmt);
	if (want_nfs)
		nfs_rc = find_nfs(q->host, &v, &n, e);
	err_init(&ge);
	if (want_gluster)
		gl_rc = find_gluster(q->host, &v, &n, &ge);
	/* one that works is enough; with none, say why (NFS first) */
	if ((!want_nfs || nfs_rc < 0) && (!want_gluster || gl_rc < 0)) {
		if (!want_nfs)
			err_move(e, &ge);
		goto out;
	}
	err_clear(e);
	xml = pool_sources_format(POOL_NETFS, v, n);
out:
	err_clear(&ge);
	for (size_t i = 0; i < n; i++)
		pool_source_clear(&v[i]);
	free(v);
	return xml;
}

const struct backend netfs_backend = {
	.type = POOL_NETFS,
	.flags = BACKEND_VOL_CREATE | BACKEND_NEEDS_ROOT,
	.says_build = "create the mount point {target}",
	.says_start = "mount the export on the target path",
	.check = fsmount_pool_check,
	.build = fsmount_build_target,
	.start = fsmount_pool_start,
	.stop = fsmount_pool_stop,
	.delete = fsmount_pool_delete,
	.refresh = fsmount_pool_refresh,
	.find_sources = netfs_find_sources,
	FILEVOL_OPS,
};
