/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The local journal, over systemd's native protocol: one datagram an entry
 * to journald's socket, or, for an entry larger than a datagram may be, an
 * empty datagram carrying a sealed memfd that holds it.
 */
#ifndef JOURNALD_H
#define JOURNALD_H

#include <stddef.h>
#include <sys/uio.h>

#define JOURNALD_SOCKET "/run/systemd/journal/socket"

/*
 * A socket for sending to journald, once it was seen listening at path;
 * a negative errno when it is not (-ENOENT: no journald).
 */
int journald_open(const char *path);

/*
 * Sends entries in order, as many as go at once (output_send_fn): how many
 * were sent, or for the first a negative errno.
 */
int journald_send(int fd, const struct iovec *entries, unsigned int n);

#endif /* JOURNALD_H */
