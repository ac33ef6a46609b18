#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The whole argument list is captured by default, at least 1024 arguments and
# 32 KiB per exec; beyond what is captured the exec is marked as cut, and only then.

load helpers

setup_file() {
	shared_tool_start -j -x
}

@test "1024 short arguments are all shown" {
	run_execer -R 0 gen "$NOOP" 1024 12 "$TAG"
	tool_sync
	check_records
}

@test "1024 arguments in about 32 KiB are all shown" {
	run_execer -R 0 gen "$NOOP" 1024 30 "$TAG"
	tool_sync
	check_records
}

@test "a few long arguments, just under 32 KiB in all, are all shown" {
	run_execer -R 0 gen "$NOOP" 31 1000 "$TAG"
	run_execer -R 0 gen "$NOOP" 7 4500 "$TAG"
	run_execer -R 0 gen "$NOOP" 2 16000 "$TAG"
	tool_sync
	check_records
}

@test "a failed exec with 1024 arguments in about 32 KiB shows them all" {
	run_execer -R -2 gen "$WORK/missing" 1024 30 "$TAG"
	run_execer -R -2 gen "$WORK/missing" 2 16000 "$TAG"
	tool_sync
	check_records
}

@test "big argument lists from a thread and in a pid namespace" {
	run_execer -R 0 -w thread gen "$NOOP" 1024 30 "$TAG"
	run_execer -R 0 -w pidns gen "$NOOP" 1024 30 "$TAG"
	tool_sync
	check_records
}

@test "more arguments than are captured: a long prefix, marked as cut" {
	# the path and at least 1024 arguments (of 30 bytes, each + 1) must be shown
	run_execer -R 0 -e "+:$((${#NOOP} + 1 + 1024 * 31))" gen "$NOOP" 5000 30 "$TAG"
	run_execer -R -2 -e "+:$((${#WORK} + 9 + 1024 * 31))" gen "$WORK/missing" 5000 30 "$TAG"
	tool_sync
	check_records
}

@test "more bytes than are captured in one argument: a long prefix, marked as cut" {
	# at least 28 KiB of it must be shown
	run_execer -R 0 -e "+:28672" gen "$NOOP" 1 100000 "$TAG"
	run_execer -R 0 -e "+:28672" gen "$NOOP" 3 50000 "$TAG"
	run_execer -R -2 -e "+:28672" gen "$WORK/missing" 1 100000 "$TAG"
	tool_sync
	check_records
}

@test "no cut mark on execs that were not cut" {
	run_execer -R 0 exec "$NOOP" "$TAG" a b c
	run_execer -R 0 gen "$NOOP" 1024 30 "$TAG"
	tool_sync
	# their records say "not cut": check_records wants "cut": null
	check_records
}
