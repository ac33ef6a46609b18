#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Processes in another pid namespace: PID and PPID as the host sees them.

load helpers

@test "exec by pid 1 of a new pid namespace shows host PID and PPID" {
	tool_start
	run_execer -R 0 -w pidns exec "$NOOP" "$TAG" init
	tool_sync
	tool_stop
	check_records
}

@test "exec by a child of the namespace's init: its PPID is the init's host pid" {
	tool_start
	run_execer -R 0 -w pidns-child exec "$NOOP" "$TAG" child
	tool_sync
	tool_stop
	check_records
}

@test "failed execs in a pid namespace" {
	tool_start -x
	run_execer -R -2 -w pidns exec "$WORK/missing" "$TAG"
	run_execer -R -14 -w pidns-child bad-arg "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "unshare(1) --pid --fork: the PID column is not the namespace's pid" {
	tool_start
	unshare --pid --fork "$NOOP" "$TAG" unshare
	tool_sync
	tool_stop
	local line
	line=$(tool_lines_with "$TAG unshare" | grep '^noop ')
	[[ $line =~ ^noop\ ([0-9]+)\ ([0-9]+)\ 0\  ]] || fail "no line for the exec: |$line|"
	((BASH_REMATCH[1] > 1)) || fail "PID is the namespace's pid: |$line|"
}
