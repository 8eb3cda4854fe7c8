/* cistern — the CHAP password written into open-iscsi's node record, read
 * back by the real iscsiadm. iscsiadm itself makes the record (--op new,
 * which needs no iscsid), cistern writes the password line in process,
 * and `iscsiadm --mode node ... --show` must print it (and mask it
 * without --show). The record and any database directories the test
 * made are removed at the end.
 */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../backends/iscsi_common.h"
#include "../../core/run.h"
#include "../../core/util.h"
#include "../lib/t.h"

#define PORT 3999

static const char *const dbdirs[] = {
	"/etc/iscsi/nodes", "/etc/iscsi/ifaces", "/etc/iscsi/static",
	"/etc/iscsi/send_targets",
};

/* iscsiadm's record for the target, as it prints it. */
static char *
show(const char *target, bool unmasked)
{
	const char *argv[] = { "iscsiadm", "--mode", "node", "--targetname",
			       target, "--portal", "127.0.0.1:3999",
			       unmasked ? "--show" : NULL, NULL };
	struct run_result r;
	char *out;

	if (run_argv(argv, NULL, &r, NULL) < 0) {
		run_result_free(&r);
		return xstrdup("");
	}
	out = xstrdup(r.out);
	run_result_free(&r);
	return out;
}

/* How many times `needle` occurs in `s`. */
static int
count(const char *s, const char *needle)
{
	int n = 0;

	for (const char *p = s; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

int
main(void)
{
	char target[128], *out;
	bool had[ARRAY_SIZE(dbdirs)];
	struct err e;

	if (geteuid() != 0 || !run_have("iscsiadm")) {
		T_SKIP("iscsi node record: needs root and iscsiadm");
		return t_done();
	}
	snprintf(target, sizeof(target),
		 "iqn.2025-01.org.cistern.test:node.%d", (int)getpid());
	for (size_t i = 0; i < ARRAY_SIZE(dbdirs); i++)
		had[i] = access(dbdirs[i], F_OK) == 0;
	err_init(&e);
	const char *mk[] = { "iscsiadm", "--mode", "node", "--portal",
			     "127.0.0.1:3999,1", "--targetname", target, "--op",
			     "new", NULL };
	const char *user[] = { "iscsiadm", "--mode", "node", "--portal",
			       "127.0.0.1:3999,1", "--target", target, "--op",
			       "update", "--name", "node.session.auth.username",
			       "--value", "cistern", NULL };
	if (run_argv(mk, NULL, NULL, &e) < 0 ||
	    run_argv(user, NULL, NULL, &e) < 0) {
		T_FAIL("iscsi node record: iscsiadm --op new: %s", e.msg);
		return t_done();
	}
	T_CHECK(iscsi_node_exists(target, "127.0.0.1", PORT),
		"iscsi node record made by iscsiadm is found");
	T_CHECK(!iscsi_node_exists(target, "127.0.0.1", PORT + 1),
		"iscsi node record of another port is not taken");
	T_CHECK(iscsi_node_set_password(target, "127.0.0.1", PORT,
					"first secret", &e) == 0 &&
		iscsi_node_set_password(target, "localhost", PORT,
					"Pa55 w0rd#x", &e) == 0,
		"iscsi node record: password written in process (host name "
		"matched through its address)");
	out = show(target, true);
	T_CHECK(count(out, "node.session.auth.password = Pa55 w0rd#x\n") == 1 &&
		count(out, "first secret") == 0,
		"iscsiadm --show reads back exactly the one password written");
	T_CHECK(strstr(out, "node.session.auth.username = cistern\n") != NULL,
		"iscsiadm's own settings are kept");
	free(out);
	out = show(target, false);
	T_CHECK(strstr(out, "node.session.auth.password = ********") != NULL &&
		strstr(out, "Pa55") == NULL,
		"iscsiadm masks the password it read from the record");
	free(out);
	T_CHECK(iscsi_node_set_password(target, "127.0.0.1", PORT,
					" leading", &e) < 0,
		"iscsi node record refuses a secret open-iscsi would trim");
	err_clear(&e);
	T_CHECK(iscsi_node_set_password("iqn.2025-01.org.cistern.test:none",
					"127.0.0.1", PORT, "x-secret", &e) < 0 &&
		strstr(e.msg, "cannot find the node record") != NULL &&
		strstr(e.msg, "x-secret") == NULL,
		"iscsi node record missing: an error that does not show the "
		"secret");
	err_clear(&e);

	const char *rm[] = { "iscsiadm", "--mode", "node", "--portal",
			     "127.0.0.1:3999,1", "--targetname", target, "--op",
			     "delete", NULL };
	run_argv(rm, NULL, NULL, NULL);
	T_CHECK(!iscsi_node_exists(target, "127.0.0.1", PORT),
		"iscsi node record removed");
	for (size_t i = ARRAY_SIZE(dbdirs); i-- > 0;)
		if (!had[i])
			rmdir(dbdirs[i]);
	return t_done();
}
