#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --tree -s -e under 20,000 distinct spawners: 10,000 exec chains of three
# generations (chain), where each first and second generation spawns one
# child. Every exec has its line at its depth and one end; the summary's
# counts add up to the execs, and the two busiest spawners are exact.

load helpers

setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

@test "--tree -s -e: 20,000 distinct spawners, every line at its depth, every end, exact counts" {
	local status=0
	"$EXECSNOOP" --tree -s -e -- "$CHAIN" -j 2 -n 10000 -t "$TAG" >"$WORK/out" 2>"$WORK/err" ||
		status=$?
	assert_eq 0 "$status" "status" || cat "$WORK/err" >&2
	assert_eq "" "$(cat "$WORK/err")" "stderr"
	python3 - "$WORK/out" "$TAG" "$CHAIN" <<'PY' || fail "the output is wrong"
import re, sys
out, tag, chain = sys.argv[1:]
lines = open(out, "rb").read().decode("utf-8", "replace").splitlines()
assert lines[0].split()[:5] == ["PCOMM", "PID", "PPID", "RET", "ARGS"], lines[0]
exec_re = re.compile(r"^(\S+) +(\d+) +(\d+) +0 ( *)(\S.*)$")
end_re = re.compile(r"^(\S+) +(\d+) +(\d+) +end code=0 lived=\S+ cpu=\S+$")
depth = {"A": 1, "B": 2, "C": 3}
execs, ends, seen, problems = {}, {}, set(), []
i = 1
while i < len(lines) and not lines[i].startswith("SUMMARY"):
    l = lines[i]
    i += 1
    m = end_re.match(l)
    if m:
        ends[int(m[2])] = ends.get(int(m[2]), 0) + 1
        continue
    m = exec_re.match(l)
    assert m, ("not an exec or an end", l)
    execs[int(m[2])] = execs.get(int(m[2]), 0) + 1
    g = re.fullmatch(re.escape(chain) + r" -g " + re.escape(tag) + r"-(\d+)-([ABC])", m[5])
    if g is None:
        assert len(m[4]) == 0, ("the command itself is a root", l)
        continue
    seen.add((int(g[1]), g[2]))
    if len(m[4]) != 2 * depth[g[2]]:
        problems.append(l)
assert not problems, ("%d lines at the wrong depth" % len(problems), problems[:5])
missing = {(c, g) for c in range(10000) for g in "ABC"} - seen
assert not missing, ("%d chain execs have no line" % len(missing), sorted(missing)[:5])
assert len(seen) == 30000 and sum(execs.values()) == 30001, (len(seen), sum(execs.values()))
assert all(n == 1 for n in execs.values()), "a pid exec'd twice"
assert ends == {p: 1 for p in execs}, ("ends", len(ends), "execs", len(execs))
# the summary: its total is the lines' count; the spawners' counts add up to it
head = lines[i]
total = int(re.search(r": (\d+) execs, 0 failed,", head)[1])
assert total == 30001, head
rows, i = [], i + 2
while not lines[i].lstrip().startswith("EXECS"):
    rows.append(lines[i])
    i += 1
counts = [int(r.split()[2]) for r in rows]
assert sum(counts) == total, ("the spawners' counts", sum(counts), rows)
# the two chain workers each forked 5,000 first generations: exact, no bound
top = [r for r in rows if re.match(r"^ +\d+ chain +5000 +0 ", r)]
assert len(top) == 2, ("the busiest spawners", rows[:4])
PY
}
