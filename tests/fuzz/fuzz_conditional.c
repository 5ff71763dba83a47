/* fuzz_conditional.c: the conditional-request headers a client sends for
 * /media and the built-in files, Range and If-None-Match, parsed as sent.
 * Neither parser may crash, and what Range answers must be sendable: each
 * range inside the body, in ascending order, none touching the next. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "http/etag.h"
#include "http/range.h"

static void ranges_sound(const char *h, uint64_t size)
{
	struct range_set set;
	enum range_result r = range_parse(h, size, &set);

	if (r == RANGE_ONE && set.n != 1)
		abort();
	if (r == RANGE_MANY && set.n < 2)
		abort();
	if (r != RANGE_ONE && r != RANGE_MANY)
		return;
	for (int i = 0; i < set.n; i++) {
		if (set.first[i] > set.last[i] || set.last[i] >= size)
			abort();
		if (i && set.first[i] <= set.last[i - 1] + 1)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	ranges_sound(text, 0);
	ranges_sound(text, 1);
	ranges_sound(text, 10000);
	ranges_sound(text, UINT64_MAX);
	/* a header naming our tag matches; one without a quote never does,
	 * but for a bare star */
	(void)etag_none_match_hit(text, "\"abc\"");
	if (!strchr(text, '"') && !strchr(text, '*') && etag_none_match_hit(text, "\"abc\""))
		abort();
	(void)etag_none_match_hit("\"abc\"", text);
	free(text);
	return 0;
}
