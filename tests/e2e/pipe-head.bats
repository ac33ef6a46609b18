#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop | head -n 3 ends promptly and quietly once head exits (EPIPE),
# with status 0, and no execsnoop BPF program stays loaded.

load helpers

teardown() {
	[[ -z ${LOAD_PID:-} ]] || kill "$LOAD_PID" 2>/dev/null || true
	e2e_teardown
}

# Runs execsnoop ARGS... | head -n LINES with execs going on; checks status,
# stderr, timing and that the programs are gone. head starts reading once
# execsnoop's programs are seen loaded: on a busy machine, other execs could
# otherwise fill head and end the pipeline first.
pipe_into_head() { # LINES ARGS...
	local lines=$1 status=0 i ids='' pid t0 t1
	shift
	mkfifo "$WORK/go"
	timeout 30 bash -c 'set -o pipefail
		{ "$1" "${@:8}" 2>"$2" & echo $! >"$3"; wait $!; echo $? >"$4"; } |
			{ read -r _ <"$7"; head -n "$5"; } >"$6.out"' _ "$EXECSNOOP" "$WORK/err" "$WORK/pid" \
		"$WORK/status" "$lines" "$WORK/head" "$WORK/go" "$@" 3>&- &
	local pipeline=$!
	for ((i = 0; i < 1000; i++)); do
		pid=$(cat "$WORK/pid" 2>/dev/null || true)
		[[ -n $pid ]] && ids=$(bpf_ids "$pid")
		[[ -n $ids ]] && break
		sleep 0.01
	done
	echo go >"$WORK/go"
	[[ -n $ids ]] || fail "execsnoop did not load its programs within 10 s; its stderr:" "$(cat "$WORK/err")"
	# execs for head to read, and for execsnoop to find the pipe closed
	t0=$EPOCHREALTIME
	(for ((i = 0; i < 400; i++)); do "$NOOP" "$TAG-$i"; sleep 0.02; done) 3>&- &
	LOAD_PID=$!
	wait "$pipeline" || status=$?
	t1=$EPOCHREALTIME
	kill "$LOAD_PID" 2>/dev/null || true
	LOAD_PID=
	assert_eq 0 "$status" "status of 'execsnoop $* | head -n $lines' (pipefail)"
	assert_eq 0 "$(cat "$WORK/status")" "status of execsnoop"
	assert_eq "$lines" "$(grep -c '' "$WORK/head.out")" "lines head printed"
	assert_eq "" "$(cat "$WORK/err")" "stderr of execsnoop"
	awk -v a="$t0" -v b="$t1" 'BEGIN { exit !(b - a < 5) }' ||
		fail "the pipeline took $(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }') s to end (limit 5 s)"
	# shellcheck disable=SC2086
	assert_progs_gone $ids
}

@test "execsnoop | head -n 3" {
	pipe_into_head 3
}

@test "execsnoop -x -t | head -n 1: head leaves after the header" {
	pipe_into_head 1 -x -t
}

@test "execsnoop | head -n 50: a reader that leaves in the middle of a batch" {
	pipe_into_head 50
}

@test "a reader that is gone before anything is written" {
	local status=0
	timeout 30 bash -c 'set -o pipefail; "$1" 2>"$2" | true' _ "$EXECSNOOP" "$WORK/err" || status=$?
	assert_eq 0 "$status" "status of 'execsnoop | true'"
	assert_eq "" "$(cat "$WORK/err")" "stderr of execsnoop"
}
