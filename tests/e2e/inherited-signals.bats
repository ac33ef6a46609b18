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
