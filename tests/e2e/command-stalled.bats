#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop -- COMMAND with an output nobody reads: a stop (SIGTERM, SIGINT)
# ends it as it does without a command, once the command has ended, after
# trying to write for about a second, saying how many lines were not written.
# A command that ends by itself leaves a slow reader every line.

load helpers

teardown() {
	[[ -z ${READER_PID:-} ]] || kill -KILL "$READER_PID" 2>/dev/null || true
	[[ -z ${TOOL_PID:-} ]] || pkill -KILL -P "$TOOL_PID" 2>/dev/null || true
	e2e_teardown
}

# Starts execsnoop -- COMMAND... writing into a pipe nobody reads; waits
# until a write of execsnoop's is blocked on it.
start_stalled() { # COMMAND...
	local i wchan=
	mkfifo "$WORK/fifo"
	sleep 600 <"$WORK/fifo" 3>&- &
	READER_PID=$!
	"$EXECSNOOP" -- "$@" >"$WORK/fifo" 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 1000; i++)); do
		wchan=$(cat "/proc/$TOOL_PID/wchan" 2>/dev/null || true)
		[[ $wchan == *pipe_write* ]] && return 0
		tool_alive || break
		sleep 0.02
	done
	fail "execsnoop's output did not stall within 20 s (wchan '$wchan'):" "$(cat "$WORK/err")"
}

# Waits up to SECS for execsnoop to exit; sets STATUS.
wait_exit() { # SECS
	local i
	for ((i = 0; i < $1 * 50; i++)); do
		tool_alive || break
		sleep 0.02
	done
	if tool_alive; then
		kill -KILL "$TOOL_PID"
		wait "$TOOL_PID" 2>/dev/null || true
		TOOL_PID=
		fail "execsnoop did not exit within $1 s of its command's end"
		return 1
	fi
	STATUS=0
	wait "$TOOL_PID" || STATUS=$?
	TOOL_PID=
}

check_unwritten() {
	((STATUS != 0)) || fail "exit status 0 with lines not written"
	grep -qE '^execsnoop: [1-9][0-9]* lines could not be written' "$WORK/err" ||
		fail "no count of unwritten lines on stderr:" "$(cat "$WORK/err")"
}

@test "-- COMMAND, output stalled: SIGTERM passed on ends the command, then execsnoop" {
	local zeros
	zeros=$(printf '0%.0s' $(seq 1000))
	start_stalled sh -c "trap 'exit 0' TERM; while :; do $NOOP $zeros; done"
	kill -TERM "$TOOL_PID"
	wait_exit 10
	check_unwritten
}

@test "-- COMMAND, output stalled: after the command's own end, one SIGTERM ends execsnoop" {
	local zeros i
	zeros=$(printf '0%.0s' $(seq 1000))
	# ends once the file exists, which is made after the output stalls
	start_stalled sh -c "while [ ! -e $WORK/end ]; do $NOOP $zeros; done; exit 5"
	touch "$WORK/end"
	for ((i = 0; i < 500; i++)); do
		pgrep -P "$TOOL_PID" >/dev/null || break
		sleep 0.02
	done
	# the command is a zombie, execsnoop still writing: a slow reader would get every line
	sleep 1.5
	tool_alive || fail "execsnoop gave up on its output without a stop:" "$(cat "$WORK/err")"
	kill -TERM "$TOOL_PID"
	wait_exit 10
	check_unwritten
}

@test "-- COMMAND, output stalled: a SIGINT the command ignores makes its later end the stop" {
	local zeros
	zeros=$(printf '0%.0s' $(seq 1000))
	start_stalled sh -c "trap '' INT; while [ ! -e $WORK/end ]; do $NOOP $zeros; done"
	kill -INT "$TOOL_PID"
	sleep 0.5
	tool_alive || fail "execsnoop ended while its command ran:" "$(cat "$WORK/err")"
	touch "$WORK/end"
	# the stop was asked for while the command ran: its end is the stop
	wait_exit 10
	check_unwritten
}
