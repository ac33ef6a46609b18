#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# 32-bit execs: through the i386 system call entry (int $0x80, or any i386
# process), and of i386 programs. The kernel fires no syscall tracepoints for
# the i386 entry, yet every one that succeeds gets its line, and an i386
# program's arguments are read from its 32-bit stack. A failed exec through the
# i386 entry gets no line (documented in the README).

load helpers

setup_file() {
	shared_tool_start -j -x
}

# Skips unless an execve through int $0x80 from a 64-bit process runs here.
need_int80() {
	[[ $(uname -m) == x86_64 ]] || skip "not an x86_64 machine"
	cp "$NOOP" "$WORK/probe-noop"
	need_exec "execve through int \$0x80" "$WORK/probe-noop" "$EXECER" -I -R 0 exec "$WORK/probe-noop"
}

# Builds i386 copies of the helpers as EXECER32 and NOOP32 (gcc-multilib),
# and skips unless this kernel runs them.
need_i386_helpers() {
	[[ $(uname -m) == x86_64 ]] || skip "not an x86_64 machine"
	EXECER32=$WORK/execer32
	NOOP32=$WORK/noop32
	if ! cc -m32 -O2 -static -pthread "$E2E_ROOT/tests/helpers/execer.c" -o "$EXECER32" 2>/dev/null ||
		! cc -m32 -O2 -static "$E2E_ROOT/tests/helpers/noop.c" -o "$NOOP32" 2>/dev/null; then
		skip "no i386 toolchain to build the helpers (gcc-multilib)"
	fi
	need_exec "an i386 program" "$NOOP32" "$EXECER" -R 0 exec "$NOOP32"
	need_exec "an i386 process's exec" "$NOOP" "$EXECER32" -R 0 exec "$NOOP"
}

run_execer32() {
	EXECER=$EXECER32 run_execer "$@"
}

@test "execve through int \$0x80 from a 64-bit process" {
	need_int80
	run_execer -I -R 0 exec "$NOOP"
	run_execer -I -R 0 exec "$NOOP" "$TAG"
	run_execer -I -R 0 exec "$NOOP" "$TAG" two "three words" four
	run_execer -I -R 0 exec "$NOOP" "$TAG" 2 3 4 5 6 7 8 9 10 11
	tool_sync
	check_records
}

@test "execveat through int \$0x80, with a directory fd and with AT_EMPTY_PATH" {
	need_int80
	run_execer -I -R 0 execveat "$(dirname "$NOOP")" noop "$TAG" at
	run_execer -I -R 0 fexecve "$NOOP" "$TAG" fd
	tool_sync
	check_records
}

@test "an i386 program shows every argument, whatever their number" {
	need_i386_helpers
	run_execer -R 0 exec "$NOOP32"
	run_execer -R 0 exec "$NOOP32" "$TAG"
	run_execer -R 0 exec "$NOOP32" "$TAG" 2
	run_execer -R 0 exec "$NOOP32" "$TAG" 2 3
	run_execer -R 0 exec "$NOOP32" "$TAG" 2 3 4
	run_execer -R 0 exec "$NOOP32" "$TAG" 2 3 4 5
	run_execer -R 0 exec "$NOOP32" "$TAG" 2 3 4 5 6 7 8 9 10 11 12
	run_execer -R 0 argc0 "$NOOP32"
	tool_sync
	check_records
}

@test "an i386 process execs i386 and 64-bit programs, and scripts" {
	need_i386_helpers
	printf '#!/bin/sh\nexit 0\n' >"$WORK/plain.sh"
	printf '#!/bin/sh %s\nexit 0\n' "$WORK/self.sh" >"$WORK/self.sh"
	chmod +x "$WORK/plain.sh" "$WORK/self.sh"
	run_execer32 -R 0 exec "$NOOP32" "$TAG" 2 3
	run_execer32 -R 0 exec "$NOOP" "$TAG" 2 3 4
	run_execer32 -R 0 exec "$WORK/plain.sh" "$TAG" x
	run_execer32 -R 0 exec "$WORK/self.sh" "$TAG" y
	run_execer32 -R 0 execveat "$WORK" self.sh "$TAG" z
	run_execer32 -R 0 -w thread exec "$NOOP32" "$TAG" thread
	tool_sync
	check_records
}

@test "a failed exec through the i386 entry gets no line (documented)" {
	need_int80
	run_execer -I -R -2 exec "$WORK/missing" "$TAG-missing"
	run_execer -I -R 0 exec "$NOOP" "$TAG-then"
	tool_sync
	# the failed exec is not reported, the successful one after it is
	check_records --fails-hidden
}
