#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --journal under an exec storm, with the reader stopped and with a journal
# that does not keep up: every exec of the storm has its entry (cut to its
# path when the ring filled) or is counted lost, exactly. The journal here
# is a receiver of the native protocol at journald's socket path, in a mount
# namespace of the test's own (tests/dist/journal.bats uses a real journald).
# Only the execs of uid 64999, which nothing else on the machine uses, are
# traced (-u), so that nothing else enters the count.

load helpers

STORM_UID=64999
NOBODY=(setpriv --reuid=$STORM_UID --regid=$STORM_UID --clear-groups)

setup() {
	e2e_setup
	[[ -z $(cannot_run) ]] || skip "$(cannot_run)"
	journal_wrap
	TOOL_WRAP=(unshare -m --propagation private "$WORK/jwrap")
	MARKER=("${NOBODY[@]}" "$NOOP")
}

# Entries (their MESSAGE, a text line) plus losses equal the storm's execs.
check_accounting() {
	local lost args_lost refused gen full cut missing
	lost=$(summary "execs lost")
	args_lost=$(summary "printed without arguments")
	refused=$(summary "entries refused by the journal")
	read -r gen full cut missing < <(awk '
		FNR == NR { if (FNR > 1) pid[$2] = 1; next }
		($2 in pid) && !($2 in seen) { seen[$2] = 1; if (/ \.\.\.$/) cut++; else full++ }
		END { n = 0; for (p in pid) n++; s = 0; for (p in seen) s++; print n, full + 0, cut + 0, n - s }' \
		"$WORK/spawn.out" "$TOOL_OUT")
	echo "generated $gen: $full whole, $cut cut, $missing missing; reported $lost lost," \
		"$args_lost without arguments, $refused refused" >&2
	((gen > 0)) || fail "the storm made no execs"
	assert_eq 0 "$refused" "entries refused by the journal"
	((missing == lost)) ||
		fail "$missing execs have no entry but $lost were reported lost:" "$(cat "$TOOL_ERR")"
	((cut == args_lost)) ||
		fail "$cut entries are cut but $args_lost were reported without arguments:" "$(cat "$TOOL_ERR")"
}

@test "--journal, reader stopped for the whole storm: every exec has its entry or is counted" {
	tool_start --journal -u $STORM_UID
	tool_sync
	kill -STOP "$TOOL_PID"
	storm 4 1000 250 120
	kill -CONT "$TOOL_PID"
	# every entry is through once the markers made after the storm are
	tool_sync
	tool_stop
	journal_wrap_done
	check_accounting
}

@test "--journal, a journal that stalls: entries wait, nothing is dropped unseen" {
	tool_start --journal -u $STORM_UID --ring-size=128K
	tool_sync
	# the receiver stops reading: sends block, then the rings fill and execs are counted lost
	kill -STOP "$(pgrep -f "journal_sink.py /run/systemd/journal/socket [0-9]* $WORK\$")"
	storm 4 1000 40 120
	kill -CONT "$(pgrep -f "journal_sink.py /run/systemd/journal/socket [0-9]* $WORK\$")"
	tool_sync
	tool_stop
	journal_wrap_done
	check_accounting
	(($(summary "execs lost") > 0)) || fail "nothing was lost with a stalled journal and 128 KiB rings"
}
