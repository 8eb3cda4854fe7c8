/* cistern — drawing text by display width (UTF-8 names, ASCII
 * terminals), wrapping, lines. */
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "../core/util.h"
#include "ui.h"
#include "ui_text.h"
#include "ui_theme.h"

static bool text_utf8_mode;
static const char *text_ellipsis = "~";

/* Tell the text layer whether the terminal shows UTF-8. */
void
text_init(bool utf8, const char *ellipsis)
{
	text_utf8_mode = utf8;
	text_ellipsis = ellipsis;
}

/* Decode one character: its byte length and display width. */
static size_t
text_next(const char *s, int *width)
{
	mbstate_t st;
	wchar_t wc;
	size_t n;

	if ((unsigned char)*s < 0x80) {
		*width = (unsigned char)*s < 0x20 || *s == 0x7f ? 1 : 1;
		return 1;
	}
	if (!text_utf8_mode) {
		*width = 1;
		return 1;
	}
	memset(&st, 0, sizeof(st));
	n = mbrtowc(&wc, s, MB_CUR_MAX, &st);
	if (n == (size_t)-1 || n == (size_t)-2 || n == 0) {
		*width = 1;
		return 1;
	}
	*width = wcwidth(wc);
	if (*width < 0)
		*width = 1;
	return n;
}

/* Display width of a string. */
int
text_width(const char *s)
{
	int w = 0, cw;

	if (s == NULL)
		return 0;
	while (*s) {
		s += text_next(s, &cw);
		w += cw;
	}
	return w;
}

/* Copy what fits in w columns into buf, replacing what the terminal
 * cannot show; returns the columns used. */
static int
text_fit(const char *s, int w, char *buf, size_t cap, bool *cut)
{
	size_t o = 0;
	int used = 0, cw;

	*cut = false;
	while (*s) {
		size_t n = text_next(s, &cw);
		if (used + cw > w) {
			*cut = true;
			break;
		}
		if (o + n + 1 >= cap)
			break;
		if ((unsigned char)*s < 0x20 || *s == 0x7f ||
		    ((unsigned char)*s >= 0x80 && !text_utf8_mode)) {
			buf[o++] = '?';
		} else {
			memcpy(buf + o, s, n);
			o += n;
		}
		used += cw;
		s += n;
	}
	buf[o] = '\0';
	return used;
}

/* Draw text in w columns, cut with an ellipsis. */
int
text_put(int y, int x, const char *s, int w, attr_t a, bool pad, bool right)
{
	char buf[1024];
	bool cut;
	int used;

	if (w <= 0)
		return 0;
	used = text_fit(s ? s : "", w, buf, sizeof(buf), &cut);
	if (cut && w >= 2) {
		int ew = text_width(text_ellipsis);
		used = text_fit(s, w - ew, buf, sizeof(buf) - 8, &cut);
		strcat(buf, text_ellipsis);
		used += ew;
	}
	attrset(a);
	if (right && used < w) {
		mvhline(y, x, ' ', w - used);
		mvaddstr(y, x + w - used, buf);
		return w;
	}
	mvaddstr(y, x, buf);
	if (pad && used < w)
		mvhline(y, x + used, ' ', w - used);
	return pad ? w : used;
}

/* Draw text in w columns, cut on the left. */
int
text_put_tail(int y, int x, const char *s, int w, attr_t a)
{
	int tw = text_width(s), ew = text_width(text_ellipsis), cw;
	const char *p = s;
	char buf[1024];

	if (tw <= w || w < ew + 2)
		return text_put(y, x, s, w, a, false, false);
	/* skip characters until the rest fits after the ellipsis */
	while (*p && tw > w - ew) {
		p += text_next(p, &cw);
		tw -= cw;
	}
	snprintf(buf, sizeof(buf), "%s%s", text_ellipsis, p);
	return text_put(y, x, buf, w, a, false, false);
}

/* Blank w columns with an attribute. */
void
text_fill(int y, int x, int w, attr_t a)
{
	if (w <= 0)
		return;
	attrset(a);
	mvhline(y, x, ' ', w);
}

/* A horizontal line of w columns. */
void
text_hline(struct ui *ui, int y, int x, int w, attr_t a)
{
	attrset(a);
	for (int i = 0; i < w; i++)
		mvaddstr(y, x + i, ui->g->hline);
}

/* Encode a code point as UTF-8; returns its length. */
int
text_utf8(char *buf, unsigned cp)
{
	if (cp < 0x80) {
		buf[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		buf[0] = (char)(0xc0 | (cp >> 6));
		buf[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		buf[0] = (char)(0xe0 | (cp >> 12));
		buf[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		buf[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	buf[0] = (char)(0xf0 | (cp >> 18));
	buf[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
	buf[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
	buf[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* Wrap text at word boundaries to w columns. */
char **
text_wrap(const char *s, int w, size_t *n)
{
	char **lines = NULL;
	size_t nl = 0;

	if (w < 4)
		w = 4;
	while (s != NULL && *s != '\0') {
		const char *eol = strchr(s, '\n');
		size_t len = eol ? (size_t)(eol - s) : strlen(s);
		char *para = xstrndup(s, len);
		const char *p = para;
		int hang = 0, lw = w;

		/* continuation lines line up after the last run of blanks in
		 * the first half ("  F6  s  Start  text", "  <target>") */
		for (int i = 1; para[0] != '\0' && para[i] != '\0' &&
				i < w / 2; i++)
			if (para[i] != ' ' && para[i - 1] == ' ' &&
			    (i == 1 || para[i - 2] == ' '))
				hang = i;
		if (*p == '\0')
			strv_push(&lines, &nl, "");
		while (*p != '\0') {
			/* take as many whole words as fit */
			const char *q = p, *brk = NULL;
			int used = 0, cw;
			while (*q != '\0') {
				size_t cn = text_next(q, &cw);
				if (used + cw > lw)
					break;
				used += cw;
				q += cn;
				if (*q == ' ')
					brk = q;
			}
			if (*q != '\0' && brk != NULL && brk > p)
				q = brk;
			char *line = xasprintf("%*s%.*s", lw < w ? hang : 0, "",
					       (int)(q - p), p);
			strv_push(&lines, &nl, line);
			free(line);
			p = q;
			while (*p == ' ')
				p++;
			lw = w - hang;
		}
		free(para);
		s += len;
		if (*s == '\n')
			s++;
	}
	if (lines == NULL)
		strv_push(&lines, &nl, "");
	*n = nl;
	return lines;
}
