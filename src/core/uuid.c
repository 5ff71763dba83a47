/* uuid.c: UUIDv7 generation (see uuid.h). Randomness comes from libsodium. */
#include "uuid.h"

#include <pthread.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static uint64_t last_ms;
static unsigned counter;	/* 12-bit sequence within one millisecond */

void uuid_v7_at(char out[UUID_STR_LEN + 1], uint64_t ms)
{
	unsigned char b[16];
	unsigned seq;

	randombytes_buf(b, sizeof b);
	pthread_mutex_lock(&lock);
	if (ms <= last_ms) {
		/* same (or a stepped-back) millisecond: keep ids increasing */
		ms = last_ms;
		if (++counter > 0xfff) {
			ms = ++last_ms;
			counter = 0;
		}
	} else {
		last_ms = ms;
		counter = b[6] & 0x07;	/* random start, room to count up */
	}
	seq = counter;
	pthread_mutex_unlock(&lock);

	for (int i = 0; i < 6; i++)
		b[i] = (unsigned char)(ms >> (40 - 8 * i));
	b[6] = (unsigned char)(0x70 | ((seq >> 8) & 0x0f));
	b[7] = (unsigned char)(seq & 0xff);
	b[8] = (unsigned char)(0x80 | (b[8] & 0x3f));
	snprintf(out, UUID_STR_LEN + 1,
		 "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
		 b[10], b[11], b[12], b[13], b[14], b[15]);
}

void uuid_v7(char out[UUID_STR_LEN + 1])
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	uuid_v7_at(out, (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000);
}

bool uuid_valid(const char *s)
{
	if (strlen(s) != UUID_STR_LEN)
		return false;
	for (int i = 0; i < UUID_STR_LEN; i++) {
		char c = s[i];
		if (i == 8 || i == 13 || i == 18 || i == 23) {
			if (c != '-')
				return false;
		} else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
			     (c >= 'A' && c <= 'F'))) {
			return false;
		}
	}
	return true;
}
