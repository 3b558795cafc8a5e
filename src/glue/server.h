/*
 * server.h - pptpkitd: the PPTP server's Linux glue. A libuv loop moves
 * bytes between the sockets (TCP 1723, the raw GRE socket, one TUN per
 * session, the control socket) and the sans-I/O tunnel objects, one per
 * control connection. Everything protocol-related happens in src/engine.
 */
#ifndef PK_GLUE_SERVER_H
#define PK_GLUE_SERVER_H

#include "config/config.h"

/* Runs the server until SIGTERM/SIGINT. Returns a process exit code. */
int server_run(const struct server_config *cfg);

#endif
