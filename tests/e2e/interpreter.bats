#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The interpreter behind a #! script or a binfmt_misc program: in JSON, as
# the kernel ran it (bprm->interp), beside the script's own path; the file
# that ran, resolved, is path_resolved.

load helpers

BINFMT=/proc/sys/fs/binfmt_misc

setup() {
	e2e_setup
	mkdir "$WORK/bin"
	printf '#!/bin/sh\nexit 0\n' >"$WORK/bin/plain.sh"
	printf '#! /bin/sh  -e\nexit 0\n' >"$WORK/bin/spaced.sh"
	printf '#!%s\n' "$WORK/bin/plain.sh" >"$WORK/bin/nested.sh"
	printf '#!%s\n' "$NOOP" >"$WORK/bin/noop-interp"
	chmod +x "$WORK"/bin/*
}

teardown() {
	[[ ! -e $BINFMT/${NAME:-none} ]] || echo -1 >"$BINFMT/$NAME"
	[[ ! -e ${WORK:-}/mounted ]] || umount "$BINFMT"
	e2e_teardown
}

# "path interpreter path_resolved" of the exec whose last argument is ARG.
interp_of() { # ARG
	OUT=$TOOL_OUT ARG=$1 /usr/bin/python3 -c '
import json, os
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"] and o["args"][-1] == os.environ["ARG"]:
        print(o["path"], o["interpreter"], o["path_resolved"])
'
}

@test "#! scripts: the interpreter as the kernel ran it; none for a binary" {
	tool_start -j
	"$WORK/bin/plain.sh" "$TAG" plain
	"$WORK/bin/spaced.sh" "$TAG" spaced
	"$WORK/bin/nested.sh" "$TAG" nested
	"$WORK/bin/noop-interp" "$TAG" noop
	"$NOOP" "$TAG" binary
	tool_sync
	tool_stop
	local sh
	sh=$(readlink -f /bin/sh)
	assert_eq "$WORK/bin/plain.sh /bin/sh $sh" "$(interp_of plain)" "#!/bin/sh"
	assert_eq "$WORK/bin/spaced.sh /bin/sh $sh" "$(interp_of spaced)" "#! /bin/sh  -e"
	# a script whose interpreter is a script: the kernel ends at the last one
	assert_eq "$WORK/bin/nested.sh /bin/sh $sh" "$(interp_of nested)" "a nested script"
	assert_eq "$WORK/bin/noop-interp $NOOP $(readlink -f "$NOOP")" "$(interp_of noop)" \
		"#! a binary"
	assert_eq "$NOOP None $(readlink -f "$NOOP")" "$(interp_of binary)" "a binary"
}

@test "a binfmt_misc program: its handler is the interpreter" {
	if [[ ! -e $BINFMT/register ]]; then
		mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null ||
			skip "binfmt_misc is not available"
		touch "$WORK/mounted"
	fi
	NAME=execsnoop-$TAG
	echo ":$NAME:E::x$TAG::$NOOP:" >"$BINFMT/register" ||
		fail "could not register a binfmt_misc handler"
	printf 'data\n' >"$WORK/bin/prog.x$TAG"
	chmod +x "$WORK/bin/prog.x$TAG"
	tool_start -j
	"$WORK/bin/prog.x$TAG" "$TAG" misc
	tool_sync
	tool_stop
	assert_eq "$WORK/bin/prog.x$TAG $NOOP $(readlink -f "$NOOP")" "$(interp_of misc)" \
		"a binfmt_misc program"
}
