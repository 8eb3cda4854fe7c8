/* Sizes exactly as libvirt scales them; overflow past 2^63-1 is an error. */
#include <inttypes.h>
#include <string.h>

#include "../../core/units.h"
#include "../lib/t.h"

static void
ok_size(const char *text, uint64_t want)
{
	struct err e;
	uint64_t got = 0;

	err_init(&e);
	int rc = size_parse(text, &got, &e);
	T_CHECK(rc == 0 && got == want, "size '%s' = %" PRIu64 " (got %" PRIu64
		"%s%s)", text, want, got, rc ? ", error: " : "", rc ? e.msg : "");
	err_clear(&e);
}

static void
bad_size(const char *text, const char *msg_part)
{
	struct err e;
	uint64_t got = 0;

	err_init(&e);
	int rc = size_parse(text, &got, &e);
	T_CHECK(rc < 0 && strstr(e.msg, msg_part) != NULL &&
		strchr(e.msg, '\n') == NULL,
		"size '%s' refused with \"...%s...\" (got: %s)", text, msg_part,
		rc < 0 ? e.msg : "accepted");
	err_clear(&e);
}

static void
ok_unit(const char *num, const char *unit, uint64_t want)
{
	struct err e;
	uint64_t got = 0;

	err_init(&e);
	int rc = size_parse_unit(num, unit, &got, &e);
	T_CHECK(rc == 0 && got == want, "<x unit='%s'>%s</x> = %" PRIu64,
		unit ? unit : "(none)", num, want);
	err_clear(&e);
}

int
main(void)
{
	ok_size("0", 0);
	ok_size("512", 512);
	ok_size("1b", 1);
	ok_size("7bytes", 7);
	ok_size("1KB", 1000);
	ok_size("1K", 1024);
	ok_size("1KiB", 1024);
	ok_size("1k", 1024);
	ok_size("1kib", 1024);
	ok_size("1MB", 1000000);
	ok_size("1M", 1048576);
	ok_size("20G", 21474836480ull);
	ok_size("20GB", 20000000000ull);
	ok_size("1T", 1099511627776ull);
	ok_size("1TB", 1000000000000ull);
	ok_size("1P", 1125899906842624ull);
	ok_size("1PB", 1000000000000000ull);
	ok_size("7E", 7ull << 60);
	ok_size("9EB", 9000000000000000000ull);
	ok_size("10 MiB", 10485760);
	ok_size("9223372036854775807", 9223372036854775807ull);
	bad_size("8E", "too large");
	bad_size("9223372036854775808", "too large");
	bad_size("99999999999999999999999", "too large");
	bad_size("10EB", "too large");
	bad_size("1Q", "unknown size unit");
	bad_size("1GiBB", "unknown size unit");
	bad_size("1Gi", "unknown size unit");
	bad_size("-1", "invalid size");
	bad_size("1.5G", "invalid size");
	bad_size("", "invalid size");
	bad_size("G", "invalid size");
	bad_size("1 G x", "invalid size");
	ok_unit("5", "G", 5368709120ull);
	ok_unit("5", NULL, 5);
	ok_unit(" 128 ", "KiB", 131072);
	ok_unit("1", "bytes", 1);
	ok_unit("10", "GB", 10000000000ull);

	char buf[32];
	T_CHECK(strcmp(size_pretty(0, buf, sizeof(buf)), "0.00 B") == 0,
		"0 bytes print as virsh prints them (%s)", buf);
	T_CHECK(strcmp(size_pretty(1073741824, buf, sizeof(buf)), "1.00 GiB") == 0,
		"1 GiB prints as 1.00 GiB (%s)", buf);
	T_CHECK(strcmp(size_pretty(1536, buf, sizeof(buf)), "1.50 KiB") == 0,
		"1536 bytes print as 1.50 KiB (%s)", buf);
	return t_done();
}
