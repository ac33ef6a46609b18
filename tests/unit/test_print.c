// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The output stage: the format the options pick, what it has the programs capture, the lines. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>
#include <sys/mman.h>
#include "print.h"
#include "records.h"
#include "users.h"

static struct options o;
static struct event ev;
static struct record rec;

static void parse(const char *a, const char *b)
{
	char *argv[] = { "execsnoop", (char *)a, (char *)b, NULL };
	int argc = 1 + (a != NULL) + (b != NULL);
	FILE *null = fopen("/dev/null", "w");

	assert_non_null(null);
	assert_int_equal(parse_options(argc, argv, &o, NULL, null, null), PARSE_OK);
	fclose(null);
}

/* What each option has the programs capture: as before the output stage chose. */
static void test_fields(void **state)
{
	(void)state;
	parse(NULL, NULL);
	assert_int_equal(print_fields(&o), 0);
	parse("-j", NULL);
	assert_int_equal(print_fields(&o), FIELD_COMM_BEFORE | FIELD_CWD | FIELD_EXE | FIELD_IDS |
						   FIELD_CGROUP | FIELD_LOGIN | FIELD_PRIV |
						   FIELD_ANCESTRY | FIELD_INTERP);
	parse("--tree", NULL);
	assert_int_equal(print_fields(&o), FIELD_IDS | FIELD_ANCESTOR);
	parse("-s", NULL);
	assert_int_equal(print_fields(&o), FIELD_IDS | FIELD_ANCESTOR);
	parse("-e", NULL);
	assert_int_equal(print_fields(&o), FIELD_IDS);
	parse("--cwd", "--container");
	assert_int_equal(print_fields(&o), FIELD_CWD | FIELD_CGROUP);
	parse("--login", "--privilege");
	assert_int_equal(print_fields(&o), FIELD_LOGIN | FIELD_PRIV);
	/* the filter reads what the column shows */
	parse("--privileged", NULL);
	assert_int_equal(print_fields(&o), FIELD_PRIV);
	parse("-j", "--privileged");
	assert_true(print_fields(&o) & FIELD_PRIV);
	/* a digest is of the file the kernel saw, found by its resolved path too */
	parse("--hash", NULL);
	assert_int_equal(print_fields(&o), FIELD_FILE | FIELD_EXE);
	parse("--env", "LD_*");
	assert_int_equal(print_fields(&o), FIELD_ENV);
	options_free(&o);
	/* the interpreter is read for the structured formats only */
	parse("--journal", NULL);
	assert_true(print_fields(&o) & FIELD_INTERP);
}

/* One exec of pid 7 running /bin/ls -l; ret as given. */
static const struct record *exec_of(int ret)
{
	struct event_hdr h = {
		.pid = 7, .ppid = 1, .ret = ret, .fd = -100, .start_ns = 70, .comm = "ls"
	};

	assert_non_null(build_record(&rec, &ev, &h, "/bin/ls", "-l", 3));
	return &rec;
}

/* Runs records through the stage set up from the options; returns what it wrote. */
static char *through(const char *a, const char *b, int n_exits)
{
	static char got[4096];
	struct print_env env = {};
	struct print p;
	int fd = memfd_create("out", 0);
	ssize_t n;

	assert_true(fd >= 0);
	parse(a, b);
	assert_int_equal(print_init(&p, &o, &env, fd, NULL), 0);
	assert_int_equal(print_start(&p, 0, 0), 0);
	assert_true(print_record(&p, exec_of(0), NULL));
	/* a failed exec (not shown without -x in the kernel, but printed as given) */
	assert_true(print_record(&p, exec_of(-2), NULL));
	for (int i = 0; i < n_exits; i++) {
		exec_of(0);
		rec.h.flags = EV_EXIT;
		rec.h.ret = 3 << 8;
		assert_true(print_record(&p, &rec, NULL));
	}
	assert_int_equal(output_flush(&p.out, NULL), 0);
	print_free(&p);
	n = pread(fd, got, sizeof(got) - 1, 0);
	assert_true(n >= 0);
	got[n] = '\0';
	close(fd);
	return got;
}

static void test_text_lines(void **state)
{
	(void)state;
	assert_string_equal(through(NULL, NULL, 0),
			    "PCOMM            PID    PPID   RET ARGS\n"
			    "ls               7      1        0 /bin/ls -l\n"
			    "ls               7      1       -2 /bin/ls -l\n");
	/* -e: one end, for the exec printed; none for a process not printed */
	assert_string_equal(
		through("-e", NULL, 2),
		"PCOMM            PID    PPID   RET ARGS\n"
		"ls               7      1        0 /bin/ls -l\n"
		"ls               7      1       -2 /bin/ls -l\n"
		"ls               7      1      end code=3 lived=0.000000s cpu=0.000000s\n");
	/* -n: a filter in user space */
	assert_string_equal(through("-n", "nosuch", 0),
			    "PCOMM            PID    PPID   RET ARGS\n");
}

static void test_json_lines(void **state)
{
	const char *got;

	(void)state;
	got = through("-j", NULL, 0);
	/* no header: one object an exec */
	assert_int_equal(strncmp(got, "{\"type\":\"exec\"", 14), 0);
	assert_non_null(strstr(got, "\"args\":[\"-l\"],\"ret\":0,"));
	assert_non_null(strstr(got, "\"ret\":-2,\"killed\":false,\"errno\":\"ENOENT\""));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fields),
		cmocka_unit_test(test_text_lines),
		cmocka_unit_test(test_json_lines),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
