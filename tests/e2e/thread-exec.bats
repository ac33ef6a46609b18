#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# An exec from a thread that is not the group leader: the thread takes over the
# process id; the line must carry that process id (tgid), never the thread id,
# and nothing may be dropped or left behind.

load helpers

@test "exec from a non-leader thread is reported with the process id" {
	tool_start
	run_execer -w thread exec "$NOOP" "$TAG" "from a thread"
	tool_sync
	tool_stop
	check_records
}

@test "exec from a thread after the group leader has exited" {
	tool_start
	run_execer -w orphan-thread exec "$NOOP" "$TAG" "leader gone"
	tool_sync
	tool_stop
	check_records
}

@test "a failed exec from a thread carries the process id" {
	tool_start -x
	run_execer -R -2 -w thread exec "$WORK/missing" "$TAG"
	run_execer -w thread search noop "$WORK/no:$(dirname "$NOOP")" "$TAG" then-found
	tool_sync
	tool_stop
	check_records
}

@test "200 thread execs in a row are all reported" {
	tool_start
	run_execer -r 200 -w thread exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
	assert_eq 200 "$(tool_lines_with "$TAG" | grep -c " 0 $NOOP $TAG\$")" "lines of the thread execs"
}

@test "threads racing to exec: exactly one wins and is reported once" {
	tool_start
	run_execer race 8 "$NOOP" "$TAG"
	run_execer -r 20 race 4 "$NOOP" "$TAG-many"
	tool_sync
	tool_stop
	local lines
	lines=$(tool_lines_with "$TAG-race-")
	assert_eq 1 "$(grep -c . <<<"$lines")" "lines for the 8-thread race (one exec wins)"
	lines=$(tool_lines_with "$TAG-many-race-")
	assert_eq 20 "$(grep -c . <<<"$lines")" "lines for 20 4-thread races"
}
