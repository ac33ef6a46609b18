#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Seeds for the fuzzers, from real runs: runs end-to-end tests (arguments of
# every kind, failed execs, execveat, scripts, threads, storms that fill the
# rings) with execsnoop-capture, which also writes every record it reads and
# the times it took them in; merges into tests/fuzz/corpus/ what adds
# coverage. Needs root, as the tests do. Run by: make capture
set -eu
cd "$(dirname "$0")/../.."

files=${CAPTURE_TESTS:-"argc-zero args-escaping args-quoting big-args exec-path execveat
	failed-execs max-args scripts thread-exec unfaulted-args pidns exec-chain order
	lost-events timestamps output-columns uid-filter privilege login-identity ancestors env hash
	interpreter"}

tmp=$(mktemp -d /tmp/execsnoop-capture.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/record" "$tmp/reorder" tests/fuzz/corpus/record tests/fuzz/corpus/reorder
# tests that run execsnoop as another user write here too
chmod 1777 "$tmp" "$tmp/record" "$tmp/reorder"

set --
for f in $files; do
	set -- "$@" "tests/e2e/$f.bats"
done
echo "capture: running $# end-to-end test files with .output/fuzz/execsnoop-capture"
EXECSNOOP_CAPTURE_DIR=$tmp EXECSNOOP=$PWD/.output/fuzz/execsnoop-capture bats "$@" ||
	echo "capture: some tests failed (the capture build is slower); the records are kept"
echo "capture: $(ls "$tmp/record" | wc -l) records, $(ls "$tmp/reorder" | wc -l) reorder traces"

for t in record reorder; do
	before=$(ls "tests/fuzz/corpus/$t" | wc -l)
	".output/fuzz/fuzz_$t" -merge=1 -max_len=65536 "tests/fuzz/corpus/$t" "$tmp/$t" \
		>"$tmp/merge-$t.log" 2>&1 || {
		tail -20 "$tmp/merge-$t.log"
		exit 1
	}
	echo "capture: tests/fuzz/corpus/$t: $before files before, $(ls "tests/fuzz/corpus/$t" | wc -l) now"
done
