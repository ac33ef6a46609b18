#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The column layout, byte for byte: header "%-16s %-6s %-6s %3s %s", lines
# "%-16s %-6d %-6d %3d %s"; a normal run says nothing on stderr.

load helpers

@test "the header is PCOMM PID PPID RET ARGS in fixed columns" {
	tool_start
	tool_stop
	assert_eq "$(printf '%-16s %-6s %-6s %3s %s' PCOMM PID PPID RET ARGS)" \
		"$(head -1 "$TOOL_OUT")" "header"
}

@test "a line is laid out as %-16s %-6d %-6d %3d %s" {
	tool_start -x
	run_execer exec "$NOOP" "$TAG" ok
	run_execer -R -2 exec "$WORK/missing" "$TAG" failed
	tool_sync
	tool_stop
	local mode cut min comm pid ppid ret args want
	# the records with ARGS as text (they are plain ASCII)
	/usr/bin/python3 -B "$CHECK_RECORDS" --plain "$EXP" >"$WORK/plain" ||
		fail "the records could not be shown as text"
	while IFS=$'\t' read -r mode cut min comm pid ppid ret args; do
		printf -v want '%-16s %-6d %-6d %3d %s' "$comm" "$pid" "$ppid" "$ret" "$args"
		grep -qxF -- "$want" "$TOOL_OUT" ||
			fail "expected the line: |$want|" "seen:              |$(grep -E -- "^[^ ]+ +$pid " "$TOOL_OUT")|"
	done <"$WORK/plain"
	assert_eq 2 "$(grep -c . "$WORK/plain")" "records"
}

@test "the header comes first and only once" {
	tool_start
	"$NOOP" "$TAG"
	tool_sync
	tool_stop
	[[ $(head -1 "$TOOL_OUT") =~ $HEADER_RE ]] || fail "the first line is not the header"
	assert_eq 1 "$(grep -cE -- "$HEADER_RE" "$TOOL_OUT")" "header lines"
}

@test "nothing on stderr during a normal run" {
	tool_start -x
	run_execer exec "$NOOP" "$TAG"
	run_execer -R -14 bad-argv "$NOOP"
	tool_sync
	tool_stop
	assert_eq "" "$(cat "$TOOL_ERR")" "stderr"
}
