// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
#include <stdint.h>
#include <string.h>
#include "escape.h"

#define ONES  0x0101010101010101ULL
#define HIGHS 0x8080808080808080ULL

/* Any byte of x below n (n <= 128). */
static inline uint64_t has_less(uint64_t x, unsigned int n)
{
	return (x - ONES * n) & ~x & HIGHS;
}

/* Any byte of x above n (n <= 127). */
static inline uint64_t has_more(uint64_t x, unsigned int n)
{
	return ((x + ONES * (127 - n)) | x) & HIGHS;
}

/* Any byte of x equal to c. */
static inline uint64_t has_byte(uint64_t x, unsigned char c)
{
	return has_less(x ^ (ONES * c), 1);
}

/* Printable ASCII, safe to copy as it is (quote: also not " or \\). */
static inline bool plain(unsigned char c, bool quote)
{
	return c >= 0x20 && c < 0x7f && !(quote && (c == '"' || c == '\\'));
}

/*
 * Copies the run of plain bytes at s to d, eight at a time while it lasts
 * (d has room for eight more than the run); returns its length.
 */
static size_t copy_plain(char *d, const unsigned char *s, size_t n, bool quote)
{
	size_t k = 0;
	uint64_t x;

	for (; k + 8 <= n; k += 8) {
		memcpy(&x, s + k, 8);
		if (has_less(x, 0x20) | has_more(x, 0x7e))
			break;
		if (quote && (has_byte(x, '"') | has_byte(x, '\\')))
			break;
		memcpy(d + k, &x, 8);
	}
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

size_t escape(char *dst, const char *src, size_t n, bool quote)
{
	const unsigned char *s = (const unsigned char *)src;
	char *d = dst;
	size_t i = 0, len, k;
	unsigned int cp;

	while (i < n) {
		unsigned char c = s[i];

		if (plain(c, quote)) {
			/* the whole run at once: most arguments are one run */
			k = copy_plain(d, s + i, n - i, quote);
			d += k;
			i += k;
			continue;
		}
		k = escape_short(d, c);
		if (k) {
			d += k;
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

size_t escape_json(char *dst, const char *src, size_t n)
{
	const unsigned char *s = (const unsigned char *)src;
	char *d = dst;
	size_t i = 0, k, len;
	unsigned int c, cp;

	while (i < n) {
		c = s[i];
		if (plain(c, true)) {
			k = copy_plain(d, s + i, n - i, true);
			d += k;
			i += k;
			continue;
		}
		k = escape_short(d, c);
		if (k) {
			d += k;
			i++;
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
