/* sitemap.c: /sitemap.xml, its parts, and /robots.txt (see sitemap.h).
 *
 * The sitemap lists only what an anonymous visitor may read, whoever asks:
 * the queries run with an anonymous principal, so the one policy decides
 * (a logged-in archivist's crawler-like fetch must not publish private
 * slugs). Absolute URLs start with base_url, else the request's Host. */
#include "sitemap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "access/policy.h"
#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "db/api_q.h"
#include "db/db.h"
#include "http/req.h"
#include "interop/xml.h"

long long sitemap_cut(void)
{
	const char *v = getenv("CINEMATECA_SITEMAP_URLS");
	unsigned long long n;

	if (v && str_parse_u64(v, SITEMAP_MAX_URLS, &n) && n > 0)
		return (long long)n;
	return SITEMAP_MAX_URLS;
}

/* begin: the base URL, a bigger body, the anonymous reader. Returns 0 or
 * the failed request's status. */
static int begin(struct req *rq, char *base, size_t n, struct principal *anon)
{
	int rc = req_base_url(rq, base, n);

	if (rc)
		return req_fail(rq, rc == ERR_INVALID ? 400 : 500,
				"The sitemap needs the site's address: set base_url in "
				"cinemateca.conf, or send a Host header.");
	buf_free(&rq->body);
	buf_init(&rq->body, SITEMAP_BODY_MAX);
	policy_anonymous(anon);
	rq->db->principal = anon;
	rq->content_type = "application/xml; charset=utf-8";
	/* the same for everyone: shared caches may keep it a while */
	req_header(rq, "Cache-Control", "public, max-age=3600");
	return 0;
}

/* urlset writes the sitemap of the public records from offset, at most limit. */
static int urlset(struct req *rq, const char *base, long long limit, long long offset)
{
	struct buf *b = &rq->body;
	sqlite3_stmt *st = apq_sitemap(rq->db, limit, offset);
	int rc;

	if (!st)
		return req_fail(rq, 500, NULL);
	buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	while ((rc = db_step(rq->db, st)) == 1) {
		buf_puts(b, "<url><loc>");
		xml_text(b, base);
		buf_putc(b, '/');
		xml_text(b, db_text(st, 0));
		buf_putc(b, '/');
		xml_text(b, db_text(st, 1));
		buf_puts(b, "</loc><lastmod>");
		xml_text(b, db_text(st, 2));
		buf_puts(b, "</lastmod></url>\n");
	}
	sqlite3_reset(st);
	if (rc < 0)
		return req_fail(rq, 500, NULL);
	buf_puts(b, "</urlset>\n");
	if (b->err)
		rq->cause = "the sitemap is larger than SITEMAP_BODY_MAX, or out of memory";
	return 200;
}

int page_sitemap(struct req *rq)
{
	char base[600];
	struct principal anon;
	const struct principal *was = rq->db->principal;
	long long n, cut = sitemap_cut();
	int status;

	if ((status = begin(rq, base, sizeof base, &anon)))
		goto out;
	n = apq_sitemap_count(rq->db);
	if (n < 0) {
		status = req_fail(rq, 500, NULL);
		goto out;
	}
	if (n <= cut) {
		status = urlset(rq, base, cut, 0);
		goto out;
	}
	/* past the cut: an index of parts of cut URLs each */
	buf_puts(&rq->body, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<sitemapindex xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n");
	for (long long k = 1; (k - 1) * cut < n; k++) {
		buf_puts(&rq->body, "<sitemap><loc>");
		xml_text(&rq->body, base);
		buf_printf(&rq->body, "/sitemap-%lld.xml</loc></sitemap>\n", k);
	}
	buf_puts(&rq->body, "</sitemapindex>\n");
	status = 200;
out:
	rq->db->principal = was;
	return status;
}

int page_sitemap_part(struct req *rq)
{
	char base[600];
	struct principal anon;
	const struct principal *was = rq->db->principal;
	unsigned long long k;
	long long n, cut = sitemap_cut();
	size_t len = strlen(rq->slug);
	char num[24];
	int status;

	/* "N.xml", N from 1, no leading zero */
	if (len < 5 || len - 4 >= sizeof num || strcmp(rq->slug + len - 4, ".xml") != 0 ||
	    rq->slug[0] == '0')
		return req_fail(rq, 404, NULL);
	memcpy(num, rq->slug, len - 4);
	num[len - 4] = '\0';
	if (!str_parse_u64(num, (unsigned long long)1 << 40, &k) || k == 0)
		return req_fail(rq, 404, NULL);
	if ((status = begin(rq, base, sizeof base, &anon)))
		goto out;
	n = apq_sitemap_count(rq->db);
	if (n < 0) {
		status = req_fail(rq, 500, NULL);
		goto out;
	}
	/* a part exists only while the sitemap is an index, and only up to its last */
	if (n <= cut || (long long)(k - 1) * cut >= n) {
		status = req_fail(rq, 404, "No such part of the sitemap: /sitemap.xml lists them.");
		goto out;
	}
	status = urlset(rq, base, cut, (long long)(k - 1) * cut);
out:
	rq->db->principal = was;
	return status;
}

int page_robots(struct req *rq)
{
	char base[600];

	rq->content_type = "text/plain; charset=utf-8";
	buf_puts(&rq->body, "# cinemateca: what crawlers may read, and the sitemap of public records\n"
		 "User-agent: *\n"
		 "Disallow: /admin\n"
		 "Disallow: /login\n"
		 "Disallow: /screener/\n"
		 "Disallow: /search\n"
		 "Disallow: /api/\n"
		 "Allow: /\n");
	/* the Sitemap line needs an absolute URL; without one there is none */
	if (req_base_url(rq, base, sizeof base) == 0) {
		buf_puts(&rq->body, "Sitemap: ");
		buf_puts(&rq->body, base);
		buf_puts(&rq->body, "/sitemap.xml\n");
	}
	return 200;
}
