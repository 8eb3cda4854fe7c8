/* cistern — the backends this build has, registered at start-up. */
#include "../core/backend.h"
#include "../core/engine.h"
#include "registry.h"

extern const struct backend dir_backend;
extern const struct backend fs_backend;
extern const struct backend netfs_backend;
extern const struct backend logical_backend;
extern const struct backend disk_backend;
extern const struct backend iscsi_backend;
extern const struct backend iscsi_direct_backend;
extern const struct backend rbd_backend;
extern const struct engine_ops libvirt_engine;

void
backends_register_all(void)
{
	backend_register(&dir_backend);
	backend_register(&fs_backend);
	backend_register(&netfs_backend);
	backend_register(&logical_backend);
	backend_register(&disk_backend);
	backend_register(&iscsi_backend);
	backend_register(&iscsi_direct_backend);
	backend_register(&rbd_backend);
	/* the engine that serves -c URI */
	engine_register(&libvirt_engine);
}
