#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Programs run by a binfmt_misc handler: ARGS is the program as executed and
# its caller's arguments, not the words the kernel puts in front for the
# handler (the interpreter, the path, and with flag P the caller's argv[0]).

load helpers

BINFMT=/proc/sys/fs/binfmt_misc

setup_file() {
	shared_tool_start -j -x
}

setup() {
	e2e_setup
	if [[ ! -e $BINFMT/register ]]; then
		mount -t binfmt_misc binfmt_misc "$BINFMT" 2>/dev/null ||
			skip "binfmt_misc is not available"
		touch "$WORK/mounted"
	fi
	NAME=execsnoop-$TAG
	EXT=x$TAG
	mkdir "$WORK/bin"
	printf '#!/bin/sh\nexit 0\n' >"$WORK/bin/handler.sh"
	chmod +x "$WORK/bin/handler.sh"
}

teardown() {
	[[ ! -e $BINFMT/${NAME:-none} ]] || echo -1 >"$BINFMT/$NAME"
	[[ ! -e ${WORK:-}/mounted ]] || umount "$BINFMT"
	e2e_teardown
}

# Registers files named *.EXT to run with INTERPRETER, with FLAGS.
register() { # INTERPRETER [FLAGS]
	echo ":$NAME:E::$EXT::$1:${2:-}" >"$BINFMT/register" ||
		fail "could not register a binfmt_misc handler"
	printf 'data\n' >"$WORK/bin/prog.$EXT"
	chmod +x "$WORK/bin/prog.$EXT"
	need_exec "a binfmt_misc program" "$WORK/bin/prog.$EXT" "$EXECER" -R 0 exec "$WORK/bin/prog.$EXT"
}

@test "a binfmt_misc program shows its path and its caller's arguments" {
	register "$NOOP"
	run_execer -R 0 exec "$WORK/bin/prog.$EXT" "$TAG" "two words"
	run_execer -R 0 exec "$WORK/bin/prog.$EXT"
	run_execer -R 0 exec "$WORK/bin/prog.$EXT" "$WORK/bin/prog.$EXT" "$TAG"
	run_execer -R 0 execveat "$WORK/bin" "prog.$EXT" "$TAG" at
	tool_sync
	check_records
}

@test "flag P (argv[0] kept for the handler): argv[0] is still not shown" {
	register "$NOOP" P
	run_execer -R 0 exec "$WORK/bin/prog.$EXT" "$TAG" x
	run_execer -R 0 -0 "$WORK/bin/prog.$EXT" exec "$WORK/bin/prog.$EXT" "$TAG" argv0-is-path
	run_execer -R 0 exec "$WORK/bin/prog.$EXT"
	run_execer -R 0 argc0 "$WORK/bin/prog.$EXT"
	tool_sync
	check_records
}

@test "a binfmt_misc handler that is a script" {
	register "$WORK/bin/handler.sh" P
	run_execer -R 0 exec "$WORK/bin/prog.$EXT" "$TAG" y
	run_execer -R 0 -w thread exec "$WORK/bin/prog.$EXT" "$TAG" thread
	tool_sync
	check_records
}
