#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -e/--exits: the end of each process execsnoop saw exec, with its exit code,
# or the signal and whether it dumped core, its lifetime since the exec and its
# CPU time; never for a process whose exec was not printed. The exec's and the
# end's timestamps must fall between the clock readings the process and its
# parent took on either side of them (ender), so the check holds on a loaded
# machine without a tolerance.

load helpers

JSON_CHECK=$E2E_ROOT/tests/helpers/json_check.py

# Runs ender REPORT MODE ARG in $WORK; ENDER_PID is the pid of the process that ends.
end_as() { # MODE ARG
	(cd "$WORK" && exec "$ENDER" "$REPORT" "$1" "$2") 2>/dev/null ||
		fail "ender $1 $2 failed"
	ENDER_PID=$(tail -n 1 "$REPORT" | cut -d' ' -f1)
}

# The exit object for pid, as python checks it: CODE runs with o set.
check_exit() { # PID CODE
	PID=$1 OUT=$TOOL_OUT REPORT=$REPORT /usr/bin/python3 -c '
import json, os
pid = int(os.environ["PID"])
objs = [json.loads(l) for l in open(os.environ["OUT"], "rb")]
ends = [o for o in objs if o["type"] == "exit" and o["pid"] == pid]
execs = [o for o in objs if o["type"] == "exec" and o["pid"] == pid and o["ret"] == 0]
assert len(ends) == 1, ("exits seen", ends)
o = ends[0]
assert execs and o["id"] == execs[-1]["id"], (o, execs)
lines = [l.split() for l in open(os.environ["REPORT"])]
at = [i for i, l in enumerate(lines) if len(l) == 2 and int(l[0]) == pid]
assert len(at) == 1 and at[0] > 0, ("ender reported", lines)
pre, begin, end = map(int, lines[at[0] - 1])
reaped = int(lines[at[0]][1])
exec_ts, end_ts = execs[-1]["ts_ns"], o["ts_ns"]
assert pre <= exec_ts <= begin, ("the exec is not between its clock readings", pre, exec_ts, begin)
assert end <= end_ts <= reaped, ("the end is not between its clock readings", end, end_ts, reaped)
assert o["lifetime_ns"] == end_ts - exec_ts, ("lifetime", o["lifetime_ns"], "timestamps", end_ts - exec_ts)
assert o["cpu_ns"] >= 0
'"$2" || fail "the exit of pid $1 is wrong"
}

setup_file() {
	shared_tool_start -j -e
}

setup() {
	e2e_setup
	# in memory: a file system journal must not stall the process between its clock readings
	REPORT=$(mktemp /dev/shm/execsnoop-e2e.XXXXXX)
}

teardown() {
	rm -f "$REPORT"
	e2e_teardown
}

@test "exit(0) and exit(3): the code, the lifetime" {
	end_as code 0
	local a=$ENDER_PID
	end_as code 3
	local b=$ENDER_PID
	tool_sync
	/usr/bin/python3 "$JSON_CHECK" "$TOOL_OUT" >&2 || fail "lines do not validate"
	check_exit "$a" 'assert o["code"] == 0 and o["signal"] is None and not o["core"], o'
	check_exit "$b" 'assert o["code"] == 3, o'
}

@test "SIGKILL, and SIGSEGV with a core dump" {
	end_as signal 9
	local a=$ENDER_PID
	end_as signal 11
	local b=$ENDER_PID
	tool_sync
	check_exit "$a" 'assert o["code"] is None and o["signal"] == "SIGKILL" and not o["core"], o'
	check_exit "$b" 'assert o["signal"] == "SIGSEGV" and o["core"], o'
}

@test "a process whose last thread is not its first" {
	end_as thread 7
	tool_sync
	check_exit "$ENDER_PID" 'assert o["code"] == 7, o'
}

@test "a process that execs twice ends once, timed from its last exec" {
	end_as again 5
	tool_sync
	check_exit "$ENDER_PID" 'assert o["code"] == 5 and [e["comm"] for e in execs[-2:]] == ["ender", "exe"], (o, execs)'
}

@test "no end for a process whose exec was not seen" {
	local pid
	# forked and never exec'd: a subshell that exits
	(exit 4) &
	pid=$!
	wait "$pid" || true
	tool_sync
	if grep -q "\"type\":\"exit\",[^}]*\"pid\":$pid," "$TOOL_OUT"; then
		fail "an end was printed for pid $pid, which never exec'd"
	fi
}

@test "text: the end has the columns of an exec, with end in RET" {
	local line
	tool_start -e
	end_as code 3
	tool_sync
	tool_stop
	line=$(grep -E "^ender +$ENDER_PID +[0-9]+ +end " "$TOOL_OUT") ||
		fail "no end line for pid $ENDER_PID:" "$(grep -- "$ENDER_PID" "$TOOL_OUT")"
	[[ $line =~ \ end\ code=3\ lived=[0-9]+\.[0-9]{6}s\ cpu=[0-9]+\.[0-9]{6}s$ ]] ||
		fail "the end line is not as documented:" "$line"
}
