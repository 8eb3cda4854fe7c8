/* The store's watch (core/watch.h) tells this process's own changes
 * from other programs': the interface reloads on others' changes only,
 * and never loses one among its own (it used to drop every pending
 * event after its own writes, another cistern's with them). The other
 * program here is a real other process (fork), writing with the same
 * functions. */
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../core/fileio.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../../core/watch.h"
#include "../lib/t.h"

static char dir[] = "/tmp/cistern-watch-XXXXXX";

static char *
at(const char *name)
{
	return path_join(dir, name);
}

static void
write_text(const char *name, const char *text)
{
	char *p = at(name);

	file_write_atomic(p, text, strlen(text), 0600, NULL);
	free(p);
}

/* Another process: writes (or, text NULL, removes) name and ends. */
static void
other(const char *name, const char *text)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *p = at(name);

		if (text != NULL)
			file_write_atomic(p, text, strlen(text), 0600, NULL);
		else
			unlink(p);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

/* Another process touches name (utime: an attribute change only). */
static void
other_touch(const char *name)
{
	pid_t pid = fork();

	if (pid == 0) {
		char *p = at(name);

		utimensat(AT_FDCWD, p, NULL, 0);
		_exit(0);
	}
	waitpid(pid, NULL, 0);
}

int
main(void)
{
	struct store s;
	int fd;

	if (mkdtemp(dir) == NULL)
		return 1;
	{
		char *run = path_join(dir, "run");

		store_open(&s, dir, run, NULL);
		free(run);
	}
	fd = store_watch_open(&s, true);
	T_CHECK(fd >= 0, "the store's directories are watched");
	store_watch_read(&s, fd);

	write_text("a.xml", "<pool/>");
	T_CHECK(!store_watch_read(&s, fd), "this process's own write is "
		"passed by");
	other("b.xml", "<pool/>");
	T_CHECK(store_watch_read(&s, fd), "another process's write is seen");

	/* the race the interface had: its own write and another's, read
	 * together */
	write_text("a.xml", "<pool type='dir'/>");
	other("c.xml", "<pool/>");
	T_CHECK(store_watch_read(&s, fd), "another's write among this "
		"process's own is not lost");

	write_text("a.xml", "<pool/>");
	other("a.xml", "<pool/>");
	T_CHECK(store_watch_read(&s, fd), "another process writing over this "
		"process's file, the same text, is seen");

	write_text("a.xml", "<pool/>");
	store_watch_read(&s, fd);
	other_touch("a.xml");
	T_CHECK(store_watch_read(&s, fd), "another process touching this "
		"process's file is seen");

	store_autostart_set(&s, "a", true, NULL);
	T_CHECK(!store_watch_read(&s, fd), "this process's autostart link is "
		"passed by");
	store_remove_def(&s, "a", NULL);
	T_CHECK(!store_watch_read(&s, fd), "this process's removal is passed "
		"by");
	other("b.xml", NULL);
	T_CHECK(store_watch_read(&s, fd), "another process's removal is seen");

	store_write_status(&s, "c", &(struct pool_status){ 0 }, NULL);
	store_status_touch(&s, "c");
	T_CHECK(!store_watch_read(&s, fd), "this process's state, written and "
		"touched, is passed by");

	other(".hidden", "x");
	other("c.lock", "x");
	T_CHECK(!store_watch_read(&s, fd), "lock files and hidden files are "
		"passed by, whoever writes them");

	close(fd);
	store_close(&s);
	run_simple((const char *const[]){ "rm", "-rf", dir, NULL }, NULL);
	return t_done();
}
