/* cistern — sizes, exactly as libvirt scales them.
 *
 * No suffix, "b", "byte", "bytes": bytes. One letter (k, m, g, t, p, e) or
 * that letter + "iB": powers of 1024. That letter + "B": powers of 1000.
 * Case-insensitive. Values past 2^63-1 bytes are an error.
 */
#ifndef CISTERN_UNITS_H
#define CISTERN_UNITS_H

#include <stddef.h>
#include <stdint.h>

#include "err.h"

#define SIZE_LIMIT ((uint64_t)INT64_MAX)

/* Scale `value` by the unit `suffix` (NULL or "" means `default_scale`). */
int size_scale(uint64_t *value, const char *suffix, uint64_t default_scale,
	       struct err *e);

/* Parse a number and a unit given apart (XML: <capacity unit='G'>5</..>). */
int size_parse_unit(const char *number, const char *unit, uint64_t *out,
		    struct err *e);

/* Parse "20G", "10 MiB", "512" (bytes), "1.5G" is refused (libvirt takes
 * integers only). */
int size_parse(const char *text, uint64_t *out, struct err *e);

/* "20.00 GiB" as virsh prints sizes (vshPrettyCapacity): B, KiB ... EiB
 * with two decimals. Returns buf. */
char *size_pretty(uint64_t bytes, char *buf, size_t len);

/* A compact form for narrow columns: "20G", "3.1G", "512M", "0". */
char *size_short(uint64_t bytes, char *buf, size_t len);

#endif
