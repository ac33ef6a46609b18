#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What the kernel could not deliver is reported on stderr while it happens
# (at most once a second) and in a summary at exit: execs lost whole, and
# execs printed without their arguments.

load helpers

teardown() {
	[[ -z ${TOOL_PID:-} ]] || kill -CONT "$TOOL_PID" 2>/dev/null || true
	e2e_teardown
}

@test "a stopped reader: losses are reported as they happen and at exit" {
	local i
	tool_start --ring-size=128K
	kill -STOP "$TOOL_PID"
	# 300 records of 32 KiB and more: far beyond two rings of 128 KiB
	run_execer -r 300 gen "$NOOP" 1024 30 "$TAG"
	kill -CONT "$TOOL_PID"
	for ((i = 0; i < 40; i++)); do
		grep -q '^execsnoop: so far: ' "$TOOL_ERR" && break
		sleep 0.1
	done
	grep -qE '^execsnoop: so far: [0-9]+ execs lost .*, [1-9][0-9]* printed without arguments' \
		"$TOOL_ERR" || fail "no report of losses while running:" "$(cat "$TOOL_ERR")"
	tool_stop
	grep -qE '^execsnoop: in total: [0-9]+ execs lost \(ring full [0-9]+, no buffer 0\), [1-9][0-9]* printed without arguments' \
		"$TOOL_ERR" || fail "no summary of losses at exit:" "$(cat "$TOOL_ERR")"
	assert_eq "" "$(grep -v '^execsnoop: ' "$TOOL_ERR")" "stderr lines not starting with 'execsnoop: '"
}

@test "nothing lost, nothing reported" {
	tool_start
	run_execer -r 20 gen "$NOOP" 1024 30 "$TAG"
	tool_sync
	tool_stop
	assert_eq "" "$(cat "$TOOL_ERR")" "stderr of execsnoop"
}
