#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -n/--name NAME shows only commands whose name (PCOMM) contains NAME.

load helpers

setup() {
	e2e_setup
	NAME=nm$RANDOM
	cp "$NOOP" "$WORK/x${NAME}y"
	cp "$NOOP" "$WORK/$NAME"
	MARKER=("$WORK/$NAME")
}

@test "-n NAME shows the commands whose name contains NAME, and no others" {
	tool_start -n "$NAME"
	run_execer exec "$WORK/x${NAME}y" "$TAG" inside
	run_execer exec "$WORK/$NAME" "$TAG" whole
	run_execer -o "$WORK/other.exp" exec "$NOOP" "$TAG" "$NAME"
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG $NAME")" "lines of noop (name does not match, an argument does)"
}

@test "--name applies to failed execs, by the caller's name" {
	tool_start -x --name "$NAME"
	run_execer -R -2 -N "c${NAME}" exec "$WORK/missing" "$TAG" caller-matches
	run_execer -o "$WORK/other.exp" -R -2 exec "$WORK/$NAME-missing" "$TAG" caller-differs
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG caller-differs")" "lines of a failed exec by a caller named execer"
}

@test "-n matches the name after the exec, also through execveat and a thread" {
	tool_start -n "$NAME"
	run_execer execveat "$WORK" "x${NAME}y" "$TAG" at
	run_execer -w thread exec "$WORK/$NAME" "$TAG" thread
	tool_sync
	tool_stop
	check_records
}
