/* screener.h: screener links in the browser. Opening /screener/TOKEN binds
 * the link to that one browser (a random key in a cookie, its hash in the
 * catalogue); later requests from that browser read the one work. */
#ifndef CINEMATECA_WEB_SCREENER_H
#define CINEMATECA_WEB_SCREENER_H

struct req;

/* screener_principal adds the work of a live, bound screener cookie to
 * rq->principal and logs the use; anything else is ignored. */
void screener_principal(struct req *rq, long long now);

#endif
