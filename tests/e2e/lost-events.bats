#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Events the kernel could not deliver are counted and reported on stderr as
# they happen and in a summary at exit; every exec is printed or counted.

load helpers

teardown() {
	[[ -z ${TOOL_PID:-} ]] || kill -CONT "$TOOL_PID" 2>/dev/null || true
	e2e_teardown
}

@test "a stopped reader loses events: they are reported, as they happen and at exit" {
	tool_start
	# while execsnoop cannot read, big records (32 KiB each) overflow its buffers
	kill -STOP "$TOOL_PID"
	run_execer -r 150 gen "$NOOP" 1024 30 "$TAG"
	kill -CONT "$TOOL_PID"
	tool_sync
	local during printed lost
	printed=$(tool_lines_with "$TAG-00000-" | grep -c '^noop ' || true)
	((printed < 150)) || skip "nothing was lost: the buffers held 150 records of 32 KiB"
	during=$(grep -ci lost "$TOOL_ERR" || true)
	((during > 0)) || fail "$((150 - printed)) execs not printed, and no report of lost events on stderr:" \
		"$(cat "$TOOL_ERR")"
	tool_stop
	(($(grep -ci lost "$TOOL_ERR") > during)) ||
		fail "no summary of lost events on stderr at exit:" "$(cat "$TOOL_ERR")"
	lost=$(grep -i lost "$TOOL_ERR" | tail -1 | grep -oE '[0-9]+' | head -1)
	((printed + lost >= 150)) ||
		fail "$printed execs printed and $lost reported lost, of 150:" "$(cat "$TOOL_ERR")"
	assert_eq "" "$(grep -v '^execsnoop: ' "$TOOL_ERR")" "stderr lines not starting with 'execsnoop: '"
}
