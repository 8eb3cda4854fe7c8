/* The hosts file's API (core/hosts.h), as the interface uses it: a
 * refused change changes nothing in memory either (a rename with a bad
 * URI keeps the old name), comments move with the hosts, -c words
 * resolve, and nothing is written in read-only mode. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/fileio.h"
#include "../../core/hosts.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../lib/t.h"

static char dir[] = "/tmp/cistern-hosts-XXXXXX";

static char *
file_text(void)
{
	char *path = path_join(dir, HOSTS_FILE);
	char *text = file_read_all(path, 1 << 20, NULL, NULL);

	free(path);
	return text;
}

static void
write_file(const char *text)
{
	char *path = path_join(dir, HOSTS_FILE);

	file_write_atomic(path, text, strlen(text), 0600, NULL);
	free(path);
}

int
main(void)
{
	struct hosts h;
	struct store s;
	struct err e;
	char *uri, *text, *run;

	if (mkdtemp(dir) == NULL)
		return 1;
	run = path_join(dir, "run");
	store_open(&s, dir, run, NULL);
	err_init(&e);

	T_CHECK(hosts_load(dir, &h, &e) == 0 && h.n == 0,
		"no file: no hosts, no error");
	T_CHECK(hosts_find(&h, HOST_LOCAL) == NULL, "'local' is never found");
	T_CHECK(hosts_add(&h, "a", "test:///default", true, &e) == 0 &&
		hosts_add(&h, "b", "qemu:///system", false, &e) == 0 && h.n == 2,
		"two hosts added");
	T_CHECK(hosts_save(&h, &s, true, &e) < 0 &&
		strcmp(e.msg, "cistern is in read-only mode") == 0 &&
		access(h.path, F_OK) < 0, "read-only: refused, nothing written");
	err_clear(&e);
	run_set_dry_run(true);
	T_CHECK(hosts_save(&h, &s, false, &e) == 0 && access(h.path, F_OK) < 0,
		"--dry-run: nothing written");
	run_set_dry_run(false);
	T_CHECK(hosts_save(&h, &s, false, &e) == 0, "saved");
	text = file_text();
	T_CHECK(text && strcmp(text, "a = test:///default\n"
			       "b = qemu:///system autoconnect=no\n") == 0,
		"the file as written: '%s'", text ? text : "(none)");
	free(text);

	struct host_change bad = { .name = "c", .uri = "no uri", .autoconnect = 0 };
	T_CHECK(hosts_set(&h, "a", &bad, &e) < 0 && hosts_find(&h, "a") &&
		!hosts_find(&h, "c") && hosts_find(&h, "a")->autoconnect,
		"a rename with a bad URI changes nothing: %s", e.msg);
	err_clear(&e);
	struct host_change keep = { .name = NULL, .uri = "qemu:///session",
				    .autoconnect = -1 };
	T_CHECK(hosts_set(&h, "b", &keep, &e) == 0 &&
		!hosts_find(&h, "b")->autoconnect &&
		strcmp(hosts_find(&h, "b")->uri, "qemu:///session") == 0,
		"autoconnect -1 leaves it as it was");
	T_CHECK(hosts_remove(&h, "a", &e) == 0 && h.n == 1 &&
		strcmp(h.v[0].name, "b") == 0, "removed, the rest moved up");
	T_CHECK(hosts_remove(&h, "a", &e) < 0 && e.code == ERR_NOT_FOUND,
		"removed twice: %s", e.msg);
	err_clear(&e);
	hosts_free(&h);

	write_file("# one\na = test:///default\n# two\nb = qemu:///system\n# end\n");
	T_CHECK(hosts_load(dir, &h, &e) == 0 && h.n == 2, "loaded with comments");
	T_CHECK(hosts_remove(&h, "b", &e) == 0 &&
		hosts_add(&h, "c", "test:///default", true, &e) == 0 &&
		hosts_save(&h, &s, false, &e) == 0, "remove b, add c");
	text = file_text();
	T_CHECK(text && strcmp(text, "# one\na = test:///default\n# two\n"
			       "# end\nc = test:///default\n") == 0,
		"comments kept in order: '%s'", text ? text : "(none)");
	free(text);
	hosts_free(&h);

	T_CHECK(hosts_resolve(dir, "c", &uri, &e) == 0 && uri &&
		strcmp(uri, "test:///default") == 0, "-c c: its URI");
	free(uri);
	T_CHECK(hosts_resolve(dir, "local", &uri, &e) == 0 && uri == NULL,
		"-c local: this machine");
	T_CHECK(hosts_resolve(dir, "", &uri, &e) == 0 && uri == NULL,
		"-c '': this machine");
	T_CHECK(hosts_resolve(dir, "qemu:///system", &uri, &e) == 0 && uri &&
		strcmp(uri, "qemu:///system") == 0, "-c URI: as it is");
	free(uri);
	T_CHECK(hosts_resolve(dir, "zz", &uri, &e) < 0 && uri == NULL &&
		strstr(e.msg, "no host 'zz' in ") == e.msg, "-c zz: %s", e.msg);
	err_clear(&e);

	write_file("a = test:///default\nbad line\n");
	T_CHECK(hosts_load(dir, &h, &e) < 0 && h.n == 0 && h.path != NULL &&
		strstr(e.msg, "hosts:2: 'bad line': a host line is") != NULL,
		"a bad line: none loaded, file:line: %s", e.msg);
	err_clear(&e);
	hosts_free(&h);

	T_CHECK(host_name_check("kvm-03.rack_1", &e) == 0, "a good name");
	T_CHECK(host_name_check("kvm:03", &e) < 0, "':' is not in a name");
	err_clear(&e);
	T_CHECK(host_uri_check("storage+ssh://root@h:22/system?socket=/s", &e) == 0,
		"a URI with a port and a query");
	T_CHECK(host_uri_check("://x", &e) < 0, "a URI needs a scheme");
	err_clear(&e);

	store_close(&s);
	free(run);
	text = path_join(dir, HOSTS_FILE);
	unlink(text);
	free(text);
	text = path_join(dir, ".lock");
	unlink(text);
	free(text);
	text = path_join(dir, "autostart");
	rmdir(text);
	free(text);
	rmdir(dir);
	return t_done();
}
