#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Without tracefs mounted, execsnoop mounts it itself and works; where it
# cannot be mounted, the tool either works without it or says so in one line.
# Each test runs execsnoop in a private mount namespace: the host's mounts are
# left alone.

load helpers

# Unmounts every tracefs and debugfs, then runs the command.
UNMOUNTED='
	for m in $(awk '\''$3 == "tracefs" || $3 == "debugfs" { print $2 }'\'' /proc/self/mounts | sort -r); do
		umount -l "$m" || exit 99
	done
	! grep -qE " (tracefs|debugfs) " /proc/self/mounts || exit 98
'

@test "tracefs not mounted: execsnoop mounts it and traces" {
	TOOL_WRAP=(unshare --mount --propagation private sh -c "$UNMOUNTED"' exec "$@"' sh)
	tool_start -x
	grep -q ' tracefs ' "/proc/$TOOL_PID/mounts" ||
		fail "no tracefs mounted in execsnoop's mount namespace"
	run_execer exec "$NOOP" "$TAG"
	run_execer -R -2 exec "$WORK/missing" "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "tracefs not mountable: works, or fails with one line about tracefs" {
	# /sys/kernel becomes a read-only tmpfs holding only the BTF
	local setup=$UNMOUNTED'
		mkdir -p "$0/btf" && mount --bind /sys/kernel/btf "$0/btf" &&
		mount -t tmpfs none /sys/kernel && mkdir /sys/kernel/btf &&
		mount --bind "$0/btf" /sys/kernel/btf && mount -o remount,ro /sys/kernel || exit 97
		exec "$@"'
	mkdir "$WORK/keep"
	run_split unshare --mount --propagation private sh -c "$setup" "$WORK/keep" "$EXECSNOOP" --version
	assert_eq 0 "$STATUS" "status of the namespace set-up (execsnoop --version): $ERR"
	local i
	unshare --mount --propagation private sh -c "$setup" "$WORK/keep" "$EXECSNOOP" -x \
		>"$WORK/run.out" 2>"$WORK/run.err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 100; i++)); do
		tool_alive || break
		"$NOOP" "ready-$TAG"
		if grep -qF "ready-$TAG" "$WORK/run.out"; then
			# it needs no tracefs: fine, as long as it traces
			kill -INT "$TOOL_PID"
			wait "$TOOL_PID"
			TOOL_PID=
			return 0
		fi
		sleep 0.1
	done
	tool_alive && fail "execsnoop neither traced nor failed within 10 s"
	STATUS=0
	wait "$TOOL_PID" || STATUS=$?
	TOOL_PID=
	OUT=$(cat "$WORK/run.out")
	ERR=$(cat "$WORK/run.err")
	assert_one_line_error "execsnoop where tracefs cannot be mounted" 'tracefs|tracing'
}
