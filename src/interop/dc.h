/* dc.h: one catalogue record as unqualified Dublin Core (oai_dc), for
 * OAI-PMH and for export packages. */
#ifndef CINEMATECA_DC_H
#define CINEMATECA_DC_H

#include "core/buf.h"

struct db;

/* dc_write appends record id's <oai_dc:dc> document (no XML declaration,
 * so it can sit inside another) to out. base is the site's public URL
 * without a trailing slash; the record's page is base/TYPE/SLUG. Reads
 * as the connection's principal: credits, subjects and places it may not
 * read are left out. Returns 0, ERR_NOTFOUND when there is no such record,
 * ERR_DB, or out's error (out is then freed). */
int dc_write(struct db *db, const char *base, const char *id, struct buf *out);

#endif
