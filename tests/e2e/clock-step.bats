#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -T prints the exec's time on the wall clock as it is now: after the clock is
# stepped (date -s), lines follow the new time, as date does. -t (seconds
# since start) does not jump with it. The clock is stepped back by the amount
# it moved against CLOCK_MONOTONIC, also when a test fails.

load helpers

# CLOCK_REALTIME - CLOCK_MONOTONIC in microseconds; it changes only when the clock is stepped.
clock_offset() {
	local real=${EPOCHREALTIME/./} mono
	mono=$(awk '/^now at/ { print $3; exit }' /proc/timer_list)
	echo $((real - mono / 1000))
}

# Steps the clock back by what it moved since setup, in whole seconds (tests step by hours).
clock_restore() {
	local moved
	[[ -n ${CLOCK_OFFSET:-} ]] || return 0
	moved=$(($(clock_offset) - CLOCK_OFFSET))
	moved=$(((moved + (moved < 0 ? -500000 : 500000)) / 1000000))
	((moved == 0)) || date -s "$((-moved)) seconds" >/dev/null ||
		fail "could not step the clock back by $moved s"
}

setup() {
	e2e_setup
	[[ -r /proc/timer_list ]] || skip "no /proc/timer_list to read CLOCK_MONOTONIC from"
	CLOCK_OFFSET=$(clock_offset)
}

teardown() {
	clock_restore
	e2e_teardown
}

# Runs the noop with WORD; prints the wall-clock seconds before and after it.
timed_noop() { # WORD
	local before after
	before=$(date +%s)
	"$NOOP" "$1"
	after=$(date +%s)
	echo "$before $after"
}

# Checks that the TIME of the line for WORD is a wall-clock second in [FROM, TO].
assert_time_within() { # WORD FROM TO
	local line t s ok=0
	line=$(grep -E -- " $1\$" "$TOOL_OUT" | grep -F -- "$NOOP") || fail "no line for the exec '$1'"
	t=${line%% *}
	for ((s = $2; s <= $3; s++)); do
		[[ $(date -d "@$s" +%T) == "$t" ]] && ok=1
	done
	((ok)) || fail "TIME $t of '$1' is not the wall clock of the exec:" \
		"  expected $(date -d "@$2" +%T)..$(date -d "@$3" +%T)" "  line: $line"
}

@test "-T: after the clock is stepped an hour ahead, and back, lines follow it" {
	local now ahead back
	tool_start -T
	now=$(timed_noop "$TAG-now")
	# printed before the step: a line takes the clock as it is when it is printed
	tool_sync
	date -s '+1 hour' >/dev/null || fail "could not step the clock"
	ahead=$(timed_noop "$TAG-ahead")
	tool_sync
	clock_restore
	back=$(timed_noop "$TAG-back")
	tool_sync
	tool_stop
	# shellcheck disable=SC2086
	assert_time_within "$TAG-now" $now
	# shellcheck disable=SC2086
	assert_time_within "$TAG-ahead" $ahead
	# shellcheck disable=SC2086
	assert_time_within "$TAG-back" $back
}

@test "-t: stepping the clock does not move seconds since start" {
	local a b
	tool_start -t
	"$NOOP" "$TAG-one"
	date -s '+1 hour' >/dev/null || fail "could not step the clock"
	"$NOOP" "$TAG-two"
	tool_sync
	clock_restore
	tool_stop
	a=$(grep -E -- " $TAG-one\$" "$TOOL_OUT" | grep -F -- "$NOOP") || fail "no line for one"
	b=$(grep -E -- " $TAG-two\$" "$TOOL_OUT" | grep -F -- "$NOOP") || fail "no line for two"
	awk -v a="${a%% *}" -v b="${b%% *}" 'BEGIN { exit !(b >= a && b - a < 5) }' ||
		fail "TIME(s) jumped with the clock: $a" "                            $b"
}
