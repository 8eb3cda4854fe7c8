/* cistern — editing a pool's definition as text (see edit.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "edit.h"
#include "fileio.h"
#include "util.h"
#include "xml.h"

int
pool_edit_begin(const struct pool *p, struct pool_edit *ed, struct err *e)
{
	int fd;

	memset(ed, 0, sizeof(*ed));
	snprintf(ed->file, sizeof(ed->file), "/tmp/cistern-edit-XXXXXX.xml");
	fd = mkstemps(ed->file, 4);
	if (fd < 0) {
		ed->file[0] = '\0';
		return err_errno(e, errno, "cannot create a temporary file");
	}
	ed->orig = pool_xml(p, POOL_XML_INACTIVE);
	if (fd_write_full(fd, ed->orig, strlen(ed->orig), -1) < 0) {
		err_errno(e, errno, "cannot write '%s'", ed->file);
		close(fd);
		pool_edit_end(ed);
		return -1;
	}
	close(fd);
	ed->pool = xstrdup(p->def->name);
	return 0;
}

enum pool_edit_result
pool_edit_apply(struct cistern *c, struct pool_edit *ed, const char *origin,
		struct err *e)
{
	struct pool_def *nd;
	size_t len;
	char *data = file_read_all(ed->file, XML_MAX_BYTES, &len, e);

	if (data == NULL)
		return POOL_EDIT_REFUSED;
	if (strcmp(data, ed->orig) == 0) {
		free(data);
		return POOL_EDIT_UNCHANGED;
	}
	nd = pool_def_parse(data, len, origin ? origin : ed->file, e);
	free(data);
	if (nd == NULL)
		return POOL_EDIT_REFUSED;
	if (strcmp(nd->name, ed->pool) != 0) {
		err_setc(e, ERR_INVALID, "the pool name cannot be changed by "
			 "editing (was '%s')", ed->pool);
		pool_def_free(nd);
		return POOL_EDIT_REFUSED;
	}
	if (pool_define(c, nd, NULL, e) < 0)
		return POOL_EDIT_REFUSED;
	return POOL_EDIT_DEFINED;
}

void
pool_edit_end(struct pool_edit *ed)
{
	if (ed->file[0] != '\0')
		unlink(ed->file);
	free(ed->pool);
	free(ed->orig);
	memset(ed, 0, sizeof(*ed));
}
