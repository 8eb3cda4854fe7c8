/* cistern — sizes, exactly as libvirt scales them. */
#include "units.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "util.h"

int
size_scale(uint64_t *value, const char *suffix, uint64_t default_scale,
	   struct err *e)
{
	uint64_t scale;

	if (suffix == NULL || *suffix == '\0') {
		scale = default_scale;
		suffix = "";
	} else if (strcasecmp(suffix, "b") == 0 ||
		   strcasecmp(suffix, "byte") == 0 ||
		   strcasecmp(suffix, "bytes") == 0) {
		scale = 1;
	} else {
		uint64_t base;
		int power;

		if (suffix[1] == '\0' || strcasecmp(suffix + 1, "iB") == 0)
			base = 1024;
		else if (tolower((unsigned char)suffix[1]) == 'b' &&
			 suffix[2] == '\0')
			base = 1000;
		else
			return err_setc(e, ERR_INVALID, "unknown size unit '%s'",
					suffix);
		switch (tolower((unsigned char)suffix[0])) {
		case 'k': power = 1; break;
		case 'm': power = 2; break;
		case 'g': power = 3; break;
		case 't': power = 4; break;
		case 'p': power = 5; break;
		case 'e': power = 6; break;
		default:
			return err_setc(e, ERR_INVALID, "unknown size unit '%s'",
					suffix);
		}
		scale = 1;
		while (power-- > 0)
			scale *= base;
	}
	if (scale == 0)
		return err_setc(e, ERR_INVALID, "invalid size scale");
	if (*value > SIZE_LIMIT / scale)
		return err_setc(e, ERR_INVALID,
				"size too large: %llu%s (the limit is %llu bytes)",
				(unsigned long long)*value, suffix,
				(unsigned long long)SIZE_LIMIT);
	*value *= scale;
	return 0;
}

/* Parse the digits of a size; only plain non-negative decimal integers. */
static int
size_number(const char *s, size_t n, uint64_t *out, struct err *e)
{
	uint64_t v = 0;

	if (n == 0)
		return err_setc(e, ERR_INVALID, "missing size number");
	for (size_t i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return err_setc(e, ERR_INVALID, "invalid size '%.*s'",
					(int)n, s);
		unsigned d = (unsigned)(s[i] - '0');
		if (v > (UINT64_MAX - d) / 10)
			return err_setc(e, ERR_INVALID,
					"size too large: '%.*s'", (int)n, s);
		v = v * 10 + d;
	}
	*out = v;
	return 0;
}

int
size_parse_unit(const char *number, const char *unit, uint64_t *out,
		struct err *e)
{
	uint64_t v;
	const char *s = number;
	size_t n;

	if (s == NULL)
		return err_setc(e, ERR_INVALID, "missing size");
	while (isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if (size_number(s, n, &v, e) < 0)
		return -1;
	if (size_scale(&v, unit, 1, e) < 0)
		return -1;
	*out = v;
	return 0;
}

int
size_parse(const char *text, uint64_t *out, struct err *e)
{
	const char *p = text;
	const char *digits;
	uint64_t v;
	char unit[16];
	size_t n = 0;

	if (text == NULL)
		return err_setc(e, ERR_INVALID, "missing size");
	while (isspace((unsigned char)*p))
		p++;
	digits = p;
	while (isdigit((unsigned char)*p))
		p++;
	if (p == digits)
		return err_setc(e, ERR_INVALID, "invalid size '%s'", text);
	if (size_number(digits, (size_t)(p - digits), &v, e) < 0)
		return -1;
	while (*p == ' ')
		p++;
	while (*p != '\0' && !isspace((unsigned char)*p)) {
		if (n + 1 >= sizeof(unit) || !isalpha((unsigned char)*p))
			return err_setc(e, ERR_INVALID, "invalid size '%s'",
					text);
		unit[n++] = *p++;
	}
	unit[n] = '\0';
	while (isspace((unsigned char)*p))
		p++;
	if (*p != '\0')
		return err_setc(e, ERR_INVALID, "invalid size '%s'", text);
	if (size_scale(&v, unit, 1, e) < 0)
		return -1;
	*out = v;
	return 0;
}

static const char *const pretty_units[] = {
	"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB",
};

char *
size_pretty(uint64_t bytes, char *buf, size_t len)
{
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024.0 && u + 1 < ARRAY_SIZE(pretty_units)) {
		v /= 1024.0;
		u++;
	}
	snprintf(buf, len, "%.2f %s", v, pretty_units[u]);
	return buf;
}

char *
size_short(uint64_t bytes, char *buf, size_t len)
{
	static const char letters[] = "BKMGTPE";
	double v = (double)bytes;
	size_t u = 0;

	while (v >= 1024.0 && u + 1 < sizeof(letters) - 1) {
		v /= 1024.0;
		u++;
	}
	if (u == 0)
		snprintf(buf, len, "%llu", (unsigned long long)bytes);
	else if (v < 10.0 && (double)(long long)v != v)
		snprintf(buf, len, "%.1f%c", v, letters[u]);
	else
		snprintf(buf, len, "%.0f%c", v, letters[u]);
	return buf;
}
