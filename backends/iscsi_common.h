/* cistern — what the two iSCSI backends share: portals, the pool's CHAP
 * secret, SCSI identifiers (the volume keys), target discovery, an
 * in-process initiator session through libiscsi, and the sysfs walk of a
 * kernel session's LUNs.
 *
 * Discovery (SendTargets) goes through libiscsi for both pool types, so it
 * needs no iscsid and works on any machine. The kernel type (iscsi.c)
 * drives open-iscsi's iscsiadm for its session; the direct type
 * (iscsi_direct.c) does every SCSI command itself.
 */
#ifndef CISTERN_ISCSI_COMMON_H
#define CISTERN_ISCSI_COMMON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "../core/backend.h"
#include "../core/err.h"
#include "../core/job.h"
#include "../core/model.h"

struct pool;

#define ISCSI_DEFAULT_PORT 3260

/* ---- iscsi_common.c ---- */

/* "host:port" of a portal (an IPv6 address in brackets), with ",1" (the
 * target portal group, as libvirt gives iscsiadm) when `tpgt`. A port of
 * 0 means 3260. */
char *iscsi_portal(const char *host, int port, bool tpgt);

/* The pool's one host and one device (target IQN), or an error. */
int iscsi_check_source(const struct pool_def *d, struct err *e);

/* The pool's CHAP secret from the secrets store (*secret NULL when the
 * pool has no <auth>). Wipe it with secret_free(). */
int iscsi_pool_secret(struct pool *p, char **secret, size_t *len,
		      struct err *e);

/* The identifier udev's scsi_id prints for a LUN (libvirt's volume key):
 * from a raw VPD page 0x83 (device identification, header included), the
 * preferred designator as "<type digit><hex or text>", e.g.
 * "360000000000000000e00000000010001"; else from page 0x80 (unit serial)
 * "S<vendor><model><serial>"; whitespace runs become one '_'. NULL when
 * neither page gives one. */
char *scsi_id_key(const unsigned char *vpd83, size_t len83,
		  const unsigned char *vpd80, size_t len80,
		  const char *vendor, const char *model);

/* The unit serial number in a raw VPD page 0x80, trimmed (malloc'd), or
 * NULL. */
char *scsi_vpd80_serial(const unsigned char *page, size_t len);

/* Trim a fixed-width SCSI text field ("IET     ") into a string. */
char *scsi_text(const unsigned char *p, size_t n);

/* The note a volume shows: "IET VIRTUAL-DISK, serial beaf11". */
char *scsi_lun_note(const char *vendor, const char *model,
		    const char *serial);

/* This host's initiator name (open-iscsi's initiatorname.iscsi), else
 * one made up for cistern (malloc'd). */
char *iscsi_default_initiator(void);

/* find-storage-pool-sources for iscsi and iscsi-direct (SendTargets
 * through libiscsi): libvirt's <sources> XML. */
char *iscsi_find_sources(enum pool_type type, const struct source_query *q,
			 struct err *e);

/* ---- iscsi_direct.c ---- */

/* Log in to the pool's target through libiscsi and list its LUNs as the
 * pool's volumes (iscsi-direct's refresh; either type's preview). */
int iscsi_direct_list(struct pool *p, struct job *j, struct err *e);

/* ---- iscsi_session.c: an initiator session in process (libiscsi) ---- */

struct iscsi_conn;

/* What a LUN is: SCSI device type, size, identity. */
struct iscsi_lun {
	int lun;
	int type;                 /* peripheral device type (0 disk, 5 rom) */
	uint32_t block_size;
	uint64_t blocks;
	char *vendor, *model;
	char *serial;             /* VPD 0x80, or NULL */
	char *key;                /* scsi_id_key(), or NULL */
};

/* Connect to `portal` ("host:port") and log in to `target` (NULL: a
 * discovery session) as `initiator`, with CHAP when `user` and `secret`
 * are given. Every wait has a deadline and checks the job for
 * cancellation. The error names the portal and target and never holds
 * the secret. */
struct iscsi_conn *iscsi_conn_open(const char *initiator, const char *target,
				   const char *portal, const char *user,
				   const char *secret, struct job *j,
				   struct err *e);
/* Log out (if logged in and usable) and free. */
void iscsi_conn_close(struct iscsi_conn *c);

/* SendTargets: the target names the portal offers (a discovery session). */
int iscsi_conn_discover(struct iscsi_conn *c, char ***targets, size_t *n,
			struct err *e);

/* REPORT LUNS, then probe each LUN (TEST UNIT READY, INQUIRY with the
 * serial and identification pages, READ CAPACITY 16 for disks). */
int iscsi_conn_luns(struct iscsi_conn *c, struct iscsi_lun **luns, size_t *n,
		    struct err *e);
int iscsi_conn_probe(struct iscsi_conn *c, int lun, struct iscsi_lun *out,
		     struct err *e);
void iscsi_luns_free(struct iscsi_lun *luns, size_t n);

/* READ 16 / WRITE 16 of `nblocks` blocks at `lba`. */
int iscsi_conn_read(struct iscsi_conn *c, const struct iscsi_lun *l,
		    uint64_t lba, uint32_t nblocks, unsigned char *buf,
		    struct err *e);
int iscsi_conn_write(struct iscsi_conn *c, const struct iscsi_lun *l,
		     uint64_t lba, uint32_t nblocks, unsigned char *buf,
		     struct err *e);

/* ---- iscsi_sysfs.c: a kernel session's LUNs (CISTERN_SYSFS_ROOT) ---- */

/* The session number of the kernel's session to `target`, 0 when there
 * is none, -1 on error. Sysfs is read below $CISTERN_SYSFS_ROOT when set
 * (tests point it at a recorded tree); core/discover.c reads it too. */
int iscsi_sysfs_session(const char *target, unsigned *sid, struct err *e);

/* Add the session's disk and CD LUNs to the pool as volumes named like
 * libvirt ("unit:B:T:L"), with paths under the pool's target directory,
 * keys from scsi_id_key() and capacity from the block device's size. */
int iscsi_sysfs_add_luns(struct pool *p, unsigned sid, struct err *e);

/* ---- iscsi_node.c: open-iscsi's node records ---- */

/* Is there a node record for `target` at host:port (any interface)? */
bool iscsi_node_exists(const char *target, const char *host, int port);

/* Put the CHAP password into every node record for `target` at host:port,
 * in process: iscsiadm only takes it on its command line, where `ps` and
 * logs would show it. Fails when iscsiadm made no record cistern can
 * find. Does nothing in dry-run mode. */
int iscsi_node_set_password(const char *target, const char *host, int port,
			    const char *secret, struct err *e);

#endif
