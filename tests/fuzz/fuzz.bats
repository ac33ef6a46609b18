#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A short pass of every libFuzzer target (make fuzz runs them for minutes):
# the regression inputs and the seed corpus once each, then a few seconds of
# fuzzing. A crash is copied to .output/fuzz/crashes/.

ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
OUT=$ROOT/.output/fuzz
FUZZ_SECONDS=${FUZZ_SECONDS:-12}
# a bound on runs too: max_total_time follows the wall clock, which can jump
FUZZ_RUNS=${FUZZ_RUNS:-1000000}

setup() {
	cd "$ROOT"
	make -s .output/fuzz/fuzz_{record,reorder,envsel} >"$BATS_TEST_TMPDIR/build.log" 2>&1 ||
		skip "clang cannot build libFuzzer targets here: $(tail -1 "$BATS_TEST_TMPDIR/build.log")"
}

fail() {
	printf '%s\n' "$@" >&2
	return 1
}

# Runs TARGET with ARGS...; on failure shows the end of its log and keeps the crash.
fuzz() { # TARGET ARGS...
	local t=$1 log=$BATS_TEST_TMPDIR/$1.log crash
	shift
	mkdir -p "$OUT/crashes"
	if "$OUT/fuzz_$t" -artifact_prefix="$BATS_TEST_TMPDIR/" "$@" >"$log" 2>&1; then
		return 0
	fi
	for crash in "$BATS_TEST_TMPDIR"/crash-* "$BATS_TEST_TMPDIR"/leak-* "$BATS_TEST_TMPDIR"/timeout-*; do
		[[ -f $crash ]] && cp "$crash" "$OUT/crashes/$t-${crash##*/}"
	done
	fail "fuzz_$t $* failed; the input is kept in $OUT/crashes/ (once fixed, add it to" \
		"tests/fuzz/regressions/$t/); the end of its output:" "$(grep -v -E '^#[0-9]+' "$log" | tail -25)"
}

# Runs every file of DIR once through TARGET.
run_inputs() { # TARGET DIR
	local -a inputs=("$2"/*)
	[[ -f ${inputs[0]} ]] || return 0
	fuzz "$1" -runs=0 "${inputs[@]}"
}

@test "record: the regression inputs pass" {
	run_inputs record tests/fuzz/regressions/record
}

@test "reorder: the regression inputs pass" {
	run_inputs reorder tests/fuzz/regressions/reorder
}

@test "envsel: the regression inputs pass" {
	run_inputs envsel tests/fuzz/regressions/envsel
}

@test "record: the seed corpus is real records, and passes" {
	local n
	n=$(find tests/fuzz/corpus/record -type f | wc -l)
	((n >= 20)) || fail "only $n seed records in tests/fuzz/corpus/record: make capture makes them"
	fuzz record -runs=0 -max_len=65536 tests/fuzz/corpus/record
}

@test "record: $FUZZ_SECONDS s of fuzzing from the seed corpus" {
	mkdir -p "$BATS_TEST_TMPDIR/new"
	fuzz record -max_total_time="$FUZZ_SECONDS" -runs="$FUZZ_RUNS" -max_len=65536 -timeout=10 \
		"$BATS_TEST_TMPDIR/new" tests/fuzz/corpus/record
	grep -E "^Done [0-9]+ runs" "$BATS_TEST_TMPDIR/record.log" | sed "s/^/# record: /" >&3 || true
}

@test "reorder: $FUZZ_SECONDS s of fuzzing from the seed corpus" {
	mkdir -p "$BATS_TEST_TMPDIR/new"
	fuzz reorder -max_total_time="$FUZZ_SECONDS" -runs="$FUZZ_RUNS" -timeout=10 \
		"$BATS_TEST_TMPDIR/new" tests/fuzz/corpus/reorder
}

@test "envsel: the seed corpus passes" {
	fuzz envsel -runs=0 -max_len=65536 tests/fuzz/corpus/envsel
}

@test "envsel: $FUZZ_SECONDS s of fuzzing from the seed corpus" {
	mkdir -p "$BATS_TEST_TMPDIR/new"
	fuzz envsel -max_total_time="$FUZZ_SECONDS" -runs="$FUZZ_RUNS" -max_len=65536 -timeout=10 \
		"$BATS_TEST_TMPDIR/new" tests/fuzz/corpus/envsel
}
