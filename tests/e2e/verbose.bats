#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -v/--verbose: libbpf's debug messages on stderr; stdout stays the same.

load helpers

@test "-v prints libbpf's messages on stderr only" {
	tool_start -v
	run_execer exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
	grep -qi 'libbpf' "$TOOL_ERR" || fail "no libbpf message on stderr with -v:" "$(head -5 "$TOOL_ERR")"
	assert_eq "" "$(grep -i 'libbpf' "$TOOL_OUT")" "libbpf messages on stdout"
}

@test "without -v, libbpf says nothing" {
	tool_start
	tool_stop
	assert_eq "" "$(cat "$TOOL_ERR")" "stderr without -v"
}
