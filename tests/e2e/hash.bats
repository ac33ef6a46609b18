#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --hash: the SHA-256 of the file each exec ran, read only while the file is
# still the one the kernel executed (device, inode, size, change time), else
# null with the reason. Known answers come from sha256sum of copies of noop.

load helpers

setup() {
	e2e_setup
	BIN=$WORK/bin
	mkdir "$BIN"
	chmod 755 "$BIN"
	cp "$NOOP" "$BIN/a"
	cp "$NOOP" "$BIN/b"
	# b differs from a by one appended byte: another digest
	printf x >>"$BIN/b"
	chmod 755 "$BIN"/*
}

# "sha256 sha256_error" of the exec whose last argument is ARG, from the JSON output.
hash_of() { # ARG
	OUT=$TOOL_OUT ARG=$1 /usr/bin/python3 -c '
import json, os
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"] and o["args"][-1] == os.environ["ARG"]:
        print(o["sha256"], o["sha256_error"])
'
}

sum_of() {
	sha256sum "$1" | cut -d' ' -f1
}

@test "the digest of the file that ran, the same for each exec of it" {
	# a file whose times were read: Linux 6.13 marks it in the ctime's nanoseconds
	stat "$BIN/a" "$BIN/b" >/dev/null
	tool_start -j --hash
	"$BIN/a" "$TAG" first
	"$BIN/a" "$TAG" second
	"$BIN/b" "$TAG" other
	tool_sync
	tool_stop
	assert_eq "$(sum_of "$BIN/a") None" "$(hash_of first)" "the first exec of a"
	assert_eq "$(sum_of "$BIN/a") None" "$(hash_of second)" "the second exec of a (cached)"
	assert_eq "$(sum_of "$BIN/b") None" "$(hash_of other)" "b, one byte longer"
}

@test "a failed exec has no file: null and no reason" {
	tool_start -j -x --hash
	cat >"$WORK/f.py" <<'EOF'
import os, sys
try:
    os.execv(sys.argv[1], [sys.argv[1], sys.argv[2], "failed"])
except OSError:
    pass
EOF
	python3 "$WORK/f.py" "$WORK/no-such-file" "$TAG"
	tool_sync
	tool_stop
	assert_eq "None None" "$(hash_of failed)" "a failed exec"
}

@test "a binary replaced after its exec, while its process runs: the digest of what ran" {
	cp /bin/sh "$BIN/sleeper"
	local want
	want=$(sum_of "$BIN/sleeper")
	tool_start -j --hash
	"$BIN/sleeper" -c 'sleep 3; :' "$TAG" &
	local pid=$!
	# replaced at once, as an update does it: a new file renamed over the path
	cp "$BIN/b" "$BIN/new"
	mv -f "$BIN/new" "$BIN/sleeper"
	tool_sync
	wait "$pid"
	tool_stop
	local got
	got=$(OUT=$TOOL_OUT TAG=$TAG /usr/bin/python3 -c '
import json, os
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"] and o["args"][-1] == os.environ["TAG"]:
        print(o["sha256"], o["sha256_error"])
')
	# the new file's digest would be a wrong answer; the old one's or a reason are right
	[[ $got != "$(sum_of "$BIN/b") "* ]] || fail "the digest of the file put there after the exec: $got"
	[[ $got == "$want None" || $got == "None changed" || $got == "None deleted" ]] ||
		fail "expected the digest of what ran ($want) or a reason, got: $got"
}

@test "changed, deleted and memfd, while execsnoop could not read: null and the reason" {
	tool_start -j --hash
	cp "$NOOP" "$BIN/edit"
	cp "$NOOP" "$BIN/gone"
	# the kernel still writes the records; execsnoop reads them after the files changed
	kill -STOP "$TOOL_PID"
	"$BIN/a" "$TAG" kept
	"$BIN/edit" "$TAG" edited
	"$BIN/gone" "$TAG" removed
	python3 - "$NOOP" "$TAG" <<'EOF'
import os, sys
fd = os.memfd_create("hidden", 0)
os.write(fd, open(sys.argv[1], "rb").read())
if os.fork() == 0:
    os.execv("/proc/self/fd/%d" % fd, ["hidden", sys.argv[2], "memfd"])
os.wait()
EOF
	printf y >>"$BIN/edit"
	rm "$BIN/gone"
	kill -CONT "$TOOL_PID"
	tool_sync
	tool_stop
	assert_eq "$(sum_of "$BIN/a") None" "$(hash_of kept)" "an unchanged file"
	assert_eq "None changed" "$(hash_of edited)" "a file written to after its exec"
	assert_eq "None deleted" "$(hash_of removed)" "a file removed after its exec"
	assert_eq "None memfd" "$(hash_of memfd)" "a memfd"
}

@test "the SHA256 column in text" {
	tool_start --hash
	"$BIN/a" "$TAG" text
	tool_sync
	tool_stop
	grep -qE '^PCOMM +PID +PPID +RET SHA256 ARGS$' "$TOOL_OUT" ||
		fail "no SHA256 column in the header: $(head -1 "$TOOL_OUT")"
	local line
	line=$(grep -F -- "$TAG text" "$TOOL_OUT")
	[[ $line == *" 0 $(sum_of "$BIN/a") $BIN/a $TAG text" ]] ||
		fail "expected the digest before ARGS: $line"
}

@test "lines stay in time order while digests are computed" {
	local i
	# each a file of its own, 4 MiB: each digest takes a while
	for i in $(seq 1 20); do
		cp "$NOOP" "$BIN/n$i"
		head -c $((4 << 20)) /dev/urandom >>"$BIN/n$i"
	done
	chmod 755 "$BIN"/*
	tool_start -j --hash
	for i in $(seq 1 20); do
		"$BIN/n$i" "$TAG" "n$i"
		"$NOOP" "$TAG" "plain$i"
	done
	tool_sync
	tool_stop
	OUT=$TOOL_OUT TAG=$TAG /usr/bin/python3 -c '
import json, os, sys
last = 0
seen = 0
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["ts_ns"] < last:
        sys.exit("time went back at %s" % line)
    last = o["ts_ns"]
    if o["type"] == "exec" and o["args"] and o["args"][0] == os.environ["TAG"]:
        seen += 1
        if o["sha256"] is None:
            sys.exit("no digest: %s" % line)
if seen != 40:
    sys.exit("%d of 40 execs seen" % seen)
' || fail "the order or the digests"
}

@test "--hash keeps only the capabilities to read files" {
	tool_start -j --hash
	local eff
	eff=$(awk '/^CapEff/ { print $2 }' "/proc/$TOOL_PID/status")
	tool_stop
	# CAP_DAC_READ_SEARCH (2) and CAP_SYS_PTRACE (19)
	assert_eq 0000000000080004 "$eff" "the effective capabilities with --hash"
}

@test "an exec that -n leaves out: its file is never read" {
	cp "$NOOP" "$BIN/big"
	head -c $((64 << 20)) /dev/urandom >>"$BIN/big"
	chmod 755 "$BIN/big"
	tool_start -j --hash -n noop
	local before after
	before=$(awk '/^rchar/ { print $2 }' "/proc/$TOOL_PID/io")
	"$BIN/big" "$TAG" left-out
	"$NOOP" "$TAG" shown
	tool_sync
	after=$(awk '/^rchar/ { print $2 }' "/proc/$TOOL_PID/io")
	tool_stop
	((after - before < 32 << 20)) ||
		fail "execsnoop read $((after - before)) bytes: the 64 MiB file of an exec it does not show"
	assert_eq "" "$(hash_of left-out)" "the exec left out"
	assert_eq "$(sum_of "$NOOP") None" "$(hash_of shown)" "the exec shown"
}
