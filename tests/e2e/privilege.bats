#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Privilege at exec: the effective ids after it, and what it raised (the
# setuid bit, the setgid bit, file capabilities), read in the kernel: in JSON
# always, as a PRIV column with --privilege, and alone with --privileged.
# Copies of noop run by uid 65534 give the known answers.

load helpers

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups)

setup() {
	e2e_setup
	BIN=$WORK/priv
	mkdir "$BIN"
	chmod 755 "$BIN"
	# a filesystem mounted nosuid ignores both bits: no answer can be known there
	if findmnt -no OPTIONS -T "$BIN" | tr , '\n' | grep -qx nosuid; then
		skip "$BIN is on a filesystem mounted nosuid"
	fi
	cp "$NOOP" "$BIN/suid"
	chown 0:0 "$BIN/suid"
	chmod 4755 "$BIN/suid"
	cp "$NOOP" "$BIN/sgid"
	chown 0:4242 "$BIN/sgid"
	chmod 2755 "$BIN/sgid"
	cp "$NOOP" "$BIN/plain"
	chmod 755 "$BIN/plain"
}

# The ids and the privilege of the exec of a copy in $BIN whose last argument is ARG, from the JSON output.
priv_of() { # ARG
	OUT=$TOOL_OUT ARG=$1 BIN=$BIN /usr/bin/python3 -c '
import json, os
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["path"].startswith(os.environ["BIN"] + "/") and o["args"] and o["args"][-1] == os.environ["ARG"]:
        print(o["uid"], o["euid"], o["egid"], json.dumps(o["privilege"], separators=(",", ":")))
'
}

# Linux 6.10 and later show the ids before the exec: the answer is exact.
exact() {
	[[ -e /sys/kernel/tracing/events/sched/sched_prepare_exec ||
		-e /sys/kernel/debug/tracing/events/sched/sched_prepare_exec ]] && echo true || echo false
}

@test "setuid-root and setgid copies run by uid 65534, a plain one, and the setuid one run by root" {
	tool_start -j
	"${NOBODY[@]}" "$BIN/suid" "$TAG" suid
	"${NOBODY[@]}" "$BIN/sgid" "$TAG" sgid
	"${NOBODY[@]}" "$BIN/plain" "$TAG" plain
	"$BIN/suid" "$TAG" root
	tool_sync
	tool_stop
	local x
	x=$(exact)
	assert_eq "65534 0 65534 {\"setuid\":true,\"setgid\":false,\"caps\":[],\"exact\":$x}" \
		"$(priv_of suid)" "setuid root run by uid 65534"
	assert_eq "65534 65534 4242 {\"setuid\":false,\"setgid\":true,\"caps\":[],\"exact\":$x}" \
		"$(priv_of sgid)" "setgid 4242 run by uid 65534"
	assert_eq "65534 65534 65534 null" "$(priv_of plain)" "a plain file run by uid 65534"
	assert_eq "0 0 0 null" "$(priv_of root)" "setuid root run by root raises nothing"
}

@test "file capabilities: cap_net_raw+ep, run directly and from a shell, by uid 65534" {
	command -v setcap >/dev/null || skip "setcap is not installed (libcap2-bin)"
	cp "$NOOP" "$BIN/fcap"
	setcap cap_net_raw+ep "$BIN/fcap" 2>"$WORK/setcap.err" ||
		skip "setcap failed here (no xattrs on $BIN?): $(cat "$WORK/setcap.err")"
	tool_start -j
	"${NOBODY[@]}" "$BIN/fcap" "$TAG" direct
	"${NOBODY[@]}" sh -c '"$1" "$2" shell' sh "$BIN/fcap" "$TAG"
	tool_sync
	tool_stop
	local want="65534 65534 65534 {\"setuid\":false,\"setgid\":false,\"caps\":[\"cap_net_raw\"],\"exact\":true}"
	assert_eq "$want" "$(priv_of direct)" "cap_net_raw+ep run by setpriv as uid 65534"
	assert_eq "$want" "$(priv_of shell)" "cap_net_raw+ep run by a shell of uid 65534"
}

@test "--privilege marks the lines in a PRIV column; --privileged prints only those" {
	tool_start --privilege
	"${NOBODY[@]}" "$BIN/suid" "$TAG" suid
	"${NOBODY[@]}" "$BIN/sgid" "$TAG" sgid
	"${NOBODY[@]}" "$BIN/plain" "$TAG" plain
	tool_sync
	tool_stop
	grep -qE -- '(^| )PCOMM +PID +PPID +RET PRIV ARGS$' "$TOOL_OUT" ||
		fail "no PRIV column in the header:" "$(head -1 "$TOOL_OUT")"
	assert_eq "0 setuid=root $BIN/suid $TAG suid" \
		"$(grep -- " $BIN/suid $TAG suid\$" "$TOOL_OUT" | grep -v setpriv | sed -E 's/^[^ ]+ +[0-9]+ +[0-9]+ +//')" "PRIV of suid"
	assert_eq "0 setgid=4242 $BIN/sgid $TAG sgid" \
		"$(grep -- " $BIN/sgid $TAG sgid\$" "$TOOL_OUT" | grep -v setpriv | sed -E 's/^[^ ]+ +[0-9]+ +[0-9]+ +//')" "PRIV of sgid"
	assert_eq "0 - $BIN/plain $TAG plain" \
		"$(grep -- " $BIN/plain $TAG plain\$" "$TOOL_OUT" | grep -v setpriv | sed -E 's/^[^ ]+ +[0-9]+ +[0-9]+ +//')" "PRIV of plain"

	# the markers that tell it is tracing must raise privilege too
	MARKER=("$BIN/suid")
	MARKER_RUNNER=("${NOBODY[@]}")
	tool_start --privileged
	"${NOBODY[@]}" "$BIN/plain" "$TAG" plain
	"${NOBODY[@]}" "$BIN/sgid" "$TAG" sgid
	"$BIN/suid" "$TAG" root
	tool_sync
	tool_stop
	local lines
	lines=$(grep -v -e '^PCOMM' -e "ready-$TAG-" -e "sync-$TAG-" "$TOOL_OUT" || true)
	assert_eq "sgid setgid=4242 $BIN/sgid $TAG sgid" \
		"$(sed -E 's/^([^ ]+) +[0-9]+ +[0-9]+ +0 /\1 /' <<<"$lines")" \
		"--privileged: the sgid exec alone, besides the markers"
}

@test "the same answers on the path of kernels without task storage (Linux 5.10)" {
	command -v setcap >/dev/null || skip "setcap is not installed (libcap2-bin)"
	cp "$NOOP" "$BIN/fcap"
	setcap cap_net_raw+ep "$BIN/fcap" 2>/dev/null || skip "setcap failed here (no xattrs on $BIN?)"
	EXECSNOOP_WITHOUT=task_storage,loop,task_regs tool_start -j
	"${NOBODY[@]}" "$BIN/suid" "$TAG" suid
	"${NOBODY[@]}" "$BIN/fcap" "$TAG" fcap
	tool_sync
	tool_stop
	local x
	x=$(exact)
	assert_eq "65534 0 65534 {\"setuid\":true,\"setgid\":false,\"caps\":[],\"exact\":$x}" \
		"$(priv_of suid)" "setuid root run by uid 65534"
	assert_eq "65534 65534 65534 {\"setuid\":false,\"setgid\":false,\"caps\":[\"cap_net_raw\"],\"exact\":$x}" \
		"$(priv_of fcap)" "cap_net_raw+ep run by uid 65534"
}
