#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What an older kernel lacks is done without. EXECSNOOP_WITHOUT makes the
# tool do without features this kernel has, as Linux 5.10 must: task
# storage, bpf_loop, bpf_task_pt_regs, and the group_dead of
# sched_process_exit. The suites of the behaviours that use them pass as
# they do with everything, and the bounded walks mark what they cut.

load helpers

WITHOUT_ALL=task_storage,loop,task_regs,exit_group_dead

# Runs tests/e2e/NAME.bats with every feature done without; fails with its output.
suite_without_all() { # NAME
	local status=0 without=${EXECSNOOP_WITHOUT_ALL:-$WITHOUT_ALL}
	EXECSNOOP_WITHOUT=$without timeout 600 bats "$E2E_ROOT/tests/e2e/$1.bats" \
		>"$WORK/suite.out" 2>&1 3>&- || status=$?
	((status == 0)) ||
		fail "tests/e2e/$1.bats failed (status $status) with EXECSNOOP_WITHOUT=$without:" \
			"$(grep -v '^ok ' "$WORK/suite.out" | head -60)"
}

# The JSON exec records of $TOOL_OUT whose path ends with SUFFIX: "N CUT..." a line,
# N the number of arguments after argv[0].
args_of() { # SUFFIX
	SUFFIX=$1 OUT=$TOOL_OUT /usr/bin/python3 -c '
import json, os
for line in open(os.environ["OUT"], "rb"):
    o = json.loads(line)
    if o["type"] == "exec" and isinstance(o["path"], str) and o["path"].endswith(os.environ["SUFFIX"]):
        print(len(o["args"]), " ".join(o["cut"] or []), " ".join(a for a in o["args"] if isinstance(a, str)))
'
}

@test "an ill-formed EXECSNOOP_WITHOUT: one line naming what it takes" {
	run_split env EXECSNOOP_WITHOUT=loop,$'\e[31mbogus' "$EXECSNOOP"
	assert_one_line_error "EXECSNOOP_WITHOUT" \
		"invalid EXECSNOOP_WITHOUT 'loop,\\\\x1b\\[31mbogus': it names task_storage, loop"
}

@test "without bpf_loop: a failed exec's arguments up to the bounded walk, then marked cut" {
	local few=() many=() i
	for ((i = 0; i < 100; i++)); do few+=("f$i"); done
	for ((i = 0; i < 400; i++)); do many+=("m$i"); done
	TOOL_WRAP=(env EXECSNOOP_WITHOUT=loop)
	tool_start -j -x
	run_execer -R -2 exec "$WORK/missing-few-$TAG" "${few[@]}"
	run_execer -R -2 exec "$WORK/missing-many-$TAG" "${many[@]}"
	tool_sync
	tool_stop
	assert_eq "100  ${few[*]}" "$(args_of "missing-few-$TAG")" "a failed exec of 100 arguments"
	read -r n cut rest <<<"$(args_of "missing-many-$TAG")"
	((n >= 150 && n < 400)) || fail "expected from 150 to 399 of 400 arguments, seen $n"
	assert_eq "args-limit" "$cut" "the cut of a failed exec of 400 arguments"
	assert_eq "${many[*]:0:n}" "$rest" "its arguments"
}

@test "without bpf_loop: a working directory 40 deep whole, 300 deep marked cut" {
	local d40=$WORK d300 i
	for ((i = 0; i < 40; i++)); do d40+=/d$i; done
	d300=$d40
	for ((i = 40; i < 300; i++)); do d300+=/d$i; done
	mkdir -p "$d300"
	TOOL_WRAP=(env EXECSNOOP_WITHOUT=loop)
	tool_start --cwd
	(cd "$d40" && "$NOOP" "$TAG" d40)
	(cd "$d300" && "$NOOP" "$TAG" d300)
	tool_sync
	tool_stop
	grep -qF " \"$d40\" $NOOP $TAG d40" "$TOOL_OUT" ||
		fail "the 40-deep cwd is not whole:" "$(grep -- "$TAG d40" "$TOOL_OUT")"
	grep -qE "^noop .* \"[^\"]*\"\+ $NOOP $TAG d300\$" "$TOOL_OUT" ||
		fail "the 300-deep cwd is not marked cut:" "$(grep -- "$TAG d300" "$TOOL_OUT" | tail -c 200)"
}

@test "without everything: exits (-e), their codes and signals" {
	suite_without_all exits
}

@test "without everything: --tree" {
	suite_without_all tree
}

@test "without everything: -s" {
	suite_without_all summary
}

@test "without everything: -p PID" {
	suite_without_all pid-subtree
}

@test "without everything: -- COMMAND" {
	suite_without_all command
}

@test "without everything: a thread's exec" {
	suite_without_all thread-exec
}

@test "without everything: failed execs (-x)" {
	suite_without_all failed-execs
}

@test "without everything: killed execs" {
	suite_without_all killed-execs
}

@test "without everything: the working directory" {
	suite_without_all cwd
}

@test "without bpf_loop, bpf_task_pt_regs and group_dead: JSON" {
	# comm_before needs sched_prepare_exec (6.10), and every kernel that has it has task storage
	EXECSNOOP_WITHOUT_ALL=loop,task_regs,exit_group_dead suite_without_all json
}
