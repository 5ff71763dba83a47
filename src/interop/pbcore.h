/* pbcore.h: one catalogue record as a PBCore 2.1 description document,
 * the audiovisual format of OAI-PMH and of export packages. */
#ifndef CINEMATECA_PBCORE_H
#define CINEMATECA_PBCORE_H

#include "core/buf.h"

struct db;

/* pbcore_write appends record id's <pbcoreDescriptionDocument> (no XML
 * declaration) to out. base is the site's public URL without a trailing
 * slash. Reads as the connection's principal: credits, subjects, places
 * and files it may not read are left out. Returns 0, ERR_NOTFOUND when
 * there is no such record, ERR_DB, ERR_NOMEM, or out's error (out is then
 * freed). */
int pbcore_write(struct db *db, const char *base, const char *id, struct buf *out);

#endif
