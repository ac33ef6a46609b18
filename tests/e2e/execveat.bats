#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execveat: a path relative to a directory fd is shown as the kernel resolves
# it, /dev/fd/N/NAME; AT_EMPTY_PATH (fexecve) as /dev/fd/N; never an empty word.

load helpers

setup_file() {
	shared_tool_start -x
}

setup() {
	e2e_setup
	mkdir -p "$WORK/dir/sub"
	cp "$NOOP" "$WORK/dir/prog"
	cp "$NOOP" "$WORK/dir/sub/deeper"
}

@test "execveat(dirfd, name) shows /dev/fd/N/name" {
	run_execer execveat "$WORK/dir" prog "$TAG" "x y"
	run_execer -F 3 execveat "$WORK/dir" prog "$TAG" three
	run_execer -F 42 execveat "$WORK/dir" prog "$TAG" forty-two
	tool_sync
	check_records
	grep -qF -- " /dev/fd/3/prog $TAG three" "$TOOL_OUT" ||
		fail "no line with ARGS /dev/fd/3/prog $TAG three; seen:" "$(grep -F -- "$TAG three" "$TOOL_OUT")"
}

@test "execveat with an O_PATH directory fd and a name in a subdirectory" {
	run_execer -p execveat "$WORK/dir" prog "$TAG"
	run_execer execveat "$WORK/dir" sub/deeper "$TAG"
	run_execer -p execveat "$WORK" dir/sub/deeper "$TAG"
	tool_sync
	check_records
}

@test "execveat(AT_FDCWD, relative name) and an absolute name show the name as passed" {
	cd "$WORK"
	run_execer execveat-cwd dir/prog "$TAG"
	run_execer execveat-cwd ./dir/prog "$TAG"
	run_execer execveat "$WORK/dir/sub" "$WORK/dir/prog" "$TAG" absolute
	tool_sync
	check_records
}

@test "fexecve (AT_EMPTY_PATH) with an O_RDONLY fd shows /dev/fd/N" {
	run_execer fexecve "$WORK/dir/prog" "$TAG" a b
	run_execer -F 5 fexecve "$WORK/dir/prog" "$TAG"
	tool_sync
	check_records
	grep -qE -- "^prog +[0-9]+ +[0-9]+ +0 /dev/fd/5 $TAG\$" "$TOOL_OUT" ||
		fail "no line: prog ... 0 /dev/fd/5 $TAG; seen:" "$(grep -F -- "/dev/fd/5 $TAG" "$TOOL_OUT")"
}

@test "fexecve with an O_PATH fd shows /dev/fd/N" {
	run_execer -p fexecve "$WORK/dir/prog" "$TAG"
	run_execer -p -F 9 fexecve "$WORK/dir/sub/deeper" "$TAG" ""
	tool_sync
	check_records
}

@test "failed execveat still shows the /dev/fd/N/name path" {
	run_execer -R -2 execveat "$WORK/dir" missing "$TAG"
	run_execer -R -20 execveat "$WORK/dir" prog/x "$TAG"
	tool_sync
	check_records
}

@test "execveat from a thread and in a new pid namespace" {
	run_execer -w thread execveat "$WORK/dir" prog "$TAG"
	run_execer -w pidns -p fexecve "$WORK/dir/prog" "$TAG"
	tool_sync
	check_records
}
