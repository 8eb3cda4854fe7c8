/* cistern — the backends this build has. */
#ifndef CISTERN_REGISTRY_H
#define CISTERN_REGISTRY_H

/* Register every backend (backends/registry.c); once, at start-up. */
void backends_register_all(void);

#endif
