#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -q/--quote wraps every word, the path included, in "...", escaping " and \
# inside, so that the line can be parsed back into the exact argument bytes.
# The lines expected are written out here: the escaping rules themselves are
# unit-tested (tests/unit/test_record.c).

load helpers

# ARGS of the line for the exec of record L of $EXP (by its pid).
args_of() { # L
	local pid line
	pid=$(record_field "$EXP" "$1" 5)
	line=$(tool_lines_with "" | awk -v p="$pid" '$2 == p')
	printf '%s' "${line#* * * * }"
}

@test "-q quotes every word and escapes quote and backslash" {
	tool_start -q
	run_execer exec "$NOOP" "$TAG" 'say "hi"' 'C:\dir\' 'a\nb' '\"' "" "two words" "'"
	tool_sync
	tool_stop
	local want
	want=$(
		cat <<'EOF'
"say \"hi\"" "C:\\dir\\" "a\\nb" "\\\"" "" "two words" "'"
EOF
	)
	assert_eq "\"$NOOP\" \"$TAG\" $want" "$(args_of 1)" "ARGS with -q"
}

@test "-q keeps escaping control and non-UTF-8 bytes" {
	tool_start --quote
	run_execer exec "$NOOP" "$TAG" $'line\nbreak' $'\t"\\' $'\xff\xc3\xa9' "héllo" $'\xc2\x85'
	tool_sync
	tool_stop
	local want
	want=$(
		cat <<'EOF'
"line\nbreak" "\t\"\\" "\xffé" "héllo" "\xc2\x85"
EOF
	)
	assert_eq "\"$NOOP\" \"$TAG\" $want" "$(args_of 1)" "ARGS with --quote"
}

@test "-q quotes the path of execveat as well" {
	mkdir "$WORK/d q"
	cp "$NOOP" "$WORK/d q/p\"rog"
	tool_start -q
	run_execer exec "$WORK/d q/p\"rog" "$TAG"
	run_execer -F 7 execveat "$WORK/d q" "p\"rog" "$TAG"
	run_execer -F 7 fexecve "$WORK/d q/p\"rog" "$TAG"
	tool_sync
	tool_stop
	assert_eq "\"$WORK/d q/p\\\"rog\" \"$TAG\"" "$(args_of 1)" "ARGS of execve"
	assert_eq "\"/dev/fd/7/p\\\"rog\" \"$TAG\"" "$(args_of 2)" "ARGS of execveat"
	assert_eq "\"/dev/fd/7\" \"$TAG\"" "$(args_of 3)" "ARGS of fexecve"
}

@test "-q lines parse back into the exact arguments" {
	local -a args=("$TAG" 'a "b" c' 'back\\slash\' $'\xff\x01' "" "é")
	tool_start -q
	run_execer exec "$NOOP" "${args[@]}"
	tool_sync
	tool_stop
	local pid line
	pid=$(record_field "$EXP" 1 5)
	line=$(tool_lines_with "\"$TAG\"" | awk -v p="$pid" '$2 == p')
	[[ -n $line ]] || fail "no line for PID $pid"
	# undo the quoting with printf %b after turning each "..." into one array element
	local rest=${line#* * * * } word
	local -a got=()
	while [[ $rest =~ ^\"((\\.|[^\"\\])*)\"\ ? ]]; do
		word=${BASH_REMATCH[1]}
		rest=${rest:${#BASH_REMATCH[0]}}
		got+=("$(printf '%b_' "${word//\\\"/\"}")")
	done
	assert_eq "" "$rest" "text left after the quoted words"
	assert_eq "$NOOP" "${got[0]%_}" "path parsed back"
	local i
	for i in "${!args[@]}"; do
		assert_eq "${args[i]}" "${got[i + 1]%_}" "argument $((i + 1)) parsed back"
	done
	assert_eq $((${#args[@]} + 1)) "${#got[@]}" "words parsed back"
}
