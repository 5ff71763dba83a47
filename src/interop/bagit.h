/* bagit.h: the text of a BagIt 1.0 bag (RFC 8493): its manifests, its
 * bag-info.txt, bagit.txt and the paths they name. Only parsing and
 * writing of text here: no file is opened, so the parser can be fuzzed and
 * the rules of what a path in a bag may be are in one place. Walking,
 * hashing and ingesting a bag are in preserve/bag.c. */
#ifndef CINEMATECA_BAGIT_H
#define CINEMATECA_BAGIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct buf;

/* The checksum algorithms a bag may use that we read (RFC 8493 2.4). */
enum bagit_algo { BAGIT_MD5, BAGIT_SHA1, BAGIT_SHA256, BAGIT_SHA512, BAGIT_NALGO };

/* bagit_algo_name: "md5", "sha1", "sha256", "sha512" (as in file names). */
const char *bagit_algo_name(enum bagit_algo a);
/* bagit_algo_hexlen: hex digits of a checksum of that algorithm. */
size_t bagit_algo_hexlen(enum bagit_algo a);

#define BAGIT_PATH_MAX 4096	/* bytes of a path in a bag, decoded */
#define BAGIT_LINE_MAX 65536	/* bytes of one line of a tag file */

/* One manifest line: its number, its checksum (lowercase hex, NUL-ended)
 * and its path (decoded, checked with bagit_path_check). Returns 0 to go
 * on, or a negative ERR_* that stops the parse and is returned by it (the
 * callback writes its own message into err). */
typedef int (*bagit_entry_fn)(void *arg, int line, const char *hex, const char *path,
			      char *err, size_t errlen);

/* bagit_manifest_parse reads a manifest of algorithm a ("CHECKSUM PATH"
 * per line, LF, CRLF or CR ended, the path percent-decoded for %0A, %0D
 * and %25). payload: every path must be under data/ (a payload manifest),
 * else none may be (a tag manifest). Returns 0, the callback's error, or
 * ERR_INVALID with "line N: why" in err. */
int bagit_manifest_parse(const char *text, size_t len, enum bagit_algo a, bool payload,
			 bagit_entry_fn fn, void *arg, char *err, size_t errlen);

/* One "Label: value" element of bag-info.txt or bagit.txt (continuation
 * lines joined with one space). Same contract as bagit_entry_fn. */
typedef int (*bagit_tag_fn)(void *arg, int line, const char *label, const char *value,
			    char *err, size_t errlen);

/* bagit_tags_parse reads a tag file of labelled elements. Returns 0, the
 * callback's error, or ERR_INVALID with "line N: why" in err. */
int bagit_tags_parse(const char *text, size_t len, bagit_tag_fn fn, void *arg, char *err,
		     size_t errlen);

/* bagit_declaration_check reads bagit.txt: BagIt-Version 1.0 or 0.97 and
 * Tag-File-Character-Encoding UTF-8, nothing else. 0, or ERR_INVALID with
 * why in err. */
int bagit_declaration_check(const char *text, size_t len, char *err, size_t errlen);

/* bagit_path_check: 0 when path (decoded) may name a file inside a bag:
 * relative, no empty, "." or ".." part, no backslash, no control
 * character, valid UTF-8, at most BAGIT_PATH_MAX bytes; else ERR_INVALID
 * with why in err. Names with spaces and any other letters are fine. */
int bagit_path_check(const char *path, char *err, size_t errlen);

/* bagit_path_encode appends path as a manifest writes it (%, CR and LF
 * percent-encoded). Returns buf_append's result. */
int bagit_path_encode(struct buf *b, const char *path);

/* bagit_oxum_parse reads a Payload-Oxum value "OCTETS.COUNT": true with
 * both, false if it is not two decimal numbers joined by a dot. */
bool bagit_oxum_parse(const char *v, uint64_t *octets, uint64_t *count);

/* bagit_size_human writes a Bag-Size value ("1.2 GB", "340 KB", "12 bytes"). */
void bagit_size_human(uint64_t bytes, char out[32]);

#endif
