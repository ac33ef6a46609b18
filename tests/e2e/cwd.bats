#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The working directory of each exec, read in the kernel at exec time: in
# JSON always, as a CWD column with --cwd; right across mount points, bind
# mounts, a chroot and another mount namespace, and marked when cut.

load helpers

teardown() {
	[[ -z ${BIND:-} ]] || umount "$BIND" 2>/dev/null || true
	e2e_teardown
}

# The cwd of the exec whose last argument is ARG, from the JSON output.
cwd_of() { # ARG
	HELPERS=$E2E_ROOT/tests/helpers OUT=$TOOL_OUT ARG=$1 /usr/bin/python3 -c '
import json, os, sys
sys.path.insert(0, os.environ["HELPERS"])
from json_check import as_bytes
for line in open(os.environ["OUT"], "rb"):
    o = json.loads(line)
    if o["type"] == "exec" and o["comm"] == "noop" and o["args"] and o["args"][-1] == os.environ["ARG"]:
        c = o["cwd"]
        print(as_bytes(c).decode("latin-1") if isinstance(c, dict) else c,
              " ".join(o["cut"] or []))
'
}

@test "nested directories, a space and a non-UTF-8 byte, mount points" {
	local d=$WORK/one/two$'\xff'/three\ four
	mkdir -p "$d"
	tool_start -j
	(cd "$d" && "$NOOP" "$TAG" nested)
	(cd /proc/self && "$NOOP" "$TAG" procfs)
	(cd / && "$NOOP" "$TAG" root)
	tool_sync
	tool_stop
	assert_eq "$(printf '%s' "$d" | iconv -f latin1 -t utf-8) " "$(cwd_of nested)" "cwd nested"
	[[ $(cwd_of procfs) == "/proc/"[0-9]*" " ]] || fail "cwd in /proc: $(cwd_of procfs)"
	assert_eq "/ " "$(cwd_of root)" "cwd at the root"
}

@test "a bind mount, a chroot, another mount namespace" {
	mkdir -p "$WORK/src/deep" "$WORK/bind" "$WORK/jail/bin" "$WORK/jail/inside"
	BIND=$WORK/bind
	mount --bind "$WORK/src" "$BIND" || skip "cannot bind mount"
	cp "$NOOP" "$WORK/jail/bin/noop"
	tool_start -j
	(cd "$BIND/deep" && "$NOOP" "$TAG" bound)
	/usr/bin/python3 -c 'import os, sys
os.chroot(sys.argv[1]); os.chdir("/inside"); os.execv("/bin/noop", ["noop", "x", "jailed"])' "$WORK/jail"
	unshare -m sh -c 'mount -t tmpfs t /mnt && mkdir /mnt/ns && cd /mnt/ns && exec "$1" "$2" ns' _ "$NOOP" "$TAG"
	tool_sync
	tool_stop
	assert_eq "$BIND/deep " "$(cwd_of bound)" "cwd under a bind mount"
	assert_eq "/inside " "$(cwd_of jailed)" "cwd in a chroot, as the process sees it"
	assert_eq "/mnt/ns " "$(cwd_of ns)" "cwd in another mount namespace"
}

@test "a directory too deep is marked cut, in JSON and with --cwd" {
	local d=$WORK i
	for ((i = 0; i < 300; i++)); do d+=/d$i; done
	mkdir -p "$d"
	tool_start -j
	(cd "$d" && "$NOOP" "$TAG" deep)
	tool_sync
	tool_stop
	[[ $(cwd_of deep) == *" cwd-limit" ]] || fail "not marked cut: $(cwd_of deep | tail -c 80)"
	tool_start --cwd
	(cd "$d" && "$NOOP" "$TAG" deep)
	(cd "$WORK" && "$NOOP" "$TAG" shallow)
	tool_sync
	tool_stop
	grep -qE "^noop .* \"[^\"]*\"\+ $NOOP $TAG deep\$" "$TOOL_OUT" ||
		fail "the cut cwd is not marked with +:" "$(grep -- "$TAG deep" "$TOOL_OUT" | tail -c 200)"
	grep -qF " \"$WORK\" $NOOP $TAG shallow" "$TOOL_OUT" ||
		fail "no CWD column:" "$(grep -- "$TAG shallow" "$TOOL_OUT")"
}
