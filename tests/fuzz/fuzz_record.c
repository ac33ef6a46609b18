// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/*
 * libFuzzer target: a raw record, as the programs write it into a perf ring,
 * through everything that reads it: record_decode, record_words,
 * words_contain and every output format.
 *
 * Input: struct fuzz_opts (how to format), then the record's bytes. The seed
 * corpus holds records captured from real runs (tests/fuzz/capture.c).
 */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "envsel.h"
#include "json.h"
#include "print.h"
#include "record.h"
#include "text.h"

struct fuzz_opts {
	/* bits 0-1: enum time_mode; bit 2: print_uid; bit 3: quote; 4: login; 5: priv; 6: --env; 7: --hash */
	uint8_t mode;
	uint8_t max_args; /* --max-args, 0: no limit */
	uint8_t needle_off;
	uint8_t needle_len; /* words_contain is given these bytes of the input */
};

/* CLOCK_REALTIME - CLOCK_BOOTTIME of a machine booted in 2025, for -T */
#define WALL_OFFSET_NS 1750000000000000000LL

static void crash(const char *what, const char *line, size_t n)
{
	fprintf(stderr, "fuzz_record: %s\nline (%zu bytes): %.*s\n", what, n,
		(int)(n > 600 ? 600 : n), line);
	abort();
}

/*
 * Every byte of the line is printable and valid UTF-8, with no C0 or C1
 * control: an argument cannot end a line early or reach the terminal.
 */
static void check_terminal_safe(const char *line, size_t n)
{
	const unsigned char *s = (const unsigned char *)line;
	size_t i = 0, len, k;
	uint32_t cp;

	if (!n || s[n - 1] != '\n')
		crash("the line does not end in a newline", line, n);
	while (i < n - 1) {
		if (s[i] < 0x80) {
			if (s[i] < 0x20 || s[i] == 0x7f)
				crash("a control byte in the line", line, n);
			i++;
			continue;
		}
		len = s[i] > 0xf4 ? 0 : s[i] >= 0xf0 ? 4 : s[i] >= 0xe0 ? 3 : s[i] >= 0xc0 ? 2 : 0;
		if (!len || i + len > n - 1)
			crash("invalid UTF-8 in the line", line, n);
		cp = s[i] & (0x7f >> len);
		for (k = 1; k < len; k++) {
			if ((s[i + k] & 0xc0) != 0x80)
				crash("invalid UTF-8 in the line", line, n);
			cp = cp << 6 | (s[i + k] & 0x3f);
		}
		if (cp < 0xa0 || (len == 3 && cp < 0x800) || (len == 4 && cp < 0x10000) ||
		    cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			crash("an overlong form, surrogate or C1 control in the line", line, n);
		i += len;
	}
}

/* Reads one quoted word at *p, unescaped into out; returns its length, or -1. */
static long unquote(const char **p, const char *end, char *out)
{
	const char *s = *p;
	long n = 0;
	unsigned int v;

	if (s >= end || *s++ != '"')
		return -1;
	while (s < end && *s != '"') {
		if (*s != '\\') {
			out[n++] = *s++;
			continue;
		}
		if (++s >= end)
			return -1;
		switch (*s) {
		case 'n':
			out[n++] = '\n';
			break;
		case 't':
			out[n++] = '\t';
			break;
		case 'r':
			out[n++] = '\r';
			break;
		case '"':
		case '\\':
			out[n++] = *s;
			break;
		case 'x':
			if (end - s < 3 || !isxdigit((unsigned char)s[1]) ||
			    !isxdigit((unsigned char)s[2]) || sscanf(s + 1, "%2x", &v) != 1)
				return -1;
			out[n++] = v;
			s += 2;
			break;
		default:
			return -1;
		}
		s++;
	}
	if (s >= end)
		return -1;
	*p = s + 1;
	return n;
}

static void expect_word(const char **p, const char *end, const char *want, size_t len,
			const char *line, size_t n)
{
	static char got[4 * (FNAME_MAX + 64 + ARGS_MAX)];
	long k = unquote(p, end, got);

	if (k < 0)
		crash("-q: a word is not a well-formed quoted string", line, n);
	if ((size_t)k != len || memcmp(got, want, len))
		crash("-q: a word does not read back as its bytes", line, n);
}

/*
 * With -q the ARGS column reads back as the exact bytes: the path, then each
 * argument shown, then " ..." exactly when something is missing. prefix is
 * where ARGS starts.
 */
static void check_quoted(const char *line, size_t n, size_t prefix, const struct fmt *f,
			 const struct words *w)
{
	const char *p = line + prefix, *end = line + n - 1;
	size_t off = 0, len;
	unsigned int shown = 0;
	bool cut = w->cut;

	if (w->has_path)
		expect_word(&p, end, w->path, w->path_len, line, n);
	while (off < w->args_len) {
		if (f->max_args && shown == f->max_args) {
			cut = true;
			break;
		}
		len = strnlen(w->args + off, w->args_len - off);
		if (p >= end || *p++ != ' ')
			crash("-q: words are not separated by one space", line, n);
		expect_word(&p, end, w->args + off, len, line, n);
		off += len + 1;
		shown++;
	}
	if (cut) {
		if (w->has_path && (p >= end || *p++ != ' '))
			crash("-q: no space before the cut mark", line, n);
		if (end - p != 3 || memcmp(p, "...", 3))
			crash("-q: something is missing, but the line does not end in '...'", line,
			      n);
		p += 3;
	}
	if (p != end)
		crash("-q: bytes after the last word", line, n);
}

static void check_text(const char *line, size_t n, struct fmt *f, const struct record *r,
		       const struct words *w)
{
	static char prefix[LINE_MAX_LEN];
	struct words none = {};

	check_terminal_safe(line, n);
	if (memchr(line, '\n', n - 1))
		crash("a newline inside the line", line, n);
	if (f->quote) {
		/* the columns before ARGS: the same record, formatted with no words */
		check_quoted(line, n, text_line(prefix, f, r, &none) - 1, f, w);
	}
}

/*
 * The output formats: each writes one line for the record into buf, which
 * holds LINE_MAX_LEN bytes; check, if any, looks at the line. A new format
 * is one more entry in formats[].
 */
static const char *no_name(__u32 uid)
{
	return uid ? NULL : "r\xffot";
}

static const char *a_cgroup(__u64 id)
{
	return id & 1 ? "/docker-\x01.scope" : NULL;
}

/* JSON Lines, with a user and cgroup that need escaping; an end when the record is one. */
static size_t json_line(char *buf, struct fmt *f, const struct record *r, const struct words *w)
{
	struct json_ctx c = { .wall_offset_ns = f->wall_offset_ns,
			      .max_args = f->max_args,
			      .user_name = no_name,
			      .cgroup_path = a_cgroup,
			      .env = f->env,
			      .hash = f->hash };

	return r->h.flags & EV_EXIT ? json_exit(buf, &c, r) : json_exec(buf, &c, r, w);
}

static size_t text_or_exit(char *buf, struct fmt *f, const struct record *r, const struct words *w)
{
	return r->h.flags & EV_EXIT ? text_exit(buf, f, r) : text_line(buf, f, r, w);
}

/* One object on one line, with no raw control byte: what a JSON Lines reader needs. */
static void check_json(const char *line, size_t n, struct fmt *f, const struct record *r,
		       const struct words *w)
{
	(void)f;
	(void)r;
	(void)w;
	if (n < 3 || line[0] != '{' || line[n - 2] != '}' || line[n - 1] != '\n')
		crash("not one object on one line", line, n);
	for (size_t i = 0; i < n - 1; i++) {
		if ((unsigned char)line[i] < 0x20)
			crash("a raw control byte in a JSON line", line, n);
	}
}

static const struct format {
	const char *name;
	size_t (*line)(char *buf, struct fmt *f, const struct record *r, const struct words *w);
	void (*check)(const char *line, size_t n, struct fmt *f, const struct record *r,
		      const struct words *w);
	int json;
} formats[] = {
	{ "text", text_or_exit, check_text, 0 },
	{ "json", json_line, check_json, 1 },
};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct words w;
	static char *buf;
	struct fuzz_opts o;
	struct record r;
	struct fmt f = {};
	char needle[256];
	static struct env_select sel[2];
	const char *why;
	size_t n, room;

	if (size < sizeof(o))
		return 0;
	memcpy(&o, data, sizeof(o));
	data += sizeof(o);
	size -= sizeof(o);
	if (record_decode(&r, data, size))
		return 0;
	if (r.h.fname_len < 1 || r.h.fname_len > FNAME_MAX || r.h.args_len > ARGS_MAX ||
	    r.h.env_len > ENV_MAX || r.h.interp_len > INTERP_MAX ||
	    EVENT_HDR_LEN + r.h.fname_len + r.h.args_len + r.h.cwd_len + r.h.exe_len + r.h.who_len +
			    r.h.anc_len + r.h.file_len + r.h.interp_len + r.h.env_len >
		    size)
		abort(); /* record_decode let a record through that does not fit */
	if ((r.env && (r.env < r.data || r.env + r.env_len > r.data + size - EVENT_HDR_LEN)) ||
	    (r.interp &&
	     (r.interp < r.data || r.interp + r.interp_len > r.data + size - EVENT_HDR_LEN)))
		abort(); /* a section points outside the record */
	if ((r.h.flags & EV_ANCESTORS && (r.anc.n > ANCESTRY_MAX || r.anc.cut > 1)) ||
	    (!(r.h.flags & EV_WHO) && r.who.flags) || (!(r.h.flags & EV_ANCESTORS) && r.anc.n))
		abort(); /* a section decoded that is not whole, or not there */

	record_words(&r, &w);
	if (w.path_len > sizeof(w.pathbuf) ||
	    (w.args && (w.args < r.data || w.args + w.args_len > r.data + size - EVENT_HDR_LEN)))
		abort(); /* the words point outside the record */
	if (o.needle_len && o.needle_off + o.needle_len <= size) {
		memcpy(needle, data + o.needle_off, o.needle_len);
		needle[o.needle_len] = '\0';
		words_contain(&w, needle);
	}

	f.time = o.mode & 3;
	if (f.time > TIME_WALL)
		f.time = TIME_NONE;
	f.print_uid = o.mode & 4;
	f.quote = o.mode & 8;
	f.max_args = o.max_args;
	f.login = o.mode & 16;
	f.priv = o.mode & 32;
	/* every variable, or some by pattern; a digest, or a reason, as the output stage sets them */
	if (!sel[0].n && (env_select_add(&sel[0], "*", &why) ||
			  env_select_add(&sel[1], "LD_*,P?TH,[A-C]*", &why)))
		abort();
	f.env = o.mode & 64 ? &sel[o.max_args & 1] : NULL;
	f.hash = o.mode & 128;
	if (f.hash && !(r.h.flags & EV_EXIT) && !r.h.ret) {
		r.hash.asked = true;
		r.hash.missing = o.needle_off & 1 ? "changed" : NULL;
		memset(r.hash.sha256, o.needle_len, sizeof(r.hash.sha256));
	}
	/* the names shown in LOGIN and PRIV need escaping too */
	f.user_name = no_name;
	f.start_ns = 1000000000ULL;
	f.wall_offset_ns = WALL_OFFSET_NS;
	/* at the end of an allocation, so that ASan sees a line that is too long */
	if (!buf)
		buf = malloc(JSON_MAX_LEN > LINE_MAX_LEN ? JSON_MAX_LEN : LINE_MAX_LEN);
	for (size_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++) {
		if (!formats[i].json && (r.h.flags & EV_EXIT) && formats[i].check == check_text)
			continue; /* an end has no words for the text check */
		n = formats[i].line(buf, &f, &r, &w);
		/* what the output stage reserves for the record: the formats' own rule */
		room = formats[i].json ? json_need(&r) : text_need(&r);
		if (n >= room) {
			fprintf(stderr,
				"fuzz_record: %s: a %zu-byte line, the reader reserves %zu\n",
				formats[i].name, n, room);
			abort();
		}
		if (formats[i].check)
			formats[i].check(buf, n, &f, &r, &w);
	}
	/* the journal's entry of an exec stays within the room the output stage reserves for it */
	if (!(r.h.flags & EV_EXIT)) {
		static char *entry;
		struct options jo = { .max_args = o.max_args,
				      .time = f.time,
				      .login = f.login,
				      .privilege = f.priv,
				      .hash = f.hash };
		struct print_env env = { .user_name = no_name };
		void *js;

		if (f.env)
			jo.env = *f.env;
		js = journal_format.open(&jo, &env);

		if (!entry)
			entry = malloc(JOURNAL_MAX_LEN);
		if (!js)
			abort();
		journal_format.clock(js, WALL_OFFSET_NS, 1000000000ULL);
		n = journal_format.exec(entry, js, &r, &w);
		room = journal_format.need(&r);
		journal_format.close(js);
		if (n > room || room > JOURNAL_MAX_LEN) {
			fprintf(stderr,
				"fuzz_record: journal: a %zu-byte entry, the reader reserves %zu\n",
				n, room);
			abort();
		}
	}
	return 0;
}
