#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A process that execs again: every exec is reported, with the same PID.

load helpers

@test "a chain of four execs in one process" {
	tool_start -j
	run_execer -R 0 chain 3 "$NOOP" "$TAG" end
	tool_sync
	tool_stop
	check_records
	assert_eq 4 "$(wc -l <"$EXP")" "records of the chain"
}

@test "a chain started from a thread, in a pid namespace, ending in a script" {
	printf '#!/bin/sh\nexit 0\n' >"$WORK/end.sh"
	chmod +x "$WORK/end.sh"
	tool_start -j
	run_execer -R 0 -w thread chain 2 "$NOOP" "$TAG" thread
	run_execer -R 0 -w pidns chain 2 "$WORK/end.sh" "$TAG" pidns
	tool_sync
	tool_stop
	check_records
}

@test "shell exec builtin: the shell's PID runs the new program" {
	tool_start
	bash -c 'echo $$ >"$1"; exec "$2" "$3" shell-exec' _ "$WORK/pid" "$NOOP" "$TAG"
	tool_sync
	tool_stop
	local pid lines
	pid=$(cat "$WORK/pid")
	lines=$(tool_lines_with "$TAG shell-exec")
	assert_eq "noop $pid $$ 0 $NOOP $TAG shell-exec" "$lines" "line of the exec builtin"
}
