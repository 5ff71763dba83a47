/* test_auth.c: screener signatures, passwords, tokens, and the request
 * helpers that read what a browser sends (forms, cookies). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "access/auth.h"
#include "core/err.h"
#include "http/req.h"

static const char secret[] = "000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char other[] = "ff0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f";
static const char sid[] = "01a20608-2a46-7000-b36f-87a1208d84b9";

static void screener_round_trip(void **state)
{
	char token[SCREENER_TOKEN_MAX], id[UUID_STR_LEN + 1];
	long long expires = 0;

	(void)state;
	assert_int_equal(screener_sign(secret, sid, 1796002328LL, token), 0);
	assert_memory_equal(token, sid, UUID_STR_LEN);
	assert_int_equal(screener_verify(secret, token, id, &expires), 0);
	assert_string_equal(id, sid);
	assert_int_equal(expires, 1796002328LL);
	/* the same input signs the same way; another secret does not verify */
	char again[SCREENER_TOKEN_MAX];
	screener_sign(secret, sid, 1796002328LL, again);
	assert_string_equal(token, again);
	assert_int_equal(screener_verify(other, token, id, &expires), ERR_INVALID);
}

static void screener_tampering(void **state)
{
	char token[SCREENER_TOKEN_MAX], bad[SCREENER_TOKEN_MAX + 8], id[UUID_STR_LEN + 1];
	long long expires;

	(void)state;
	screener_sign(secret, sid, 1796002328LL, token);
	/* every single changed character is refused */
	for (size_t i = 0; i < strlen(token); i++) {
		if (token[i] == '.' || token[i] == '-')
			continue;
		snprintf(bad, sizeof bad, "%s", token);
		bad[i] = bad[i] == '1' ? '2' : '1';
		assert_int_equal(screener_verify(secret, bad, id, &expires), ERR_INVALID);
	}
	/* a later expiry with the old signature */
	snprintf(bad, sizeof bad, "%s.1896002328%s", sid, strrchr(token, '.'));
	assert_int_equal(screener_verify(secret, bad, id, &expires), ERR_INVALID);
	static const char *const junk[] = {
		"", ".", "..", "abc", "01a20608-2a46-7000-b36f-87a1208d84b9",
		"01a20608-2a46-7000-b36f-87a1208d84b9..", "01a20608-2a46-7000-b36f-87a1208d84b9.-1.00",
		"01a20608-2a46-7000-b36f-87a1208d84b9.99999999999999999999999.00",
		"zza20608-2a46-7000-b36f-87a1208d84b9.1.00",
	};
	for (size_t i = 0; i < sizeof junk / sizeof junk[0]; i++)
		assert_int_equal(screener_verify(secret, junk[i], id, &expires), ERR_INVALID);
	assert_int_equal(screener_verify("not hex", token, id, &expires), ERR_INVALID);
}

static void passwords(void **state)
{
	char hash[AUTH_HASH_MAX], hash2[AUTH_HASH_MAX];

	(void)state;
	assert_int_equal(auth_hash_password("correct horse", hash), 0);
	assert_non_null(strstr(hash, "$argon2id$"));
	assert_true(auth_check_password(hash, "correct horse"));
	assert_false(auth_check_password(hash, "correct horsE"));
	assert_false(auth_check_password(hash, ""));
	assert_int_equal(auth_hash_password("correct horse", hash2), 0);
	assert_string_not_equal(hash, hash2);	/* salted */
	assert_false(auth_check_password("garbage", "correct horse"));
}

static void tokens(void **state)
{
	char a[AUTH_TOKEN_HEX + 1], b[AUTH_TOKEN_HEX + 1], h[AUTH_TOKEN_HEX + 1];

	(void)state;
	auth_random_token(a);
	auth_random_token(b);
	assert_int_equal(strlen(a), AUTH_TOKEN_HEX);
	assert_string_not_equal(a, b);
	auth_token_hash(a, h);
	assert_int_equal(strlen(h), AUTH_TOKEN_HEX);
	assert_string_not_equal(a, h);
	assert_true(auth_equal(a, a));
	assert_false(auth_equal(a, b));
	assert_false(auth_equal("abc", "abcd"));
}

static void forms(void **state)
{
	struct req rq = {0};

	(void)state;
	static const char body[] = "a=1&b=do%C3%B1a+helena&c&&d=&e=%3Cx%3E";
	assert_int_equal(req_parse_form(&rq, body, strlen(body)), 0);
	assert_int_equal(rq.nform, 5);
	assert_string_equal(req_form(&rq, "a"), "1");
	assert_string_equal(req_form(&rq, "b"), "doña helena");
	assert_string_equal(req_form(&rq, "c"), "");
	assert_string_equal(req_form(&rq, "d"), "");
	assert_string_equal(req_form(&rq, "e"), "<x>");
	assert_null(req_form(&rq, "f"));
	assert_int_equal(req_parse_form(&rq, "text=line%0D%0Aline", strlen("text=line%0D%0Aline")), 0);
	assert_string_equal(req_form(&rq, "text"), "line\r\nline");
	static const char *const bad[] = {"a=%", "a=%4", "a=%zz", "a=%00", "a=%FF", "a=%01",
					  "%C3=1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		assert_int_equal(req_parse_form(&rq, bad[i], strlen(bad[i])), ERR_INVALID);
	char many[REQ_MAX_FORM * 4 + 8] = "";
	size_t n = 0;
	for (int i = 0; i <= REQ_MAX_FORM; i++)
		n += (size_t)snprintf(many + n, sizeof many - n, "a=1&");
	assert_int_equal(req_parse_form(&rq, many, n), ERR_INVALID);
	free(rq.form_buf);
}

static void cookies(void **state)
{
	struct req rq = {0};
	char v[80];

	(void)state;
	rq.cookie = "lang=en; sid=abc123; xsid=nope;screener=id.key";
	assert_true(req_cookie(&rq, "sid", v, sizeof v));
	assert_string_equal(v, "abc123");
	assert_true(req_cookie(&rq, "screener", v, sizeof v));
	assert_string_equal(v, "id.key");
	assert_true(req_cookie(&rq, "lang", v, sizeof v));
	assert_string_equal(v, "en");
	assert_false(req_cookie(&rq, "id", v, sizeof v));
	assert_false(req_cookie(&rq, "sid", v, 3));	/* does not fit */
	rq.cookie = NULL;
	assert_false(req_cookie(&rq, "sid", v, sizeof v));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(screener_round_trip),
		cmocka_unit_test(screener_tampering),
		cmocka_unit_test(passwords),
		cmocka_unit_test(tokens),
		cmocka_unit_test(forms),
		cmocka_unit_test(cookies),
	};
	return cmocka_run_group_tests_name("auth", tests, NULL, NULL);
}
