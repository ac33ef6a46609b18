#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Login identity at exec, read in the kernel: the audit login uid and session
# id, which su keeps, and the controlling tty. In JSON always; LOGIN and TTY
# columns with --login. The known answers come from /proc/self/loginuid,
# /proc/self/sessionid and tty(1) in the processes themselves.

load helpers

# login_uid login_user session_id tty of the noop exec whose last argument is ARG, from the JSON output.
who_of() { # ARG
	OUT=$TOOL_OUT ARG=$1 NOOP=$NOOP /usr/bin/python3 -c '
import json, os
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["path"] == os.environ["NOOP"] and o["args"][-1] == os.environ["ARG"]:
        print(*(json.dumps(o[k]) for k in ("login_uid", "login_user", "session_id", "tty")))
'
}

# A directory uid 65534 can write to, for what the processes report of themselves.
pub_dir() {
	PUB=$WORK/who
	mkdir "$PUB"
	chmod 1777 "$PUB"
}

@test "su keeps the login user and session; script gives a pty; no tty without one" {
	command -v su >/dev/null || skip "su is not installed"
	command -v script >/dev/null || skip "script is not installed (bsdutils)"
	pub_dir
	# a new session without a controlling tty, whose login uid is set here (root may set it once)
	setsid sh -c 'echo 1000 >/proc/self/loginuid' 2>/dev/null ||
		skip "cannot set /proc/self/loginuid here (no audit, or it is set and immutable)"
	local name
	name=$(getent passwd 1000 | cut -d: -f1)
	tool_start -j
	P=$PUB N=$NOOP T=$TAG setsid sh -c '
		echo 1000 >/proc/self/loginuid
		cat /proc/self/sessionid >"$P/session"
		exec su -s /bin/sh nobody -c "\"$N\" $T su; script -qc \"tty >$P/tty; \\\"$N\\\" $T pty\" /dev/null >/dev/null"
	' </dev/null >/dev/null 2>&1
	tool_sync
	tool_stop
	local session tty user
	session=$(cat "$PUB/session")
	tty=$(sed 's|^/dev/||' "$PUB/tty")
	[[ $tty == pts/[0-9]* ]] || fail "tty(1) in script printed '$tty'"
	[[ -n $name ]] && user="\"$name\"" || user=null
	assert_eq "1000 $user $session null" "$(who_of su)" "under su, no tty"
	assert_eq "1000 $user $session \"$tty\"" "$(who_of pty)" "under su and script, on a pty"
}

@test "login uid and session as the process has them, null when unset" {
	pub_dir
	tool_start -j
	P=$PUB N=$NOOP T=$TAG setsid sh -c '
		cat /proc/self/loginuid >"$P/loginuid"
		cat /proc/self/sessionid >"$P/session"
		exec "$N" $T own' </dev/null >/dev/null 2>&1
	tool_sync
	tool_stop
	local uid session want
	uid=$(cat "$PUB/loginuid")
	session=$(cat "$PUB/session")
	[[ $uid == 4294967295 ]] && uid=null
	[[ $session == 4294967295 ]] && session=null
	want=$(who_of own)
	assert_eq "$uid $session null" "$(cut -d' ' -f1,3,4 <<<"$want")" "login uid, session id and tty"
}

@test "--login: LOGIN and TTY columns" {
	command -v script >/dev/null || skip "script is not installed (bsdutils)"
	pub_dir
	setsid sh -c 'echo 0 >/proc/self/loginuid' 2>/dev/null ||
		skip "cannot set /proc/self/loginuid here (no audit, or it is set and immutable)"
	tool_start --login
	P=$PUB N=$NOOP T=$TAG setsid sh -c '
		echo 0 >/proc/self/loginuid
		"$N" $T notty
		script -qc "tty >$P/tty; \"$N\" $T pty" /dev/null >/dev/null' </dev/null >/dev/null 2>&1
	tool_sync
	tool_stop
	grep -qE -- '^LOGIN +TTY +PCOMM +PID +PPID +RET +ARGS$' "$TOOL_OUT" ||
		fail "no LOGIN and TTY columns in the header:" "$(head -1 "$TOOL_OUT")"
	local tty
	tty=$(sed 's|^/dev/||' "$PUB/tty")
	assert_eq "root - noop" "$(grep -- "$NOOP $TAG notty\$" "$TOOL_OUT" | awk '{print $1, $2, $3}')" \
		"LOGIN TTY PCOMM without a tty"
	assert_eq "root $tty noop" "$(grep -- "$NOOP $TAG pty\$" "$TOOL_OUT" | awk '{print $1, $2, $3}')" \
		"LOGIN TTY PCOMM on a pty"
}
