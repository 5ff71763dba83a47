/* iiif_auth_q.h: the SQL of the IIIF Authorization Flow's access tokens
 * (interop/iiif_auth.c; the table is in schema/008_iiif_auth.sql). Only
 * hashes of tokens are stored. Functions return 0 (1 for "found") or a
 * negative ERR_* with db->err set. */
#ifndef CINEMATECA_IIIF_AUTH_Q_H
#define CINEMATECA_IIIF_AUTH_Q_H

#include "core/uuid.h"

struct db;

/* Whom a token stands for: an account, or a screener link's holder. */
struct iiif_token_row {
	long long user_id;			/* 0 for a screener's holder */
	char screener_id[UUID_STR_LEN + 1];	/* "" for an account */
	char origin[256];
	long long expires;			/* Unix seconds */
};

/* iaq_token_add stores a token's hash for user_id (0: none) or
 * screener_id (NULL: none), good for origin until expires; it also drops
 * the tokens that have expired by now. */
int iaq_token_add(struct db *db, const char *hash, long long user_id, const char *screener_id,
		  const char *origin, long long now, long long expires);

/* iaq_token_get: 1 with *out for a token that has not expired by now,
 * 0 for an unknown or expired one. */
int iaq_token_get(struct db *db, const char *hash, long long now, struct iiif_token_row *out);

/* iaq_tokens_end_user ends every token of an account (at logout, or when
 * its password changes). */
int iaq_tokens_end_user(struct db *db, long long user_id);

#endif
