/* err.h: error codes shared by every module.
 *
 * Internal functions return 0 on success or a negative ERR_* value; the
 * caller decides how to tell a person (CLI message, HTTP status). */
#ifndef CINEMATECA_ERR_H
#define CINEMATECA_ERR_H

enum {
	ERR_OK = 0,
	ERR_NOMEM = -1,     /* allocation failed */
	ERR_TOOBIG = -2,    /* a capped buffer or input would grow past its cap */
	ERR_INVALID = -3,   /* malformed input */
	ERR_NOTFOUND = -4,  /* no such record, file or route */
	ERR_IO = -5,        /* read, write or fsync failed (see errno) */
	ERR_DB = -6,        /* SQLite reported an error */
	ERR_BUSY = -7,      /* the catalogue is locked by another process */
	ERR_EXISTS = -8,    /* a unique name is already taken */
};

/* err_str returns a static description of an ERR_* code. */
const char *err_str(int err);

#endif
