#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -t/--timestamp: TIME(s), seconds since start with millisecond precision, of
# the exec itself (kernel time, not print time). -T/--time: wall-clock HH:MM:SS.

load helpers

# The time column of the line for an exec whose ARGS end with WORD.
time_of() { # WORD
	local line
	line=$(grep -E -- " $1\$" "$TOOL_OUT" | grep -F -- "$NOOP") ||
		fail "no line for the exec '$1'"
	printf '%s' "${line%% *}"
}

@test "-t: header and a %-10.3f column" {
	tool_start -t
	"$NOOP" "$TAG-a"
	tool_sync
	tool_stop
	check_records_header 'TIME(s)   '
	local line
	line=$(grep -F -- " $TAG-a" "$TOOL_OUT" | grep -F -- "$NOOP")
	[[ $line =~ ^[0-9]+\.[0-9]{3}\ +noop\  ]] || fail "no seconds.milliseconds first:" "$line"
	[[ ${line:10:1} == " " && ${line:9:1} =~ [0-9\ ] ]] ||
		fail "TIME(s) is not a 10-character column followed by a space:" "$line"
}

@test "-t: the gap between two execs is the real one, not the printing time's" {
	local s1 e1 s2 e2 t1 t2
	tool_start --timestamp
	s1=$EPOCHREALTIME
	"$NOOP" "$TAG-one"
	e1=$EPOCHREALTIME
	sleep 0.12
	s2=$EPOCHREALTIME
	"$NOOP" "$TAG-two"
	e2=$EPOCHREALTIME
	sleep 1.1
	local s3=$EPOCHREALTIME
	"$NOOP" "$TAG-three"
	local e3=$EPOCHREALTIME
	tool_sync
	tool_stop
	t1=$(time_of "$TAG-one")
	t2=$(time_of "$TAG-two")
	local t3
	t3=$(time_of "$TAG-three")
	# each exec happened between the clock readings around it
	awk -v a="$t1" -v b="$t2" -v c="$t3" -v s1="$s1" -v e1="$e1" -v s2="$s2" -v e2="$e2" \
		-v s3="$s3" -v e3="$e3" 'BEGIN {
		d = b - a; lo = s2 - e1 - 0.002; hi = e2 - s1 + 0.002
		if (d < lo || d > hi) { printf "two - one = %.3f s, expected %.3f..%.3f\n", d, lo, hi; exit 1 }
		d = c - b; lo = s3 - e2 - 0.002; hi = e3 - s2 + 0.002
		if (d < lo || d > hi) { printf "three - two = %.3f s, expected %.3f..%.3f\n", d, lo, hi; exit 1 }
	}' >&2 || fail "TIME(s) does not follow the execs: $t1 $t2 $t3"
}

@test "-t: seconds since execsnoop started" {
	local started now t
	started=$EPOCHREALTIME
	tool_start -t
	sleep 0.5
	"$NOOP" "$TAG-late"
	now=$EPOCHREALTIME
	tool_sync
	tool_stop
	t=$(time_of "$TAG-late")
	awk -v t="$t" -v up="$(awk -v a="$started" -v b="$now" 'BEGIN { print b - a }')" \
		'BEGIN { exit !(t >= 0.5 - 0.05 && t <= up + 0.01) }' ||
		fail "TIME(s) $t of an exec made 0.5 s after the tool was ready is not in 0.45..(time since its launch)"
}

@test "-t on failed execs too" {
	tool_start -t -x
	run_execer -R -2 exec "$WORK/missing" "$TAG"
	tool_sync
	tool_stop
	check_records
	grep -qE "^[0-9]+\.[0-9]{3} +execer +[0-9]+ +[0-9]+ +-2 $WORK/missing $TAG\$" "$TOOL_OUT" ||
		fail "no timed line for the failed exec"
}

@test "-T: header and wall-clock HH:MM:SS of the exec" {
	local before after t
	tool_start -T
	before=$(date +%s)
	"$NOOP" "$TAG-wall"
	after=$(date +%s)
	tool_sync
	tool_stop
	check_records_header 'TIME    '
	t=$(time_of "$TAG-wall")
	[[ $t =~ ^[0-2][0-9]:[0-5][0-9]:[0-6][0-9]$ ]] || fail "TIME is not HH:MM:SS: |$t|"
	local ok=0 s
	for ((s = before; s <= after; s++)); do
		[[ $(date -d "@$s" +%T) == "$t" ]] && ok=1
	done
	((ok)) || fail "TIME $t is not the wall clock of the exec ($(date -d "@$before" +%T)..$(date -d "@$after" +%T))"
}

@test "-T lines keep the columns of a plain line" {
	tool_start --time -x
	run_execer exec "$NOOP" "$TAG" a
	run_execer -R -2 exec "$WORK/missing" "$TAG" b
	tool_sync
	tool_stop
	check_records
}
