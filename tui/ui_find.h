/* cistern — "find volume" (ui_find.c): one search over the volumes of
 * every host the screen has open (this machine, and each libvirt host
 * whose connection is up), by any part of a volume's name or path;
 * Enter shows the volume on its host. */
#ifndef CISTERN_UI_FIND_H
#define CISTERN_UI_FIND_H

struct ui;

/* The action (key f): open the Find dialog. */
int act_find(struct ui *ui);

#endif
