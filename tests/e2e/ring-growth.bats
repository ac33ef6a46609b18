#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A start traces on small perf rings and then grows them (stream.h): by the
# header the full rings are in place and the first ones are closed once
# read, the swap costs no CPU, and execs running through the start lose
# nothing in it. Only uid 64995's execs are traced (-u) where execs are
# counted: nothing else on the machine enters the count.

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

# "COUNT KIB" of each size of perf ring execsnoop PID has mapped, on one line.
perf_map_sizes() { # PID
	perf_maps "$1" | sort -n | uniq -c | xargs
}

@test "by the header, every CPU has a ring of the full size, and the first rings are closed" {
	local page ncpu want i
	page=$(($(getconf PAGESIZE) >> 10))
	ncpu=$(getconf _NPROCESSORS_ONLN)
	tool_start --ring-size=2M
	# the doorbell's rings are one data page and a header page each
	want="$ncpu $((page * 2)) $ncpu $((2048 + page))"
	# a first ring is closed once read empty after the swap, which the loop does at once
	for ((i = 0; i < 30; i++)); do
		[[ $(perf_map_sizes "$TOOL_PID") == "$want" ]] && break
		sleep 0.1
	done
	assert_eq "$want" "$(perf_map_sizes "$TOOL_PID")" "count and KiB of each size of perf ring mapped"
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

@test "once the rings grew under a stream of execs, the reader does not spin" {
	local tck a z
	tck=$(getconf CLK_TCK)
	# an exec every 2 ms, all through the start, into the rings that are swapped
	"$SPAWN" -t "$TAG" -d 20 -i 2000 "$NOOP" >/dev/null 2>&1 3>&- &
	local spawner=$!
	sleep 0.2
	tool_start --ring-size=2M
	read -r -a a <"/proc/$TOOL_PID/stat"
	sleep 1
	read -r -a z <"/proc/$TOOL_PID/stat"
	kill "$spawner" 2>/dev/null || true
	wait "$spawner" 2>/dev/null || true
	tool_stop
	local ticks=$((z[13] + z[14] - a[13] - a[14]))
	echo "execsnoop used $ticks ticks of $tck a second in 1 s after it was ready" >&2
	((ticks * 4 < tck)) ||
		fail "execsnoop used $((ticks * 1000 / tck)) ms of CPU in 1 s of 500 execs (expected under 250)"
}

@test "a storm through the start: every exec after the first seen has its line, in time order" {
	local late lost
	# 4 KiB records, two workers, until well after the start
	"${NOBODY[@]}" "$SPAWN" -t "$TAG" -j 2 -n 3000 -i 200 -a 32 -b 120 -v -P "$NOOP" \
		>"$WORK/spawn.out" 2>"$WORK/spawn.err" 3>&- &
	local spawner=$!
	sleep 0.1
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -j -u $STORM_UID --ring-size=2M
	kill -0 "$spawner" 2>/dev/null || fail "the storm ended before execsnoop was ready"
	wait "$spawner" || fail "spawn failed:" "$(cat "$WORK/spawn.err")"
	tool_sync
	tool_stop
	lost=$(summary "execs lost")
	# a record the reorder window let go before an older one is counted as printed late
	late=$(summary "printed late")
	/usr/bin/python3 - "$WORK/spawn.out" "$TOOL_OUT" "$lost" "$late" <<'PY' || fail "see above"
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
print("time went back %d times in %d lines, %s printed late" % (back, len(times), sys.argv[4]),
      file=sys.stderr)
ok = True
if len(seen) != 2:
    print("not every worker's execs were seen: %s" % sorted(seen), file=sys.stderr); ok = False
# as in order.bats: back only at lines counted late, and those under 0.1%
if back > int(sys.argv[4]) or int(sys.argv[4]) * 1000 >= len(times):
    print("time went back %d times in %d lines, %s printed late" % (back, len(times), sys.argv[4]),
          file=sys.stderr); ok = False
if missing > int(sys.argv[3]):
    print("%d execs have no line, but %s were reported lost" % (missing, sys.argv[3]),
          file=sys.stderr); ok = False
sys.exit(0 if ok else 1)
PY
}

@test "every exec from the moment the programs are attached has its line, from the first rings" {
	local ncpu ring before
	ncpu=$(getconf _NPROCESSORS_ONLN)
	# rings of 1 GiB in all take the kernel long to allocate: the first execs wait in the first rings
	for ((ring = 512; ring * ncpu > 1024 && ring > 1; ring /= 2)); do :; done
	TOOL_OUT=$WORK/tool.out TOOL_ERR=$WORK/tool.err
	TOOL_ARGS=(-j -u $STORM_UID --ring-size=${ring}M)
	TOOL_ARGS_STR="${TOOL_ARGS[*]}"
	"$EXECSNOOP" "${TOOL_ARGS[@]}" >"$TOOL_OUT" 2>"$TOOL_ERR" 3>&- &
	TOOL_PID=$!
	local deadline=$((SECONDS + 15))
	until grep -qs '^tp_name:[[:space:]]*sched_process_exec$' /proc/"$TOOL_PID"/fdinfo/*; do
		tool_alive && ((SECONDS < deadline)) ||
			fail "sched_process_exec was not attached within 15 s:" "$(cat "$TOOL_ERR")"
	done
	before=$(perf_maps "$TOOL_PID" | grep -cx "$((ring * 1024 + $(getconf PAGESIZE) / 1024))" || true)
	"${NOBODY[@]}" "$SPAWN" -t "$TAG" -n 40 -P "$NOOP" >"$WORK/spawn.out" 2>"$WORK/spawn.err" ||
		fail "spawn failed:" "$(cat "$WORK/spawn.err")"
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_ready
	tool_sync
	tool_stop
	((before < ncpu)) || skip "the full rings were in place before the first exec"
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
