// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * Seed capture for the fuzzers: linked into a build of execsnoop of its own
 * (make capture: .output/fuzz/execsnoop-capture) with
 * -Wl,--wrap=record_decode,--wrap=stream_take, so that the shipped tool has
 * none of it. With EXECSNOOP_CAPTURE_DIR set, it writes
 *	DIR/record/<hash>: the bytes of every record the reader decodes, as
 *		read from the ring, after a fuzz_record options header;
 *	DIR/reorder/<pid>: the times of the records as they were taken, as a
 *		fuzz_reorder input (streams in ring order).
 * tests/fuzz/capture.sh runs the end-to-end tests with it and merges what
 * is new into tests/fuzz/corpus/.
 */
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "record.h"
#include "stream.h"

#define RECORDS_MAX	2000 /* record files one run writes */
#define REORDER_OPS_MAX 8192 /* records in one reorder trace */
#define STREAMS_MAX	64

int __real_record_decode(struct record *r, const void *raw, size_t size);
void __real_stream_take(struct stream *s, unsigned int i);

static const char *dir;
static unsigned int records;
static uint8_t trace[REORDER_OPS_MAX * 12 + 16];
static size_t trace_len;
static unsigned int traced;
static __u64 last[STREAMS_MAX];

static uint64_t fnv1a(const void *p, size_t n, uint64_t h)
{
	const uint8_t *b = p;

	while (n--)
		h = (h ^ *b++) * 0x100000001b3ULL;
	return h;
}

static void write_file(const char *path, const void *a, size_t an, const void *b, size_t bn)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);

	if (fd < 0)
		return;
	if (write(fd, a, an) < 0 || write(fd, b, bn) < 0)
		unlink(path);
	close(fd);
}

static bool capturing(void)
{
	if (!dir)
		dir = getenv("EXECSNOOP_CAPTURE_DIR");
	return dir && *dir;
}

int __wrap_record_decode(struct record *r, const void *raw, size_t size)
{
	/* fuzz_record's options: every time column, -U and -q in turn; a few --max-args */
	uint8_t opts[4] = { records % 16, records % 7 == 3 ? 2 : 0, 0, 0 };
	char path[4096];

	if (capturing() && records < RECORDS_MAX) {
		snprintf(path, sizeof(path), "%s/record/%016llx", dir,
			 (unsigned long long)fnv1a(raw, size,
						   fnv1a(opts, 4, 0xcbf29ce484222325ULL)));
		write_file(path, opts, sizeof(opts), raw, size);
		records++;
	}
	return __real_record_decode(r, raw, size);
}

static void put_varint(__u64 v)
{
	do {
		trace[trace_len++] = (v & 0x7f) | (v > 0x7f ? 0x80 : 0);
		v >>= 7;
	} while (v);
}

static void save_trace(void)
{
	char path[4096];

	if (!traced)
		return;
	/* time passes, and the reader drains */
	trace[trace_len++] = 1;
	put_varint(1000000000);
	trace[trace_len++] = 3;
	snprintf(path, sizeof(path), "%s/reorder/%d", dir, (int)getpid());
	write_file(path, trace, trace_len, "", 0);
}

/* Each record taken becomes one arrival on its stream; every 16, the reader pumps. */
void __wrap_stream_take(struct stream *s, unsigned int i)
{
	const struct record *r = stream_peek(s, i);

	if (r && capturing() && i < STREAMS_MAX && traced < REORDER_OPS_MAX) {
		if (!trace_len) {
			trace[trace_len++] = stream_count(s) - 1;
			put_varint(5000); /* the reader's window, in microseconds */
			atexit(save_trace);
		}
		trace[trace_len++] = 4 * i;
		put_varint(r->h.ts >= last[i] ? r->h.ts - last[i] : 0);
		last[i] = r->h.ts;
		if (++traced % 16 == 0) {
			trace[trace_len++] = 1;
			put_varint(2000000);
			trace[trace_len++] = 2;
		}
	}
	__real_stream_take(s, i);
}
