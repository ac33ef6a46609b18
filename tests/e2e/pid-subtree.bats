#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -p/--pid PID: the execs of PID and all its descendants, those it already
# has and those it creates later (through parents that only fork, daemons
# that double-fork away, threads that exec), and nothing else. The filter is
# in the kernel, and its fork hook is loaded only when asked for.

load helpers

FAMILY=$E2E_ROOT/.output/tests/family
SETPID=$E2E_ROOT/.output/tests/setpid

setup() {
	e2e_setup
	[[ -x $FAMILY && -x $SETPID ]] || make -s -C "$E2E_ROOT" .output/tests/family .output/tests/setpid >&2 ||
		fail "could not build the family helper"
	agent_start
	# the markers are execs of the agent's children: in the subtree
	MARKER_RUNNER=(agent_run)
}

# ARGS of the record lines, markers left out, sorted.
subtree_args() {
	untraced subtree_args_ "$@"
}

subtree_args_() {
	local line
	while IFS= read -r line; do
		parse_line "$line" "" || continue
		[[ $P_ARGS == *"ready-$TAG-"* || $P_ARGS == *"sync-$TAG-"* ]] && continue
		printf '%s\n' "$P_ARGS"
	done <"$TOOL_OUT"
	return 0
}

# Execs outside the subtree, in the background, until stop_noise.
start_noise() {
	(while :; do "$NOOP" "$TAG-outside"; done) 3>&- &
	NOISE_PID=$!
}

stop_noise() {
	kill "$NOISE_PID" 2>/dev/null || true
	wait "$NOISE_PID" 2>/dev/null || true
}

@test "-p PID: every exec of the processes it creates, and nothing else" {
	tool_start -p "$AGENT_PID"
	start_noise
	agent_run "$FAMILY" -o "$WORK/caused" "$NOOP" "$TAG" || fail "family failed"
	stop_noise
	tool_sync
	tool_stop
	{
		cat "$WORK/caused"
		echo "$FAMILY -o $WORK/caused $NOOP $TAG"
	} | sort >"$WORK/expected"
	subtree_args | sort >"$WORK/seen"
	diff -u "$WORK/expected" "$WORK/seen" >&2 ||
		fail "the lines differ from the subtree's execs (- expected, + seen)"
	assert_eq "" "$(cat "$TOOL_ERR")" "stderr"
}

@test "-p PID: descendants it had before the start are traced too, and their threads" {
	local fam="" pre="" grand="" reply i
	# family is a background job of the agent; it forks a child and a
	# grandchild, and a child whose second thread will exec; they wait until
	# $WORK/go exists, then exec
	printf '%q -o %q -w %q %q %q &\n' "$FAMILY" "$WORK/caused" "$WORK/go" "$NOOP" "$TAG" \
		>&"$AGENT_IN"
	read -r -t 10 -u "$AGENT_OUT" reply || fail "the agent did not answer"
	for ((i = 0; i < 100; i++)); do
		fam=$(pgrep -P "$AGENT_PID" -x family || true)
		[[ -n $fam ]] && pre=$(pgrep -P "$fam" | head -1 || true)
		[[ -n $pre ]] && grand=$(pgrep -P "$pre" || true)
		# the threaded child: two tasks
		[[ -n $grand && $(pgrep -P "$fam" | wc -l) == 2 ]] &&
			[[ $(ls "/proc/$(pgrep -P "$fam" | tail -1)/task" | wc -l) == 2 ]] && break
		sleep 0.05
	done
	[[ -n $grand ]] || fail "family's child and grandchild did not start"
	tool_start -p "$AGENT_PID"
	touch "$WORK/go"
	for ((i = 0; i < 200; i++)); do
		[[ -e /proc/$fam ]] || break
		sleep 0.05
	done
	tool_sync
	tool_stop
	# family's own exec came before the start
	sort "$WORK/caused" >"$WORK/expected"
	subtree_args | sort >"$WORK/seen"
	diff -u "$WORK/expected" "$WORK/seen" >&2 ||
		fail "the lines differ from the subtree's execs (- expected, + seen)"
}

@test "-p with -x: the failed execs of the subtree, and only those" {
	tool_start -x -p "$AGENT_PID"
	agent_run "$EXECER" -o "$WORK/in.exp" exec "$WORK/missing" "$TAG-in" || true
	"$EXECER" -o "$WORK/out.exp" exec "$WORK/missing" "$TAG-out" || true
	tool_sync
	tool_stop
	grep -qE "^execer +[0-9]+ +[0-9]+ +-2 $WORK/missing $TAG-in\$" "$TOOL_OUT" ||
		fail "no line for the subtree's failed exec:" "$(grep -- "$TAG" "$TOOL_OUT")"
	if grep -q -- "$TAG-out" "$TOOL_OUT"; then
		fail "a failed exec outside the subtree was printed:" "$(grep -- "$TAG-out" "$TOOL_OUT")"
	fi
}

@test "-p of a process that does not exist: a one-line error" {
	local pid=$((0x3ffff0))
	while [[ -e /proc/$pid ]]; do pid=$((pid + 1)); done
	run_split "$EXECSNOOP" -p "$pid"
	assert_one_line_error "-p $pid" "^execsnoop: no process with pid $pid\$"
	assert_eq 2 "$STATUS" "status"
	run_split "$EXECSNOOP" --pid=abc
	assert_one_line_error "--pid=abc" "invalid pid 'abc': expected a number from 1 to"
}

@test "-p of a process that has exited (a zombie): a one-line error" {
	local zombie i
	# a child that exits at once, never reaped by its parent, which sleeps
	python3 -c 'import os, sys, time
pid = os.fork()
if pid == 0:
    os._exit(0)
print(pid, flush=True)
time.sleep(60)' >"$WORK/zombie" 3>&- &
	AGENT_ZOMBIE_PARENT=$!
	for ((i = 0; i < 500; i++)); do
		zombie=$(cat "$WORK/zombie")
		[[ -n $zombie ]] && [[ $(awk '{ print $3 }' "/proc/$zombie/stat" 2>/dev/null) == Z ]] && break
		sleep 0.02
	done
	run_split "$EXECSNOOP" -p "$zombie"
	kill "$AGENT_ZOMBIE_PARENT"
	wait "$AGENT_ZOMBIE_PARENT" 2>/dev/null || true
	assert_one_line_error "-p $zombie" "^execsnoop: process $zombie has exited\$"
	assert_eq 2 "$STATUS" "status"
}

@test "the fork hook is loaded only with -p or a command" {
	local names
	tool_start
	names=$(for id in $(bpf_ids "$TOOL_PID"); do bpftool prog show id "$id"; done)
	tool_stop
	[[ $names == *sched_process_e* ]] || fail "no exec program seen; bpftool says:" "$names"
	[[ $names != *sched_process_f* ]] || fail "a fork program is loaded without -p:" "$names"
	tool_start -p "$AGENT_PID"
	names=$(for id in $(bpf_ids "$TOOL_PID"); do bpftool prog show id "$id"; done)
	tool_stop
	[[ $names == *sched_process_f* ]] || fail "no fork program with -p:" "$names"
}

@test "-p: an orphan its subtree leaves behind (reparented away) is still traced" {
	local i
	tool_start -p "$AGENT_PID"
	# the shell exits at once; its background job is reparented out of the agent's tree
	agent_run sh -c "(sleep 0.3; $NOOP $TAG-orphan) & exit 0"
	for ((i = 0; i < 100; i++)); do
		grep -q -- " $NOOP $TAG-orphan\$" "$TOOL_OUT" && break
		sleep 0.1
	done
	tool_stop
	grep -q -- " $NOOP $TAG-orphan\$" "$TOOL_OUT" || fail "the orphan's exec was not printed:" "$(cat "$TOOL_OUT")"
}

# An agent (as agent_start) whose commands are run by the second thread of a
# python process; its first thread runs "$NOOP $TAG-main" once $WORK/go exists.
threaded_agent_start() {
	mkfifo "$WORK/agent.in" "$WORK/agent.out"
	python3 -c '
import os, shlex, subprocess, sys, threading, time
work, noop, tag = sys.argv[1:]
def serve():
    with open(work + "/agent.in") as cmds, open(work + "/agent.out", "w") as out:
        for line in cmds:
            rc = subprocess.call(shlex.split(line), stdin=subprocess.DEVNULL,
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            out.write("done %d\n" % rc)
            out.flush()
t = threading.Thread(target=serve, daemon=True)
t.start()
with open(work + "/tid.new", "w") as f:
    f.write(str(t.native_id))
os.rename(work + "/tid.new", work + "/tid")
while not os.path.exists(work + "/go"):
    time.sleep(0.02)
subprocess.call([noop, tag + "-main"])
t.join()' "$WORK" "$NOOP" "$TAG" 3>&- &
	AGENT_PID=$!
	exec {AGENT_IN}>"$WORK/agent.in" {AGENT_OUT}<"$WORK/agent.out"
}

@test "-p of a thread id: the process that thread belongs to, and what it starts" {
	local tid i
	agent_stop
	rm -f "$WORK/agent.in" "$WORK/agent.out"
	threaded_agent_start
	for ((i = 0; i < 200; i++)); do
		[[ -s $WORK/tid ]] && break
		sleep 0.05
	done
	tid=$(cat "$WORK/tid") || fail "the threaded process did not start"
	[[ $(awk '/^Tgid:/ { print $2 }' "/proc/$tid/status") == "$AGENT_PID" && $tid != "$AGENT_PID" ]] ||
		fail "$tid is not a second thread of $AGENT_PID"
	tool_start -p "$tid"
	start_noise
	agent_run "$NOOP" "$TAG-thread" || fail "the thread's child failed"
	touch "$WORK/go"
	for ((i = 0; i < 200; i++)); do
		grep -q -- "$TAG-main" "$TOOL_OUT" && break
		sleep 0.05
	done
	stop_noise
	tool_sync
	tool_stop
	printf '%s\n' "$NOOP $TAG-main" "$NOOP $TAG-thread" >"$WORK/expected"
	subtree_args | sort >"$WORK/seen"
	diff -u "$WORK/expected" "$WORK/seen" >&2 ||
		fail "-p $tid: the lines differ from its process's execs (- expected, + seen)"
}

# -p PID, after a process of its subtree ended and an outsider took its pid
# (clone3 with set_tid), and the other way round: tracing follows the
# processes, not the numbers. With task storage and with the hash maps.
pid_reuse() {
	local inside outside
	tool_start -p "$AGENT_PID"
	# a pid that was in the subtree, and one that was outside it, both free now
	agent_run /bin/sh -c "echo \$\$ >$WORK/inside; exec $NOOP $TAG-first-inside"
	sh -c "echo \$\$ >$WORK/outside; exec $NOOP $TAG-first-outside"
	inside=$(cat "$WORK/inside") outside=$(cat "$WORK/outside")
	"$SETPID" "$inside" "$NOOP" "$TAG-reused-outside" ||
		fail "setpid $inside failed: is the pid taken again already?"
	agent_run "$SETPID" "$outside" "$NOOP" "$TAG-reused-inside" ||
		fail "setpid $outside failed: is the pid taken again already?"
	tool_sync
	tool_stop
	printf '%s\n' "/bin/sh -c echo \$\$ >$WORK/inside; exec $NOOP $TAG-first-inside" \
		"$NOOP $TAG-first-inside" "$SETPID $outside $NOOP $TAG-reused-inside" \
		"$NOOP $TAG-reused-inside" >"$WORK/expected"
	subtree_args | sort >"$WORK/seen"
	diff -u <(sort "$WORK/expected") "$WORK/seen" >&2 ||
		fail "pid reuse: the lines differ from the subtree's execs (- expected, + seen)"
}

@test "-p: a pid taken by an outsider after its traced process ended (clone3 set_tid)" {
	pid_reuse
}

@test "-p without task storage: the same pid reuse" {
	EXECSNOOP_WITHOUT=task_storage pid_reuse
}
