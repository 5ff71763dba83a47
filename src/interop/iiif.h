/* iiif.h: IIIF Presentation 3.0 and Content Search 2.0, so that IIIF
 * viewers elsewhere (Mirador, Universal Viewer, a museum's own) show the
 * archive's films with their subtitles and its documents page by page:
 *   /iiif/manifest/SLUG      a work with a playable film, or a document
 *                            with page images (?t=SECONDS: start there)
 *   /iiif/collection/SLUG    a collection: its collections and manifests
 *   /iiif/collection         the whole archive, from the top
 *   /iiif/search/SLUG?q=     Content Search 2.0 in the lines said
 *   /iiif/autocomplete/SLUG?q=  the words of those lines that begin so
 * Each handler answers what the asker may read, a 404 (as JSON) for a
 * record it may not, as the pages do. */
#ifndef CINEMATECA_IIIF_H
#define CINEMATECA_IIIF_H

#define IIIF_HITS_PER_PAGE 100	/* search hits on one page; `next` links the rest */
#define IIIF_TERMS_MAX 20	/* autocomplete offers the most said words, at most this many */

struct req;

/* Route handlers (routes.def): each fills rq's body with JSON and returns
 * the HTTP status; an error is a JSON object {"status", "error"} saying
 * what was wrong. */
int iiif_manifest(struct req *rq);
int iiif_collection(struct req *rq);
int iiif_archive(struct req *rq);
int iiif_search(struct req *rq);
int iiif_autocomplete(struct req *rq);

#endif
