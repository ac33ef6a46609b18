// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* -s/--summary: counting by spawner and command, and the tables. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "json.h"
#include "summary.h"
#include "text.h"
#include "records.h"

#define SEC 1000000000ULL

static struct event ev;
static struct record rec;
static struct words w;
static char buf[SUMMARY_MAX_LEN];
static int described;

static __u32 anc_pid;
static __u64 anc_start;

/* One exec by pid (parent ppid@pstart) of path with NUL-separated args; ret < 0: failed. */
static void add(struct summary *s, __u32 pid, __u32 ppid, __u64 pstart, const char *comm,
		const char *path, const char *args, size_t args_len, int ret)
{
	struct event_hdr h = { .pid = pid,
			       .start_ns = pid * 10ULL,
			       .ppid = ppid,
			       .parent_start_ns = pstart,
			       .ret = ret,
			       .fd = -100,
			       .anc_pid = anc_pid,
			       .anc_start_ns = anc_start };

	strncpy(h.comm, comm, sizeof(h.comm) - 1);
	assert_non_null(build_record(&rec, &ev, &h, path, args, args_len));
	record_words(&rec, &w);
	summary_add(s, &rec, &w);
}

/* A spawner known only to /proc: pid 7 started at 70 is "cron", "/usr/sbin/cron -f". */
static int describe(__u32 pid, __u64 start_ns, char *comm, size_t comm_size, char *cmdline,
		    size_t size, size_t *len)
{
	static const char line[] = "/usr/sbin/cron\0-f";

	described++;
	if (pid == 2 && start_ns == 20) {
		/* a kernel thread: no command line */
		snprintf(comm, comm_size, "kthreadd");
		*len = 0;
		return 0;
	}
	if (pid != 7 || start_ns != 70)
		return -1;
	snprintf(comm, comm_size, "cron");
	assert_true(size > sizeof(line));
	memcpy(cmdline, line, sizeof(line));
	*len = sizeof(line); /* /proc ends the last word with a NUL */
	return 0;
}

static size_t text(struct summary *s, bool final, __u64 now)
{
	struct summary_view v = { .final = final, .now_ns = now };

	size_t n = text_summary(buf, s, &v);

	if (getenv("SUMMARY_DUMP"))
		fputs(buf, stderr);
	return n;
}

static void test_counts_and_table(void **state)
{
	struct summary s;

	(void)state;
	assert_int_equal(summary_init(&s, 0, describe), 0);
	/* make (pid 100, started at 1000) runs; its exec was seen */
	add(&s, 100, 1, 10, "make", "/usr/bin/make", "-j8", 4, 0);
	/* make spawns three cc and a missing tool; cron spawns two sh */
	for (int i = 0; i < 3; i++)
		add(&s, 200 + i, 100, 1000, "cc", "/usr/bin/cc", "-c\0a.c", 7, 0);
	add(&s, 210, 100, 1000, "make", "no-such-tool", "", 0, -2);
	add(&s, 300, 7, 70, "sh", "/bin/sh", "-c\0backup", 10, 0);
	add(&s, 301, 7, 70, "sh", "/bin/sh", "-c\0backup", 10, 0);
	assert_int_equal(s.total.execs, 7);
	assert_int_equal(s.total.failed, 1);

	text(&s, true, 2 * SEC);
	assert_non_null(strstr(buf, "in total 2.0 s: 7 execs, 1 failed, 3.5 execs/s\n"));
	assert_non_null(
		strstr(buf, "   PPID COMM               EXECS  FAILED   EXECS/S SPAWNER\n"
			    "    100 make                   4       1       2.0 /usr/bin/make -j8\n"
			    "      7 cron                   2       0       1.0 /usr/sbin/cron -f\n"
			    "      1 ?                      1       0       0.5 ?\n"));
	assert_non_null(strstr(buf, "  EXECS  FAILED   EXECS/S COMMAND\n"
				    "      3       0       1.5 /usr/bin/cc\n"
				    "      2       0       1.0 /bin/sh\n"
				    "      1       1       0.5 no-such-tool\n"
				    "      1       0       0.5 /usr/bin/make\n"));
	assert_null(strstr(buf, "more)"));
	/* cron and pid 1 were looked up once each, make never: its exec was seen */
	assert_int_equal(described, 2);
	summary_free(&s);
}

static void test_interval_and_total(void **state)
{
	struct summary s;

	(void)state;
	assert_int_equal(summary_init(&s, 10 * SEC, NULL), 0);
	add(&s, 500, 40, 4, "a", "/bin/a", "", 0, 0);
	add(&s, 501, 40, 4, "a", "/bin/a", "", 0, 0);
	text(&s, false, 15 * SEC);
	assert_non_null(strstr(buf, "last 5.0 s: 2 execs, 0 failed, 0.4 execs/s\n"));
	summary_next(&s, 15 * SEC);
	add(&s, 502, 41, 4, "b", "/bin/b", "", 0, 0);
	text(&s, false, 20 * SEC);
	assert_non_null(strstr(buf, "last 5.0 s: 1 execs, 0 failed, 0.2 execs/s\n"));
	assert_non_null(strstr(buf, "     41 ?                      1       0       0.2 ?\n"));
	assert_null(strstr(buf, "/bin/a"));
	/* the total has both intervals */
	text(&s, true, 20 * SEC);
	assert_non_null(strstr(buf, "in total 10.0 s: 3 execs, 0 failed, 0.3 execs/s\n"));
	assert_non_null(strstr(buf, "      2       0       0.2 /bin/a\n"));
	/* an interval without execs */
	summary_next(&s, 20 * SEC);
	text(&s, false, 21 * SEC);
	assert_non_null(strstr(buf, "last 1.0 s: 0 execs, 0 failed, 0.0 execs/s\n"));
	assert_null(strstr(buf, "PPID"));
	summary_free(&s);
}

static void test_top_and_others(void **state)
{
	struct summary s;
	char want[128];

	(void)state;
	assert_int_equal(summary_init(&s, 0, NULL), 0);
	/* spawner k makes k execs of /bin/pk, for k = 1..15 */
	for (int k = 1; k <= 15; k++) {
		char path[32];

		snprintf(path, sizeof(path), "/bin/p%d", k);
		for (int i = 0; i < k; i++)
			add(&s, 1000 + k * 100 + i, k, k, "x", path, "", 0, i == 0 ? -13 : 0);
	}
	text(&s, true, SEC);
	/* the top ten: 15 down to 6; the other five made 1+2+3+4+5 */
	assert_non_null(strstr(buf, "\n     15 ?                     15       1      15.0 ?\n"));
	assert_non_null(strstr(buf, "\n      6 ?                      6       1       6.0 ?\n"));
	assert_null(strstr(buf, "\n      5 ?"));
	snprintf(want, sizeof(want), "\n%7s %-16s %7d %7d %9.1f\n", "-", "(5 more)", 15, 5, 15.0);
	assert_non_null(strstr(buf, want));
	assert_non_null(strstr(buf, "\n     15       5      15.0 (5 more)\n"));
	summary_free(&s);
}

static void test_escaping_and_cuts(void **state)
{
	struct summary s;
	char args[600];

	(void)state;
	assert_int_equal(summary_init(&s, 0, NULL), 0);
	/* a spawner with a terminal escape in its name and long arguments */
	memset(args, 'a', sizeof(args));
	args[sizeof(args) - 1] = '\0';
	add(&s, 60, 1, 1, "ev\x1bil", "/bin/ev\nil", args, sizeof(args), 0);
	add(&s, 61, 60, 600, "c", "/bin/c", "", 0, 0);
	text(&s, true, SEC);
	assert_non_null(strstr(buf, "     60 ev\\x1bil "));
	assert_non_null(strstr(buf, " /bin/ev\\nil aaaa"));
	assert_non_null(strstr(buf, "aaa ...\n"));
	assert_null(strchr(buf, '\x1b'));

	json_summary(buf, &(struct json_ctx){}, &s,
		     &(struct summary_view){ .final = true, .now_ns = SEC });
	assert_non_null(
		strstr(buf, "\"comm\":\"ev\\u001bil\",\"cmdline\":[\"/bin/ev\\nil\",\"aaa"));
	assert_non_null(strstr(buf, "\"cmdline_cut\":true"));
	summary_free(&s);
}

static void test_json(void **state)
{
	struct summary s;
	struct json_ctx jc = { .wall_offset_ns = 1700000000LL * SEC };
	struct summary_view v = { .final = false, .now_ns = 4 * SEC, .lost = 3 };

	(void)state;
	assert_int_equal(summary_init(&s, 2 * SEC, describe), 0);
	add(&s, 300, 7, 70, "sh", "/bin/sh", "-c\0x", 5, 0);
	add(&s, 301, 7, 70, "sh", "/bin/\xff", "", 0, -2);
	json_summary(buf, &jc, &s, &v);
	assert_string_equal(
		buf,
		"{\"type\":\"summary\",\"version\":1,\"time\":\"2023-11-14T22:13:24.000000000Z\","
		"\"final\":false,\"span_ns\":2000000000,\"execs\":2,\"failed\":1,\"per_second\":1.000,"
		"\"lost\":3,\"spawners\":[{\"pid\":7,\"id\":\"7@70\",\"comm\":\"cron\","
		"\"cmdline\":[\"/usr/sbin/cron\",\"-f\"],\"cmdline_cut\":false,\"execs\":2,"
		"\"execs_max\":2,\"failed\":1,\"failed_max\":1,\"exact\":true,\"per_second\":1.000}],"
		"\"other_spawners\":{\"count\":0,\"execs\":0,\"failed\":0,\"exact\":true},"
		"\"commands\":[{\"path\":{\"hex\":\"2f62696e2fff\"},\"path_cut\":false,\"execs\":1,"
		"\"execs_max\":1,\"failed\":1,\"failed_max\":1,\"exact\":true,\"per_second\":0.500},"
		"{\"path\":\"/bin/sh\",\"path_cut\":false,\"execs\":1,\"execs_max\":1,\"failed\":0,"
		"\"failed_max\":0,\"exact\":true,\"per_second\":0.500}],"
		"\"other_commands\":{\"count\":0,\"execs\":0,\"failed\":0,\"exact\":true}}\n");
	summary_free(&s);
}

/* A name's true count, kept by the test. */
static unsigned long long truth[4 * SUMMARY_SLOTS];

/* Every count within its bounds, and every name over total / SUMMARY_SLOTS kept. */
static void check_bounds(const struct summary *s, unsigned long long total, size_t names)
{
	const struct summary_table *t = &s->total.commands;
	bool kept[4 * SUMMARY_SLOTS] = {};

	assert_true(t->len <= SUMMARY_SLOTS);
	for (size_t i = 0; i < t->len; i++) {
		/* items start with their slot; the test finds the name in the path */
		const char *p = (const char *)t->items + i * t->item_size;
		const unsigned long long *c = (const unsigned long long *)(p + 8);
		unsigned int k;

		/* execs, failed, err follow the hash; the path is "/n/<k>" */
		assert_int_equal(sscanf(memchr(p + 40, '/', t->item_size - 40), "/n/%u", &k), 1);
		assert_true(k < names);
		assert_true(c[0] - c[2] <= truth[k]);
		assert_true(truth[k] <= c[0]);
		kept[k] = true;
	}
	for (size_t k = 0; k < names; k++) {
		if (truth[k] * SUMMARY_SLOTS > total)
			assert_true(kept[k]);
	}
}

static void test_flood_keeps_heavy_hitters(void **state)
{
	struct summary s;
	char path[32];
	unsigned long long total = 0;
	unsigned int r = 1;
	size_t names = 4 * SUMMARY_SLOTS;

	(void)state;
	memset(truth, 0, sizeof(truth));
	assert_int_equal(summary_init(&s, 0, NULL), 0);
	/* a flood of names, with a few that come back often among them */
	for (int i = 0; i < 60000; i++) {
		unsigned int k;

		r = r * 1103515245 + 12345;
		k = (r >> 8) % 7 == 0 ? (r >> 16) % 5 : (r >> 4) % names;
		snprintf(path, sizeof(path), "/n/%u", k);
		add(&s, 100000 + i, 10, 1, "x", path, "", 0, -2);
		truth[k]++;
		total++;
	}
	check_bounds(&s, total, names);
	/* then one command, 300 times: first, with bounds that hold */
	for (int i = 0; i < 300; i++)
		add(&s, 200000 + i, 11, 1, "x", "/bin/often", "", 0, 0);
	text(&s, true, SEC);
	assert_non_null(strstr(buf, "; over 1024 names: N+ is at least N, at most N+"));
	json_summary(buf, &(struct json_ctx){}, &s,
		     &(struct summary_view){ .final = true, .now_ns = SEC });
	assert_non_null(strstr(buf, "\"commands\":[{\"path\":\"/n/"));
	assert_non_null(strstr(buf, "\"exact\":false}}\n"));
	{
		/* 300 within the bounds given for /bin/often */
		const char *o = strstr(buf, "{\"path\":\"/bin/often\"");
		unsigned long long lo, hi;

		assert_non_null(o);
		assert_int_equal(
			sscanf(o,
			       "{\"path\":\"/bin/often\",\"path_cut\":false,\"execs\":%llu,"
			       "\"execs_max\":%llu",
			       &lo, &hi),
			2);
		assert_true(lo <= 300 && 300 <= hi);
	}
	assert_int_equal(s.total.spawners.len, 2);
	summary_free(&s);
}

static void test_interval_has_its_own_slots(void **state)
{
	struct summary s;
	char path[32];

	(void)state;
	assert_int_equal(summary_init(&s, 0, NULL), 0);
	for (int i = 0; i < 3 * SUMMARY_SLOTS; i++) {
		snprintf(path, sizeof(path), "/old/%d", i);
		add(&s, 1000 + i, 10 + i, 1, "x", path, "", 0, -2);
	}
	summary_next(&s, SEC);
	/* the interval starts empty and exact, whatever the total replaced */
	for (int i = 0; i < 5; i++)
		add(&s, 9000 + i, 7, 1, "x", "/bin/new", "", 0, 0);
	text(&s, false, 2 * SEC);
	assert_non_null(strstr(buf, "last 1.0 s: 5 execs, 0 failed, 5.0 execs/s\n"));
	assert_non_null(strstr(buf, "\n      5       0       5.0 /bin/new\n"));
	assert_null(strstr(buf, "N+"));
	assert_null(strstr(buf, "more)"));
	text(&s, true, 2 * SEC);
	assert_non_null(strstr(buf, "(1014+ more)"));
	summary_free(&s);
}

static void test_unknown_path(void **state)
{
	struct event_hdr h = {
		.pid = 9, .ppid = 8, .ret = -2, .flags = EV_NO_STASH | EV_FNAME_FAULT
	};
	struct summary s;

	(void)state;
	assert_int_equal(summary_init(&s, 0, NULL), 0);
	assert_non_null(build_record(&rec, &ev, &h, "", "", 0));
	record_words(&rec, &w);
	summary_add(&s, &rec, &w);
	summary_add(&s, &rec, &w);
	text(&s, true, SEC);
	assert_non_null(strstr(buf, "      2       2       2.0 ?\n"));
	summary_free(&s);
}

static void test_named_after_the_ancestor_it_forked_from(void **state)
{
	struct summary s;

	(void)state;
	assert_int_equal(summary_init(&s, 0, describe), 0);
	/* spawn (pid 50) execs; its worker 55 only forks, and is gone when its child's exec is read */
	add(&s, 50, 1, 10, "spawn", "/bin/spawn",
	    "-j\0"
	    "2",
	    5, 0);
	anc_pid = 50;
	anc_start = 500;
	add(&s, 60, 55, 550, "noop", "/bin/noop", "", 0, 0);
	/* a kernel thread, named as ps names it */
	add(&s, 62, 2, 20, "modprobe", "/sbin/modprobe", "-q", 3, 0);
	/* a spawner with no known ancestor stays unnamed */
	anc_pid = 0;
	anc_start = 0;
	add(&s, 61, 56, 560, "noop", "/bin/noop", "", 0, 0);
	text(&s, true, SEC);
	assert_non_null(strstr(
		buf, "\n     55 spawn                  1       0       1.0 /bin/spawn -j 2\n"));
	assert_non_null(strstr(buf, "\n     56 ?                      1       0       1.0 ?\n"));
	assert_non_null(
		strstr(buf, "\n      2 kthreadd               1       0       1.0 [kthreadd]\n"));
	summary_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts_and_table),
		cmocka_unit_test(test_interval_and_total),
		cmocka_unit_test(test_top_and_others),
		cmocka_unit_test(test_escaping_and_cuts),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_flood_keeps_heavy_hitters),
		cmocka_unit_test(test_interval_has_its_own_slots),
		cmocka_unit_test(test_unknown_path),
		cmocka_unit_test(test_named_after_the_ancestor_it_forked_from),
	};

	return cmocka_run_group_tests_name("summary", tests, NULL, NULL);
}
