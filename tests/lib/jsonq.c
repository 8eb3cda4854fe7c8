/* jsonq — a tiny JSON query for tests: reads JSON on stdin, exits 1 if it
 * is not valid JSON, prints the value at each dotted path argument
 * ("0.name", "length", "capacity"; "length" of an array is its size). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

int
main(int argc, char **argv)
{
	struct json_tokener *tok = json_tokener_new();
	char buf[65536];
	size_t n;
	json_object *root = NULL;
	enum json_tokener_error jerr = json_tokener_continue;
	char *all = NULL;
	size_t len = 0;

	while ((n = fread(buf, 1, sizeof(buf), stdin)) > 0) {
		all = realloc(all, len + n + 1);
		memcpy(all + len, buf, n);
		len += n;
	}
	if (all == NULL)
		return 1;
	all[len] = '\0';
	root = json_tokener_parse_ex(tok, all, (int)len);
	jerr = json_tokener_get_error(tok);
	if (root == NULL || jerr != json_tokener_success) {
		fprintf(stderr, "jsonq: invalid JSON: %s\n",
			json_tokener_error_desc(jerr));
		return 1;
	}
	for (int i = 1; i < argc; i++) {
		json_object *o = root;
		char *path = strdup(argv[i]), *save = NULL;
		for (char *k = strtok_r(path, ".", &save); k && o;
		     k = strtok_r(NULL, ".", &save)) {
			if (json_object_is_type(o, json_type_array)) {
				if (strcmp(k, "length") == 0) {
					printf("%zu\n", json_object_array_length(o));
					o = NULL;
					break;
				}
				o = json_object_array_get_idx(o, (size_t)atoi(k));
			} else if (!json_object_object_get_ex(o, k, &o)) {
				o = NULL;
			}
		}
		if (o == NULL && strstr(argv[i], "length") != NULL)
			;   /* printed above */
		else if (o == NULL)
			printf("null\n");
		else if (json_object_is_type(o, json_type_string))
			printf("%s\n", json_object_get_string(o));
		else
			printf("%s\n", json_object_to_json_string(o));
		free(path);
	}
	json_object_put(root);
	json_tokener_free(tok);
	free(all);
	return 0;
}
