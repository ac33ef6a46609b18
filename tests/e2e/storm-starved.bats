#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A reader starved on purpose (stopped, or held to 10% of a CPU) while execs
# storm: every exec still gets its line, with its path when its arguments do
# not fit, or is counted lost; lines plus losses equal execs, exactly. Only
# uid 64997's execs are traced (-u, in the kernel): no account has it, and
# other tests use 65534, so that nothing else on the machine enters the count.

load helpers

STORM_UID=64997
NOBODY=(setpriv --reuid=$STORM_UID --regid=$STORM_UID --clear-groups)

teardown() {
	[[ -z ${TOOL_PID:-} ]] || kill -CONT "$TOOL_PID" 2>/dev/null || true
	if [[ -n ${CG:-} && -d $CG ]]; then
		[[ -z ${TOOL_PID:-} ]] || echo "$TOOL_PID" >"${CG%/*}/cgroup.procs" 2>/dev/null || true
		rmdir "$CG" 2>/dev/null || true
	fi
	e2e_teardown
}

# Sets GEN, FULL, CUT and MISSING from the storm's pids and execsnoop's lines
# (its exec objects with -j: cut when "cut" names a reason, which must be
# ring-full, the only one a storm of whole arguments can have).
count_lines() {
	if tool_has -j; then
		read -r GEN FULL CUT MISSING < <(/usr/bin/python3 - "$WORK/spawn.out" "$TOOL_OUT" <<'PY'
import json, sys
pids = {int(l.split()[1]) for l in list(open(sys.argv[1]))[1:]}
full = cut = 0
seen = set()
for line in open(sys.argv[2], "rb"):
    o = json.loads(line)
    if o["type"] != "exec" or o["pid"] not in pids or o["pid"] in seen:
        continue
    seen.add(o["pid"])
    if o["cut"]:
        assert o["cut"] == ["ring-full"], o["cut"]
        cut += 1
    else:
        full += 1
print(len(pids), full, cut, len(pids - seen))
PY
)
		return
	fi
	read -r GEN FULL CUT MISSING < <(awk '
		FNR == NR { if (FNR > 1) pid[$2] = 1; next }
		($2 in pid) && !($2 in seen) {
			seen[$2] = 1
			if (/ \.\.\.$/) cut++; else full++
		}
		END {
			n = 0; for (p in pid) n++
			s = 0; for (p in seen) s++
			print n, full + 0, cut + 0, n - s
		}' "$WORK/spawn.out" "$TOOL_OUT")
}

# Checks lines plus losses against the execs made, exactly.
check_accounting() {
	local lost args_lost
	lost=$(summary "execs lost")
	args_lost=$(summary "printed without arguments")
	count_lines
	echo "generated $GEN: $FULL whole, $CUT cut, $MISSING missing; reported $lost lost," \
		"$args_lost without arguments" >&2
	((GEN > 0)) || fail "the storm made no execs"
	((FULL + CUT + MISSING == GEN)) || fail "lines do not add up"
	((MISSING == lost)) ||
		fail "$MISSING execs have no line but $lost were reported lost:" "$(cat "$TOOL_ERR")"
	((CUT == args_lost)) || echo "cut lines of other execs:" "$(awk 'FNR == NR {
		if (FNR > 1) pid[$2] = 1; next } / \.\.\.$/ && !($2 in pid)' "$WORK/spawn.out" "$TOOL_OUT")" >&2
	((CUT == args_lost)) ||
		fail "$CUT lines are cut but $args_lost were reported without arguments:" "$(cat "$TOOL_ERR")"
	# execsnoop's own lines before the stop held all their arguments
	assert_eq "" "$(grep -v '^execsnoop: ' "$TOOL_ERR")" "stderr lines not from execsnoop"
}

@test "stopped for the whole storm: every exec has its line, cut to its path when the ring filled" {
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -u $STORM_UID
	tool_sync
	kill -STOP "$TOOL_PID"
	# 30 KiB records: 120 MB in all, far more than the rings hold
	storm 4 1000 250 120
	kill -CONT "$TOOL_PID"
	tool_stop
	check_accounting
	((MISSING == 0)) || fail "$MISSING execs were lost whole"
	((CUT > 0)) || fail "nothing was cut: the rings held 4000 records of 30 KiB"
	((FULL > 0)) || fail "no line kept its arguments"
}

@test "with -j, stopped for the whole storm: lines plus losses equal execs, cut objects say ring-full" {
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -j -u $STORM_UID
	tool_sync
	kill -STOP "$TOOL_PID"
	storm 4 1000 250 120
	kill -CONT "$TOOL_PID"
	tool_stop
	check_accounting
	((MISSING == 0)) || fail "$MISSING execs were lost whole"
	((CUT > 0)) || fail "nothing was cut: the rings held 4000 records of 30 KiB"
}

@test "with small rings, execs are lost whole and counted, exactly" {
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -u $STORM_UID --ring-size=128K
	tool_sync
	kill -STOP "$TOOL_PID"
	storm 4 1000 40 120
	kill -CONT "$TOOL_PID"
	tool_stop
	check_accounting
	((MISSING > 0)) || fail "nothing was lost with 128 KiB rings and 4000 execs"
}

@test "held to 10% of a CPU: lines plus losses equal execs, and lines cover 99.9%" {
	local root
	root=/sys/fs/cgroup/cpu
	[[ -w $root/cgroup.procs && -e $root/cpu.cfs_quota_us ]] ||
		skip "no cgroup v1 cpu controller at $root"
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -u $STORM_UID
	tool_sync
	CG=$root/execsnoop-e2e-$$
	mkdir "$CG"
	echo 100000 >"$CG/cpu.cfs_period_us"
	echo 10000 >"$CG/cpu.cfs_quota_us"
	# the reader runs under real-time scheduling: its budget is held to 10% as well
	if [[ -e $CG/cpu.rt_runtime_us ]]; then
		echo 100000 >"$CG/cpu.rt_period_us"
		echo 10000 >"$CG/cpu.rt_runtime_us"
	fi
	echo "$TOOL_PID" >"$CG/cgroup.procs"
	storm 8 1000 40 120
	echo -1 >"$CG/cpu.cfs_quota_us"
	[[ ! -e $CG/cpu.rt_runtime_us ]] || echo 95000 >"$CG/cpu.rt_runtime_us"
	tool_stop
	check_accounting
	((MISSING * 1000 <= GEN)) || fail "$MISSING of $GEN execs have no line"
}
