/* fuzz_probe.c: libFuzzer target for probe_file(), which hands every
 * ingested file to libavformat and sniffs the ones it does not read. Each
 * input is written to a temporary file and probed. Checks: no crash or
 * leak; the result is one of the documented outcomes; a success gives a
 * JSON object with a streams array, a refusal gives no JSON; the MIME
 * type is always set and NUL-terminated. */
#include <jansson.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/err.h"
#include "ingest/probe.h"

static char path[64];

static void remove_input(void)
{
	unlink(path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd;

	(void)argc;
	(void)argv;
	snprintf(path, sizeof path, "/tmp/cinemateca-fuzz-probe-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0)
		abort();
	close(fd);
	atexit(remove_input);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char mime[64], *techmd = (char *)1;
	FILE *f = fopen(path, "wb");
	int rc;

	if (!f || fwrite(data, 1, size, f) != size || fclose(f) != 0)
		abort();
	memset(mime, 'x', sizeof mime);
	rc = probe_file(path, &techmd, mime);
	if (memchr(mime, '\0', sizeof mime) == NULL || mime[0] == '\0')
		abort();
	if (rc == 0) {
		json_t *root = techmd ? json_loads(techmd, 0, NULL) : NULL;
		if (!json_is_object(root) || !json_is_array(json_object_get(root, "streams")))
			abort();
		json_decref(root);
		free(techmd);
	} else if (rc == ERR_INVALID || rc == ERR_IO) {
		if (techmd != NULL)
			abort();
	} else {
		abort();
	}
	return 0;
}
