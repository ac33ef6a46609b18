#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Paths at and beyond PATH_MAX: the path the kernel resolves is shown whole,
# however long ("/dev/fd/N/" in front of a name of up to 4095 bytes); a path
# longer than execsnoop captures is cut, and the exec is marked as cut.

load helpers

setup_file() {
	shared_tool_start -j -x
}

# A string of N bytes: PREFIX, then 'a's.
long_name() { # PREFIX N
	local s=$1
	while ((${#s} < $2)); do
		s+=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
	done
	printf '%s' "${s:0:$2}"
}

# Directories under DIR making a relative name of N bytes ending in /noop, a
# link to the noop program; made from DIR, as their full paths are too long.
deep_name() { # DIR N
	local dirs='' part
	part=$(long_name d 200)
	while ((${#dirs} + 201 + 5 < $2)); do
		dirs+=$part/
	done
	dirs+=$(long_name e $(($2 - ${#dirs} - 5)))
	(cd -P "$1" && mkdir -p "$dirs" && cd -P "$dirs" && ln -s "$NOOP" noop) ||
		fail "could not make $1/$dirs/noop"
	printf '%s' "$dirs/noop"
}

@test "a failed exec of a path of PATH_MAX bytes (ENAMETOOLONG) shows it whole" {
	local path
	path=$(long_name "$WORK/$TAG-" 4096)
	run_execer -R -36 exec "$path" "$TAG" arg
	tool_sync
	check_records
}

@test "a failed exec of a path longer than is captured shows its start, marked as cut" {
	local path
	path=$(long_name "$WORK/$TAG-" 5000)
	run_execer -R -36 exec "$path" "$TAG" arg
	run_execer -R -36 exec "$(long_name "$WORK/$TAG-" 70000)"
	tool_sync
	check_records
}

@test "execveat whose resolved name /dev/fd/N/... is longer than PATH_MAX shows it whole" {
	local rel
	mkdir "$WORK/d"
	rel=$(deep_name "$WORK/d" 4090)
	run_execer -R 0 execveat "$WORK/d" "$rel" "$TAG" arg
	run_execer -R 0 -w thread execveat "$WORK/d" "$rel" "$TAG" thread
	run_execer -R -2 execveat "$WORK/d" "${rel%noop}none" "$TAG" failed
	tool_sync
	check_records
}

@test "execveat with a name longer than PATH_MAX (ENAMETOOLONG) is marked as cut" {
	run_execer -R -36 execveat "$WORK" "$(long_name "$TAG-" 4200)" "$TAG"
	tool_sync
	check_records
}
