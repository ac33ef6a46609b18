#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The nearest 8 ancestors of each exec in JSON, read in the kernel from the
# task tree: right for a tree of processes started before execsnoop, and cut
# (ancestors_cut) when there are more. The known answers come from /proc,
# read by the tree itself before execsnoop starts.

load helpers

# Starts a chain of DEPTH shells, each the parent of the next, the last
# waiting on a fifo to exec noop TAG deep; $WORK/chain gets the ancestors
# of the last one from /proc: "pid start comm", the parent first.
chain_start() { # DEPTH
	mkfifo "$WORK/go"
	cat >"$WORK/level.sh" <<'SH'
if [ "$1" -gt 0 ]; then
	sh "$0" $(($1 - 1)) "$2" "$3" "$4"
	exit 0
fi
/usr/bin/python3 - "$4/chain" <<'PY'
import os, sys
out, pid = [], os.getppid()
while len(out) < 9:
    with open(f"/proc/{pid}/stat") as f:
        head, _, rest = f.read().rpartition(")")
    fields = rest.split()
    pid = int(fields[1])  # ppid
    if pid == 0:
        break
    with open(f"/proc/{pid}/stat") as f:
        phead, _, prest = f.read().rpartition(")")
    out.append(f"{pid} {int(prest.split()[19])} {phead.partition('(')[2]}")
open(sys.argv[1], "w").write("\n".join(out) + "\n")
PY
read x <"$4/go"
exec "$2" "$3" deep
SH
	sh "$WORK/level.sh" "$1" "$NOOP" "$TAG" "$WORK" &
	CHAIN_PID=$!
	local i
	for ((i = 0; i < 100; i++)); do
		[[ -s $WORK/chain ]] && return 0
		sleep 0.1
	done
	fail "the chain of $1 shells did not start"
}

# The ancestors of the exec of noop TAG deep: "pid start_in_ticks comm" lines, then cut=BOOL.
ancestors_of() {
	OUT=$TOOL_OUT TAG=$TAG /usr/bin/python3 -c '
import json, os
tick = 10**9 // os.sysconf("SC_CLK_TCK")
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"] == [os.environ["TAG"], "deep"]:
        for a in o["ancestors"]:
            pid, start = a["id"].split("@")
            assert int(pid) == a["pid"], a
            print(a["pid"], int(start) // tick, a["comm"])
        print("cut=" + json.dumps(o["ancestors_cut"]))
'
}

@test "a tree started before execsnoop: its ancestors from the kernel, each with its identity" {
	chain_start 3
	tool_start -j
	echo go >"$WORK/go"
	wait "$CHAIN_PID"
	tool_sync
	tool_stop
	local want
	want=$(head -8 "$WORK/chain")
	# the chain of /proc reaches init (pid 1) within 9 steps here, or is cut after 8
	if [[ $(wc -l <"$WORK/chain") -gt 8 ]]; then
		want+=$'\ncut=true'
	else
		want+=$'\ncut=false'
	fi
	assert_eq "$want" "$(ancestors_of)" "ancestors of the exec, as /proc had them"
	[[ $(head -3 "$WORK/chain" | awk '{print $3}' | tr '\n' ' ') == "sh sh sh " ]] ||
		fail "the chain's first three ancestors are not its shells:" "$(cat "$WORK/chain")"
}

@test "more than 8 ancestors: the nearest 8, marked cut" {
	chain_start 10
	tool_start -j
	echo go >"$WORK/go"
	wait "$CHAIN_PID"
	tool_sync
	tool_stop
	assert_eq "$(head -8 "$WORK/chain")"$'\ncut=true' "$(ancestors_of)" "the nearest 8 ancestors, cut"
}

@test "without -j no ancestors are read: the text line is as before" {
	tool_start
	"$NOOP" "$TAG" plain
	tool_sync
	tool_stop
	grep -qE -- "^noop +[0-9]+ +[0-9]+ +0 $NOOP $TAG plain\$" "$TOOL_OUT" ||
		fail "the line of noop:" "$(grep -- "$TAG plain" "$TOOL_OUT")"
}

@test "the same ancestors on the path of kernels without task storage (Linux 5.10)" {
	chain_start 10
	EXECSNOOP_WITHOUT=task_storage,loop,task_regs tool_start -j
	echo go >"$WORK/go"
	wait "$CHAIN_PID"
	tool_sync
	tool_stop
	assert_eq "$(head -8 "$WORK/chain")"$'\ncut=true' "$(ancestors_of)" "the nearest 8 ancestors, cut"
}
