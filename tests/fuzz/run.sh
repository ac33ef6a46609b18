#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# make fuzz: runs every libFuzzer target for SECONDS seconds (default 300)
# from its seed corpus, after its regression inputs. New inputs go to
# .output/fuzz/new/TARGET (the seed corpus stays real records: make capture),
# crashes to .output/fuzz/crashes/.
# A crash, once fixed, goes to tests/fuzz/regressions/TARGET/ with a name
# that says what it was, so that it is run again from then on.
set -eu
cd "$(dirname "$0")/../.."
out=.output/fuzz
status=0

for bin in "$out"/fuzz_*; do
	t=${bin##*/fuzz_}
	mkdir -p "$out/new/$t" "$out/crashes"
	for r in tests/fuzz/regressions/"$t"/*; do
		[ -f "$r" ] || continue
		"$bin" "$r" >"$out/regression-$t.log" 2>&1 || {
			echo "fuzz: $t: regression input $r fails again:"
			tail -20 "$out/regression-$t.log"
			status=1
		}
	done
	echo "fuzz: $t: ${1:-300} s from tests/fuzz/corpus/$t"
	if "$bin" -max_total_time="${1:-300}" -max_len=65536 -timeout=10 -print_final_stats=1 \
		-artifact_prefix="$out/crashes/$t-" "$out/new/$t" "tests/fuzz/corpus/$t" \
		>"$out/fuzz-$t.log" 2>&1; then
		grep -E '^(Done|stat::(number_of_executed_units|average_exec_per_sec|new_units_added|peak_rss_mb))' \
			"$out/fuzz-$t.log" | sed "s/^/fuzz: $t: /"
	else
		echo "fuzz: $t: FAILED; the end of $out/fuzz-$t.log:"
		grep -v -E '^#[0-9]+' "$out/fuzz-$t.log" | tail -30
		status=1
	fi
done
exit $status
