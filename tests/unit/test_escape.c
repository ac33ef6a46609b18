// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Unit tests of escape.c's cut rules: values in messages, and UTF-8 cuts. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>
#include "escape.h"

static char big[1024];

static void test_utf8_cut(void **state)
{
	const char *s = "ab\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80z";

	(void)state;
	/* between characters: where asked */
	assert_int_equal(utf8_cut(s, 2), 2);
	assert_int_equal(utf8_cut(s, 4), 4);
	assert_int_equal(utf8_cut(s, 7), 7);
	/* inside one: before it, whatever its length */
	assert_int_equal(utf8_cut(s, 3), 2);
	assert_int_equal(utf8_cut(s, 5), 4);
	assert_int_equal(utf8_cut(s, 6), 4);
	assert_int_equal(utf8_cut(s, 8), 7);
	assert_int_equal(utf8_cut(s, 10), 7);
	assert_int_equal(utf8_cut(s, 11), 11);
	/* continuation bytes with no start within 3: not UTF-8, cut where asked */
	assert_int_equal(utf8_cut("a\x80\x80\x80\x80\x80", 5), 5);
	assert_int_equal(utf8_cut("\x80\x80", 1), 1);
	assert_int_equal(utf8_cut("\xc3\xa9", 1), 0);
}

static void test_shown_value(void **state)
{
	char buf[SHOWN_SIZE], want[SHOWN_MAX + 4];

	(void)state;
	assert_string_equal(shown_value(buf, ""), "");
	assert_string_equal(shown_value(buf, "abc"), "abc");
	assert_string_equal(shown_value(buf, "a\x1b[2J\nb\x7f"), "a\\x1b[2J\\nb\\x7f");
	/* exactly SHOWN_MAX bytes: whole; one more: cut, marked */
	memset(big, 'v', SHOWN_MAX);
	big[SHOWN_MAX] = '\0';
	assert_string_equal(shown_value(buf, big), big);
	big[SHOWN_MAX] = 'w';
	big[SHOWN_MAX + 1] = '\0';
	memset(want, 'v', SHOWN_MAX);
	strcpy(want + SHOWN_MAX, "...");
	assert_string_equal(shown_value(buf, big), want);
	/* a UTF-8 character across the cut is left out whole */
	memset(big, 'u', SHOWN_MAX - 1);
	strcpy(big + SHOWN_MAX - 1, "\xc3\xa9\xc3\xa9");
	memset(want, 'u', SHOWN_MAX - 1);
	strcpy(want + SHOWN_MAX - 1, "...");
	assert_string_equal(shown_value(buf, big), want);
	/* the worst case fits: every byte escaped */
	memset(big, '\x01', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	assert_int_equal(strlen(shown_value(buf, big)), 4 * SHOWN_MAX + 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_utf8_cut),
		cmocka_unit_test(test_shown_value),
	};

	return cmocka_run_group_tests_name("escape", tests, NULL, NULL);
}
