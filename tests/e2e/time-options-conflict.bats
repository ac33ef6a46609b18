#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -t (seconds since start) and -T (wall clock) pick the same column: asking
# for both is refused in one line, whatever the order or spelling.

load helpers

@test "-t with -T is refused" {
	local args
	for args in "-t -T" "-T -t" "-tT" "--timestamp --time" "-x --time -q -t"; do
		# shellcheck disable=SC2086
		run_split "$EXECSNOOP" $args
		assert_one_line_error "execsnoop $args" '-t and -T'
		assert_eq 2 "$STATUS" "exit status of execsnoop $args (a usage error)"
	done
}

@test "-t twice or -T twice is fine" {
	run_split "$EXECSNOOP" -t -t --version
	assert_eq 0 "$STATUS" "exit status of execsnoop -t -t --version: $ERR"
	run_split "$EXECSNOOP" -T --time --version
	assert_eq 0 "$STATUS" "exit status of execsnoop -T --time --version: $ERR"
}
