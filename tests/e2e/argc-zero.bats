#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# argc == 0: execve(path, NULL, envp) and execve(path, {NULL}, envp) show the
# path alone; nothing past argv's end (the environment) is ever read as arguments.

load helpers

setup_file() {
	shared_tool_start -j -x
}

@test "execve(path, NULL, envp) shows the path only" {
	cp "$NOOP" "$WORK/null-argv-$TAG"
	run_execer -R 0 argc0 "$WORK/null-argv-$TAG"
	tool_sync
	check_records
}

@test "execve(path, {NULL}, envp) shows the path only" {
	cp "$NOOP" "$WORK/empty-argv-$TAG"
	run_execer -R 0 argc0-empty "$WORK/empty-argv-$TAG"
	tool_sync
	check_records
}

@test "argc == 0 from a thread and for a script" {
	cp "$NOOP" "$WORK/t-$TAG"
	printf '#!/bin/sh\nexit 0\n' >"$WORK/s-$TAG"
	chmod +x "$WORK/s-$TAG"
	run_execer -R 0 -w thread argc0 "$WORK/t-$TAG"
	run_execer -R 0 argc0 "$WORK/s-$TAG"
	run_execer -R 0 argc0-empty "$WORK/s-$TAG"
	tool_sync
	check_records
}

@test "a failed exec with argc == 0 shows the path only" {
	run_execer -R -2 argc0 "$WORK/missing-$TAG"
	run_execer -R -2 argc0-empty "$WORK/missing-too-$TAG"
	tool_sync
	check_records
}

@test "no environment string shows up as an argument" {
	cp "$NOOP" "$WORK/env-$TAG"
	run_execer argc0 "$WORK/env-$TAG"
	run_execer argc0-empty "$WORK/env-$TAG"
	tool_sync
	check_records
	! grep -F -- "EXECER_NOOP" "$TOOL_OUT" | grep -F -- "$TAG" ||
		fail "an environment string was printed as an argument (above)"
}
