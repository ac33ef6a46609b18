#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop -- COMMAND stands in for the command: its statuses as a shell
# gives them, the terminal's keys (Ctrl-C, Ctrl-\, Ctrl-Z and fg) as without
# execsnoop, a command that ignores SIGINT, an orphaned grandchild and a
# nested execsnoop still traced.

load helpers

setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

# Runs an interactive shell on a terminal, types LINE, and once the output
# shows READY types each of KEYS (\n-separated; "wait:TEXT" waits for TEXT).
# Prints what the terminal showed.
on_terminal() { # LINE READY KEYS
	python3 - "$@" <<'EOF2'
import os, pty, sys, time, select
line, ready, keys = sys.argv[1], sys.argv[2].encode(), sys.argv[3].split("\n")
pid, fd = pty.fork()
if pid == 0:
    os.execv("/bin/bash", ["bash", "--norc", "--noprofile", "-i"])
buf = b""
def read_until(want, secs):
    global buf
    deadline = time.time() + secs
    while want not in buf and time.time() < deadline:
        r, _, _ = select.select([fd], [], [], 0.1)
        if r:
            try:
                data = os.read(fd, 65536)
            except OSError:
                return
            if not data:
                return
            buf += data
os.write(fd, b"PS1='$ '\n")
os.write(fd, line.encode() + b"; echo END-$?-END\n")
read_until(ready, 30)
for k in keys:
    if k.startswith("wait:"):
        read_until(k[5:].encode(), 30)
        continue
    time.sleep(0.3)
    os.write(fd, k.encode().decode("unicode_escape").encode("latin1"))
read_until(b"-END", 30)
os.write(fd, b"exit\n")
read_until(b"\x00", 2)
os.kill(pid, 9)
os.waitpid(pid, 0)
sys.stdout.write(buf.decode(errors="replace"))
EOF2
}

@test "-- COMMAND: the statuses a shell gives, 3, 139 for a crash" {
	local status=0
	"$EXECSNOOP" -- sh -c 'exit 3' >/dev/null 2>"$WORK/err" || status=$?
	assert_eq 3 "$status" "status after exit 3"
	status=0
	"$EXECSNOOP" -- sh -c 'kill -SEGV $$' >/dev/null 2>>"$WORK/err" || status=$?
	assert_eq 139 "$status" "status after SIGSEGV"
	assert_eq "" "$(cat "$WORK/err")" "stderr"
}

@test "-- COMMAND on a terminal: Ctrl-C gives 130, Ctrl-\\ gives 131" {
	local out
	out=$(on_terminal "$EXECSNOOP -- sh -c '$NOOP $TAG-started; sleep 30'" "$TAG-started"$'\r' '\x03')
	[[ $out == *"END-130-END"* ]] || fail "status after Ctrl-C is not 130:" "$out"
	out=$(on_terminal "$EXECSNOOP -- sh -c '$NOOP $TAG-started; sleep 30'" "$TAG-started"$'\r' '\x1c')
	[[ $out == *"END-131-END"* ]] || fail "status after Ctrl-\\ is not 131:" "$out"
}

@test "-- COMMAND on a terminal: a command that ignores SIGINT goes on after Ctrl-C" {
	local out
	out=$(on_terminal "$EXECSNOOP -- sh -c 'trap \"\" INT; $NOOP $TAG-started; sleep 1; $NOOP $TAG-after; exit 4'" \
		"$TAG-started"$'\r' '\x03')
	[[ $out == *"END-4-END"* ]] || fail "status is not the command's 4:" "$out"
	[[ $out == *" $NOOP $TAG-after"* ]] || fail "the exec after Ctrl-C was not printed:" "$out"
}

@test "-- COMMAND on a terminal: Ctrl-Z stops both, fg goes on, every exec printed" {
	local out
	out=$(on_terminal "$EXECSNOOP -- sh -c '$NOOP $TAG-started; sleep 1; $NOOP $TAG-after; exit 5'" \
		"$TAG-started"$'\r' $'\\x1a\nwait:Stopped\nfg\\n\necho FG-$?-FG\\n\nwait:FG-5-FG')
	[[ $out == *"Stopped"* ]] || fail "Ctrl-Z did not stop the job:" "$out"
	[[ $out == *"FG-5-FG"* ]] || fail "status after fg is not the command's 5:" "$out"
	[[ $out == *" $NOOP $TAG-after"* ]] || fail "the exec after fg was not printed:" "$out"
}

@test "-- COMMAND: an orphaned grandchild (a double fork) is still traced" {
	# the subshell starts a background job and exits at once: the job is reparented
	run_split "$EXECSNOOP" -- sh -c "($NOOP $TAG-parent; (sleep 0.3; $NOOP $TAG-orphan) &); sleep 1"
	assert_eq 0 "$STATUS" "status (stderr: $ERR)"
	[[ $OUT == *" $NOOP $TAG-orphan"* ]] || fail "the orphan's exec was not printed:" "$OUT"
}

@test "a nested execsnoop: the outer one sees the inner one and its command" {
	run_split "$EXECSNOOP" -- "$EXECSNOOP" -- "$NOOP" "$TAG-inner"
	assert_eq 0 "$STATUS" "status (stderr: $ERR)"
	# the inner one's line for its command, and the outer one's
	assert_eq 2 "$(grep -c "^noop .* $NOOP $TAG-inner\$" <<<"$OUT")" "lines for the command:"$'\n'"$OUT"
	[[ $OUT == *" $EXECSNOOP -- $NOOP $TAG-inner"* ]] || fail "the outer one did not see the inner one:" "$OUT"
}
