// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Decoding, joining, truncation marks and columns, without BPF. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <cmocka.h>
#include "text.h"
#include "records.h"

static struct event ev;
static struct record rec;
static char line[LINE_MAX_LEN];

/* Builds a record: path, then args_len bytes of NUL-separated arguments. */
static const struct record *make_event(const char *path, const char *args, size_t args_len,
				       unsigned int flags)
{
	struct event_hdr h = {
		.pid = 1234, .ppid = 1, .uid = 1000, .fd = -100, .flags = flags, .comm = "prog"
	};

	return build_record(&rec, &ev, &h, path, args, args_len);
}

/* Decodes ev as it stands, as the reader would. */
static const struct record *decode(void)
{
	if (record_decode(&rec, &ev, EVENT_HDR_LEN + ev.h.fname_len + ev.h.args_len))
		return NULL;
	return &rec;
}

/* The ARGS column of one formatted line, without the newline. */
static const char *args_of(const struct record *e, struct fmt *f)
{
	static struct words w;
	size_t n;

	assert_non_null(e);
	record_words(e, &w);
	n = text_line(line, f, e, &w);
	assert_true(n > 0 && line[n - 1] == '\n');
	line[n - 1] = '\0';
	/* PCOMM(16) PID(6) PPID(6) RET(3), single spaces between */
	return line + 16 + 1 + 6 + 1 + 6 + 1 + 3 + 1;
}

static void test_joins_path_and_args(void **state)
{
	struct fmt f = {};

	(void)state;
	assert_string_equal(args_of(make_event("/bin/ls", "-l\0/tmp\0", 8, 0), &f),
			    "/bin/ls -l /tmp");
}

static void test_columns(void **state)
{
	struct fmt f = {};
	static struct words w;
	const struct record *e = make_event("/bin/true", "", 0, 0);

	(void)state;
	record_words(e, &w);
	text_line(line, &f, e, &w);
	assert_string_equal(line, "prog             1234   1        0 /bin/true\n");
	text_header(line, &f);
	assert_string_equal(line, "PCOMM            PID    PPID   RET ARGS\n");
}

static void test_uid_and_time_columns(void **state)
{
	struct fmt f = { .print_uid = true, .time = TIME_RELATIVE, .start_ns = 1000000000ULL };
	static struct words w;
	const struct record *e = make_event("/bin/true", "", 0, 0);

	(void)state;
	rec.h.ts = 1001500000000ULL; /* 1000.5 s after start */
	record_words(e, &w);
	text_line(line, &f, e, &w);
	assert_string_equal(line,
			    "1000.500   1000   prog             1234   1        0 /bin/true\n");
	rec.h.ts = 1500000000ULL;
	text_line(line, &f, e, &w);
	assert_string_equal(line,
			    "0.500      1000   prog             1234   1        0 /bin/true\n");
	text_header(line, &f);
	assert_string_equal(line, "TIME(s)    UID    PCOMM            PID    PPID   RET ARGS\n");
	f.time = TIME_WALL;
	text_header(line, &f);
	assert_string_equal(line, "TIME     UID    PCOMM            PID    PPID   RET ARGS\n");
}

static void test_wall_time(void **state)
{
	struct fmt f = { .time = TIME_WALL };
	static struct words w;
	const struct record *e = make_event("/bin/true", "", 0, 0);

	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	/* 1 h 2 min 3 s past midnight */
	f.wall_offset_ns = 3723LL * 1000000000LL - 5000;
	rec.h.ts = 5000;
	record_words(e, &w);
	text_line(line, &f, e, &w);
	assert_string_equal(line, "01:02:03 prog             1234   1        0 /bin/true\n");
}

static void test_negative_ret(void **state)
{
	struct fmt f = {};
	static struct words w;
	const struct record *e = make_event("/nope", "", 0, EV_FNAME_USER);

	(void)state;
	rec.h.ret = -2;
	record_words(e, &w);
	text_line(line, &f, e, &w);
	assert_string_equal(line, "prog             1234   1       -2 /nope\n");
}

/* The line for a failed exec returning ret with flags. */
static const char *ret_line(int ret, unsigned int flags)
{
	struct fmt f = {};
	static struct words w;
	const struct record *e = make_event("/p", "", 0, EV_FNAME_USER | flags);

	rec.h.ret = ret;
	record_words(e, &w);
	text_line(line, &f, e, &w);
	return line;
}

static void test_cut_short_execs_say_so(void **state)
{
	(void)state;
	/* the kernel's internal values: interrupted, or killed */
	assert_string_equal(ret_line(-512, 0), "prog             1234   1      intr /p\n");
	assert_string_equal(ret_line(-530, 0), "prog             1234   1      intr /p\n");
	assert_string_equal(ret_line(-514, EV_KILLED),
			    "prog             1234   1      killed /p\n");
	/* whatever a killed exec returned, no program saw it */
	assert_string_equal(ret_line(-7, EV_KILLED), "prog             1234   1      killed /p\n");
	/* errnos, also next to the internal range, are numbers */
	assert_string_equal(ret_line(-511, 0), "prog             1234   1      -511 /p\n");
	assert_string_equal(ret_line(-531, 0), "prog             1234   1      -531 /p\n");
	assert_string_equal(ret_line(-4, 0), "prog             1234   1       -4 /p\n");
}

static void test_escapes_control_and_invalid(void **state)
{
	struct fmt f = {};
	const char args[] = "a\nb\0t\tx\r\0\xff\xfe\0\x1b[31m\0\x7f";

	(void)state;
	assert_string_equal(args_of(make_event("/p", args, sizeof(args), 0), &f),
			    "/p a\\nb t\\tx\\r \\xff\\xfe \\x1b[31m \\x7f");
}

static void test_utf8_kept_c1_escaped(void **state)
{
	struct fmt f = {};
	/* é, €, 😀 as is; U+009B (CSI) escaped; overlong / and a lone continuation byte escaped */
	const char args[] =
		"h\xc3\xa9llo\0\xe2\x82\xac\0\xf0\x9f\x98\x80\0\xc2\x9b\0\xc0\xaf\0\x80";

	(void)state;
	assert_string_equal(
		args_of(make_event("/p", args, sizeof(args), 0), &f),
		"/p h\xc3\xa9llo \xe2\x82\xac \xf0\x9f\x98\x80 \\xc2\\x9b \\xc0\\xaf \\x80");
}

static void test_utf8_cut_sequence(void **state)
{
	char out[64];
	size_t n;

	(void)state;
	/* a 3-byte sequence missing its last byte is not valid */
	n = escape(out, "\xe2\x82", 2, false);
	out[n] = '\0';
	assert_string_equal(out, "\\xe2\\x82");
	/* a surrogate encoded in UTF-8 is not valid */
	n = escape(out, "\xed\xa0\x80", 3, false);
	out[n] = '\0';
	assert_string_equal(out, "\\xed\\xa0\\x80");
}

static void test_quote(void **state)
{
	struct fmt f = { .quote = true };
	const char args[] = "a b\0say \"hi\"\0back\\slash\0";

	(void)state;
	assert_string_equal(args_of(make_event("/my prog", args, sizeof(args), 0), &f),
			    "\"/my prog\" \"a b\" \"say \\\"hi\\\"\" \"back\\\\slash\" \"\"");
}

static void test_quote_empty_and_plain_backslash(void **state)
{
	struct fmt f = {};
	const char args[] = "\0back\\slash\0say \"hi\"";

	(void)state;
	/* without -q, quotes and backslashes are printed as they are */
	assert_string_equal(args_of(make_event("/p", args, sizeof(args), 0), &f),
			    "/p  back\\slash say \"hi\"");
}

static void test_max_args_exact_has_no_mark(void **state)
{
	struct fmt f = { .max_args = 2 };

	(void)state;
	assert_string_equal(args_of(make_event("/p", "a\0b\0", 4, 0), &f), "/p a b");
	assert_string_equal(args_of(make_event("/p", "a\0b\0c\0", 6, 0), &f), "/p a b ...");
	f.max_args = 1;
	assert_string_equal(args_of(make_event("/p", "a\0b\0c\0", 6, 0), &f), "/p a ...");
}

static void test_truncated_and_fault_marks(void **state)
{
	struct fmt f = {};

	(void)state;
	/* cut inside the last argument: what was read, then the mark */
	assert_string_equal(args_of(make_event("/p", "a\0bc", 4, EV_TRUNCATED), &f), "/p a bc ...");
	assert_string_equal(args_of(make_event("/p", "a\0", 2, EV_FAULT), &f), "/p a ...");
	assert_string_equal(args_of(make_event("/p", "", 0, EV_FAULT), &f), "/p ...");
	assert_string_equal(args_of(make_event("", "", 0, EV_FNAME_FAULT | EV_FNAME_USER), &f),
			    "...");
	/* nothing cut, no mark */
	assert_string_equal(args_of(make_event("/p", "", 0, 0), &f), "/p");
}

static void test_execveat_paths(void **state)
{
	struct fmt f = {};

	(void)state;
	make_event("prog", "x\0", 2, EV_FNAME_USER);
	ev.h.fd = 3;
	assert_string_equal(args_of(decode(), &f), "/dev/fd/3/prog x");
	make_event("", "", 0, EV_FNAME_USER);
	ev.h.fd = 7;
	assert_string_equal(args_of(decode(), &f), "/dev/fd/7");
	make_event("/abs/prog", "", 0, EV_FNAME_USER);
	ev.h.fd = 7;
	assert_string_equal(args_of(decode(), &f), "/abs/prog");
	/* a path the kernel resolved is printed as it is */
	make_event("/dev/fd/5/x", "", 0, 0);
	ev.h.fd = 5;
	assert_string_equal(args_of(decode(), &f), "/dev/fd/5/x");
}

static void test_whole_argv_skips_argv0_and_interpreter(void **state)
{
	struct fmt f = {};

	(void)state;
	assert_string_equal(args_of(make_event("/bin/ls", "ls\0-l\0", 6, EV_HAS_ARGV0), &f),
			    "/bin/ls -l");
	/* #!/bin/sh: the new argv is the interpreter, the script, then the caller's */
	assert_string_equal(
		args_of(make_event("./s.sh", "/bin/sh\0./s.sh\0a\0", 17, EV_HAS_ARGV0 | EV_INTERP),
			&f),
		"./s.sh a");
	/* a nested interpreter: /x/b runs ./s.sh, /bin/sh runs /x/b */
	assert_string_equal(args_of(make_event("./s.sh", "/bin/sh\0/x/b\0./s.sh\0./s.sh\0", 27,
					       EV_HAS_ARGV0 | EV_INTERP),
				    &f),
			    "./s.sh ./s.sh");
	/* no interpreter: an argument equal to the path is the caller's */
	assert_string_equal(
		args_of(make_event("/bin/echo", "echo\0/bin/echo\0", 15, EV_HAS_ARGV0), &f),
		"/bin/echo /bin/echo");
	/* #!/bin/sh -e */
	assert_string_equal(args_of(make_event("./s.sh", "/bin/sh\0-e\0./s.sh\0a\0", 20,
					       EV_HAS_ARGV0 | EV_INTERP),
				    &f),
			    "./s.sh a");
	/* the kernel counted the caller's words: the record starts at its argv[1], kept whole */
	assert_string_equal(args_of(make_event("./s.sh", "./s.sh\0a\0", 9, EV_INTERP), &f),
			    "./s.sh ./s.sh a");
}

static void test_cut_path_is_marked(void **state)
{
	static char path[FNAME_MAX], want[FNAME_MAX + 16];
	struct fmt f = {};

	(void)state;
	memset(path, 'p', sizeof(path) - 1);
	path[0] = '/';
	/* the arguments after a cut path are whole: the mark ends the line */
	snprintf(want, sizeof(want), "%s a ...", path);
	assert_string_equal(args_of(make_event(path, "a\0", 2, EV_FNAME_CUT), &f), want);
	/* as long, and whole */
	want[strlen(want) - 4] = '\0';
	assert_string_equal(args_of(make_event(path, "a\0", 2, 0), &f), want);
	/* a dirfd-relative name is shown as long as a resolved path can be */
	make_event(path + 1, "a\0", 2, EV_FNAME_USER);
	ev.h.fd = 3;
	snprintf(want, sizeof(want), "/dev/fd/3/%.*s a ...", FNAME_MAX - 1 - 10, path + 1);
	assert_string_equal(args_of(decode(), &f), want);
}

static void test_line_filter(void **state)
{
	static struct words w;

	(void)state;
	record_words(make_event("/bin/grep", "-r\0needle here\0", 15, 0), &w);
	assert_true(words_contain(&w, "needle"));
	assert_true(words_contain(&w, "grep -r needle"));
	assert_true(words_contain(&w, "/bin/grep"));
	assert_false(words_contain(&w, "here "));
	assert_false(words_contain(&w, "haystack"));
}

static void test_rejects_malformed_records(void **state)
{
	(void)state;
	memset(&ev, 0, sizeof(ev));
	assert_int_equal(record_decode(&rec, &ev, EVENT_HDR_LEN - 1), -EINVAL);
	/* no room for the path */
	assert_int_equal(record_decode(&rec, &ev, EVENT_HDR_LEN), -EINVAL);
	ev.h.fname_len = 4;
	ev.h.args_len = 10;
	assert_int_equal(record_decode(&rec, &ev, EVENT_HDR_LEN + 13), -EINVAL);
	assert_int_equal(record_decode(&rec, &ev, EVENT_HDR_LEN + 14), 0);
	ev.h.args_len = ARGS_MAX + 1;
	assert_int_equal(record_decode(&rec, &ev, sizeof(ev)), -EINVAL);
	ev.h.args_len = 0;
	ev.h.fname_len = FNAME_MAX + 1;
	assert_int_equal(record_decode(&rec, &ev, sizeof(ev)), -EINVAL);
}

static void test_decodes_from_any_alignment(void **state)
{
	static char raw[EVENT_HDR_LEN + 64 + 8];
	const struct record *r = make_event("/p", "a\0", 2, 0);

	(void)state;
	/* a perf sample's data starts 4 bytes past an 8-byte boundary */
	ev.h.ts = 0x1122334455667788ULL;
	for (size_t off = 1; off < 8; off++) {
		memcpy(raw + off, &ev, EVENT_HDR_LEN + 5);
		assert_int_equal(record_decode(&rec, raw + off, EVENT_HDR_LEN + 5), 0);
		assert_true(rec.h.ts == 0x1122334455667788ULL);
		assert_int_equal(rec.h.pid, 1234);
		assert_ptr_equal(rec.data, raw + off + EVENT_HDR_LEN);
	}
	(void)r;
}

static void test_args_lost_is_marked(void **state)
{
	struct fmt f = {};

	(void)state;
	/* the ring had room for the path only */
	assert_string_equal(args_of(make_event("/bin/ls", "", 0, EV_ARGS_LOST), &f), "/bin/ls ...");
	/* a failed exec not seen at entry: nothing but the mark */
	assert_string_equal(args_of(make_event("", "", 0, EV_NO_STASH | EV_FNAME_FAULT), &f),
			    "...");
}

/*
 * Runs of plain bytes are copied many at a time: a byte to escape is found
 * at every offset of a long run, in the terminal form (with and without -q)
 * and in JSON's.
 */
static void test_escape_found_at_every_offset(void **state)
{
	static const struct {
		char c;
		const char *text, *quoted, *json;
	} cases[] = {
		{ '\n', "\\n", "\\n", "\\n" },
		{ 0x1f, "\\x1f", "\\x1f", "\\u001f" },
		{ 0x7f, "\\x7f", "\\x7f", "\\u007f" },
		{ '"', "\"", "\\\"", "\\\"" },
		{ '\\', "\\", "\\\\", "\\\\" },
		{ ' ', " ", " ", " " },
		{ '~', "~", "~", "~" },
	};
	char in[48], want[128], got[256];
	size_t n;

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		for (size_t at = 0; at < sizeof(in); at++) {
			const char *forms[] = { cases[k].text, cases[k].quoted, cases[k].json };

			memset(in, 'a', sizeof(in));
			in[at] = cases[k].c;
			for (int f = 0; f < 3; f++) {
				snprintf(want, sizeof(want), "%.*s%s%.*s", (int)at, in, forms[f],
					 (int)(sizeof(in) - at - 1), in + at + 1);
				n = f == 2 ? escape_json(got, in, sizeof(in))
					   : escape(got, in, sizeof(in), f == 1);
				got[n] = '\0';
				assert_string_equal(got, want);
			}
		}
		/* a byte that is not UTF-8 is found wherever it is: JSON then writes hex */
		memset(in, 'a', sizeof(in));
		in[k * 6] = '\x80';
		assert_int_equal(escape_json(got, in, sizeof(in)), ESCAPE_INVALID);
	}
}

static void test_comm_is_escaped_and_padded(void **state)
{
	struct fmt f = {};
	static struct words w;
	const struct record *e = make_event("/p", "", 0, 0);

	(void)state;
	strcpy(rec.h.comm, "a\nb");
	record_words(e, &w);
	text_line(line, &f, e, &w);
	assert_string_equal(line, "a\\nb             1234   1        0 /p\n");
}

static void test_longest_line_fits(void **state)
{
	struct fmt f = { .quote = true };
	static char args[ARGS_MAX];
	static char path[FNAME_MAX];
	static struct words w;
	size_t n;

	(void)state;
	/* every byte a separator or an invalid byte: the worst case for the buffer */
	for (size_t i = 0; i < sizeof(args); i++)
		args[i] = i % 2 ? '\0' : '\xff';
	memset(path, '\x01', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	make_event(path, args, sizeof(args), 0);
	record_words(decode(), &w);
	n = text_line(line, &f, decode(), &w);
	assert_true(n < LINE_MAX_LEN);
	assert_int_equal(line[n - 1], '\n');
}

/* The argument walk stops at --max-args and says so only when arguments are left. */
static void test_arg_walk(void **state)
{
	const struct record *e = make_event("/bin/x", "a\0bc\0d", 7, EV_HAS_ARGV0);
	struct arg_walk a;
	struct words w;
	const char *s;
	size_t n;

	(void)state;
	record_words(e, &w);
	args_start(&a, &w, 0);
	assert_true(args_next(&a, &s, &n));
	assert_int_equal(n, 2);
	assert_memory_equal(s, "bc", 2);
	/* the last argument need not end in a NUL */
	assert_true(args_next(&a, &s, &n));
	assert_int_equal(n, 1);
	assert_memory_equal(s, "d", 1);
	assert_false(args_next(&a, &s, &n));
	assert_false(a.more);

	args_start(&a, &w, 1);
	assert_true(args_next(&a, &s, &n));
	assert_false(args_next(&a, &s, &n));
	assert_true(a.more);

	args_start(&a, &w, 2);
	assert_true(args_next(&a, &s, &n));
	assert_true(args_next(&a, &s, &n));
	assert_false(args_next(&a, &s, &n));
	assert_false(a.more);
}

/* A wait status: an exit code, or a signal with or without a core dump. */
static void test_exit_status(void **state)
{
	const struct record *e = make_event("/bin/x", "", 0, EV_EXIT);
	struct exit_status x;

	(void)state;
	ev.h.ret = 3 << 8;
	ev.h.ts = 5000;
	ev.h.exec_ts = 2000;
	e = decode();
	record_exit(e, &x);
	assert_int_equal(x.sig, 0);
	assert_int_equal(x.code, 3);
	assert_false(x.core);
	assert_int_equal(x.lived_ns, 3000);

	ev.h.ret = 11 | 0x80;
	ev.h.exec_ts = 9000; /* a clock that went back: no negative lifetime */
	e = decode();
	record_exit(e, &x);
	assert_int_equal(x.sig, 11);
	assert_true(x.core);
	assert_string_equal(x.name, "SEGV");
	assert_int_equal(x.lived_ns, 0);

	ev.h.ret = 40;
	e = decode();
	record_exit(e, &x);
	assert_int_equal(x.sig, 40);
	assert_false(x.core);
	assert_null(x.name);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_joins_path_and_args),
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_uid_and_time_columns),
		cmocka_unit_test(test_wall_time),
		cmocka_unit_test(test_negative_ret),
		cmocka_unit_test(test_cut_short_execs_say_so),
		cmocka_unit_test(test_escapes_control_and_invalid),
		cmocka_unit_test(test_utf8_kept_c1_escaped),
		cmocka_unit_test(test_escape_found_at_every_offset),
		cmocka_unit_test(test_utf8_cut_sequence),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_empty_and_plain_backslash),
		cmocka_unit_test(test_max_args_exact_has_no_mark),
		cmocka_unit_test(test_truncated_and_fault_marks),
		cmocka_unit_test(test_execveat_paths),
		cmocka_unit_test(test_whole_argv_skips_argv0_and_interpreter),
		cmocka_unit_test(test_cut_path_is_marked),
		cmocka_unit_test(test_line_filter),
		cmocka_unit_test(test_rejects_malformed_records),
		cmocka_unit_test(test_decodes_from_any_alignment),
		cmocka_unit_test(test_args_lost_is_marked),
		cmocka_unit_test(test_comm_is_escaped_and_padded),
		cmocka_unit_test(test_longest_line_fits),
		cmocka_unit_test(test_arg_walk),
		cmocka_unit_test(test_exit_status),
	};

	return cmocka_run_group_tests_name("record and text", tests, NULL, NULL);
}
