/*
 * err.h - the one error currency of pptpkit.
 *
 * Every function that can fail returns int: 0 (PK_OK) on success or one of
 * the negative PK_ERR_* codes below. pk_strerror() names them for logs.
 * Codes describe *what* went wrong with the input, so that wire tests can
 * assert the exact reason a malformed packet was refused.
 */
#ifndef PK_CORE_ERR_H
#define PK_CORE_ERR_H

enum pk_err {
	PK_OK = 0,
	PK_ERR_INTERNAL = -1,	/* a bug: an invariant did not hold */
	PK_ERR_NOMEM = -2,	/* allocation failed */
	PK_ERR_SHORT = -3,	/* input ended before a field it must hold */
	PK_ERR_LONG = -4,	/* bytes left over after the last field */
	PK_ERR_LENGTH = -5,	/* a length field disagrees with the data */
	PK_ERR_MAGIC = -6,	/* magic cookie / fixed marker wrong */
	PK_ERR_TYPE = -7,	/* unknown message type, code or option */
	PK_ERR_VALUE = -8,	/* a field holds a value it may not hold */
	PK_ERR_SPACE = -9,	/* output buffer too small */
	PK_ERR_STATE = -10,	/* message not valid in the current state */
	PK_ERR_VERSION = -11,	/* protocol version not supported */
	PK_ERR_FULL = -12,	/* a bounded queue or table is full */
	PK_ERR_AUTH = -13,	/* authentication failed */
	PK_ERR_POLICY = -14,	/* refused by the configured policy */
	PK_ERR_CRYPTO = -15,	/* crypto primitive failed / bad key */
	PK_ERR_DUPLICATE = -16,	/* packet already seen */
	PK_ERR_LATE = -17,	/* packet outside the receive window */
	PK_ERR_NOT_FOUND = -18,	/* no such call, session, user */
	PK_ERR_ARG = -19,	/* caller passed an invalid argument */
	PK_ERR_TIMEOUT = -20,	/* a protocol timer expired */
	PK_ERR_CLOSED = -21,	/* the peer closed or the object is closing */
	PK_ERR_SYS = -22,	/* a system call failed; see errno */
	PK_ERR_CONFIG = -23,	/* configuration is invalid */
};

/* Returns a static, human-readable name for an error code. Never NULL. */
const char *pk_strerror(int err);

#endif
