/* oai.h: OAI-PMH 2.0 at /oai (interop/oai.c; its handler is in
 * routes.def). What other surfaces need of it: an item's identifier, to
 * link to a record as a harvester gets it. */
#ifndef CINEMATECA_OAI_H
#define CINEMATECA_OAI_H

#include <stddef.h>

/* oai_item_identifier writes the OAI identifier of record id for the
 * site at base (no trailing slash): "oai:HOST:ID" when base's host is a
 * domain name (the oai-identifier scheme), else "urn:uuid:ID". */
void oai_item_identifier(const char *base, const char *id, char *out, size_t n);

#endif
