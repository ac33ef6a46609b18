#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The reader raises its priority at start, so that it gets the CPU when an
# exec storm saturates the machine: nice -20 and, with autogroup scheduling,
# its session's group too; --priority=realtime uses SCHED_FIFO; none keeps
# what it was started with.

load helpers

# nice, scheduling policy and autogroup nice of execsnoop
sched_of() {
	local stat policy group
	read -r -a stat <"/proc/$TOOL_PID/stat"
	policy=$(chrt -p "$TOOL_PID" | sed -n 's/.*policy: *//p' | head -1)
	group=$(sed -n 's/.* nice //p' "/proc/$TOOL_PID/autogroup" 2>/dev/null || echo none)
	echo "${stat[18]} $policy $group"
}

@test "by default: nice -20, in its own session's autogroup too" {
	[[ -e /proc/self/autogroup ]] || skip "no autogroup scheduling in this kernel"
	TOOL_WRAP=(setsid)
	tool_start
	assert_eq "-20 SCHED_OTHER -20" "$(sched_of)" "nice, policy, autogroup nice"
	tool_stop
}

@test "--priority=realtime: SCHED_FIFO" {
	tool_start --priority=realtime
	[[ $(sched_of) == *" SCHED_FIFO"* ]] || fail "not SCHED_FIFO: $(sched_of)"
	tool_stop
}

@test "--priority=none: as started" {
	TOOL_WRAP=(setsid nice -n 5)
	tool_start --priority=none
	[[ $(sched_of) == "5 SCHED_OTHER "* ]] || fail "priority changed: $(sched_of)"
	tool_stop
}

@test "a storm from another session does not starve it" {
	! sanitized || skip "execsnoop is built with ASan: this storm outruns a reader that slow (it cuts lines, it loses none)"
	TOOL_WRAP=(setsid)
	tool_start
	"$SPAWN" -t "$TAG" -j 8 -n 1000 -a 40 -b 120 -p -v "$NOOP" >/dev/null || fail "spawn failed"
	tool_stop
	grep -q 'printed without arguments\|execs lost' "$TOOL_ERR" &&
		fail "the reader fell behind:" "$(cat "$TOOL_ERR")"
	(($(grep -cE -- " $TAG-[0-9]+-[0-9]+" "$TOOL_OUT") == 8000)) || fail "not every exec was printed"
}
