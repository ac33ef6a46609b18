# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Shared by the end-to-end tests (load helpers): run the real execsnoop around
# exec scenarios made by tests/helpers/execer and compare what it printed with
# what was executed, byte for byte.

export LC_ALL=C

E2E_ROOT=$(cd "$BATS_TEST_DIRNAME/../.." && pwd)
EXECSNOOP=${EXECSNOOP:-$E2E_ROOT/execsnoop}
EXECER=${EXECER:-$E2E_ROOT/.output/tests/execer}
NOOP=${NOOP:-$E2E_ROOT/.output/tests/noop}
SPAWN=${SPAWN:-$E2E_ROOT/.output/tests/spawn}
CHAIN=${CHAIN:-$E2E_ROOT/.output/tests/chain}
ENDER=${ENDER:-$E2E_ROOT/.output/tests/ender}
CHECK_RECORDS=$E2E_ROOT/tests/helpers/check_records.py
HEADER_RE='(^| )PCOMM +PID +PPID +RET +(PRIV +)?(SHA256 +)?(CWD +)?ARGS$'
# A text line after the prefix columns: COMM PID PPID RET ARGS; RET is a
# number, or a word for an exec cut short (killed, intr)
LINE_RE='^([^ ]+) +(-?[0-9]+) +(-?[0-9]+) +(-?[0-9]+|[a-z]+) (.*)$'

# Prints its arguments, one per line, on stderr (shown when a test fails); returns 1.
fail() {
	printf '%s\n' "$@" >&2
	return 1
}

assert_eq() { # expected seen what
	[[ $1 == "$2" ]] && return 0
	fail "$3" "  expected: |$1|" "  seen:     |$2|"
}

# Runs a function without bats' per-command DEBUG trap, which makes loops slow.
untraced() {
	(
		trap - DEBUG ERR
		set +eE
		"$@"
	)
}

# Why BPF programs cannot be loaded here, if they cannot.
cannot_run() {
	if [[ $EUID -ne 0 ]]; then
		echo "needs root to load BPF programs"
	elif [[ ! -r /sys/kernel/btf/vmlinux ]]; then
		echo "the kernel has no BTF (/sys/kernel/btf/vmlinux)"
	fi
}

# True when execsnoop was built with ASan (make SANITIZE=1), which makes it several times slower.
sanitized() {
	ldd "$EXECSNOOP" 2>/dev/null | grep -q libasan
}

# Some tests run the binaries as uid 65534: when the tree is not reachable to
# it (a checkout under /root), they run copies in the test's directory.
public_binaries() {
	setpriv --reuid=65534 --regid=65534 --clear-groups \
		test -x "$EXECSNOOP" -a -x "$EXECER" -a -x "$NOOP" -a -x "$SPAWN" -a -x "$CHAIN" \
		2>/dev/null && return 0
	mkdir "$WORK/pub"
	cp "$EXECSNOOP" "$EXECER" "$NOOP" "$SPAWN" "$CHAIN" "$WORK/pub/" ||
		fail "could not copy the binaries to $WORK/pub"
	EXECSNOOP=$WORK/pub/execsnoop
	EXECER=$WORK/pub/execer
	NOOP=$WORK/pub/noop
	SPAWN=$WORK/pub/spawn
	CHAIN=$WORK/pub/chain
}

# Skips unless BPF programs can be loaded here; builds the helpers when missing.
e2e_setup() {
	local why
	why=$(cannot_run)
	[[ -z $why ]] || skip "$why"
	[[ -x $EXECSNOOP ]] || fail "no $EXECSNOOP: build it with make"
	if [[ ! -x $EXECER || ! -x $NOOP || ! -x $SPAWN || ! -x $CHAIN || ! -x $ENDER ]]; then
		make -s -C "$E2E_ROOT" .output/tests/execer .output/tests/noop .output/tests/spawn \
			.output/tests/chain .output/tests/ender >&2 ||
			fail "could not build the test helpers"
	fi
	WORK=$(mktemp -d /tmp/execsnoop-e2e.XXXXXX)
	chmod 755 "$WORK"
	public_binaries
	EXP=$WORK/expected
	TAG=t${BATS_TEST_NUMBER}x$RANDOM$RANDOM
	MARKER=("$NOOP")
	MARKER_RUNNER=()
	TOOL_WRAP=()
	AGENT_PID=
	TOOL_PID=${SHARED_TOOL_PID:-}
	SYNC_N=0
}

# For setup_file: one execsnoop OPTIONS... for all the tests of a file, which
# then only sync and check; teardown_file calls shared_tool_stop.
shared_tool_start() {
	# bats cannot skip from setup_file: the tests' e2e_setup skips instead
	[[ -z $(cannot_run) ]] || return 0
	e2e_setup
	SHARED_WORK=$WORK
	tool_start "$@"
	export SHARED_WORK SHARED_TOOL_PID=$TOOL_PID TOOL_OUT TOOL_ERR TOOL_ARGS_STR="${TOOL_ARGS[*]}"
}

shared_tool_stop() {
	[[ -n ${SHARED_TOOL_PID:-} ]] || return 0
	local status=0
	TOOL_PID=$SHARED_TOOL_PID
	WORK=$SHARED_WORK
	tool_stop INT || status=$?
	rm -rf "$SHARED_WORK"
	return $status
}

e2e_teardown() {
	if [[ -n ${TOOL_PID:-} && ${TOOL_PID:-} != "${SHARED_TOOL_PID:-}" ]]; then
		kill -KILL "$TOOL_PID" 2>/dev/null || true
		wait "$TOOL_PID" 2>/dev/null || true
	fi
	agent_stop
	[[ -z ${WORK:-} ]] || rm -rf "$WORK"
}

# CPUs this process may run on, one per line.
cpus() {
	local list r
	list=$(sed -n 's/^Cpus_allowed_list:[[:space:]]*//p' /proc/self/status)
	for r in ${list//,/ }; do
		if [[ $r == *-* ]]; then
			seq "${r%-*}" "${r#*-}"
		else
			echo "$r"
		fi
	done
}

tool_alive() {
	local st
	[[ -n ${TOOL_PID:-} ]] || return 1
	read -r _ _ st _ 2>/dev/null <"/proc/$TOOL_PID/stat" || return 1
	[[ $st != Z && $st != X ]]
}

# Runs the marker command with one more argument (through MARKER_RUNNER, and
# on CPU if given); its line shows that execsnoop saw it.
marker() { # ARG [CPU]
	local -a pin=()
	[[ -z ${2:-} ]] || pin=(taskset -c "$2")
	"${MARKER_RUNNER[@]}" "${pin[@]}" "${MARKER[@]}" "$1" >/dev/null 2>&1 3>&- || true
}

# Starts execsnoop OPTIONS... in the background, output to $TOOL_OUT, and
# waits until it is tracing: the header is out and a marker exec was printed.
tool_start() {
	TOOL_OUT=$WORK/tool.out
	TOOL_ERR=$WORK/tool.err
	TOOL_ARGS=("$@")
	TOOL_ARGS_STR="$*"
	"${TOOL_WRAP[@]}" "$EXECSNOOP" "$@" >"$TOOL_OUT" 2>"$TOOL_ERR" 3>&- &
	TOOL_PID=$!
	tool_ready
}

# The same with execsnoop's stdout a pipe, into cat which writes $TOOL_OUT.
# execsnoop is then not a child of this shell: its status goes to a file.
pipe_start() {
	local i
	TOOL_OUT=$WORK/piped.out
	TOOL_ERR=$WORK/tool.err
	TOOL_ARGS=("$@")
	TOOL_ARGS_STR="$*"
	{
		"$EXECSNOOP" "$@" 2>"$TOOL_ERR" &
		echo $! >"$WORK/tool.pid"
		wait $!
		echo $? >"$WORK/tool.status"
	} 3>&- | cat >"$TOOL_OUT" 3>&- &
	for ((i = 0; i < 100; i++)); do
		TOOL_PID=$(cat "$WORK/tool.pid" 2>/dev/null || true)
		[[ -n $TOOL_PID ]] && break
		sleep 0.1
	done
	[[ -n $TOOL_PID ]] || fail "execsnoop did not start"
	tool_ready
}

tool_ready() {
	local i status
	for ((i = 0; i < 150; i++)); do
		if ! tool_alive; then
			status=0
			wait "$TOOL_PID" 2>/dev/null || status=$?
			TOOL_PID=
			fail "execsnoop ${TOOL_ARGS[*]} exited with status $status while starting; stderr:" \
				"$(cat "$TOOL_ERR")"
			return 1
		fi
		marker "ready-$TAG-$i"
		if { tool_has -j --json || grep -qE -- "$HEADER_RE" "$TOOL_OUT"; } &&
			grep -qF -- "ready-$TAG-" "$TOOL_OUT"; then
			return 0
		fi
		sleep 0.1
	done
	fail "execsnoop ${TOOL_ARGS[*]} printed no header or no marker exec within 15 s" \
		"output:" "$(head -20 "$TOOL_OUT")" "stderr:" "$(cat "$TOOL_ERR")"
}

# Waits until everything exec'd so far is printed: a marker exec on every CPU
# (each CPU's events come out in order) must show up.
tool_sync() {
	local c i n=$((++SYNC_N)) missing
	for c in $(cpus); do
		marker "sync-$TAG-$n-$c" "$c"
	done
	for ((i = 0; i < 100; i++)); do
		missing=
		for c in $(cpus); do
			grep -qF -- "sync-$TAG-$n-$c" "$TOOL_OUT" || missing+=" $c"
		done
		[[ -z $missing ]] && return 0
		tool_alive || break
		sleep 0.1
	done
	fail "the sync marker execs on CPU(s)$missing were not printed within 10 s" \
		"stderr of execsnoop:" "$(cat "$TOOL_ERR")"
}

# Waits for execsnoop to exit after signal SIG (default INT); TOOL_STATUS gets its status.
tool_wait_exit() { # SIG
	local i
	for ((i = 0; i < 100; i++)); do
		tool_alive || break
		sleep 0.1
	done
	if tool_alive; then
		kill -KILL "$TOOL_PID" 2>/dev/null || true
		wait "$TOOL_PID" 2>/dev/null || true
		TOOL_PID=
		fail "execsnoop did not exit within 10 s of SIG$1"
		return 1
	fi
	TOOL_STATUS=0
	if [[ -e $WORK/tool.pid ]]; then
		for ((i = 0; i < 50; i++)); do
			[[ -s $WORK/tool.status ]] && break
			sleep 0.1
		done
		TOOL_STATUS=$(cat "$WORK/tool.status")
		rm -f "$WORK/tool.pid" "$WORK/tool.status"
	else
		wait "$TOOL_PID" || TOOL_STATUS=$?
	fi
	TOOL_PID=
}

# Stops execsnoop with SIG (default INT) and checks it exited with status 0.
# With -j, every line it printed must then be JSON valid against the schema.
tool_stop() {
	local sig=${1:-INT}
	kill -s "$sig" "$TOOL_PID" 2>/dev/null || true
	tool_wait_exit "$sig" || return 1
	[[ $TOOL_STATUS -eq 0 ]] ||
		fail "execsnoop exited with status $TOOL_STATUS after SIG$sig (expected 0); stderr:" \
			"$(cat "$TOOL_ERR")" || return 1
	check_output_schema
}

# Validates every line of $TOOL_OUT against the schema when execsnoop ran with -j.
check_output_schema() {
	tool_has -j --json || return 0
	/usr/bin/python3 "$E2E_ROOT/tests/helpers/json_check.py" "$TOOL_OUT" >"$WORK/schema.out" 2>&1 ||
		fail "execsnoop ${TOOL_ARGS[*]} printed lines that are not JSON valid against the schema:" \
			"$(head -5 "$WORK/schema.out")"
}

# Runs execer with the records going to $EXP (or -o FILE given first).
run_execer() {
	local status=0 err=$WORK/execer.err
	timeout 120 "$EXECER" -o "$EXP" "$@" 2>"$err" 3>&- || status=$?
	[[ $status -eq 0 ]] && return 0
	fail "execer $* failed with status $status:" "$(cat "$err")"
}

# True when execsnoop (this test's, or the file's shared one) was started with
# one of the options OPT..., each given as a word of its own.
tool_has() { # OPT...
	local a o
	local -a args
	read -r -a args <<<"${TOOL_ARGS_STR:-}"
	for a in "${args[@]}"; do
		for o in "$@"; do
			[[ $a == "$o" ]] && return 0
		done
	done
	return 1
}

# The prefix columns execsnoop was asked for, as a regular expression.
prefix_re() {
	local re='^' a
	local -a args
	read -r -a args <<<"${TOOL_ARGS_STR:-}"
	for a in "${args[@]}"; do
		case $a in
		-t | --timestamp) re+='[0-9]+\.[0-9]{3} +' ;;
		-T | --time) re+='[0-9]{2}:[0-9]{2}:[0-9]{2} +' ;;
		esac
	done
	for a in "${args[@]}"; do
		case $a in
		-U | --print-uid) re+='[0-9]+ +' ;;
		esac
	done
	printf '%s' "$re"
}

# Writes $WORK/jwrap, which runs its arguments (unshare -m first) in a private
# /run/systemd where a receiver of journald's native protocol listens, for
# --journal: the MESSAGE of every entry, a text line, goes to the standard
# output (execsnoop's, which --journal leaves unused) after a header.
journal_wrap() {
	cat >"$WORK/jwrap" <<SH
#!/bin/sh
mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal || exit 1
# not a child of what follows, which may wait for its children (strace -f)
(python3 $E2E_ROOT/tests/helpers/journal_sink.py /run/systemd/journal/socket \$\$ $WORK &)
while [ ! -S /run/systemd/journal/socket ]; do sleep 0.05; done
exec "\$@"
SH
	chmod 755 "$WORK/jwrap"
}

# Waits for the receiver of journal_wrap to have written every entry it got.
journal_wrap_done() {
	local i
	for ((i = 0; i < 100; i++)); do
		pgrep -f "journal_sink.py /run/systemd/journal/socket [0-9]* $WORK\$" >/dev/null || return 0
		sleep 0.1
	done
	fail "the journal receiver did not finish"
}

# Splits one output line into P_COMM P_PID P_PPID P_RET P_ARGS; 1 when it is no record.
parse_line() { # LINE PREFIX-RE
	local l=$1
	if [[ -n $2 ]]; then
		[[ $l =~ $2 ]] || return 1
		l=${l:${#BASH_REMATCH[0]}}
	fi
	[[ $l =~ $LINE_RE ]] || return 1
	P_COMM=${BASH_REMATCH[1]}
	P_PID=${BASH_REMATCH[2]}
	P_PPID=${BASH_REMATCH[3]}
	P_RET=${BASH_REMATCH[4]}
	P_ARGS=${BASH_REMATCH[5]}
}

# Checks execsnoop's output against execer's records in FILE (default $EXP)
# with tests/helpers/check_records.py: each exec must be reported as its
# record says, once, and no other exec of its process. With -j the bytes are
# compared exactly; text output can be checked only for records that print as
# they are (plain ASCII). --fails-hidden: failed execs must not be reported
# (execsnoop ran without -x).
check_records() { # [--fails-hidden] [FILE]
	local exp=$EXP status=0
	local -a opts=()
	while (($#)); do
		case $1 in
		--fails-hidden) opts+=(--fails-hidden) ;;
		*) exp=$1 ;;
		esac
		shift
	done
	if tool_has -j --json; then
		opts+=(--json)
	else
		tool_has -q --quote && opts+=(--quote)
		opts+=(--text --prefix "$(prefix_re)" --line "$LINE_RE" --header "$HEADER_RE")
	fi
	/usr/bin/python3 -B "$CHECK_RECORDS" "${opts[@]}" "$exp" "$TOOL_OUT" || status=$?
	if grep -qi lost "$TOOL_ERR" 2>/dev/null; then
		echo "note: execsnoop reported lost events: $(grep -i lost "$TOOL_ERR" | head -3)" >&2
	fi
	return "$status"
}

# The records' field N (1: MODE ... 5: PID, 8: PATH in hex) of line L of FILE.
record_field() { # FILE L N
	sed -n "${2}p" "$1" | cut -f "$3"
}

# Record lines of execsnoop's output, prefix columns dropped, that carry TAG in ARGS.
tool_lines_with() { # TAG
	untraced tool_lines_with_ "$@"
}

tool_lines_with_() {
	local line re
	if tool_has -j --json; then
		echo "tool_lines_with reads text lines: execsnoop ran with -j" >&2
		return 1
	fi
	re=$(prefix_re)
	while IFS= read -r line; do
		parse_line "$line" "$re" || continue
		[[ $P_ARGS == *"$1"* ]] && printf '%s %s %s %s %s\n' "$P_COMM" "$P_PID" "$P_PPID" "$P_RET" "$P_ARGS"
	done <"$TOOL_OUT"
	return 0
}

# IDs of the BPF programs (or maps: map_id) execsnoop PID holds open.
bpf_ids() { # PID [prog_id|map_id]
	local key=${2:-prog_id}
	cat /proc/"$1"/fdinfo/* 2>/dev/null | sed -n "s/^$key:[[:space:]]*//p" | sort -un
}

# Checks that none of the programs with these IDs is loaded any more. The
# kernel frees a program after an RCU grace period: allow it a second.
assert_progs_gone() { # ID...
	local id left i
	for ((i = 0; i < 20; i++)); do
		left=
		for id in "$@"; do
			bpftool prog show id "$id" >/dev/null 2>&1 && left+=" $id"
		done
		[[ -z $left ]] && return 0
		sleep 0.05
	done
	fail "BPF program(s) of execsnoop still loaded after it exited:" \
		"$(for id in $left; do bpftool prog show id "$id"; done)"
}

# Runs COMMAND..., capturing stdout, stderr and status in OUT, ERR and STATUS.
run_split() {
	STATUS=0
	timeout 30 "$@" >"$WORK/run.out" 2>"$WORK/run.err" 3>&- || STATUS=$?
	OUT=$(cat "$WORK/run.out")
	ERR=$(cat "$WORK/run.err")
}

# Checks a failure the way a person should see it: a non-zero status, nothing
# on stdout, one line on stderr starting with "execsnoop: " (and matching RE).
assert_one_line_error() { # WHAT [RE]
	local lines
	lines=$(grep -c '' "$WORK/run.err" || true)
	((STATUS != 0)) || fail "$1: exit status 0, expected non-zero"
	[[ -z $OUT ]] || fail "$1: expected nothing on stdout, seen:" "$OUT"
	((STATUS != 124)) || fail "$1: did not end within 30 s"
	[[ $lines -eq 1 ]] || fail "$1: expected one line on stderr, seen $lines:" "$ERR"
	[[ $ERR == "execsnoop: "* ]] || fail "$1: stderr does not start with 'execsnoop: ':" "$ERR"
	[[ -z ${2:-} || $ERR =~ $2 ]] || fail "$1: stderr does not match /$2/:" "$ERR"
}

# A shell in the background that runs commands sent by agent_run as its own
# children; AGENT_PID is its pid. SETUP is run by it first (e.g. joining a cgroup).
agent_start() { # [SETUP]
	mkfifo "$WORK/agent.in" "$WORK/agent.out"
	bash -c 'eval "$1"; exec 7<"$2" 8>"$3"
		while IFS= read -r -u 7 cmd; do
			eval "$cmd" </dev/null >/dev/null 2>&1 7<&- 8>&-
			echo "done $?" >&8
		done' _ "${1:-:}" "$WORK/agent.in" "$WORK/agent.out" 3>&- &
	AGENT_PID=$!
	exec {AGENT_IN}>"$WORK/agent.in" {AGENT_OUT}<"$WORK/agent.out"
}

# Runs COMMAND... in the agent and waits for it; returns its status.
agent_run() {
	local cmd reply
	printf -v cmd '%q ' "$@"
	echo "$cmd" >&"$AGENT_IN"
	read -r -t 60 -u "$AGENT_OUT" reply || fail "the agent did not answer within 60 s"
	[[ $reply == "done 0" ]]
}

agent_stop() {
	[[ -n ${AGENT_PID:-} ]] || return 0
	exec {AGENT_IN}>&- {AGENT_OUT}<&-
	kill "$AGENT_PID" 2>/dev/null || true
	wait "$AGENT_PID" 2>/dev/null || true
	AGENT_PID=
}

# The cgroup v2 mount point, or nothing.
cgroup2_root() {
	awk '$3 == "cgroup2" { print $2; exit }' /proc/mounts
}

# Checks that the header is the time column's title followed by the usual header.
check_records_header() { # PREFIX
	local header
	header=$(head -1 "$TOOL_OUT")
	[[ $header == "$1"" PCOMM "* ]] ||
		fail "the header does not start with '$1 PCOMM ':" "|$header|"
	[[ $header =~ $HEADER_RE ]] || fail "the header does not end with PCOMM PID PPID RET ARGS:" "|$header|"
}

# Skips with the reason unless PATH really runs when COMMAND... execs it here:
# the helper's own status and the kernel's sched_process_exec tracepoint say
# (tests/helpers/exec_probe.sh). Hosts differ: on some, int $0x80 from a
# 64-bit process dies of SIGSEGV and i386 code does not run at all.
need_exec() { # WHAT PATH COMMAND...
	local what=$1 why
	shift
	why=$("$E2E_ROOT/tests/helpers/exec_probe.sh" "$@") || skip "$what does not work here: $why"
}

# Defaults for the test files; a file that needs more defines its own.
setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

teardown_file() {
	shared_tool_stop
}

# Runs JOBS x COUNT execs of NARGS arguments of NBYTES as "${NOBODY[@]}" (a uid
# that nothing else on the machine uses), as fast as the machine forks; their
# pids go to $WORK/spawn.out.
storm() { # JOBS COUNT NARGS NBYTES
	"${NOBODY[@]}" "$SPAWN" -t "$TAG" -j "$1" -n "$2" -a "$3" -b "$4" -v -P "$NOOP" \
		>"$WORK/spawn.out" 2>"$WORK/spawn.err" ||
		fail "spawn failed:" "$(cat "$WORK/spawn.err")"
}

# The number before WHAT in execsnoop's report at exit, or 0.
summary() { # WHAT
	local n
	n=$(grep 'in total:' "$TOOL_ERR" | grep -oE "[0-9]+ $1" | grep -oE '^[0-9]+' || true)
	echo "${n:-0}"
}
