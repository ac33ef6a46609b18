#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The checker the other tests rely on fails when it should: a check that
# cannot fail proves nothing.

load helpers

@test "check_records fails when execer wrote no records" {
	tool_start
	: >"$EXP"
	if check_records 2>"$WORK/why"; then
		fail "check_records passed on an empty record file"
	fi
	grep -q "wrote no records" "$WORK/why" || fail "no reason given:" "$(cat "$WORK/why")"
	tool_stop
}

@test "check_records --fails-hidden fails when a failed exec is printed" {
	tool_start -x
	# a pid whose only exec fails
	run_execer -R -2 exec "/nonexistent/$TAG"
	tool_sync
	grep -q "/nonexistent/$TAG" "$TOOL_OUT" || fail "the failed exec was not printed with -x"
	if check_records --fails-hidden 2>"$WORK/why"; then
		fail "check_records --fails-hidden passed with a failed exec printed"
	fi
	tool_stop
}

# Checks that check_records ARGS... fails, saying something that matches RE.
must_fail() { # WHAT RE [ARGS...]
	local what=$1 re=$2
	shift 2
	if check_records "$@" 2>"$WORK/why"; then
		fail "check_records passed $what"
		return 1
	fi
	grep -qE -- "$re" "$WORK/why" || fail "check_records failed $what, not saying /$re/:" "$(cat "$WORK/why")"
}

# Replaces the last field of record L of $EXP with VALUE.
set_last_field() { # L VALUE
	sed -i "${1}s/[^\t]*\$/$2/" "$EXP"
}

# Sets field N of record L of $EXP to VALUE.
set_field() { # L N VALUE
	awk -v l="$1" -v n="$2" -v v="$3" 'BEGIN { FS = OFS = "\t" } NR == l { $n = v } 1' "$EXP" >"$EXP.new"
	mv "$EXP.new" "$EXP"
}

@test "with -j, check_records fails when one argument byte differs" {
	tool_start -j
	run_execer exec "$NOOP" "$TAG" abc
	tool_sync
	check_records
	# "abc" is 616263: make it "abd"
	set_last_field 1 616264
	must_fail "with one byte of an argument changed" "argument 2 differs at byte 2"
	set_last_field 1 61626300
	must_fail "with a NUL byte added to an argument" "argument 2 differs at byte 3"
	set_last_field 1 "616263\t"
	must_fail "with an empty argument added" "expected 3 arguments, seen 2"
	tool_stop
}

@test "with -j, check_records fails when the cut mark is missing or unexpected" {
	tool_start -j -x
	run_execer exec "$NOOP" "$TAG" whole
	run_execer -R -14 bad-arg "$NOOP" "$TAG"
	tool_sync
	check_records
	cp "$EXP" "$WORK/saved"
	set_field 1 2 1
	must_fail "with a cut expected on an exec that was not cut" "cut: expected a reason, seen null"
	cp "$WORK/saved" "$EXP"
	set_field 2 2 0
	must_fail "with no cut expected on an exec that was cut" "cut: expected null, seen \[\"unreadable\"\]"
	tool_stop
}

@test "with -j, a prefix record needs a cut exec and at least MIN bytes of arguments" {
	tool_start -j
	run_execer -e "+:0" exec "$NOOP" "$TAG" whole
	tool_sync
	must_fail "with a prefix expected of an exec that was not cut" "not marked as cut"
	: >"$EXP"
	run_execer -e "+:$((1024 * 31))" gen "$NOOP" 5000 30 "$TAG"
	tool_sync
	check_records
	set_field 1 3 $((40 * 1024))
	must_fail "with more bytes expected than are captured" "only [0-9]+ bytes of path and arguments"
	tool_stop
}

@test "check_records fails when a pid has more execs than records" {
	tool_start -j
	run_execer chain 1 "$NOOP" "$TAG"
	tool_sync
	check_records
	sed -i 1d "$EXP"
	must_fail "with the record of one exec of two removed" "pid [0-9]+: expected 1 exec\(s\), seen 2"
	tool_stop
}

@test "without -j, check_records fails on a byte that differs and on a record that is not plain" {
	tool_start
	run_execer exec "$NOOP" "$TAG" abc
	tool_sync
	check_records
	set_last_field 1 616264
	must_fail "in text mode with one byte of an argument changed" "ARGS differ at byte"
	set_last_field 1 61ff63
	must_fail "in text mode with a record that is not plain ASCII" "record 1 is not plain ASCII: check it with -j"
	tool_stop
}

@test "with -j, check_records fails on a line that is not JSON of the schema" {
	tool_start -j
	run_execer exec "$NOOP" "$TAG"
	tool_sync
	tool_stop
	check_records
	cp "$TOOL_OUT" "$WORK/saved"
	echo '{"type":"exec","pid":'"$(record_field "$EXP" 1 5)"',"comm":"noop"}' >>"$TOOL_OUT"
	must_fail "with an exec object that lacks fields" "line [0-9]+ does not validate"
	cp "$WORK/saved" "$TOOL_OUT"
	echo 'noop 1 1 0 /bin/noop' >>"$TOOL_OUT"
	must_fail "with a text line among the JSON" "line [0-9]+ is not JSON"
}

@test "with -j, tool_stop fails when any line, of any process, is not JSON of the schema" {
	tool_start -j
	"$NOOP" "$TAG"
	tool_sync
	kill -INT "$TOOL_PID"
	tool_wait_exit INT
	check_output_schema
	# a line of a pid no record names: check_records leaves it to this check
	echo '{"type":"exec","pid":1,"comm":"init"}' >>"$TOOL_OUT"
	if check_output_schema 2>"$WORK/why"; then
		fail "the whole-output check passed with an exec object that lacks fields"
	fi
	grep -q "not JSON valid against the schema" "$WORK/why" ||
		fail "no reason given:" "$(cat "$WORK/why")"
}
