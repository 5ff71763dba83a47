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

#include <jansson.h>

struct req;

/* Route handlers (routes.def): each fills rq's body with JSON and returns
 * the HTTP status; an error is a JSON object {"status", "error"} saying
 * what was wrong. */
int iiif_manifest(struct req *rq);
int iiif_collection(struct req *rq);
int iiif_archive(struct req *rq);
int iiif_search(struct req *rq);
int iiif_autocomplete(struct req *rq);

/* ---- the IIIF Authorization Flow 2.0 (interop/iiif_auth.c) --------
 * A file that not everyone may read carries, in a manifest, a probe
 * service with an access service (profile "active": the login page) and
 * an access token service and a logout service inside it:
 *   /iiif/probe/FILE-ID   what the asker may do with the file, as
 *                         AuthProbeResult2: status 200, 401 (nobody is
 *                         signed in) or 403 (signed in, not allowed); a
 *                         file that does not exist answers as one the
 *                         asker may not read. The asker is the account or
 *                         screener holder of "Authorization: Bearer
 *                         TOKEN" from the token service, else the
 *                         request's own cookies; the policy decides.
 *   /iiif/access?origin=  a window where the visitor signs in; it closes
 *                         itself once someone is signed in
 *   /iiif/token?messageId=&origin=  in a frame of the viewer: posts an
 *                         AuthAccessToken2 (or AuthAccessTokenError2) to
 *                         the viewer's origin, and to that origin only
 *   /iiif/logout          a window to sign out
 * Tokens are good for IIIF_TOKEN_SECONDS, only at the probe, only from the
 * origin they were given to; signing out ends them. */
#define IIIF_AUTH_CONTEXT "http://iiif.io/api/auth/2/context.json"
#define IIIF_TOKEN_SECONDS 3600
#define IIIF_TOKEN_PREFIX "iiif-"	/* tells them from the API's tokens */

/* iiif_auth_services: the service list of the file with this id, its
 * identifiers under base (no trailing slash); NULL when out of memory. */
json_t *iiif_auth_services(const char *base, const char *file_id);

int iiif_probe(struct req *rq);
int iiif_probe_preflight(struct req *rq);
int iiif_access(struct req *rq);
int iiif_token(struct req *rq);
int iiif_logout(struct req *rq);

#endif
