#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -s under a flood of distinct names, as any user can make with failed execs:
# the summary keeps a fixed number of names (Space-Saving), so that memory
# stays flat and a command run often still shows, its count exact or given
# as bounds that hold.

load helpers

setup() {
	e2e_setup
}

teardown() {
	[[ -z ${READER_PID:-} ]] || kill "$READER_PID" 2>/dev/null || true
	e2e_teardown
}

# Python that makes N failed execs of distinct paths of LEN bytes, as uid 65534.
flood() { # N LEN SEED
	setpriv --reuid=65534 --regid=65534 --clear-groups /usr/bin/python3 -c '
import os, sys
n, length, seed = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
for i in range(n):
    head = "/nonexistent-%s-%d/" % (seed, i)
    rest = length - len(head)
    path = head + "/".join("p" * 200 for _ in range(rest // 201 + 1))
    try:
        os.execv(path[:length], ["x"])
    except OSError:
        pass
' "$@"
}

@test "-s -x: 35,000 distinct failed paths by another user do not hide a command run 300 times" {
	local status=0
	"$EXECSNOOP" -x -s --quiet -j -- bash -c "$(declare -f flood); flood 35000 40 $TAG; for i in {1..300}; do $NOOP $TAG; done" \
		>"$WORK/out" 2>"$WORK/err" || status=$?
	assert_eq 0 "$status" "status" || cat "$WORK/err" >&2
	grep '^{' "$WORK/out" | tail -1 >"$WORK/json"
	python3 "$E2E_ROOT/tests/helpers/json_check.py" "$WORK/json" >&2 ||
		fail "the summary does not validate"
	NOOP=$NOOP python3 -c '
import json, os, sys
s = json.loads(open(sys.argv[1]).read())
assert s["failed"] >= 35000, s["failed"]
top = s["commands"][0]
assert top["path"] == os.environ["NOOP"], s["commands"][:3]
# bounds that hold: at least execs, at most execs_max
assert top["execs"] <= 300 <= top["execs_max"], top
assert top["execs"] >= 300 - (top["execs_max"] - top["execs"]), top
assert top["exact"] is (top["execs"] == top["execs_max"]), top
assert s["other_commands"]["exact"] is False, s["other_commands"]
' "$WORK/json" || fail "the command run 300 times is not first, with bounds that hold:" "$(cat "$WORK/json" | head -c 2000)"
}

@test "-s -x: memory stays flat under 80,000 distinct 4,000-byte failed paths" {
	local rss0 rss1 rss2
	mkfifo "$WORK/fifo"
	# the header and this test's markers only: the flood's lines are read and dropped
	grep -a --line-buffered -e PCOMM -e "$TAG" <"$WORK/fifo" >"$WORK/tool.out" 3>&- &
	READER_PID=$!
	TOOL_OUT=$WORK/tool.out
	TOOL_ERR=$WORK/tool.err
	TOOL_ARGS=(-s -x)
	TOOL_ARGS_STR="-s -x"
	"$EXECSNOOP" -s -x >"$WORK/fifo" 2>"$TOOL_ERR" 3>&- &
	TOOL_PID=$!
	tool_ready
	rss0=$(awk '/^VmRSS/ { print $2 }' "/proc/$TOOL_PID/status")
	flood 40000 4000 "$TAG-a"
	tool_sync
	rss1=$(awk '/^VmRSS/ { print $2 }' "/proc/$TOOL_PID/status")
	flood 40000 4000 "$TAG-b"
	tool_sync
	rss2=$(awk '/^VmRSS/ { print $2 }' "/proc/$TOOL_PID/status")
	echo "VmRSS: $rss0 kB at start, $rss1 kB after 40,000, $rss2 kB after 80,000" >&2
	echo "VmRSS: $rss0 kB at start, $rss1 kB after 40,000, $rss2 kB after 80,000" >"${SUMMARY_RSS_LOG:-/dev/null}"
	tool_stop
	# the summary's budget is a few MB; the rings are mapped, not counted here
	((rss1 - rss0 < 16384)) || fail "VmRSS grew by $((rss1 - rss0)) kB under 40,000 names"
	((rss2 - rss1 < 2048)) || fail "VmRSS grew by $((rss2 - rss1)) kB more under 40,000 more"
}
