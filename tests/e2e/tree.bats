#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --tree: ARGS indented two spaces a level of ancestry, so that a parallel
# build reads as a tree: each line one level below the nearest ancestor whose
# line was printed (a parent that only forked is skipped), also when lines of
# several branches interleave; a process whose ancestors' lines came before
# the start is a root.

load helpers

# Prints "PID PPID DEPTH ARGS" for each record line of FILE (the time column, if any, dropped).
depths() { # FILE
	python3 - "$1" <<'EOF'
import re, sys
for line in open(sys.argv[1], encoding="utf-8", errors="replace"):
    m = re.match(r"^(?:[0-9.]+ +)?(\S+) +(\d+) +(\d+) +(-?\d+) (.*)$", line.rstrip("\n"))
    if not m or m.group(1) == "PCOMM":
        continue
    args = m.group(5)
    pad = len(args) - len(args.lstrip(" "))
    print(m.group(2), m.group(3), pad // 2 if pad % 2 == 0 else "odd", args.lstrip(" "))
EOF
}

# Checks that every line whose parent's line was printed is one level below it.
check_nesting() { # FILE
	depths "$1" | python3 -c '
import sys
depth, bad = {}, []
for l in sys.stdin:
    pid, ppid, d, args = l.rstrip("\n").split(" ", 3)
    if d == "odd":
        bad.append("odd indentation: " + l)
        continue
    d = int(d)
    if ppid in depth and d != depth[ppid] + 1:
        bad.append("depth %d, its parent %s at %d: %s" % (d, ppid, depth[ppid], l))
    depth.setdefault(pid, d)
sys.stdout.write("".join(bad))
sys.exit(1 if bad else 0)
' >&2 || fail "lines not one level below their parent's (output above):" "$(cat "$1")"
}

# The depth of the line whose ARGS are exactly ARGS.
depth_of() { # FILE ARGS
	depths "$1" | awk -v a="$2" '{ d = $3; $1 = $2 = $3 = ""; sub(/^ +/, ""); if ($0 == a) print d }'
}

@test "--tree -- make -j4: a build reads as a tree, its lines interleaved" {
	mkdir "$WORK/proj"
	cat >"$WORK/proj/Makefile" <<EOF
all: a b c d
a b c d:
	@sh -c '$NOOP $TAG-\$@-1; sleep 0.05; $NOOP $TAG-\$@-2'
EOF
	"$EXECSNOOP" --tree -- make -s -j4 -C "$WORK/proj" >"$WORK/out" 2>"$WORK/err" ||
		fail "execsnoop failed:" "$(cat "$WORK/err")"
	check_nesting "$WORK/out"
	assert_eq 0 "$(depths "$WORK/out" | awk '$4 ~ /make$/ || $4 ~ /make -s/ { print $3; exit }')" \
		"the depth of make"
	for t in a b c d; do
		assert_eq 2 "$(depth_of "$WORK/out" "$NOOP $TAG-$t-1")" "the depth of $t's first exec"
		assert_eq 2 "$(depth_of "$WORK/out" "$NOOP $TAG-$t-2")" "the depth of $t's second exec"
	done
	# the four shells ran side by side: their lines are interleaved
	local order
	order=$(grep -oE -- " $NOOP $TAG-[abcd]-[12]\$" "$WORK/out" | sed 's/.*-\([abcd]-[12]\)$/\1/' | tr '\n' ' ')
	[[ $order != "a-1 a-2 b-1 b-2 c-1 c-2 d-1 d-2 " ]] ||
		skip "the shells did not run side by side: $order"
}

@test "--tree: a parent that only forked is skipped; a process that execs again keeps its depth" {
	"$EXECSNOOP" --tree -- sh -c "($NOOP $TAG-sub1; $NOOP $TAG-sub2); x=\$($NOOP $TAG-cmdsub); exec sh -c '$NOOP $TAG-again'" \
		>"$WORK/out" 2>"$WORK/err" || fail "execsnoop failed:" "$(cat "$WORK/err")"
	check_nesting "$WORK/out"
	for t in sub1 sub2 cmdsub; do
		assert_eq 1 "$(depth_of "$WORK/out" "$NOOP $TAG-$t")" "the depth of $t (under the subshell)"
	done
	assert_eq 0 "$(depth_of "$WORK/out" "/usr/bin/sh -c $NOOP $TAG-again")$(depth_of "$WORK/out" "/bin/sh -c $NOOP $TAG-again")" \
		"the depth of sh after its second exec"
	assert_eq 1 "$(depth_of "$WORK/out" "$NOOP $TAG-again")" "the depth of its child"
}

@test "--tree: 12 parents that only forked in a row are skipped, and -s names the spawner" {
	local s="$NOOP $TAG-deep; true" i
	[[ ${EXECSNOOP_WITHOUT:-} != *task_storage* ]] ||
		skip "without task storage the ancestor is found by a walk of 8 parents (README, Kernels)"
	# each level a subshell that forks, not execs: ( ...; true )
	for ((i = 0; i < 12; i++)); do s="( $s ); true"; done
	"$EXECSNOOP" --tree -- sh -c "$s" >"$WORK/out" 2>"$WORK/err" ||
		fail "execsnoop failed:" "$(cat "$WORK/err")"
	assert_eq 1 "$(depth_of "$WORK/out" "$NOOP $TAG-deep")" "the depth under 12 fork-only levels"
	"$EXECSNOOP" -s -j --quiet -- sh -c "$s" >"$WORK/sum" 2>"$WORK/err" ||
		fail "execsnoop -s failed:" "$(cat "$WORK/err")"
	python3 -c 'import json, sys
o = json.loads(open(sys.argv[1]).read().splitlines()[-1])
assert [x["execs"] for x in o["spawners"] if x["comm"] == "sh"] == [1], o["spawners"]' "$WORK/sum" ||
		fail "the deep exec is not counted to sh, its spawner:" "$(cat "$WORK/sum")"
}

@test "--tree system-wide: a process whose ancestors' lines came before the start is a root" {
	agent_start
	MARKER_RUNNER=(agent_run)
	tool_start --tree
	# the agent (a shell) started before execsnoop
	agent_run sh -c "$NOOP $TAG-1; sh -c '$NOOP $TAG-2'"
	tool_sync
	tool_stop
	check_nesting "$TOOL_OUT"
	assert_eq 0 "$(depth_of "$TOOL_OUT" "/usr/bin/sh -c $NOOP $TAG-1; sh -c '$NOOP $TAG-2'")" "the depth of the first sh"
	assert_eq 1 "$(depth_of "$TOOL_OUT" "$NOOP $TAG-1")" "the depth of its child"
	assert_eq 1 "$(depth_of "$TOOL_OUT" "/usr/bin/sh -c $NOOP $TAG-2")" "the depth of the inner sh"
	assert_eq 2 "$(depth_of "$TOOL_OUT" "$NOOP $TAG-2")" "the depth of the inner sh's child"
}

@test "--tree with -p: depths from the traced process" {
	agent_start
	MARKER_RUNNER=(agent_run)
	tool_start --tree -t -p "$AGENT_PID"
	agent_run sh -c "$NOOP $TAG-1; sh -c '$NOOP $TAG-2'"
	tool_sync
	tool_stop
	check_nesting "$TOOL_OUT"
	assert_eq 2 "$(depth_of "$TOOL_OUT" "$NOOP $TAG-2")" "the depth of the inner sh's child"
	[[ $(head -1 "$TOOL_OUT") == "TIME(s) "* ]] || fail "no time column with -t"
}

@test "--tree with -j is refused" {
	run_split "$EXECSNOOP" --tree -j
	assert_one_line_error "--tree -j" "--tree is a text view, not with -j"
}
