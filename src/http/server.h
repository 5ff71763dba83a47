/* server.h: the HTTP server (libmicrohttpd behind it). */
#ifndef CINEMATECA_SERVER_H
#define CINEMATECA_SERVER_H

struct archive;

/* server_run serves the archive on listen ("ADDR:PORT", "[ADDR]:PORT" or
 * ":PORT"; port 0 picks a free one) until SIGINT or SIGTERM, printing
 * "cinemateca: serving DIR on http://ADDR:PORT/" once listening. Returns
 * the process exit status (0 after a clean stop), with a message on stderr
 * when it cannot start. */
int server_run(const struct archive *a, const char *listen);

#endif
