/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The local journal, over systemd's native protocol: one datagram an entry
 * to journald's socket, or, for an entry larger than a datagram may be, an
 * empty datagram carrying a sealed memfd that holds it.
 */
#ifndef JOURNALD_H
#define JOURNALD_H

#include <stddef.h>

#define JOURNALD_SOCKET "/run/systemd/journal/socket"

/*
 * A socket for sending to journald, once it was seen listening at path;
 * a negative errno when it is not (-ENOENT: no journald).
 */
int journald_open(const char *path);

/* Sends one entry of len bytes (output_send_fn); 0 or a negative errno. */
int journald_send(int fd, const char *buf, size_t len);

#endif /* JOURNALD_H */
