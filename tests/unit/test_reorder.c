// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* Merging per-CPU streams into time order within a hold-back window. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "reorder.h"

#define E REORDER_EMPTY

static void test_oldest_head_first_when_all_have_one(void **state)
{
	struct reorder ro = { .window_ns = 1000 };
	__u64 heads[3] = { 30, 10, 20 };

	(void)state;
	/* every stream has a head: nothing older can come, no need to wait */
	assert_int_equal(reorder_next(&ro, heads, 3, 0, false), 1);
}

static void test_holds_back_while_a_stream_is_empty(void **state)
{
	struct reorder ro = { .window_ns = 1000 };
	__u64 heads[2] = { 500, E };

	(void)state;
	assert_int_equal(reorder_next(&ro, heads, 2, 1499, false), -1);
	assert_int_equal(reorder_next(&ro, heads, 2, 1500, false), 0);
	/* draining lets everything out at once */
	assert_int_equal(reorder_next(&ro, heads, 2, 0, true), 0);
}

static void test_settled_heads_are_not_held(void **state)
{
	struct reorder ro = { .window_ns = 1000, .settled = 500 };
	__u64 heads[2] = { 500, E };

	(void)state;
	/* nothing up to 500 is on its way: the head of 500 goes at once */
	assert_int_equal(reorder_next(&ro, heads, 2, 500, false), 0);
	/* one newer than what is settled waits for the window */
	heads[0] = 501;
	assert_int_equal(reorder_next(&ro, heads, 2, 501, false), -1);
	assert_int_equal(reorder_next(&ro, heads, 2, 1501, false), 0);
}

static void test_nothing_to_take(void **state)
{
	struct reorder ro = { .window_ns = 0 };
	__u64 heads[2] = { E, E };

	(void)state;
	assert_int_equal(reorder_next(&ro, heads, 2, 100, true), -1);
	assert_int_equal(reorder_next(&ro, heads, 0, 100, true), -1);
}

static void test_counts_late_records(void **state)
{
	struct reorder ro = {};

	(void)state;
	reorder_taken(&ro, 10);
	reorder_taken(&ro, 20);
	reorder_taken(&ro, 20);
	assert_int_equal(ro.late, 0);
	reorder_taken(&ro, 15);
	assert_int_equal(ro.late, 1);
	/* a late record does not move the clock back */
	reorder_taken(&ro, 18);
	assert_int_equal(ro.late, 2);
	assert_true(ro.last_ts == 20);
}

/* Streams that are each in order come out merged in order. */
static void test_merges_in_order(void **state)
{
	struct reorder ro = { .window_ns = 5 };
	__u64 a[] = { 1, 4, 9, 12 }, b[] = { 2, 3, 10, 11 }, c[] = { 5, 6, 7, 8 };
	__u64 *s[3] = { a, b, c }, heads[3], out[12];
	size_t pos[3] = {}, n = 0;
	int i;

	(void)state;
	for (;;) {
		for (int k = 0; k < 3; k++)
			heads[k] = pos[k] < 4 ? s[k][pos[k]] : E;
		i = reorder_next(&ro, heads, 3, 100, false);
		if (i < 0)
			break;
		out[n++] = heads[i];
		reorder_taken(&ro, heads[i]);
		pos[i]++;
	}
	assert_int_equal(n, 12);
	for (size_t k = 0; k < n; k++)
		assert_true(out[k] == k + 1);
	assert_int_equal(ro.late, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_oldest_head_first_when_all_have_one),
		cmocka_unit_test(test_holds_back_while_a_stream_is_empty),
		cmocka_unit_test(test_settled_heads_are_not_held),
		cmocka_unit_test(test_nothing_to_take),
		cmocka_unit_test(test_counts_late_records),
		cmocka_unit_test(test_merges_in_order),
	};

	return cmocka_run_group_tests_name("reorder", tests, NULL, NULL);
}
