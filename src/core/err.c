/* err.c: descriptions of the ERR_* codes. */
#include "err.h"

const char *err_str(int err)
{
	switch (err) {
	case ERR_OK: return "success";
	case ERR_NOMEM: return "out of memory";
	case ERR_TOOBIG: return "input too large";
	case ERR_INVALID: return "invalid input";
	case ERR_NOTFOUND: return "not found";
	case ERR_IO: return "input/output error";
	case ERR_DB: return "catalogue database error";
	case ERR_BUSY: return "catalogue is locked by another process";
	case ERR_EXISTS: return "already exists";
	}
	return "unknown error";
}
