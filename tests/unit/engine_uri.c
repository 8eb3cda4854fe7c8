/* Which connection URIs reach a daemon on this host (the wizard probes
 * local devices only then): libvirt's unix transport, or no host name;
 * ssh, tls, tcp and a host name (tls by default) are another host. */
#include "../../core/engine.h"
#include "../lib/t.h"

static void
is(const char *uri, bool want)
{
	T_CHECK(engine_uri_local(uri) == want, "'%s' is %s", uri ? uri : "(none)",
		want ? "this host" : "another host");
}

int
main(void)
{
	is(NULL, true);
	is("", true);
	is("qemu:///system", true);
	is("storage:///system?socket=/run/x/libvirt-sock", true);
	is("test:///default", true);
	is("qemu+unix:///system", true);
	is("qemu+ssh://root@host/system", false);
	is("storage+ssh://root@127.0.0.1:2222/system?socket=/s&keyfile=/k", false);
	is("qemu+libssh2://host/system", false);
	is("qemu+tcp://host/system", false);
	is("qemu+tls://host/system", false);
	is("qemu://host.example/system", false);
	is("qemu+ext:///system?command=/bin/x", false);
	is("nonsense", false);
	return t_done();
}
