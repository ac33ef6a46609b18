#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Scripts (#!): ARGS is the script as executed and the caller's arguments, not
# the interpreter line the kernel builds in the new image.

load helpers

setup_file() {
	shared_tool_start -j -x
}

setup() {
	e2e_setup
	mkdir "$WORK/bin"
	printf '#!/bin/sh\nexit 0\n' >"$WORK/bin/plain.sh"
	printf '#!/bin/sh -e\nexit 0\n' >"$WORK/bin/with-arg.sh"
	printf '#! /bin/sh  -e -u \nexit 0\n' >"$WORK/bin/spaced.sh"
	printf '#!%s\n' "$WORK/bin/plain.sh" >"$WORK/bin/nested.sh"
	printf '#!%s\n' "$NOOP" >"$WORK/bin/noop-interp"
	printf '#!%s/no-such-interpreter\n' "$WORK" >"$WORK/bin/bad-interp"
	printf '#!/bin/sh %s\nexit 0\n' "$WORK/bin/self.sh" >"$WORK/bin/self.sh"
	printf '#!%s %s\n' "$WORK/bin/self.sh" "$WORK/bin/self-nested" >"$WORK/bin/self-nested"
	chmod +x "$WORK"/bin/*
}

@test "a script without an interpreter argument" {
	run_execer -R 0 exec "$WORK/bin/plain.sh" "$TAG" "two words" ""
	tool_sync
	check_records
}

@test "a script with interpreter arguments" {
	run_execer -R 0 exec "$WORK/bin/with-arg.sh" "$TAG" x
	run_execer -R 0 exec "$WORK/bin/spaced.sh" "$TAG" y
	tool_sync
	check_records
}

@test "a script run by a relative path and without arguments" {
	cd "$WORK"
	run_execer -R 0 exec bin/plain.sh
	run_execer -R 0 exec ./bin/noop-interp "$TAG"
	tool_sync
	check_records
}

@test "a script whose interpreter is a script" {
	run_execer -R 0 exec "$WORK/bin/nested.sh" "$TAG" nested
	tool_sync
	check_records
}

@test "a script run through execveat and fexecve" {
	run_execer -R 0 execveat "$WORK/bin" plain.sh "$TAG" at
	run_execer -R 0 fexecve "$WORK/bin/with-arg.sh" "$TAG" fd
	tool_sync
	check_records
}

@test "a script run from a thread and with unfaulted arguments" {
	run_execer -R 0 -w thread exec "$WORK/bin/plain.sh" "$TAG" thread
	run_execer -R 0 unfaulted-map "$WORK/bin/with-arg.sh" "$TAG" mapped
	tool_sync
	check_records
}

@test "a script whose #! line passes the script's own path shows it once" {
	run_execer -R 0 exec "$WORK/bin/self.sh" "$TAG" x
	run_execer -R 0 exec "$WORK/bin/self.sh"
	run_execer -R 0 -w thread exec "$WORK/bin/self.sh" "$TAG" thread
	run_execer -R 0 execveat "$WORK/bin" self.sh "$TAG" at
	tool_sync
	check_records
}

@test "a script whose caller passes the script's path as arguments shows them" {
	run_execer -R 0 exec "$WORK/bin/plain.sh" "$WORK/bin/plain.sh" "$TAG"
	run_execer -R 0 exec "$WORK/bin/self.sh" "$WORK/bin/self.sh" "$WORK/bin/self.sh" "$TAG"
	run_execer -R 0 -0 "$WORK/bin/self.sh" exec "$WORK/bin/self.sh" "$TAG" argv0
	tool_sync
	check_records
}

@test "nested scripts that pass their own paths" {
	run_execer -R 0 exec "$WORK/bin/self-nested" "$TAG" "$WORK/bin/self.sh"
	run_execer -R 0 exec "$WORK/bin/self-nested" "$WORK/bin/self-nested" "$TAG"
	tool_sync
	check_records
}

@test "a script whose interpreter is missing fails with ENOENT and its arguments" {
	run_execer -R -2 exec "$WORK/bin/bad-interp" "$TAG" arg
	tool_sync
	check_records
}

@test "the interpreter's own exec is not reported separately" {
	run_execer -R 0 exec "$WORK/bin/noop-interp" "$TAG"
	tool_sync
	# one line for the PID, showing the script (check_records counts them)
	check_records
}
