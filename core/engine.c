/* cistern — engines: the registry, the local engine, opening a
 * connection, and the calls that exist only as engine operations. */
#include "engine.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fileio.h"
#include "pool.h"
#include "pool_int.h"
#include "run.h"
#include "util.h"
#include "watch.h"
#include "xml.h"

static const struct engine_ops *uri_engine;

/* The local engine's host: this one. */
static char *
local_hostname(struct cistern *c, struct err *e)
{
	char h[HOST_NAME_MAX + 1];

	(void)c;
	if (gethostname(h, sizeof(h)) < 0)
		return err_errno(e, errno, "cannot read the host name"), NULL;
	h[sizeof(h) - 1] = '\0';
	return xstrdup(h);
}

/* libvirt's naming: a system and a session instance. */
static char *
local_uri(struct cistern *c, struct err *e)
{
	(void)c;
	(void)e;
	return xstrdup(geteuid() == 0 ? "cistern:///system" :
		       "cistern:///session");
}

/* The local engine is core itself: only what core has no function for
 * is an op here. */
const struct engine_ops engine_local = {
	.name = "local",
	.hostname = local_hostname,
	.uri = local_uri,
};

void
engine_register(const struct engine_ops *ops)
{
	uri_engine = ops;
}

const struct engine_ops *
engine_for_uri(const char *uri)
{
	(void)uri;
	return uri_engine;
}

bool
engine_remote(const struct cistern *c)
{
	return c != NULL && c->engine != NULL && c->engine != &engine_local;
}

int
engine_check_write(const struct cistern *c, struct err *e)
{
	if (c->read_only)
		return err_setc(e, ERR_REFUSED, "cistern is in read-only mode");
	if (run_dry_run())
		return err_setc(e, ERR_UNSUPPORTED, "--dry-run cannot show a %s "
				"connection's commands (the other side runs "
				"them): nothing was changed", c->engine->name);
	return 0;
}

int
engine_unsupported(const struct cistern *c, const char *what, struct err *e)
{
	return err_setc(e, ERR_UNSUPPORTED, "%s is not supported over a %s "
			"connection", what, c->engine->name);
}

int
cistern_connect(struct cistern *c, const char *uri, const char *config_dir,
		const char *run_dir, unsigned flags, bool read_only,
		store_warn_fn warn, void *warn_arg, struct err *e)
{
	const struct engine_ops *eng;
	struct pool **pools = NULL;
	size_t n = 0;
	char *cfg, *run;

	if (uri == NULL || *uri == '\0') {
		if (cistern_open(c, config_dir, run_dir,
				 read_only ? flags & ~CISTERN_LOAD_AUTOSTART :
				 flags, warn, warn_arg, e) < 0)
			return -1;
		c->read_only = read_only;
		c->engine = &engine_local;
		return 0;
	}
	eng = engine_for_uri(uri);
	if (eng == NULL)
		return err_setc(e, ERR_UNSUPPORTED, "cannot connect to '%s': "
				"this cistern is built without a libvirt "
				"engine", uri);
	memset(c, 0, sizeof(*c));
	c->warn = warn;
	c->warn_arg = warn_arg;
	c->read_only = read_only;
	c->engine = eng;
	/* secrets stay in the local store (nothing is created by opening) */
	store_default_dirs(config_dir, run_dir, &cfg, &run);
	store_open(&c->store, cfg, run, e);
	free(cfg);
	free(run);
	if (eng->open(c, uri, (read_only ? ENGINE_READ_ONLY : 0) |
		      ((flags & CISTERN_LONG_LIVED) ? ENGINE_LONG_LIVED : 0),
		      e) < 0) {
		store_close(&c->store);
		return -1;
	}
	if (eng->load(c, &pools, &n, e) < 0) {
		eng->close(c);
		store_close(&c->store);
		return -1;
	}
	c->pools = pools;
	c->npools = n;
	return 0;
}

struct pool *
pool_new(struct cistern *c, struct pool_def *d)
{
	struct pool *p = xcalloc(1, sizeof(*p));

	p->def = d;
	p->owner = c;
	p->state = POOL_INACTIVE;
	return p;
}

void
pool_discard(struct pool *p)
{
	pool_free(p);
}

char *
cistern_uri(struct cistern *c, struct err *e)
{
	const struct engine_ops *eng = c->engine ? c->engine : &engine_local;

	return eng->uri(c, e);
}

char *
cistern_hostname(struct cistern *c, struct err *e)
{
	const struct engine_ops *eng = c->engine ? c->engine : &engine_local;

	return eng->hostname(c, e);
}

char *
pool_dumpxml(struct cistern *c, const struct pool *p, unsigned flags,
	     struct err *e)
{
	if (!engine_remote(c))
		return pool_xml(p, flags);
	if (c->engine->pool_xml == NULL)
		return engine_unsupported(c, "pool-dumpxml", e), NULL;
	return c->engine->pool_xml(c, p, flags, e);
}

char *
vol_dumpxml(struct cistern *c, const struct pool *p, const struct vol_def *v,
	    struct err *e)
{
	if (!engine_remote(c))
		return vol_def_format(v, p->def->type);
	if (c->engine->vol_xml == NULL)
		return engine_unsupported(c, "vol-dumpxml", e), NULL;
	return c->engine->vol_xml(c, p, v, e);
}

char *
cistern_find_sources(struct cistern *c, enum pool_type t,
		     const struct source_query *q, struct err *e)
{
	if (!engine_remote(c))
		return pool_find_sources(t, q, e);
	if (c->engine->find_sources == NULL)
		return engine_unsupported(c, "find-storage-pool-sources", e),
		       NULL;
	return c->engine->find_sources(c, t, q, e);
}

int
cistern_load_full(struct cistern *c, int what, struct pool ***out,
		  size_t *n, struct err *e)
{
	if (!engine_remote(c) || c->engine->load_full == NULL)
		return engine_unsupported(c, "load_full", e);
	return c->engine->load_full(c, what, out, n, e);
}

bool
engine_lost(const struct err *e)
{
	/* engines word a lost connection so: "cannot reach HOST ..." */
	return str_startswith(e->msg, "cannot reach ");
}

bool
engine_uri_local(const char *uri)
{
	const char *sep, *plus, *host;
	size_t hl;

	if (uri == NULL || *uri == '\0')
		return true;
	if ((sep = strstr(uri, "://")) == NULL)
		return false;
	/* driver+transport://: only the unix transport stays on this host */
	plus = memchr(uri, '+', (size_t)(sep - uri));
	if (plus != NULL)
		return (size_t)(sep - plus - 1) == 4 &&
		       strncmp(plus + 1, "unix", 4) == 0;
	/* driver://host/...: a host name means tls to it */
	host = sep + 3;
	hl = strcspn(host, "/?");
	return hl == 0;
}

int
cistern_rescan_pool(struct cistern *c, const char *name, struct err *e)
{
	if (!engine_remote(c) || c->engine->pool_rescan == NULL)
		return engine_unsupported(c, "pool_rescan", e);
	return c->engine->pool_rescan(c, name, e);
}

/* ---- pool events ---- */

/* One record: its header, then `len` bytes of text (a pool's name, or
 * the line that says the connection is lost), written in one write of
 * at most PIPE_BUF bytes, so whole or not at all. */
struct ev_head {
	uint16_t len;
	uint8_t type, detail;
};

int
cistern_events_open(struct cistern *c, struct err *e)
{
	if (!engine_remote(c) || c->engine->events_open == NULL ||
	    c->engine->events_close == NULL)
		return engine_unsupported(c, "pool-event", e);
	return c->engine->events_open(c, e);
}

void
cistern_events_close(struct cistern *c, int fd)
{
	if (fd >= 0 && engine_remote(c) && c->engine->events_close != NULL)
		c->engine->events_close(c, fd);
}

int
cistern_forked(struct cistern *c)
{
	if (c->engine == NULL || c->engine->forked == NULL)
		return 0;
	return c->engine->forked(c);
}

int
engine_event_write(int fd, int type, int detail, const char *text)
{
	char buf[PIPE_BUF];
	struct ev_head h;
	size_t len = strlen(text);

	if (len > sizeof(buf) - sizeof(h))
		len = sizeof(buf) - sizeof(h);
	h.len = (uint16_t)len;
	h.type = (uint8_t)type;
	h.detail = (uint8_t)detail;
	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), text, len);
	/* a non-blocking pipe: a full one drops the record */
	return write(fd, buf, sizeof(h) + len) == (ssize_t)(sizeof(h) + len) ?
	       0 : -1;
}

int
engine_event_read(int fd, struct pool_event *ev, struct err *e)
{
	struct ev_head h;
	char *text;
	ssize_t n;

	n = fd_read_full(fd, &h, sizeof(h), -1);
	if (n != (ssize_t)sizeof(h))
		return err_setc(e, ERR_GENERIC, "the engine stopped sending "
				"events");
	text = xmalloc((size_t)h.len + 1);
	if (fd_read_full(fd, text, h.len, -1) != (ssize_t)h.len) {
		free(text);
		return err_setc(e, ERR_GENERIC, "the engine stopped sending "
				"events");
	}
	text[h.len] = '\0';
	if (h.type == ENGINE_EVENT_LOST) {
		err_setc(e, ERR_GENERIC, "%s", text);
		free(text);
		return -1;
	}
	memset(ev, 0, sizeof(*ev));
	ev->name = text;
	ev->type = h.type == POOL_EVENT_REFRESH ? POOL_EVENT_REFRESH :
		   POOL_EVENT_LIFECYCLE;
	ev->detail = (enum pool_event_detail)h.detail;
	return 1;
}
