/* jsonld.h: schema.org descriptions of records for search engines, as
 * JSON-LD for a <script type="application/ld+json"> data block in the
 * record's page. A data block is never run, so the site's
 * Content-Security-Policy (script-src 'self') needs no exception for it;
 * what it needs is that no catalogue string can end the element. */
#ifndef CINEMATECA_JSONLD_H
#define CINEMATECA_JSONLD_H

struct req;
struct buf;

/* jsonld_work appends to b the schema.org Movie of work id (its page is
 * /work/slug, label its title in the page's language): other titles,
 * year, language, country, duration, the description in the page's
 * language, and its credits (director, author, musicBy, producer,
 * publisher, actor; other roles as contributor Roles), only the credited
 * agents the reader may read. Every '<', '>' and '&' is written as a \u
 * escape, so the text cannot close the script element or open a comment.
 * Returns 0, or a negative ERR_* (b's own error when it filled up). */
int jsonld_work(struct req *rq, struct buf *b, const char *id, const char *slug,
		const char *label, const char *date);

#endif
