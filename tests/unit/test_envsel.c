// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --env: which variables a list selects, and the walk over an environment area. */
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
#include "envsel.h"

static struct env_walk w;
static char area[ENV_MAX + 64];
static char got[4 * ENV_MAX];

/* A selection from one list, which must parse. */
static void sel_of(struct env_select *s, const char *list)
{
	const char *why = NULL;

	memset(s, 0, sizeof(*s));
	if (env_select_add(s, list, &why))
		fail_msg("env_select_add(\"%s\") failed: %s", list, why ? why : "no memory");
}

/*
 * Every variable a walk returns, as "NAME=value" (or "NAME" with no value),
 * "!" after one that is cut, each followed by "|".
 */
static const char *walk(const char *list, const char *a, size_t len, bool cut)
{
	struct env_select s;
	struct env_var v;
	size_t n = 0;

	sel_of(&s, list);
	env_walk_start(&w, &s, a, len, cut);
	while (env_walk_next(&w, &v)) {
		assert_true(v.name >= a && v.name + v.name_len <= a + len);
		memcpy(got + n, v.name, v.name_len);
		n += v.name_len;
		if (v.value) {
			assert_ptr_equal(v.value, v.name + v.name_len + 1);
			got[n++] = '=';
			memcpy(got + n, v.value, v.value_len);
			n += v.value_len;
		}
		if (v.cut)
			got[n++] = '!';
		got[n++] = '|';
	}
	got[n] = '\0';
	env_select_free(&s);
	return got;
}

/* an area from a string literal, its NULs included, the literal's own last NUL not */
#define AREA(lit) lit, sizeof(lit) - 1

static void expect_error(const char *list, const char *reason)
{
	struct env_select s = {};
	const char *why = NULL;

	assert_int_equal(env_select_add(&s, "KEEP", &why), 0);
	if (env_select_add(&s, list, &why) != -EINVAL)
		fail_msg("\"%s\": expected -EINVAL (%s), it was accepted", list, reason);
	if (!why || strcmp(why, reason))
		fail_msg("\"%s\": expected \"%s\", saw \"%s\"", list, reason, why ? why : "(null)");
	/* nothing of a bad list is added */
	assert_int_equal(s.n, 1);
	assert_string_equal(s.pat[0], "KEEP");
	assert_false(s.all);
	env_select_free(&s);
}

static void test_parses_names_and_patterns(void **state)
{
	struct env_select s;
	const char *why = "unset";

	(void)state;
	sel_of(&s, "LD_*,PATH,KUBECONFIG");
	assert_int_equal(s.n, 3);
	assert_string_equal(s.pat[0], "LD_*");
	assert_string_equal(s.pat[1], "PATH");
	assert_string_equal(s.pat[2], "KUBECONFIG");
	assert_false(s.all);
	/* --env given again adds; blanks around an item go; a repeat is kept once */
	assert_int_equal(env_select_add(&s, " HOME ,\tPATH,*_PROXY", &why), 0);
	assert_int_equal(s.n, 5);
	assert_string_equal(s.pat[3], "HOME");
	assert_string_equal(s.pat[4], "*_PROXY");
	assert_false(s.all);
	assert_int_equal(env_select_add(&s, "*", &why), 0);
	assert_true(s.all);
	env_select_free(&s);
	assert_int_equal(s.n, 0);
	assert_false(s.all);
	/* a name with odd but legal bytes */
	sel_of(&s, "my var,caf\xc3\xa9,a-b.c");
	assert_int_equal(s.n, 3);
	assert_string_equal(s.pat[0], "my var");
	env_select_free(&s);
}

static void test_rejects_bad_lists(void **state)
{
	(void)state;
	expect_error("", "an empty name");
	expect_error("PATH,", "an empty name");
	expect_error(",PATH", "an empty name");
	expect_error("PATH,,HOME", "an empty name");
	expect_error("PATH, ,HOME", "an empty name");
	expect_error("PATH=/bin", "a name cannot hold '='");
	expect_error("HOME,=", "a name cannot hold '='");
	expect_error("A\nB", "a name cannot hold a control character");
	expect_error("A\x1b[2J", "a name cannot hold a control character");
	expect_error("A\x7f", "a name cannot hold a control character");
	/* a good name before a bad one is not added either (checked in expect_error) */
	expect_error("GOOD,*,B=C", "a name cannot hold '='");
}

static void test_limits_the_patterns(void **state)
{
	struct env_select s = {};
	const char *why = NULL;
	char list[ENV_PATTERNS_MAX * 8] = "", item[16];

	(void)state;
	for (int i = 0; i < ENV_PATTERNS_MAX - 1; i++) {
		snprintf(item, sizeof(item), "%sV%d", i ? "," : "", i);
		strcat(list, item);
	}
	assert_int_equal(env_select_add(&s, list, &why), 0);
	assert_int_equal(s.n, ENV_PATTERNS_MAX - 1);
	/* two more at once: neither is added */
	assert_int_equal(env_select_add(&s, "X,Y", &why), -EINVAL);
	assert_string_equal(why, "more than 32 patterns");
	assert_int_equal(s.n, ENV_PATTERNS_MAX - 1);
	/* a repeat does not count */
	assert_int_equal(env_select_add(&s, "V0,X,V1", &why), 0);
	assert_int_equal(s.n, ENV_PATTERNS_MAX);
	assert_int_equal(env_select_add(&s, "V2", &why), 0);
	assert_int_equal(env_select_add(&s, "Y", &why), -EINVAL);
	assert_string_equal(why, "more than 32 patterns");
	env_select_free(&s);
}

static void test_matches_names_and_globs(void **state)
{
	struct env_select s;

	(void)state;
	sel_of(&s, "PATH");
	assert_true(env_selected(&s, "PATH", 4));
	assert_false(env_selected(&s, "PATHX", 5));
	assert_false(env_selected(&s, "PAT", 3));
	assert_false(env_selected(&s, "path", 4));
	/* len bytes, not up to a NUL */
	assert_true(env_selected(&s, "PATH=/bin", 4));
	env_select_free(&s);

	sel_of(&s, "LD_*,*_PROXY,TER?,[xy]ACC,LC_[!A]*");
	assert_true(env_selected(&s, "LD_PRELOAD", 10));
	assert_true(env_selected(&s, "LD_", 3));
	assert_false(env_selected(&s, "LD", 2));
	assert_false(env_selected(&s, "OLD_X", 5));
	assert_true(env_selected(&s, "HTTPS_PROXY", 11));
	assert_true(env_selected(&s, "_PROXY", 6));
	assert_false(env_selected(&s, "HTTPS_PROXY2", 12));
	assert_true(env_selected(&s, "TERM", 4));
	assert_false(env_selected(&s, "TER", 3));
	assert_false(env_selected(&s, "TERMS", 5));
	assert_true(env_selected(&s, "xACC", 4));
	assert_true(env_selected(&s, "yACC", 4));
	assert_false(env_selected(&s, "zACC", 4));
	assert_true(env_selected(&s, "LC_CTYPE", 8));
	assert_false(env_selected(&s, "LC_ALL", 6));
	env_select_free(&s);

	/* '*' matches everything, '/' and a leading '.' included (flags 0) */
	sel_of(&s, "*");
	assert_true(env_selected(&s, "a/b", 3));
	assert_true(env_selected(&s, ".x", 2));
	env_select_free(&s);
	sel_of(&s, "a*");
	assert_true(env_selected(&s, "a/b", 3));
	env_select_free(&s);
}

static void test_walks_in_order(void **state)
{
	(void)state;
	assert_string_equal(walk("*", AREA("HOME=/root\0PATH=/bin:/usr/bin\0TERM=xterm\0"), false),
			    "HOME=/root|PATH=/bin:/usr/bin|TERM=xterm|");
	assert_string_equal(walk("TERM,PATH", AREA("HOME=/root\0PATH=/bin\0TERM=xterm\0"), false),
			    "PATH=/bin|TERM=xterm|");
	assert_string_equal(walk("LD_*", AREA("LD_A=1\0X=2\0LD_B=3\0"), false), "LD_A=1|LD_B=3|");
	assert_string_equal(walk("NONE", AREA("HOME=/root\0"), false), "");
	assert_string_equal(walk("*", "", 0, false), "");
	assert_string_equal(walk("*", NULL, 0, true), "");
	/* the value is everything after the first '=' */
	assert_string_equal(walk("*", AREA("A==b=c\0B=\0"), false), "A==b=c|B=|");
}

static void test_first_of_a_name_wins(void **state)
{
	(void)state;
	assert_string_equal(walk("*", AREA("A=1\0B=2\0A=3\0B=4\0A=5\0"), false), "A=1|B=2|");
	assert_string_equal(walk("A", AREA("A=1\0B=2\0A=3\0"), false), "A=1|");
	/* a prefix of a name is another name */
	assert_string_equal(walk("*", AREA("AB=1\0A=2\0ABC=3\0A=4\0"), false), "AB=1|A=2|ABC=3|");
	/* an empty value still wins */
	assert_string_equal(walk("*", AREA("A=\0A=1\0"), false), "A=|");
}

static void test_strings_without_a_value(void **state)
{
	(void)state;
	assert_string_equal(walk("*", AREA("JUNK\0A=1\0"), false), "JUNK|A=1|");
	/* getenv finds the A=2 past a bare "A": both are shown, a second bare "A" is not */
	assert_string_equal(walk("A", AREA("A\0A=2\0A\0A=3\0"), false), "A|A=2|");
	/* an unterminated last string in an area that was not cut */
	assert_string_equal(walk("*", AREA("A=1\0B=2"), false), "A=1|B=2|");
}

static void test_skips_empty_strings_and_empty_names(void **state)
{
	(void)state;
	assert_string_equal(walk("*", AREA("\0\0A=1\0\0\0B=2\0\0"), false), "A=1|B=2|");
	assert_string_equal(walk("*", AREA("=x\0==\0=\0A=1\0"), false), "A=1|");
	assert_string_equal(walk("*", AREA("\0\0\0"), true), "");
}

static void test_values_are_the_exact_bytes(void **state)
{
	const char a[] = "A=\xff\xfe\x80\0B=\x1b[2J\r\n\t\x7f\0C=caf\xc3\xa9\0";
	struct env_select s;
	struct env_var v;

	(void)state;
	sel_of(&s, "*");
	env_walk_start(&w, &s, a, sizeof(a) - 1, false);
	assert_true(env_walk_next(&w, &v));
	assert_int_equal(v.value_len, 3);
	assert_memory_equal(v.value, "\xff\xfe\x80", 3);
	assert_true(env_walk_next(&w, &v));
	assert_int_equal(v.value_len, 8);
	assert_memory_equal(v.value, "\x1b[2J\r\n\t\x7f", 8);
	assert_true(env_walk_next(&w, &v));
	assert_int_equal(v.value_len, 5);
	assert_memory_equal(v.value, "caf\xc3\xa9", 5);
	assert_false(env_walk_next(&w, &v));
	/* it stays at the end */
	assert_false(env_walk_next(&w, &v));
	env_select_free(&s);
	/* and control bytes or invalid UTF-8 in a name are matched as bytes */
	assert_string_equal(walk("*", AREA("\x01\xff=1\0"), false), "\x01\xff=1|");
	assert_string_equal(walk("?\xff", AREA("\x01\xff=1\0"), false), "\x01\xff=1|");
}

static void test_marks_the_cut_last_string(void **state)
{
	(void)state;
	/* a partial value */
	assert_string_equal(walk("*", AREA("A=1\0PATH=/usr/b"), true), "A=1|PATH=/usr/b!|");
	/* a partial name, no '=' yet, may be a prefix of another name: not returned */
	assert_string_equal(walk("*", AREA("A=1\0LD_PRE"), true), "A=1|");
	assert_string_equal(walk("LD_*", AREA("A=1\0LD_PRE"), true), "");
	/* cut right after the '=' */
	assert_string_equal(walk("*", AREA("A=1\0B="), true), "A=1|B=!|");
	/* the last string ends exactly at len, its NUL included: whole, only later ones are missing */
	assert_string_equal(walk("*", AREA("A=1\0B=2\0"), true), "A=1|B=2|");
	/* all its bytes but not its NUL: it may go on */
	assert_string_equal(walk("*", AREA("A=1\0B=2"), true), "A=1|B=2!|");
	/* a cut string not selected, or a repeat, is not returned */
	assert_string_equal(walk("A", AREA("A=1\0B=2"), true), "A=1|");
	assert_string_equal(walk("*", AREA("A=1\0A=2"), true), "A=1|");
}

static void test_walks_at_most_env_max_bytes(void **state)
{
	size_t n;
	int k = 0;

	(void)state;
	/* 8-byte strings filling ENV_MAX exactly, then one past it that is not walked */
	for (n = 0; n < ENV_MAX; n += 8)
		snprintf(area + n, 8, "V%05d", k++);
	for (n = 6; n < ENV_MAX; n += 8)
		area[n] = '=';
	memcpy(area + ENV_MAX, "LAST=1", 7);
	assert_string_equal(walk("LAST", area, ENV_MAX + 7, false), "");
	assert_string_equal(walk("V00000,V02047", area, ENV_MAX + 7, false), "V00000=|V02047=|");
	/* one across ENV_MAX is cut there */
	memcpy(area + ENV_MAX - 8, "LONGNAME=1", 11);
	assert_string_equal(walk("LONG*", area, ENV_MAX + 7, false), "");
	memcpy(area + ENV_MAX - 8, "LONG=1234", 10);
	assert_string_equal(walk("LONG*", area, ENV_MAX + 7, false), "LONG=123!|");
}

static double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec + t.tv_nsec / 1e9;
}

/* Walks area 100 times with "*" and "?*" (no fast path); each time expects want variables. */
static void walk_often(const char *what, size_t len, size_t want)
{
	struct env_select all, any;
	struct env_var v;
	double t0, dt;
	size_t k;

	sel_of(&all, "*");
	sel_of(&any, "?*");
	t0 = now();
	for (int r = 0; r < 100; r++) {
		env_walk_start(&w, r % 2 ? &all : &any, area, len, false);
		for (k = 0; env_walk_next(&w, &v); k++)
			;
		if (k != want)
			fail_msg("%s: expected %zu variables, saw %zu", what, want, k);
	}
	dt = now() - t0;
	/* linear: milliseconds; quadratic: seconds */
	if (dt > 1.0)
		fail_msg("%s: 100 walks took %.2f s", what, dt);
	env_select_free(&all);
	env_select_free(&any);
}

/* Hostile areas: as many strings as fit, all one name, or all distinct. */
static void test_hostile_areas_are_linear(void **state)
{
	size_t len = 0, k = 0;

	(void)state;
	/* as many strings as fit in ENV_MAX bytes: 8192 "A", 5461 "A=" */
	for (len = 0; len < ENV_MAX; len += 2)
		memcpy(area + len, "A", 2);
	walk_often("8192 strings \"A\"", len, 1);
	for (len = 0; len + 3 <= ENV_MAX; len += 3)
		memcpy(area + len, "A=", 3);
	walk_often("5461 strings \"A=\"", len, 1);

	/* every name of one byte, then of two, as bare names: the most an area holds */
	len = 0;
	for (int a = 1; a < 256; a++) {
		for (int b = 0; b < 256 && len + 3 <= ENV_MAX; b++) {
			if (a == '=' || b == '=')
				continue;
			area[len++] = a;
			if (b)
				area[len++] = b;
			area[len++] = '\0';
			k++;
		}
	}
	assert_true(k > 5000);
	walk_often("the most distinct names an area holds", len, k);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parses_names_and_patterns),
		cmocka_unit_test(test_rejects_bad_lists),
		cmocka_unit_test(test_limits_the_patterns),
		cmocka_unit_test(test_matches_names_and_globs),
		cmocka_unit_test(test_walks_in_order),
		cmocka_unit_test(test_first_of_a_name_wins),
		cmocka_unit_test(test_strings_without_a_value),
		cmocka_unit_test(test_skips_empty_strings_and_empty_names),
		cmocka_unit_test(test_values_are_the_exact_bytes),
		cmocka_unit_test(test_marks_the_cut_last_string),
		cmocka_unit_test(test_walks_at_most_env_max_bytes),
		cmocka_unit_test(test_hostile_areas_are_linear),
	};

	return cmocka_run_group_tests_name("envsel", tests, NULL, NULL);
}
