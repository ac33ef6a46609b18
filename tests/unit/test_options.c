// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Option parsing: values, ranges and the one-line errors. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <linux/types.h>
#include "execsnoop.h"
#include "options.h"
#include "users.h"

static struct options o;
static char out[4096], err[4096];
static char big[100001];

/* Parses a NULL-terminated list of arguments after "execsnoop". */
static enum parse_result parse(const char *first, ...)
{
	char *argv[32] = { "execsnoop" };
	int argc = 1;
	const char *a;
	va_list ap;
	FILE *fo, *fe;
	enum parse_result r;

	va_start(ap, first);
	for (a = first; a; a = va_arg(ap, const char *))
		argv[argc++] = (char *)a;
	va_end(ap);
	memset(out, 0, sizeof(out));
	memset(err, 0, sizeof(err));
	fo = fmemopen(out, sizeof(out) - 1, "w");
	fe = fmemopen(err, sizeof(err) - 1, "w");
	r = parse_options(argc, argv, &o, users_find, fo, fe);
	fclose(fo);
	fclose(fe);
	return r;
}

static void assert_one_line_error(const char *want)
{
	assert_non_null(strstr(err, want));
	assert_int_equal(strncmp(err, "execsnoop: ", 11), 0);
	/* exactly one line */
	assert_non_null(strchr(err, '\n'));
	assert_int_equal(strchr(err, '\n')[1], '\0');
	assert_string_equal(out, "");
}

static void test_defaults(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), PARSE_OK);
	assert_int_equal(o.time, TIME_NONE);
	assert_false(o.fails);
	assert_int_equal(o.uid, NO_UID);
	assert_int_equal(o.ppid, NO_PPID);
	assert_int_equal(o.max_args, 0);
	assert_null(o.name);
	assert_null(o.line);
	assert_null(o.cgroup);
}

static void test_flags(void **state)
{
	(void)state;
	assert_int_equal(parse("-t", "-x", "-U", "-q", "-v", NULL), PARSE_OK);
	assert_int_equal(o.time, TIME_RELATIVE);
	assert_true(o.fails && o.print_uid && o.quote && o.verbose);
	assert_int_equal(parse("-tx", NULL), PARSE_OK);
	assert_true(o.fails);
	assert_int_equal(parse("--time", "--fails", "--print-uid", "--quote", NULL), PARSE_OK);
	assert_int_equal(o.time, TIME_WALL);
	assert_true(o.fails && o.print_uid && o.quote);
}

static void test_values(void **state)
{
	(void)state;
	assert_int_equal(parse("-u", "1000", "-P", "42", "-n", "ba", "-l", "x y", "-c",
			       "/sys/fs/cgroup", "--max-args", "3", NULL),
			 PARSE_OK);
	assert_int_equal(o.uid, 1000);
	assert_int_equal(o.ppid, 42);
	assert_string_equal(o.name, "ba");
	assert_string_equal(o.line, "x y");
	assert_string_equal(o.cgroup, "/sys/fs/cgroup");
	assert_int_equal(o.max_args, 3);
	assert_int_equal(parse("--uid=0", "--ppid=1", "--max-args=1024", NULL), PARSE_OK);
	assert_int_equal(o.uid, 0);
	assert_int_equal(o.ppid, 1);
	assert_int_equal(o.max_args, 1024);
}

static void test_user_name(void **state)
{
	(void)state;
	assert_int_equal(parse("-u", "root", NULL), PARSE_OK);
	assert_int_equal(o.uid, 0);
	assert_int_equal(parse("-u", "nosuchuser_zz", NULL), PARSE_ERROR);
	assert_one_line_error("invalid user 'nosuchuser_zz'");
	assert_int_equal(parse("-u", "12abc", NULL), PARSE_ERROR);
	assert_one_line_error("invalid user");
	assert_int_equal(parse("-u", "4294967295", NULL), PARSE_ERROR);
	assert_int_equal(parse("-u", "", NULL), PARSE_ERROR);
}

static void test_bad_numbers(void **state)
{
	(void)state;
	assert_int_equal(parse("--max-args", "0", NULL), PARSE_ERROR);
	assert_one_line_error("invalid --max-args '0'");
	assert_int_equal(parse("--max-args", "-1", NULL), PARSE_ERROR);
	assert_int_equal(parse("--max-args", "5x", NULL), PARSE_ERROR);
	assert_int_equal(parse("--max-args", "99999999999999999999", NULL), PARSE_ERROR);
	assert_int_equal(parse("-P", "abc", NULL), PARSE_ERROR);
	assert_one_line_error("invalid parent pid 'abc'");
	assert_int_equal(parse("-P", "0", NULL), PARSE_ERROR);
	assert_int_equal(parse("-P", " 1", NULL), PARSE_ERROR);
	assert_int_equal(parse("-P", "2147483648", NULL), PARSE_ERROR);
}

static void test_unknown_and_missing(void **state)
{
	(void)state;
	assert_int_equal(parse("-z", NULL), PARSE_ERROR);
	assert_one_line_error("unknown option '-z'");
	assert_int_equal(parse("--bogus", NULL), PARSE_ERROR);
	assert_one_line_error("unknown option '--bogus'");
	/* a value given to an option that takes none names that option, not its short form */
	assert_int_equal(parse("--json=1", NULL), PARSE_ERROR);
	assert_one_line_error("option '--json' takes no value");
	assert_int_equal(parse("--fails=yes", NULL), PARSE_ERROR);
	assert_one_line_error("option '--fails' takes no value");
	/* a bad letter inside a cluster after such a word is that letter */
	assert_int_equal(parse("--ppid=1", "-Zx", NULL), PARSE_ERROR);
	assert_one_line_error("unknown option '-Z'");
	assert_int_equal(parse("-u", NULL), PARSE_ERROR);
	assert_one_line_error("needs a value");
	assert_int_equal(parse("stray", NULL), PARSE_ERROR);
	assert_one_line_error("unexpected argument 'stray'");
}

static void test_help_and_version(void **state)
{
	(void)state;
	assert_int_equal(parse("-h", NULL), PARSE_EXIT);
	assert_non_null(strstr(out, "Usage: execsnoop"));
	assert_non_null(strstr(out, "--max-args"));
	assert_string_equal(err, "");
	assert_int_equal(parse("--version", NULL), PARSE_EXIT);
	assert_int_equal(strncmp(out, "execsnoop ", 10), 0);
}

static void test_ring_size(void **state)
{
	(void)state;
	assert_int_equal(parse("--ring-size=4M", NULL), PARSE_OK);
	assert_int_equal(o.ring_size, 4UL << 20);
	/* rounded up to a power of two */
	assert_int_equal(parse("--ring-size", "300k", NULL), PARSE_OK);
	assert_int_equal(o.ring_size, 512UL << 10);
	assert_int_equal(parse("--ring-size=1G", NULL), PARSE_OK);
	assert_int_equal(o.ring_size, 1UL << 30);
	assert_int_equal(parse("--ring-size=64K", NULL), PARSE_ERROR);
	assert_int_equal(parse("--ring-size=2G", NULL), PARSE_ERROR);
	assert_int_equal(parse("--ring-size=4X", NULL), PARSE_ERROR);
	assert_int_equal(parse("--ring-size=-4M", NULL), PARSE_ERROR);
	assert_int_equal(parse("--ring-size=99999999999999999999M", NULL), PARSE_ERROR);
	assert_non_null(strstr(err, "invalid --ring-size"));
}

static void test_ring_budget(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), PARSE_OK);
	assert_int_equal(stream_ring_size(o.ring_size, 1), 8UL << 20);
	assert_int_equal(stream_ring_size(o.ring_size, 2), 8UL << 20);
	assert_int_equal(stream_ring_size(o.ring_size, 8), 4UL << 20);
	/* the total stays within the budget as CPUs grow, down to the floor */
	for (int n = 1; n <= 128; n++)
		assert_true(n * stream_ring_size(o.ring_size, n) <= RING_BUDGET);
	assert_int_equal(stream_ring_size(o.ring_size, 1024), RING_DEFAULT_MIN);
	assert_int_equal(parse("--ring-size=1M", NULL), PARSE_OK);
	assert_int_equal(stream_ring_size(o.ring_size, 64), 1UL << 20);
}

static void test_priority(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), PARSE_OK);
	assert_int_equal(o.priority, PRIO_BOOST);
	assert_int_equal(parse("--priority=realtime", NULL), PARSE_OK);
	assert_int_equal(o.priority, PRIO_REALTIME);
	assert_int_equal(parse("--priority=none", NULL), PARSE_OK);
	assert_int_equal(o.priority, PRIO_NONE);
	assert_int_equal(parse("--priority=high", NULL), PARSE_ERROR);
	assert_non_null(strstr(err, "invalid --priority"));
}

static void test_time_conflict(void **state)
{
	(void)state;
	assert_int_equal(parse("-t", "-T", NULL), PARSE_ERROR);
	assert_one_line_error("-t and -T cannot be used together");
	assert_int_equal(parse("-T", "-t", NULL), PARSE_ERROR);
	assert_one_line_error("-t and -T cannot be used together");
	assert_int_equal(parse("-tT", NULL), PARSE_ERROR);
	assert_int_equal(parse("--time", "-x", "--timestamp", NULL), PARSE_ERROR);
	assert_one_line_error("-t and -T");
	assert_int_equal(parse("-t", "-t", NULL), PARSE_OK);
	assert_int_equal(o.time, TIME_RELATIVE);
	assert_int_equal(parse("-T", "--time", NULL), PARSE_OK);
	assert_int_equal(o.time, TIME_WALL);
}

/* True when err holds no control byte but its final newline. */
static bool printable(const char *s)
{
	for (; *s && *s != '\n'; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static void test_values_echoed_safely(void **state)
{
	const char *opts[] = { "-u", "-P", "--max-args", "--priority", "--ring-size", "--run-as" };

	(void)state;
	memset(big, 'v', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	for (size_t i = 0; i < sizeof(opts) / sizeof(opts[0]); i++) {
		assert_int_equal(parse(opts[i], big, NULL), PARSE_ERROR);
		assert_true(strlen(err) < 200);
		assert_non_null(strstr(err, "vvvv...'"));
		assert_int_equal(parse(opts[i], "1\x1b]0;x\a\r", NULL), PARSE_ERROR);
		assert_true(printable(err));
		assert_non_null(strstr(err, "'1\\x1b]0;x\\x07\\r'"));
	}
	assert_int_equal(parse(big, NULL), PARSE_ERROR);
	assert_one_line_error("unexpected argument 'vvvv");
	assert_true(strlen(err) < 200);
	big[0] = big[1] = '-';
	assert_int_equal(parse(big, NULL), PARSE_ERROR);
	assert_one_line_error("unknown option '--vvvv");
	assert_true(strlen(err) < 200);
	assert_int_equal(parse("--bogus=\x1b[31m", NULL), PARSE_ERROR);
	assert_one_line_error("unknown option '--bogus=\\x1b[31m'");
	assert_int_equal(parse("-\x1b", NULL), PARSE_ERROR);
	assert_one_line_error("unknown option '-\\x1b'");
	assert_int_equal(parse("-\x07x", NULL), PARSE_ERROR);
	assert_true(printable(err));
}

static void test_ring_fit(void **state)
{
	(void)state;
	/* a 512 KiB ring and its header page, and the doorbell's two pages, a CPU */
	assert_int_equal(stream_ring_fit(8UL << 20, 2 * (524ULL << 10), 2, 4096), 512UL << 10);
	assert_int_equal(stream_ring_fit(8UL << 20, 2 * (524ULL << 10) - 1, 2, 4096), 256UL << 10);
	/* 516 KiB per CPU, the kernel's default: the doorbell leaves room for 256 KiB rings */
	assert_int_equal(stream_ring_fit(8UL << 20, 2 * (516ULL << 10), 2, 4096), 256UL << 10);
	/* plus an 8 MiB locked-memory limit */
	assert_int_equal(stream_ring_fit(8UL << 20, 2 * (516ULL << 10) + (8ULL << 20), 2, 4096),
			 4UL << 20);
	assert_int_equal(stream_ring_fit(8UL << 20, ~0ULL, 64, 4096), 8UL << 20);
	assert_int_equal(stream_ring_fit(1UL << 30, 1ULL << 41, 1024, 65536), 1UL << 30);
	/* not even the smallest ring */
	assert_int_equal(stream_ring_fit(8UL << 20, 64 << 10, 1, 4096), 0);
	assert_int_equal(stream_ring_fit(RING_SIZE_MIN, RING_SIZE_MIN + 3 * 4096, 1, 4096),
			 RING_SIZE_MIN);
	assert_int_equal(stream_ring_fit(RING_SIZE_MIN, RING_SIZE_MIN + 3 * 4096 - 1, 1, 4096), 0);
}

static void test_ring_first(void **state)
{
	(void)state;
	/* the first rings are small, and a power of two as every ring */
	assert_int_equal(stream_first_size(8UL << 20), RING_FIRST);
	assert_int_equal(stream_first_size(RING_SIZE_MAX), RING_FIRST);
	assert_true((RING_FIRST & (RING_FIRST - 1)) == 0 && RING_FIRST >= RING_SIZE_MIN);
	/* a ring no larger is opened as it is, and never grows */
	assert_int_equal(stream_first_size(RING_FIRST), RING_FIRST);
	assert_int_equal(stream_first_size(RING_SIZE_MIN), RING_SIZE_MIN);
	assert_int_equal(stream_first_size(256UL << 10), 256UL << 10);
}

static void test_run_as(void **state)
{
	(void)state;
	assert_int_equal(parse(NULL), PARSE_OK);
	assert_int_equal(o.run_uid, NO_UID);
	assert_int_equal(parse("--run-as=root", NULL), PARSE_OK);
	assert_int_equal(o.run_uid, 0);
	assert_int_equal(o.run_gid, 0);
	/* a uid without an entry in /etc/passwd: its group is the same number */
	assert_int_equal(parse("--run-as", "3999999999", NULL), PARSE_OK);
	assert_int_equal(o.run_uid, 3999999999U);
	assert_int_equal(o.run_gid, 3999999999U);
	/* the -u filter is a different option */
	assert_int_equal(o.uid, NO_UID);
	assert_int_equal(parse("--run-as=nosuchuser_zz", NULL), PARSE_ERROR);
	assert_one_line_error("invalid --run-as user 'nosuchuser_zz'");
	assert_int_equal(parse("--run-as=", NULL), PARSE_ERROR);
	assert_int_equal(parse("--run-as=4294967295", NULL), PARSE_ERROR);
	assert_int_equal(parse("--run-as", NULL), PARSE_ERROR);
	assert_one_line_error("needs a value");
}

static void test_command_after_dashes(void **state)
{
	(void)state;
	assert_int_equal(parse("-t", "--", "make", "-j8", NULL), PARSE_OK);
	assert_non_null(o.command);
	assert_string_equal(o.command[0], "make");
	assert_string_equal(o.command[1], "-j8");
	assert_null(o.command[2]);
	assert_int_equal(o.time, TIME_RELATIVE);
	/* options stop at --: what follows is the command's */
	assert_int_equal(parse("--", "ls", "-x", "--", "-t", NULL), PARSE_OK);
	assert_string_equal(o.command[1], "-x");
	assert_string_equal(o.command[3], "-t");
	assert_false(o.fails);
	assert_int_equal(o.time, TIME_NONE);
	/* a -- that is an option's value is no separator */
	assert_int_equal(parse("-n", "--", NULL), PARSE_OK);
	assert_string_equal(o.name, "--");
	assert_null(o.command);
	assert_int_equal(parse("-n", "--", "ls", NULL), PARSE_ERROR);
	assert_one_line_error("unexpected argument 'ls'");
	assert_int_equal(parse("-n", "--", "--", "ls", NULL), PARSE_OK);
	assert_string_equal(o.command[0], "ls");
	assert_int_equal(parse(NULL), PARSE_OK);
	assert_null(o.command);
}

static void test_command_errors(void **state)
{
	(void)state;
	assert_int_equal(parse("--", NULL), PARSE_ERROR);
	assert_one_line_error("no command after --");
	assert_int_equal(parse("-t", "--", NULL), PARSE_ERROR);
	assert_one_line_error("no command after --");
	/* a command without -- is refused, with the way to run it */
	assert_int_equal(parse("-t", "make", NULL), PARSE_ERROR);
	assert_one_line_error(
		"unexpected argument 'make'; to run a command and trace it, put it after --");
	assert_int_equal(parse("-p", "1", "--", "ls", NULL), PARSE_ERROR);
	assert_one_line_error("-p and a command cannot be used together");
	assert_int_equal(parse("--keep-root", NULL), PARSE_ERROR);
	assert_one_line_error("--keep-root is about a command run after --");
	assert_int_equal(parse("--keep-root", "--", "id", NULL), PARSE_OK);
	assert_true(o.keep_root);
	assert_int_equal(parse("--keep-root", "--run-as=0", "--", "id", NULL), PARSE_ERROR);
	assert_one_line_error("--keep-root and --run-as cannot be used together");
}

static void test_pid(void **state)
{
	(void)state;
	assert_int_equal(parse("-p", "42", NULL), PARSE_OK);
	assert_int_equal(o.pid, 42);
	assert_int_equal(parse("--pid=2147483647", NULL), PARSE_OK);
	assert_int_equal(o.pid, 2147483647);
	assert_int_equal(parse(NULL), PARSE_OK);
	assert_int_equal(o.pid, 0);
	assert_int_equal(parse("-p", "0", NULL), PARSE_ERROR);
	assert_one_line_error("invalid pid '0': expected a number from 1 to 2147483647");
	assert_int_equal(parse("--pid", "2147483648", NULL), PARSE_ERROR);
	assert_one_line_error("invalid pid '2147483648'");
	assert_int_equal(parse("-p", "12x", NULL), PARSE_ERROR);
	assert_one_line_error("invalid pid '12x'");
	assert_int_equal(parse("-p", "-1", NULL), PARSE_ERROR);
	assert_one_line_error("invalid pid '-1'");
	assert_int_equal(parse("-p", NULL), PARSE_ERROR);
	assert_one_line_error("option '-p' needs a value");
}

static void test_tree_and_summary(void **state)
{
	(void)state;
	assert_int_equal(parse("--tree", "-s", NULL), PARSE_OK);
	assert_true(o.tree && o.summary);
	assert_false(o.quiet);
	assert_int_equal(o.interval, 0);
	assert_int_equal(parse("--summary", "--quiet", "--interval", "5", NULL), PARSE_OK);
	assert_true(o.summary && o.quiet);
	assert_int_equal(o.interval, 5);
	/* an interval implies the summary */
	assert_int_equal(parse("--interval=1", NULL), PARSE_OK);
	assert_true(o.summary);
	assert_int_equal(parse("-s", "-j", NULL), PARSE_OK);
	assert_true(o.summary && o.json);
	assert_int_equal(parse("--interval", "0", NULL), PARSE_ERROR);
	assert_one_line_error("invalid --interval '0': expected seconds from 1 to 86400");
	assert_int_equal(parse("--interval", "86401", NULL), PARSE_ERROR);
	assert_one_line_error("invalid --interval '86401'");
	assert_int_equal(parse("--interval", "1.5", NULL), PARSE_ERROR);
	assert_one_line_error("invalid --interval '1.5'");
	assert_int_equal(parse("--quiet", NULL), PARSE_ERROR);
	assert_one_line_error(
		"--quiet prints no lines, only the summary or the metrics: add --summary or --metrics");
	assert_int_equal(parse("--tree", "-j", NULL), PARSE_ERROR);
	assert_one_line_error("--tree is a text view, not with -j");
}

static void test_journal_and_metrics(void **state)
{
	(void)state;
	assert_int_equal(parse("--journal", "-x", NULL), PARSE_OK);
	assert_true(o.journal && o.fails);
	assert_int_equal(parse("--journal", "-j", NULL), PARSE_ERROR);
	assert_one_line_error("--journal is a format of its own, not with -j");
	assert_int_equal(parse("--journal", "--tree", NULL), PARSE_ERROR);
	assert_one_line_error("--journal is a format of its own, not with --tree");
	/* the metrics every 15 s, or every --interval, which then implies no summary */
	assert_int_equal(parse("--metrics=/x/m.prom", NULL), PARSE_OK);
	assert_string_equal(o.metrics, "/x/m.prom");
	assert_int_equal(o.metrics_interval, 15);
	assert_int_equal(parse("--metrics", "m.prom", "--interval", "5", "--quiet", NULL),
			 PARSE_OK);
	assert_int_equal(o.metrics_interval, 5);
	assert_false(o.summary);
	assert_true(o.quiet);
	assert_int_equal(parse("--metrics", "m.prom", "-s", "--interval", "5", NULL), PARSE_OK);
	assert_true(o.summary);
	assert_int_equal(parse("--metrics=", NULL), PARSE_ERROR);
	assert_one_line_error("--metrics needs a file name");
	assert_int_equal(parse("--metrics", NULL), PARSE_ERROR);
	assert_one_line_error("option '--metrics' needs a value; try --help");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_defaults),
		cmocka_unit_test(test_flags),
		cmocka_unit_test(test_values),
		cmocka_unit_test(test_user_name),
		cmocka_unit_test(test_bad_numbers),
		cmocka_unit_test(test_unknown_and_missing),
		cmocka_unit_test(test_help_and_version),
		cmocka_unit_test(test_ring_size),
		cmocka_unit_test(test_ring_budget),
		cmocka_unit_test(test_priority),
		cmocka_unit_test(test_time_conflict),
		cmocka_unit_test(test_values_echoed_safely),
		cmocka_unit_test(test_ring_fit),
		cmocka_unit_test(test_ring_first),
		cmocka_unit_test(test_run_as),
		cmocka_unit_test(test_command_after_dashes),
		cmocka_unit_test(test_command_errors),
		cmocka_unit_test(test_pid),
		cmocka_unit_test(test_tree_and_summary),
		cmocka_unit_test(test_journal_and_metrics),
	};

	return cmocka_run_group_tests_name("options", tests, NULL, NULL);
}
