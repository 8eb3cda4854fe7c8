/* cistern — iscsi pools: a target's LUNs through the kernel's initiator
 * (open-iscsi), as libvirt's storage_backend_iscsi.c.
 *
 * start: a node record (`iscsiadm --mode node ... --op new`), CHAP, the
 * initiator's interface, `--login`; stop: `--logout`; refresh: rescan the
 * session and walk its LUNs in sysfs (iscsi_sysfs.c). The command lines
 * are libvirt's (virISCSI* in src/util/viriscsi.c) except that the CHAP
 * password goes into the node record in process (iscsi_node.c), never on
 * a command line. Every iscsiadm call has a timeout. The LUNs are made on
 * the storage server: volumes cannot be created or deleted here, only
 * wiped, uploaded to and downloaded from.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../core/copy.h"
#include "../core/pool.h"
#include "../core/probe.h"
#include "../core/run.h"
#include "../core/secret.h"
#include "../core/util.h"
#include "../core/wipe.h"
#include "iscsi_common.h"

#define ISCSIADM "iscsiadm"
#define ISCSIADM_TIMEOUT_MS (30 * 1000)
#define LOGIN_TIMEOUT_MS (120 * 1000)

/* Run iscsiadm. On failure the one-line message carries every line
 * iscsiadm itself wrote on stderr, unchanged and in order (other lines,
 * such as systemd's socket-activation noise, stay in the tool's stderr
 * that --verbose prints). */
static int
iscsiadm(const char *const argv[], int timeout_ms, bool any_status,
	 struct run_result *r, const char *what, struct err *e)
{
	struct run_opts o = {
		.timeout_ms = timeout_ms, .ok_any_status = any_status,
	};
	struct run_result local;
	struct run_result *res = r ? r : &local;
	struct sbuf lines;
	int rc;

	rc = run_argv(argv, &o, res, e);
	if (rc == 0 || res->timed_out || res->status == 127 ||
	    e == NULL || e->code == ERR_CANCELLED) {
		if (rc < 0)
			err_prefix(e, "%s", what);
		if (res == &local)
			run_result_free(&local);
		return rc;
	}
	sbuf_init(&lines);
	for (const char *p = res->errtext; p && *p;) {
		const char *eol = strchr(p, '\n');
		size_t n = eol ? (size_t)(eol - p) : strlen(p);
		if (str_startswith(p, "iscsiadm:") && n > 0) {
			if (lines.len)
				sbuf_addc(&lines, '\n');
			sbuf_addn(&lines, p, n);
		}
		p += n;
		if (*p == '\n')
			p++;
	}
	if (lines.len > 0) {
		err_setc(e, ERR_TOOL, "%s: iscsiadm failed (exit %d): %s", what,
			 res->status, lines.s);
		err_set_tool(e, argv, res->errtext, res->status);
	} else {
		err_prefix(e, "%s", what);
	}
	sbuf_free(&lines);
	if (res == &local)
		run_result_free(&local);
	return -1;
}

/* A stable interface name for an initiator IQN (libvirt makes a random
 * "libvirt-iface-XXXXXXXX"; a stable one makes dry-run output exact). */
static char *
iface_name(const char *iqn)
{
	uint32_t h = 2166136261u;

	for (const unsigned char *s = (const unsigned char *)iqn; *s; s++)
		h = (h ^ *s) * 16777619u;
	return xasprintf("cistern-iface-%08x", h);
}

/* The iscsiadm interface whose initiator name is `iqn`: 1 found, 0 not,
 * -1 on error (libvirt's virStorageBackendIQNFound). */
static int
iface_find(const char *iqn, char **name, struct err *e)
{
	const char *argv[] = { ISCSIADM, "--mode", "iface", NULL };
	struct run_result r;
	int found = 0;

	*name = NULL;
	if (iscsiadm(argv, ISCSIADM_TIMEOUT_MS, false, &r,
		     "cannot list iSCSI interfaces", e) < 0) {
		run_result_free(&r);
		return -1;
	}
	/* "name transport,hwaddress,ipaddress,net_ifacename,initiatorname" */
	for (char *line = r.out, *next; line && *line && !found; line = next) {
		char *sp, *f;
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if ((sp = strchr(line, ' ')) == NULL)
			continue;
		f = sp + 1;
		for (int i = 0; i < 4 && f; i++)
			if ((f = strchr(f, ',')) != NULL)
				f++;
		if (f != NULL && strcmp(f, iqn) == 0) {
			*name = xstrndup(line, (size_t)(sp - line));
			found = 1;
		}
	}
	run_result_free(&r);
	return found;
}

/* Find or create the interface for the pool's initiator IQN
 * (virStorageBackendCreateIfaceIQN), then discover the portal through it
 * so that iscsiadm has a node record for that interface. */
static int
iface_setup(const char *iqn, const char *portal, char **name, bool *created,
	    struct err *e)
{
	struct run_result r;
	char *iface;
	int rc;

	*created = false;
	if ((rc = iface_find(iqn, name, e)) != 0)
		return rc < 0 ? -1 : 0;
	iface = iface_name(iqn);
	const char *mk[] = { ISCSIADM, "--mode", "iface", "--interface", iface,
			     "--op", "new", NULL };
	const char *up[] = { ISCSIADM, "--mode", "iface", "--interface", iface,
			     "--op", "update", "--name", "iface.initiatorname",
			     "--value", iqn, NULL };
	/* as libvirt, the exit status of these two is not trusted (old
	 * iscsiadm returned non-zero on success): look for the result */
	if (iscsiadm(mk, ISCSIADM_TIMEOUT_MS, true, NULL,
		     "cannot create an iSCSI interface", e) < 0 ||
	    iscsiadm(up, ISCSIADM_TIMEOUT_MS, true, &r,
		     "cannot set the interface's initiator name", e) < 0) {
		free(iface);
		return -1;
	}
	/* from here on the caller removes `iface` if the start fails */
	*created = true;
	*name = iface;
	if (!run_dry_run()) {
		char *found = NULL;
		if ((rc = iface_find(iqn, &found, e)) != 1) {
			if (rc == 0)
				err_setc(e, ERR_TOOL, "iscsiadm did not make an "
					 "iSCSI interface for initiator %s%s%s",
					 iqn, r.errtext && *r.errtext ? ": " : "",
					 r.errtext ? r.errtext : "");
			run_result_free(&r);
			return -1;
		}
		free(*name);
		*name = found;
	}
	run_result_free(&r);
	const char *st[] = { ISCSIADM, "--mode", "discovery", "--type",
			     "sendtargets", "--portal", portal, "--interface",
			     *name, NULL };
	return iscsiadm(st, ISCSIADM_TIMEOUT_MS, false, NULL,
			"SendTargets discovery through the interface failed",
			e);
}

/* Remove an interface this start created (after a failure). */
static void
iface_remove(const char *name)
{
	const char *argv[] = { ISCSIADM, "--mode", "iface", "--interface",
			       name, "--op", "delete", NULL };

	iscsiadm(argv, ISCSIADM_TIMEOUT_MS, true, NULL, "", NULL);
}

/* Set the auth method and user as libvirt does; the password goes into
 * the record files in process. */
static int
node_auth(const struct pool_def *d, const char *portal, const char *secret,
	  struct err *e)
{
	const char *target = d->source.devices[0].path;
	const char *meth[] = { ISCSIADM, "--mode", "node", "--portal", portal,
			       "--target", target, "--op", "update", "--name",
			       "node.session.auth.authmethod", "--value",
			       "CHAP", NULL };
	const char *user[] = { ISCSIADM, "--mode", "node", "--portal", portal,
			       "--target", target, "--op", "update", "--name",
			       "node.session.auth.username", "--value",
			       d->source.auth->username, NULL };

	if (iscsiadm(meth, ISCSIADM_TIMEOUT_MS, false, NULL,
		     "cannot set CHAP on the node record", e) < 0 ||
	    iscsiadm(user, ISCSIADM_TIMEOUT_MS, false, NULL,
		     "cannot set the CHAP user name", e) < 0)
		return -1;
	return iscsi_node_set_password(target, d->source.hosts[0].name,
				       d->source.hosts[0].port, secret, e);
}

/* --login or --logout through the node (and interface). */
static int
node_connection(const struct pool_def *d, const char *portal,
		const char *action, const char *iface, struct err *e)
{
	const char *argv[] = { ISCSIADM, "--mode", "node", "--portal", portal,
			       "--targetname", d->source.devices[0].path,
			       action, iface ? "--interface" : NULL, iface,
			       NULL };
	bool login = strcmp(action, "--login") == 0;
	char *what = xasprintf("cannot log %s %s", login ? "in to" : "out of",
			       d->source.devices[0].path);
	int rc = iscsiadm(argv, login ? LOGIN_TIMEOUT_MS : ISCSIADM_TIMEOUT_MS,
			  false, NULL, what, e);

	free(what);
	return rc;
}

/* Running while the kernel has a session to the target. */
static int
iscsi_check(struct pool *p, bool *running, struct err *e)
{
	unsigned sid;
	int rc;

	if (iscsi_check_source(p->def, e) < 0)
		return -1;
	rc = iscsi_sysfs_session(p->def->source.devices[0].path, &sid, e);
	if (rc < 0)
		return -1;
	*running = rc == 1;
	if (!*running)
		err_setc(e, ERR_NOT_FOUND, "no iSCSI session to %s (logged out, "
			 "or the host restarted)", p->def->source.devices[0].path);
	return 0;
}

/* Log in to the target (libvirt's virStorageBackendISCSIStartPool);
 * undo the node record and interface this start made if it fails. */
static int
iscsi_start(struct pool *p, unsigned flags, struct job *j, struct err *e)
{
	const struct pool_def *d = p->def;
	const char *target, *host;
	char *secret = NULL, *portal = NULL, *iface = NULL;
	size_t slen = 0;
	bool had_record, iface_made = false, record_made = false;
	unsigned sid;
	int rc = -1, s;

	(void)flags;
	(void)j;
	if (iscsi_check_source(d, e) < 0)
		return -1;
	target = d->source.devices[0].path;
	host = d->source.hosts[0].name;
	/* already logged in: nothing to do (libvirt does nothing either) */
	if ((s = iscsi_sysfs_session(target, &sid, e)) != 0)
		return s < 0 ? -1 : 0;
	if (iscsi_pool_secret(p, &secret, &slen, e) < 0)
		return -1;
	portal = iscsi_portal(host, d->source.hosts[0].port, true);
	had_record = iscsi_node_exists(target, host, d->source.hosts[0].port);
	const char *mk[] = { ISCSIADM, "--mode", "node", "--portal", portal,
			     "--targetname", target, "--op", "new", NULL };
	if (iscsiadm(mk, ISCSIADM_TIMEOUT_MS, false, NULL,
		     "cannot create the iSCSI node record", e) < 0)
		goto out;
	record_made = !had_record;
	/* the interface (and its record) first, so that CHAP reaches the
	 * record the login uses */
	if (d->source.initiator_iqn != NULL &&
	    iface_setup(d->source.initiator_iqn, portal, &iface, &iface_made,
			e) < 0)
		goto out;
	if (secret != NULL && node_auth(d, portal, secret, e) < 0)
		goto out;
	rc = node_connection(d, portal, "--login", iface, e);
out:
	if (rc < 0 && record_made) {
		const char *rm[] = { ISCSIADM, "--mode", "node", "--portal",
				     portal, "--targetname", target, "--op",
				     "delete", NULL };
		iscsiadm(rm, ISCSIADM_TIMEOUT_MS, true, NULL, "", NULL);
	}
	if (rc < 0 && iface_made && iface != NULL)
		iface_remove(iface);
	if (e != NULL)
		secret_redact(e->msg, secret);
	secret_free(secret, slen);
	free(iface);
	free(portal);
	return rc;
}

/* Log out of the target, if logged in. */
static int
iscsi_stop(struct pool *p, unsigned flags, struct err *e)
{
	const struct pool_def *d = p->def;
	char *portal, *iface = NULL;
	unsigned sid;
	int rc;

	(void)flags;
	if (iscsi_check_source(d, e) < 0)
		return -1;
	if ((rc = iscsi_sysfs_session(d->source.devices[0].path, &sid, e)) <= 0)
		return rc;   /* no session: nothing to log out of */
	if (d->source.initiator_iqn != NULL &&
	    iface_find(d->source.initiator_iqn, &iface, e) < 0)
		return -1;
	portal = iscsi_portal(d->source.hosts[0].name, d->source.hosts[0].port,
			      true);
	rc = node_connection(d, portal, "--logout", iface, e);
	free(portal);
	free(iface);
	return rc;
}

/* Rescan the session and list its LUNs as volumes. */
static int
iscsi_refresh(struct pool *p, struct job *j, struct err *e)
{
	const char *target;
	char sidtext[16];
	unsigned sid;
	int rc;

	(void)j;
	if (iscsi_check_source(p->def, e) < 0)
		return -1;
	target = p->def->source.devices[0].path;
	p->def->capacity = p->def->allocation = p->def->available = 0;
	if ((rc = iscsi_sysfs_session(target, &sid, e)) <= 0)
		return rc < 0 ? -1 : err_setc(e, ERR_STATE, "no iSCSI session "
					      "to %s: the pool is not logged "
					      "in (start it)", target);
	snprintf(sidtext, sizeof(sidtext), "%u", sid);
	const char *scan[] = { ISCSIADM, "--mode", "session", "-r", sidtext,
			       "-R", NULL };
	if (iscsiadm(scan, ISCSIADM_TIMEOUT_MS, false, NULL,
		     "cannot rescan the iSCSI session", e) < 0)
		return -1;
	return iscsi_sysfs_add_luns(p, sid, e);
}

/* Open a LUN's block device, refusing one that is in use. */
static int
lun_open(const struct vol_def *v, int flags, struct err *e)
{
	char real[PATH_MAX], why[512];
	int fd, busy;

	if (realpath(v->target.path, real) == NULL)
		return err_errno(e, errno, "cannot find '%s'", v->target.path);
	if ((flags & O_ACCMODE) != O_RDONLY) {
		if ((busy = probe_in_use(real, why, sizeof(why), e)) < 0)
			return -1;
		if (busy)
			return err_setc(e, ERR_BUSY, "%s is in use: %s",
					v->target.path, why);
	}
	fd = open(real, flags | O_CLOEXEC);
	if (fd < 0)
		return err_errno(e, errno, "cannot open '%s'", v->target.path);
	return fd;
}

/* Wipe a LUN through its block device (core/wipe.c). */
static int
iscsi_vol_wipe(struct pool *p, const struct vol_def *v, enum wipe_alg alg,
	       struct job *j, struct err *e)
{
	int fd, rc;

	(void)p;
	if (run_dry_run())
		return 0;
	if ((fd = lun_open(v, O_RDWR, e)) < 0)
		return -1;
	rc = wipe_fd(fd, 0, 0, alg, j, e);
	close(fd);
	return rc;
}

/* Copy a file into a LUN's block device, refusing what does not fit. */
static int
iscsi_vol_upload(struct pool *p, const struct vol_def *v, int fd,
		 uint64_t offset, uint64_t length, unsigned flags,
		 struct job *j, struct err *e)
{
	struct stat st;
	uint64_t size;
	int out, rc;

	(void)p;
	(void)flags;
	if (run_dry_run())
		return 0;
	if ((out = lun_open(v, O_WRONLY, e)) < 0)
		return -1;
	if (probe_size(v->target.path, &size, e) < 0) {
		close(out);
		return -1;
	}
	if (length == 0 && fstat(fd, &st) == 0 && S_ISREG(st.st_mode))
		length = (uint64_t)st.st_size;
	if (offset > size || length > size - offset) {
		close(out);
		return err_setc(e, ERR_INVALID, "%llu bytes at offset %llu do "
				"not fit in %llu bytes",
				(unsigned long long)length,
				(unsigned long long)offset,
				(unsigned long long)size);
	}
	job_set_total(j, length);
	rc = copy_fd(fd, 0, out, offset, length, length == 0 ? COPY_TO_EOF : 0,
		     j, NULL, e);
	if (rc == 0 && fdatasync(out) < 0)
		rc = err_errno(e, errno, "cannot sync '%s'", v->target.path);
	close(out);
	return rc;
}

/* Copy (a range of) a LUN's block device out to a file. */
static int
iscsi_vol_download(struct pool *p, const struct vol_def *v, int fd,
		   uint64_t offset, uint64_t length, unsigned flags,
		   struct job *j, struct err *e)
{
	int in, rc;

	(void)p;
	if (run_dry_run())
		return 0;
	if ((in = lun_open(v, O_RDONLY, e)) < 0)
		return -1;
	rc = copy_fd(in, offset, fd, 0, length,
		     (flags & VOL_DOWNLOAD_SPARSE) ? COPY_SPARSE : 0, j, NULL, e);
	close(in);
	return rc;
}

/* find-storage-pool-sources-as iscsi: through libiscsi, no iscsid. */
static char *
iscsi_sources(const struct source_query *q, struct err *e)
{
	return iscsi_find_sources(POOL_ISCSI, q, e);
}

/* The target's LUNs through libiscsi, before the pool is defined (the
 * kernel's session needs iscsid and a login): as the host's initiator
 * when the definition names none. */
static int
iscsi_preview(struct pool *p, struct job *j, struct err *e)
{
	if (p->def->source.initiator_iqn == NULL)
		p->def->source.initiator_iqn = iscsi_default_initiator();
	return iscsi_direct_list(p, j, e);
}

const struct backend iscsi_backend = {
	.type = POOL_ISCSI,
	.flags = BACKEND_NEEDS_ROOT,
	.says_start = "log in to the target (iscsiadm)",
	.says_no_volumes = "its volumes are the target's LUNs, which are "
			   "made and removed on the storage server (do it "
			   "there, then pool-refresh)",
	.check = iscsi_check,
	.start = iscsi_start,
	.stop = iscsi_stop,
	.refresh = iscsi_refresh,
	.find_sources = iscsi_sources,
	.preview = iscsi_preview,
	.vol_wipe = iscsi_vol_wipe,
	.vol_upload = iscsi_vol_upload,
	.vol_download = iscsi_vol_download,
};
