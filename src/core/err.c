/* err.c - names for the PK_ERR_* codes. */
#include "core/err.h"

const char *
pk_strerror(int err)
{
	switch (err) {
	case PK_OK:		return "success";
	case PK_ERR_INTERNAL:	return "internal error";
	case PK_ERR_NOMEM:	return "out of memory";
	case PK_ERR_SHORT:	return "input too short";
	case PK_ERR_LONG:	return "trailing bytes after message";
	case PK_ERR_LENGTH:	return "length field inconsistent";
	case PK_ERR_MAGIC:	return "bad magic cookie";
	case PK_ERR_TYPE:	return "unknown type";
	case PK_ERR_VALUE:	return "invalid field value";
	case PK_ERR_SPACE:	return "output buffer too small";
	case PK_ERR_STATE:	return "unexpected in this state";
	case PK_ERR_VERSION:	return "unsupported protocol version";
	case PK_ERR_FULL:	return "queue or table full";
	case PK_ERR_AUTH:	return "authentication failed";
	case PK_ERR_POLICY:	return "refused by policy";
	case PK_ERR_CRYPTO:	return "cryptographic failure";
	case PK_ERR_DUPLICATE:	return "duplicate packet";
	case PK_ERR_LATE:	return "packet outside receive window";
	case PK_ERR_NOT_FOUND:	return "not found";
	case PK_ERR_ARG:	return "invalid argument";
	case PK_ERR_TIMEOUT:	return "timed out";
	case PK_ERR_CLOSED:	return "closed";
	case PK_ERR_SYS:	return "system call failed";
	case PK_ERR_CONFIG:	return "invalid configuration";
	}
	return "unknown error";
}
