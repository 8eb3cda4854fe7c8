/* The struct builders of core/build.h, without the command line: virsh's
 * buildPoolXML and vol-create-as layouts byte for byte, the errors as
 * struct err, a clone's definition, and a preview's own secret. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../core/build.h"
#include "../../core/edit.h"
#include "../../core/fileio.h"
#include "../../core/pool.h"
#include "../../core/secret.h"
#include "../../core/xml.h"
#include "../lib/t.h"
#include "../../backends/registry.h"

static void
pool_xml_full(void)
{
	const char *devs[] = { "iqn.2004-04.com.example:t1", "" };
	struct pool_args a = {
		.type = "iscsi", .name = "san",
		.source_host = "10.0.0.1", .source_port = "3261",
		.source_devs = devs, .nsource_devs = 2,
		.source_initiator = "iqn.2004-04.com.example:me",
		.auth_type = "chap", .auth_username = "u<1>",
		.secret_usage = "chap-san",
		.target = "/dev/disk/by-path",
	};
	const char *want =
		"<pool type='iscsi'>\n"
		"  <name>san</name>\n"
		"  <source>\n"
		"    <host name='10.0.0.1' port='3261'/>\n"
		"    <device path='iqn.2004-04.com.example:t1'/>\n"
		"    <initiator>\n"
		"      <iqn name='iqn.2004-04.com.example:me'/>\n"
		"    </initiator>\n"
		"    <auth type='chap' username='u&lt;1&gt;'>\n"
		"      <secret usage='chap-san'/>\n"
		"    </auth>\n"
		"  </source>\n"
		"  <target>\n"
		"    <path>/dev/disk/by-path</path>\n"
		"  </target>\n"
		"</pool>\n";
	struct err e;
	char *xml, *xml2 = NULL;
	struct pool_def *d;

	err_init(&e);
	xml = pool_args_xml(&a, &e);
	if (xml == NULL || strcmp(xml, want) != 0)
		printf("# got:\n%s\n", xml ? xml : e.msg);
	T_CHECK(xml != NULL && strcmp(xml, want) == 0,
		"pool_args_xml: buildPoolXML's layout, escaped, empty devices "
		"skipped");
	d = pool_args_def(&a, "test", &xml2, &e);
	T_CHECK(d != NULL && d->type == POOL_ISCSI && d->source.auth != NULL &&
		strcmp(d->source.auth->secret_usage, "chap-san") == 0 &&
		d->source.hosts[0].port == 3261,
		"pool_args_def: the definition the XML makes (%s)",
		d ? "ok" : e.msg);
	T_CHECK(xml2 != NULL && strcmp(xml2, want) == 0,
		"pool_args_def hands back the same XML");
	pool_def_free(d);
	free(xml);
	free(xml2);
	err_clear(&e);
}

static void
pool_xml_dir_perms(void)
{
	struct pool_args a = { .type = "dir", .name = "d", .target = "/srv/d",
			       .target_mode = "0750", .target_owner = "107" };
	const char *want =
		"<pool type='dir'>\n"
		"  <name>d</name>\n"
		"  <target>\n"
		"    <path>/srv/d</path>\n"
		"    <permissions>\n"
		"      <mode>0750</mode>\n"
		"      <owner>107</owner>\n"
		"    </permissions>\n"
		"  </target>\n"
		"</pool>\n";
	struct err e;
	char *xml;

	err_init(&e);
	xml = pool_args_xml(&a, &e);
	T_CHECK(xml != NULL && strcmp(xml, want) == 0,
		"pool_args_xml: no <source> when none is given; permissions");
	free(xml);
	err_clear(&e);
}

/* A refusal is a one-line struct err that names the caller. */
static void
pool_refused(struct pool_args a, const char *want)
{
	struct err e;
	struct pool_def *d;

	err_init(&e);
	d = pool_args_def(&a, "pool-define-as", NULL, &e);
	T_CHECK(d == NULL && strcmp(e.msg, want) == 0,
		"refused: \"%s\" (got \"%s\")", want, d ? "accepted" : e.msg);
	pool_def_free(d);
	err_clear(&e);
}

static void
vol_xml(void)
{
	struct vol_args a;
	const char *want =
		"<volume>\n"
		"  <name>v.qcow2</name>\n"
		"  <capacity>1048576</capacity>\n"
		"  <allocation>0</allocation>\n"
		"  <target>\n"
		"    <format type='qcow2'/>\n"
		"  </target>\n"
		"  <backingStore>\n"
		"    <path>/x/base.img</path>\n"
		"    <format type='raw'/>\n"
		"  </backingStore>\n"
		"</volume>\n";
	const char *want_disk =
		"<volume>\n"
		"  <name>sda1</name>\n"
		"  <source>\n"
		"    <device path='/dev/sda'>\n"
		"      <extent start='1048576' end='2097152'/>\n"
		"    </device>\n"
		"  </source>\n"
		"  <capacity>1048576</capacity>\n"
		"  <target>\n"
		"    <permissions>\n"
		"      <mode>0640</mode>\n"
		"    </permissions>\n"
		"  </target>\n"
		"</volume>\n";
	struct vol_def *v;
	struct err e;
	char *xml;

	vol_args_init(&a);
	a.name = "v.qcow2";
	a.capacity = 1048576;
	a.has_allocation = true;
	a.format = "qcow2";
	a.backing_path = "/x/base.img";
	a.backing_format = "raw";
	xml = vol_args_xml(&a);
	if (strcmp(xml, want) != 0)
		printf("# got:\n%s\n", xml);
	T_CHECK(strcmp(xml, want) == 0, "vol_args_xml: vol-create-as's "
		"layout");
	free(xml);
	err_init(&e);
	v = vol_args_def(&a, POOL_DIR, "test", NULL, &e);
	T_CHECK(v != NULL && v->backing != NULL &&
		strcmp(v->target.format, "qcow2") == 0,
		"vol_args_def: a qcow2 over a raw backing file (%s)",
		v ? "ok" : e.msg);
	vol_def_free(v);

	vol_args_init(&a);
	a.name = "sda1";
	a.capacity = 1048576;
	a.device = "/dev/sda";
	a.has_start = true;
	a.start = 1048576;
	a.mode = 0640;
	xml = vol_args_xml(&a);
	if (strcmp(xml, want_disk) != 0)
		printf("# got:\n%s\n", xml);
	T_CHECK(strcmp(xml, want_disk) == 0, "vol_args_xml: a partition's "
		"place and permissions");
	free(xml);
	v = vol_args_def(&a, POOL_DISK, "test", NULL, &e);
	T_CHECK(v != NULL && v->has_want_start && v->want_start == 1048576,
		"vol_args_def: the place asked for (%s)", v ? "ok" : e.msg);
	vol_def_free(v);

	vol_args_init(&a);
	a.name = "x";
	a.format = "vmdk-nonsense";
	v = vol_args_def(&a, POOL_DIR, "vol-create-as", NULL, &e);
	T_CHECK(v == NULL && strstr(e.msg, "vmdk-nonsense") != NULL,
		"vol_args_def: an unknown format is refused (%s)",
		v ? "accepted" : e.msg);
	vol_def_free(v);
	err_clear(&e);
}

static void
clone(void)
{
	struct vol_def *src = vol_def_new(), *nv;

	src->name = strdup("a");
	src->key = strdup("/p/a");
	src->target.path = strdup("/p/a");
	src->target.format = strdup("qcow2");
	src->capacity = 42;
	src->part_num = 3;
	src->extents = calloc(1, sizeof(*src->extents));
	src->extents[0].device = strdup("/dev/sda");
	src->nextents = 1;
	src->backing = calloc(1, sizeof(*src->backing));
	src->backing->path = strdup("/p/base");
	nv = vol_def_clone(src, "b", 0);
	T_CHECK(strcmp(nv->name, "b") == 0 && nv->key == NULL &&
		nv->target.path == NULL && nv->nextents == 0 &&
		nv->part_num == 0 && nv->capacity == 42 &&
		strcmp(nv->target.format, "qcow2") == 0,
		"vol_def_clone: the source's definition, new name, no place");
	T_CHECK(nv->backing == NULL,
		"vol_def_clone: a standalone copy (no backing store)");
	vol_def_free(nv);
	nv = vol_def_clone(src, "c", VOL_CREATE_KEEP_BACKING);
	T_CHECK(nv->backing != NULL && nv->backing->path != NULL &&
		strcmp(nv->backing->path, "/p/base") == 0,
		"vol_def_clone: VOL_CREATE_KEEP_BACKING keeps the backing store");
	vol_def_free(nv);
	vol_def_free(src);
}

/* A preview's secret is its own: the store is never asked. */
static void
preview_secret(void)
{
	struct pool_auth auth = { .type = "chap", .username = "u",
				  .secret_usage = "wizard-preview" };
	struct pool_def *d = pool_def_new(POOL_ISCSI);
	struct pool p = { .def = d, .preview_key = "s3cret",
			  .preview_keylen = 6 };
	struct err e;
	size_t len = 0;
	char *k;

	d->source.auth = &auth;
	err_init(&e);
	k = pool_secret(&p, &len, &e);
	T_CHECK(k != NULL && len == 6 && strcmp(k, "s3cret") == 0,
		"pool_secret: a preview's own secret, no store");
	if (k != NULL)
		secret_free(k, len);
	p.preview_key = NULL;
	k = pool_secret(&p, &len, &e);
	T_CHECK(k == NULL && err_isset(&e), "pool_secret: no store, no "
		"secret: an error (%s)", e.msg);
	err_clear(&e);
	d->source.auth = NULL;
	pool_def_free(d);
}

/* `s` with the first `from` made `to` (malloc'd). */
static char *
str_replace1(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);
	size_t n = strlen(s) + strlen(to) + 1;
	char *r = malloc(n);

	if (at == NULL) {
		snprintf(r, n, "%s", s);
		return r;
	}
	snprintf(r, n, "%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
	return r;
}

/* Replace the edit's file with `text`. */
static void
edit_write(const struct pool_edit *ed, const char *text)
{
	FILE *f = fopen(ed->file, "w");

	if (f != NULL) {
		fputs(text, f);
		fclose(f);
	}
}

/* One edit session from core: unchanged, a refusal that keeps the
 * operator's text, then a change that is defined. */
static void
edit_session(struct cistern *c, struct pool *p)
{
	struct pool_edit ed;
	struct err e;
	char *text, *kept;
	size_t len;
	enum pool_edit_result r;

	err_init(&e);
	if (pool_edit_begin(p, &ed, &e) < 0) {
		T_FAIL("pool_edit_begin: %s", e.msg);
		return;
	}
	T_CHECK(pool_edit_apply(c, &ed, NULL, &e) == POOL_EDIT_UNCHANGED,
		"pool edit: nothing changed");
	text = str_replace1(ed.orig, "<name>default</name>",
			       "<name>other</name>");
	edit_write(&ed, text);
	r = pool_edit_apply(c, &ed, NULL, &e);
	T_CHECK(r == POOL_EDIT_REFUSED &&
		strstr(e.msg, "cannot be changed") != NULL,
		"pool edit: a new name is refused (%s)", e.msg);
	kept = file_read_all(ed.file, 1 << 20, &len, &e);
	T_CHECK(kept != NULL && strcmp(kept, text) == 0,
		"pool edit: the refused text stays for another round");
	free(kept);
	free(text);
	err_clear(&e);
	text = str_replace1(ed.orig, "</target>",
			       "<permissions><mode>0700</mode></permissions>"
			       "</target>");
	edit_write(&ed, text);
	free(text);
	r = pool_edit_apply(c, &ed, NULL, &e);
	p = cistern_find_pool(c, "default");
	T_CHECK(r == POOL_EDIT_DEFINED && p != NULL &&
		p->def->target_perms.mode == 0700,
		"pool edit: a change is defined (%s)", e.msg);
	pool_edit_end(&ed);
	err_clear(&e);
}

/* The default pool from core alone, and a build a job reports as done
 * (JOB_DID_BUILD), which the wizard reads instead of the job's output. */
static void
default_pool_and_did(void)
{
	char dir[] = "/tmp/cistern-build-XXXXXX", cfg[512], img[512];
	struct cistern c;
	struct pool *p;
	struct job j;
	struct err e;
	struct stat st;

	if (mkdtemp(dir) == NULL) {
		T_FAIL("mkdtemp");
		return;
	}
	snprintf(cfg, sizeof(cfg), "%s/cfg", dir);
	snprintf(img, sizeof(img), "%s/images", dir);
	backends_register_all();
	err_init(&e);
	if (cistern_open(&c, cfg, NULL, 0, NULL, NULL, &e) < 0) {
		T_FAIL("cistern_open: %s", e.msg);
		return;
	}
	T_CHECK(pool_create_default(&c, img, &e) == 0,
		"pool_create_default (%s)", e.msg);
	p = cistern_find_pool(&c, "default");
	T_CHECK(p != NULL && p->def->type == POOL_DIR && p->autostart &&
		pool_is_active(p) && strcmp(p->def->target_path, img) == 0 &&
		stat(img, &st) == 0 && S_ISDIR(st.st_mode),
		"the default pool: a dir pool, built, started, autostarted");
	if (p != NULL) {
		pool_stop(&c, p, 0, &e);
		edit_session(&c, p);
		p = cistern_find_pool(&c, "default");
		job_init(&j, NULL, NULL);
		rmdir(img);
		T_CHECK(pool_build(&c, p, 0, &j, &e) == 0 &&
			(j.did & JOB_DID_BUILD),
			"a build's job says it built (%s)", e.msg);
		job_init(&j, NULL, NULL);
		T_CHECK(pool_start(&c, p, 0, &j, &e) == 0 &&
			!(j.did & JOB_DID_BUILD),
			"a plain start's job does not");
		pool_stop(&c, p, 0, &e);
		pool_undefine(&c, p, &e);
	}
	err_clear(&e);
	cistern_close(&c);
	rmdir(img);
	{
		char cmd[600];
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			T_FAIL("cleanup of %s", dir);
	}
}

int
main(void)
{
	pool_xml_full();
	pool_xml_dir_perms();
	pool_refused((struct pool_args){ .type = "dir", .name = "a/b" },
		     "pool-define-as: pool name 'a/b' cannot contain '/'");
	pool_refused((struct pool_args){ .type = "dir", .name = "d",
					 .target_mode = "0700" },
		     "pool-define-as: --target-mode, --target-owner and "
		     "--target-group need --target");
	pool_refused((struct pool_args){ .type = "iscsi", .name = "d",
					 .auth_type = "chap" },
		     "pool-define-as: --auth-type, --auth-username and "
		     "--secret-usage or --secret-uuid go together");
	pool_refused((struct pool_args){ .type = "rbd", .name = "d",
					 .auth_type = "ceph",
					 .auth_username = "u",
					 .secret_usage = "a",
					 .secret_uuid = "b" },
		     "pool-define-as: give --secret-usage or --secret-uuid, "
		     "not both");
	vol_xml();
	clone();
	preview_secret();
	default_pool_and_did();
	return t_done();
}
