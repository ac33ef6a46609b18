#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What execsnoop inherits from its parent does not change what it does:
# SIGCHLD ignored does not lose a command's status, and a hangup ignored at
# start (nohup) stays ignored.

load helpers

setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

# Runs ARGV... with SIGCHLD ignored, as a parent may leave it; sets STATUS, OUT and ERR.
run_chld_ignored() { # ARGV...
	run_split python3 -c 'import os, signal, sys
signal.signal(signal.SIGCHLD, signal.SIG_IGN)
os.execv(sys.argv[1], sys.argv[1:])' "$@"
}

@test "SIGCHLD ignored by the parent: the command's status all the same" {
	run_chld_ignored "$EXECSNOOP" -- sh -c 'exit 3'
	assert_eq 3 "$STATUS" "status of a command that exits 3"
	run_chld_ignored "$EXECSNOOP" -- sh -c 'kill -KILL $$'
	assert_eq 137 "$STATUS" "status of a command killed by SIGKILL"
	run_chld_ignored "$EXECSNOOP" -- "$WORK/no-such-command"
	assert_eq 127 "$STATUS" "status of a command not found"
	printf 'not a program\n' >"$WORK/text"
	run_chld_ignored "$EXECSNOOP" -- "$WORK/text"
	assert_eq 126 "$STATUS" "status of a command not executable"
	assert_eq "execsnoop: cannot run '$WORK/text': Permission denied" "$ERR" "the error"
}

@test "SIGCHLD ignored by the parent stays ignored in the command" {
	local ign
	run_chld_ignored "$EXECSNOOP" -- grep -E '^SigIgn' /proc/self/status
	assert_eq 0 "$STATUS" "status"
	ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' <<<"$OUT")
	# SIGCHLD is signal 17: bit 16
	((0x$ign & (1 << 16))) || fail "SIGCHLD is not ignored in the command: SigIgn $ign"
}

@test "SIGHUP ignored at start (nohup): a hangup does not end the trace" {
	TOOL_WRAP=(nohup)
	tool_start
	kill -HUP "$TOOL_PID"
	marker "after-hup-$TAG"
	tool_sync
	tool_alive || fail "execsnoop ended on SIGHUP though it was ignored at start:" "$(cat "$TOOL_ERR")"
	grep -qF -- "after-hup-$TAG" "$TOOL_OUT" || fail "no line for the exec after the hangup"
	tool_stop INT
}

@test "SIGHUP ignored at start stays ignored with a command, and in the command" {
	local i status=0 ign
	nohup "$EXECSNOOP" -- sh -c "$NOOP $TAG-started; while [ ! -e $WORK/go ]; do sleep 0.05; done; $NOOP $TAG-after; grep -E '^SigIgn' /proc/self/status" \
		>"$WORK/out" 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 500; i++)); do
		grep -q -- "$TAG-started" "$WORK/out" 2>/dev/null && break
		sleep 0.02
	done
	kill -HUP "$TOOL_PID"
	touch "$WORK/go"
	wait "$TOOL_PID" || status=$?
	TOOL_PID=
	assert_eq 0 "$status" "status" || cat "$WORK/err" >&2
	grep -q -- " $TAG-after\$" "$WORK/out" || fail "the exec after the hangup was not printed:" "$(cat "$WORK/out")"
	ign=$(sed -n 's/^SigIgn:[[:space:]]*//p' "$WORK/out")
	# SIGHUP is signal 1: bit 0
	((0x$ign & 1)) || fail "SIGHUP is not ignored in the command: SigIgn $ign"
}
