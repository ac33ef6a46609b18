#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --max-args N shows at most N arguments (argv[1..]), then " ..." exactly when
# some were left out (not at exactly N, unlike bcc's tool).

load helpers

@test "--max-args 2: more arguments are cut with ' ...', fewer or exactly 2 are not" {
	tool_start --max-args 2
	run_execer -m 2 exec "$NOOP" "$TAG" b c
	run_execer -m 2 exec "$NOOP" "$TAG" b
	run_execer -m 2 exec "$NOOP" "$TAG"
	run_execer -m 2 exec "$NOOP"
	run_execer -m 2 gen "$NOOP" 500 20 "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "--max-args=1 with -q" {
	tool_start -q --max-args=1
	run_execer -m 1 exec "$NOOP" "$TAG" "two words"
	run_execer -m 1 exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "--max-args with scripts, execveat and failed execs" {
	printf '#!/bin/sh -e\nexit 0\n' >"$WORK/s.sh"
	chmod +x "$WORK/s.sh"
	tool_start -x --max-args 1
	run_execer -m 1 exec "$WORK/s.sh" "$TAG" x y
	run_execer -m 1 execveat "$WORK" s.sh "$TAG" x
	run_execer -m 1 -R -2 exec "$WORK/missing" "$TAG" x y
	run_execer -m 1 -R -14 bad-arg "$NOOP" "$TAG"
	run_execer -m 1 -R -14 bad-arg "$NOOP" "$TAG" x
	tool_sync
	tool_stop
	check_records
}

@test "--max-args above the argument count changes nothing" {
	tool_start --max-args 2000
	run_execer -m 2000 gen "$NOOP" 1024 30 "$TAG"
	tool_sync
	tool_stop
	check_records
}
