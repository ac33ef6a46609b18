#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop -- make -j4 against ground truth: strace -f on the same build
# sees exactly the same successful execs (path and arguments), none missing
# and none extra; so does a shell pipeline.

load helpers

COMPARE=$E2E_ROOT/tests/helpers/exec_compare.py

setup() {
	e2e_setup
	command -v strace >/dev/null || skip "strace is not installed (scripts/install-deps.sh installs it)"
}

# A small C project: 12 units, a $(shell) pipeline, a recipe with a subshell and pipes.
make_project() { # DIR
	mkdir -p "$1"
	for i in $(seq 12); do
		printf 'int f%d(int x) { return x * %d; }\n' "$i" "$i" >"$1/f$i.c"
	done
	{
		for i in $(seq 12); do printf 'int f%d(int);\n' "$i"; done
		printf 'int main(void) { return f1(0)'
		for i in $(seq 2 12); do printf ' + f%d(0)' "$i"; done
		printf '; }\n'
	} >"$1/main.c"
	cat >"$1/Makefile" <<'MK'
OBJS := $(patsubst %.c,%.o,$(wildcard *.c))
KERNEL := $(shell uname -r | cut -d. -f1)
all: prog gen.txt
prog: $(OBJS)
	$(CC) -o $@ $^
%.o: %.c
	$(CC) -O1 -c $< -o $@
gen.txt:
	@(cd / && echo $(KERNEL)) | tr 0-9 a-j >$@; for i in 1 2 3; do echo $$i; done | sort -r >>$@
clean:
	rm -f *.o prog gen.txt
MK
}

# Runs COMMAND... under strace -f, then under execsnoop -j --, and compares.
compare() {
	strace -f -qq -s 65535 -e trace=execve -e signal=none -o "$WORK/strace.txt" "$@" \
		>/dev/null 2>"$WORK/strace.err" || fail "under strace, $* failed:" "$(cat "$WORK/strace.err")"
	[[ -z ${CLEAN:-} ]] || $CLEAN
	"$EXECSNOOP" -j -- "$@" >"$WORK/execsnoop.json" 2>"$WORK/execsnoop.err" ||
		fail "under execsnoop, $* failed:" "$(cat "$WORK/execsnoop.err")"
	python3 "$COMPARE" "$WORK/strace.txt" "$WORK/execsnoop.json" >"$WORK/compare.txt" ||
		fail "execsnoop's execs differ from strace's:" "$(head -40 "$WORK/compare.txt")"
	echo "# $(head -1 "$WORK/compare.txt")" >&3
}

@test "-- make -j4 of a C project: the same execs as strace -f" {
	make_project "$WORK/proj"
	CLEAN="make -s -C $WORK/proj clean" compare make -s -j4 -C "$WORK/proj"
	local n
	n=$(grep -c '"type":"exec"' "$WORK/execsnoop.json")
	((n >= 30)) || fail "only $n execs: the build did not run?"
}

@test "-- a shell pipeline with subshells and command substitution: the same execs as strace -f" {
	compare sh -c "ls / | sort -r | head -3; x=\$(echo a | tr a b); (cd / && ls >/dev/null) & wait; echo \$x | cat"
}
