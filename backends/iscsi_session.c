/* cistern — an iSCSI initiator session in process, through libiscsi.
 *
 * libiscsi's *_sync calls wait in a poll loop that never runs its own
 * timeouts and cannot be cancelled, so cistern issues the asynchronous
 * calls and waits itself: every wait has a deadline, checks the job for
 * cancellation, and turns libiscsi's terse errors into messages that name
 * the portal and the target. A connection that timed out or was cancelled
 * is marked broken and only freed.
 */
#include "iscsi_common.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <netdb.h>
#include <sys/socket.h>
#include <unistd.h>

#include <iscsi/iscsi.h>
#include <iscsi/scsi-lowlevel.h>

#include "../core/secret.h"
#include "../core/util.h"

#define CONNECT_TIMEOUT_MS (20 * 1000)
#define COMMAND_TIMEOUT_MS (60 * 1000)
#define TUR_TRIES 5

struct iscsi_conn {
	struct iscsi_context *ctx;
	struct job *job;
	char *portal;
	char *target;             /* NULL for a discovery session */
	char *secret;             /* for redacting messages (owned) */
	size_t secret_len;
	bool logged_in;
	bool broken;
	struct scsi_task *pending;   /* a task a broken wait left behind */
	/* the completion being waited for */
	bool done;
	int status;
	void *data;
};

/* libiscsi's completion callback for every asynchronous call. */
static void
conn_cb(struct iscsi_context *ctx, int status, void *command_data,
	void *private_data)
{
	struct iscsi_conn *c = private_data;

	(void)ctx;
	c->done = true;
	c->status = status;
	c->data = command_data;
}

/* The callback of a SendTargets discovery: the list is libiscsi's and is
 * freed when this returns, so the names are copied. */
static void
discover_cb(struct iscsi_context *ctx, int status, void *command_data,
	    void *private_data)
{
	char **names = NULL;
	size_t n = 0;

	if (status == SCSI_STATUS_GOOD) {
		for (struct iscsi_discovery_address *a = command_data; a;
		     a = a->next)
			if (a->target_name != NULL)
				strv_push(&names, &n, a->target_name);
		/* libiscsi builds the list newest first */
		for (size_t i = 0; i < n / 2; i++) {
			char *t = names[i];
			names[i] = names[n - 1 - i];
			names[n - 1 - i] = t;
		}
		if (names == NULL)
			names = xcalloc(1, sizeof(*names));
	}
	conn_cb(ctx, status, names, private_data);
}

/* libiscsi's last error, with the secret (if ever echoed) masked. */
static const char *
conn_error(struct iscsi_conn *c, char *buf, size_t n)
{
	const char *msg = iscsi_get_error(c->ctx);

	snprintf(buf, n, "%s", msg && *msg ? msg : "unknown error");
	secret_redact(buf, c->secret);
	return buf;
}

/* Why the portal cannot be reached: connect to it once more, ourselves,
 * for the errno (libiscsi reports a refused connection as "cannot
 * reconnect right now"). 0 when the connection works (or the portal
 * cannot be parsed). */
static int
portal_errno(const char *portal)
{
	struct addrinfo hints = { .ai_socktype = SOCK_STREAM }, *res;
	char *host, *port;
	int err = 0, fd;

	if (portal[0] == '[') {
		host = xstrdup(portal + 1);
		port = strstr(host, "]:");
		if (port == NULL) {
			free(host);
			return 0;
		}
		*port = '\0';
		port += 2;
	} else {
		host = xstrdup(portal);
		port = strrchr(host, ':');
		if (port == NULL) {
			free(host);
			return 0;
		}
		*port++ = '\0';
	}
	if (getaddrinfo(host, port, &hints, &res) != 0) {
		free(host);
		return 0;
	}
	fd = socket(res->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
		    0);
	if (fd >= 0 && connect(fd, res->ai_addr, res->ai_addrlen) < 0) {
		err = errno;
		if (err == EINPROGRESS) {
			struct pollfd pfd = { .fd = fd, .events = POLLOUT };
			socklen_t len = sizeof(err);
			err = ETIMEDOUT;
			if (poll(&pfd, 1, 5000) == 1)
				getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &len);
		}
	}
	if (fd >= 0)
		close(fd);
	freeaddrinfo(res);
	free(host);
	return err;
}

/* Wait for the call just issued to complete. */
static int
conn_wait(struct iscsi_conn *c, int timeout_ms, const char *what,
	  struct err *e)
{
	int64_t deadline = now_ms() + timeout_ms;
	char buf[512];

	while (!c->done) {
		struct pollfd pfd = {
			.fd = iscsi_get_fd(c->ctx),
			.events = (short)iscsi_which_events(c->ctx),
		};
		int64_t left = deadline - now_ms();
		int r;

		if (job_cancelled(c->job)) {
			c->broken = true;
			return err_setc(e, ERR_CANCELLED, "%s cancelled", what);
		}
		if (left <= 0) {
			c->broken = true;
			return err_setc(e, ERR_TOOL, "%s: no answer from %s "
					"after %d s", what, c->portal,
					timeout_ms / 1000);
		}
		r = poll(&pfd, 1, left > 250 ? 250 : (int)left);
		if (r < 0 && errno != EINTR) {
			c->broken = true;
			return err_errno(e, errno, "%s: poll failed", what);
		}
		if (iscsi_service(c->ctx, r > 0 ? pfd.revents : 0) < 0) {
			c->broken = true;
			/* the callback may have reported the failure */
			if (c->done)
				return 0;
			return err_setc(e, ERR_TOOL, "%s: %s", what,
					conn_error(c, buf, sizeof(buf)));
		}
	}
	return 0;
}

/* Reset the completion before an asynchronous call. */
static void
conn_arm(struct iscsi_conn *c)
{
	c->done = false;
	c->status = 0;
	c->data = NULL;
}

/* A readable "cannot log in" message for libiscsi's login status. */
static int
login_error(struct iscsi_conn *c, const char *user, struct err *e)
{
	char buf[512];
	const char *msg = conn_error(c, buf, sizeof(buf));
	const char *hint = "";

	if (strstr(msg, "Authentication failure") ||
	    strstr(msg, "Authorization failure"))
		hint = user ? " (check the CHAP user name and secret)" :
		       " (the target may require CHAP: add <auth>)";
	else if (strstr(msg, "Target not found"))
		hint = " (no such target on this portal)";
	if (c->target == NULL)
		return err_setc(e, ERR_TOOL, "cannot open a discovery session "
				"on %s: %s%s", c->portal, msg, hint);
	return err_setc(e, ERR_TOOL, "cannot log in to %s on %s: %s%s",
			c->target, c->portal, msg, hint);
}

struct iscsi_conn *
iscsi_conn_open(const char *initiator, const char *target, const char *portal,
		const char *user, const char *secret, struct job *j,
		struct err *e)
{
	struct iscsi_conn *c = xcalloc(1, sizeof(*c));
	char buf[512];

	c->job = j;
	c->portal = xstrdup(portal);
	c->target = target ? xstrdup(target) : NULL;
	if (secret != NULL) {
		c->secret_len = strlen(secret);
		c->secret = xstrdup(secret);
	}
	c->ctx = iscsi_create_context(initiator);
	if (c->ctx == NULL) {
		err_setc(e, ERR_GENERIC, "cannot create an iSCSI context for "
			 "initiator '%s'", initiator);
		goto fail;
	}
	iscsi_set_session_type(c->ctx, target ? ISCSI_SESSION_NORMAL :
			       ISCSI_SESSION_DISCOVERY);
	if (target != NULL && iscsi_set_targetname(c->ctx, target) < 0) {
		err_setc(e, ERR_INVALID, "invalid target name '%s'", target);
		goto fail;
	}
	iscsi_set_header_digest(c->ctx, ISCSI_HEADER_DIGEST_NONE_CRC32C);
	iscsi_set_timeout(c->ctx, COMMAND_TIMEOUT_MS / 1000);
	iscsi_set_noautoreconnect(c->ctx, 1);
	if (user != NULL && secret != NULL &&
	    iscsi_set_initiator_username_pwd(c->ctx, user, secret) < 0) {
		err_setc(e, ERR_INVALID, "cannot use CHAP user '%s'", user);
		goto fail;
	}
	conn_arm(c);
	if (iscsi_connect_async(c->ctx, portal, conn_cb, c) != 0) {
		err_setc(e, ERR_TOOL, "cannot connect to %s: %s", portal,
			 conn_error(c, buf, sizeof(buf)));
		goto fail;
	}
	if (conn_wait(c, CONNECT_TIMEOUT_MS, "cannot connect to the iSCSI "
		      "portal", e) < 0 && !c->done)
		goto fail;
	if (c->status != SCSI_STATUS_GOOD) {
		int se = portal_errno(portal);
		if (se != 0)
			err_errno(e, se, "cannot connect to the iSCSI portal "
				  "%s", portal);
		else
			err_setc(e, ERR_TOOL, "cannot connect to the iSCSI "
				 "portal %s: %s", portal,
				 conn_error(c, buf, sizeof(buf)));
		goto fail;
	}
	conn_arm(c);
	if (iscsi_login_async(c->ctx, conn_cb, c) != 0) {
		login_error(c, user, e);
		goto fail;
	}
	if (conn_wait(c, CONNECT_TIMEOUT_MS, "cannot log in", e) < 0)
		goto fail;
	if (c->status != SCSI_STATUS_GOOD) {
		login_error(c, user, e);
		goto fail;
	}
	c->logged_in = true;
	return c;
fail:
	if (e != NULL)
		secret_redact(e->msg, secret);
	iscsi_conn_close(c);
	return NULL;
}

void
iscsi_conn_close(struct iscsi_conn *c)
{
	if (c == NULL)
		return;
	if (c->ctx != NULL && c->logged_in && !c->broken) {
		conn_arm(c);
		if (iscsi_logout_async(c->ctx, conn_cb, c) == 0)
			conn_wait(c, 5000, "logout", NULL);
	}
	if (c->ctx != NULL)
		iscsi_destroy_context(c->ctx);
	if (c->pending != NULL)
		scsi_free_scsi_task(c->pending);
	if (c->secret != NULL)
		secret_free(c->secret, c->secret_len);
	free(c->portal);
	free(c->target);
	free(c);
}

int
iscsi_conn_discover(struct iscsi_conn *c, char ***targets, size_t *n,
		    struct err *e)
{
	*targets = NULL;
	*n = 0;
	conn_arm(c);
	if (iscsi_discovery_async(c->ctx, discover_cb, c) != 0 ||
	    conn_wait(c, COMMAND_TIMEOUT_MS, "SendTargets discovery", e) < 0 ||
	    c->status != SCSI_STATUS_GOOD) {
		char buf[512];
		strv_free(c->data);
		if (!err_isset(e))
			err_setc(e, ERR_TOOL, "SendTargets discovery on %s "
				 "failed: %s", c->portal,
				 conn_error(c, buf, sizeof(buf)));
		return -1;
	}
	*targets = c->data;
	*n = strv_len(*targets);
	return 0;
}

/* The text of a failed SCSI command: its sense data, or libiscsi's. */
static int
task_error(struct iscsi_conn *c, struct scsi_task *t, const char *what,
	   int lun, struct err *e)
{
	char buf[512];

	if (t != NULL && t->status == SCSI_STATUS_CHECK_CONDITION)
		return err_setc(e, ERR_TOOL, "%s of LUN %d failed: %s (%s)",
				what, lun, scsi_sense_key_str(t->sense.key),
				scsi_sense_ascq_str(t->sense.ascq));
	return err_setc(e, ERR_TOOL, "%s of LUN %d failed: %s", what, lun,
			conn_error(c, buf, sizeof(buf)));
}

/* Wait for a SCSI task (already armed and issued). A task whose wait
 * broke the connection stays with the context until it is destroyed. */
static int
task_wait(struct iscsi_conn *c, struct scsi_task *t, const char *what, int lun,
	  struct err *e)
{
	if (t == NULL)
		return task_error(c, NULL, what, lun, e);
	if (conn_wait(c, COMMAND_TIMEOUT_MS, what, e) < 0) {
		c->pending = t;
		return -1;
	}
	return 0;
}

/* Run one SCSI task; on success the caller frees the returned task. */
static struct scsi_task *
task_run(struct iscsi_conn *c, struct scsi_task *t, const char *what, int lun,
	 struct err *e)
{
	if (task_wait(c, t, what, lun, e) < 0)
		return NULL;
	if (t->status != SCSI_STATUS_GOOD) {
		task_error(c, t, what, lun, e);
		scsi_free_scsi_task(t);
		return NULL;
	}
	return t;
}

/* INQUIRY (standard or a VPD page) with the full allocation length the
 * device asks for. */
static struct scsi_task *
inquiry(struct iscsi_conn *c, int lun, int evpd, int page, struct err *e)
{
	struct scsi_task *t;
	int full;

	conn_arm(c);
	t = task_run(c, iscsi_inquiry_task(c->ctx, lun, evpd, page, 255,
					   conn_cb, c), "INQUIRY", lun, e);
	if (t == NULL || (full = scsi_datain_getfullsize(t)) <= t->datain.size)
		return t;
	scsi_free_scsi_task(t);
	conn_arm(c);
	return task_run(c, iscsi_inquiry_task(c->ctx, lun, evpd, page,
					      full > 65535 ? 65535 : full,
					      conn_cb, c), "INQUIRY", lun, e);
}

/* TEST UNIT READY, retrying the unit attentions a fresh login brings. */
static int
unit_ready(struct iscsi_conn *c, int lun, struct err *e)
{
	for (int i = 0; i < TUR_TRIES; i++) {
		struct scsi_task *t;
		bool ua;

		conn_arm(c);
		t = iscsi_testunitready_task(c->ctx, lun, conn_cb, c);
		if (task_wait(c, t, "TEST UNIT READY", lun, e) < 0)
			return -1;
		ua = t->status == SCSI_STATUS_CHECK_CONDITION &&
		     t->sense.key == SCSI_SENSE_UNIT_ATTENTION;
		if (t->status == SCSI_STATUS_GOOD) {
			scsi_free_scsi_task(t);
			return 0;
		}
		if (!ua || i + 1 == TUR_TRIES) {
			task_error(c, t, "TEST UNIT READY", lun, e);
			scsi_free_scsi_task(t);
			return -1;
		}
		scsi_free_scsi_task(t);
	}
	return 0;
}

int
iscsi_conn_probe(struct iscsi_conn *c, int lun, struct iscsi_lun *out,
		 struct err *e)
{
	struct scsi_task *std, *p80 = NULL, *p83 = NULL, *cap;

	memset(out, 0, sizeof(*out));
	out->lun = lun;
	if (unit_ready(c, lun, e) < 0 ||
	    (std = inquiry(c, lun, 0, 0, e)) == NULL)
		return -1;
	if (std->datain.size < 32) {
		scsi_free_scsi_task(std);
		return err_setc(e, ERR_TOOL, "INQUIRY of LUN %d: short answer",
				lun);
	}
	out->type = std->datain.data[0] & 0x1f;
	out->vendor = scsi_text(std->datain.data + 8, 8);
	out->model = scsi_text(std->datain.data + 16, 16);
	scsi_free_scsi_task(std);
	/* a LUN without these pages is fine: its key falls back */
	p80 = inquiry(c, lun, 1, 0x80, NULL);
	if (c->broken)
		goto broken;
	p83 = inquiry(c, lun, 1, 0x83, NULL);
	if (c->broken)
		goto broken;
	out->serial = p80 ? scsi_vpd80_serial(p80->datain.data,
					      (size_t)p80->datain.size) : NULL;
	out->key = scsi_id_key(p83 ? p83->datain.data : NULL,
			       p83 ? (size_t)p83->datain.size : 0,
			       p80 ? p80->datain.data : NULL,
			       p80 ? (size_t)p80->datain.size : 0,
			       out->vendor, out->model);
	scsi_free_scsi_task(p80);
	scsi_free_scsi_task(p83);
	if (out->type != 0 && out->type != 5)
		return 0;
	conn_arm(c);
	cap = task_run(c, iscsi_readcapacity16_task(c->ctx, lun, conn_cb, c),
		       "READ CAPACITY 16", lun, e);
	if (cap == NULL)
		return -1;
	if (cap->datain.size >= 12) {
		const unsigned char *d = cap->datain.data;
		uint64_t last = 0;
		for (int i = 0; i < 8; i++)
			last = last << 8 | d[i];
		out->block_size = (uint32_t)d[8] << 24 | (uint32_t)d[9] << 16 |
				  (uint32_t)d[10] << 8 | d[11];
		out->blocks = last + 1;
	}
	scsi_free_scsi_task(cap);
	if (out->block_size == 0 || out->block_size > (1u << 20))
		return err_setc(e, ERR_TOOL, "LUN %d reports a block size of "
				"%u bytes", lun, out->block_size);
	return 0;
broken:
	scsi_free_scsi_task(p80);
	return err_setc(e, ERR_TOOL, "INQUIRY of LUN %d: the session broke",
			lun);
}

int
iscsi_conn_luns(struct iscsi_conn *c, struct iscsi_lun **luns, size_t *n,
		struct err *e)
{
	struct scsi_reportluns_list *list;
	struct scsi_task *t;
	int full;

	*luns = NULL;
	*n = 0;
	conn_arm(c);
	t = task_run(c, iscsi_reportluns_task(c->ctx, 0, 16, conn_cb, c),
		     "REPORT LUNS", 0, e);
	if (t != NULL && (full = scsi_datain_getfullsize(t)) > t->datain.size) {
		scsi_free_scsi_task(t);
		conn_arm(c);
		t = task_run(c, iscsi_reportluns_task(c->ctx, 0, full, conn_cb,
						      c), "REPORT LUNS", 0, e);
	}
	if (t == NULL)
		return -1;
	list = scsi_datain_unmarshall(t);
	if (list == NULL) {
		scsi_free_scsi_task(t);
		return err_setc(e, ERR_TOOL, "REPORT LUNS: cannot read the "
				"answer of %s", c->target);
	}
	*luns = xcalloc(list->num ? list->num : 1, sizeof(**luns));
	for (uint32_t i = 0; i < list->num; i++) {
		if (iscsi_conn_probe(c, list->luns[i], &(*luns)[*n], e) < 0) {
			iscsi_luns_free(*luns, *n + 1);
			*luns = NULL;
			*n = 0;
			scsi_free_scsi_task(t);
			return -1;
		}
		(*n)++;
	}
	scsi_free_scsi_task(t);
	return 0;
}

void
iscsi_luns_free(struct iscsi_lun *luns, size_t n)
{
	for (size_t i = 0; luns != NULL && i < n; i++) {
		free(luns[i].vendor);
		free(luns[i].model);
		free(luns[i].serial);
		free(luns[i].key);
	}
	free(luns);
}

int
iscsi_conn_read(struct iscsi_conn *c, const struct iscsi_lun *l, uint64_t lba,
		uint32_t nblocks, unsigned char *buf, struct err *e)
{
	uint32_t len = nblocks * l->block_size;
	struct scsi_task *t;

	conn_arm(c);
	t = task_run(c, iscsi_read16_task(c->ctx, l->lun, lba, len,
					  (int)l->block_size, 0, 0, 0, 0, 0,
					  conn_cb, c), "READ 16", l->lun, e);
	if (t == NULL)
		return -1;
	if ((uint32_t)t->datain.size < len) {
		scsi_free_scsi_task(t);
		return err_setc(e, ERR_TOOL, "READ 16 of LUN %d at block %llu: "
				"short read", l->lun, (unsigned long long)lba);
	}
	memcpy(buf, t->datain.data, len);
	scsi_free_scsi_task(t);
	return 0;
}

int
iscsi_conn_write(struct iscsi_conn *c, const struct iscsi_lun *l,
		 uint64_t lba, uint32_t nblocks, unsigned char *buf,
		 struct err *e)
{
	struct scsi_task *t;

	conn_arm(c);
	t = task_run(c, iscsi_write16_task(c->ctx, l->lun, lba, buf,
					   nblocks * l->block_size,
					   (int)l->block_size, 0, 0, 0, 0, 0,
					   conn_cb, c), "WRITE 16", l->lun, e);
	if (t == NULL)
		return -1;
	scsi_free_scsi_task(t);
	return 0;
}
