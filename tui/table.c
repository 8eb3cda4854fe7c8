/* cistern — virsh-style tables and JSON printing. */
#include "table.h"

#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../core/util.h"

void
table_init(struct table *t, size_t ncols, const char *const *header)
{
	memset(t, 0, sizeof(*t));
	t->ncols = ncols;
	table_add(t, header);
}

void
table_add(struct table *t, const char *const *cells)
{
	char **row = xcalloc(t->ncols, sizeof(*row));

	for (size_t i = 0; i < t->ncols; i++)
		row[i] = xstrdup(cells[i] ? cells[i] : "");
	t->rows = xreallocarray(t->rows, t->nrows + 1, sizeof(*t->rows));
	t->rows[t->nrows++] = row;
}

/* Display width of a UTF-8 string (control bytes count as 4: "\xNN"). */
static size_t
text_width(const char *s)
{
	mbstate_t st;
	size_t w = 0;

	memset(&st, 0, sizeof(st));
	while (*s) {
		wchar_t wc;
		unsigned char c = (unsigned char)*s;
		/* ASCII, nearly every cell: no locale call per byte */
		if (c < 0x80) {
			w += (c >= 0x20 && c != 0x7f) ? 1 : 4;
			s++;
			continue;
		}
		size_t n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
		if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
			w++;
			s++;
			memset(&st, 0, sizeof(st));
			continue;
		}
		int cw = wcwidth(wc);
		w += cw < 0 ? 4 : (size_t)cw;
		s += n;
	}
	return w;
}

static void
row_print(FILE *out, const struct table *t, char **row, const size_t *maxw)
{
	for (size_t i = 0; i < t->ncols; i++) {
		fprintf(out, " %s", row[i]);
		if (i + 1 < t->ncols) {
			size_t w = text_width(row[i]);
			if (w < maxw[i] + 2)
				fprintf(out, "%*s", (int)(maxw[i] + 2 - w), "");
		}
	}
	fputc('\n', out);
}

void
table_print(FILE *out, const struct table *t)
{
	size_t *maxw = xcalloc(t->ncols, sizeof(*maxw));

	for (size_t r = t->no_header ? 1 : 0; r < t->nrows; r++)
		for (size_t i = 0; i < t->ncols; i++) {
			size_t w = text_width(t->rows[r][i]);
			if (w > maxw[i])
				maxw[i] = w;
		}
	if (!t->no_header) {
		row_print(out, t, t->rows[0], maxw);
		for (size_t i = 0; i < t->ncols; i++)
			for (size_t j = 0; j < maxw[i] + 3; j++)
				fputc('-', out);
		fputc('\n', out);
	}
	for (size_t r = 1; r < t->nrows; r++)
		row_print(out, t, t->rows[r], maxw);
	free(maxw);
}

void
table_free(struct table *t)
{
	for (size_t r = 0; r < t->nrows; r++) {
		for (size_t i = 0; i < t->ncols; i++)
			free(t->rows[r][i]);
		free(t->rows[r]);
	}
	free(t->rows);
	memset(t, 0, sizeof(*t));
}

void
json_print(FILE *out, json_object *o)
{
	fputs(json_object_to_json_string_ext(o, JSON_C_TO_STRING_PRETTY |
					     JSON_C_TO_STRING_SPACED |
					     JSON_C_TO_STRING_NOSLASHESCAPE),
	      out);
	fputc('\n', out);
}
