// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Prometheus metrics: counts by result, cause and spawner, and their text exposition. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "metrics.h"
#include "records.h"

static struct event ev;
static struct record rec;
static char out[METRICS_MAX_LEN];
static struct metrics m;

static const struct record *exec_by(const char *comm_before, int ret, __u32 flags)
{
	struct event_hdr h = { .ret = ret, .flags = flags, .comm = "child" };

	memcpy(h.comm_before, comm_before, strnlen(comm_before, sizeof(h.comm_before)));
	assert_non_null(build_record(&rec, &ev, &h, "/bin/x", "", 0));
	return &rec;
}

static const char *render(void)
{
	struct losses l = { .lost_ring = 3, .refused = 2 };

	out[metrics_render(out, &m, &l)] = '\0';
	assert_true(strlen(out) < METRICS_MAX_LEN);
	return out;
}

/* Every sample's metric has HELP and TYPE lines before it. */
static void assert_help_and_type(const char *text)
{
	char name[128], want[256];
	const char *p;

	for (p = text; *p; p = strchr(p, '\n') + 1) {
		if (*p == '#')
			continue;
		assert_int_equal(sscanf(p, "%127[a-z_]", name), 1);
		snprintf(want, sizeof(want), "# HELP %s ", name);
		assert_non_null(strstr(text, want));
		assert_true(strstr(text, want) < p);
		snprintf(want, sizeof(want), "# TYPE %s ", name);
		assert_non_null(strstr(text, want));
	}
}

static void test_counts(void **state)
{
	const char *t;

	(void)state;
	memset(&m, 0, sizeof(m));
	metrics_add(&m, exec_by("bash", 0, 0), false);
	metrics_add(&m, exec_by("bash", -2, 0), false);
	metrics_add(&m, exec_by("make", 0, cut_reasons[0].flag), true);
	t = render();
	assert_help_and_type(t);
	assert_non_null(strstr(t, "execsnoop_execs_total{result=\"ok\"} 2\n"));
	assert_non_null(strstr(t, "execsnoop_execs_total{result=\"failed\"} 1\n"));
	assert_non_null(strstr(t, "execsnoop_lost_total{cause=\"ring_full\"} 3\n"));
	assert_non_null(strstr(t, "execsnoop_lost_total{cause=\"journal_refused\"} 2\n"));
	assert_non_null(strstr(t, "execsnoop_args_cut_total{cause=\"args-limit\"} 1\n"));
	assert_non_null(strstr(t, "execsnoop_args_cut_total{cause=\"max-args\"} 1\n"));
	assert_non_null(strstr(t, "execsnoop_spawner_execs_total{comm=\"bash\"} 2\n"));
	assert_non_null(strstr(t, "execsnoop_spawner_execs_total{comm=\"make\"} 1\n"));
	assert_non_null(strstr(t, "execsnoop_spawner_execs_total{comm=\"other\"} 0\n"));
	assert_non_null(strstr(t, "# TYPE execsnoop_start_time_seconds gauge\n"));
}

/* The first METRICS_COMMS names have a series; the rest are counted as other. */
static void test_bounded_names(void **state)
{
	char name[16];
	const char *t, *p;
	int series = 0;

	(void)state;
	memset(&m, 0, sizeof(m));
	for (int i = 0; i < METRICS_COMMS + 6; i++) {
		snprintf(name, sizeof(name), "c%d", i);
		metrics_add(&m, exec_by(name, 0, 0), false);
		metrics_add(&m, exec_by(name, 0, 0), false);
	}
	t = render();
	for (p = t; (p = strstr(p, "\nexecsnoop_spawner_execs_total{")); p++)
		series++;
	assert_int_equal(series, METRICS_COMMS + 1);
	assert_non_null(strstr(t, "execsnoop_spawner_execs_total{comm=\"c63\"} 2\n"));
	assert_null(strstr(t, "comm=\"c64\""));
	assert_non_null(strstr(t, "execsnoop_spawner_execs_total{comm=\"other\"} 12\n"));
}

/* A name's bytes as a label value: UTF-8 text, escaped, one name never another's. */
static void test_label_escaping(void **state)
{
	const char *t;

	(void)state;
	memset(&m, 0, sizeof(m));
	metrics_add(&m, exec_by("a\"b\\c\n\xff", 0, 0), false);
	t = render();
	assert_non_null(strstr(t, "{comm=\"a\\\"b\\\\c\\\\x0a\\\\xff\"} 1\n"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_bounded_names),
		cmocka_unit_test(test_label_escaping),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
