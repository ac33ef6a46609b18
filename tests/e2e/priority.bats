#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The reader raises its priority at start, so that it gets the CPU when an
# exec storm saturates the machine: SCHED_FIFO, or where that is not allowed
# nice -20 and, with autogroup scheduling, its session's group too;
# --priority=realtime uses SCHED_FIFO; none keeps what it was started with.

load helpers

teardown() {
	e2e_teardown
	[[ -z ${CG:-} ]] || rmdir "$CG" 2>/dev/null || true
}

# nice, scheduling policy and autogroup nice of execsnoop
sched_of() {
	local stat policy group
	read -r -a stat <"/proc/$TOOL_PID/stat"
	policy=$(chrt -p "$TOOL_PID" | sed -n 's/.*policy: *//p' | head -1)
	group=$(sed -n 's/.* nice //p' "/proc/$TOOL_PID/autogroup" 2>/dev/null || echo none)
	echo "${stat[18]} $policy $group"
}

@test "by default: SCHED_FIFO, not passed on to children" {
	tool_start
	[[ $(sched_of) == *" SCHED_FIFO|SCHED_RESET_ON_FORK "* ]] || fail "not SCHED_FIFO: $(sched_of)"
	tool_stop
}

@test "by default where real time is not allowed: nice -20" {
	local root=/sys/fs/cgroup/cpu
	[[ -e $root/cpu.rt_runtime_us ]] || skip "no cgroup v1 cpu controller with real-time budgets"
	# a cgroup with no real-time budget refuses SCHED_FIFO
	CG=$root/execsnoop-e2e-$$
	mkdir "$CG"
	echo 0 >"$CG/cpu.rt_runtime_us"
	TOOL_WRAP=(bash -c 'echo $$ >"$0/cgroup.procs" && exec "$@"' "$CG")
	tool_start
	[[ $(sched_of) == "-20 SCHED_OTHER "* ]] || fail "not nice -20: $(sched_of)"
	tool_stop
}

@test "without CAP_SYS_NICE it starts all the same, at the priority it was given" {
	TOOL_WRAP=(capsh --drop=cap_sys_nice -- -c 'exec "$@"' execsnoop)
	tool_start
	[[ $(sched_of) == "0 SCHED_OTHER "* ]] || fail "priority changed: $(sched_of)"
	tool_stop
	assert_eq "" "$(cat "$TOOL_ERR")" "stderr"
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
	local full cut
	! sanitized || skip "execsnoop is built with ASan: this storm outruns a reader that slow (it cuts lines, it loses none)"
	TOOL_WRAP=(setsid)
	tool_start
	"$SPAWN" -t "$TAG" -j 8 -n 1000 -a 40 -b 120 -p -v "$NOOP" >/dev/null || fail "spawn failed"
	tool_stop
	# every exec printed (a cut one with its path only), 99% with all their arguments
	full=$(grep -cE -- " $TAG-[0-9]+-[0-9]+x* .*x$" "$TOOL_OUT" || true)
	cut=$(grep -cE -- " ${NOOP//./\\.} \.\.\.$" "$TOOL_OUT" || true)
	((full + cut >= 8000)) || fail "$full whole and $cut cut lines for 8000 execs:" "$(cat "$TOOL_ERR")"
	((full >= 7920)) || fail "only $full of 8000 lines carry all their arguments:" "$(cat "$TOOL_ERR")"
}
