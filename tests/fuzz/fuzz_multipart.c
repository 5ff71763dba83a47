/* fuzz_multipart.c: libFuzzer target for the streaming multipart/form-data
 * reader (http/multipart.c), which reads the upload form's bodies. The
 * input's first byte chooses a piece size; the rest is the body, with the
 * boundary "XyZ". Checks: no crash or leak; the body read whole and read
 * in pieces gives the same parts, bytes and outcome (streaming changes
 * nothing); part names are valid UTF-8. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "http/multipart.h"

static int on_part(void *arg, const struct multipart_part *p)
{
	struct buf *b = arg;

	if (!str_utf8_valid(p->name, strlen(p->name)) || !p->name[0])
		abort();
	buf_printf(b, "<part %s|%s|%d|%s>", p->name, p->filename, p->has_filename, p->type);
	return 0;
}

static int on_data(void *arg, const char *data, size_t n)
{
	return buf_append(arg, data, n) ? -100 : 0;
}

static int on_end(void *arg)
{
	return buf_puts(arg, "<end>") ? -100 : 0;
}

/* run reads body in pieces of step bytes (0: whole) into out; returns
 * the outcome: feed's first error, else finish's. */
static int run(const uint8_t *body, size_t n, size_t step, struct buf *out)
{
	struct multipart m;
	struct multipart_cb cb = {on_part, on_data, on_end, out};
	int rc;

	if (multipart_init(&m, "multipart/form-data; boundary=XyZ", &cb))
		abort();
	if (!step)
		step = n ? n : 1;
	for (size_t i = 0; i < n; i += step) {
		size_t k = n - i < step ? n - i : step;
		if ((rc = multipart_feed(&m, (const char *)body + i, k)))
			return rc;
	}
	return multipart_finish(&m);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf whole, pieces;
	int a, b;

	if (size < 1)
		return 0;
	buf_init(&whole, 1 << 20);
	buf_init(&pieces, 1 << 20);
	a = run(data + 1, size - 1, 0, &whole);
	b = run(data + 1, size - 1, 1 + data[0] % 13, &pieces);
	if (a == -100 || b == -100)
		goto out;	/* the output cap, not the reader */
	/* a failure stops at the first bad byte either way; what was handed
	 * on before it is the same */
	if (a != b || whole.len != pieces.len || memcmp(buf_str(&whole), buf_str(&pieces), whole.len))
		abort();
out:
	buf_free(&whole);
	buf_free(&pieces);
	return 0;
}
