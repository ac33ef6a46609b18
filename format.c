// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "format.h"

/* words an interpreter chain can put in front: (name, argument) for each of 5 levels */
#define INTERP_WORDS_MAX 10

#ifndef AT_FDCWD
#define AT_FDCWD -100
#endif

const struct event *event_check(const void *data, size_t size)
{
	const struct event *e = data;

	if (size < EVENT_HDR_LEN)
		return NULL;
	if (e->fname_len < 1 || e->fname_len > FNAME_MAX || e->args_len > ARGS_MAX)
		return NULL;
	if (EVENT_HDR_LEN + e->fname_len + e->args_len > size)
		return NULL;
	return e;
}

/* Length of the NUL-terminated string at s, at most n. */
static size_t str_len(const char *s, size_t n)
{
	const char *z = memchr(s, '\0', n);

	return z ? (size_t)(z - s) : n;
}

/* Offset just past the first k strings of a NUL-separated area. */
static size_t skip_strings(const char *s, size_t n, unsigned int k)
{
	size_t off = 0;

	while (k-- && off < n)
		off += str_len(s + off, n - off) + 1;
	return off < n ? off : n;
}

/* The nth string of a NUL-separated area equals str. */
static bool nth_is(const char *s, size_t n, unsigned int k, const char *str, size_t len)
{
	size_t off = skip_strings(s, n, k);

	return off < n && str_len(s + off, n - off) == len && !memcmp(s + off, str, len);
}

void event_words(const struct event *e, struct words *w)
{
	const char *fname = e->data;
	size_t flen = str_len(fname, e->fname_len);
	const char *args = e->data + e->fname_len;
	size_t alen = e->args_len;

	w->cut = e->flags & (EV_TRUNCATED | EV_FAULT);
	w->args = NULL;
	w->args_len = 0;
	w->path = fname;
	w->path_len = 0;
	w->has_path = !(e->flags & EV_FNAME_FAULT);
	if (!w->has_path) {
		/* nothing after an unreadable path can be placed */
		w->cut = true;
		return;
	}

	if ((e->flags & EV_FNAME_USER) && e->fd != AT_FDCWD && fname[0] != '/') {
		/* as the kernel names a dirfd-relative or AT_EMPTY_PATH exec */
		w->path_len = flen ? snprintf(w->pathbuf, sizeof(w->pathbuf), "/dev/fd/%d/%.*s",
					      e->fd, (int)flen, fname)
				   : snprintf(w->pathbuf, sizeof(w->pathbuf), "/dev/fd/%d", e->fd);
		if (w->path_len >= sizeof(w->pathbuf))
			w->path_len = sizeof(w->pathbuf) - 1;
		w->path = w->pathbuf;
	} else {
		w->path = fname;
		w->path_len = flen;
	}

	if (e->flags & EV_HAS_ARGV0) {
		/*
		 * The new image's whole argv: drop its argv[0] and, after an
		 * interpreter, its words up to the path the caller executed,
		 * which the kernel puts just before the caller's argv[1].
		 */
		unsigned int skip = 1, k;
		size_t off;

		for (k = 1; (e->flags & EV_INTERP) && k <= INTERP_WORDS_MAX; k++) {
			if (nth_is(args, alen, k, fname, flen)) {
				skip = k + 1;
				break;
			}
		}
		off = skip_strings(args, alen, skip);
		args += off;
		alen -= off;
	}
	w->args = args;
	w->args_len = alen;
}

/* Length of a valid UTF-8 sequence at s (at most n bytes), or 0. */
static size_t utf8_len(const unsigned char *s, size_t n, unsigned int *cp)
{
	size_t len, i;
	unsigned int c = s[0];

	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		c &= 0x1f;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		c &= 0x0f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		c &= 0x07;
	} else {
		return 0;
	}
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	/* overlong forms, surrogates, beyond U+10FFFF */
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) || c > 0x10ffff ||
	    (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static const char hex[] = "0123456789abcdef";

/* Printable ASCII, safe to copy as it is (quote: also not " or \\). */
static bool plain(unsigned char c, bool quote)
{
	return c >= 0x20 && c < 0x7f && !(quote && (c == '"' || c == '\\'));
}

size_t escape(char *dst, const char *src, size_t n, bool quote)
{
	const unsigned char *s = (const unsigned char *)src;
	char *d = dst;
	size_t i = 0, len, k;
	unsigned int cp;

	while (i < n) {
		unsigned char c = s[i];

		if (plain(c, quote)) {
			/* copy the whole run at once: most arguments are one run */
			for (k = i + 1; k < n && plain(s[k], quote); k++)
				;
			memcpy(d, s + i, k - i);
			d += k - i;
			i = k;
			continue;
		}
		if (c == '"' || c == '\\') {
			*d++ = '\\';
			*d++ = c;
			i++;
			continue;
		}
		if (c == '\n' || c == '\t' || c == '\r') {
			*d++ = '\\';
			*d++ = c == '\n' ? 'n' : c == '\t' ? 't' : 'r';
			i++;
			continue;
		}
		len = c >= 0x80 ? utf8_len(s + i, n - i, &cp) : 0;
		if (len && cp >= 0xa0) {
			memcpy(d, s + i, len);
			d += len;
			i += len;
			continue;
		}
		/* control byte, C1 control or invalid UTF-8: every byte as \xHH */
		if (!len)
			len = 1;
		for (k = 0; k < len; k++, i++) {
			*d++ = '\\';
			*d++ = 'x';
			*d++ = hex[s[i] >> 4];
			*d++ = hex[s[i] & 0xf];
		}
	}
	return d - dst;
}

bool words_contain(const struct words *w, const char *needle)
{
	static char joined[FNAME_MAX + 32 + ARGS_MAX + 1];
	size_t n = 0, i;

	memcpy(joined, w->path, w->path_len);
	n = w->path_len;
	if (w->args_len) {
		joined[n++] = ' ';
		for (i = 0; i < w->args_len; i++)
			joined[n++] = w->args[i] ? w->args[i] : ' ';
		/* a terminated last argument leaves no trailing separator */
		if (!w->args[w->args_len - 1])
			n--;
	}
	return memmem(joined, n, needle, strlen(needle)) != NULL;
}

static size_t format_time(char *buf, const struct fmt *f, __u64 ts)
{
	struct tm tm;
	time_t secs;
	__s64 ns;

	switch (f->time) {
	case TIME_RELATIVE:
		ns = ts > f->start_ns ? (__s64)(ts - f->start_ns) : 0;
		return sprintf(buf, "%-10.3f ", ns / 1e9);
	case TIME_WALL:
		secs = ((__s64)ts + f->wall_offset_ns) / 1000000000LL;
		localtime_r(&secs, &tm);
		return strftime(buf, 16, "%H:%M:%S ", &tm);
	default:
		return 0;
	}
}

size_t format_header(char *buf, const struct fmt *f)
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

size_t format_event(char *buf, const struct fmt *f, const struct event *e, const struct words *w)
{
	size_t n = format_time(buf, f, e->ts);
	size_t comm_len = str_len(e->comm, sizeof(e->comm));
	size_t off = 0, len, start;
	unsigned int shown = 0;
	bool cut = w->cut;

	if (f->print_uid)
		n += sprintf(buf + n, "%-6u ", e->uid);
	start = n;
	n += escape(buf + n, e->comm, comm_len, false);
	while (n - start < 16)
		buf[n++] = ' ';
	n += sprintf(buf + n, " %-6u %-6u %3d ", e->pid, e->ppid, e->ret);

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
