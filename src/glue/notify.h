/*
 * notify.h - tells systemd about pptpkitd's state through sd_notify(3)
 * (libsystemd), for a unit with Type=notify (systemd/pptpkitd.service.in).
 *
 * Each call does nothing and returns 0 when the process was not started
 * by systemd (no $NOTIFY_SOCKET), so pptpkitd may call them
 * unconditionally. They return 1 when the message was sent and
 * PK_ERR_SYS when sending failed (a message is never worth ending the
 * daemon for: callers may ignore it).
 *
 * The daemon calls notify_ready() once it listens (systemd holds back
 * units ordered after it until then, and "systemctl start" returns),
 * notify_status() when the figure a person wants to see changes (the
 * session count), notify_reloading()/notify_ready() around a reload, and
 * notify_stopping() when it begins to shut down.
 */
#ifndef PK_GLUE_NOTIFY_H
#define PK_GLUE_NOTIFY_H

/* READY=1, with STATUS=status when status is not NULL. */
int notify_ready(const char *status);
/* STATUS=<printf-formatted text>: one line, shown by systemctl status. */
int notify_status(const char *fmt, ...)
    __attribute__((format(printf, 1, 2)));
/* RELOADING=1 (and MONOTONIC_USEC, which systemd 253's notify-reload
 * wants); READY=1 ends the reload. */
int notify_reloading(void);
/* STOPPING=1. */
int notify_stopping(void);

#endif
