#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -l/--line LINE shows only execs whose arguments (the path and argv[1..]
# joined by single spaces, raw bytes) contain LINE; the name is not looked at.

load helpers

setup() {
	e2e_setup
	LINE=ln$RANDOM
	MARKER=("$NOOP" "$LINE-marker")
}

@test "-l LINE shows execs whose arguments contain LINE, and no others" {
	tool_start -l "$LINE"
	run_execer exec "$NOOP" "$TAG" "x${LINE}y"
	run_execer exec "$NOOP" "$LINE"
	run_execer -o "$WORK/other.exp" exec "$NOOP" "$TAG" other
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG other")" "lines of an exec without LINE"
}

@test "-l tests the arguments, not the command name" {
	mkdir "$WORK/d"
	cp "$NOOP" "$WORK/d/$LINE"
	tool_start --line "$LINE"
	# the name contains LINE, ARGS (/dev/fd/N ...) does not
	run_execer -o "$WORK/other.exp" fexecve "$WORK/d/$LINE" "$TAG" by-name
	tool_sync
	tool_stop
	assert_eq "" "$(tool_lines_with "$TAG by-name" | grep -F " /dev/fd/")" \
		"lines of an exec whose name only contains LINE"
}

@test "-l matches across the space between two arguments and in the path" {
	mkdir "$WORK/$LINE-dir"
	cp "$NOOP" "$WORK/$LINE-dir/prog"
	MARKER=("$NOOP" "$LINE-a $LINE-b")
	tool_start -l "$LINE-a $LINE-b"
	run_execer exec "$NOOP" "$TAG" "$LINE-a" "$LINE-b"
	run_execer -o "$WORK/other.exp" exec "$NOOP" "$TAG" "$LINE-a" x "$LINE-b"
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$LINE-a x")" "lines whose arguments are not adjacent"
}

@test "-l matches the path as executed" {
	mkdir "$WORK/$LINE-dir"
	cp "$NOOP" "$WORK/$LINE-dir/prog"
	MARKER=("$WORK/$LINE-dir/prog")
	tool_start -l "$LINE-dir/pro"
	run_execer exec "$WORK/$LINE-dir/prog" "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "-l matches raw argument bytes (a tab, a non-UTF-8 byte)" {
	MARKER=("$NOOP" $'\t'"$LINE"$'\xff')
	tool_start -j -l $'\t'"$LINE"$'\xff'
	run_execer exec "$NOOP" "$TAG" $'a\t'"$LINE"$'\xffb'
	run_execer -o "$WORK/other.exp" exec "$NOOP" "$TAG" "$LINE"
	tool_sync
	tool_stop
	check_records
}

@test "-l with -x matches the arguments of failed execs" {
	tool_start -x -l "$LINE"
	run_execer -R -2 exec "$WORK/missing" "$TAG" "$LINE"
	run_execer -R -14 bad-arg "$NOOP" "$TAG" "$LINE"
	tool_sync
	tool_stop
	check_records
}
