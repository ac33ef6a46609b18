/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Escaping of bytes the kernel copied from processes, and of values echoed in messages. */
#ifndef ESCAPE_H
#define ESCAPE_H

#include <stdbool.h>
#include <stddef.h>

/* Worst case: every byte as \xHH. */
#define ESCAPED_MAX(n) (4 * (n))

/*
 * Escapes n bytes for a terminal: control bytes, C1 controls and invalid
 * UTF-8 as \n, \t, \r or \xHH, valid UTF-8 as it is; with quote, also " and
 * \ get a backslash. Returns the bytes written to dst.
 */
size_t escape(char *dst, const char *src, size_t n, bool quote);

#define ESCAPE_INVALID ((size_t)-1)

/*
 * Escapes n bytes for a JSON string, without the quotes: " and \ with a
 * backslash, control characters (C0, DEL, C1) as \n, \t, \r or \u00XX, so that
 * the line is also safe on a terminal. Returns the bytes written, or
 * ESCAPE_INVALID when they are not valid UTF-8 (overlong forms and
 * surrogates are not).
 */
size_t escape_json(char *dst, const char *src, size_t n);

#define SHOWN_MAX  64				/* bytes of a value that a message shows */
#define SHOWN_SIZE (ESCAPED_MAX(SHOWN_MAX) + 4) /* a value as shown, "..." and NUL */

/*
 * v as a one-line message shows it: escaped, and cut after SHOWN_MAX bytes
 * (not inside a UTF-8 character) with "..."; returns buf.
 */
const char *shown_value(char *buf, const char *v);

/*
 * Where to cut s, of more than len bytes, at most len bytes in: len, or less
 * so as not to split a UTF-8 character that starts before len.
 */
size_t utf8_cut(const char *s, size_t len);

/*
 * Writes n bytes (64 at most) escaped as escape() does in a column of width
 * characters: padded with spaces, or cut between two characters (an escape
 * is never split) and ending in + when longer, so that no name can move the
 * columns after it. A UTF-8 character counts as one column, an escape as its
 * length. Returns the bytes written: at most ESCAPED_MAX(64) + width.
 */
size_t escape_column(char *dst, const char *src, size_t n, size_t width);

#endif /* ESCAPE_H */
