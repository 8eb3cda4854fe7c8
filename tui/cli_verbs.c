/* cistern — the batch command line's verbs: one table (cli_verbs) of
 * every verb, its handler, arguments, options, help and flags (cli.h
 * says what each field means; cli.c parses against it). */
#include "cli.h"

#include <string.h>

#define POOL_OPTS_BUILD "overwrite no-overwrite"
#define XPATH_HELP \
	"  --xpath EXPR     print only the nodes EXPR selects (XPath), one " \
	"a line\n" \
	"  --wrap           with --xpath: inside one <nodes> element\n"

const struct cli_verb cli_verbs[] = {
	/* pools: definitions */
	{ "pool-define", cmd_pool_define, "file", "validate",
	  "define (but don't start) a pool from an XML file",
	  "  FILE             pool XML (libvirt's format); '-' reads stdin\n"
	  "  --validate       accepted for virsh compatibility (always done)\n",
	  VERB_WRITES },
	{ "pool-define-as", cmd_pool_define_as,
	  "name type source-host? source-path? source-dev? source-name? target?",
	  "source-host= source-port= source-path= source-dev=* source-name= "
	  "target= source-format= auth-type= auth-username= secret-usage= "
	  "secret-uuid= source-initiator= source-protocol-ver= target-mode= "
	  "target-owner= target-group= print-xml",
	  "define a pool from a set of arguments",
	  "  NAME TYPE               pool name and type (dir fs netfs logical "
	  "disk iscsi iscsi-direct rbd)\n"
	  "  --source-host HOST      netfs/iscsi server, Ceph monitor\n"
	  "  --source-port PORT      iSCSI portal port, Ceph monitor port\n"
	  "  --source-path DIR       netfs export (or gluster volume)\n"
	  "  --source-dev DEV        device (repeat for several LVM PVs); iSCSI "
	  "target IQN\n"
	  "  --source-name NAME      volume group name (logical), Ceph pool "
	  "(rbd)\n"
	  "  --target DIR            target path\n"
	  "  --source-format FMT     source format (ext4, nfs, gpt, lvm2, ...)\n"
	  "  --auth-type chap|ceph --auth-username USER --secret-usage U | "
	  "--secret-uuid U\n"
	  "                          CHAP (iSCSI), cephx (rbd); store the password\n"
	  "                          or key with 'cistern secret-set-value U'\n"
	  "  --source-initiator IQN  initiator IQN (iSCSI)\n"
	  "  --source-protocol-ver V NFS protocol version\n"
	  "  --target-mode MODE --target-owner UID --target-group GID\n"
	  "                          the target's permissions (octal mode,\n"
	  "                          numeric ids)\n"
	  "  --print-xml             print the XML instead of defining it\n",
	  VERB_WRITES },
	{ "pool-create", cmd_pool_create, "file",
	  "build overwrite no-overwrite validate",
	  "start a transient pool from an XML file (gone once stopped)",
	  "  --build [--overwrite|--no-overwrite]  build it before starting\n"
	  "The definition is kept in the run dir only; pool-define of the\n"
	  "same XML makes the pool persistent.\n",
	  VERB_WRITES },
	{ "pool-create-as", cmd_pool_create_as,
	  "name type source-host? source-path? source-dev? source-name? target?",
	  "source-host= source-port= source-path= source-dev=* source-name= "
	  "target= source-format= auth-type= auth-username= secret-usage= "
	  "secret-uuid= source-initiator= source-protocol-ver= target-mode= "
	  "target-owner= target-group= print-xml build overwrite no-overwrite",
	  "start a transient pool from a set of arguments (gone once "
	  "stopped)", NULL,
	  VERB_WRITES },
	{ "pool-undefine", cmd_pool_undefine, "pool", "",
	  "undefine an inactive pool", NULL, VERB_WRITES },
	{ "pool-edit", cmd_pool_edit, "pool", "",
	  "edit a pool's XML in $EDITOR (validated before it is saved)", NULL,
	  VERB_WRITES },
	{ "pool-autostart", cmd_pool_autostart, "pool", "disable",
	  "start the pool when cistern first runs after boot",
	  "  --disable        turn autostart off\n", VERB_WRITES },
	{ "pool-event", cmd_pool_event, "pool?",
	  "event= loop timeout= list timestamp all",
	  "wait for storage pool events (from any cistern) and print them",
	  "  --event TYPE     lifecycle (Defined, Undefined, Started, Stopped)\n"
	  "                   or refresh; without it (or with --all): both\n"
	  "  --loop           until --timeout or Ctrl-C, not the first event\n"
	  "  --timeout SECS   stop waiting after SECS seconds\n"
	  "  --timestamp      each event after the time it was seen (UTC)\n"
	  "  --list           the event types\n", 0 },
	{ "import-libvirt", cmd_import_libvirt, "dir?", "",
	  "copy pool definitions from libvirt (default /etc/libvirt/storage)",
	  NULL, VERB_WRITES },
	/* pools: information */
	{ "pool-list", cmd_pool_list, "",
	  "all inactive details type=* autostart no-autostart persistent "
	  "transient name uuid json",
	  "list pools",
	  "  --all            active and inactive pools\n"
	  "  --inactive       only inactive pools\n"
	  "  --details        state, sizes\n"
	  "  --type T         only pools of type T (repeatable, or "
	  "comma-separated)\n"
	  "  --autostart      only pools with autostart\n"
	  "  --no-autostart   only pools without autostart\n"
	  "  --persistent     only persistent pools\n"
	  "  --transient      only transient pools (pool-create's)\n"
	  "  --name | --uuid  print only names or UUIDs\n"
	  "  --json           machine-readable output\n", 0 },
	{ "pool-info", cmd_pool_info, "pool", "bytes json",
	  "show pool information",
	  "  --bytes          sizes in bytes\n  --json           JSON output\n",
	  0 },
	{ "pool-dumpxml", cmd_pool_dumpxml, "pool", "inactive xpath= wrap",
	  "print a pool's XML", XPATH_HELP, 0 },
	{ "pool-name", cmd_pool_name, "pool", "",
	  "print the name of a pool given its UUID", NULL, 0 },
	{ "pool-uuid", cmd_pool_uuid, "pool", "",
	  "print the UUID of a pool given its name", NULL, 0 },
	{ "pool-capabilities", cmd_pool_capabilities, "", "json",
	  "pool types and formats this cistern supports", NULL,
	  VERB_NO_STORE | VERB_NO_CONNECT },
	{ "pool-map", cmd_pool_map, "pool", "bytes json",
	  "the device map of a disk or logical pool (partitions, LVs, free "
	  "extents)", NULL, 0 },
	{ "find-storage-pool-sources", cmd_find_sources, "type srcSpec?", "",
	  "discover pool sources (libvirt's <sources> XML)",
	  "  --srcSpec FILE   (or FILE after TYPE) a <source> to search from,\n"
	  "                   as virsh: its <host>, <initiator>, <auth>\n",
	  VERB_NO_STORE },
	{ "find-storage-pool-sources-as", cmd_find_sources_as,
	  "type host? port?", "initiator= auth-username= secret-usage= "
	  "secret-uuid=",
	  "discover pool sources on a host",
	  "  --initiator IQN  iscsi-direct: the initiator to log in as\n"
	  "  --auth-username USER --secret-usage U | --secret-uuid U\n"
	  "                   rbd: the cephx user and the stored secret that\n"
	  "                   holds its key\n", VERB_NO_STORE },
	/* pools: life cycle */
	{ "pool-build", cmd_pool_build, "pool", POOL_OPTS_BUILD,
	  "build a pool (directory, filesystem, label, volume group)",
	  "  --overwrite      destroy whatever the device holds\n"
	  "  --no-overwrite   probe first and refuse to touch existing data\n",
	  VERB_WRITES },
	{ "pool-start", cmd_pool_start, "pool", "build " POOL_OPTS_BUILD,
	  "start an inactive pool",
	  "  --build [--overwrite|--no-overwrite]  build it first\n",
	  VERB_WRITES },
	{ "pool-destroy", cmd_pool_destroy, "pool", "lazy",
	  "stop a pool (nothing is deleted)",
	  "  --lazy           netfs: lazy unmount when the server is gone\n",
	  VERB_WRITES },
	{ "pool-delete", cmd_pool_delete, "pool", "overwrite",
	  "delete a pool's storage (directory, label, volume group)",
	  "  --overwrite      confirm: destroys the label or volume group\n",
	  VERB_WRITES },
	{ "pool-refresh", cmd_pool_refresh, "pool", "",
	  "rescan a pool's volumes and sizes", NULL, 0 },
	{ "start-autostart", cmd_start_autostart, "", "",
	  "start every inactive pool marked autostart (for boot scripts)",
	  NULL, VERB_WRITES },
	/* volumes */
	{ "vol-list", cmd_vol_list, "pool", "details json",
	  "list a pool's volumes",
	  "  --details        type, capacity, allocation\n"
	  "  --json           machine-readable output\n", 0 },
	{ "vol-info", cmd_vol_info, "vol", "pool= bytes physical json",
	  "show volume information", NULL, 0 },
	{ "vol-dumpxml", cmd_vol_dumpxml, "vol", "pool= xpath= wrap",
	  "print a volume's XML", XPATH_HELP, 0 },
	{ "vol-path", cmd_vol_path, "vol", "pool=",
	  "print a volume's path", NULL, 0 },
	{ "vol-key", cmd_vol_key, "vol", "pool=",
	  "print a volume's key", NULL, 0 },
	{ "vol-name", cmd_vol_name, "vol", "",
	  "print a volume's name given its key or path", NULL, 0 },
	{ "vol-pool", cmd_vol_pool, "vol", "uuid",
	  "print the pool of a volume given its key or path", NULL, 0 },
	{ "vol-create", cmd_vol_create, "pool file", "prealloc-metadata validate",
	  "create a volume from an XML file", NULL, VERB_WRITES },
	{ "vol-create-as", cmd_vol_create_as, "pool name capacity",
	  "allocation= format= backing-vol= backing-vol-format= "
	  "prealloc-metadata print-xml extent-start=",
	  "create a volume from a set of arguments",
	  "  CAPACITY               size with a unit (20G = 20 GiB, 20GB = "
	  "20e9 bytes)\n"
	  "  --allocation SIZE      initial allocation (sparse below "
	  "capacity)\n"
	  "  --format FMT           raw, qcow2, ... (file pools); partition "
	  "type (disk)\n"
	  "  --extent-start BYTES   disk pools: put the partition in the free "
	  "extent\n"
	  "                         starting there (pool-map lists them); "
	  "default:\n"
	  "                         the smallest free extent that fits\n"
	  "  --backing-vol VOL      backing volume (name in this pool, path or "
	  "key)\n"
	  "  --backing-vol-format F its format\n"
	  "  --prealloc-metadata    qcow2: preallocate metadata\n",
	  VERB_WRITES },
	{ "vol-create-from", cmd_vol_create_from, "pool file vol",
	  "inputpool= prealloc-metadata reflink validate",
	  "create a volume from an XML file, copying another volume", NULL,
	  VERB_WRITES },
	{ "vol-clone", cmd_vol_clone, "vol newname",
	  "pool= prealloc-metadata reflink print-xml keep-backing",
	  "clone a volume in its pool",
	  "  --reflink        require a reflink (shared extents)\n"
	  "  --print-xml      print the source's XML with the new name; make "
	  "nothing\n"
	  "  --keep-backing   a qcow2 overlay's clone keeps its backing file\n"
	  "                   (default: a standalone copy, as libvirt)\n",
	  VERB_WRITES },
	{ "vol-delete", cmd_vol_delete, "vol", "pool= delete-snapshots",
	  "delete a volume",
	  "  --delete-snapshots  rbd: delete the image's snapshots with it\n",
	  VERB_WRITES },
	{ "vol-wipe", cmd_vol_wipe, "vol", "pool= algorithm=",
	  "wipe a volume's data",
	  "  --algorithm A    zero (default), nnsa, dod, bsi, gutmann, "
	  "schneier,\n"
	  "                   pfitzner7, pfitzner33, random, trim\n",
	  VERB_WRITES },
	{ "vol-resize", cmd_vol_resize, "vol capacity",
	  "pool= allocate delta shrink",
	  "resize a volume",
	  "  --delta          CAPACITY is added (or with --shrink removed)\n"
	  "  --shrink         allow making it smaller\n"
	  "  --allocate       preallocate the new space\n", VERB_WRITES },
	{ "vol-upload", cmd_vol_upload, "vol file",
	  "pool= offset= length= sparse",
	  "upload a file's content into a volume",
	  "  FILE             a file, or a pipe (/dev/stdin): read to its end\n"
	  "  --offset SIZE    where in the volume to start writing\n"
	  "  --length SIZE    how much of FILE to write (default: all)\n"
	  "  --sparse         zero blocks become holes in the volume\n",
	  VERB_WRITES },
	{ "vol-download", cmd_vol_download, "vol file",
	  "pool= offset= length= sparse",
	  "download a volume's content into a file",
	  "  --offset SIZE    where in the volume to start reading\n"
	  "  --length SIZE    how much to read (default: to the end)\n"
	  "  --sparse         the volume's holes stay holes in FILE\n", 0 },
	/* secrets (CHAP passwords for iSCSI pools, cephx keys for rbd) */
	{ "secret-set-value", cmd_secret_set_value, "secret", "file= usage",
	  "store a secret value (a CHAP password, a cephx key) for "
	  "<auth><secret>",
	  "  SECRET           the secret's uuid or usage name, as the pool's\n"
	  "                   <secret uuid='...'/> or <secret usage='...'/>\n"
	  "  --file FILE      read the value from FILE ('-': stdin); without\n"
	  "                   it, stdin, or the terminal with echo off\n"
	  "  --usage          SECRET is a usage name even if it looks like a\n"
	  "                   uuid\n"
	  "The value is kept in CONFIG/secrets/ (mode 0600) and never shown,\n"
	  "logged or put on a command line. One trailing newline is dropped.\n",
	  VERB_WRITES },
	{ "secret-list", cmd_secret_list, "", "",
	  "list the stored secrets (names only, never values)", NULL, 0 },
	{ "secret-undefine", cmd_secret_undefine, "secret", "usage",
	  "remove a stored secret", NULL, VERB_WRITES },
	/* the connection */
	{ "uri", cmd_uri, "", "",
	  "print the connection's URI (libvirt's, with -c)", NULL, 0 },
	{ "hostname", cmd_hostname, "", "",
	  "print the name of the host the connection manages", NULL, 0 },
	/* the hosts file (CONFIG/hosts): the interface's hosts, -c NAME */
	{ "host-list", cmd_host_list, "", "json",
	  "list the hosts of the hosts file ('local' first: this machine)",
	  "  --json           machine-readable output\n",
	  VERB_NO_STORE | VERB_NO_CONNECT },
	{ "host-add", cmd_host_add, "name uri", "no-autoconnect",
	  "add a libvirt host to the hosts file",
	  "  NAME             letters, digits, '.', '_' and '-' (not 'local');\n"
	  "                   'cistern -c NAME' then connects to URI\n"
	  "  URI              libvirt's, as virsh -c "
	  "(qemu+ssh://root@kvm-03/system)\n"
	  "  --no-autoconnect the interface connects only when asked\n",
	  VERB_WRITES | VERB_NO_STORE | VERB_NO_CONNECT },
	{ "host-edit", cmd_host_edit, "host",
	  "name= uri= autoconnect no-autoconnect",
	  "change a host of the hosts file",
	  "  --name NEW       rename it\n"
	  "  --uri URI        connect to URI instead\n"
	  "  --autoconnect | --no-autoconnect\n"
	  "                   whether the interface connects at start\n",
	  VERB_WRITES | VERB_NO_STORE | VERB_NO_CONNECT },
	{ "host-remove", cmd_host_remove, "host", "",
	  "remove a host from the hosts file (nothing on the host changes)",
	  NULL, VERB_WRITES | VERB_NO_STORE | VERB_NO_CONNECT },
	{ "help", cmd_help, "verb?", "man", "show help",
	  "  --man            the manual page (roff)\n",
	  VERB_NO_STORE | VERB_NO_CONNECT },
	{ NULL, NULL, NULL, NULL, NULL, NULL, 0 },
};

const struct cli_verb *
cli_find_verb(const char *name)
{
	for (const struct cli_verb *v = cli_verbs; v->name != NULL; v++)
		if (strcmp(v->name, name) == 0)
			return v;
	return NULL;
}
