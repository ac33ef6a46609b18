#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop on the kernels people run: Debian's 5.10, 6.1 and 6.12 cloud
# kernels booted under qemu, each running the feature matrix of
# tests/kernels/run.sh (make test-kernels); the table goes to the TAP output.

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)

# Runs tests/kernels/run.sh ARGS...; skips with its reason when it cannot run.
matrix() {
	run "$ROOT/tests/kernels/run.sh" -v "$@"
	sed 's/^/# /' <<<"$output" >&3
	if ((status == 2)); then
		skip "$(grep -m1 '^SKIP: ' <<<"$output" | cut -c7-)"
	fi
}

@test "every feature on Debian's 5.10, 6.1 and 6.12 kernels" {
	matrix all
	((status == 0)) || {
		echo "a cell of the table is FAIL (status $status)" >&2
		return 1
	}
	# the i386 entry and i386 programs keep their coverage here, whatever the host does
	! grep -E '^(int \$0x80 exec|i386 program) .*skip' <<<"$output" || {
		echo "the test kernels should run i386 code" >&2
		return 1
	}
}

@test "where int \$0x80 dies of SIGSEGV, the probe says skip, with the reason" {
	# Linux 6.7 and later can be booted without IA32 emulation
	matrix -a ia32_emulation=0 6.12 int80
	((status == 0)) || return 1
	grep -qE '^6\.12 int \$0x80 exec: skip: .*killed by signal 11.*sched_process_exec tracepoint did not fire' \
		<<<"$output" || {
		echo "the int \$0x80 row does not say skip because of SIGSEGV" >&2
		return 1
	}
}

@test "the table's verdicts: a wrong line is FAIL, a refusal is unavailable only where allowed" {
	python3 -B "$ROOT/tests/kernels/judge_cases.py"
}
