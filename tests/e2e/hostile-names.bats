#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A command name or cgroup name made of bytes that are escaped (ESC shows as
# \x1b, four columns for one byte) or simply long is cut to its column,
# ending in +, so that it cannot push PID, PPID, RET and ARGS out of line.

load helpers

teardown() {
	[[ -z ${CG:-} ]] || rmdir "$CG" 2>/dev/null || true
	e2e_teardown
}

# Checks that the last line of an exec tagged TAG has PID right after a PCOMM
# column of 16 (after PREFIX columns of WIDTH), and returns that column.
column_of() { # WIDTH
	local line
	line=$(grep -aF -- " $TAG" "$TOOL_OUT" | tail -1)
	[[ -n $line ]] || fail "no line for the exec:" "$(cat "$TOOL_OUT")"
	[[ ${line:$1+16:1} == " " && ${line:$1+17} =~ ^[0-9]+\ + ]] ||
		fail "PID is not at column $(($1 + 17)):" "$line" "$(head -1 "$TOOL_OUT")"
	COL=${line:0:$1+16}
}

@test "a command name that escapes to more than 16 columns is cut, ending in +" {
	local name
	name=$(printf '\033%.0s' $(seq 15))
	ln -s "$NOOP" "$WORK/$name"
	tool_start
	"$WORK/$name" "$TAG"
	tool_sync
	tool_stop
	column_of 0
	assert_eq '\x1b\x1b\x1b+   ' "$COL" "the PCOMM column"
}

@test "a command name that fits stays whole, escaped" {
	local name=$'ab\033cdefghijk'
	ln -s "$NOOP" "$WORK/$name"
	tool_start
	"$WORK/$name" "$TAG"
	tool_sync
	tool_stop
	column_of 0
	assert_eq 'ab\x1bcdefghijk ' "$COL" "the PCOMM column"
}

@test "--container: a long or hostile cgroup name is cut to its 12 columns, ending in +" {
	local root
	root=$(cgroup2_root)
	[[ -n $root ]] || skip "no cgroup v2 mount"
	CG=$root/$'\033[31m'long-name-$TAG.scope
	mkdir "$CG" || skip "cannot make a cgroup under $root"
	tool_start --container
	bash -c 'echo $$ >"$1/cgroup.procs" && exec "$2" "$3"' _ "$CG" "$NOOP" "$TAG" ||
		fail "could not run in the cgroup"
	tool_sync
	tool_stop
	local line
	line=$(grep -aF -- " $TAG" "$TOOL_OUT" | tail -1)
	assert_eq '\x1b[31mlon+ noop ' "${line:0:18}" "the CONTAINER column and the start of PCOMM"
	column_of 13
}
