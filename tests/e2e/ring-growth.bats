#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A start traces on small perf rings and then grows them (stream.h): by the
# header the full rings are in place, the first ones are closed once read,
# the swap costs no CPU, and an exec storm running through the start loses
# nothing in it. Only uid 64995's execs are traced (-u): nothing else on the
# machine enters the count.

load helpers

STORM_UID=64995
NOBODY=(setpriv --reuid=$STORM_UID --regid=$STORM_UID --clear-groups)

# Sizes in KiB of the perf rings execsnoop PID has mapped, one per line.
perf_maps() { # PID
	/usr/bin/python3 - "$1" <<'PY'
import sys
for line in open("/proc/%s/maps" % sys.argv[1]):
    f = line.split()
    if len(f) > 5 and f[5] == "anon_inode:[perf_event]":
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        print((hi - lo) >> 10)
PY
}

@test "by the header, every CPU has a ring of the full size, and the first rings are closed" {
	local page ncpu
	page=$(($(getconf PAGESIZE) >> 10))
	ncpu=$(getconf _NPROCESSORS_ONLN)
	tool_start --ring-size=2M
	# the doorbell's rings are one data page and a header page each
	assert_eq "$ncpu $((page * 2)) $ncpu $((2048 + page))" \
		"$(perf_maps "$TOOL_PID" | sort -n | uniq -c | xargs)" \
		"count and KiB of each size of perf ring mapped"
	tool_stop
}

@test "a --ring-size no larger than the first rings is opened as it is, without growing" {
	local page ncpu
	page=$(($(getconf PAGESIZE) >> 10))
	ncpu=$(getconf _NPROCESSORS_ONLN)
	tool_start --ring-size=256K
	assert_eq "$ncpu" "$(perf_maps "$TOOL_PID" | grep -cx "$((256 + page))")" \
		"rings of 256 KiB mapped"
	tool_stop
}

@test "growing the rings under a stream of execs costs little CPU" {
	local tck ticks
	tck=$(getconf CLK_TCK)
	# an exec every 2 ms, all through the start, into the rings that are swapped
	"$SPAWN" -t "$TAG" -d 6 -i 2000 "$NOOP" >/dev/null 2>&1 3>&- &
	local spawner=$!
	sleep 0.2
	"$EXECSNOOP" >/dev/null 2>"$WORK/err" 3>&- &
	TOOL_PID=$!
	sleep 1.5
	read -r -a st <"/proc/$TOOL_PID/stat"
	ticks=$((st[13] + st[14]))
	kill -INT "$TOOL_PID"
	wait "$TOOL_PID" || fail "execsnoop exited with status $?:" "$(cat "$WORK/err")"
	TOOL_PID=
	kill "$spawner" 2>/dev/null || true
	wait "$spawner" 2>/dev/null || true
	echo "execsnoop used $ticks ticks of $tck a second in its first 1.5 s" >&2
	((ticks * 4 < tck)) ||
		fail "execsnoop used $((ticks * 1000 / tck)) ms of CPU in its first 1.5 s (expected under 250)"
}

@test "a storm through the start: every exec after the first seen has its line, in time order" {
	# 4 KiB records, two workers, until well after the start
	"${NOBODY[@]}" "$SPAWN" -t "$TAG" -j 2 -n 3000 -i 200 -a 32 -b 120 -v -P "$NOOP" \
		>"$WORK/spawn.out" 2>"$WORK/spawn.err" 3>&- &
	local spawner=$!
	sleep 0.1
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -j -u $STORM_UID
	wait "$spawner" || fail "spawn failed:" "$(cat "$WORK/spawn.err")"
	tool_sync
	tool_stop
	local lost
	lost=$(summary "execs lost")
	/usr/bin/python3 - "$WORK/spawn.out" "$TOOL_OUT" "$lost" <<'PY' || fail "see above"
import json, sys
order = {}  # pid -> (worker, index)
for line in list(open(sys.argv[1]))[1:]:
    tag, pid = line.split()
    _, w, i = tag.rsplit("-", 2)
    order[int(pid)] = (int(w), int(i))
seen, times = {}, []
for line in open(sys.argv[2], "rb"):
    o = json.loads(line)
    if o["type"] != "exec":
        continue
    times.append(o["ts_ns"])
    if o["pid"] in order:
        w, i = order[o["pid"]]
        seen.setdefault(w, set()).add(i)
back = sum(1 for a, b in zip(times, times[1:]) if b < a)
missing = 0
for w, idx in sorted(seen.items()):
    first = min(idx)
    total = sum(1 for (ww, _) in order.values() if ww == w)
    gaps = total - first - len(idx)
    missing += gaps
    print("worker %d: %d execs, first seen %d, %d after it without a line" % (w, total, first, gaps),
          file=sys.stderr)
ok = True
if len(seen) != 2:
    print("not every worker's execs were seen: %s" % sorted(seen), file=sys.stderr); ok = False
if back:
    print("time went back %d times in %d lines" % (back, len(times)), file=sys.stderr); ok = False
if missing > int(sys.argv[3]):
    print("%d execs have no line, but %s were reported lost" % (missing, sys.argv[3]),
          file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
PY
}

@test "every exec from the moment the programs are attached has its line, from the first rings" {
	local i
	# rings this large take the kernel long to allocate: the first execs wait in the first rings
	TOOL_OUT=$WORK/tool.out TOOL_ERR=$WORK/tool.err
	TOOL_ARGS=(-j -u $STORM_UID --ring-size=512M)
	TOOL_ARGS_STR="${TOOL_ARGS[*]}"
	"$EXECSNOOP" "${TOOL_ARGS[@]}" >"$TOOL_OUT" 2>"$TOOL_ERR" 3>&- &
	TOOL_PID=$!
	for ((i = 0; i < 3000; i++)); do
		grep -qs '^tp_name:[[:space:]]*sched_process_exec$' /proc/"$TOOL_PID"/fdinfo/* && break
		tool_alive || break
	done
	grep -qs '^tp_name:[[:space:]]*sched_process_exec$' /proc/"$TOOL_PID"/fdinfo/* ||
		fail "sched_process_exec was not attached:" "$(cat "$TOOL_ERR")"
	"${NOBODY[@]}" "$SPAWN" -t "$TAG" -n 40 -P "$NOOP" >"$WORK/spawn.out" 2>"$WORK/spawn.err" ||
		fail "spawn failed:" "$(cat "$WORK/spawn.err")"
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_ready
	tool_sync
	tool_stop
	/usr/bin/python3 - "$WORK/spawn.out" "$TOOL_OUT" <<'PY' || fail "see above"
import json, sys
want = {int(l.split()[1]) for l in list(open(sys.argv[1]))[1:]}
seen = {json.loads(l)["pid"] for l in open(sys.argv[2], "rb")}
missing = sorted(want - seen)
print("%d of %d execs have a line; without: %s" % (len(want) - len(missing), len(want), missing),
      file=sys.stderr)
sys.exit(1 if missing or not want else 0)
PY
}
