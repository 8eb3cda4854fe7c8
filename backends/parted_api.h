/* cistern — libparted, loaded when a disk pool's label is first read or
 * written (parted_load, from disk_parted.c's sessions), not linked: its
 * constructor runs `sh -c "dmidecode -s system-manufacturer"` (the gpt
 * label's check for Apple hardware), which cost every start of cistern
 * a shell and a child process, disk pool or not. Every function cistern
 * calls is in PARTED_FUNCS and is called through `parted`: a call that
 * is not fails to link, since cistern does not link the library. */
#ifndef CISTERN_PARTED_API_H
#define CISTERN_PARTED_API_H

#include <parted/parted.h>

#include "../core/err.h"

#define PARTED_FUNCS(X) \
	X(ped_alignment_destroy) X(ped_constraint_destroy) \
	X(ped_constraint_exact) X(ped_device_close) X(ped_device_destroy) \
	X(ped_device_get) X(ped_device_get_optimum_alignment) \
	X(ped_device_open) X(ped_disk_add_partition) \
	X(ped_disk_commit_to_dev) X(ped_disk_commit_to_os) \
	X(ped_disk_delete_partition) X(ped_disk_destroy) \
	X(ped_disk_get_max_primary_partition_count) \
	X(ped_disk_get_partition) X(ped_disk_get_partition_alignment) \
	X(ped_disk_is_flag_available) X(ped_disk_new) X(ped_disk_new_fresh) \
	X(ped_disk_next_partition) X(ped_disk_probe) X(ped_disk_set_flag) \
	X(ped_disk_type_check_feature) X(ped_disk_type_get) \
	X(ped_exception_set_handler) X(ped_file_system_type_get) \
	X(ped_file_system_type_get_next) X(ped_file_system_type_register) \
	X(ped_file_system_type_unregister) X(ped_partition_destroy) \
	X(ped_partition_get_flag) X(ped_partition_get_name) \
	X(ped_partition_is_active) X(ped_partition_is_flag_available) \
	X(ped_partition_new) X(ped_partition_set_flag) \
	X(ped_partition_set_name)

struct parted_api {
#define PARTED_MEMBER(f) __typeof__(f) *f;
	PARTED_FUNCS(PARTED_MEMBER)
#undef PARTED_MEMBER
};

/* The library's functions, once parted_load has succeeded. */
extern struct parted_api parted;

/* Load libparted.so.2 (once; from any thread). -1 with e set: "cannot
 * load libparted (libparted2): ..." */
int parted_load(struct err *e);

#endif
