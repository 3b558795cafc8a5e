/*
 * ctlproto.h - the control socket between pptpkitd and `pptpkit show` /
 * `pptpkit kill`: a Unix stream socket (mode 0600, or 0660 for the
 * control-group; the server also checks each client's credentials), one
 * request line per connection, one JSON reply, then the server closes.
 *
 *	sessions\n	-> [ {"id":1,"user":"alice",...}, ... ]
 *	kill ID\n	-> {"killed":N}	(session ID only)
 *	kill-user NAME\n -> {"killed":N}	(NAME raw or as shown)
 *	stats\n		-> {"connections":N,...,"limits_hit":{...}}
 * User names in replies are escaped (core/escape.h).
 */
#ifndef PK_GLUE_CTLPROTO_H
#define PK_GLUE_CTLPROTO_H

#include <stddef.h>

#define CTL_DEFAULT_PATH "/run/pptpkitd.sock"
#define CTL_CMD_SESSIONS "sessions"
#define CTL_CMD_KILL "kill"
#define CTL_CMD_KILL_USER "kill-user"
#define CTL_CMD_STATS "stats"
/* Replies are bounded: 64 KiB sessions would be ~200 bytes each. */
#define CTL_REPLY_MAX (64 * 1024 * 1024)

/*
 * Client side: sends line (without newline) to the socket at path and
 * returns the reply in *reply (malloc'd, NUL-terminated; caller frees).
 * Returns 0 or -1 with a message in err.
 */
int ctl_request(const char *path, const char *line, char **reply, char *err,
    size_t errlen);

#endif
