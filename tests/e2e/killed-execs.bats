#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# An exec cut short because its process is killed (SIGKILL while the kernel
# reads its arguments, or a thread losing an exec race to another thread) says
# "killed" in RET: never one of the kernel's internal ERESTART* values (-512 to
# -530), nor a side effect of the kill such as E2BIG, that no program saw.

load helpers

@test "an exec killed while the kernel reads its arguments says killed" {
	tool_start -j -x
	# 30 million arguments keep the kernel counting them for about a second
	run_execer kill-in-exec "$NOOP" 30000000 100 "$TAG"
	tool_sync
	tool_stop
	check_records
}

@test "threads losing an exec race say killed" {
	local round lines losers=0 bad
	tool_start -x
	# a loser shows up when it was in its exec call when the winner killed it
	for ((round = 0; round < 10 && losers == 0; round++)); do
		run_execer -r 20 race 8 "$NOOP" "$TAG-$round"
		run_execer -r 20 -w thread race 2 "$NOOP" "$TAG-$round-t"
		tool_sync
		lines=$(tool_lines_with "$TAG-$round" | awk -v p="$NOOP" '$4 != 0 && $5 == p')
		losers=$(grep -c . <<<"$lines" || true)
	done
	((losers > 0)) || skip "no thread was in its exec call when it lost, in 10 rounds of races"
	bad=$(awk '$4 != "killed"' <<<"$lines")
	[[ -z $bad ]] || fail "$(grep -c . <<<"$bad") of $losers lines of race losers whose RET is not 'killed':" \
		"$(head -5 <<<"$bad")"
}
