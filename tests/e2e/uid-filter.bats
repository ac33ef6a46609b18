#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -u/--uid UID (number or user name) shows that user's execs only;
# -U/--print-uid adds a UID column after the time column.

load helpers

NOBODY=(timeout 60 setpriv --reuid=65534 --regid=65534 --clear-groups)

@test "-u 65534 shows the execs of uid 65534 and no others" {
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -u 65534
	"${NOBODY[@]}" "$EXECER" exec "$NOOP" "$TAG" nobody >>"$EXP"
	"${NOBODY[@]}" "$EXECER" -w thread exec "$NOOP" "$TAG" nobody-thread >>"$EXP"
	run_execer -o "$WORK/root.exp" exec "$NOOP" "$TAG" root
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG root")" "lines of root's exec"
	assert_eq "" "$(tool_lines_with "" | grep -vF -- "$TAG")" "lines of execs not by this test"
}

@test "-u nobody takes a user name" {
	getent passwd nobody >/dev/null || skip "no user nobody"
	[[ $(id -u nobody) == 65534 ]] || skip "nobody is not uid 65534"
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start --uid nobody
	"${NOBODY[@]}" "$EXECER" exec "$NOOP" "$TAG" by-name >>"$EXP"
	run_execer -o "$WORK/root.exp" exec "$NOOP" "$TAG" root
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG root")" "lines of root's exec"
}

@test "-u with -x shows that user's failed execs" {
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -x -u 65534
	"${NOBODY[@]}" "$EXECER" -R -2 exec "$WORK/missing" "$TAG" >>"$EXP"
	run_execer -o "$WORK/root.exp" -R -2 exec "$WORK/missing" "$TAG" root
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(tool_lines_with "$TAG root")" "lines of root's failed exec"
}

@test "-U prints each exec's uid in a UID column" {
	tool_start -U
	"${NOBODY[@]}" "$EXECER" exec "$NOOP" "$TAG" nobody >>"$EXP"
	run_execer exec "$NOOP" "$TAG" root
	tool_sync
	tool_stop
	check_records
	local header
	header=$(head -1 "$TOOL_OUT")
	[[ $header =~ ^"UID    PCOMM            PID " ]] ||
		fail "header with -U does not start with 'UID    PCOMM            PID ' (UID as %-6s):" "$header"
	grep -qE "^65534  noop +[0-9]+ +[0-9]+ +0 $NOOP $TAG nobody\$" "$TOOL_OUT" ||
		fail "no line '65534  noop ... $TAG nobody' (UID as %-6s)" "$(grep -F "$TAG" "$TOOL_OUT")"
	grep -qE "^0      noop +[0-9]+ +[0-9]+ +0 $NOOP $TAG root\$" "$TOOL_OUT" ||
		fail "no line '0      noop ... $TAG root' (UID as %-6s)" "$(grep -F "$TAG" "$TOOL_OUT")"
}

@test "-U with -t: TIME(s) first, then UID" {
	tool_start -t -U
	run_execer exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
	local header
	header=$(head -1 "$TOOL_OUT")
	[[ $header =~ ^"TIME(s)    UID    PCOMM            PID " ]] ||
		fail "header with -t -U does not start with 'TIME(s)    UID    PCOMM            PID ':" "$header"
	grep -qE "^[0-9]+\.[0-9]{3} +0 +noop +[0-9]+ +[0-9]+ +0 $NOOP $TAG\$" "$TOOL_OUT" ||
		fail "no line 'TIME 0 noop ...' for the exec" "$(grep -F "$TAG" "$TOOL_OUT")"
}
