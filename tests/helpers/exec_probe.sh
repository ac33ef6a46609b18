#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# exec_probe.sh PATH COMMAND...
# Whether COMMAND, which must exec PATH and exit 0, really does so on this
# kernel, from ground truth: COMMAND's own exit status (a helper killed by a
# signal has not exec'd) and the kernel's sched:sched_process_exec tracepoint,
# enabled in a tracefs instance of its own, firing for PATH. Exits 0 when it
# does; otherwise prints why not on stdout and exits 1 (2: cannot tell, no
# tracefs). POSIX sh: run by the end-to-end tests and in the test kernels.
set -u
path=$1
shift

tracing=
for t in /sys/kernel/tracing /sys/kernel/debug/tracing; do
	if [ -d "$t/instances" ]; then
		tracing=$t
		break
	fi
done
if [ -z "$tracing" ]; then
	echo "cannot tell: no tracefs with instances (mount tracefs at /sys/kernel/tracing)"
	exit 2
fi
inst=$tracing/instances/execsnoop-probe-$$
tmp=$(mktemp -d) || exit 2
# shellcheck disable=SC2317 # run by the trap
cleanup() {
	echo 0 >"$inst/events/sched/sched_process_exec/enable" 2>/dev/null
	rmdir "$inst" 2>/dev/null
	rm -rf "$tmp"
}
trap cleanup EXIT
if ! mkdir "$inst" 2>/dev/null || ! echo 1 >"$inst/events/sched/sched_process_exec/enable"; then
	echo "cannot tell: cannot enable sched:sched_process_exec in a tracefs instance"
	exit 2
fi

"$@" >"$tmp/out" 2>"$tmp/err" </dev/null
status=$?
echo 0 >"$inst/events/sched/sched_process_exec/enable"
fired=$(grep -c -F "sched_process_exec: filename=$path pid=" "$inst/trace")

why=
if [ "$status" -gt 128 ]; then
	why="$1 was killed by signal $((status - 128)) ($(kill -l $((status - 128)) 2>/dev/null))"
elif [ "$status" -ne 0 ]; then
	why="$1 exited with status $status: $(head -1 "$tmp/err")"
fi
if [ "$fired" -eq 0 ]; then
	why="${why:+$why; }the kernel's sched_process_exec tracepoint did not fire for $path"
fi
[ -z "$why" ] && exit 0
echo "$why"
exit 1
