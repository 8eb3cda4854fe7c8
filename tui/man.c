/* cistern — the manual page, generated from the verb table and the
 * interface's action table so that it cannot drift from them. */
#include <stdio.h>
#include <string.h>

#include "../core/util.h"
#include "actions.h"
#include "cli.h"
#include "globals.h"
#include "main.h"

/* Write `s` escaped for roff (backslashes, leading dots and quotes). */
static void
roff(FILE *out, const char *s)
{
	if (*s == '.' || *s == '\'')
		fputs("\\&", out);
	for (; *s; s++) {
		if (*s == '\\')
			fputs("\\e", out);
		else if (*s == '-')
			fputs("\\-", out);
		else
			fputc(*s, out);
	}
}

/* A verb's help text: one ".TP"-free block, line by line. */
static void
roff_block(FILE *out, const char *text)
{
	while (text && *text) {
		const char *eol = strchr(text, '\n');
		size_t n = eol ? (size_t)(eol - text) : strlen(text);
		char line[512];
		snprintf(line, sizeof(line), "%.*s", (int)n, text);
		fputs(".br\n", out);
		roff(out, line);
		fputc('\n', out);
		text += n;
		if (*text == '\n')
			text++;
	}
}

/* The manual page's key list, from the same table as the key bar and
 * the help overlay. */
static void
man_keys(FILE *out)
{
	static const struct { unsigned flag; const char *title; } sections[] = {
		{ A_GLOBAL, "Anywhere" },
		{ A_POOL, "On a pool" },
		{ A_VOL, "On a volume" },
	};

	fputs("Tab and Shift-Tab move between panes; arrows, j/k, PgUp/PgDn, "
	      "Home/End move in a list. Actions marked (writes) are hidden "
	      "with \\fB\\-\\-read\\-only\\fR.\n", out);
	for (size_t s = 0; s < ARRAY_SIZE(sections); s++) {
		fprintf(out, ".SS %s\n", sections[s].title);
		for (const struct action *a = ui_actions; a->name != NULL; a++) {
			char k[32];
			if (!(a->flags & sections[s].flag))
				continue;
			if (sections[s].flag != A_GLOBAL && (a->flags & A_GLOBAL))
				continue;
			if (sections[s].flag == A_VOL && (a->flags & A_POOL))
				continue;
			action_keys(a, k, sizeof(k));
			fputs(".TP\n.B ", out);
			for (const char *c = str_trim(k); *c; c++)
				fputs(*c == '\\' ? "\\e" : (char[2]){ *c, 0 }, out);
			fprintf(out, "\n%s%s\n", a->help,
				(a->flags & A_WRITES) ? " (writes)" : "");
		}
	}
}

void
cli_man(FILE *out)
{
	fputs(".TH CISTERN 1 \"\" \"cistern " CISTERN_VERSION "\" \"User Commands\"\n"
	      ".SH NAME\ncistern \\- manage storage pools and volumes "
	      "(libvirt-compatible)\n"
	      ".SH SYNOPSIS\n.B cistern\n[\\fIglobal options\\fR] "
	      "[\\fIverb\\fR [\\fIarguments\\fR]]\n"
	      ".SH DESCRIPTION\ncistern manages storage pools (dir, fs, netfs, "
	      "logical, disk, iscsi, iscsi-direct, rbd) and their volumes on one host, "
	      "as libvirt's storage driver does. Definitions are libvirt's XML. "
	      "With no verb, on a terminal, the full-screen interface opens; "
	      "otherwise the pool list is printed.\n"
	      ".SH GLOBAL OPTIONS\n", out);
	for (const struct global_option *g = global_options; g->name; g++) {
		fputs(".TP\n\\fB", out);
		roff(out, "--");
		roff(out, g->name);
		fputs("\\fR", out);
		if (g->arg) {
			fputs(" \\fI", out);
			roff(out, g->arg);
			fputs("\\fR", out);
		}
		if (g->key < 256)
			fprintf(out, ", \\fB\\-%c\\fR", g->key);
		fputc('\n', out);
		roff(out, g->help);
		fputc('\n', out);
	}
	fputs(".SH VERBS\n", out);
	for (const struct cli_verb *v = cli_verbs; v->name != NULL; v++) {
		fputs(".TP\n.B ", out);
		roff(out, v->name);
		fputc('\n', out);
		roff(out, v->summary);
		fputc('\n', out);
		roff_block(out, v->help);
	}
	fputs(".SH KEYS\n", out);
	man_keys(out);
	fputs(".SH EXIT STATUS\n0 on success, 1 on error (with one line "
	      "\\fBerror: ...\\fR on stderr).\n"
	      ".SH FILES\n/etc/cistern/storage/NAME.xml, "
	      "/etc/cistern/storage/autostart/, /run/cistern/NAME.json\n"
	      ".SH SEE ALSO\nvirsh(1)\n", out);
}
