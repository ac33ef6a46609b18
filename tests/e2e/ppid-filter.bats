#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -P/--ppid PID shows only the execs of children of PID.

load helpers

setup() {
	e2e_setup
	agent_start
	MARKER_RUNNER=(agent_run)
}

@test "-P PID shows its children's execs and nothing else" {
	tool_start -P "$AGENT_PID"
	agent_run "$NOOP" "$TAG" child
	agent_run "$EXECER" -o "$WORK/grandchild.exp" exec "$NOOP" "$TAG" grandchild
	"$NOOP" "$TAG" not-a-child
	tool_sync
	tool_stop
	local lines
	lines=$(tool_lines_with "$TAG")
	grep -qxE "noop [0-9]+ $AGENT_PID 0 $NOOP $TAG child" <<<"$lines" ||
		fail "no line for the child's exec; lines with the tag:" "$lines"
	grep -qxE "execer [0-9]+ $AGENT_PID 0 $EXECER .*grandchild" <<<"$lines" ||
		fail "no line for the child's exec of execer; lines with the tag:" "$lines"
	assert_eq "" "$(grep -e 'grandchild$' -e 'not-a-child$' <<<"$lines" | grep -v "^execer ")" \
		"lines for execs by other parents"
	local bad
	bad=$(tool_lines_with "" | awk -v p="$AGENT_PID" '$3 != p')
	assert_eq "" "$bad" "lines whose PPID is not $AGENT_PID"
}

@test "--ppid with -x shows the children's failed execs" {
	tool_start -x --ppid "$AGENT_PID"
	agent_run "$EXECER" -o "$WORK/x.exp" exec "$WORK/missing" "$TAG" && true
	"$EXECER" -o "$WORK/y.exp" exec "$WORK/missing" "$TAG" other || true
	tool_sync
	tool_stop
	local lines
	lines=$(tool_lines_with "$TAG")
	grep -qxE "execer [0-9]+ $AGENT_PID 0 $EXECER .*" <<<"$lines" ||
		fail "no line for the child's exec of execer; lines with the tag:" "$lines"
	assert_eq "" "$(tool_lines_with "" | awk -v p="$AGENT_PID" '$3 != p')" \
		"lines whose PPID is not $AGENT_PID"
}
