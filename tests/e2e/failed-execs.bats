#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Failed execs (-x/--fails): the negative errno in RET, the comm of the caller,
# and the arguments that were passed. Bad user pointers never break the tracer.

load helpers

setup_file() {
	shared_tool_start -j -x
}

setup() {
	e2e_setup
	printf 'data\n' >"$WORK/not-executable"
	printf 'not a program, no #!\n' >"$WORK/garbage"
	chmod +x "$WORK/garbage"
}

@test "ENOENT: a path that does not exist" {
	run_execer -R -2 exec "$WORK/missing" "$TAG" "an arg"
	run_execer -R -2 exec "relative/missing" "$TAG"
	tool_sync
	check_records
}

@test "EACCES: a file that is not executable, and a directory" {
	run_execer -R -13 exec "$WORK/not-executable" "$TAG"
	run_execer -R -13 exec "$WORK" "$TAG" dir
	tool_sync
	check_records
}

@test "ENOEXEC: an executable file with garbage and no #!" {
	run_execer -R -8 exec "$WORK/garbage" "$TAG" $'\xff'
	tool_sync
	check_records
}

@test "ENOTDIR and ELOOP" {
	ln -s loop "$WORK/loop"
	run_execer -R -20 exec "$WORK/not-executable/x" "$TAG"
	run_execer -R -40 exec "$WORK/loop" "$TAG"
	tool_sync
	check_records
}

@test "EFAULT: a bad argv pointer shows the path and the mark" {
	run_execer -R -14 bad-argv "$NOOP"
	run_execer -R -14 -w thread bad-argv "$NOOP"
	tool_sync
	check_records
}

@test "EFAULT: a bad argument pointer after good ones shows them and the mark" {
	run_execer -R -14 bad-arg "$NOOP" "$TAG" "good two"
	run_execer -R -14 bad-arg "$NOOP"
	tool_sync
	check_records
}

@test "EBADF: execveat with a bad directory fd" {
	run_execer -R -9 bad-fd prog "$TAG"
	run_execer -R -9 bad-fd "" "$TAG" empty-path
	tool_sync
	check_records
}

@test "the comm of a failed exec is the caller's" {
	run_execer -R -2 -N "caller-$RANDOM" exec "$WORK/missing" "$TAG"
	tool_sync
	check_records
}

@test "failed attempts then a success in one process (a PATH search)" {
	run_execer -R 0 search noop "$WORK/a:$WORK/not-executable:$WORK:$(dirname "$NOOP")" "$TAG"
	tool_sync
	check_records
}

@test "without -x failed execs are not shown, the successful one is" {
	tool_start
	run_execer -R 0 search noop "$WORK/a:$WORK:$(dirname "$NOOP")" "$TAG"
	run_execer -R -2 exec "$WORK/missing" "$TAG"
	run_execer -R -14 bad-argv "$NOOP"
	tool_sync
	tool_stop
	check_records --fails-hidden
}

@test "a burst of bad pointers leaves the tracer working" {
	run_execer -r 50 bad-argv "$NOOP"
	run_execer -r 50 bad-arg "$NOOP" "$TAG"
	run_execer -r 50 bad-fd prog "$TAG"
	run_execer exec "$NOOP" "$TAG" after
	tool_sync
	check_records
}
