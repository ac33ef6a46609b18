/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/*
 * Native journal entries (--journal): one an exec, one an end, one a
 * summary, each a list of fields NAME=value, or, when the value holds a
 * newline, NAME, a newline, its length as 64-bit little endian, the bytes
 * and a newline. Every JSON field is EXECSNOOP_<NAME> with its exact bytes;
 * a field that is null in JSON is left out (docs/json.md).
 */
#ifndef JOURNAL_H
#define JOURNAL_H

#include <stddef.h>
#include <linux/types.h>
#include "record.h"
#include "summary.h"
#include "text.h"

/* MESSAGE_ID of each kind of entry: fixed, for journalctl MESSAGE_ID=... */
#define JOURNAL_ID_EXEC	   "2922cc36042b455c73f26299bea02e6d"
#define JOURNAL_ID_END	   "2ea00884d0f72aef79c6eecc2affbfa7"
#define JOURNAL_ID_SUMMARY "b7f8f222b01d3943c527c0b3a4f839d5"
#define JOURNAL_ID_LOSS	   "99086f81b22ebcea0756ceb3481a0539"

/*
 * Arguments also given one by one as EXECSNOOP_ARG, for filters, up to this
 * many: journald takes at most 1024 fields an entry. EXECSNOOP_ARGS holds
 * them all, in order, each followed by a NUL byte.
 */
#define JOURNAL_ARG_FIELDS 512

/* Environment variables given as EXECSNOOP_ENV fields, NAME=value each, at most. */
#define JOURNAL_ENV_FIELDS 256

/* Room for the longest entry: the text line, the bytes twice, the names and numbers. */
#define JOURNAL_MAX_LEN                                                                            \
	(LINE_MAX_LEN + 2 * (FNAME_MAX + ARGS_MAX) + 4 * CWD_MAX + 32 * JOURNAL_ARG_FIELDS +       \
	 4096 + WHO_SHOWN_MAX + 2 * (INTERP_MAX + ENV_MAX) + 32 * JOURNAL_ENV_FIELDS)

/* The --journal format: a row of the table in print.c. */
struct print_format;
extern const struct print_format journal_format;

/* Writes a field: NAME=bytes and a newline, or the binary-safe form. Returns its end. */
char *journal_field(char *d, const char *name, const char *s, size_t n);

/* Room the entry of an exec of r needs. */
size_t journal_need(const struct record *r);

#endif /* JOURNAL_H */
