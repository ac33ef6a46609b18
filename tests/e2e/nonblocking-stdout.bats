#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A stdout left non-blocking (O_NONBLOCK on a shared pipe) is waited on when
# it is full, as a blocking one is: EAGAIN is no error and no line is lost.

load helpers

setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

@test "a non-blocking stdout whose reader starts late: every line, status 0" {
	local pad out
	pad=$(printf 'p%.0s' $(seq 500))
	# 300 lines of about 600 bytes: several times what a pipe holds
	out=$(
		python3 - "$EXECSNOOP" "$NOOP" "$TAG" "$pad" 2>"$WORK/err" <<'EOF2'
import os, subprocess, sys, time
tool, noop, tag, pad = sys.argv[1:5]
r, w = os.pipe()
os.set_blocking(w, False)
cmd = 'i=0; while [ $i -lt 300 ]; do i=$((i + 1)); %s %s-$i %s; done' % (noop, tag, pad)
p = subprocess.Popen([tool, "--", "sh", "-c", cmd], stdout=w)
os.close(w)
time.sleep(3)
data = b""
while True:
    chunk = os.read(r, 65536)
    if not chunk:
        break
    data += chunk
sys.stdout.write(data.decode(errors="replace"))
print("STATUS %d" % p.wait())
EOF2
	)
	[[ $out == *"STATUS 0" ]] || fail "execsnoop did not exit 0:" "$(tail -3 <<<"$out")" "$(cat "$WORK/err")"
	assert_eq 300 "$(grep -c -- " $TAG-[0-9]* $pad\$" <<<"$out")" "lines of the 300 execs"
	assert_eq "" "$(cat "$WORK/err")" "stderr"
}
