/* cistern — the interface's action table (data: what each row does is
 * ui_action.c's). */
#include "actions.h"

#include <stdio.h>
#include <string.h>

#include "keys.h"

const struct action ui_actions[] = {
	[ACTION_HELP] = { "help", 1, '?', "Help", "show this help", A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_QUIT] = { "quit", 10, 'q', "Quit", "leave cistern (running jobs are cancelled "
	  "and cleaned up)", A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_START] = { "start", 6, 's', "Start", "start the pool (mount, activate, log in)",
	  A_POOL | A_WRITES | A_BAR, POOL_OP_START },
	[ACTION_STOP] = { "stop", 6, 's', "Stop", "stop the pool (nothing is deleted)",
	  A_POOL | A_WRITES | A_BAR, POOL_OP_STOP },
	[ACTION_VOL_DELETE] = { "vol-delete", 8, 'd', "Delete", "delete the volume and its data",
	  A_VOL | A_WRITES | A_DANGER | A_BAR, VOL_OP_DELETE },
	[ACTION_REFRESH] = { "refresh", 5, 'r', "Refresh", "rescan the pool's volumes and sizes",
	  A_POOL | A_VOL | A_BAR, POOL_OP_REFRESH },
	[ACTION_VOL_CREATE] = { "vol-create", 3, 'c', "New vol", "create a volume in the pool",
	  A_POOL | A_VOL | A_WRITES | A_BAR, VOL_OP_CREATE },
	[ACTION_DELETE] = { "delete", 8, 'd', "Delete", "delete the pool's storage (directory, "
	  "label, volume group)", A_POOL | A_WRITES | A_DANGER | A_BAR,
	  POOL_OP_DELETE },
	[ACTION_DEFINE] = { "define", 2, 'N', "New pool", "define a new pool",
	  A_GLOBAL | A_WRITES | A_BAR, POOL_OP_NONE },
	[ACTION_WIPE] = { "wipe", 0, 'w', "Wipe", "overwrite the volume's data (algorithm "
	  "choice)", A_VOL | A_WRITES | A_DANGER | A_BAR, VOL_OP_WIPE },
	[ACTION_BUILD] = { "build", 0, 'b', "Build", "build the pool (make the directory, "
	  "filesystem, label or volume group)", A_POOL | A_WRITES | A_BAR,
	  POOL_OP_BUILD },
	[ACTION_CLONE] = { "clone", 0, 'C', "Clone", "copy the volume to a new one in the pool",
	  A_VOL | A_WRITES | A_BAR, VOL_OP_CLONE },
	[ACTION_RESIZE] = { "resize", 0, 'z', "Resize", "change the volume's capacity",
	  A_VOL | A_WRITES | A_BAR, VOL_OP_RESIZE },
	[ACTION_AUTOSTART] = { "autostart", 0, 'a', "Autostart", "turn autostart on or off",
	  A_POOL | A_WRITES | A_BAR, POOL_OP_NONE },
	[ACTION_EDIT] = { "edit", 4, 'e', "Edit", "edit the pool's XML in $EDITOR (validated "
	  "before it is saved)", A_POOL | A_WRITES | A_BAR, POOL_OP_NONE },
	[ACTION_XML] = { "xml", 0, 'x', "XML", "view the pool's XML", A_POOL | A_BAR, POOL_OP_NONE },
	[ACTION_VOL_XML] = { "vol-xml", 0, 'x', "XML", "view the volume's XML", A_VOL | A_BAR,
	  POOL_OP_NONE },
	[ACTION_UNDEFINE] = { "undefine", 0, 'u', "Undefine", "forget the pool's definition (its "
	  "storage stays)", A_POOL | A_WRITES | A_BAR, POOL_OP_NONE },
	[ACTION_UPLOAD] = { "upload", 0, 'U', "Upload", "copy a file's content into the volume",
	  A_VOL | A_WRITES | A_DANGER | A_BAR, VOL_OP_UPLOAD },
	[ACTION_DOWNLOAD] = { "download", 0, 'D', "Download", "copy the volume's content into a "
	  "file", A_VOL | A_BAR, VOL_OP_DOWNLOAD },
	[ACTION_FILTER] = { "filter", 0, '/', "Filter", "filter the focused list as you type",
	  A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_COMMAND] = { "command", 0, ':', "Cmd", "run a command-line verb "
	  "(:vol-create-as images a.img 1G)", A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_SORT] = { "sort", 0, 'o', "Sort", "sort the focused list by a column",
	  A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_LOG] = { "log", 0, 'L', "Log", "show or hide the log of commands run",
	  A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_THEME] = { "theme", 9, 't', "Theme", "pick a colour theme (live preview)",
	  A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_JOBS] = { "jobs", 0, 'J', "Jobs", "show running jobs (c in a job's box "
	  "stops it, after asking)", A_GLOBAL | A_BAR, POOL_OP_NONE },
	[ACTION_MAP] = { "map", 0, 'm', "Map", "show the map of the disk or volume group "
	  "(free extents), or the usage of a file pool; m again: details",
	  A_POOL | A_VOL | A_BAR, POOL_OP_NONE },
	[ACTION_DETAILS] = { "details", 0, K_ENTER, "Details", "all facts about the selection",
	  A_POOL, POOL_OP_NONE },
	[ACTION_HOSTS] = { "hosts", 0, 'H', "Hosts", "the hosts: add, edit, remove, "
	  "connect, disconnect, autoconnect", A_GLOBAL, POOL_OP_NONE },
	[ACTION_FIND] = { "find", 0, 'f', "Find", "find a volume on every connected host "
	  "by any part of its name or path", A_GLOBAL, POOL_OP_NONE },
	[ACTION_COUNT] = { NULL, 0, 0, NULL, NULL, 0, POOL_OP_NONE },
};

const struct action *
action_find(const char *name)
{
	for (const struct action *a = ui_actions; a->name != NULL; a++)
		if (strcmp(a->name, name) == 0)
			return a;
	return NULL;
}

void
action_keys(const struct action *a, char *k, size_t n)
{
	char f[8] = "", l[16] = "";

	if (a->fkey)
		snprintf(f, sizeof(f), "F%d", a->fkey);
	if (a->key == K_ENTER)
		snprintf(l, sizeof(l), "Enter");
	else if (a->key)
		snprintf(l, sizeof(l), "%c", a->key);
	snprintf(k, n, "%-4s %-5s", f, l);
}
