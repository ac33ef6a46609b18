#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Error messages that echo what the user typed show it escaped (no control
# byte reaches the terminal) and shortened (a 100 KB value gives a short line).

load helpers

# The longest line an echoed value may give: 64 bytes escaped, and the words around it.
MAX_LINE=400

setup() {
	e2e_setup
	LONG=$(printf 'v%.0s' {1..100000})
	NASTY=$'\e]0;owned\a\e[2J\r\x01\x7f'
}

# Checks the last run_split: one line, short, no control byte, the value's start shown.
assert_echo_safe() { # WHAT [SHOWN]
	assert_one_line_error "$1"
	((${#ERR} <= MAX_LINE)) || fail "$1: a line of ${#ERR} bytes, expected at most $MAX_LINE:" "${ERR:0:200}..."
	! LC_ALL=C grep -q '[[:cntrl:]]' "$WORK/run.err" ||
		fail "$1: control bytes on stderr:" "$(od -c "$WORK/run.err" | head -5)"
	[[ -z ${2:-} || $ERR == *"$2"* ]] || fail "$1: stderr does not show |$2|:" "$ERR"
}

@test "a 100 KB value is shortened, with ... after its start" {
	local o
	for o in -u -P --max-args --priority --ring-size -c --uid= --ppid= --max-args= \
		--priority= --ring-size= --cgroup=; do
		if [[ $o == *= ]]; then
			run_split "$EXECSNOOP" "$o$LONG"
		else
			run_split "$EXECSNOOP" "$o" "$LONG"
		fi
		assert_echo_safe "execsnoop $o <100 KB>" "vvvvvvvv..."
	done
}

@test "control bytes in a value are escaped" {
	local o
	for o in -u -P --max-args --priority --ring-size -c; do
		run_split "$EXECSNOOP" "$o" "x$NASTY"
		assert_echo_safe "execsnoop $o <control bytes>" 'x\x1b]0;owned\x07\x1b[2J\r\x01\x7f'
	done
}

@test "unknown options and stray arguments are escaped and shortened" {
	run_split "$EXECSNOOP" "--$LONG"
	assert_echo_safe "execsnoop --<100 KB>" "--vvvvvv"
	run_split "$EXECSNOOP" "--bogus=$LONG"
	assert_echo_safe "execsnoop --bogus=<100 KB>" "--bogus=vvvv"
	run_split "$EXECSNOOP" "--x$NASTY"
	assert_echo_safe "execsnoop --<control bytes>" '--x\x1b]0;owned'
	run_split "$EXECSNOOP" $'-\e'
	assert_echo_safe "execsnoop -<escape>" "'-\\x1b'"
	run_split "$EXECSNOOP" "$LONG"
	assert_echo_safe "execsnoop <100 KB>" "vvvvvvvv..."
	run_split "$EXECSNOOP" "stray$NASTY"
	assert_echo_safe "execsnoop <stray argument with control bytes>" 'stray\x1b]0;owned'
}

@test "a value of 64 bytes or less is shown whole" {
	run_split "$EXECSNOOP" -u "nosuchuser-$(printf 'u%.0s' {1..53})"
	assert_echo_safe "execsnoop -u <64 bytes>" "'nosuchuser-$(printf 'u%.0s' {1..53})'"
	[[ $ERR != *...* ]] || fail "a 64-byte value was shortened:" "$ERR"
}

@test "a cut does not split a UTF-8 character" {
	# 63 ASCII bytes, then é (2 bytes) across the 64-byte mark
	run_split "$EXECSNOOP" -P "$(printf 'p%.0s' {1..63})éé"
	assert_echo_safe "execsnoop -P <UTF-8 across the cut>"
	[[ $ERR != *'\x'* ]] || fail "the cut split a character into \\x escapes:" "$ERR"
}

@test "--metrics: a path that cannot be written is escaped and shortened, and nothing is printed before it" {
	run_split "$EXECSNOOP" --metrics "/nonexistent/x$NASTY.prom"
	assert_echo_safe "execsnoop --metrics <path with control bytes>" '/nonexistent/x\x1b]0;owned\x07'
	run_split "$EXECSNOOP" --metrics "/nonexistent/$LONG"
	assert_echo_safe "execsnoop --metrics <100 KB>" "/nonexistent/vvvv"
}
