// SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
/* --tree: depths from the nearest ancestor seen, by process identity. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <cmocka.h>
#include "tree.h"

static void test_a_build_reads_as_a_tree(void **state)
{
	struct tree t = {};

	(void)state;
	/* make (its parent, a shell, started before execsnoop) */
	assert_int_equal(tree_depth(&t, 100, 1000, 0, 0), 0);
	/* make -j: sh -c cc ..., twice, their lines interleaved */
	assert_int_equal(tree_depth(&t, 101, 1100, 100, 1000), 1);
	assert_int_equal(tree_depth(&t, 102, 1200, 100, 1000), 1);
	assert_int_equal(tree_depth(&t, 103, 1300, 101, 1100), 2);
	assert_int_equal(tree_depth(&t, 104, 1400, 102, 1200), 2);
	assert_int_equal(tree_depth(&t, 105, 1500, 103, 1300), 3);
	/* a later line of make's own child after its grandchildren */
	assert_int_equal(tree_depth(&t, 106, 1600, 100, 1000), 1);
	tree_free(&t);
}

static void test_exec_again_keeps_its_depth(void **state)
{
	struct tree t = {};

	(void)state;
	assert_int_equal(tree_depth(&t, 10, 1, 0, 0), 0);
	assert_int_equal(tree_depth(&t, 11, 2, 10, 1), 1);
	/* 11 execs again (sh -c 'exec prog'): same process, same depth */
	assert_int_equal(tree_depth(&t, 11, 2, 10, 1), 1);
	/* even when it was reparented meanwhile (its ancestor is now init, unknown) */
	assert_int_equal(tree_depth(&t, 11, 2, 0, 0), 1);
	tree_free(&t);
}

static void test_unknown_ancestor_is_a_root(void **state)
{
	struct tree t = {};

	(void)state;
	/* the ancestor's exec came before the start: the process is a root */
	assert_int_equal(tree_depth(&t, 20, 5, 19, 4), 0);
	assert_int_equal(tree_depth(&t, 21, 6, 20, 5), 1);
	tree_free(&t);
}

static void test_pid_reuse_is_a_new_process(void **state)
{
	struct tree t = {};

	(void)state;
	assert_int_equal(tree_depth(&t, 30, 100, 0, 0), 0);
	assert_int_equal(tree_depth(&t, 31, 110, 30, 100), 1);
	assert_int_equal(tree_depth(&t, 32, 120, 31, 110), 2);
	/* pid 32 again, started later: another process, under 30 */
	assert_int_equal(tree_depth(&t, 32, 500, 30, 100), 1);
	/* a child naming the old 30 (start 100) is still placed under it, not under a newer 30 */
	assert_int_equal(tree_depth(&t, 30, 900, 0, 0), 0);
	assert_int_equal(tree_depth(&t, 33, 910, 32, 120), 3);
	tree_free(&t);
}

static void test_memory_is_bounded(void **state)
{
	struct tree t = {};
	__u32 pid;

	(void)state;
	assert_int_equal(tree_depth(&t, 1, 1, 0, 0), 0);
	/* a long chain: each a child of the one before, depth capped */
	for (pid = 2; pid < 3 * TREE_GENERATION; pid++)
		tree_depth(&t, pid, pid, pid - 1, pid - 1);
	assert_true(t.cur.len <= TREE_GENERATION);
	assert_true(t.old.len <= TREE_GENERATION);
	/* the recent are remembered */
	assert_int_equal(tree_depth(&t, pid, pid, pid - 1, pid - 1), TREE_DEPTH_MAX);
	/* the oldest are forgotten: a child of 1 is a root again */
	assert_int_equal(tree_depth(&t, 4000000, 1, 1, 1), 0);
	tree_free(&t);
}

static void test_depth_is_capped(void **state)
{
	struct tree t = {};
	__u32 pid;

	(void)state;
	tree_depth(&t, 1, 1, 0, 0);
	for (pid = 2; pid < TREE_DEPTH_MAX + 10; pid++)
		tree_depth(&t, pid, pid, pid - 1, pid - 1);
	assert_int_equal(tree_depth(&t, pid, pid, pid - 1, pid - 1), TREE_DEPTH_MAX);
	tree_free(&t);
}

static void test_an_ancestor_forgotten_then_seen_in_old(void **state)
{
	struct tree t = {};
	__u32 pid;

	(void)state;
	tree_depth(&t, 7, 7, 0, 0);
	tree_depth(&t, 8, 8, 7, 7);
	/* fill a generation with unrelated roots: 7 and 8 move to the old one */
	for (pid = 100; pid < 100 + TREE_GENERATION; pid++)
		tree_depth(&t, pid, pid, 0, 0);
	/* still found there, and brought back to the current one */
	assert_int_equal(tree_depth(&t, 9, 9, 8, 8), 2);
	for (pid = 200000; pid < 200000 + TREE_GENERATION - 10; pid++)
		tree_depth(&t, pid, pid, 0, 0);
	assert_int_equal(tree_depth(&t, 10, 10, 8, 8), 2);
	tree_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_build_reads_as_a_tree),
		cmocka_unit_test(test_exec_again_keeps_its_depth),
		cmocka_unit_test(test_unknown_ancestor_is_a_root),
		cmocka_unit_test(test_pid_reuse_is_a_new_process),
		cmocka_unit_test(test_memory_is_bounded),
		cmocka_unit_test(test_depth_is_capped),
		cmocka_unit_test(test_an_ancestor_forgotten_then_seen_in_old),
	};

	return cmocka_run_group_tests_name("tree", tests, NULL, NULL);
}
