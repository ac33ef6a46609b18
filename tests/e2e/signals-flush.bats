#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Redirected to a file or a pipe and stopped by SIGINT, SIGTERM or SIGHUP,
# execsnoop writes every pending event, exits 0 and leaves no program loaded.

load helpers

# 300 execs, then the signal at once: all of them must be in the file.
burst_then() { # SIG
	local ids
	# a signal ignored where the tests run (under nohup) stays ignored, as it should:
	# the tool starts with it at its default, as from a terminal
	TOOL_WRAP=(env "--default-signal=$1")
	tool_start
	ids=$(bpf_ids "$TOOL_PID")
	[[ -n $ids ]] || fail "execsnoop holds no BPF program"
	run_execer -r 300 exec "$NOOP" "$TAG" "$1"
	tool_stop "$1"
	check_records
	# shellcheck disable=SC2086
	assert_progs_gone $ids
}

@test "SIGINT: nothing lost, status 0, programs unloaded" {
	burst_then INT
}

@test "SIGTERM: nothing lost, status 0, programs unloaded" {
	burst_then TERM
}

@test "SIGHUP: nothing lost, status 0, programs unloaded" {
	burst_then HUP
}

@test "SIGTERM with the output going into a pipe: nothing lost" {
	local ids
	pipe_start
	ids=$(bpf_ids "$TOOL_PID")
	run_execer -r 200 exec "$NOOP" "$TAG" piped
	tool_stop TERM
	wait
	check_records
	# shellcheck disable=SC2086
	assert_progs_gone $ids
}

@test "a signal right after start still gives a header and status 0" {
	tool_start
	tool_stop TERM
	[[ $(head -1 "$TOOL_OUT") =~ $HEADER_RE ]] || fail "no header in the output"
}
