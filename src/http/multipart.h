/* multipart.h: a strict, streaming reader of multipart/form-data bodies
 * (RFC 7578, the delimiters of RFC 2046), for forms that send files: the
 * body is fed as it arrives, a piece of any size at a time, and each
 * part's head and bytes are handed on at once, so that a file of any size
 * passes through a few kilobytes of memory.
 *
 * Strict: the body must begin with its first delimiter (no preamble);
 * every part has a Content-Disposition of form-data with a name; heads
 * are at most MULTIPART_HEAD_MAX bytes of ASCII; a delimiter is followed
 * by CRLF or, for the last, "--" (and at most a CRLF after it). Anything
 * else is ERR_INVALID with the reason in m->why. */
#ifndef CINEMATECA_MULTIPART_H
#define CINEMATECA_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>

#define MULTIPART_BOUNDARY_MAX 70	/* RFC 2046 */
#define MULTIPART_HEAD_MAX 4096		/* bytes of one part's head */
#define MULTIPART_NAME_MAX 256		/* bytes of a name or file name */

/* A part's head, as given to the part callback. */
struct multipart_part {
	char name[MULTIPART_NAME_MAX + 1];	/* the field's name */
	char filename[MULTIPART_NAME_MAX + 1];	/* the file's name ("" if none) */
	bool has_filename;			/* a filename parameter was sent */
	char type[128];				/* Content-Type, "" if none */
};

/* Callbacks return 0 to go on or a negative ERR_* (or any non-zero) to
 * stop: multipart_feed then returns it. */
struct multipart_cb {
	int (*part)(void *arg, const struct multipart_part *p);	/* a part begins */
	int (*data)(void *arg, const char *data, size_t n);	/* its next bytes */
	int (*end)(void *arg);					/* it ended */
	void *arg;
};

enum multipart_state { MP_START, MP_AFTER_DELIM, MP_AFTER_DELIM2, MP_HEAD, MP_BODY,
		       MP_CLOSE, MP_CLOSE2, MP_DONE, MP_FAILED };

struct multipart {
	struct multipart_cb cb;
	char delim[MULTIPART_BOUNDARY_MAX + 5];	/* CRLF "--" boundary */
	size_t dlen;
	size_t match;		/* bytes of delim matched so far */
	enum multipart_state state;
	char head[MULTIPART_HEAD_MAX + 1];	/* the current part's head so far */
	size_t hlen;
	char last;		/* the byte before, in MP_AFTER_DELIM and MP_CLOSE */
	const char *why;	/* why it failed (a literal), or NULL */
};

/* multipart_init reads the boundary from a Content-Type value
 * ("multipart/form-data; boundary=..."), quoted or not. Returns 0, or
 * ERR_INVALID with m->why when it is no such type or has no valid
 * boundary. */
int multipart_init(struct multipart *m, const char *content_type, const struct multipart_cb *cb);

/* multipart_feed reads the next n bytes of the body. Returns 0, ERR_INVALID
 * (m->why says why), or what a callback stopped with. After a failure
 * every later call fails the same way. */
int multipart_feed(struct multipart *m, const char *data, size_t n);

/* multipart_finish says whether the body ended where it may: after its
 * last delimiter. Returns 0 or ERR_INVALID (m->why). */
int multipart_finish(struct multipart *m);

#endif
