#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# More failed execs in flight at once than the stash has room for (4096): each
# still gets its line. On x86 the ones that could not be stashed are read from
# the system call's registers at exit, with their path and arguments; where
# that cannot be, they are printed without them ("...") and stderr says so
# while it happens.

load helpers

N=4300
STASH=4096

@test "execs held in flight beyond the stash's room each get a line, and stderr says so at once" {
	local pid total full path_only none seen i
	tool_start -x
	run_execer in-flight "$N" "$WORK/missing" "$TAG"
	pid=$(cat "$EXP")
	tool_sync
	none=$(awk -v p="$pid" '$2 == p && $4 == -2 && $5 == "..." && NF == 5' "$TOOL_OUT" | grep -c '' || true)
	# counted while execsnoop runs (its live report, at most one a second), not only at exit
	for ((i = 0; i < 50; i++)); do
		seen=$(sed -n 's/^execsnoop: so far: .*not seen at entry \([0-9]*\)).*/\1/p' "$TOOL_ERR" | tail -1)
		((${seen:-0} >= none)) && break
		sleep 0.1
	done
	tool_alive || fail "execsnoop is not running any more"
	total=$(awk -v p="$pid" '$2 == p && $4 == -2' "$TOOL_OUT" | grep -c '' || true)
	full=$(awk -v p="$pid" '$2 == p && $4 == -2' "$TOOL_OUT" | grep -cF -- " -2 $WORK/missing $TAG" || true)
	path_only=$(awk -v p="$pid" '$2 == p && $4 == -2' "$TOOL_OUT" | grep -cF -- " -2 $WORK/missing ..." || true)
	tool_stop
	assert_eq "$N" "$total" "lines of the $N failed execs (pid $pid); stderr: $(cat "$TOOL_ERR")"
	assert_eq "$N" "$((full + path_only + none))" \
		"lines with the path and the tag ($full), the path only ($path_only) or neither ($none)"
	if [[ $(uname -m) == x86_64 ]]; then
		((none == 0)) || fail "$none lines without a path: the registers should have given it"
		return 0
	fi
	((none >= N - STASH)) || fail "expected at least $((N - STASH)) lines without a path, seen $none"
	[[ -n $seen ]] || fail "no 'so far' line on stderr while execsnoop ran:" "$(cat "$TOOL_ERR")"
	((seen >= none)) || fail "stderr counted $seen execs not seen at entry, the output shows $none"
}
