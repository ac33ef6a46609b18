#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Idle costs nothing: while no exec it traces happens, execsnoop sleeps
# until one does, on a terminal as into a file; no timer wakes it. Its
# filter (-u, a user with no process) keeps the execs of the rest of the
# machine in the kernel, so the count does not depend on what else runs.

load helpers

IDLE_UID=54321

# Context switches of every thread of process PID so far.
switches() { # PID
	cat /proc/"$1"/task/*/status 2>/dev/null |
		awk '/^(non)?voluntary_ctxt_switches:/ { n += $2 } END { print n + 0 }'
}

# Waits until process PID has printed its header into FILE, then checks
# that it does not run at all for 2 s.
assert_sleeps() { # PID FILE
	local i a z
	for ((i = 0; i < 150; i++)); do
		grep -qF PCOMM "$2" && break
		sleep 0.1
	done
	grep -qF PCOMM "$2" || fail "no header within 15 s:" "$(cat "$2")"
	sleep 0.5
	a=$(switches "$1")
	sleep 2
	z=$(switches "$1")
	((z - a <= 1)) || fail "execsnoop woke $((z - a)) times in 2 s of idle (expected none)"
}

@test "into a file: no wakeup at idle" {
	"$EXECSNOOP" -u "$IDLE_UID" >"$WORK/out" 2>"$WORK/err" 3>&- &
	local pid=$!
	assert_sleeps "$pid" "$WORK/out"
	kill -INT "$pid"
	wait "$pid" || fail "execsnoop exited with status $?:" "$(cat "$WORK/err")"
}

@test "on a terminal: no wakeup at idle" {
	command -v script >/dev/null || skip "no script(1) to give execsnoop a terminal"
	local cmd pid i
	printf -v cmd 'exec %q -u %d' "$EXECSNOOP" "$IDLE_UID"
	script -qfec "$cmd" /dev/null >"$WORK/tty" 2>&1 3>&- </dev/null &
	local spid=$!
	for ((i = 0; i < 100; i++)); do
		pid=$(pgrep -P "$spid" -x execsnoop || true)
		[[ -n $pid ]] && break
		sleep 0.1
	done
	[[ -n $pid ]] || fail "execsnoop did not start under script(1)"
	assert_sleeps "$pid" "$WORK/tty"
	kill -INT "$pid"
	wait "$spid" || true
}

@test "with -s --interval: woken only for each interval's table" {
	"$EXECSNOOP" -u "$IDLE_UID" -s --interval 1 >"$WORK/out" 2>"$WORK/err" 3>&- &
	local pid=$! a z
	sleep 1.5
	a=$(switches "$pid")
	sleep 3
	z=$(switches "$pid")
	kill -INT "$pid"
	wait "$pid" || fail "execsnoop exited with status $?:" "$(cat "$WORK/err")"
	((z - a >= 2 && z - a <= 5)) ||
		fail "execsnoop woke $((z - a)) times in 3 s with a table a second (expected 3)"
}
