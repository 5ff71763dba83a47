/* uuid.h: UUID version 7 (RFC 9562): 48 bits of Unix milliseconds, then
 * random bits, so ids made on two machines do not collide and sort by
 * creation time. */
#ifndef CINEMATECA_UUID_H
#define CINEMATECA_UUID_H

#include <stdbool.h>
#include <stdint.h>

#define UUID_STR_LEN 36

/* uuid_v7 writes a new id as 36 lower-case characters plus NUL into out,
 * for the time given in milliseconds since the epoch. Ids made in the same
 * millisecond by one process still increase (a counter fills rand_a).
 * Thread-safe. */
void uuid_v7_at(char out[UUID_STR_LEN + 1], uint64_t unix_ms);

/* uuid_v7 is uuid_v7_at for the current time. */
void uuid_v7(char out[UUID_STR_LEN + 1]);

/* uuid_valid reports whether s is a UUID in canonical 8-4-4-4-12 hex form
 * (either case); version and variant are not checked, so imported ids
 * from other systems are accepted. */
bool uuid_valid(const char *s);

#endif
