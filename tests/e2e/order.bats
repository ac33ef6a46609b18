#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Lines come out in the order the execs happened, across CPUs: a parent's
# exec before its child's, and with -t the time never goes backwards, but at
# lines execsnoop counted as late.

load helpers

@test "200 three-generation exec chains across CPUs print A before B before C" {
	(($(cpus | wc -l) > 1)) || skip "needs two CPUs"
	tool_start -t
	"$CHAIN" -j 4 -n 200 -t "$TAG" >"$WORK/chain.out" 2>&1 ||
		fail "chain failed:" "$(cat "$WORK/chain.out")"
	tool_sync
	tool_stop
	awk -v tag="$TAG" '
		match($0, tag "-[0-9]+-[ABC]$") {
			split(substr($0, RSTART + length(tag) + 1), f, "-")
			pos[f[1], f[2]] = NR
			chains[f[1]] = 1
		}
		END {
			for (c in chains) {
				n++
				if ((c, "A") in pos && (c, "B") in pos && (c, "C") in pos &&
				    pos[c, "A"] < pos[c, "B"] && pos[c, "B"] < pos[c, "C"])
					ok++
				else
					print "out of order or incomplete: chain " c >"/dev/stderr"
			}
			print n + 0, ok + 0
		}' "$TOOL_OUT" >"$WORK/order" || true
	assert_eq "200 200" "$(cat "$WORK/order")" "chains seen, chains in order"
}

@test "in a storm, -t never goes backwards but at lines counted late" {
	local back late lines
	tool_start -t
	"$SPAWN" -t "$TAG" -j 8 -n 1000 -p -v "$NOOP" >/dev/null ||
		fail "spawn failed"
	tool_sync
	tool_stop
	read -r lines back < <(awk '$1 ~ /^[0-9.]+$/ {
		n++; if ($1 + 0 < prev) b++; if ($1 + 0 > prev) prev = $1 + 0 }
		END { print n + 0, b + 0 }' "$TOOL_OUT")
	late=$(grep -oE '[0-9]+ printed late' "$TOOL_ERR" | grep -oE '^[0-9]+' || echo 0)
	echo "$lines lines, $back going back in time, $late counted late" >&2
	((lines >= 8000)) || fail "only $lines lines for 8000 execs"
	((back <= late)) || fail "$back lines go back in time, $late were counted late"
	((late * 1000 < lines)) || fail "$late of $lines lines late: over 0.1%"
}
