#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# ARGS starts with the path exactly as the program was executed: relative,
# with "..", doubled slashes, through a symlink, or nearly PATH_MAX long.

load helpers

setup_file() {
	shared_tool_start -j -x
}

setup() {
	e2e_setup
	mkdir -p "$WORK/a/b"
	cp "$NOOP" "$WORK/a/prog"
	ln -s prog "$WORK/a/link-to-prog"
	ln -s "$WORK/a/prog" "$WORK/a/b/abs-link"
}

@test "relative paths, '..' and doubled slashes are shown as passed" {
	cd "$WORK/a/b"
	run_execer -R 0 exec ../prog "$TAG"
	run_execer -R 0 exec ./../../a/prog "$TAG"
	run_execer -R 0 exec "$WORK//a///prog" "$TAG"
	tool_sync
	check_records
}

@test "a symlink is shown as the link, its name is the comm" {
	run_execer -R 0 exec "$WORK/a/link-to-prog" "$TAG"
	run_execer -R 0 exec "$WORK/a/b/abs-link" "$TAG"
	run_execer -R 0 execveat "$WORK/a" link-to-prog "$TAG"
	tool_sync
	check_records
}

@test "a path of nearly PATH_MAX bytes, run and missing" {
	local dir=$WORK i
	for ((i = 0; i < 19; i++)); do
		dir+=/$(printf 'd%02d%0196d' "$i" 0)
	done
	mkdir -p "$dir"
	cp "$NOOP" "$dir/prog"
	((${#dir} > 3800)) || fail "the path is only ${#dir} bytes long"
	run_execer -R 0 exec "$dir/prog" "$TAG"
	run_execer -R -2 exec "$dir/missing" "$TAG"
	tool_sync
	check_records
}
