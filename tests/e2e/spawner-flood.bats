#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --tree -s -e under 20,000 distinct spawners (spawners), each exec'd by the
# command and spawning one child. Every exec has its line at its depth and
# one end; the summary's counts add up to the execs, and the busiest spawner,
# the command, is counted exactly.

load helpers

SPAWNERS=$E2E_ROOT/.output/tests/spawners

setup() {
	e2e_setup
	[[ -x $SPAWNERS ]] || make -s -C "$E2E_ROOT" .output/tests/spawners >&2 ||
		fail "could not build the spawners helper"
}

teardown() {
	e2e_teardown
}

@test "--tree -s -e: 20,000 distinct spawners, every line at its depth, every end, exact counts" {
	local status=0
	"$EXECSNOOP" --tree -s -e -- "$SPAWNERS" 20000 "$NOOP" "$TAG" >"$WORK/out" 2>"$WORK/err" ||
		status=$?
	assert_eq 0 "$status" "status" || cat "$WORK/err" >&2
	assert_eq "" "$(cat "$WORK/err")" "stderr"
	python3 - "$WORK/out" "$TAG" "$SPAWNERS" "$NOOP" <<'PY' || fail "the output is wrong"
import re, sys
out, tag, spawners, noop = sys.argv[1:]
N = 20000
lines = open(out, "rb").read().decode("utf-8", "replace").splitlines()
assert lines[0].split()[:5] == ["PCOMM", "PID", "PPID", "RET", "ARGS"], lines[0]
exec_re = re.compile(r"^(\S+) +(\d+) +(\d+) +0 ( *)(\S.*)$")
end_re = re.compile(r"^(\S+) +(\d+) +(\d+) +end code=0 lived=\S+ cpu=\S+$")
execs, seen, problems = 0, set(), []
running = set()  # pids whose exec was printed and whose end was not yet: pids wrap at pid_max
i = 1
while i < len(lines) and not lines[i].startswith("SUMMARY"):
    l = lines[i]
    i += 1
    m = end_re.match(l)
    if m:
        assert int(m[2]) in running, ("an end without its exec", l)
        running.remove(int(m[2]))
        continue
    m = exec_re.match(l)
    assert m, ("not an exec or an end", l)
    assert int(m[2]) not in running, ("an exec of a pid that has not ended", l)
    running.add(int(m[2]))
    execs += 1
    g = re.fullmatch(r"(%s -s )?%s %s-(\d+)" % (re.escape(spawners), re.escape(noop), re.escape(tag)), m[5])
    if g is None:
        assert len(m[4]) == 0 and m[5] == "%s %d %s %s" % (spawners, N, noop, tag), ("not a root", l)
        continue
    seen.add((int(g[2]), "spawner" if g[1] else "child"))
    if len(m[4]) != (2 if g[1] else 4):
        problems.append(l)
assert not problems, ("%d lines at the wrong depth" % len(problems), problems[:5])
missing = {(i, k) for i in range(N) for k in ("spawner", "child")} - seen
assert not missing, ("%d execs have no line" % len(missing), sorted(missing)[:5])
assert len(seen) == 2 * N and execs == 2 * N + 1, (len(seen), execs)
assert not running, ("processes without an end", sorted(running)[:5])
# the summary: its total is the lines' count; the spawners' counts add up to it
head = lines[i]
total = int(re.search(r": (\d+) execs, 0 failed,", head)[1])
assert total == 2 * N + 1, head
rows, i = [], i + 2
while not lines[i].lstrip().startswith("EXECS"):
    rows.append(lines[i])
    i += 1
# a count is N, or N+ (at least N); the last row adds up the others: "- (K more) N ..."
def count(row):
    words = row.split(")", 1)[1].split() if " more) " in row else row.split()[2:]
    return int(words[0].rstrip("+"))
counts = [count(r) for r in rows]
assert sum(counts) == total, ("the spawners' counts", sum(counts), rows)
# the command exec'd every spawner: first, exact, no bound
assert re.match(r"^ +\d+ spawners +%d +0 " % N, rows[0]), ("the busiest spawner", rows[:3])
PY
}
