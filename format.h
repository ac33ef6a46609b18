/* SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause */
/* Decoding and printing of exec records; pure, no BPF. */
#ifndef FORMAT_H
#define FORMAT_H

#include <stdbool.h>
#include <stddef.h>
#include <linux/types.h>
#include "execsnoop.h"
#include "options.h"

/* Room for the longest line: every byte escaped as \xHH, plus quotes and spaces. */
#define LINE_MAX_LEN (8 * (FNAME_MAX + 64 + ARGS_MAX) + 128)

struct fmt {
	enum time_mode time;
	bool print_uid;
	bool quote;
	unsigned int max_args; /* 0: no limit */
	__u64 start_ns;	       /* CLOCK_MONOTONIC at start, for -t */
	__s64 wall_offset_ns;  /* CLOCK_REALTIME - CLOCK_MONOTONIC, for -T */
};

/* An exec as words: the path, then argv[1..]. */
struct words {
	const char *path; /* in the event, or in pathbuf when made here */
	size_t path_len;
	char pathbuf[FNAME_MAX + 32];
	bool has_path;
	const char *args; /* NUL-separated; the last may be unterminated */
	size_t args_len;
	bool cut; /* something was not captured */
};

/* Checks that a record of size bytes is whole; returns the event or NULL. */
const struct event *event_check(const void *data, size_t size);

/* Splits a checked event into words. */
void event_words(const struct event *e, struct words *w);

/* Escapes n bytes for a terminal; with quote, also " and \. Returns bytes written. */
size_t escape(char *dst, const char *src, size_t n, bool quote);

/* True when the arguments, joined by spaces, contain needle. */
bool words_contain(const struct words *w, const char *needle);

size_t format_header(char *buf, const struct fmt *f);

/* Writes one line, newline and NUL included; buf holds LINE_MAX_LEN bytes. Returns its length. */
size_t format_event(char *buf, const struct fmt *f, const struct event *e, const struct words *w);

#endif /* FORMAT_H */
