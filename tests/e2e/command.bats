#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop [OPTIONS] -- COMMAND [ARG...]: runs COMMAND, traces it and all its
# descendants (children, grandchildren through a parent that only forked, a
# double-forked daemon, a thread's exec, posix_spawn, a shell's pipeline) and
# nothing else, from COMMAND's own exec on; ends with COMMAND's status.

load helpers

FAMILY=$E2E_ROOT/.output/tests/family

setup() {
	e2e_setup
	[[ -x $FAMILY ]] || make -s -C "$E2E_ROOT" .output/tests/family >&2 ||
		fail "could not build the family helper"
}

# The ARGS column of every record line of FILE, sorted.
args_of() { # FILE
	untraced args_of_ "$@"
}

args_of_() {
	local line
	while IFS= read -r line; do
		parse_line "$line" "" && printf '%s\n' "$P_ARGS"
	done <"$1"
	return 0
}

@test "-- COMMAND: every exec of its subtree, its own first, and nothing else" {
	local status=0 noise_pid
	# execs outside the subtree, while it runs
	(for i in $(seq 200); do "$NOOP" "$TAG-outside"; done) &
	noise_pid=$!
	"$EXECSNOOP" -- "$FAMILY" -o "$WORK/caused" "$NOOP" "$TAG" >"$WORK/out" 2>"$WORK/err" ||
		status=$?
	wait "$noise_pid"
	assert_eq 0 "$status" "execsnoop's status (the command's)" || {
		cat "$WORK/err" >&2
		return 1
	}
	# what family says it caused, and its own exec
	{
		cat "$WORK/caused"
		echo "$FAMILY -o $WORK/caused $NOOP $TAG"
	} | sort >"$WORK/expected"
	args_of "$WORK/out" | sort >"$WORK/seen"
	diff -u "$WORK/expected" "$WORK/seen" >&2 ||
		fail "the lines differ from the subtree's execs (- expected, + seen)"
	head -1 "$WORK/out" | grep -qE "$HEADER_RE" || fail "no header first:" "$(head -1 "$WORK/out")"
	# the command's own exec comes first
	[[ $(sed -n 2p "$WORK/out") == *" $FAMILY -o $WORK/caused $NOOP $TAG" ]] ||
		fail "the command's exec is not the first line:" "$(sed -n 2p "$WORK/out")"
	assert_eq "" "$(cat "$WORK/err")" "stderr"
}

@test "-- COMMAND: its exit status, or 128+N when signal N killed it" {
	local status=0
	"$EXECSNOOP" -- "$FAMILY" -x 42 "$NOOP" "$TAG" >/dev/null 2>"$WORK/err" || status=$?
	assert_eq 42 "$status" "status after exit(42)"
	status=0
	"$EXECSNOOP" -- sh -c 'kill -TERM $$' >/dev/null 2>>"$WORK/err" || status=$?
	assert_eq 143 "$status" "status after SIGTERM"
	status=0
	"$EXECSNOOP" -- sh -c 'kill -KILL $$' >/dev/null 2>>"$WORK/err" || status=$?
	assert_eq 137 "$status" "status after SIGKILL"
	assert_eq "" "$(cat "$WORK/err")" "stderr"
}

@test "-- COMMAND that cannot run: 127 or 126, a one-line error, its failed exec with -x" {
	run_split "$EXECSNOOP" -- "$WORK/no-such-command" a b
	assert_eq 127 "$STATUS" "status when not found"
	assert_eq "execsnoop: cannot run '$WORK/no-such-command': No such file or directory" "$ERR" \
		"the error"
	printf 'not a program\n' >"$WORK/text"
	chmod 644 "$WORK/text"
	run_split "$EXECSNOOP" -x -- "$WORK/text"
	assert_eq 126 "$STATUS" "status when not executable"
	assert_eq "execsnoop: cannot run '$WORK/text': Permission denied" "$ERR" "the error"
	[[ $OUT =~ $'\n'execsnoop\ +[0-9]+\ +[0-9]+\ +-13\ $WORK/text$ ]] ||
		fail "no line for the failed exec with -x:" "$OUT"
}

@test "options stop at --: what follows is the command's" {
	run_split "$EXECSNOOP" -t -- "$NOOP" -x --tree -- "$TAG"
	assert_eq 0 "$STATUS" "status"
	[[ $OUT =~ ^TIME\(s\)\ +PCOMM ]] || fail "-t before -- was not applied:" "$OUT"
	[[ $OUT == *" noop "*" 0 $NOOP -x --tree -- $TAG"* ]] ||
		fail "the command's arguments were not passed as given:" "$OUT"
	run_split "$EXECSNOOP" -t "$NOOP" "$TAG"
	assert_one_line_error "a command without --" "unexpected argument '.*noop'; to run a command and trace it, put it after --"
	run_split "$EXECSNOOP" --
	assert_one_line_error "-- alone" "no command after --"
	run_split "$EXECSNOOP" -p 1 -- "$NOOP"
	assert_one_line_error "-p with a command" "-p and a command cannot be used together"
}

@test "a stop sent to execsnoop goes to the command, which decides; its records are drained" {
	local status=0
	# the command traps SIGTERM, execs once more, and exits 9
	"$EXECSNOOP" -- sh -c "trap '$NOOP $TAG-trapped; exit 9' TERM; $NOOP $TAG-started; while :; do sleep 0.05; done" \
		>"$WORK/out" 2>"$WORK/err" &
	TOOL_PID=$!
	for ((i = 0; i < 100; i++)); do
		grep -q -- "$TAG-started" "$WORK/out" 2>/dev/null && break
		sleep 0.1
	done
	kill -TERM "$TOOL_PID"
	wait "$TOOL_PID" || status=$?
	TOOL_PID=
	assert_eq 9 "$status" "status (the command's, after its trap)"
	grep -q " $NOOP $TAG-trapped\$" "$WORK/out" ||
		fail "the exec in the command's trap was not printed:" "$(cat "$WORK/out")"
}

@test "Ctrl-C on a terminal reaches the command, and execsnoop waits for it" {
	local out
	# a terminal whose foreground job is execsnoop and its command; ^C once the command runs
	out=$(
		python3 - "$EXECSNOOP" "$NOOP" "$TAG" <<'EOF'
import os, pty, sys, time, select
tool, noop, tag = sys.argv[1:4]
cmd = "trap '%s %s-interrupted; exit 7' INT; %s %s-started; while :; do sleep 0.05; done" % (noop, tag, noop, tag)
pid, fd = pty.fork()
if pid == 0:
    os.execv(tool, [tool, "--", "sh", "-c", cmd])
buf = b""
deadline = time.time() + 20
sent = False
while time.time() < deadline:
    r, _, _ = select.select([fd], [], [], 0.1)
    if r:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        buf += data
    if not sent and (tag + "-started").encode() in buf:
        time.sleep(0.2)
        os.write(fd, b"\x03")
        sent = True
_, st = os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
print("STATUS %d" % os.waitstatus_to_exitcode(st))
EOF
	)
	[[ $out == *"STATUS 7"* ]] || fail "execsnoop did not end with the command's status 7:" "$out"
	[[ $out == *" $NOOP $TAG-interrupted"* ]] ||
		fail "the exec the command made on SIGINT was not printed:" "$out"
}

@test "under sudo the command runs as the invoking user with their groups; --keep-root keeps root" {
	local user uid gid want_groups seen
	user=$(awk -F: '$3 >= 1000 && $3 < 65534 { print $1; exit }' /etc/passwd)
	[[ -n $user ]] || user=nobody
	uid=$(id -u "$user")
	gid=$(id -g "$user")
	# the groups initgroups gives: the primary one, and each that lists the user
	want_groups=$({
		echo "$gid"
		awk -F: -v u="$user" '{ n = split($4, m, ","); for (i = 1; i <= n; i++) if (m[i] == u) print $3 }' /etc/group
	} | sort -un | tr '\n' ' ')
	seen=$(SUDO_UID=$uid SUDO_GID=$gid SUDO_USER=$user "$EXECSNOOP" -- \
		sh -c 'echo "uid=$(id -u) gid=$(id -g) groups=$(id -G | tr " " "\n" | sort -un | tr "\n" " ") user=$USER"' |
		grep '^uid=')
	assert_eq "uid=$uid gid=$gid groups=$want_groups user=$user" "$seen" "the command's identity"
	# the command's output and execsnoop's lines share the pipe, in either order
	seen=$(SUDO_UID=$uid SUDO_GID=$gid SUDO_USER=$user "$EXECSNOOP" --keep-root -- id -u |
		grep -xE '[0-9]+')
	assert_eq 0 "$seen" "the command's uid with --keep-root"
	run_split env SUDO_UID=x1 SUDO_GID=1 "$EXECSNOOP" -- true
	assert_one_line_error "a bad SUDO_UID" "invalid SUDO_UID 'x1': expected a number; --keep-root runs the command as root"
}

@test "with its output gone (| head), the command runs to its end and gives the status" {
	{
		local st=0
		"$EXECSNOOP" -- sh -c "for i in \$(seq 50); do $NOOP $TAG; done; sleep 0.3; exit 5" || st=$?
		echo "status $st" >"$WORK/status"
	} | head -1 >/dev/null
	assert_eq "status 5" "$(cat "$WORK/status")" "execsnoop's status"
}

@test "SIGTERM while starting up: passed on, the command's status, no message" {
	local attempt i child status
	for ((attempt = 0; attempt < 20; attempt++)); do
		"$EXECSNOOP" -- sleep 30 >"$WORK/out" 2>"$WORK/err" 3>&- &
		TOOL_PID=$!
		child=
		for ((i = 0; i < 2000; i++)); do
			child=$(pgrep -P "$TOOL_PID" || true)
			[[ -n $child ]] && break
		done
		kill -STOP "$TOOL_PID"
		# still at the gate, not yet sleep: the stop comes during the start-up
		if [[ -n $child && $(cat "/proc/$child/comm" 2>/dev/null) == execsnoop ]]; then
			kill -TERM "$TOOL_PID"
			kill -CONT "$TOOL_PID"
			status=0
			wait "$TOOL_PID" || status=$?
			TOOL_PID=
			assert_eq 143 "$status" "status (the command's, ended by the SIGTERM passed on)"
			assert_eq "" "$(cat "$WORK/err")" "stderr"
			return 0
		fi
		kill -KILL "$TOOL_PID" "$child" 2>/dev/null || true
		wait "$TOOL_PID" 2>/dev/null || true
		TOOL_PID=
	done
	skip "the command was never caught at its gate in 20 tries"
}

@test "under sudo, a user without an /etc/passwd entry: root's HOME is not left, USER from sudo" {
	local uid=54321 seen
	while getent passwd "$uid" >/dev/null || getent group "$uid" >/dev/null; do uid=$((uid + 1)); done
	seen=$(HOME=/root USER=root LOGNAME=root SUDO_UID=$uid SUDO_GID=$uid SUDO_USER=ghost-$TAG \
		"$EXECSNOOP" -- sh -c 'echo "id=$(id -u):$(id -g) home=${HOME-unset} user=${USER-unset} logname=${LOGNAME-unset}"' |
		grep '^id=')
	assert_eq "id=$uid:$uid home=unset user=ghost-$TAG logname=ghost-$TAG" "$seen" "the command's identity"
	# and without SUDO_USER either: nothing of root's
	seen=$(HOME=/root USER=root LOGNAME=root SUDO_UID=$uid SUDO_GID=$uid \
		"$EXECSNOOP" -- sh -c 'echo "home=${HOME-unset} user=${USER-unset} logname=${LOGNAME-unset}"' |
		grep '^home=')
	assert_eq "home=unset user=unset logname=unset" "$seen" "without SUDO_USER"
}

@test "-- COMMAND with 10,000 children: every one of their execs printed" {
	local status=0 n
	"$EXECSNOOP" -- "$SPAWN" -j 4 -n 2500 -t "$TAG" "$NOOP" >"$WORK/out" 2>"$WORK/err" || status=$?
	assert_eq 0 "$status" "status (stderr: $(cat "$WORK/err"))"
	n=$(grep -c " $NOOP $TAG" "$WORK/out" || true)
	assert_eq 10000 "$n" "lines of the children's execs (stderr: $(cat "$WORK/err"))"
}
