// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Native journal entries: the two forms of a field, an exec's fields with exact bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "print.h"
#include "records.h"

static struct event ev;
static struct record rec;
static struct words w;
static char out[JOURNAL_MAX_LEN];

/* The fields of an entry, in order, as the journal reads them. */
struct field {
	char name[64];
	const char *v;
	size_t n;
};
static struct field fields[2048];

static size_t parse(const char *buf, size_t len)
{
	size_t k = 0, i = 0;

	while (i < len) {
		const char *nl = memchr(buf + i, '\n', len - i);
		const char *eq = memchr(buf + i, '=', nl - (buf + i));
		__u64 n = 0;

		assert_non_null(nl);
		assert_true(k < sizeof(fields) / sizeof(fields[0]));
		if (eq) {
			snprintf(fields[k].name, sizeof(fields[k].name), "%.*s",
				 (int)(eq - buf - i), buf + i);
			fields[k].v = eq + 1;
			fields[k].n = nl - eq - 1;
			i = nl - buf + 1;
		} else {
			snprintf(fields[k].name, sizeof(fields[k].name), "%.*s",
				 (int)(nl - buf - i), buf + i);
			for (int b = 7; b >= 0; b--)
				n = n << 8 | (unsigned char)nl[1 + b];
			fields[k].v = nl + 9;
			fields[k].n = n;
			assert_int_equal(nl[9 + n], '\n');
			i = nl - buf + 10 + n;
		}
		k++;
	}
	assert_int_equal(i, len);
	return k;
}

/* The index of the nth field called name, or -1. */
static int find(size_t k, const char *name, int nth)
{
	for (size_t i = 0; i < k; i++) {
		if (!strcmp(fields[i].name, name) && nth-- == 0)
			return i;
	}
	return -1;
}

static void assert_field(size_t k, const char *name, const char *v, size_t n)
{
	int i = find(k, name, 0);

	assert_true(i >= 0);
	assert_int_equal(fields[i].n, n);
	assert_memory_equal(fields[i].v, v, n);
}

static const struct record *make(const char *path, const char *args, size_t alen, int ret)
{
	struct event_hdr h = { .ts = 5000000123ULL,
			       .pid = 42,
			       .tid = 42,
			       .ppid = 1,
			       .start_ns = 7,
			       .parent_start_ns = 3,
			       .ret = ret,
			       .comm = "prog",
			       .comm_before = "sh" };

	assert_non_null(build_record(&rec, &ev, &h, path, args, alen));
	record_words(&rec, &w);
	return &rec;
}

static void test_field_forms(void **state)
{
	char *d;

	(void)state;
	d = journal_field(out, "A", "b c", 3);
	assert_int_equal(d - out, 6);
	assert_memory_equal(out, "A=b c\n", 6);
	/* a newline in the value: the name, a newline, the length as 64-bit little endian */
	d = journal_field(out, "B", "x\ny", 3);
	assert_int_equal(d - out, 2 + 8 + 3 + 1);
	assert_memory_equal(out, "B\n\x03\0\0\0\0\0\0\0x\ny\n", 14);
}

static const char hostile[] = "line\nbreak\0\0\x1b[31m\0bad\xff\0MESSAGE=forged\0";

static void test_exec_entry(void **state)
{
	struct print_env env = {};
	struct options o = {};
	void *s = journal_format.open(&o, &env);
	size_t n, k;

	(void)state;
	assert_non_null(s);
	make("/bin/prog", hostile, sizeof(hostile) - 1, 0);
	n = journal_format.exec(out, s, &rec, &w);
	assert_true(n <= journal_format.need(&rec));
	k = parse(out, n);
	/* the text line, escaped: no newline of its own */
	assert_int_equal(find(k, "MESSAGE", 0), 0);
	assert_null(memchr(fields[0].v, '\n', fields[0].n));
	assert_field(k, "MESSAGE_ID", JOURNAL_ID_EXEC, 32);
	assert_field(k, "SYSLOG_IDENTIFIER", "execsnoop", 9);
	assert_field(k, "EXECSNOOP_TYPE", "exec", 4);
	assert_field(k, "EXECSNOOP_ID", "42@7", 4);
	assert_field(k, "EXECSNOOP_PARENT_ID", "1@3", 3);
	assert_field(k, "EXECSNOOP_COMM_BEFORE", "sh", 2);
	assert_field(k, "EXECSNOOP_PATH", "/bin/prog", 9);
	assert_field(k, "EXECSNOOP_ARGC", "5", 1);
	/* every argument exactly, each ended by a NUL */
	assert_field(k, "EXECSNOOP_ARGS", hostile, sizeof(hostile) - 1);
	/* and one by one, in order */
	assert_field(k, "EXECSNOOP_ARG", "line\nbreak", 10);
	assert_int_equal(fields[find(k, "EXECSNOOP_ARG", 1)].n, 0);
	assert_int_equal(fields[find(k, "EXECSNOOP_ARG", 2)].n, 5);
	assert_memory_equal(fields[find(k, "EXECSNOOP_ARG", 3)].v, "bad\xff", 4);
	assert_memory_equal(fields[find(k, "EXECSNOOP_ARG", 4)].v, "MESSAGE=forged", 14);
	assert_int_equal(find(k, "EXECSNOOP_ARG", 5), -1);
	/* null in JSON: left out */
	assert_int_equal(find(k, "EXECSNOOP_ERRNO", 0), -1);
	assert_int_equal(find(k, "EXECSNOOP_CUT", 0), -1);
	assert_int_equal(find(k, "EXECSNOOP_USER", 0), -1);
	journal_format.close(s);
}

/* A record of /bin/prog with WHO and ANCESTORS sections: a setuid exec on pts/3, two ancestors. */
static void make_who(void)
{
	struct who who = { .caps = 1ULL << 13,
			   .loginuid = 1000,
			   .sessionid = 4,
			   .euid = 0,
			   .egid = 5,
			   .tty_index = 3,
			   .flags = WHO_LOGIN | WHO_PRIV | WHO_PTS | WHO_SETUID };
	struct ancestry anc = { .n = 2, .cut = 1 };
	size_t off;

	strcpy(who.tty, "pts3");
	anc.a[0] = (struct ancestor){ .start_ns = 70, .pid = 7, .comm = "sh" };
	anc.a[1] = (struct ancestor){ .start_ns = 60, .pid = 6, .comm = "s\nh" };
	make("/bin/prog", "", 0, 0);
	off = ev.h.fname_len + ev.h.args_len;
	memcpy(ev.data + off, &who, sizeof(who));
	memcpy(ev.data + off + sizeof(who), &anc, ANCESTRY_LEN(2));
	ev.h.flags |= EV_WHO | EV_ANCESTORS;
	ev.h.who_len = sizeof(who);
	ev.h.anc_len = ANCESTRY_LEN(2);
	assert_int_equal(
		record_decode(&rec, &ev, EVENT_HDR_LEN + off + ev.h.who_len + ev.h.anc_len), 0);
	record_words(&rec, &w);
}

static const char *a_name(__u32 uid)
{
	return uid == 1000 ? "alice" : NULL;
}

/* Every JSON field of the login identity, the privilege and the ancestors, as fields. */
static void test_who_entry(void **state)
{
	struct print_env env = { .user_name = a_name };
	struct options o = {};
	void *s = journal_format.open(&o, &env);
	size_t n, k;

	(void)state;
	make_who();
	n = journal_format.exec(out, s, &rec, &w);
	assert_true(n <= journal_format.need(&rec));
	k = parse(out, n);
	assert_field(k, "EXECSNOOP_LOGIN_UID", "1000", 4);
	assert_field(k, "EXECSNOOP_LOGIN_USER", "alice", 5);
	assert_field(k, "EXECSNOOP_SESSION_ID", "4", 1);
	assert_field(k, "EXECSNOOP_TTY", "pts/3", 5);
	assert_field(k, "EXECSNOOP_EUID", "0", 1);
	assert_field(k, "EXECSNOOP_EGID", "5", 1);
	assert_field(k, "EXECSNOOP_PRIVILEGE_SETUID", "true", 4);
	assert_field(k, "EXECSNOOP_PRIVILEGE_SETGID", "false", 5);
	assert_field(k, "EXECSNOOP_PRIVILEGE_CAPS", "cap_net_raw", 11);
	assert_int_equal(find(k, "EXECSNOOP_PRIVILEGE_CAPS", 1), -1);
	assert_field(k, "EXECSNOOP_PRIVILEGE_EXACT", "true", 4);
	/* in order, in one value each: a journal keeps repeated fields as a set */
	assert_field(k, "EXECSNOOP_ANCESTORS", "7@70 6@60", 9);
	assert_field(k, "EXECSNOOP_ANCESTORS_COMM", "sh\0s\nh\0", 7);
	assert_field(k, "EXECSNOOP_ANCESTORS_CUT", "true", 4);
	/* nothing raised: no privilege fields, as null in JSON */
	rec.who.flags &= ~WHO_SETUID;
	rec.who.caps = 0;
	rec.who.loginuid = NO_UID;
	k = parse(out, journal_format.exec(out, s, &rec, &w));
	assert_int_equal(find(k, "EXECSNOOP_PRIVILEGE_SETUID", 0), -1);
	assert_int_equal(find(k, "EXECSNOOP_LOGIN_UID", 0), -1);
	assert_int_equal(find(k, "EXECSNOOP_LOGIN_USER", 0), -1);
	assert_field(k, "EXECSNOOP_EUID", "0", 1);
	journal_format.close(s);
}

/* More arguments than fields an entry may have: all in EXECSNOOP_ARGS, the first ones apart. */
static void test_many_args(void **state)
{
	static char args[3000];
	struct print_env env = {};
	struct options o = {};
	void *s = journal_format.open(&o, &env);
	size_t n, k;

	(void)state;
	make("/bin/prog", args, sizeof(args), -2);
	n = journal_format.exec(out, s, &rec, &w);
	assert_true(n <= journal_format.need(&rec));
	k = parse(out, n);
	assert_true(k < 1024 - 64);
	assert_field(k, "EXECSNOOP_ARGS", args, sizeof(args));
	assert_field(k, "EXECSNOOP_ARGC", "3000", 4);
	assert_true(find(k, "EXECSNOOP_ARG", JOURNAL_ARG_FIELDS - 1) >= 0);
	assert_int_equal(find(k, "EXECSNOOP_ARG", JOURNAL_ARG_FIELDS), -1);
	assert_field(k, "EXECSNOOP_RET", "-2", 2);
	assert_field(k, "EXECSNOOP_ERRNO", "ENOENT", 6);
	journal_format.close(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_field_forms),
		cmocka_unit_test(test_exec_entry),
		cmocka_unit_test(test_many_args),
		cmocka_unit_test(test_who_entry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
