#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The kernel memory execsnoop pins (its maps and its perf rings) stays within
# its budget, whatever the number of CPUs: 32 MiB of rings shared out over
# the CPUs (at most 8 MiB and at least 256 KiB each), a one-page doorbell ring
# a CPU, and under 4 MiB of maps. --ring-size sets each ring.

load helpers

# Sets MAPS and RINGS to the bytes execsnoop pins, DOORBELLS to the number of
# one-page rings, REPORT to the details.
pinned() {
	local id bytes range rest data
	MAPS=0 RINGS=0 DOORBELLS=0 REPORT=
	for id in $(bpf_ids "$TOOL_PID" map_id); do
		bytes=$(bpftool map show id "$id" | sed -n 's/.*memlock \([0-9]*\)B.*/\1/p')
		REPORT+="map $(bpftool map show id "$id" | head -1 | cut -c1-60): ${bytes}B"$'\n'
		MAPS=$((MAPS + ${bytes:-0}))
	done
	while read -r range rest; do
		[[ $rest == *perf_event* ]] || continue
		# the ring and its header page
		data=$((16#${range#*-} - 16#${range%-*} - 4096))
		if ((data == 4096)); then
			DOORBELLS=$((DOORBELLS + 1))
		else
			RINGS=$((RINGS + data))
		fi
	done <"/proc/$TOOL_PID/maps"
	REPORT+="perf rings: ${RINGS}B and $DOORBELLS doorbell pages on $(nproc) CPUs"
}

@test "maps and rings stay within the budget at default settings" {
	local ncpu share=$((32 << 20)) ring=$((256 << 10))
	tool_start
	pinned
	tool_stop
	ncpu=$(nproc)
	share=$((share / $(grep -c ^processor /proc/cpuinfo)))
	while ((ring * 2 <= share && ring < (8 << 20))); do ring=$((ring * 2)); done
	((RINGS == ncpu * ring)) || fail "expected $ncpu rings of $ring bytes:" "$REPORT"
	((DOORBELLS == ncpu)) || fail "expected a doorbell page on each of $ncpu CPUs:" "$REPORT"
	((RINGS <= 32 << 20 || ring == 256 << 10)) || fail "rings over 32 MiB:" "$REPORT"
	((MAPS < 4 << 20)) || fail "maps pin $MAPS bytes, limit 4 MiB:" "$REPORT"
}

@test "--ring-size sets each CPU's ring" {
	tool_start --ring-size=256K
	pinned
	tool_stop
	((RINGS == $(nproc) * (256 << 10))) || fail "expected $(nproc) rings of 256 KiB:" "$REPORT"
	((DOORBELLS == $(nproc))) || fail "expected a doorbell page on each CPU:" "$REPORT"
}
