/* buf.h: a growable byte buffer with a hard maximum size.
 *
 * Modelled on curl's dynbuf: buf_init() cannot fail; an append that would
 * pass the maximum or that cannot allocate frees the buffer and returns an
 * error, so callers can simply return it. The contents are always
 * NUL-terminated, so b->data is a C string whenever nothing binary was added. */
#ifndef CINEMATECA_BUF_H
#define CINEMATECA_BUF_H

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;	/* NUL-terminated contents, NULL until the first append */
	size_t len;	/* bytes used, not counting the NUL */
	size_t cap;	/* bytes allocated */
	size_t max;	/* appends that would make len exceed this fail */
	int err;	/* first failure (ERR_*), sticky: later appends do nothing */
};

/* buf_init prepares an empty buffer that may hold at most max bytes. */
void buf_init(struct buf *b, size_t max);

/* buf_free releases the contents; the buffer stays usable (empty, and
 * its error, if any, is kept). */
void buf_free(struct buf *b);

/* buf_reset empties the buffer, keeps its allocation, clears the error. */
void buf_reset(struct buf *b);

/* buf_append adds n bytes. Returns 0, or ERR_NOMEM / ERR_TOOBIG after
 * freeing the buffer. */
int buf_append(struct buf *b, const void *p, size_t n);

/* buf_puts adds a C string; same contract as buf_append. */
int buf_puts(struct buf *b, const char *s);

/* buf_putc adds one byte; same contract as buf_append. */
int buf_putc(struct buf *b, char c);

/* buf_printf appends printf-formatted text (no escaping: use html.h for
 * markup); same contract as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

/* buf_str returns the contents as a string, "" when empty. */
const char *buf_str(const struct buf *b);

/* buf_steal hands the allocation to the caller (who frees it) and leaves
 * the buffer empty. Returns NULL when nothing was ever appended. */
char *buf_steal(struct buf *b);

#endif
