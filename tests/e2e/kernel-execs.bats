#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Execs the kernel starts itself, with no system call behind them: here a
# core_pattern pipe helper, a program or a script. They get their line like
# any other.

load helpers

CORE_PATTERN=/proc/sys/kernel/core_pattern

setup() {
	e2e_setup
	[[ -w $CORE_PATTERN ]] || skip "$CORE_PATTERN is not writable"
	cp "$CORE_PATTERN" "$WORK/core_pattern.saved"
}

# Crashes a shell with core_pattern set to PATTERN, and waits for the pipe
# helper the kernel starts to write its record to $EXP.
crash_into() { # PATTERN
	local i
	((${#1} < 128)) || skip "the core_pattern would be too long: $1"
	echo "$1" >"$CORE_PATTERN"
	bash -c 'kill -SEGV $$' 3>&- || true
	for ((i = 0; i < 100; i++)); do
		[[ -s $EXP ]] && break
		sleep 0.1
	done
	cat "$WORK/core_pattern.saved" >"$CORE_PATTERN"
	[[ -s $EXP ]] || fail "the core_pattern helper did not run within 10 s"
}

# The machine's core_pattern comes back, also when the test fails.
teardown() {
	[[ ! -s ${WORK:-}/core_pattern.saved ]] || cat "$WORK/core_pattern.saved" >"$CORE_PATTERN"
	e2e_teardown
}

@test "a core_pattern pipe helper started by the kernel is reported" {
	local pattern
	tool_start -x
	# the helper writes the record of its own exec: the kernel chose its pid
	printf -v pattern '|%s report-self %s %s %%p %%e' "$EXECER" "$EXP" "$TAG"
	crash_into "$pattern"
	tool_sync
	tool_stop
	check_records
}

@test "a core_pattern pipe helper that is a script is reported with its arguments" {
	local pattern helper=$WORK/core-helper.sh
	# it writes its own record (tests/helpers/execer.c): comm, pid, parent,
	# RET 0, then the script and its arguments, the bytes in hex
	{
		printf '#!/bin/sh\nexp=%s\n' "$EXP"
		cat <<'EOF'
hex() { printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'; }
rec=$(printf '=\t0\t0\t%s\t%s\t%s\t0\t%s' "$(hex core-helper.sh)" $$ $PPID "$(hex "$0")")
for a; do
	rec=$(printf '%s\t%s' "$rec" "$(hex "$a")")
done
printf '%s\n' "$rec" >>"$exp"
EOF
	} >"$helper"
	chmod +x "$helper"
	tool_start -x
	printf -v pattern '|%s %s %%p' "$helper" "$TAG"
	crash_into "$pattern"
	tool_sync
	tool_stop
	check_records
}
