#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Argument bytes come back exactly through JSON (-j), whatever they hold:
# spaces, control bytes, bytes that are not UTF-8, quotes, empty arguments.
# The text output escapes them; its rules are unit-tested (tests/unit/
# test_record.c), and one line of it is checked here.

load helpers

setup_file() {
	shared_tool_start -j
}

@test "spaces, newlines, tabs and carriage returns" {
	run_execer exec "$NOOP" "$TAG" "a b" $'new\nline' $'tab\there' $'cr\rlf\n' \
		"  two leading" "two trailing  " $'\n\n\t'
	tool_sync
	check_records
}

@test "other control bytes" {
	run_execer exec "$NOOP" "$TAG" $'\x01\x02' $'\e[31mred\e[0m' $'del\x7f' $'\v\f\b\a' $'\x1f'
	tool_sync
	check_records
}

@test "bytes that are not UTF-8, and valid UTF-8" {
	run_execer exec "$NOOP" "$TAG" $'\xff' $'\xfe\xfd' $'lone\x80cont' $'cut\xc3' \
		"héllo" "日本語" "😀" $'\xc2\xa0nbsp' "Ünïcödé mixed "$'\xff'
	tool_sync
	check_records
}

@test "malformed UTF-8 sequences" {
	run_execer exec "$NOOP" "$TAG" $'over\xc0\xaflong' $'\xe0\x80\xaf' $'sur\xed\xa0\x80rogate' \
		$'big\xf4\x90\x80\x80' $'\xf5\x80\x80\x80' $'trunc\xe2\x82A' $'\xe2\xe2\x82\xac' \
		$'\xf0\x9f\x98' $'\xed\x9f\xbf-last-before-surrogates'
	tool_sync
	check_records
}

@test "C1 controls (U+0080..U+009F), and U+00A0 and up" {
	run_execer exec "$NOOP" "$TAG" $'\xc2\x80' $'csi\xc2\x9b2J' $'\xc2\x9f' $'\xc2\xa0' $'\xc2\xa9'
	tool_sync
	check_records
}

@test "quotes and backslashes" {
	run_execer exec "$NOOP" "$TAG" '"double"' "'single'" 'back\slash' 'a\nb' '\x41' '\' '"'
	tool_sync
	check_records
}

@test "empty arguments keep their place" {
	run_execer exec "$NOOP" "" "$TAG" "" "" "x" ""
	run_execer exec "$NOOP" ""
	run_execer exec "$NOOP" "$TAG" ""
	tool_sync
	check_records
}

@test "a path with spaces, newlines and non-UTF-8 bytes" {
	local dir=$WORK/$'dir with space/new\nline/\xff\xc3\xa9'
	mkdir -p "$dir"
	cp "$NOOP" "$dir/prog"
	run_execer exec "$dir/prog" "$TAG"
	tool_sync
	check_records
}

@test "the comm too, cut to 15 bytes as the kernel does" {
	cp "$NOOP" "$WORK/"$'n\tm\xff'
	cp "$NOOP" "$WORK/abcdefghijklmné-long"
	cp "$NOOP" "$WORK/"$'\x1b[1mbold'
	run_execer exec "$WORK/"$'n\tm\xff' "$TAG"
	run_execer exec "$WORK/abcdefghijklmné-long" "$TAG"
	run_execer exec "$WORK/"$'\x1b[1mbold' "$TAG"
	tool_sync
	check_records
}

@test "argv[0] is not reported: the path, then argv[1..]" {
	run_execer -0 "argv0-$TAG" exec "$NOOP" "one-$TAG"
	run_execer -0 "" exec "$NOOP" "two-$TAG"
	tool_sync
	check_records
}

@test "the text output escapes control and invalid bytes and keeps printable UTF-8" {
	tool_start
	"$NOOP" "$TAG" $'a\nb' $'\x1b[31m' $'\xff' 'é' $'\xc2\x9b'
	tool_sync
	tool_stop
	local line
	line=$(tool_lines_with " $TAG ")
	assert_eq "$NOOP $TAG "'a\nb \x1b[31m \xff é \xc2\x9b' "${line#* * * * }" "ARGS of the exec"
}
