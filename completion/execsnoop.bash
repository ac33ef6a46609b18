# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# bash completion for execsnoop(8): options, and the values of those that take one.
#
# TO EXTEND: a new option goes into _execsnoop_options as --help lists it
# (with "=" when it takes a value); its values, if it has a known set, into
# _execsnoop_values. tests/dist/completion.bats checks that --help and this
# list agree.

_execsnoop_options='-t --timestamp -T --time -x --fails -u --uid= -U --print-uid -q --quote
	-j --json --journal -e --exits -n --name= -l --line= -P --ppid= -c --cgroup= --container --cwd
	-p --pid= --tree -s --summary --interval= --metrics= --quiet --keep-root
	--max-args= --priority= --ring-size=
	--run-as= --login --privilege --privileged --env= --hash -v --verbose -h --help -V --version'

# Names offered for --env (any name or glob pattern is taken).
_execsnoop_env_names='LD_PRELOAD LD_LIBRARY_PATH LD_AUDIT PATH HOME USER SHELL PWD SUDO_USER SSH_CONNECTION'

# Options whose value is the next word when it is not joined with "=".
_execsnoop_takes_value() {
	case $1 in
	-u | --uid | -n | --name | -l | --line | -P | --ppid | -c | --cgroup | --max-args | \
		-p | --pid | --interval | --metrics | \
		--priority | --ring-size | --run-as | --env) return 0 ;;
	esac
	return 1
}

# Directories starting with $1 that are cgroup v2 directories, or on the way to one.
_execsnoop_cgroups() {
	local cur=$1 d r
	local -a roots=()
	mapfile -t roots < <(awk '$3 == "cgroup2" { print $2 }' /proc/mounts 2>/dev/null)
	if [[ -z $cur ]]; then
		for r in "${roots[@]}"; do
			COMPREPLY+=("$r/")
		done
	else
		while IFS= read -r d; do
			for r in "${roots[@]}"; do
				if [[ $d/ == "$r"/* || $r/ == "$d"/* ]]; then
					COMPREPLY+=("$d/")
					break
				fi
			done
		done < <(compgen -d -- "$cur")
	fi
	compopt -o nospace 2>/dev/null
}

# Fills COMPREPLY with the values of option $1 that start with $2.
_execsnoop_values() {
	local opt=$1 cur=$2 head=''
	case $opt in
	-u | --uid | --run-as)
		mapfile -t COMPREPLY < <(compgen -u -- "$cur")
		;;
	-P | --ppid | -p | --pid)
		mapfile -t COMPREPLY < <(compgen -W "$(cd /proc 2>/dev/null && printf '%s ' [1-9]*)" -- "$cur")
		;;
	-c | --cgroup)
		_execsnoop_cgroups "$cur"
		;;
	--priority)
		mapfile -t COMPREPLY < <(compgen -W 'boost realtime none' -- "$cur")
		;;
	--metrics)
		mapfile -t COMPREPLY < <(compgen -f -- "$cur")
		compopt -o filenames 2>/dev/null
		;;
	--ring-size)
		mapfile -t COMPREPLY < <(compgen -W '128K 256K 512K 1M 2M 4M 8M 16M 32M 64M 128M 256M 512M 1G' -- "$cur")
		;;
	--env)
		# a few names often asked for, as the last item of a comma-separated list
		[[ $cur == *,* ]] && head=${cur%,*},
		mapfile -t COMPREPLY < <(compgen -P "$head" -W "$_execsnoop_env_names" -- "${cur##*,}")
		compopt -o nospace 2>/dev/null
		;;
	*)
		# free text or a number (-n, -l, --max-args): nothing to offer
		COMPREPLY=()
		;;
	esac
}

_execsnoop() {
	local cur=${COMP_WORDS[COMP_CWORD]} prev='' opt i
	((COMP_CWORD > 0)) && prev=${COMP_WORDS[COMP_CWORD - 1]}
	COMPREPLY=()

	# after "--": a command and its own arguments
	for ((i = 1; i < COMP_CWORD; i++)); do
		[[ ${COMP_WORDS[i]} == -- ]] || continue
		if ((COMP_CWORD == i + 1)); then
			mapfile -t COMPREPLY < <(compgen -c -- "$cur" | sort -u)
		elif declare -F _command_offset >/dev/null; then
			_command_offset $((i + 1))
		else
			mapfile -t COMPREPLY < <(compgen -f -- "$cur")
			compopt -o filenames 2>/dev/null
		fi
		return 0
	done

	# --opt=value: bash splits it at "=" into "--opt" "=" "value" by default
	if [[ $cur == = ]] && _execsnoop_takes_value "$prev"; then
		_execsnoop_values "$prev" ''
		return 0
	fi
	if [[ $prev == = ]] && ((COMP_CWORD > 1)) &&
		_execsnoop_takes_value "${COMP_WORDS[COMP_CWORD - 2]}"; then
		_execsnoop_values "${COMP_WORDS[COMP_CWORD - 2]}" "$cur"
		return 0
	fi
	# ... or kept whole, when COMP_WORDBREAKS has no "="
	if [[ $cur == --*=* ]]; then
		opt=${cur%%=*}
		_execsnoop_values "$opt" "${cur#*=}"
		for i in "${!COMPREPLY[@]}"; do
			COMPREPLY[i]=$opt=${COMPREPLY[i]}
		done
		return 0
	fi
	if _execsnoop_takes_value "$prev"; then
		_execsnoop_values "$prev" "$cur"
		return 0
	fi

	if [[ -z $cur || $cur == -* ]]; then
		# shellcheck disable=SC2086
		mapfile -t COMPREPLY < <(compgen -W "$_execsnoop_options" -- "$cur")
		[[ ${#COMPREPLY[@]} -eq 1 && ${COMPREPLY[0]} == *= ]] && compopt -o nospace 2>/dev/null
	fi
	return 0
}

complete -F _execsnoop execsnoop
