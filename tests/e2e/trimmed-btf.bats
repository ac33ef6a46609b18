#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The programs are relocated against the small BTF of the kernel struct members
# they read, not the whole kernel BTF: every member they read is in its list.

load helpers

@test "the programs load against the trimmed BTF, with and without -x" {
	local opts
	for opts in "-v" "-v -x"; do
		# shellcheck disable=SC2086
		tool_start $opts
		tool_stop
		grep -q 'CO-RE relocating' "$TOOL_ERR" ||
			fail "execsnoop $opts: no CO-RE relocation in libbpf's log:" "$(head -5 "$TOOL_ERR")"
		assert_eq "" "$(grep 'full kernel BTF' "$TOOL_ERR")" "execsnoop $opts: a fall back to the full BTF"
	done
}
