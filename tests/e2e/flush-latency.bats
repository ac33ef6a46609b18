#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Output is never held back: into a file or a pipe a line is out within a
# fraction of a second; on a terminal as the exec happens.

load helpers

# Seconds until a line with WORD is in FILE (gives up after 3 s).
latency() { # FILE WORD
	local t0=$EPOCHREALTIME i
	"$NOOP" "$2"
	for ((i = 0; i < 300; i++)); do
		grep -qF -- "$2" "$1" && break
		sleep 0.01
	done
	awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }'
}

within() { # LIMIT SECONDS WHAT
	awk -v l="$1" -v s="$2" 'BEGIN { exit !(s <= l) }' ||
		fail "$3: the line took $2 s to come out (limit $1 s)"
}

@test "into a file: each line is out within 0.8 s, while execsnoop runs on" {
	tool_start
	local i
	for i in 1 2 3; do
		within 0.8 "$(latency "$TOOL_OUT" "$TAG-$i")" "exec $i"
		sleep 0.3
	done
}

@test "into a pipe: each line is out within 0.8 s" {
	pipe_start
	local i
	for i in 1 2 3; do
		within 0.8 "$(latency "$TOOL_OUT" "$TAG-$i")" "exec $i"
		sleep 0.3
	done
	tool_stop
	wait
}

@test "on a terminal: each line is out within 0.3 s" {
	command -v script >/dev/null || skip "no script(1) to give execsnoop a terminal"
	local cmd i
	printf -v cmd 'exec %q' "$EXECSNOOP"
	script -qfec "$cmd" /dev/null >"$WORK/tty" 2>&1 3>&- </dev/null &
	local spid=$!
	for ((i = 0; i < 150; i++)); do
		"$NOOP" "ready-$TAG"
		grep -qF "ready-$TAG" "$WORK/tty" && break
		sleep 0.1
	done
	grep -qF "ready-$TAG" "$WORK/tty" || fail "no line on the terminal within 15 s:" "$(cat "$WORK/tty")"
	for i in 1 2 3; do
		within 0.3 "$(latency "$WORK/tty" "$TAG-$i")" "exec $i"
		sleep 0.2
	done
	# script's only child is execsnoop (its shell exec'd it)
	kill -INT "$(pgrep -P "$spid")"
	wait "$spid"
}
