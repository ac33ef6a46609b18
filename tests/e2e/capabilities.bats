#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Without root: CAP_BPF and CAP_PERFMON are enough to trace successful execs;
# -x (failed execs) also reads tracefs, which is 0700, so it also needs
# CAP_DAC_READ_SEARCH. A missing capability is named in one line. The tool
# runs as uid 64996, which no account and no other test uses: the perf
# rings' locked memory is counted per user.

load helpers

# Sets NOBODY to a command prefix that runs as uid 64996 holding exactly CAPS
# (e.g. bpf,perfmon; empty for none), through exec: the pid stays execsnoop's.
nobody_with() { # CAPS
	local caps=-all
	[[ -z $1 ]] || caps+=,+${1//,/,+}
	NOBODY=(setpriv --reuid=64996 --regid=64996 --clear-groups --inh-caps="$caps"
		--ambient-caps="$caps")
}

# Skips unless setpriv can give uid 64996 CAP_BPF and CAP_PERFMON (kernel 5.8);
# TRACEFS_PRIVATE is set when uid 64996 cannot enter tracefs without a capability.
needs_caps() {
	nobody_with bpf,perfmon,dac_read_search
	"${NOBODY[@]}" true 2>/dev/null ||
		skip "setpriv cannot give uid 64996 CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH here"
	nobody_with ""
	TRACEFS_PRIVATE=
	"${NOBODY[@]}" test -x /sys/kernel/tracing 2>/dev/null || TRACEFS_PRIVATE=1
}

@test "uid 64996 with CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH traces, also with -x" {
	needs_caps
	nobody_with bpf,perfmon,dac_read_search
	TOOL_WRAP=("${NOBODY[@]}")
	tool_start -x
	grep -q '^Uid:[[:space:]]*64996' "/proc/$TOOL_PID/status" ||
		fail "execsnoop does not run as uid 64996:" "$(grep '^Uid' "/proc/$TOOL_PID/status")"
	run_execer exec "$NOOP" "$TAG" a
	run_execer -R -2 exec "$WORK/missing" "$TAG" b
	tool_sync
	tool_stop
	check_records
	assert_eq "" "$(cat "$TOOL_ERR")" "stderr of execsnoop"
}

@test "uid 64996 with CAP_BPF and CAP_PERFMON only traces successful execs" {
	needs_caps
	nobody_with bpf,perfmon
	TOOL_WRAP=("${NOBODY[@]}")
	tool_start
	run_execer exec "$NOOP" "$TAG" a
	run_execer -R -2 exec "$WORK/missing" "$TAG" b
	tool_sync
	tool_stop
	check_records --fails-hidden
}

@test "a missing CAP_BPF or CAP_PERFMON is named" {
	needs_caps
	nobody_with perfmon,dac_read_search
	run_split "${NOBODY[@]}" "$EXECSNOOP"
	assert_one_line_error "execsnoop without CAP_BPF" 'needs CAP_BPF[^,]*\(run as root or grant CAP_BPF and CAP_PERFMON\)$'
	nobody_with bpf,dac_read_search
	run_split "${NOBODY[@]}" "$EXECSNOOP" -x
	assert_one_line_error "execsnoop -x without CAP_PERFMON" 'needs CAP_PERFMON .*CAP_DAC_READ_SEARCH'
	nobody_with dac_read_search
	run_split "${NOBODY[@]}" "$EXECSNOOP"
	assert_one_line_error "execsnoop without CAP_BPF and CAP_PERFMON" 'needs CAP_BPF and CAP_PERFMON'
}

@test "-x without CAP_DAC_READ_SEARCH, where tracefs is private: CAP_DAC_READ_SEARCH is named" {
	needs_caps
	[[ -n ${TRACEFS_PRIVATE:-} ]] || skip "tracefs is readable by uid 64996 here"
	nobody_with bpf,perfmon
	run_split "${NOBODY[@]}" "$EXECSNOOP" -x
	assert_one_line_error "execsnoop -x without CAP_DAC_READ_SEARCH" \
		'needs CAP_DAC_READ_SEARCH .*\(run as root or grant CAP_BPF, CAP_PERFMON and CAP_DAC_READ_SEARCH\)$'
}

@test "without CAP_IPC_LOCK, a --ring-size above the locked-memory limit is refused in one line" {
	needs_caps
	nobody_with bpf,perfmon
	run_split "${NOBODY[@]}" "$EXECSNOOP" --ring-size=1G
	assert_one_line_error "execsnoop --ring-size=1G without CAP_IPC_LOCK" \
		'^execsnoop: perf rings of 1024 MiB on [0-9]+ CPUs need .* of locked memory, .*CAP_IPC_LOCK.*--ring-size$'
}

@test "without CAP_IPC_LOCK and with no locked memory of its own, the default rings shrink to fit" {
	needs_caps
	nobody_with bpf,perfmon
	TOOL_WRAP=("${NOBODY[@]}" sh -c 'ulimit -l 0 && exec "$@"' sh)
	tool_start -v
	grep -q 'perf rings of [0-9]* KiB per CPU' "$TOOL_ERR" ||
		fail "execsnoop -v did not say the rings were made smaller:" "$(grep -v '^libbpf' "$TOOL_ERR")"
	run_execer exec "$NOOP" "$TAG" a
	tool_sync
	tool_stop
	check_records
}

@test "capabilities of a user namespace are not taken for the host's" {
	needs_caps
	unshare --user --map-root-user true 2>/dev/null || skip "no user namespaces here"
	run_split unshare --user --map-root-user "$EXECSNOOP"
	assert_one_line_error "execsnoop as root of a new user namespace" 'user namespace'
}
