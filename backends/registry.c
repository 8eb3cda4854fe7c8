/* cistern — the backends this build has, registered at start-up. */
#include "../core/backend.h"

extern const struct backend dir_backend;

void
backends_register_all(void)
{
	backend_register(&dir_backend);
}
