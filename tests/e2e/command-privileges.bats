#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop -- COMMAND holds no privilege once tracing either: it becomes
# the user the command runs as (the one who ran sudo, the --run-as user, or
# stays its own uid), with no capability and no_new_privs, and can still pass
# signals on, which needs none for a process of the same user. The command
# gets none of execsnoop's capabilities.

load helpers

setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

# A command that prints its own identity and execsnoop's (its parent) while traced.
SHOW='echo "cmd $(grep -E "^(Uid|CapEff|CapAmb):" /proc/self/status | tr -s "\t " " " | tr "\n" " ")"
echo "tool $(grep -E "^(Uid|CapEff|CapPrm|CapAmb|NoNewPrivs):" /proc/$PPID/status | tr -s "\t " " " | tr "\n" " ")"'

# Checks that line KIND (cmd or tool) of $OUT has each of FIELD...
assert_has() { # KIND FIELD...
	local kind=$1 line f
	shift
	line=$(grep "^$kind " <<<"$OUT")
	for f in "$@"; do
		[[ $line == *"$f "* ]] || fail "$kind: no '$f' in:" "$line" "stderr: $ERR"
	done
}

@test "-- COMMAND as root: execsnoop keeps uid 0 with no capability and no_new_privs" {
	run_split "$EXECSNOOP" -- sh -c "$SHOW"
	assert_eq 0 "$STATUS" "status"
	assert_has tool "Uid: 0 0 0 0" "CapEff: 0000000000000000" "CapPrm: 0000000000000000" "NoNewPrivs: 1"
	# the command runs as root, as asked
	assert_has cmd "Uid: 0 0 0 0"
}

@test "-- COMMAND under sudo: execsnoop becomes the invoking user too, and still passes signals on" {
	run_split env SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody "$EXECSNOOP" -- sh -c "$SHOW"
	assert_eq 0 "$STATUS" "status"
	assert_has tool "Uid: 65534 65534 65534 65534" "CapEff: 0000000000000000" "NoNewPrivs: 1"
	assert_has cmd "Uid: 65534 65534 65534 65534" "CapEff: 0000000000000000"
	# a SIGTERM to execsnoop reaches the command, which traps it
	local i status=0
	SUDO_UID=65534 SUDO_GID=65534 SUDO_USER=nobody "$EXECSNOOP" -- \
		sh -c "trap 'exit 9' TERM; $NOOP $TAG-started; while :; do sleep 0.05; done" \
		>"$WORK/out" 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 500; i++)); do
		grep -q -- "$TAG-started" "$WORK/out" 2>/dev/null && break
		sleep 0.02
	done
	# the user it became cannot reach its descriptors (its BPF programs and maps)
	if setpriv --reuid=65534 --regid=65534 --clear-groups ls "/proc/$TOOL_PID/fd" >/dev/null 2>&1; then
		fail "uid 65534 can list execsnoop's descriptors"
	fi
	kill -TERM "$TOOL_PID"
	wait "$TOOL_PID" || status=$?
	TOOL_PID=
	assert_eq 9 "$status" "status (the command's, after its trap)"
	assert_eq "" "$(cat "$WORK/err")" "stderr"
}

@test "--run-as USER -- COMMAND: execsnoop and the command both run as USER" {
	run_split "$EXECSNOOP" --run-as=65534 -- sh -c "$SHOW"
	assert_eq 0 "$STATUS" "status"
	assert_has tool "Uid: 65534 65534 65534 65534" "CapEff: 0000000000000000" "NoNewPrivs: 1"
	assert_has cmd "Uid: 65534 65534 65534 65534" "CapEff: 0000000000000000"
}

@test "ambient capabilities of execsnoop are not the command's" {
	local caps=+bpf,+perfmon,+ipc_lock
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="-all,$caps" \
		--ambient-caps="-all,$caps" "$EXECSNOOP" -- sh -c "$SHOW"
	assert_eq 0 "$STATUS" "status (stderr: $ERR)"
	assert_has cmd "Uid: 65534 65534 65534 65534" "CapEff: 0000000000000000" "CapAmb: 0000000000000000"
	assert_has tool "CapEff: 0000000000000000" "CapAmb: 0000000000000000" "NoNewPrivs: 1"
}

@test "a process of execsnoop's own user cannot reach its descriptors (its BPF maps)" {
	local caps=+bpf,+perfmon,+ipc_lock
	# the command runs as the same uid as execsnoop, which is started with ambient capabilities
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps="-all,$caps" \
		--ambient-caps="-all,$caps" "$EXECSNOOP" -- \
		sh -c 'ls /proc/$PPID/fd >/dev/null 2>&1 && r=open || r=closed; echo "fds-$r"'
	assert_eq 0 "$STATUS" "status (stderr: $ERR)"
	[[ $OUT == *$'\n'fds-closed* ]] || fail "the command, as execsnoop's uid, listed its descriptors:" "$OUT"
}
