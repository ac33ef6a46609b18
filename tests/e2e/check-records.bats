#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The checker the other tests rely on fails when it should: a check that
# cannot fail proves nothing.

load helpers

@test "check_records fails when execer wrote no records" {
	tool_start
	: >"$EXP"
	if check_records 2>"$WORK/why"; then
		fail "check_records passed on an empty record file"
	fi
	grep -q "wrote no records" "$WORK/why" || fail "no reason given:" "$(cat "$WORK/why")"
	tool_stop
}

@test "check_records --fails-hidden fails when a failed exec is printed" {
	tool_start -x
	# a pid whose only exec fails
	run_execer -R -2 exec "/nonexistent/$TAG"
	tool_sync
	grep -q "/nonexistent/$TAG" "$TOOL_OUT" || fail "the failed exec was not printed with -x"
	if check_records --fails-hidden 2>"$WORK/why"; then
		fail "check_records --fails-hidden passed with a failed exec printed"
	fi
	tool_stop
}
