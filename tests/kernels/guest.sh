#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The init of the test kernels' initramfs (busybox sh): runs execsnoop with
# each feature of the matrix around real execs, and sends for each what it
# printed, its status and the facts of the execs (pids, argument bytes) to the
# host, which judges them (tests/kernels/judge.py). Nothing is judged here.
#
# The data go out on the second serial port, one feature at a time:
#	KT-FEATURE NAME
#	base64 of a gzipped tar of its directory: out, err, status, facts, ...
#	KT-DONE NAME
# The kernel command line names the features: kt.features=a,b,...
# Files: /kt/execsnoop, /kt/noop, /kt/execer, /kt/exec_probe.sh, /kt/noop32.

export PATH=/bin:/sbin
ES=/kt/execsnoop
NOOP=/kt/noop
TICK=0.1
TRIES=600 # ticks to wait for execsnoop to start, or for its lines: 60 s

init() {
	/bin/busybox --install -s /bin
	mkdir -p /proc /sys /dev /tmp /r /etc
	mount -t proc proc /proc
	mount -t sysfs sysfs /sys
	mount -t devtmpfs devtmpfs /dev 2>/dev/null
	mount -t tmpfs tmpfs /tmp
	mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null
	mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 cgroup2 /sys/fs/cgroup
	echo 1 >/proc/sys/kernel/printk
	echo 'root:x:0:0:root:/:/bin/sh' >/etc/passwd
	echo 'nobody:x:65534:65534:nobody:/:/bin/sh' >>/etc/passwd
	printf 'root:x:0:\nnogroup:x:65534:\n' >/etc/group
	ln -s noop /kt/other
	ln -s noop /kt/summ
	DATA=/dev/ttyS1
	stty -F $DATA raw -echo 2>/dev/null
}

# Sends the results of feature F.
send() {
	{
		echo "KT-FEATURE $F"
		tar -C "$D" -cf - . | gzip -1 | base64
		echo "KT-DONE $F"
	} >$DATA
}

begin() { # FEATURE
	F=$1
	D=/r/$F
	mkdir -p "$D"
	: >"$D/facts"
	TP=
	AGENT=
	MARK=mark_noop
	echo "kt: $F" >/dev/console
}

fact() { # KEY VALUE
	printf '%s=%s\n' "$1" "$2" >>"$D/facts"
}

# The bytes of STRING in hex, for the facts.
hex() {
	printf '%s' "$1" | od -An -v -tx1 | tr -d ' \n'
}

alive() { # PID
	st=$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)
	[ -n "$st" ] && [ "$st" != Z ] && [ "$st" != X ]
}

mark_noop() {
	$NOOP "$1"
}

# Runs execsnoop OPTIONS... in the background and waits until a marker exec
# ($MARK ARG) shows in its output; returns 1 when execsnoop exited instead.
start() {
	printf '%s\n' "$*" >"$D/args"
	"$ES" "$@" >"$D/out" 2>"$D/err" </dev/null &
	TP=$!
	i=0
	while [ $i -lt $TRIES ]; do
		if ! alive "$TP"; then
			wait "$TP"
			echo $? >"$D/status"
			TP=
			return 1
		fi
		[ $((i % 10)) -ne 0 ] || $MARK "kt-ready-$i" >/dev/null 2>&1
		grep -q "kt-ready-" "$D/out" && return 0
		sleep $TICK
		i=$((i + 1))
	done
	echo "execsnoop printed no marker exec within 60 s" >"$D/timeout"
	stop
	return 1
}

# Waits until everything exec'd so far is printed (a marker exec shows).
tool_sync() {
	$MARK kt-sync >/dev/null 2>&1
	i=0
	while [ $i -lt $TRIES ] && ! grep -q kt-sync "$D/out"; do
		alive "$TP" || return 0
		sleep $TICK
		i=$((i + 1))
	done
}

# Stops execsnoop with SIGINT and records its status.
stop() {
	[ -n "$TP" ] || return 0
	kill -INT "$TP" 2>/dev/null
	i=0
	while alive "$TP" && [ $i -lt 300 ]; do
		sleep $TICK
		i=$((i + 1))
	done
	if alive "$TP"; then
		echo "execsnoop did not exit within 30 s of SIGINT" >"$D/timeout"
		kill -KILL "$TP"
	fi
	wait "$TP"
	echo $? >"$D/status"
	TP=
}

# A shell that runs the commands sent by agent_run as its children; SETUP
# first (e.g. joining a cgroup). AGENT is its pid.
agent_start() { # [SETUP]
	mkfifo "$D/agent.in" "$D/agent.out"
	sh -c 'eval "$1"; exec 7<"$2" 8>"$3"
		while read -r c <&7; do
			eval "$c" </dev/null >/dev/null 2>&1 7<&- 8>&-
			echo "done $?" >&8
		done' _ "${1:-:}" "$D/agent.in" "$D/agent.out" &
	AGENT=$!
	exec 5>"$D/agent.in" 6<"$D/agent.out"
	fact agent "$AGENT"
}

agent_run() { # COMMAND (one string, for eval)
	echo "$1" >&5
	read -r reply <&6
	[ "$reply" = "done 0" ]
}

agent_stop() {
	[ -n "$AGENT" ] || return 0
	exec 5>&- 6<&-
	kill "$AGENT" 2>/dev/null
	wait "$AGENT" 2>/dev/null
	AGENT=
}

mark_agent() {
	agent_run "$NOOP $1"
}

# The features. Each runs execsnoop with its option around execs that it
# must show (and some it must not), and records what the host needs to know.

# a plain exec: known comm, pid, ppid, args
plain_exec() { # TAG
	sh -c 'echo $$ >"$1"; exec "$2" "$3" "two words" 3' _ "$D/pid" $NOOP "$1"
	fact pid "$(cat "$D/pid")"
	fact ppid $$
}

f_plain() {
	begin plain
	start && { plain_exec kt-plain; tool_sync; stop; }
	send
}

f_x() {
	begin x
	start -x && {
		/bin/sh -c 'echo $$ >"$1"; exec /kt/missing-kt-x arg1' _ "$D/pid" 2>/dev/null
		fact fail_pid "$(cat "$D/pid")"
		plain_exec kt-x-ok
		tool_sync
		stop
	}
	send
}

f_t() {
	begin t
	start -t && { plain_exec kt-t; tool_sync; stop; }
	send
}

f_T() {
	begin T
	start -T && { plain_exec kt-T; tool_sync; stop; }
	send
}

f_U() {
	begin U
	start -U && {
		plain_exec kt-U
		su nobody -c "$NOOP kt-U-nobody"
		tool_sync
		stop
	}
	send
}

mark_nobody() {
	su nobody -c "$NOOP $1"
}

f_u() {
	begin u
	MARK=mark_nobody
	start -u 65534 && {
		$NOOP kt-u-root
		su nobody -c "$NOOP kt-u-nobody"
		tool_sync
		stop
	}
	send
}

f_q() {
	begin q
	start -q && {
		$NOOP kt-q 'a b' 'c"d' 'e\f'
		tool_sync
		stop
	}
	send
}

f_n() {
	begin n
	start -n noop && {
		$NOOP kt-n-yes
		/kt/other kt-n-no
		tool_sync
		stop
	}
	send
}

mark_line() {
	$NOOP "kt-l-yes-$1"
}

f_l() {
	begin l
	MARK=mark_line
	start -l kt-l-yes && {
		$NOOP kt-l-yes
		$NOOP kt-l-no
		tool_sync
		stop
	}
	send
}

f_P() {
	begin P
	agent_start
	MARK=mark_agent
	start -P "$AGENT" && {
		agent_run "$NOOP kt-P-yes"
		$NOOP kt-P-no
		tool_sync
		stop
	}
	agent_stop
	send
}

f_c() {
	begin c
	cg=/sys/fs/cgroup/kt-c
	mkdir -p $cg
	agent_start "echo \$\$ >$cg/cgroup.procs"
	MARK=mark_agent
	start -c $cg && {
		agent_run "$NOOP kt-c-yes"
		$NOOP kt-c-no
		tool_sync
		stop
	}
	agent_stop
	send
}

f_j() {
	begin j
	nl=$(printf 'a\nb')
	esc=$(printf '\033[31mred\033[0m')
	bad=$(printf '\377\376x')
	utf=$(printf 'h\303\251llo')
	start -j && {
		sh -c 'echo $$ >"$1"; shift; exec "$@"' _ "$D/pid" $NOOP kt-j "$nl" "$esc" "$bad" "$utf" ''
		fact pid "$(cat "$D/pid")"
		fact ppid $$
		fact args "$(hex kt-j) $(hex "$nl") $(hex "$esc") $(hex "$bad") $(hex "$utf") -"
		tool_sync
		stop
	}
	send
}

f_max_args() {
	begin max-args
	start --max-args=2 && {
		$NOOP kt-m a b c
		$NOOP kt-m2 a
		tool_sync
		stop
	}
	send
}

f_e() {
	begin e
	start -e && {
		/bin/sh -c 'exit 3' kt-e-code &
		fact code_pid $!
		wait $!
		/bin/sh -c 'kill -TERM $$' kt-e-signal &
		fact signal_pid $!
		wait $!
		fact ppid $$
		tool_sync
		stop
	}
	send
}

f_login() {
	begin login
	start --login && {
		# the audit login uid, which a process may set once while it is unset
		/bin/sh -c 'echo 1000 >/proc/self/loginuid && exec "$0" kt-login' $NOOP 2>"$D/loginuid.err"
		fact loginuid_status $?
		tool_sync
		stop
	}
	send
}

f_privilege() {
	begin privilege
	cp $NOOP /tmp/kt-suid && chmod 4755 /tmp/kt-suid
	start --privilege && {
		su nobody -s /bin/sh -c '/tmp/kt-suid kt-priv-suid'
		plain_exec kt-priv-none
		tool_sync
		stop
	}
	send
}

f_env() {
	begin env
	start -j --env 'KT_*' && {
		env -i KT_A=1 "KT_B=$(printf 'x\033y\377')" OTHER=2 $NOOP kt-env
		tool_sync
		stop
	}
	send
}

f_hash() {
	begin hash
	cp $NOOP /tmp/kt-hash
	fact sha256 "$(sha256sum /tmp/kt-hash | cut -d' ' -f1)"
	start -j --hash && {
		/tmp/kt-hash kt-hash
		tool_sync
		stop
	}
	send
}

f_interp() {
	begin interp
	printf '#!/bin/sh\nexit 0\n' >/tmp/kt-script
	chmod +x /tmp/kt-script
	start -j && {
		/tmp/kt-script kt-interp
		tool_sync
		stop
	}
	send
}

f_cwd() {
	begin cwd
	mkdir -p "/tmp/kt cwd/d"
	start --cwd && {
		(cd "/tmp/kt cwd/d" && $NOOP kt-cwd)
		tool_sync
		stop
	}
	send
}

f_tree() {
	begin tree
	start --tree && {
		/bin/sh -c '/bin/sh -c "$0 kt-tree-grandchild; true" kt-tree-child; true' $NOOP kt-tree-parent
		tool_sync
		stop
	}
	send
}

f_s() {
	begin s
	agent_start
	start -s && {
		agent_run "/kt/summ kt-s; /kt/summ kt-s; /kt/summ kt-s"
		tool_sync
		stop
	}
	agent_stop
	send
}

f_container() {
	begin container
	id=$(printf '%s' "kt-container-$$" | sha256sum | cut -c1-64)
	cg=/sys/fs/cgroup/docker-$id.scope
	mkdir -p "$cg"
	fact id "$id"
	agent_start "echo \$\$ >$cg/cgroup.procs"
	start --container && {
		agent_run "$NOOP kt-container-in"
		$NOOP kt-container-out
		tool_sync
		stop
	}
	agent_stop
	send
}

f_p() {
	begin p
	agent_start
	MARK=mark_agent
	start -p "$AGENT" && {
		agent_run "/bin/sh -c '$NOOP kt-p-grandchild; true' kt-p-child"
		$NOOP kt-p-out
		tool_sync
		stop
	}
	agent_stop
	send
}

f_cmd() {
	begin cmd
	echo "-- sh -c ..." >"$D/args"
	timeout 120 "$ES" -- sh -c "$NOOP kt-cmd-child; exit 5" kt-cmd >"$D/out" 2>"$D/err" </dev/null
	echo $? >"$D/status"
	send
}

# Runs the exec scenarios of execer ARGS... (one per line of $SCENARIOS)
# under execsnoop -j -x, when the probe (exec_probe.sh PROBE...) says this
# kernel runs them: ground truth from the helper's own status and the
# kernel's sched_process_exec tracepoint. The host compares the records.
records() { # PROBE...
	if ! /kt/exec_probe.sh "$@" >"$D/absent" 2>&1; then
		send
		return
	fi
	rm -f "$D/absent"
	start -j -x && {
		echo "$SCENARIOS" | while read -r s; do
			eval "/kt/execer -o $D/records $s" 2>>"$D/execer.err"
		done
		tool_sync
		stop
	}
	send
}

# execve and execveat through the i386 entry (int $0x80) from a 64-bit process
f_int80() {
	begin int80
	SCENARIOS="-I -R 0 exec $NOOP kt-int80 two 'three words'
-I -R 0 exec $NOOP
-I -R 0 execveat /kt noop kt-int80-at"
	records $NOOP /kt/execer -I -R 0 exec $NOOP
}

# an i386 program: its arguments are read from its 32-bit stack
f_i386() {
	begin i386
	if [ ! -x /kt/noop32 ]; then
		echo "no i386 build of the helpers (gcc-multilib)" >"$D/absent"
		send
		return
	fi
	SCENARIOS="-R 0 exec /kt/noop32 kt-i386 two 'three words' 4 5 6 7 8 9 10 11 12
-R 0 exec /kt/noop32
-R 0 argc0 /kt/noop32"
	records /kt/noop32 /kt/execer -R 0 exec /kt/noop32
}

init
fact_kernel=$(uname -r)
features=$(sed -n 's/.*kt\.features=\([^ ]*\).*/\1/p' /proc/cmdline | tr , ' ')
echo "KT-KERNEL $fact_kernel" >$DATA
for f in $features; do
	"f_$(echo "$f" | tr - _)"
done
echo "KT-END" >$DATA
sync
poweroff -f
