#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Bash and zsh completion: every option --help lists and no other, and the
# values of those that take one.

load ../e2e/helpers

BASH_COMP=$E2E_ROOT/completion/execsnoop.bash
ZSH_DIR=$E2E_ROOT/completion

setup() {
	[[ -x $EXECSNOOP ]] || fail "no $EXECSNOOP: build it with make"
	WORK=$(mktemp -d /tmp/execsnoop-comp.XXXXXX)
}

teardown() {
	rm -rf "$WORK"
}

# The options --help lists, one per line, long ones without "=".
help_options() {
	"$EXECSNOOP" --help | grep -oE '^ +(-[A-Za-z], )?--[a-z-]+' | grep -oE -- '-[A-Za-z]|--[a-z-]+' | sort
}

# Completes the words given (the last one is the word being completed) in a
# fresh bash, with bash-completion loaded first when BASH_COMPLETION is set;
# prints the candidates, one per line.
complete_bash() {
	bash --norc --noprofile -c '
		[[ -z $BASH_COMPLETION ]] || source "$BASH_COMPLETION"
		source "$1"
		shift
		COMP_WORDS=("$@")
		COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
		COMP_LINE="$*"
		COMP_POINT=${#COMP_LINE}
		_execsnoop execsnoop "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD - 1]}"
		printf "%s\n" "${COMPREPLY[@]}"' _ "$BASH_COMP" execsnoop "$@"
}

@test "bash: every option --help lists, and no other" {
	local seen
	seen=$(complete_bash - | sed 's/=$//' | sort)
	assert_eq "$(help_options)" "$seen" "options of --help (expected) and completed after - (seen)"
}

@test "bash: long options that take a value end in =" {
	local seen
	seen=$(complete_bash --r)
	assert_eq $'--ring-size=\n--run-as=' "$seen" "completions of --r"
	assert_eq "--priority=" "$(complete_bash --prio)" "completions of --prio"
}

@test "bash: --priority values, as the next word, after = and joined" {
	assert_eq $'boost\nrealtime\nnone' "$(complete_bash --priority '')" "--priority <TAB>"
	assert_eq "realtime" "$(complete_bash --priority = r)" "--priority=r<TAB>"
	assert_eq $'boost\nrealtime\nnone' "$(complete_bash --priority =)" "--priority=<TAB>"
	# one word when COMP_WORDBREAKS has no =
	assert_eq "--priority=none" "$(complete_bash --priority=n)" "--priority=n<TAB> kept whole"
}

@test "bash: --ring-size sizes" {
	assert_eq $'128K\n1M\n16M\n128M\n1G' "$(complete_bash --ring-size 1)" "--ring-size 1<TAB>"
}

@test "bash: user names for -u, --uid and --run-as" {
	local u
	u=$(id -un)
	complete_bash -u "${u:0:2}" | grep -qx "$u" || fail "-u ${u:0:2}<TAB> does not offer $u"
	complete_bash --uid = "${u:0:2}" | grep -qx "$u" || fail "--uid=${u:0:2}<TAB> does not offer $u"
	complete_bash --run-as "${u:0:2}" | grep -qx "$u" || fail "--run-as ${u:0:2}<TAB> does not offer $u"
}

@test "bash: pids for -P" {
	complete_bash -P "$$" | grep -qx "$$" || fail "-P $$<TAB> does not offer pid $$"
	complete_bash --ppid = 1 | grep -qx 1 || fail "--ppid=1<TAB> does not offer pid 1"
	! complete_bash -P '' | grep -qv '^[0-9]*$' || fail "-P <TAB> offers something else than pids"
}

@test "bash: cgroup v2 directories for -c" {
	local root seen d
	root=$(cgroup2_root)
	[[ -n $root ]] || skip "no cgroup v2 hierarchy mounted"
	assert_eq "$root/" "$(complete_bash -c '')" "-c <TAB>: the cgroup v2 mount point"
	seen=$(complete_bash -c "$root/")
	while IFS= read -r d; do
		[[ -z $d ]] && continue
		[[ $d == "$root"/*/ && -d $d && -e ${d}cgroup.procs ]] || fail "-c $root/<TAB> offers $d, not a cgroup v2 directory"
	done <<<"$seen"
	# a plain directory that is no cgroup v2 directory is not offered
	mkdir -p "$WORK/notcg/sub"
	assert_eq "" "$(complete_bash -c "$WORK/notcg/")" "-c $WORK/notcg/<TAB>"
}

@test "bash: after --, a command, then its own completion" {
	complete_bash -t -- bas | grep -qx bash || fail "-- bas<TAB> does not offer bash"
	# bash-completion gives the command's own completion: here execsnoop's, under -- execsnoop
	[[ -r /usr/share/bash-completion/bash_completion ]] || skip "bash-completion is not installed"
	BASH_COMPLETION=/usr/share/bash-completion/bash_completion
	export BASH_COMPLETION
	assert_eq "--priority=" "$(complete_bash -- execsnoop --prio)" "-- execsnoop --prio<TAB>"
}

@test "bash: no value is offered for free text and numbers" {
	assert_eq "" "$(complete_bash -n '')" "-n <TAB>"
	assert_eq "" "$(complete_bash --max-args '')" "--max-args <TAB>"
}

# Completes LINE in an interactive zsh under zpty; prints the candidates, one per line.
complete_zsh() {
	zsh -f -c '
		zmodload zsh/zpty
		zpty z zsh -f -i
		zpty -w z "PS1=; fpath=($1 \$fpath); autoload -Uz compinit; compinit -u -D"
		zpty -w z "compadd () { local -a h; builtin compadd -O h \"\$@\"; ((\$#h)) && print -r -l -- \"H\"\"IT \${^h[@]}\"; builtin compadd \"\$@\"; }"
		zpty -w z "t () { zle complete-word; print -r -- \"END\"\"HITS\"; }; zle -N t; bindkey \"^T\" t"
		zpty -n -w z "$2"$'\''\x14'\''
		while zpty -r z line; do
			[[ $line == *ENDHITS* ]] && break
			[[ $line == *HIT\ * ]] && print -r -- "${line##*HIT }"
		done
		zpty -d z' _ "$ZSH_DIR" "$1" | tr -d '\r' | grep -v '^$'
}

@test "zsh: every option --help lists, and no other" {
	command -v zsh >/dev/null || skip "no zsh"
	local seen
	seen=$(timeout 60 bash -c "$(declare -f complete_zsh); ZSH_DIR=$ZSH_DIR complete_zsh 'execsnoop -'" | sort -u)
	assert_eq "$(help_options)" "$seen" "options of --help (expected) and completed by zsh after - (seen)"
}

@test "zsh: values and the command after --" {
	command -v zsh >/dev/null || skip "no zsh"
	local z
	z() { timeout 60 bash -c "$(declare -f complete_zsh); ZSH_DIR=$ZSH_DIR complete_zsh '$1'"; }
	assert_eq $'boost\nrealtime\nnone' "$(z 'execsnoop --priority=')" "zsh: --priority=<TAB>"
	z "execsnoop -u $(id -un | cut -c1-2)" | grep -qx "$(id -un)" || fail "zsh: -u does not offer $(id -un)"
	z 'execsnoop -x -- bas' | grep -qx bash || fail "zsh: -- bas<TAB> does not offer bash"
}
