#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# A start relocates the programs against the part of the kernel's BTF kept
# under /run/execsnoop for the boot, instead of parsing the whole: the same
# relocations, and a kept file that is damaged, or that another user could
# have written, is never trusted.

load helpers

CACHE=/run/execsnoop
WHOLE="loading kernel BTF '/sys/kernel/btf/vmlinux'"

setup() {
	e2e_setup
}

teardown() {
	e2e_teardown
}

# One start that traces, then a stop; -v: libbpf's log in $TOOL_ERR.
traced_once() { # OPTIONS...
	tool_start -j "$@"
	tool_stop INT
}

# The relocations libbpf logged, without the type ids, which differ between the two BTFs.
relocations() {
	grep 'relo #' "$TOOL_ERR" | sed -E 's/\[[0-9]+\]/[]/g'
}

kept() {
	ls "$CACHE"/btf-* 2>/dev/null
}

@test "a start keeps the kernel BTF's part; the next relocates against it alike" {
	rm -rf "$CACHE"
	traced_once -v
	grep -qF "$WHOLE" "$TOOL_ERR" || fail "with nothing kept, the whole BTF was not loaded"
	relocations >"$WORK/whole"
	[[ $(grep -c 'patched insn' "$WORK/whole") -gt 50 ]] ||
		fail "fewer relocations logged than expected:" "$(head -5 "$WORK/whole")"
	[[ $(kept | wc -l) -eq 1 ]] || fail "not one file kept in $CACHE:" "$(ls -la "$CACHE")"
	[[ $(stat -c '%a %u' "$CACHE") == "700 0" && $(stat -c '%a %u' "$(kept)") == "600 0" ]] ||
		fail "what is kept is not root's alone:" "$(ls -la "$CACHE")"
	traced_once -v
	! grep -qF "$WHOLE" "$TOOL_ERR" || fail "the second start loaded the whole BTF again"
	relocations >"$WORK/part"
	diff "$WORK/whole" "$WORK/part" >"$WORK/diff" ||
		fail "the relocations differ (whole BTF <, kept part >):" "$(head -20 "$WORK/diff")"
}

@test "a damaged kept file: the start loads the whole BTF, says nothing, and keeps a good one" {
	local file
	traced_once
	file=$(kept)
	[[ -n $file ]] || fail "nothing kept in $CACHE"
	head -c 20000 /dev/urandom >"$file"
	cp "$file" "$WORK/damaged"
	traced_once
	[[ ! -s $TOOL_ERR ]] || fail "stderr is not empty:" "$(cat "$TOOL_ERR")"
	! cmp -s "$file" "$WORK/damaged" || fail "the damaged file was kept"
	traced_once -v
	! grep -qF "$WHOLE" "$TOOL_ERR" || fail "the file kept after the damage was not used"
}

@test "one file is kept: a start that keeps its own removes those of other builds or boots" {
	local file
	traced_once
	file=$(kept)
	[[ $(wc -l <<<"$file") -eq 1 ]] || fail "not one file kept:" "$(ls -la "$CACHE")"
	cp "$file" "$CACHE/btf-0000000000000000"
	rm "$file"
	traced_once
	[[ $(kept) == "$file" ]] || fail "the other build's file is still there:" "$(ls -la "$CACHE")"
}

@test "a kept file another user could write is not used, and is replaced" {
	local file
	traced_once
	file=$(kept)
	[[ -n $file ]] || fail "nothing kept in $CACHE"
	chmod 666 "$file"
	traced_once -v
	grep -qF "$WHOLE" "$TOOL_ERR" || fail "a file others can write was used"
	[[ $(stat -c %a "$file") == 600 ]] || fail "it was not replaced: mode $(stat -c %a "$file")"
}
