#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A write error on stdout (disk full) is reported on stderr and ends execsnoop
# with a non-zero status, leaving no program loaded.

load helpers

@test "stdout on /dev/full: a message, a non-zero status, programs unloaded" {
	local i ids='' status=0
	"$EXECSNOOP" >/dev/full 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 1000; i++)); do
		tool_alive || break
		[[ -n $ids ]] || ids=$(bpf_ids "$TOOL_PID")
		((i % 10)) || "$NOOP" "$TAG"
		sleep 0.01
	done
	if tool_alive; then
		kill -KILL "$TOOL_PID"
		fail "execsnoop still runs 10 s after its stdout filled up"
	fi
	wait "$TOOL_PID" || status=$?
	TOOL_PID=
	((status != 0)) || fail "execsnoop exited with status 0 after failing to write"
	((status < 128)) || fail "execsnoop was killed by signal $((status - 128))"
	grep -qiE 'no space|write|stdout|output' "$WORK/err" ||
		fail "stderr does not report the write error:" "$(cat "$WORK/err")"
	assert_eq "" "$(grep -v '^execsnoop: ' "$WORK/err")" "stderr lines not starting with 'execsnoop: '"
	# shellcheck disable=SC2086
	[[ -z $ids ]] || assert_progs_gone $ids
}

@test "stdout on /dev/full: the write error is the one message, first" {
	local i
	STATUS=0
	"$EXECSNOOP" -- "$NOOP" "$TAG" >/dev/full 2>"$WORK/run.err" || STATUS=$?
	ERR=$(cat "$WORK/run.err")
	((STATUS != 0)) || fail "status 0 after failing to write"
	assert_eq "execsnoop: writing output: No space left on device" "$ERR" "stderr with a command"
	"$EXECSNOOP" >/dev/full 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 1000; i++)); do
		tool_alive || break
		((i % 10)) || "$NOOP" "$TAG"
		sleep 0.01
	done
	tool_wait_exit INT
	((TOOL_STATUS != 0)) || fail "status 0 after failing to write"
	assert_eq "execsnoop: writing output: No space left on device" "$(cat "$WORK/err")" "stderr"
}
