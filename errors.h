/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * The one way a message reaches the user: "execsnoop: <what>" and a newline,
 * on stderr (or the stream given), never on stdout. Messages are lowercase,
 * one line, without a trailing period; warnings start with "warning: ".
 */
#ifndef ERRORS_H
#define ERRORS_H

#include <stdio.h>

/* Writes the message to f; returns -1, for the caller to return. */
__attribute__((format(printf, 2, 3))) int errmsg_to(FILE *f, const char *fmt, ...);

/* The same on stderr. */
__attribute__((format(printf, 1, 2))) int errmsg(const char *fmt, ...);

/* "execsnoop: <what>: <strerror(err)>" on stderr, err positive or negative; returns -1. */
int errmsg_errno(const char *what, int err);

#endif /* ERRORS_H */
