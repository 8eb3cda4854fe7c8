/* cistern — noticing changes made by any cistern, and libvirt's storage
 * pool events between two looks at the pools. */
#include "watch.h"

#include <stdlib.h>
#include <string.h>
#include <sys/inotify.h>
#include <unistd.h>

#include "fileio.h"
#include "util.h"
#include "xml.h"

int
store_watch_open(struct store *s, bool make_dirs)
{
	const uint32_t mask = IN_CLOSE_WRITE | IN_MOVED_TO | IN_MOVED_FROM |
			      IN_DELETE | IN_CREATE | IN_ATTRIB;
	int fd;

	if (make_dirs) {
		store_config_dirs(s, NULL);
		store_run_dir(s, NULL);
	}
	fd = inotify_init1(IN_NONBLOCK | IN_CLOEXEC);
	if (fd < 0)
		return -1;
	s->watch_wd[0] = inotify_add_watch(fd, s->config_dir, mask);
	s->watch_wd[1] = s->autostart_dir ?
		inotify_add_watch(fd, s->autostart_dir, mask) : 0;
	s->watch_wd[2] = s->run_dir ? inotify_add_watch(fd, s->run_dir, mask) :
		0;
	return fd;
}

/* Is the change an event tells of another program's? */
static bool
watch_foreign(const struct store *s, const struct inotify_event *ev)
{
	const char *dirs[3] = { s->config_dir, s->autostart_dir, s->run_dir };
	const char *name = ev->len ? ev->name : "";
	bool foreign = true;

	if (name[0] == '.' || str_endswith(name, ".lock") ||
	    strcmp(name, "boot-id") == 0)
		return false;
	for (int i = 0; i < 3; i++) {
		if (dirs[i] != NULL && s->watch_wd[i] > 0 &&
		    s->watch_wd[i] == ev->wd && *name != '\0') {
			char *path = path_join(dirs[i], name);

			foreign = !file_is_own(path);
			free(path);
			break;
		}
	}
	return foreign;
}

bool
store_watch_read(const struct store *s, int fd)
{
	char buf[8192] __attribute__((aligned(__alignof__(struct inotify_event))));
	bool relevant = false;
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0) {
		for (char *p = buf; p < buf + n;) {
			struct inotify_event *ev = (struct inotify_event *)p;

			if (!relevant && watch_foreign(s, ev))
				relevant = true;
			p += sizeof(*ev) + ev->len;
		}
	}
	return relevant;
}

void
pool_look_take(struct cistern *c, struct pool_look *l)
{
	l->v = xcalloc(c->npools ? c->npools : 1, sizeof(*l->v));
	l->n = c->npools;
	for (size_t i = 0; i < c->npools; i++) {
		const struct pool *p = c->pools[i];
		struct pool_seen *s = &l->v[i];

		s->name = xstrdup(p->def->name);
		memcpy(s->uuid, p->def->uuid, 16);
		s->active = pool_is_active(p);
		s->transient = p->transient;
		s->def_xml = pool_def_format(p->def, POOL_XML_INACTIVE);
		store_status_time(&c->store, p->def->name, &s->status);
	}
}

void
pool_look_free(struct pool_look *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].def_xml);
	}
	free(l->v);
	l->v = NULL;
	l->n = 0;
}

static const struct pool_seen *
look_find(const struct pool_look *l, const char *name)
{
	for (size_t i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name) == 0)
			return &l->v[i];
	return NULL;
}

static void
ev_add(struct pool_event **ev, size_t *n, const struct pool_seen *s,
       enum pool_event_type t, enum pool_event_detail d)
{
	*ev = xreallocarray(*ev, *n + 1, sizeof(**ev));
	(*ev)[*n].name = xstrdup(s->name);
	memcpy((*ev)[*n].uuid, s->uuid, 16);
	(*ev)[*n].type = t;
	(*ev)[*n].detail = d;
	(*n)++;
}

/* The events of one pool seen as `a` before and `b` after (either NULL:
 * not there). */
static void
pool_diff(const struct pool_seen *a, const struct pool_seen *b,
	  struct pool_event **ev, size_t *n)
{
	const enum pool_event_type LC = POOL_EVENT_LIFECYCLE;
	bool a_def = a != NULL && !a->transient, b_def = b != NULL &&
							 !b->transient;
	bool a_on = a != NULL && a->active, b_on = b != NULL && b->active;

	/* a new definition, a changed one, or a transient pool made
	 * persistent */
	if (b_def && (!a_def || strcmp(a->def_xml, b->def_xml) != 0 ||
		      memcmp(a->uuid, b->uuid, 16) != 0))
		ev_add(ev, n, b, LC, POOL_EV_DEFINED);
	if (a_on && !b_on)
		ev_add(ev, n, a, LC, POOL_EV_STOPPED);
	else if (!a_on && b_on)
		ev_add(ev, n, b, LC, POOL_EV_STARTED);
	else if (a_on && b_on &&
		 (a->status.tv_sec != b->status.tv_sec ||
		  a->status.tv_nsec != b->status.tv_nsec))
		/* running all along, its state written again: a refresh */
		ev_add(ev, n, b, POOL_EVENT_REFRESH, POOL_EV_REFRESHED);
	if (a_def && b == NULL)
		ev_add(ev, n, a, LC, POOL_EV_UNDEFINED);
}

static int
cmp_events(const void *x, const void *y)
{
	const struct pool_event *a = x, *b = y;

	return strcmp(a->name, b->name);
}

size_t
pool_events_between(const struct pool_look *before,
		    const struct pool_look *after, struct pool_event **out)
{
	struct pool_event *ev = NULL;
	size_t n = 0;

	for (size_t i = 0; i < after->n; i++)
		pool_diff(look_find(before, after->v[i].name), &after->v[i],
			  &ev, &n);
	for (size_t i = 0; i < before->n; i++)
		if (look_find(after, before->v[i].name) == NULL)
			pool_diff(&before->v[i], NULL, &ev, &n);
	/* pools by name; a stable sort keeps each pool's own order */
	for (size_t i = 1; i < n; i++)
		for (size_t k = i; k > 0 && cmp_events(&ev[k - 1], &ev[k]) > 0;
		     k--) {
			struct pool_event t = ev[k];
			ev[k] = ev[k - 1];
			ev[k - 1] = t;
		}
	*out = ev;
	return n;
}

void
pool_events_free(struct pool_event *ev, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(ev[i].name);
	free(ev);
}

const char *
pool_event_type_name(enum pool_event_type t)
{
	return t == POOL_EVENT_REFRESH ? "refresh" : "lifecycle";
}

const char *
pool_event_detail_name(enum pool_event_detail d)
{
	static const char *const names[] = {
		[POOL_EV_DEFINED] = "Defined",
		[POOL_EV_UNDEFINED] = "Undefined",
		[POOL_EV_STARTED] = "Started",
		[POOL_EV_STOPPED] = "Stopped",
		[POOL_EV_REFRESHED] = "",
		[POOL_EV_CREATED] = "Created",
		[POOL_EV_DELETED] = "Deleted",
	};

	return (unsigned)d < sizeof(names) / sizeof(names[0]) ? names[d] : "";
}

int
pool_event_type_from_name(const char *s)
{
	if (strcmp(s, "lifecycle") == 0)
		return POOL_EVENT_LIFECYCLE;
	if (strcmp(s, "refresh") == 0)
		return POOL_EVENT_REFRESH;
	return -1;
}
