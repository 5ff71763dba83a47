/* server.c: the only file that knows libmicrohttpd.
 *
 * A pool of worker threads (one per core) each handle whole requests:
 * server.c turns MHD's view of a request into a struct req, the router
 * fills in the response, and server.c hands it back to MHD. Each worker
 * opens its own catalogue connection the first time it needs one and
 * keeps it (SQLite connections are not shared across threads).
 *
 * Slow clients: a connection that sends its request a byte at a time
 * would hold a place among the connection limit for as long as it
 * likes, as libmicrohttpd's own timeout only counts idle time, which
 * every byte resets; a thousand of them shut out everyone else. So one
 * address may hold only so many connections (connections_per_address
 * in cinemateca.conf), and a watchdog thread closes every connection
 * that has not sent its whole request line and headers within
 * header_timeout seconds of opening (or of its previous request's end,
 * on a kept-alive connection).
 *
 * The log (stderr): one line for every 5xx answer, with its cause.
 * libmicrohttpd's own complaints about a request (malformed, too large,
 * cut short) come from what clients send, so they are rate-limited: a
 * client cannot flood the log. */
#include "server.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "catalog/archive.h"
#include "core/err.h"
#include "core/str.h"
#include "db/db.h"
#include "range.h"
#include "req.h"
#include "router.h"

#define MAX_WORKERS 16
#define WATCH_PERIOD_MS 250	/* how often the watchdog looks at connections */
#define LOG_BURST 20		/* libmicrohttpd messages logged at once at most, */
#define LOG_PER_SECOND 2	/* and then so many a second */

/* One open connection, as the watchdog sees it. */
struct watch {
	struct watch *prev, *next;	/* in server.watched */
	int fd;				/* the connection's socket (libmicrohttpd's) */
	long long since_ms;		/* when it began waiting for a request */
	bool waiting;			/* its request line and headers are not all in */
	bool cut;			/* the watchdog has shut it down */
	char addr[INET6_ADDRSTRLEN];	/* the client's address, for the log */
};

/* The rate limit of libmicrohttpd's messages: a token bucket. */
struct log_limit {
	pthread_mutex_t lock;	/* guards the rest */
	double tokens;		/* lines that may be written now */
	long long refilled_ms;	/* when tokens was last topped up */
	long long dropped;	/* lines not written since the last written */
};

struct server {
	const struct archive *archive;
	pthread_mutex_t lock;			/* guards conns */
	struct db *conns[MAX_WORKERS * 4];	/* every worker's connection, to close */
	int nconns;
	pthread_mutex_t watch_lock;		/* guards watched and stopping */
	pthread_cond_t watch_wake;		/* signalled to stop the watchdog */
	struct watch *watched;			/* every open connection */
	bool stopping;				/* the watchdog should end */
	long long deadline_ms;			/* header_timeout, in ms */
	struct log_limit log;
};

/* now_ms: a monotonic clock in milliseconds. */
static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* log_allowed takes a token from the bucket; when it may write, it first
 * says how many lines were dropped since the last. */
static bool log_allowed(struct log_limit *l)
{
	long long t = now_ms();
	bool ok;

	pthread_mutex_lock(&l->lock);
	l->tokens += (double)(t - l->refilled_ms) * LOG_PER_SECOND / 1000.0;
	if (l->tokens > LOG_BURST)
		l->tokens = LOG_BURST;
	l->refilled_ms = t;
	ok = l->tokens >= 1.0;
	if (ok) {
		l->tokens -= 1.0;
		if (l->dropped)
			fprintf(stderr, "cinemateca: %lld more messages about clients' requests "
				"were not logged (too many at once)\n", l->dropped);
		l->dropped = 0;
	} else {
		l->dropped++;
	}
	pthread_mutex_unlock(&l->lock);
	return ok;
}

/* mhd_log: libmicrohttpd's messages (a malformed request, a client gone),
 * rate-limited. */
static void mhd_log(void *cls, const char *fmt, va_list ap)
{
	struct server *s = cls;
	char line[512];
	size_t n;

	if (!log_allowed(&s->log))
		return;
	vsnprintf(line, sizeof line, fmt, ap);
	n = strlen(line);
	while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
		line[--n] = '\0';
	for (size_t i = 0; i < n; i++)	/* one line each, whatever a client sent */
		if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
			line[i] = '?';
	fprintf(stderr, "cinemateca: libmicrohttpd: %s\n", line);
}

/* client_addr writes the connection's client address (or "") into out. */
static void client_addr(struct MHD_Connection *conn, char out[INET6_ADDRSTRLEN])
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);

	out[0] = '\0';
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out,
				  INET6_ADDRSTRLEN);
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out,
				  INET6_ADDRSTRLEN);
	}
}

/* connection_event keeps server.watched in step with the open
 * connections. libmicrohttpd tells of a closed connection before it
 * closes its socket, so a socket in the list is always still the
 * connection's own (never a number reused by a newer one). */
static void connection_event(void *cls, struct MHD_Connection *conn, void **socket_context,
			     enum MHD_ConnectionNotificationCode code)
{
	struct server *s = cls;
	struct watch *w = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
			MHD_get_connection_info(conn, MHD_CONNECTION_INFO_CONNECTION_FD);
		w = calloc(1, sizeof *w);
		if (!w || !ci) {
			/* not watched: only the idle timeout applies to it */
			free(w);
			*socket_context = NULL;
			return;
		}
		w->fd = ci->connect_fd;
		w->since_ms = now_ms();
		w->waiting = true;
		client_addr(conn, w->addr);
		pthread_mutex_lock(&s->watch_lock);
		w->next = s->watched;
		if (s->watched)
			s->watched->prev = w;
		s->watched = w;
		pthread_mutex_unlock(&s->watch_lock);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && w) {
		pthread_mutex_lock(&s->watch_lock);
		if (w->prev)
			w->prev->next = w->next;
		else
			s->watched = w->next;
		if (w->next)
			w->next->prev = w->prev;
		pthread_mutex_unlock(&s->watch_lock);
		free(w);
		*socket_context = NULL;
	}
}

/* request_waiting marks the connection's request as all in (waiting
 * false) or a new one awaited from now (true). */
static void request_waiting(struct server *s, struct MHD_Connection *conn, bool waiting)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(conn, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct watch *w = ci ? ci->socket_context : NULL;

	if (!w)
		return;
	pthread_mutex_lock(&s->watch_lock);
	w->waiting = waiting;
	w->since_ms = now_ms();
	pthread_mutex_unlock(&s->watch_lock);
}

/* watchdog: every WATCH_PERIOD_MS, shut down the connections whose
 * request line and headers are overdue. libmicrohttpd then sees the
 * socket end and closes the connection as it closes any other. */
static void *watchdog(void *cls)
{
	struct server *s = cls;

	pthread_mutex_lock(&s->watch_lock);
	while (!s->stopping) {
		struct timespec until;
		long long t = now_ms();
		int cut = 0;
		char addr[INET6_ADDRSTRLEN] = "";

		for (struct watch *w = s->watched; w; w = w->next)
			if (w->waiting && !w->cut && t - w->since_ms > s->deadline_ms) {
				shutdown(w->fd, SHUT_RDWR);
				w->cut = true;
				if (!cut++)
					snprintf(addr, sizeof addr, "%s", w->addr);
			}
		if (cut && log_allowed(&s->log))
			fprintf(stderr, "cinemateca: closed %d connection%s (from %s%s) that had not "
				"sent a request line and headers within %lld s\n", cut,
				cut == 1 ? "" : "s", addr, cut == 1 ? "" : " and others",
				s->deadline_ms / 1000);
		clock_gettime(CLOCK_REALTIME, &until);
		until.tv_nsec += WATCH_PERIOD_MS * 1000000L;
		until.tv_sec += until.tv_nsec / 1000000000L;
		until.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&s->watch_wake, &s->watch_lock, &until);
	}
	pthread_mutex_unlock(&s->watch_lock);
	return NULL;
}

static _Thread_local struct db *worker_db;

/* thread_db returns this worker's connection, opening it on first use. */
static struct db *thread_db(struct server *s)
{
	char err[512];

	if (worker_db)
		return worker_db;
	if (db_open(s->archive->db_path, DB_WRITE, &worker_db, err, sizeof err)) {
		fprintf(stderr, "cinemateca: worker cannot open the catalogue: %s\n", err);
		return NULL;
	}
	pthread_mutex_lock(&s->lock);
	if (s->nconns < (int)(sizeof s->conns / sizeof s->conns[0]))
		s->conns[s->nconns++] = worker_db;
	pthread_mutex_unlock(&s->lock);
	return worker_db;
}

static enum MHD_Result collect_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct req *rq = cls;

	(void)kind;
	if (rq->nargs == REQ_MAX_ARGS) {
		rq->too_many_args = 1;
		return MHD_NO;
	}
	rq->args[rq->nargs].name = key ? key : "";
	rq->args[rq->nargs].value = value ? value : "";
	rq->nargs++;
	return MHD_YES;
}

/* A multipart/byteranges body being sent: the parts' heads and closing
 * delimiter from memory, the ranges read from the file as the library
 * asks for them (it asks in order, a buffer at a time). */
struct parts {
	int fd;
	struct range_multipart *m;
};

static ssize_t parts_read(void *cls, uint64_t pos, char *out, size_t max)
{
	const struct parts *p = cls;
	const struct range_multipart *m = p->m;
	uint64_t at = 0;	/* where the current segment starts in the body */
	size_t done = 0;

	for (int i = 0; i <= m->n && done < max; i++) {
		/* segment: head i (or the tail), then range i's bytes */
		const char *text = i < m->n ? m->head[i] : m->tail;
		size_t tlen = i < m->n ? m->head_len[i] : m->tail_len;
		uint64_t here = pos + done;

		if (here < at + tlen) {
			size_t k = (size_t)(at + tlen - here);
			if (k > max - done)
				k = max - done;
			memcpy(out + done, text + (here - at), k);
			done += k;
			here += k;
		}
		at += tlen;
		if (i == m->n || done == max)
			break;
		uint64_t len = m->last[i] - m->first[i] + 1;
		if (here < at + len) {
			uint64_t want = at + len - here;
			size_t k = want < (uint64_t)(max - done) ? (size_t)want : max - done;
			ssize_t got = pread(p->fd, out + done, k, (off_t)(m->first[i] + (here - at)));
			if (got <= 0)
				return MHD_CONTENT_READER_END_WITH_ERROR;	/* the file shrank or failed */
			done += (size_t)got;
			if ((size_t)got < k)
				break;	/* a short read: the rest next time */
		}
		at += len;
	}
	return done ? (ssize_t)done : MHD_CONTENT_READER_END_OF_STREAM;
}

static void parts_free(void *cls)
{
	struct parts *p = cls;

	close(p->fd);
	free(p->m);
	free(p);
}

static enum MHD_Result send_response(struct MHD_Connection *conn, struct req *rq)
{
	struct MHD_Response *resp;
	enum MHD_Result ret;

	if (rq->has_file && rq->multipart && rq->status < 300) {
		struct parts *p = malloc(sizeof *p);
		resp = p ? MHD_create_response_from_callback(rq->multipart->length, 64 * 1024,
							     parts_read, p, parts_free) : NULL;
		if (resp) {
			/* the response owns the file and the layout now */
			p->fd = rq->file_fd;
			p->m = rq->multipart;
			rq->multipart = NULL;
			rq->has_file = 0;
		} else {
			free(p);
		}
	} else if (rq->has_file && rq->status < 300) {
		/* the library sends it with sendfile() and closes the file */
		resp = MHD_create_response_from_fd_at_offset64(rq->file_len, rq->file_fd,
							       rq->file_offset);
		if (resp)
			rq->has_file = 0;
	} else if (rq->static_body)
		resp = MHD_create_response_from_buffer(rq->static_len, (void *)rq->static_body,
						       MHD_RESPMEM_PERSISTENT);
	else
		resp = MHD_create_response_from_buffer(rq->body.len, rq->body.data,
						       MHD_RESPMEM_MUST_COPY);
	if (!resp)
		return MHD_NO;
	if (rq->content_type)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE, rq->content_type);
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Referrer-Policy", "same-origin");
	for (int i = 0; i < rq->nheaders; i++)
		MHD_add_response_header(resp, rq->headers[i].name, rq->headers[i].value);
	ret = MHD_queue_response(conn, (unsigned)rq->status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* unescape decodes %XX in the path and in query arguments, in place,
 * except %00: a NUL would cut the string short and make
 * "/work/x%00anything" read as "/work/x", so it stays as the three
 * characters it was sent as (and is then no valid slug). */
static size_t unescape(void *cls, struct MHD_Connection *conn, char *s)
{
	char *r = s, *w = s;

	(void)cls;
	(void)conn;
	while (*r) {
		int hi, lo;
		if (r[0] == '%' && (hi = str_hexval(r[1])) >= 0 && (lo = str_hexval(r[2])) >= 0 &&
		    (hi | lo) != 0) {
			*w++ = (char)(hi << 4 | lo);
			r += 3;
		} else {
			*w++ = *r++;
		}
	}
	*w = '\0';
	return (size_t)(w - s);
}

/* Per-connection state across MHD's calls for one request. */
struct conn_state {
	struct buf body;	/* the request body so far (capped at REQ_BODY_IN_MAX) */
	int responded;		/* a response is queued: ignore the rest */
	struct req *rq;		/* a streamed body's request, alive until completed() */
	char addr[INET6_ADDRSTRLEN];	/* its client address */
};

/* stream_free ends a streamed request: its handler's state, then the request. */
static void stream_free(struct conn_state *cs)
{
	if (!cs->rq)
		return;
	if (cs->rq->stream_close)
		cs->rq->stream_close(cs->rq);
	req_free(cs->rq);
	free(cs->rq);
	cs->rq = NULL;
}

static void completed(void *cls, struct MHD_Connection *conn, void **con_cls,
		      enum MHD_RequestTerminationCode toe)
{
	struct conn_state *cs = *con_cls;

	if (toe == MHD_REQUEST_TERMINATED_COMPLETED_OK)
		request_waiting(cls, conn, true);	/* the next request's clock starts */
	if (cs) {
		stream_free(cs);
		buf_free(&cs->body);
	}
	free(cs);
	*con_cls = NULL;
}

/* header_value: req_header_in's lookup, for handlers that read a header
 * no member of struct req holds. */
static const char *header_value(void *conn, const char *name)
{
	return MHD_lookup_connection_value(conn, MHD_HEADER_KIND, name);
}

/* log_5xx writes the one line of a 5xx answer: status, method, path (its
 * control characters as '?', cut at 200 bytes with "..."), client, cause. */
static void log_5xx(const struct req *rq)
{
	char path[204];
	size_t i = 0;
	const char *cause = rq->cause ? rq->cause : rq->error_detail;

	for (const char *p = rq->path; *p && i < 200; p++)
		path[i++] = (unsigned char)*p < 0x20 || *p == 0x7f ? '?' : *p;
	if (strlen(rq->path) > 200) {
		memcpy(path + i, "...", 3);
		i += 3;
	}
	path[i] = '\0';
	if (!cause || !*cause)
		cause = rq->db && rq->db->err[0] ? rq->db->err : "no cause recorded";
	fprintf(stderr, "cinemateca: %d %s %s from %s: %s%s\n", rq->status, rq->method, path,
		rq->addr[0] ? rq->addr : "?",
		rq->db && rq->db->busy ? "the catalogue is locked by another process: " : "",
		cause);
}

/* fill_req makes a struct req of what the connection sent (addr: where
 * to keep the client's address, for as long as the request). */
static void fill_req(struct server *s, struct MHD_Connection *conn, const char *url,
		     const char *method, struct req *rq, char addr[INET6_ADDRSTRLEN])
{
	rq->method = method;
	rq->path = url;
	rq->archive = s->archive;
	rq->status = 200;
	buf_init(&rq->body, REQ_BODY_MAX);
	MHD_get_connection_values(conn, MHD_GET_ARGUMENT_KIND, collect_arg, rq);
	rq->cookie = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_COOKIE);
	rq->accept_language = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
	rq->if_none_match = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_IF_NONE_MATCH);
	rq->range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_RANGE);
	rq->if_range = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_IF_RANGE);
	rq->content_type_in = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 MHD_HTTP_HEADER_CONTENT_TYPE);
	rq->forwarded_proto = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							 "X-Forwarded-Proto");
	rq->authorization = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
						       MHD_HTTP_HEADER_AUTHORIZATION);
	rq->host = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	rq->origin = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Origin");
	rq->header_in = header_value;
	rq->conn = conn;
	client_addr(conn, addr);
	rq->addr = addr;
	rq->db = thread_db(s);
}

/* answer builds the request, routes it and queues the response. */
static enum MHD_Result answer(struct server *s, struct MHD_Connection *conn, const char *url,
			      const char *method, struct conn_state *cs, int too_large)
{
	struct req rq = {0};
	enum MHD_Result ret;
	char addr[INET6_ADDRSTRLEN];

	fill_req(s, conn, url, method, &rq, addr);
	if (cs && cs->body.len) {
		rq.body_in = cs->body.data;
		rq.body_in_len = cs->body.len;
	}
	rq.body_too_large = too_large;
	router_dispatch(&rq);
	if (rq.status >= 500)
		log_5xx(&rq);
	ret = send_response(conn, &rq);
	req_free(&rq);
	return ret;
}

/* stream_open starts a request whose body is streamed (ROUTE_STREAM):
 * the handler sees the headers now and either takes the body or
 * answers at once, before the body is sent (so also the answer to
 * "Expect: 100-continue"). The request lives until completed(). */
static enum MHD_Result stream_open(struct server *s, struct MHD_Connection *conn,
				   const char *url, const char *method, struct conn_state *cs)
{
	struct req *rq = calloc(1, sizeof *rq);

	if (!rq)
		return MHD_NO;
	cs->rq = rq;
	fill_req(s, conn, url, method, rq, cs->addr);
	router_dispatch(rq);
	if (rq->status == 0)
		return MHD_YES;	/* it takes the body */
	cs->responded = 1;
	if (rq->status >= 500)
		log_5xx(rq);
	return send_response(conn, rq);
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *conn, const char *url,
			      const char *method, const char *version, const char *upload_data,
			      size_t *upload_data_size, void **con_cls)
{
	struct conn_state *cs = *con_cls;

	(void)version;
	if (!cs) {
		/* first call: headers only; a body, if any, comes in later calls.
		 * A body announced as too large is refused now, before it is
		 * sent (this is also the answer to "Expect: 100-continue"). */
		const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND,
							     MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long len;

		request_waiting(cls, conn, false);	/* headers in: off the watchdog's clock */
		cs = calloc(1, sizeof *cs);
		if (!cs)
			return MHD_NO;
		buf_init(&cs->body, REQ_BODY_IN_MAX);
		*con_cls = cs;
		if (router_streams(method, url))
			return stream_open(cls, conn, url, method, cs);
		if (cl && (!str_parse_u64(cl, (unsigned long long)-1, &len) ||
			   len > REQ_BODY_IN_MAX)) {
			cs->responded = 1;
			return answer(cls, conn, url, method, cs, 1);
		}
		return MHD_YES;
	}
	if (cs->responded) {
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (cs->rq) {
		/* a streamed body: each piece to the handler as it comes */
		struct req *rq = cs->rq;
		if (*upload_data_size) {
			if (!rq->stream_status)
				rq->stream_status = rq->stream_write(rq, upload_data,
								     *upload_data_size);
			*upload_data_size = 0;
			return MHD_YES;
		}
		cs->responded = 1;
		router_stream_end(rq);
		if (rq->status >= 500)
			log_5xx(rq);
		return send_response(conn, rq);
	}
	if (*upload_data_size) {
		/* keep the body for the handler; a chunked body that grows past
		 * the limit ends the connection */
		int rc = buf_append(&cs->body, upload_data, *upload_data_size);
		*upload_data_size = 0;
		return rc == 0 ? MHD_YES : MHD_NO;
	}
	cs->responded = 1;
	return answer(cls, conn, url, method, cs, 0);
}

/* parse_listen splits "ADDR:PORT", "[ADDR]:PORT" or ":PORT" into a
 * socket address. Returns 0 or -1 with a message in err. */
static int parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
			char *err, size_t errlen)
{
	char host[256];
	const char *colon = strrchr(listen, ':');
	unsigned long long port;
	struct addrinfo hints = {.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV,
				 .ai_socktype = SOCK_STREAM};
	struct addrinfo *res;
	char portstr[8];
	size_t hl;

	if (!colon || !str_parse_u64(colon + 1, 65535, &port)) {
		snprintf(err, errlen, "--listen wants ADDR:PORT (e.g. 127.0.0.1:8080), not \"%s\"",
			 listen);
		return -1;
	}
	hl = (size_t)(colon - listen);
	if (hl >= 2 && listen[0] == '[' && listen[hl - 1] == ']') {
		listen++;
		hl -= 2;
	}
	if (hl >= sizeof host) {
		snprintf(err, errlen, "--listen: address too long");
		return -1;
	}
	memcpy(host, listen, hl);
	host[hl] = '\0';
	snprintf(portstr, sizeof portstr, "%llu", port);
	if (getaddrinfo(hl ? host : "127.0.0.1", portstr, &hints, &res) != 0) {
		snprintf(err, errlen, "--listen: \"%s\" is not a numeric IP address", host);
		return -1;
	}
	memcpy(ss, res->ai_addr, res->ai_addrlen);
	*len = res->ai_addrlen;
	freeaddrinfo(res);
	return 0;
}

int server_run(const struct archive *a, const char *listen)
{
	struct server s = {.archive = a, .deadline_ms = (long long)a->header_timeout * 1000,
			   .log = {.tokens = LOG_BURST}};
	pthread_t watcher;
	struct sockaddr_storage ss;
	socklen_t sslen;
	char err[512], host[INET6_ADDRSTRLEN];
	struct MHD_Daemon *d;
	const union MHD_DaemonInfo *info;
	unsigned flags, workers;
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	sigset_t sigs;
	int sig, port;

	if (parse_listen(listen, &ss, &sslen, err, sizeof err)) {
		fprintf(stderr, "cinemateca: %s\n", err);
		return 2;
	}
	workers = ncpu < 2 ? 2 : ncpu > MAX_WORKERS ? MAX_WORKERS : (unsigned)ncpu;
	pthread_mutex_init(&s.lock, NULL);
	pthread_mutex_init(&s.watch_lock, NULL);
	pthread_cond_init(&s.watch_wake, NULL);
	pthread_mutex_init(&s.log.lock, NULL);
	s.log.refilled_ms = now_ms();
	/* signals are taken by sigwait below, not by whichever thread */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);

	flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ERROR_LOG | MHD_USE_EPOLL;
	if (ss.ss_family == AF_INET6)
		flags |= MHD_USE_IPv6;
	d = MHD_start_daemon(flags, 0, NULL, NULL, handle, &s,
			     /* first, or the library logs on its own until it is set */
			     MHD_OPTION_EXTERNAL_LOGGER, mhd_log, &s,
			     MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss,
			     MHD_OPTION_THREAD_POOL_SIZE, workers,
			     MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30,
			     MHD_OPTION_CONNECTION_LIMIT, (unsigned)1000,
			     MHD_OPTION_PER_IP_CONNECTION_LIMIT, a->connections_per_address,
			     MHD_OPTION_NOTIFY_CONNECTION, connection_event, &s,
			     /* the pool holds the request line, headers and every
			      * query argument; 128 KiB takes 1500 arguments, and a
			      * larger pool costs throughput: libmicrohttpd clears
			      * it for every request (256 KiB: -20% on a work page) */
			     MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
			     MHD_OPTION_LISTENING_ADDRESS_REUSE, (unsigned)1,
			     MHD_OPTION_NOTIFY_COMPLETED, completed, &s,
			     MHD_OPTION_UNESCAPE_CALLBACK, unescape, NULL,
			     MHD_OPTION_END);
	if (!d) {
		fprintf(stderr, "cinemateca: cannot listen on %s (address in use, or not "
			"an address of this machine?)\n", listen);
		return 1;
	}
	if ((errno = pthread_create(&watcher, NULL, watchdog, &s)) != 0) {
		fprintf(stderr, "cinemateca: cannot start the connection watchdog: %s\n",
			strerror(errno));
		MHD_stop_daemon(d);
		return 1;
	}
	info = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	port = info ? info->port : 0;
	if (ss.ss_family == AF_INET6)
		inet_ntop(AF_INET6, &((struct sockaddr_in6 *)&ss)->sin6_addr, host, sizeof host);
	else
		inet_ntop(AF_INET, &((struct sockaddr_in *)&ss)->sin_addr, host, sizeof host);
	printf(ss.ss_family == AF_INET6 ? "cinemateca: serving %s on http://[%s]:%d/\n"
					: "cinemateca: serving %s on http://%s:%d/\n",
	       a->dir, host, port);
	fflush(stdout);

	sigwait(&sigs, &sig);
	fprintf(stderr, "cinemateca: stopping (%s)\n", sig == SIGINT ? "interrupt" : "terminate");
	MHD_stop_daemon(d);	/* every connection closed, every watch freed */
	pthread_mutex_lock(&s.watch_lock);
	s.stopping = true;
	pthread_cond_signal(&s.watch_wake);
	pthread_mutex_unlock(&s.watch_lock);
	pthread_join(watcher, NULL);
	for (int i = 0; i < s.nconns; i++)
		db_close(s.conns[i]);
	pthread_mutex_destroy(&s.lock);
	pthread_mutex_destroy(&s.watch_lock);
	pthread_cond_destroy(&s.watch_wake);
	pthread_mutex_destroy(&s.log.lock);
	return 0;
}
