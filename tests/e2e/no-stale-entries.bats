#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# No stale entries: after any workload the stash map (execs) and the count of
# a script caller's words (caller_argc) are empty again.

load helpers

setup() {
	e2e_setup
	printf '#!/bin/sh\nexit 0\n' >"$WORK/s.sh"
	printf 'data\n' >"$WORK/not-executable"
	printf 'garbage\n' >"$WORK/garbage"
	chmod +x "$WORK/s.sh" "$WORK/garbage"
}

# The id of execsnoop's map named NAME (default execs).
execs_map() { # [NAME]
	local id
	for id in $(bpf_ids "$TOOL_PID" map_id); do
		if bpftool map show id "$id" 2>/dev/null | grep -qE "^[0-9]+: [a-z_]+ +name ${1:-execs} "; then
			echo "$id"
			return 0
		fi
	done
	fail "execsnoop holds no map named ${1:-execs}; its maps:" \
		"$(for id in $(bpf_ids "$TOOL_PID" map_id); do bpftool map show id "$id"; done)"
}

# The entries of map ID, one per line.
entries() { # ID
	bpftool -j map dump id "$1" | sed -e 's/^\[//' -e 's/\]$//' -e 's/},{"key"/}\n{"key"/g' | grep -F '"key"'
	return 0
}

# Checks that map ID holds no entry that stays: other execs on the system may
# be in flight, but none lasts a second; an entry seen twice a second apart
# (same key, same value) was left behind.
assert_no_stale_entries() { # ID
	local first second stale
	first=$(entries "$1" | sort)
	[[ -z $first ]] && return 0
	sleep 1.5
	second=$(entries "$1" | sort)
	stale=$(comm -12 <(echo "$first") <(echo "$second"))
	[[ -z $stale ]] && return 0
	fail "map $1 holds $(grep -c '' <<<"$stale") entries left behind by the workload; the first:" \
		"$(head -3 <<<"$stale" | cut -c1-300)"
}

workload() {
	run_execer -r 100 -w thread exec "$NOOP" "$TAG"
	run_execer -r 20 -w orphan-thread exec "$NOOP" "$TAG"
	run_execer -r 20 -w thread exec "$WORK/missing" "$TAG"
	run_execer -r 10 race 8 "$NOOP" "$TAG"
	run_execer -r 10 exec "$WORK/missing" "$TAG"
	run_execer -r 10 exec "$WORK/not-executable" "$TAG"
	run_execer -r 10 exec "$WORK/garbage" "$TAG"
	run_execer -r 10 bad-argv "$NOOP"
	run_execer -r 10 bad-arg "$NOOP" "$TAG"
	run_execer -r 10 bad-fd prog "$TAG"
	run_execer -r 10 unfaulted-literal enoent
	run_execer -r 10 unfaulted-literal ok
	run_execer -r 5 -w pidns-child exec "$NOOP" "$TAG"
	run_execer -r 5 chain 3 "$WORK/s.sh" "$TAG"
	run_execer -r 5 argc0 "$NOOP"
	run_execer -r 5 gen "$NOOP" 3000 20 "$TAG"
	run_execer -r 5 fexecve "$WORK/s.sh" "$TAG"
}

@test "after a mixed workload with -x the execs map keeps no entry" {
	tool_start -x
	local map argc
	map=$(execs_map)
	argc=$(execs_map caller_argc)
	workload
	tool_sync
	assert_no_stale_entries "$map"
	assert_no_stale_entries "$argc"
	tool_stop
}

@test "after a mixed workload without -x the execs map keeps no entry" {
	tool_start
	local map
	map=$(execs_map)
	workload
	tool_sync
	assert_no_stale_entries "$map"
	tool_stop
}

@test "with a filter (-u 65534, --max-args 1) the execs map keeps no entry" {
	MARKER=(setpriv --reuid=65534 --regid=65534 --clear-groups "$NOOP")
	tool_start -x -u 65534 --max-args 1
	local map
	map=$(execs_map)
	workload
	setpriv --reuid=65534 --regid=65534 --clear-groups "$EXECER" -r 20 -w thread exec "$NOOP" "$TAG" >/dev/null
	tool_sync
	assert_no_stale_entries "$map"
	tool_stop
}
