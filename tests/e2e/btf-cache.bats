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
	rm -rf "$CACHE"
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

@test "four files are kept: a start that keeps its own removes the oldest of other builds" {
	local file
	traced_once
	file=$(kept)
	[[ $(wc -l <<<"$file") -eq 1 ]] || fail "not one file kept:" "$(ls -la "$CACHE")"
	for n in 1 2 3 4; do
		cp "$file" "$CACHE/btf-000000000000000$n"
		touch -d "-$((10 - n)) min" "$CACHE/btf-000000000000000$n"
	done
	# a start stopped while writing its own: gone once it is a minute old
	cp "$file" "$CACHE/btf-00000000000000ff.Ab12Cd"
	touch -d "-2 min" "$CACHE/btf-00000000000000ff.Ab12Cd"
	rm "$file"
	traced_once
	assert_eq "$(printf '%s\n' "$CACHE"/btf-000000000000000{2,3,4} "$file" | sort)" \
		"$(kept | sort)" "the files kept"
	[[ ! -e $CACHE/btf-00000000000000ff.Ab12Cd ]] || fail "a stale temporary file is still there"
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
