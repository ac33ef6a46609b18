#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -s/--summary: at exit (and every --interval N seconds) the top spawners,
# with their comm, command line, execs, failures and rate, the top commands
# and execs/s; as a table or a JSON object of type summary. The counts equal
# the execs a workload with known spawners made, with lines printed or none.

load helpers

JSON_CHECK=$E2E_ROOT/tests/helpers/json_check.py

# Runs python CODE with s = the last summary object of FILE (and objs = all of them).
check_summary() { # FILE CODE
	FILE=$1 python3 -c '
import json, os
objs = [json.loads(l) for l in open(os.environ["FILE"], "rb") if l.startswith(b"{")]
sums = [o for o in objs if o["type"] == "summary"]
assert sums, "no summary object"
s = sums[-1]
'"$2" || fail "the summary is not as expected:" "$(grep '"summary"' "$1" | tail -1)"
}

@test "--summary --quiet -j -- spawn: exact counts for known spawners, nothing else printed" {
	local status=0
	"$EXECSNOOP" -s --quiet -j -- "$SPAWN" -j 3 -n 40 -t "$TAG" "$NOOP" >"$WORK/out" 2>"$WORK/err" ||
		status=$?
	assert_eq 0 "$status" "status" || cat "$WORK/err" >&2
	# spawn's own report is the only other line
	assert_eq 1 "$(grep -c '^{' "$WORK/out")" "JSON objects printed"
	grep '^{' "$WORK/out" >"$WORK/json"
	python3 "$JSON_CHECK" "$WORK/json" >&2 || fail "the summary does not validate"
	SPAWN=$SPAWN NOOP=$NOOP check_summary "$WORK/json" '
assert s["final"] is True
assert s["execs"] == 121 and s["failed"] == 0, s["execs"]
workers = [p for p in s["spawners"] if p["comm"] == "spawn"]
assert len(workers) == 3 and all(p["execs"] == 40 for p in workers), workers
assert all(p["cmdline"][0] == os.environ["SPAWN"] and "-j" in p["cmdline"] for p in workers), workers
tool = [p for p in s["spawners"] if p["comm"] == "execsnoop"]
assert len(tool) == 1 and tool[0]["execs"] == 1, s["spawners"]
assert s["other_spawners"] == {"count": 0, "execs": 0, "failed": 0, "exact": True}
cmds = {c["path"]: c["execs"] for c in s["commands"]}
assert cmds == {os.environ["NOOP"]: 120, os.environ["SPAWN"]: 1}, cmds
assert abs(s["per_second"] - s["execs"] * 1e9 / s["span_ns"]) < 0.01 * s["per_second"] + 0.01
'
}

@test "--summary -x: failed execs counted per spawner and per command" {
	local status=0
	"$EXECSNOOP" -x -s --quiet -j -- "$SPAWN" -j 2 -n 15 -t "$TAG" "$WORK/missing" \
		>"$WORK/out" 2>"$WORK/err" || status=$?
	# spawn reports its failures with status 1: the command's status
	assert_eq 1 "$status" "status"
	grep '^{' "$WORK/out" >"$WORK/json"
	MISSING=$WORK/missing check_summary "$WORK/json" '
workers = [p for p in s["spawners"] if p["comm"] == "spawn"]
assert [(p["execs"], p["failed"]) for p in workers] == [(15, 15), (15, 15)], workers
cmds = {c["path"]: (c["execs"], c["failed"]) for c in s["commands"]}
assert cmds[os.environ["MISSING"]] == (30, 30), cmds
assert s["failed"] == 30, s
'
}

@test "--summary with lines, to a file: the table after the lines, its counts equal the lines" {
	local status=0 lines
	"$EXECSNOOP" -s -- "$SPAWN" -j 2 -n 25 -t "$TAG" "$NOOP" >"$WORK/out" 2>"$WORK/err" || status=$?
	assert_eq 0 "$status" "status"
	lines=$(grep -cE "^noop +[0-9]+ +[0-9]+ +0 $NOOP $TAG-" "$WORK/out")
	assert_eq 50 "$lines" "lines of the spawned execs"
	grep -qE "^SUMMARY [0-9:]{8}, in total [0-9.]+ s: 51 execs, 0 failed, [0-9.]+ execs/s\$" "$WORK/out" ||
		fail "no summary heading for 51 execs:" "$(sed -n '/^SUMMARY/,$p' "$WORK/out")"
	# its rows: the two workers and execsnoop; the two commands
	assert_eq 2 "$(grep -cE "^ +[0-9]+ spawn +25 +0 +[0-9.]+ $SPAWN -j 2 -n 25 " "$WORK/out")" \
		"rows of the two workers"
	grep -qE "^ +[0-9]+ execsnoop +1 +0 " "$WORK/out" || fail "no row for execsnoop itself"
	grep -qE "^ +50 +0 +[0-9.]+ $NOOP\$" "$WORK/out" || fail "no row for $NOOP"
	# the table comes after every line
	[[ $(grep -n "$TAG-" "$WORK/out" | grep -v SUMMARY | tail -1 | cut -d: -f1) -lt \
		$(grep -n '^SUMMARY' "$WORK/out" | cut -d: -f1) ]] || fail "a line after the table"
}

@test "--interval 1: a table a second while the command runs, and the total at exit" {
	local status=0
	"$EXECSNOOP" --interval 1 --quiet -- "$SPAWN" -j 1 -n 25 -i 100000 -t "$TAG" "$NOOP" \
		>"$WORK/out" 2>"$WORK/err" || status=$?
	assert_eq 0 "$status" "status"
	local n
	n=$(grep -cE '^SUMMARY [0-9:]{8}, last 1\.[0-9] s: ' "$WORK/out")
	((n >= 2)) || fail "expected at least 2 interval tables in 2.5 s, saw $n:" "$(cat "$WORK/out")"
	grep -qE '^SUMMARY [0-9:]{8}, in total [0-9.]+ s: 26 execs, 0 failed' "$WORK/out" ||
		fail "no total of 26 execs at the end:" "$(cat "$WORK/out")"
	# the intervals' execs add up to at most the total
	local sum
	sum=$(awk '/^SUMMARY .*, last / { sub(/ execs.*/, ""); sub(/.*: /, ""); s += $0 } END { print s + 0 }' "$WORK/out")
	((sum <= 26 && sum >= 10)) || fail "the intervals count $sum execs"
	assert_eq "" "$(grep -v '^SUMMARY\|^ \|^$' "$WORK/out" | grep -v '^execs ')" "lines other than tables"
}

@test "--summary: spawners at known rates, the busiest first, counts exact" {
	local status=0
	"$EXECSNOOP" -s --quiet -j -- sh -c "
		$SPAWN -j 1 -d 2 -i 10000 -t $TAG-fast $NOOP >$WORK/fast &
		$SPAWN -j 1 -d 2 -i 40000 -t $TAG-slow $NOOP >$WORK/slow
		wait" >"$WORK/out" 2>"$WORK/err" || status=$?
	assert_eq 0 "$status" "status"
	grep '^{' "$WORK/out" >"$WORK/json"
	FAST=$(awk '{ print $2; exit }' "$WORK/fast") SLOW=$(awk '{ print $2; exit }' "$WORK/slow") \
		check_summary "$WORK/json" '
fast, slow = int(os.environ["FAST"]), int(os.environ["SLOW"])
top = s["spawners"]
assert top[0]["execs"] == fast and top[1]["execs"] == slow, (fast, slow, top[:2])
assert top[0]["comm"] == "spawn" and "-i" in top[0]["cmdline"], top[0]
span = s["span_ns"] / 1e9
assert abs(top[0]["per_second"] - fast / span) < 0.01 * fast, top[0]
# 100/s and 25/s asked for: the measured rates are in that ratio
assert 2.5 < top[0]["per_second"] / top[1]["per_second"] < 5.5, top[:2]
'
}

@test "--summary system-wide with lines: its count equals the lines printed" {
	tool_start -s
	"$SPAWN" -j 2 -n 30 -t "$TAG" "$NOOP" >/dev/null
	tool_sync
	tool_stop
	local lines total
	lines=$(untraced tool_lines_with "" | wc -l)
	total=$(sed -n 's/^SUMMARY .*, in total [0-9.]* s: \([0-9]*\) execs.*/\1/p' "$TOOL_OUT")
	assert_eq "$lines" "$total" "execs in the summary against lines printed"
	((lines >= 60)) || fail "only $lines lines"
}

@test "--quiet without --summary is refused" {
	run_split "$EXECSNOOP" --quiet
	assert_one_line_error "--quiet" "--quiet prints no lines, only the summary or the metrics: add --summary or --metrics"
	run_split "$EXECSNOOP" --interval 0
	assert_one_line_error "--interval 0" "invalid --interval '0'"
}
