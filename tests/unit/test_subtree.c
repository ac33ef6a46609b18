// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* The descendants of the traced processes in a snapshot of the process table. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "subtree.h"

/* Whether pid came out as a member; -1 when it is not in the table. */
static int is_in(const struct proc_link *p, const bool *in, size_t n, __u32 pid)
{
	for (size_t i = 0; i < n; i++) {
		if (p[i].pid == pid)
			return in[i];
	}
	return -1;
}

static void test_descendants_of_a_root(void **state)
{
	/* 1 ─ 100 ─ 200 ─ 300 ─ 400; 100 ─ 201; 1 ─ 500 ─ 600 */
	struct proc_link p[] = {
		{ 400, 300 }, { 1, 0 },	    { 100, 1 },	  { 600, 500 },
		{ 200, 100 }, { 300, 200 }, { 201, 100 }, { 500, 1 },
	};
	__u32 members[] = { 200 };
	bool in[8];

	(void)state;
	assert_int_equal(subtree_closure(p, 8, members, 1, in), 3);
	assert_int_equal(is_in(p, in, 8, 200), 1);
	assert_int_equal(is_in(p, in, 8, 300), 1);
	assert_int_equal(is_in(p, in, 8, 400), 1);
	/* not its parent, nor its siblings, nor another branch */
	assert_int_equal(is_in(p, in, 8, 100), 0);
	assert_int_equal(is_in(p, in, 8, 201), 0);
	assert_int_equal(is_in(p, in, 8, 1), 0);
	assert_int_equal(is_in(p, in, 8, 600), 0);
}

static void test_several_members_and_reparented(void **state)
{
	/* 700 was marked before, then reparented to 1: its children are in too */
	struct proc_link p[] = {
		{ 10, 1 }, { 11, 10 }, { 700, 1 }, { 701, 700 }, { 702, 701 }, { 1, 0 }, { 12, 1 },
	};
	__u32 members[] = { 700, 10 };
	bool in[7];

	(void)state;
	assert_int_equal(subtree_closure(p, 7, members, 2, in), 5);
	assert_int_equal(is_in(p, in, 7, 702), 1);
	assert_int_equal(is_in(p, in, 7, 11), 1);
	assert_int_equal(is_in(p, in, 7, 12), 0);
	assert_int_equal(is_in(p, in, 7, 1), 0);
}

static void test_missing_parents_and_loops(void **state)
{
	/* a parent that is gone from the table; a (corrupt) loop; pid 0 */
	struct proc_link p[] = {
		{ 5, 4 }, { 6, 5 }, { 8, 9 }, { 9, 8 }, { 20, 20 }, { 21, 0 },
	};
	__u32 members[] = { 3 };
	bool in[6];

	(void)state;
	assert_int_equal(subtree_closure(p, 6, members, 1, in), 0);
	for (int i = 0; i < 6; i++)
		assert_false(in[i]);
	/* a member that is not in the table has nothing below it here */
	members[0] = 9;
	assert_int_equal(subtree_closure(p, 6, members, 1, in), 2);
	assert_int_equal(is_in(p, in, 6, 8), 1);
	assert_int_equal(is_in(p, in, 6, 9), 1);
}

static void test_empty(void **state)
{
	__u32 members[] = { 1 };
	bool in[1];

	(void)state;
	assert_int_equal(subtree_closure(NULL, 0, members, 1, in), 0);
}

static void test_deep_chain(void **state)
{
	enum { N = 20000 };
	struct proc_link *p = calloc(N, sizeof(*p));
	bool *in = calloc(N, sizeof(*in));
	__u32 members[] = { 10000 };

	(void)state;
	assert_non_null(p);
	assert_non_null(in);
	/* pid k is the child of k - 1, listed from the deepest */
	for (int i = 0; i < N; i++) {
		p[i].pid = N - i;
		p[i].ppid = N - i - 1;
	}
	assert_int_equal(subtree_closure(p, N, members, 1, in), N - 10000 + 1);
	assert_int_equal(is_in(p, in, N, 9999), 0);
	assert_int_equal(is_in(p, in, N, N), 1);
	free(p);
	free(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_descendants_of_a_root),
		cmocka_unit_test(test_several_members_and_reparented),
		cmocka_unit_test(test_missing_parents_and_loops),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_deep_chain),
	};

	return cmocka_run_group_tests_name("subtree", tests, NULL, NULL);
}
