#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# What an old or odd kernel lacks is said in one line: lockdown refusing BPF,
# no execveat tracepoint (a warning: the rest is traced). What a kernel
# lacks of BPF is done without: kernel-fallbacks.bats.

load helpers

@test "lockdown (confidentiality): one line that says so" {
	# a tmpfs over securityfs, in a private mount namespace, holds the file as a locked-down kernel has it
	run_split unshare --mount --propagation private sh -c \
		'mount -t tmpfs none /sys/kernel/security || exit 97
		echo "none integrity [confidentiality]" >/sys/kernel/security/lockdown && exec "$0"' \
		"$EXECSNOOP"
	((STATUS != 97)) || skip "cannot mount a tmpfs over /sys/kernel/security: $ERR"
	assert_one_line_error "lockdown" 'locked down \(confidentiality\)'
}

@test "no execveat tracepoint: one warning, failed execve still traced with -x" {
	local dir=/sys/kernel/tracing/events/syscalls/sys_enter_execveat
	[[ -d $dir ]] || skip "tracefs is not mounted at /sys/kernel/tracing"
	mkdir "$WORK/empty"
	TOOL_WRAP=(unshare --mount --propagation private sh -c
		'd=$1 e=$2; shift 2; mount --bind "$d" "$e" && exec "$@"' sh "$WORK/empty" "$dir")
	tool_start -x
	run_execer -R -2 exec "$WORK/missing-$TAG"
	tool_sync
	tool_stop
	grep -q "missing-$TAG" "$TOOL_OUT" || fail "the failed execve was not printed"
	assert_eq "execsnoop: warning: this kernel has no tracepoint for execveat: its failed execs are not shown (-x)" \
		"$(cat "$TOOL_ERR")" "stderr"
}
