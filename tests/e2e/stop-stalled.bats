#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# When the reader of stdout does not read (a pager not scrolling, a stopped
# pipe reader), SIGINT and SIGTERM still end execsnoop: it tries to write
# for about a second, then exits non-zero with one line saying how many lines
# could not be written. A second SIGINT ends it at once.

load helpers

teardown() {
	[[ -z ${READER_PID:-} ]] || kill -KILL "$READER_PID" 2>/dev/null || true
	e2e_teardown
}

# Starts execsnoop writing into a pipe that nobody reads, and fills the pipe.
start_stalled() {
	local i ids=
	mkfifo "$WORK/fifo"
	sleep 600 <"$WORK/fifo" 3>&- &
	READER_PID=$!
	"$EXECSNOOP" >"$WORK/fifo" 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 500; i++)); do
		ids=$(bpf_ids "$TOOL_PID")
		[[ -n $ids ]] && break
		sleep 0.02
	done
	[[ -n $ids ]] || fail "execsnoop did not load its programs within 10 s"
	sleep 0.5
	# 60 lines of about 5 KB: more than the pipe holds
	run_execer -r 60 gen "$NOOP" 40 120 "$TAG"
	sleep 0.5
	tool_alive || fail "execsnoop exited while its output was stalled:" "$(cat "$WORK/err")"
}

# Waits up to SECS for execsnoop to exit; sets STATUS and ELAPSED (ms).
wait_exit() { # SECS
	local t0=$EPOCHREALTIME i
	for ((i = 0; i < $1 * 50; i++)); do
		tool_alive || break
		sleep 0.02
	done
	ELAPSED=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%d", (b - a) * 1000 }')
	if tool_alive; then
		kill -KILL "$TOOL_PID"
		fail "execsnoop did not exit within $1 s"
		return 1
	fi
	STATUS=0
	wait "$TOOL_PID" || STATUS=$?
	TOOL_PID=
}

check_unwritten() {
	((STATUS != 0)) || fail "exit status 0 with lines not written"
	assert_eq 1 "$(grep -c '' "$WORK/err")" "lines on stderr: $(cat "$WORK/err")"
	grep -qE '^execsnoop: [1-9][0-9]* lines could not be written' "$WORK/err" ||
		fail "no count of unwritten lines on stderr:" "$(cat "$WORK/err")"
}

@test "SIGINT with the output stalled: exits after about a second, saying what was not written" {
	start_stalled
	kill -INT "$TOOL_PID"
	wait_exit 5
	echo "exited after $ELAPSED ms, status $STATUS" >&2
	((ELAPSED >= 800 && ELAPSED < 2500)) || fail "exited after $ELAPSED ms, expected about 1000"
	check_unwritten
}

@test "SIGTERM with the output stalled, the same" {
	start_stalled
	kill -TERM "$TOOL_PID"
	wait_exit 5
	((ELAPSED < 2500)) || fail "exited after $ELAPSED ms"
	check_unwritten
}

@test "a second SIGINT ends it at once" {
	start_stalled
	kill -INT "$TOOL_PID"
	sleep 0.2
	kill -INT "$TOOL_PID"
	wait_exit 5
	echo "exited $ELAPSED ms after the second SIGINT, status $STATUS" >&2
	((ELAPSED < 400)) || fail "exited $ELAPSED ms after the second SIGINT"
	check_unwritten
}
