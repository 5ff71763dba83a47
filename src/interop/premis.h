/* premis.h: the preservation record of an export package as PREMIS 3.0
 * XML (the Library of Congress's data dictionary for preservation
 * metadata), for the repositories that read it (Archivematica and
 * others): one object per file, with its fixity, size, format and the
 * name it came under, one event per preservation event, one agent per
 * agent named. */
#ifndef CINEMATECA_PREMIS_H
#define CINEMATECA_PREMIS_H

#include <jansson.h>

#include "core/buf.h"

/* premis_write appends a <premis> document (with its XML declaration) to
 * out, from the bag's lists as bag.c writes them to data/files.json and
 * data/events.json: files [{id, role, name, sha256, md5, size, mime,
 * derived_from}] and events [{file, at, type, agent, outcome, detail}].
 * Returns 0 or out's error (out is then freed). */
int premis_write(json_t *files, json_t *events, struct buf *out);

#endif
