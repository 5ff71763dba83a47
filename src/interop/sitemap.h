/* sitemap.h: what search engines read: /sitemap.xml (the public records'
 * pages with their last change, as a sitemap index of /sitemap-N.xml
 * parts past SITEMAP_MAX_URLS) and /robots.txt (what not to crawl, and
 * where the sitemap is). Handlers are declared by routes.def. */
#ifndef CINEMATECA_SITEMAP_H
#define CINEMATECA_SITEMAP_H

/* URLs in one sitemap file: the protocol's limit. The environment variable
 * CINEMATECA_SITEMAP_URLS (1 to this) lowers it, so that a test can see
 * the index without 50,000 records. */
#define SITEMAP_MAX_URLS 50000

/* The largest sitemap file we build: 50,000 URLs of the longest base_url
 * (511 bytes), type and slug (80) with their lastmod fit in 40 MiB; the
 * protocol allows 50 MB. */
#define SITEMAP_BODY_MAX (40u << 20)

/* sitemap_cut returns the URLs per sitemap file in force: SITEMAP_MAX_URLS,
 * or CINEMATECA_SITEMAP_URLS when that is a number from 1 to it. */
long long sitemap_cut(void);

#endif
