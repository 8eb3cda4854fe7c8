/* cistern — what the interface remembers between runs, in the config
 * dir: the theme picked with t, each pane's sort order and the last
 * download's directory (.tui-settings, "key = value" lines), and the ':'
 * prompt's history (.tui-history, one command a line, the newest last).
 * Written atomically under the store's lock, and never by a read-only
 * session. Dot files: the store and the inotify watch pass them by. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/fileio.h"
#include "../core/store.h"
#include "../core/util.h"
#include "columns.h"
#include "ui.h"
#include "ui_list.h"
#include "ui_settings.h"
#include "ui_theme.h"

#define SETTINGS_FILE ".tui-settings"
#define HISTORY_FILE ".tui-history"
#define HISTORY_MAX 500
#define FILE_MAX (256 * 1024)

/* Can this session write the config dir? */
static bool
settings_writable(const struct ui *ui)
{
	return !ui->read_only && !ui->home->read_only;
}

/* Replace a file of the config dir atomically, holding the lock. */
static void
settings_write(struct ui *ui, const char *name, const char *text)
{
	char *path = path_join(ui->home->store.config_dir, name);
	struct err e;

	err_init(&e);
	if (store_config_dirs(&ui->home->store, &e) < 0 ||
	    store_lock(&ui->home->store, &e) < 0) {
		ui_log(ui, R_WARNING, "settings not saved", e.msg);
	} else {
		if (file_write_atomic(path, text, strlen(text), 0600, &e) < 0)
			ui_log(ui, R_WARNING, "settings not saved", e.msg);
		store_unlock(&ui->home->store);
	}
	err_clear(&e);
	free(path);
}

/* A file of the config dir, or NULL when there is none. */
static char *
settings_read(struct ui *ui, const char *name)
{
	char *path = path_join(ui->home->store.config_dir, name);
	struct err e;
	char *text;

	err_init(&e);
	text = file_read_regular(path, FILE_MAX, NULL, &e);
	err_clear(&e);
	free(path);
	return text;
}

/* "COLUMN asc|desc" of a list. */
static void
sort_word(const struct list *l, char *buf, size_t n)
{
	snprintf(buf, n, "%s %s", l->sort ? l->sort->id : "name",
		 l->desc ? "desc" : "asc");
}

/* Sort a list as "COLUMN asc|desc" says (unknown columns are passed by). */
static void
sort_apply(struct list *l, const char *word)
{
	char id[64], dir[8] = "asc";
	const struct column *c;

	if (sscanf(word, "%63s %7s", id, dir) < 1)
		return;
	c = column_find(l->cols, id);
	if (c != NULL)
		list_sort_by(l, c, strcmp(dir, "desc") == 0);
}

/* Read the settings and the history (before the theme and the panes are
 * set up). */
void
settings_load(struct ui *ui)
{
	char *text = settings_read(ui, SETTINGS_FILE), *save = NULL;

	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save)) {
		char *eq = strchr(line, '=');
		if (line[0] == '#' || eq == NULL)
			continue;
		*eq = '\0';
		char *k = str_trim(line), *v = str_trim(eq + 1);
		if (strcmp(k, "theme") == 0)
			snprintf(ui->set.theme, sizeof(ui->set.theme), "%s", v);
		else if (strcmp(k, "sort.pools") == 0)
			snprintf(ui->set.sort[0], sizeof(ui->set.sort[0]), "%s", v);
		else if (strcmp(k, "sort.volumes") == 0)
			snprintf(ui->set.sort[1], sizeof(ui->set.sort[1]), "%s", v);
		else if (strcmp(k, "download.dir") == 0 && v[0] == '/')
			ui->set.dl_dir = (free(ui->set.dl_dir), xstrdup(v));
	}
	free(text);
	text = settings_read(ui, HISTORY_FILE);
	for (char *line = text ? strtok_r(text, "\n", &save) : NULL; line;
	     line = strtok_r(NULL, "\n", &save))
		if (line[0] != '\0')
			strv_push(&ui->set.hist, &ui->set.nhist, line);
	free(text);
}

/* Sort the panes as they were sorted last time. */
void
settings_apply_sort(struct ui *ui)
{
	if (ui->set.sort[0][0])
		sort_apply(&ui->pools, ui->set.sort[0]);
	if (ui->set.sort[1][0])
		sort_apply(&ui->vols, ui->set.sort[1]);
	sort_word(&ui->pools, ui->set.sort[0], sizeof(ui->set.sort[0]));
	sort_word(&ui->vols, ui->set.sort[1], sizeof(ui->set.sort[1]));
}

/* Write the settings file. */
void
settings_save(struct ui *ui)
{
	struct sbuf b;

	if (!settings_writable(ui))
		return;
	sbuf_init(&b);
	sbuf_add(&b, "# cistern: the screen's settings (written by cistern)\n");
	if (ui->set.theme[0])
		sbuf_printf(&b, "theme = %s\n", ui->set.theme);
	sbuf_printf(&b, "sort.pools = %s\nsort.volumes = %s\n", ui->set.sort[0],
		    ui->set.sort[1]);
	if (ui->set.dl_dir != NULL)
		sbuf_printf(&b, "download.dir = %s\n", ui->set.dl_dir);
	settings_write(ui, SETTINGS_FILE, b.s);
	sbuf_free(&b);
}

/* A pane sorted another way (a key, a header click): remember it. */
void
settings_sync(struct ui *ui)
{
	char p[64], v[64];

	sort_word(&ui->pools, p, sizeof(p));
	sort_word(&ui->vols, v, sizeof(v));
	if (strcmp(p, ui->set.sort[0]) == 0 && strcmp(v, ui->set.sort[1]) == 0)
		return;
	snprintf(ui->set.sort[0], sizeof(ui->set.sort[0]), "%s", p);
	snprintf(ui->set.sort[1], sizeof(ui->set.sort[1]), "%s", v);
	settings_save(ui);
}

/* A command run at ':' joins the history (not twice in a row), which
 * keeps its newest HISTORY_MAX lines. */
void
history_add(struct ui *ui, const char *text)
{
	char *copy = xstrdup(text), *line = str_trim(copy);
	struct sbuf b;
	size_t first;

	if (line[0] == '\0' || strchr(line, '\n') != NULL ||
	    (ui->set.nhist > 0 &&
	     strcmp(ui->set.hist[ui->set.nhist - 1], line) == 0)) {
		free(copy);
		return;
	}
	strv_push(&ui->set.hist, &ui->set.nhist, line);
	free(copy);
	if (ui->set.nhist > HISTORY_MAX) {
		first = ui->set.nhist - HISTORY_MAX;
		for (size_t i = 0; i < first; i++)
			free(ui->set.hist[i]);
		memmove(ui->set.hist, ui->set.hist + first,
			(HISTORY_MAX + 1) * sizeof(*ui->set.hist));
		ui->set.nhist = HISTORY_MAX;
	}
	if (!settings_writable(ui))
		return;
	sbuf_init(&b);
	for (size_t i = 0; i < ui->set.nhist; i++)
		sbuf_printf(&b, "%s\n", ui->set.hist[i]);
	settings_write(ui, HISTORY_FILE, b.s);
	sbuf_free(&b);
}

/* Forget what was read. */
void
settings_free(struct ui *ui)
{
	strv_free(ui->set.hist);
	free(ui->set.dl_dir);
	memset(&ui->set, 0, sizeof(ui->set));
}
