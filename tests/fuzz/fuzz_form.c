/* fuzz_form.c: libFuzzer target for what a browser sends that the access
 * and media code read: urlencoded form bodies, the Cookie header, screener
 * tokens, Range headers and the player's ?t= moments (never negative,
 * never past 100 hours). Checks: no crash or leak; decoded fields are valid UTF-8 with
 * no NUL inside; a token that verifies re-signs to itself. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "access/auth.h"
#include "core/str.h"
#include "http/range.h"
#include "http/req.h"
#include "web/player.h"

static const char secret[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct req rq = {0};
	char *text = malloc(size + 1), v[128], id[UUID_STR_LEN + 1];
	char again[SCREENER_TOKEN_MAX];
	long long expires;

	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	if (req_parse_form(&rq, text, size) == 0) {
		for (int i = 0; i < rq.nform; i++) {
			const char *k = rq.form[i].name, *val = rq.form[i].value;
			if (!str_utf8_valid(k, strlen(k)) || !str_utf8_valid(val, strlen(val)))
				abort();
		}
	}
	free(rq.form_buf);
	{
		uint64_t body = size % 2 ? 10000 : (uint64_t)size * 7;
		struct range_set set;
		enum range_result r = range_parse(text, body, &set);
		/* every range inside the body, ascending, apart */
		if ((r == RANGE_ONE && set.n != 1) || (r == RANGE_MANY && set.n < 2))
			abort();
		for (int i = 0; (r == RANGE_ONE || r == RANGE_MANY) && i < set.n; i++)
			if (set.first[i] > set.last[i] || set.last[i] >= body ||
			    (i && set.first[i] <= set.last[i - 1] + 1))
				abort();
	}
	{
		long long ms = player_parse_t(text);
		if (ms < -1 || ms > 100LL * 3600 * 1000)
			abort();
	}
	rq.cookie = text;
	req_cookie(&rq, "sid", v, sizeof v);
	req_cookie(&rq, "screener", v, sizeof v);
	if (screener_verify(secret, text, id, &expires) == 0) {
		if (screener_sign(secret, id, expires, again) || strcmp(again, text) != 0)
			abort();
	}
	free(text);
	return 0;
}
