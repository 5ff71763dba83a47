/* iiif_auth.c: the IIIF Authorization Flow 2.0 (see iiif.h), so that a
 * IIIF viewer on another site can show a film that is not public to
 * someone who may see it, and nobody else.
 *
 * The viewer cannot read our cookies, and its own requests for JSON carry
 * none. So it asks the probe service about a file; when the answer is not
 * 200 it opens the access service (our login page) in a window, then the
 * token service in a hidden frame, where the browser does send the
 * cookies: the frame posts the viewer a token, which the viewer shows the
 * probe as "Authorization: Bearer". The token stands for the account or
 * screener holder that the frame saw; the probe asks the one policy
 * (fq_file_readable under that principal) every time, so a grant revoked,
 * an account disabled or a screener withdrawn takes effect at the next
 * probe. The media themselves stay behind the same policy at /media: a
 * token opens no bytes, only the answer to "may I?".
 *
 * What is sent where: the probe's answer holds nothing but a status and
 * the messages, the same for a file that does not exist as for one the
 * asker may not read, so it may be read by any site (CORS *); the token
 * goes by postMessage to the origin the viewer named and to no other. */
#include "iiif.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <sodium.h>

#include "access/auth.h"
#include "access/policy.h"
#include "core/buf.h"
#include "core/err.h"
#include "db/access_q.h"
#include "db/db.h"
#include "db/files_q.h"
#include "db/iiif_auth_q.h"
#include "http/req.h"
#include "http/router.h"
#include "web/html.h"
#include "web/i18n.h"
#include "web/layout.h"

#define ORIGIN_MAX 255		/* an origin longer than this is refused */
#define MESSAGE_ID_MAX 256	/* a viewer's messageId, echoed back */
#define TOKEN_LEN (sizeof IIIF_TOKEN_PREFIX - 1 + AUTH_TOKEN_HEX)

/* lm: an interface string in every interface language, as IIIF's
 * language maps want it. */
static json_t *lm(enum msg m)
{
	json_t *map = json_object();

	for (int i = 0; map && i18n_langs[i]; i++) {
		struct req in = {.lang = i18n_langs[i]};
		json_t *a = json_array();
		if (!a || json_array_append_new(a, json_string(T(&in, m))) ||
		    json_object_set_new(map, i18n_langs[i], a)) {
			json_decref(map);
			return NULL;
		}
	}
	return map;
}

/* service: {"id": base + path, "type": type} and its other members. */
static json_t *service(const char *base, const char *path, const char *type)
{
	char id[1024];

	snprintf(id, sizeof id, "%s%s", base, path);
	return json_pack("{s:s, s:s}", "id", id, "type", type);
}

json_t *iiif_auth_services(const char *base, const char *file_id)
{
	char path[128];
	json_t *probe, *access, *token, *logout, *list;

	snprintf(path, sizeof path, "/iiif/probe/%s", file_id);
	probe = service(base, path, "AuthProbeService2");
	access = service(base, "/iiif/access", "AuthAccessService2");
	token = service(base, "/iiif/token", "AuthAccessTokenService2");
	logout = service(base, "/iiif/logout", "AuthLogoutService2");
	list = json_array();
	if (!probe || !access || !token || !logout || !list ||
	    json_object_set_new(access, "profile", json_string("active")) ||
	    json_object_set_new(access, "label", lm(MSG_IIIF_AUTH_LABEL)) ||
	    json_object_set_new(access, "heading", lm(MSG_IIIF_AUTH_HEADING)) ||
	    json_object_set_new(access, "note", lm(MSG_IIIF_AUTH_NOTE)) ||
	    json_object_set_new(access, "confirmLabel", lm(MSG_IIIF_AUTH_CONFIRM)) ||
	    json_object_set_new(token, "errorHeading", lm(MSG_IIIF_TOKEN_ERROR_HEADING)) ||
	    json_object_set_new(token, "errorNote", lm(MSG_IIIF_TOKEN_ERROR_NOTE)) ||
	    json_object_set_new(logout, "label", lm(MSG_IIIF_LOGOUT_LABEL)) ||
	    json_object_set_new(access, "service", json_pack("[O, O]", token, logout)) ||
	    json_object_set_new(probe, "service", json_pack("[O]", access)) ||
	    json_array_append(list, probe)) {
		json_decref(list);
		list = NULL;
	}
	json_decref(probe);
	json_decref(access);
	json_decref(token);
	json_decref(logout);
	return list;
}

/* origin_valid: a serialized origin as a browser writes it: http or
 * https, "://", a host of letters, digits, dots, hyphens (or an IPv6
 * literal in brackets), an optional port; nothing after. */
static bool origin_valid(const char *o)
{
	const char *h;
	size_t n = o ? strlen(o) : 0;

	if (n == 0 || n > ORIGIN_MAX)
		return false;
	if (strncmp(o, "https://", 8) == 0)
		h = o + 8;
	else if (strncmp(o, "http://", 7) == 0)
		h = o + 7;
	else
		return false;
	if (!*h)
		return false;
	for (const char *p = h; *p; p++) {
		char ch = *p;
		if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		      ch == '.' || ch == '-' || ch == ':' || ch == '[' || ch == ']'))
			return false;
	}
	return true;
}

/* message_id_valid: what a viewer may call its message (echoed into the
 * page as JSON, so any printable ASCII would be safe; more is refused). */
static bool message_id_valid(const char *m)
{
	size_t n = m ? strlen(m) : 0;

	if (n == 0 || n > MESSAGE_ID_MAX)
		return false;
	for (; *m; m++)
		if ((unsigned char)*m < 0x20 || (unsigned char)*m > 0x7e)
			return false;
	return true;
}

/* ---- the probe ------------------------------------------------------ */

/* token_principal replaces rq's principal with the one of a live IIIF
 * token in the Authorization header, shown from the origin it was given
 * to; a token that is unknown, expired, for another origin, or whose
 * account or screener is gone leaves nobody (a viewer then asks again). */
static int token_principal(struct req *rq)
{
	const char *a = rq->authorization;
	char hash[AUTH_TOKEN_HEX + 1];
	struct iiif_token_row t;
	long long now = (long long)time(NULL);
	int rc;

	if (!a || strncasecmp(a, "Bearer ", 7) != 0)
		return 0;	/* the request's own cookies stand */
	a += 7;
	auth_release(&rq->principal);
	policy_anonymous(&rq->principal);
	if (strlen(a) != TOKEN_LEN || strncmp(a, IIIF_TOKEN_PREFIX, sizeof IIIF_TOKEN_PREFIX - 1))
		return 0;
	auth_token_hash(a, hash);
	rc = iaq_token_get(rq->db, hash, now, &t);
	if (rc != 1)
		return rc;
	if (rq->origin && strcmp(rq->origin, t.origin) != 0)
		return 0;
	if (t.user_id) {
		rc = auth_login_user(rq->db, t.user_id, &rq->principal);
		if (rc != 1) {
			auth_release(&rq->principal);
			policy_anonymous(&rq->principal);
		}
		return rc < 0 ? rc : 0;
	}
	struct screener_row s;
	rc = aq_screener_get(rq->db, t.screener_id, &s);
	if (rc == 1 && !s.revoked && now <= s.expires)
		snprintf(rq->principal.screener_record, sizeof rq->principal.screener_record, "%s",
			 s.record_id);
	return rc < 0 ? rc : 0;
}

static int cors_json(struct req *rq, json_t *o)
{
	char *s = o ? json_dumps(o, JSON_COMPACT) : NULL;

	json_decref(o);
	if (!s) {
		rq->cause = "the IIIF probe's answer could not be made (out of memory)";
		return req_fail(rq, 500, NULL);
	}
	buf_reset(&rq->body);
	buf_puts(&rq->body, s);
	buf_putc(&rq->body, '\n');
	free(s);
	rq->content_type = "application/json";
	req_header(rq, "Access-Control-Allow-Origin", "*");
	/* the answer depends on the asker: never kept by a cache */
	req_header(rq, "Cache-Control", "no-store");
	return 200;
}

int iiif_probe(struct req *rq)
{
	char base[600], id[800];
	struct file_ref f;
	int rc, status;
	json_t *o;

	if (req_base_url(rq, base, sizeof base))
		snprintf(base, sizeof base, "%s", "");
	rc = token_principal(rq);
	if (rc >= 0)
		rc = fq_file_readable(rq->db, rq->slug, &f);
	if (rc < 0) {
		rq->cause = "the IIIF probe could not read the catalogue";
		return req_fail(rq, 500, NULL);
	}
	if (rc == 1)
		status = 200;
	else
		status = rq->principal.user_id || rq->principal.screener_record[0] ? 403 : 401;
	snprintf(id, sizeof id, "%s/iiif/probe/%s", base, rq->slug);
	o = json_pack("{s:s, s:s, s:s, s:i}", "@context", IIIF_AUTH_CONTEXT, "id", id, "type",
		      "AuthProbeResult2", "status", status);
	if (o && status != 200 &&
	    (json_object_set_new(o, "heading", lm(status == 401 ? MSG_IIIF_AUTH_HEADING
								: MSG_IIIF_AUTH_DENIED_HEADING)) ||
	     json_object_set_new(o, "note", lm(status == 401 ? MSG_IIIF_AUTH_NOTE
							     : MSG_IIIF_AUTH_DENIED_NOTE)))) {
		json_decref(o);
		o = NULL;
	}
	return cors_json(rq, o);
}

/* The probe takes an Authorization header, which a browser sends across
 * origins only after asking (CORS preflight). */
int iiif_probe_preflight(struct req *rq)
{
	req_header(rq, "Access-Control-Allow-Origin", "*");
	req_header(rq, "Access-Control-Allow-Methods", "GET, HEAD");
	req_header(rq, "Access-Control-Allow-Headers", "Authorization");
	req_header(rq, "Access-Control-Max-Age", "86400");
	rq->static_body = (const unsigned char *)"";
	rq->static_len = 0;
	return 204;
}

/* ---- the windows and the frame -------------------------------------- */

static bool someone(const struct req *rq)
{
	return rq->principal.user_id || rq->principal.screener_record[0];
}

int iiif_access(struct req *rq)
{
	const char *origin = req_arg(rq, "origin");

	if (origin && !origin_valid(origin))
		return req_fail(rq, 400, "origin= is the viewer's origin: http or https, its host and "
				"port, nothing after (https://viewer.example.org)");
	if (!someone(rq))
		return router_login_redirect(rq);
	layout_begin(rq, T(rq, MSG_IIIF_ACCESS_TITLE), NULL);
	html_printf(&rq->body, "<h1>%s</h1>\n<p id=\"iiif-close\">%s</p>\n"
		    "<script src=\"/static/iiif-auth.js\"></script>\n",
		    T(rq, MSG_IIIF_ACCESS_TITLE), T(rq, MSG_IIIF_ACCESS_DONE));
	layout_end(rq);
	return 200;
}

int iiif_logout(struct req *rq)
{
	layout_begin(rq, T(rq, MSG_IIIF_LOGOUT_LABEL), NULL);
	html_printf(&rq->body, "<h1>%s</h1>\n", T(rq, MSG_IIIF_LOGOUT_LABEL));
	if (rq->principal.user_id)
		html_printf(&rq->body, "<form method=\"post\" action=\"/logout\"><input type=\"hidden\" "
			    "name=\"csrf\" value=\"%s\"><button type=\"submit\">%s</button></form>\n",
			    rq->csrf, T(rq, MSG_IIIF_LOGOUT_LABEL));
	else
		html_printf(&rq->body, "<p>%s</p>\n", T(rq, MSG_IIIF_LOGOUT_DONE));
	layout_end(rq);
	return 200;
}

/* token_page writes the frame's page: the message as JSON (never run),
 * the origin to post it to, and the script that posts it. */
static int token_page(struct req *rq, json_t *msg, const char *target)
{
	char *m = msg ? json_dumps(msg, JSON_COMPACT | JSON_ESCAPE_SLASH) : NULL;
	json_t *t = json_string(target);
	char *o = t ? json_dumps(t, JSON_ENCODE_ANY | JSON_ESCAPE_SLASH) : NULL;

	json_decref(msg);
	json_decref(t);
	if (!m || !o) {
		free(m);
		free(o);
		rq->cause = "the IIIF token service's page could not be made (out of memory)";
		return req_fail(rq, 500, NULL);
	}
	html_printf(&rq->body, "<!DOCTYPE html>\n<html lang=\"%s\">\n<head>\n<meta charset=\"utf-8\">\n"
		    "<title>%s</title>\n", rq->lang, T(rq, MSG_IIIF_ACCESS_TITLE));
	/* JSON inside <script> is not HTML: see html_script_json */
	html_raw(&rq->body, "<script type=\"application/json\" id=\"iiif-message\">");
	html_script_json(&rq->body, m);
	html_raw(&rq->body, "</script>\n<script type=\"application/json\" id=\"iiif-origin\">");
	html_script_json(&rq->body, o);
	html_raw(&rq->body, "</script>\n<script src=\"/static/iiif-auth.js\"></script>\n"
		    "</head>\n<body></body>\n</html>\n");
	free(m);
	free(o);
	/* a viewer on any site frames this page; the token goes to its
	 * origin only (postMessage's target), and it is never cached */
	req_header_set(rq, "Content-Security-Policy",
		       "default-src 'none'; script-src 'self'; base-uri 'none'; form-action 'none'; "
		       "frame-ancestors *");
	req_header(rq, "Cache-Control", "no-store");
	return 200;
}

static int token_error(struct req *rq, const char *profile, const char *message_id,
		       const char *target)
{
	json_t *e = json_pack("{s:s, s:s, s:s}", "@context", IIIF_AUTH_CONTEXT, "type",
			      "AuthAccessTokenError2", "profile", profile);

	if (e && message_id && json_object_set_new(e, "messageId", json_string(message_id))) {
		json_decref(e);
		e = NULL;
	}
	if (e && (json_object_set_new(e, "heading", lm(MSG_IIIF_TOKEN_ERROR_HEADING)) ||
		  json_object_set_new(e, "note", lm(MSG_IIIF_TOKEN_ERROR_NOTE)))) {
		json_decref(e);
		e = NULL;
	}
	return token_page(rq, e, target);
}

int iiif_token(struct req *rq)
{
	const char *origin = req_arg(rq, "origin"), *mid = req_arg(rq, "messageId");
	char token[TOKEN_LEN + 1], raw[AUTH_TOKEN_HEX + 1], hash[AUTH_TOKEN_HEX + 1];
	char screener[UUID_STR_LEN + 1 + AUTH_TOKEN_HEX + 1] = "";	/* ID.KEY */
	long long now = (long long)time(NULL);
	json_t *msg;
	int rc;

	/* an error says nothing secret, so it may go to whoever framed us
	 * when the origin itself is what is wrong */
	if (!message_id_valid(mid))
		return token_error(rq, "invalidRequest", NULL, origin_valid(origin) ? origin : "*");
	if (!origin_valid(origin))
		return token_error(rq, "invalidOrigin", mid, "*");
	if (!someone(rq))
		return token_error(rq, "missingAspect", mid, origin);
	if (!rq->principal.user_id &&
	    (!req_cookie(rq, "screener", screener, sizeof screener) ||
	     strlen(screener) <= UUID_STR_LEN))
		return token_error(rq, "missingAspect", mid, origin);
	screener[UUID_STR_LEN] = '\0';

	auth_random_token(raw);
	snprintf(token, sizeof token, "%s%s", IIIF_TOKEN_PREFIX, raw);
	sodium_memzero(raw, sizeof raw);
	auth_token_hash(token, hash);
	rc = iaq_token_add(rq->db, hash, rq->principal.user_id,
			   rq->principal.user_id ? NULL : screener, origin, now, now + IIIF_TOKEN_SECONDS);
	if (rc) {
		sodium_memzero(token, sizeof token);
		fprintf(stderr, "cinemateca: a IIIF access token could not be stored: %s\n", rq->db->err);
		return token_error(rq, "unavailable", mid, origin);
	}
	msg = json_pack("{s:s, s:s, s:s, s:i, s:s}", "@context", IIIF_AUTH_CONTEXT, "type",
			"AuthAccessToken2", "accessToken", token, "expiresIn", IIIF_TOKEN_SECONDS,
			"messageId", mid);
	sodium_memzero(token, sizeof token);
	return token_page(rq, msg, origin);
}
