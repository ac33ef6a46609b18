#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -h/--help and -V/--version print to stdout and exit 0, also without root.

load helpers

@test "--help lists every option and exits 0" {
	local o
	for o in -h --help; do
		run_split "$EXECSNOOP" "$o"
		assert_eq 0 "$STATUS" "exit status of execsnoop $o"
		assert_eq "" "$ERR" "stderr of execsnoop $o"
		for opt in --timestamp --time --fails --uid --print-uid --quote --name --line \
			--ppid --cgroup --max-args --verbose --help --version; do
			[[ $OUT == *"$opt"* ]] || fail "execsnoop $o does not mention $opt"
		done
		for opt in -t -T -x -u -U -q -n -l -P -c -v -h -V; do
			[[ $OUT == *"$opt,"* || $OUT == *"$opt "* ]] || fail "execsnoop $o does not mention $opt"
		done
	done
}

@test "--version prints one line and exits 0" {
	local o
	for o in -V --version; do
		run_split "$EXECSNOOP" "$o"
		assert_eq 0 "$STATUS" "exit status of execsnoop $o"
		assert_eq "" "$ERR" "stderr of execsnoop $o"
		assert_eq 1 "$(grep -c '' <<<"$OUT")" "lines printed by execsnoop $o"
		[[ $OUT =~ [0-9]+\.[0-9]+ ]] || fail "no version number in: $OUT"
	done
}

@test "--help and --version work without privileges" {
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups "$EXECSNOOP" --help
	assert_eq 0 "$STATUS" "exit status of an unprivileged execsnoop --help"
	run_split setpriv --reuid=65534 --regid=65534 --clear-groups "$EXECSNOOP" --version
	assert_eq 0 "$STATUS" "exit status of an unprivileged execsnoop --version"
}

@test "an unknown option fails with a message on stderr only" {
	run_split "$EXECSNOOP" --no-such-option
	((STATUS != 0)) || fail "exit status 0 for an unknown option"
	assert_eq "" "$OUT" "stdout"
	[[ $ERR == *no-such-option* ]] || fail "stderr does not name the option:" "$ERR"
}
