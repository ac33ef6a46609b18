#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Arguments whose pages are not faulted in when the exec starts: string
# literals in a child right after fork() (read-only file pages are not copied
# into its page tables) and strings in a fresh private file mapping. execer
# checks in /proc/self/pagemap that they really are not resident, and after a
# failed exec which of them the kernel faulted in: those must be shown; the
# rest may be left out with the exec marked as cut, never silently.

load helpers

setup_file() {
	shared_tool_start -j -x
}

@test "string literals untouched since fork: successful exec" {
	run_execer -R 0 unfaulted-literal ok
	run_execer -R 0 unfaulted-literal ok
	tool_sync
	check_records
}

@test "strings in a fresh file mapping: successful exec" {
	run_execer -R 0 unfaulted-map "$NOOP" "$TAG" "mapped argument" $'\xff\n'
	run_execer -R 0 unfaulted-map "$NOOP" "$TAG" ""
	tool_sync
	check_records
}

@test "unfaulted arguments of an exec from a thread and in a pid namespace" {
	run_execer -R 0 -w thread unfaulted-literal ok
	run_execer -R 0 -w thread unfaulted-map "$NOOP" "$TAG" thread
	run_execer -R 0 -w pidns-child unfaulted-map "$NOOP" "$TAG" pidns
	tool_sync
	check_records
}

@test "unfaulted arguments of an exec that fails with ENOEXEC are shown" {
	printf 'not a program\n' >"$WORK/garbage"
	chmod +x "$WORK/garbage"
	run_execer -R -8 unfaulted-literal-args "$WORK/garbage"
	run_execer -R -8 unfaulted-map "$WORK/garbage" "$TAG" mapped
	tool_sync
	check_records
}

@test "unfaulted arguments of an exec that fails with ENOENT: shown or marked" {
	run_execer -R -2 unfaulted-literal enoent
	run_execer -R -2 unfaulted-literal-args "$WORK/missing"
	run_execer -R -2 unfaulted-map "$WORK/missing" "$TAG" mapped
	tool_sync
	check_records
}

@test "unfaulted arguments of an exec that fails with EACCES: shown or marked" {
	printf 'data\n' >"$WORK/not-executable"
	run_execer -R -13 unfaulted-map "$WORK/not-executable" "$TAG" mapped
	run_execer -R -13 unfaulted-literal-args "$WORK/not-executable"
	tool_sync
	check_records
}

@test "unfaulted arguments before a bad pointer (EFAULT): shown or marked" {
	run_execer -R -14 unfaulted-literal bad-arg
	run_execer -R -14 unfaulted-map-bad-arg "$NOOP" "$TAG" mapped
	tool_sync
	check_records
}
