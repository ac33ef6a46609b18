// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include "escape.h"

/* Bytes safe to copy as they are: bit 1, printable ASCII; bit 2, also not " or \\. */
static const unsigned char plain_bytes[256] = {
	[0x20 ... 0x21] = 3, ['"'] = 1, [0x23 ... 0x5b] = 3, ['\\'] = 1, [0x5d ... 0x7e] = 3,
};

/* Printable ASCII, safe to copy as it is (quote: also not " or \\). */
static inline bool plain(unsigned char c, bool quote)
{
	return plain_bytes[c] & (quote ? 2 : 1);
}

/* Sixteen bytes, compared all at once where the compiler has vector instructions. */
typedef unsigned char bytes16 __attribute__((vector_size(16)));

/* Any of the sixteen bytes at s that is not plain. */
static inline bool any_special(const unsigned char *s, bool quote)
{
	bytes16 x, bad;
	uint64_t half[2];

	memcpy(&x, s, 16);
	bad = (bytes16)((x < 0x20) | (x > 0x7e));
	if (quote)
		bad |= (bytes16)((x == '"') | (x == '\\'));
	memcpy(half, &bad, 16);
	return half[0] | half[1];
}

/* Copies the run of plain bytes at s to d, sixteen at a time while it lasts; returns its length. */
static size_t copy_plain(char *d, const unsigned char *s, size_t n, bool quote)
{
	size_t k = 0;

	for (; k + 16 <= n && !any_special(s + k, quote); k += 16)
		memcpy(d + k, s + k, 16);
	for (; k < n && plain(s[k], quote); k++)
		d[k] = s[k];
	return k;
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

/* The two-byte escapes both forms share: \" \\ \n \t \r. Returns 2, or 0 for another byte. */
static size_t escape_short(char *d, unsigned char c)
{
	static const char from[] = "\"\\\n\t\r", to[] = "\"\\ntr";
	const char *p = c ? memchr(from, c, sizeof(from) - 1) : NULL;

	if (!p)
		return 0;
	d[0] = '\\';
	d[1] = to[p - from];
	return 2;
}

/*
 * The steps both forms share, at s[*i] of n: a run of plain bytes copied
 * whole (most arguments are one run), or a two-byte escape. Returns the
 * bytes written and moves *i past what it read; 0 for any other byte.
 */
static inline size_t escape_common(char *d, const unsigned char *s, size_t n, size_t *i, bool quote)
{
	size_t k;

	if (plain(s[*i], quote)) {
		k = copy_plain(d, s + *i, n - *i, quote);
		*i += k;
		return k;
	}
	k = escape_short(d, s[*i]);
	if (k)
		(*i)++;
	return k;
}

size_t escape(char *dst, const char *src, size_t n, bool quote)
{
	const unsigned char *s = (const unsigned char *)src;
	char *d = dst;
	size_t i = 0, len, k;
	unsigned int cp;

	while (i < n) {
		unsigned char c = s[i];

		k = escape_common(d, s, n, &i, quote);
		if (k) {
			d += k;
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

size_t escape_json(char *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	char *d = dst;
	size_t i = 0, k, len;
	unsigned int c, cp;

	while (i < n) {
		c = s[i];
		k = escape_common(d, s, n, &i, true);
		if (k) {
			d += k;
			continue;
		}
		if (c >= 0x80) {
			len = utf8_len(s + i, n - i, &cp);
			if (!len)
				return ESCAPE_INVALID;
			if (cp >= 0xa0) {
				memcpy(d, s + i, len);
				d += len;
				i += len;
				continue;
			}
			/* U+0080..U+009F: C1 controls */
			c = cp;
			i += len - 1;
		}
		memcpy(d, "\\u00", 4);
		d[4] = hex[c >> 4];
		d[5] = hex[c & 0xf];
		d += 6;
		i++;
	}
	return d - dst;
}

size_t utf8_cut(const char *s, size_t len)
{
	size_t n = len;

	/* back over continuation bytes to the start of the character cut across: 3 at most */
	while (n > 0 && len - n < 3 && ((unsigned char)s[n] & 0xc0) == 0x80)
		n--;
	return ((unsigned char)s[n] & 0xc0) == 0x80 ? len : n;
}

const char *shown_value(char *buf, const char *v)
{
	size_t n = strlen(v), len;
	bool cut = n > SHOWN_MAX;

	if (cut)
		n = utf8_cut(v, SHOWN_MAX);
	len = escape(buf, v, n, false);
	strcpy(buf + len, cut ? "..." : "");
	return buf;
}

/* The bytes of one character of escaped text at p: an escape, a UTF-8 character or a byte. */
static size_t unit_len(const char *p)
{
	unsigned char c = *p;

	/* a backslash of the bytes themselves can precede any byte: a unit never ends inside a character */
	if (c == '\\') {
		if (p[1] == 'x' && isxdigit((unsigned char)p[2]) && isxdigit((unsigned char)p[3]))
			return 4;
		return p[1] > 0 && (unsigned char)p[1] < 0x80 ? 2 : 1;
	}
	if (c < 0xc0)
		return 1;
	return c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
}

size_t escape_column(char *d, const char *s, size_t n, size_t width)
{
	char e[ESCAPED_MAX(64) + 4] = "";
	size_t len, i, u, cols = 0, cut = 0, cut_cols = 0;

	n = n < 64 ? n : 64;
	len = escape(e, s, n, false);
	for (i = 0; i < len; i += u) {
		u = unit_len(e + i);
		cols += (unsigned char)e[i] < 0x80 ? u : 1;
		if (cols < width) {
			cut = i + u;
			cut_cols = cols;
		}
	}
	if (cols > width) {
		len = cut;
		e[len++] = '+';
		cols = cut_cols + 1;
	}
	memcpy(d, e, len);
	for (; cols < width; cols++)
		d[len++] = ' ';
	return len;
}
