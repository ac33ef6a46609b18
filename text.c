// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "text.h"

static size_t format_time(char *buf, struct fmt *f, __u64 ts)
{
	struct tm tm;
	time_t secs;
	__s64 ns;

	switch (f->time) {
	case TIME_RELATIVE:
		ns = ts > f->start_ns ? (__s64)(ts - f->start_ns) : 0;
		return sprintf(buf, "%-10.3f ", ns / 1e9);
	case TIME_WALL:
		/* unsigned: a time far out of range must not overflow */
		secs = (ts + (__u64)f->wall_offset_ns) / 1000000000ULL;
		if (secs != f->wall_secs || !f->wall[0]) {
			if (!localtime_r(&secs, &tm) ||
			    !strftime(f->wall, sizeof(f->wall), "%H:%M:%S ", &tm))
				strcpy(f->wall, "??:??:?? ");
			f->wall_secs = secs;
		}
		return stpcpy(buf, f->wall) - buf;
	default:
		return 0;
	}
}

/* Length of the NUL-terminated string at s, at most n. */
static size_t str_len(const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);

	return z ? (size_t)(z - s) : n;
}

size_t text_header(char *buf, const struct fmt *f)
{
	size_t n = 0;

	if (f->time == TIME_RELATIVE)
		n += sprintf(buf + n, "%-10s ", "TIME(s)");
	else if (f->time == TIME_WALL)
		n += sprintf(buf + n, "%-8s ", "TIME");
	if (f->print_uid)
		n += sprintf(buf + n, "%-6s ", "UID");
	n += sprintf(buf + n, "%-16s %-6s %-6s %3s %s\n", "PCOMM", "PID", "PPID", "RET", "ARGS");
	return n;
}

static size_t put_word(char *d, const char *s, size_t n, bool quote)
{
	char *p = d;

	if (quote)
		*p++ = '"';
	p += escape(p, s, n, quote);
	if (quote)
		*p++ = '"';
	return p - d;
}

size_t text_line(char *buf, struct fmt *f, const struct record *r, const struct words *w)
{
	size_t n = format_time(buf, f, r->h.ts);
	size_t comm_len = str_len(r->h.comm, sizeof(r->h.comm));
	size_t off = 0, len, start;
	unsigned int shown = 0;
	bool cut = w->cut;

	if (f->print_uid)
		n += sprintf(buf + n, "%-6u ", r->h.uid);
	start = n;
	n += escape(buf + n, r->h.comm, comm_len, false);
	while (n - start < 16)
		buf[n++] = ' ';
	n += sprintf(buf + n, " %-6u %-6u %3d ", r->h.pid, r->h.ppid, r->h.ret);

	if (w->has_path)
		n += put_word(buf + n, w->path, w->path_len, f->quote);
	while (off < w->args_len) {
		if (f->max_args && shown == f->max_args) {
			cut = true;
			break;
		}
		len = str_len(w->args + off, w->args_len - off);
		buf[n++] = ' ';
		n += put_word(buf + n, w->args + off, len, f->quote);
		off += len + 1;
		shown++;
	}
	if (cut) {
		if (w->has_path)
			buf[n++] = ' ';
		memcpy(buf + n, "...", 3);
		n += 3;
	}
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}
