#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Started with stdout closed (execsnoop >&-), execsnoop says so in one line and
# does nothing; with stdin or stderr closed it works, and none of its own files
# (BPF objects, perf rings) takes descriptor 0, 1 or 2.

load helpers

# Runs execsnoop ARGS... with the descriptors in REDIRS (e.g. ">&-") applied by a shell.
run_redirected() { # REDIRS ARGS...
	local redirs=$1
	shift
	run_split sh -c "exec \"\$@\" $redirs" sh "$EXECSNOOP" "$@"
}

@test "stdout closed: one line, status 1" {
	run_redirected '>&-' -x
	assert_one_line_error "execsnoop >&-" '^execsnoop: stdout is closed'
	assert_eq 1 "$STATUS" "exit status of execsnoop >&-"
	run_redirected '>&- 2>&1' -t
	((STATUS != 0)) || fail "execsnoop >&- 2>&1: exit status 0"
}

@test "stdout open read-only: one line" {
	run_redirected '1</dev/null'
	assert_one_line_error "execsnoop 1</dev/null" '^execsnoop: stdout is not open for writing'
}

@test "--help with stdout closed fails, with stdout a file works" {
	run_redirected '>&-' --help
	assert_one_line_error "execsnoop --help >&-" 'stdout is closed'
	run_split "$EXECSNOOP" --help
	assert_eq 0 "$STATUS" "exit status of execsnoop --help"
}

@test "stdin closed: traces, and descriptor 0 is /dev/null" {
	TOOL_WRAP=(sh -c 'exec "$@" <&-' sh)
	tool_start -x
	assert_eq /dev/null "$(readlink "/proc/$TOOL_PID/fd/0")" "execsnoop's descriptor 0"
	run_execer exec "$NOOP" "$TAG"
	run_execer -R -2 exec "$WORK/missing" "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "stderr closed: traces, and descriptor 2 is /dev/null" {
	TOOL_WRAP=(sh -c 'exec "$@" 2>&-' sh)
	tool_start -x
	assert_eq /dev/null "$(readlink "/proc/$TOOL_PID/fd/2")" "execsnoop's descriptor 2"
	run_execer exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "stdin and stderr closed, with -v: libbpf's messages go nowhere, not into a BPF object" {
	TOOL_WRAP=(sh -c 'exec "$@" <&- 2>&-' sh)
	tool_start -v -x
	assert_eq /dev/null "$(readlink "/proc/$TOOL_PID/fd/0")" "execsnoop's descriptor 0"
	assert_eq /dev/null "$(readlink "/proc/$TOOL_PID/fd/2")" "execsnoop's descriptor 2"
	run_execer exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
}
