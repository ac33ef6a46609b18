#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The kernel memory execsnoop pins at default settings (its maps and its perf
# ring buffers) stays under 4 MiB.

load helpers

@test "maps and ring buffers take less than 4 MiB" {
	tool_start
	local id total=0 bytes report=
	for id in $(bpf_ids "$TOOL_PID" map_id); do
		bytes=$(bpftool map show id "$id" | sed -n 's/.*memlock \([0-9]*\)B.*/\1/p')
		report+="map $(bpftool map show id "$id" | head -1 | cut -c1-60): ${bytes}B"$'\n'
		total=$((total + ${bytes:-0}))
	done
	local range rest perf=0
	while read -r range rest; do
		[[ $rest == *perf_event* ]] || continue
		perf=$((perf + 16#${range#*-} - 16#${range%-*}))
	done <"/proc/$TOOL_PID/maps"
	report+="perf ring buffers: ${perf}B"$'\n'
	total=$((total + perf))
	tool_stop
	((total < 4 * 1024 * 1024)) ||
		fail "execsnoop pins $total bytes ($(nproc) CPUs), limit 4 MiB:" "$report"
}
