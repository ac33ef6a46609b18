#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -c/--cgroup PATH shows only the execs of processes in that cgroup v2 directory.

load helpers

setup() {
	e2e_setup
	local root
	root=$(cgroup2_root)
	[[ -n $root ]] || skip "no cgroup v2 hierarchy mounted"
	CG=$root/execsnoop-e2e-$TAG
	mkdir "$CG"
	agent_start "echo \$BASHPID >'$CG/cgroup.procs'"
	MARKER_RUNNER=(agent_run)
}

teardown() {
	agent_stop
	[[ -z ${CG:-} ]] || rmdir "$CG" 2>/dev/null || true
	e2e_teardown
}

@test "-c PATH shows the execs in the cgroup, children included, and no others" {
	tool_start -c "$CG"
	agent_run "$EXECER" -o "$EXP" exec "$NOOP" "$TAG" in-cgroup
	agent_run "$EXECER" -o "$EXP" -w thread exec "$NOOP" "$TAG" in-cgroup-thread
	run_execer -o "$WORK/outside.exp" exec "$NOOP" "$TAG" outside
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG outside" | grep -v '^execer ')" "lines of an exec outside the cgroup"
	# only this test's processes are in the new cgroup, and all their lines carry the tag
	assert_eq "" "$(tool_lines_with "" | grep -vF -- "$TAG")" "lines of other processes"
}

@test "--cgroup with -x shows failed execs in the cgroup" {
	tool_start -x --cgroup "$CG"
	agent_run "$EXECER" -o "$EXP" -R -2 exec "$WORK/missing" "$TAG" in
	run_execer -o "$WORK/outside.exp" -R -2 exec "$WORK/missing" "$TAG" outside
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG outside" | grep -v '^execer ')" "lines of a failed exec outside the cgroup"
}
