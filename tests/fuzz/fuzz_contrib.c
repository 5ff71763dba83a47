/* fuzz_contrib.c: libFuzzer target for what a contributor types: moments
 * (contrib_parse_time) and regions (contrib_parse_xywh). Checks: no crash;
 * a moment is never negative nor past 100 hours, and one written back as
 * h:mm:ss.mmm reads the same; a region is within its bounds and written
 * back reads the same. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog/contrib.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1), again[64];
	long long ms, v[4], w[4];

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ms = contrib_parse_time(text);
	if (ms < -1 || ms > 100LL * 3600 * 1000)
		abort();
	if (ms >= 0) {
		snprintf(again, sizeof again, "%lld:%02lld:%02lld.%03lld", ms / 3600000,
			 ms / 60000 % 60, ms / 1000 % 60, ms % 1000);
		if (contrib_parse_time(again) != ms)
			abort();
	}
	if (contrib_parse_xywh(text, v) == 0) {
		for (int i = 0; i < 4; i++)
			if (v[i] < (i < 2 ? 0 : 1) || v[i] > CONTRIB_COORD_MAX)
				abort();
		snprintf(again, sizeof again, "%lld,%lld,%lld,%lld", v[0], v[1], v[2], v[3]);
		if (contrib_parse_xywh(again, w) != 0 || memcmp(v, w, sizeof v) != 0)
			abort();
	}
	free(text);
	return 0;
}
