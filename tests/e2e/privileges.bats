#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Once its programs are attached, execsnoop holds no capability and cannot
# gain one (no_new_privs, empty bounding set); with --run-as it also leaves
# uid 0. It still traces, and still drains and unloads at a stop.

load helpers

# The capability and identity lines of execsnoop's /proc/PID/status.
creds() {
	grep -E '^(Uid|Gid|Groups|Cap[A-Za-z]+|NoNewPrivs):' "/proc/$TOOL_PID/status" | tr -s '\t ' ' ' | sed 's/ $//'
}

# Checks that every capability set of the running execsnoop is empty.
assert_no_caps() {
	local status set
	status=$(creds)
	for set in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -qx "$set: 0000000000000000" <<<"$status" ||
			fail "$set is not empty while tracing:" "$status"
	done
	grep -qx "NoNewPrivs: 1" <<<"$status" || fail "no_new_privs is not set:" "$status"
}

# Traces an exec and a failed exec after the drop, then stops: all printed, programs gone.
trace_after_drop() {
	local ids
	ids=$(bpf_ids "$TOOL_PID")
	[[ -n $ids ]] || fail "execsnoop holds no BPF program"
	run_execer exec "$NOOP" "$TAG" after-drop
	run_execer -R -2 exec "$WORK/missing" "$TAG" failed-after-drop
	tool_sync
	tool_stop TERM
	check_records
	# shellcheck disable=SC2086
	assert_progs_gone $ids
}

@test "while tracing: CapEff and every other set empty, no_new_privs, still uid 0" {
	tool_start -x
	assert_no_caps
	creds | grep -qx 'Uid: 0 0 0 0' || fail "the uid changed without --run-as:" "$(creds)"
	trace_after_drop
}

@test "--run-as=65534: uid and gid 65534, no supplementary groups, no capability" {
	tool_start -x --run-as=65534
	assert_no_caps
	local status
	status=$(creds)
	grep -qx 'Uid: 65534 65534 65534 65534' <<<"$status" || fail "not uid 65534:" "$status"
	grep -qx 'Gid: 65534 65534 65534 65534' <<<"$status" || fail "not gid 65534:" "$status"
	grep -qx 'Groups:' <<<"$status" || fail "supplementary groups left:" "$status"
	trace_after_drop
}

@test "--run-as nobody takes a user name and its group" {
	local uid gid
	uid=$(id -u nobody 2>/dev/null) || skip "no user nobody"
	gid=$(id -g nobody)
	tool_start --run-as nobody
	creds | grep -qx "Uid: $uid $uid $uid $uid" || fail "not uid $uid:" "$(creds)"
	creds | grep -qx "Gid: $gid $gid $gid $gid" || fail "not gid $gid:" "$(creds)"
	assert_no_caps
	tool_stop
}

@test "--run-as with an unknown user: one line, status 2, nothing loaded" {
	run_split "$EXECSNOOP" --run-as=no-such-user-e2e
	assert_one_line_error "--run-as=no-such-user-e2e" 'no-such-user-e2e'
	assert_eq 2 "$STATUS" "exit status"
	run_split "$EXECSNOOP" --run-as=
	assert_one_line_error "--run-as="
}

@test "--run-as without CAP_SETUID: one line, status 1" {
	run_split setpriv --inh-caps=-all --bounding-set=-setuid,-setgid "$EXECSNOOP" --run-as=65534
	assert_one_line_error "--run-as without CAP_SETUID" 'run-as.*CAP_SETUID'
	assert_eq 1 "$STATUS" "exit status"
}

@test "started as uid 65534 with only the unit's capabilities, -x works and all are dropped" {
	# the capabilities systemd/execsnoop.service.in grants
	local caps
	caps=$(sed -n 's/^AmbientCapabilities=//p' "$E2E_ROOT/systemd/execsnoop.service.in")
	[[ -n $caps ]] || fail "no AmbientCapabilities= in the unit"
	caps=$(tr 'A-Z' 'a-z' <<<"$caps" | sed -e 's/cap_/+/g' -e 's/ /,/g')
	TOOL_WRAP=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="-all,$caps"
		--ambient-caps="-all,$caps" --bounding-set="-all,$caps")
	MARKER_RUNNER=()
	tool_start -x -T
	assert_no_caps
	trace_after_drop
}
