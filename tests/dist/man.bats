#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# execsnoop.8 is clean roff, renders with man, and documents exactly the
# options that --help lists.

load ../e2e/helpers

MAN=$E2E_ROOT/execsnoop.8

setup() {
	[[ -x $EXECSNOOP ]] || fail "no $EXECSNOOP: build it with make"
}

teardown() {
	:
}

# The options of a help text or rendered OPTIONS section, one per line, such as "-t --timestamp".
help_options() {
	"$EXECSNOOP" --help | sed -n 's/^  \(-[A-Za-z]\), \(--[a-z-]*\).*/\1 \2/p; s/^      \(--[a-z-]*\).*/\1/p'
}

man_options() {
	MANWIDTH=200 man -l "$MAN" 2>/dev/null | col -b |
		sed -n '/^OPTIONS/,/^[A-Z]/p' |
		sed -n 's/^       \(-[A-Za-z]\), \(--[a-z-]*\).*/\1 \2/p; s/^       \(--[a-z-]*\).*/\1/p'
}

@test "mandoc -T lint: no warning" {
	command -v mandoc >/dev/null || skip "no mandoc (Debian package mandoc)"
	local out
	out=$(mandoc -T lint -W warning "$MAN" 2>&1) || fail "mandoc -T lint failed:" "$out"
	assert_eq "" "$out" "mandoc -T lint -W warning"
}

@test "groff: no warning" {
	command -v groff >/dev/null || skip "no groff"
	local out
	out=$(groff -man -ww -z "$MAN" 2>&1)
	assert_eq "" "$out" "groff -man -ww -z"
}

@test "man ./execsnoop.8 renders every section" {
	local page s
	page=$(MANWIDTH=80 man -l "$MAN" 2>/dev/null | col -b)
	for s in NAME SYNOPSIS DESCRIPTION OPTIONS OUTPUT "LOSSES AND STDERR" "EXIT STATUS" SIGNALS \
		SECURITY FILES EXAMPLES "DIFFERENCES FROM BCC" "SEE ALSO"; do
		grep -qx "$s" <<<"$page" || fail "no section $s in the rendered page"
	done
	grep -q 'execsnoop -t -x' <<<"$page" || fail "no spike-hunt example (execsnoop -t -x)"
	grep -q 'execsnoop -T -x > ' <<<"$page" || fail "no record example (execsnoop -T -x > file)"
}

@test "every option --help lists has an entry under OPTIONS, and no other" {
	local help man
	help=$(help_options | sort)
	man=$(man_options | sort)
	[[ $(wc -l <<<"$help") -ge 16 ]] || fail "could not read the options from --help:" "$help"
	assert_eq "$help" "$man" "options of --help (expected) and of the man page (seen)"
}

@test "the man page's version is the tool's" {
	local v
	v=$("$EXECSNOOP" --version)
	grep -q "^\.TH EXECSNOOP 8 [0-9-]* \"$v\"" "$MAN" || fail "the .TH line does not say \"$v\":" "$(grep '^\.TH' "$MAN")"
}
