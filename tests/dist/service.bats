#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The systemd unit, where systemd is not PID 1: systemd-analyze verifies the
# installed unit (syntax, ExecStart, man page) and rates its exposure; its
# ExecStart then runs the way the unit would run it, as far as that can be
# done by hand: as a user of its own with only the unit's capabilities,
# no_new_privs, the file system read-only, /proc with pids only; the system
# calls it makes are checked against the unit's SystemCallFilter. Last, a
# real systemd runs it: PID 1 of a container booted from an overlay of this
# very root.

load ../e2e/helpers

UNIT_IN=$E2E_ROOT/systemd/execsnoop.service.in
DYN_UID=61999 # stands for DynamicUser=yes

setup_file() {
	# one install, under a prefix outside /tmp, /home and /root, which the sandbox hides
	[[ $EUID -eq 0 ]] || return 0
	PREFIX_DIR=$(mktemp -d /run/execsnoop-unit.XXXXXX)
	chmod 755 "$PREFIX_DIR"
	make -s -C "$E2E_ROOT" install PREFIX="$PREFIX_DIR" >"$PREFIX_DIR.log" 2>&1 || {
		cat "$PREFIX_DIR.log" >&2
		return 1
	}
	export PREFIX_DIR
}

teardown_file() {
	[[ -z ${PREFIX_DIR:-} ]] || rm -rf "$PREFIX_DIR" "$PREFIX_DIR.log"
}

teardown() {
	# execsnoop under strace: a kill of strace alone would leave it tracing
	[[ -z ${STRACED:-} ]] || kill -KILL "$STRACED" 2>/dev/null || true
	e2e_teardown
}

unit_value() { # KEY
	sed -n "s/^$1=//p" "$UNIT_IN"
}

@test "systemd-analyze verify: the installed unit, its ExecStart and man page" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze (Debian package systemd)"
	[[ -n ${PREFIX_DIR:-} ]] || skip "needs root to install under /run"
	local unit=$PREFIX_DIR/lib/systemd/system/execsnoop.service out status=0
	grep -qx "ExecStart=$PREFIX_DIR/sbin/execsnoop \$EXECSNOOP_OPTIONS" "$unit" ||
		fail "ExecStart does not run the installed binary:" "$(grep ExecStart "$unit")"
	out=$(MANPATH=$PREFIX_DIR/share/man systemd-analyze verify "$unit" 2>&1) || status=$?
	assert_eq 0 "$status" "status of systemd-analyze verify"
	# it warns about unknown keys and bad values, and still exits 0
	assert_eq "" "$out" "output of systemd-analyze verify"
}

@test "systemd-analyze security: exposure at most 2.0" {
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze (Debian package systemd)"
	[[ -n ${PREFIX_DIR:-} ]] || skip "needs root to install under /run"
	local out level
	out=$(systemd-analyze security --offline=yes "$PREFIX_DIR/lib/systemd/system/execsnoop.service" 2>&1)
	level=$(sed -n 's/.*Overall exposure level for execsnoop.service: \([0-9.]*\).*/\1/p' <<<"$out")
	[[ -n $level ]] || fail "no exposure level in:" "$out"
	awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' ||
		fail "exposure $level, above 2.0:" "$(grep '✗' <<<"$out")"
}

@test "ExecStart, sandboxed as the unit says: traces, drops every capability, stops cleanly" {
	[[ -n ${PREFIX_DIR:-} ]] || skip "needs root"
	local caps opts k
	# the sandbox below stands for these lines of the unit
	for k in DynamicUser=yes NoNewPrivileges=yes ProtectSystem=strict ProtectHome=yes \
		PrivateTmp=yes ProtectKernelTunables=yes ProcSubset=pid ProtectProc=invisible; do
		grep -qx "$k" "$UNIT_IN" || fail "the unit has no $k, which this test assumes"
	done
	caps=$(unit_value AmbientCapabilities)
	assert_eq "$caps" "$(unit_value CapabilityBoundingSet)" "CapabilityBoundingSet (the ambient set)"
	caps=$(tr 'A-Z ' 'a-z,' <<<"$caps" | sed 's/cap_/+/g')
	opts=$(unit_value Environment | sed -n 's/^"EXECSNOOP_OPTIONS=\(.*\)"$/\1/p')
	[[ -n $opts ]] || fail "no EXECSNOOP_OPTIONS in the unit"

	cat >"$WORK/sandbox" <<SH
#!/bin/sh
set -e
mount --make-rprivate /
mount -o remount,bind,ro /
for d in /home /root /run/user; do [ -d \$d ] && mount -t tmpfs -o ro,mode=000 tmpfs \$d; done
mount -t tmpfs -o mode=1777 tmpfs /tmp
mount -t tmpfs -o mode=1777 tmpfs /var/tmp
mount -o remount,bind,ro /sys
[ -d /sys/kernel/tracing/events ] && mount -o remount,bind,ro /sys/kernel/tracing
[ -d /sys/fs/bpf ] && mount -t tmpfs -o ro,mode=000 tmpfs /sys/fs/bpf
mount -t proc -o subset=pid,hidepid=invisible proc /proc
exec setpriv --reuid=$DYN_UID --regid=$DYN_UID --clear-groups --no-new-privs \
	--inh-caps=-all,$caps --ambient-caps=-all,$caps --bounding-set=-all,$caps "\$@"
SH
	chmod 755 "$WORK/sandbox"
	EXECSNOOP=$PREFIX_DIR/sbin/execsnoop
	TOOL_WRAP=(unshare -m "$WORK/sandbox")
	# with --journal, entries go to a receiver at journald's path, which writes their text lines
	if [[ " $opts " == *" --journal "* ]]; then
		journal_wrap
		TOOL_WRAP=(unshare -m "$WORK/jwrap" "$WORK/sandbox")
	fi
	# shellcheck disable=SC2086
	tool_start $opts

	local status
	status=$(grep -E '^(Uid|Cap[A-Za-z]+|NoNewPrivs):' "/proc/$TOOL_PID/status" | tr -s '\t' ' ')
	grep -q "^Uid: $DYN_UID $DYN_UID" <<<"$status" || fail "not running as uid $DYN_UID:" "$status"
	grep -qx 'CapEff: 0000000000000000' <<<"$status" || fail "CapEff not 0 while tracing:" "$status"
	grep -qx 'CapBnd: 0000000000000000' <<<"$status" || fail "CapBnd not empty:" "$status"
	grep -qx 'NoNewPrivs: 1' <<<"$status" || fail "no_new_privs not set:" "$status"

	run_execer exec "$NOOP" "$TAG" unit
	run_execer -R -2 exec "$WORK/missing" "$TAG" unit-failed
	tool_sync
	tool_stop TERM
	[[ " $opts " != *" --journal "* ]] || journal_wrap_done
	check_records
	# loss reports may come from execs of others on a busy machine; nothing else may
	assert_eq "" "$(grep -v -E '^execsnoop: (so far|in total): ' "$TOOL_ERR")" "stderr, loss reports aside"
}

@test "every system call it makes is in the unit's SystemCallFilter" {
	command -v strace >/dev/null || skip "no strace"
	command -v systemd-analyze >/dev/null || skip "no systemd-analyze (Debian package systemd)"
	! sanitized || skip "execsnoop is built with ASan, whose runtime makes system calls of its own"
	local filter allowed calls missing s opts
	filter=$(unit_value SystemCallFilter)
	[[ $filter != "~"* ]] || fail "SystemCallFilter is a deny list; this test reads an allow list"
	allowed=$(untraced expand_filter $filter | sort -u)
	opts=$(unit_value Environment | sed -n 's/^"EXECSNOOP_OPTIONS=\(.*\)"$/\1/p')
	TOOL_WRAP=(strace -f -qq -o "$WORK/strace")
	# with --journal, entries go to a receiver at journald's path (not traced: it starts first)
	if [[ " $opts " == *" --journal "* ]]; then
		journal_wrap
		TOOL_WRAP=(unshare -m "$WORK/jwrap" "${TOOL_WRAP[@]}")
	fi
	# shellcheck disable=SC2086
	tool_start $opts
	STRACED=$(pgrep -P "$TOOL_PID" -x execsnoop)
	run_execer -R -2 exec "$WORK/missing" "$TAG"
	tool_sync
	# the signal goes to execsnoop, strace's child; strace exits with it
	kill -TERM "$STRACED"
	tool_wait_exit TERM
	assert_eq 0 "$TOOL_STATUS" "exit status under strace"
	calls=$(sed -n 's/^[0-9]* *\([a-z0-9_]*\)(.*/\1/p' "$WORK/strace" | sort -u)
	[[ $calls == *bpf* ]] || fail "no bpf call in the trace:" "$(head "$WORK/strace")"
	missing=
	for s in $calls; do
		grep -qx "$s" <<<"$allowed" || missing+=" $s"
	done
	assert_eq "" "$missing" "system calls made (execve of the tool aside) that the filter denies"
}

# The system calls of filter sets and names, one per line.
expand_filter() {
	local x
	for x in "$@"; do
		case $x in
		@*) systemd-analyze syscall-filter "$x" | sed -n '/^@/,$p' | tail -n +2 |
			grep -oE '^[[:space:]]+[-@a-z_0-9]+' | tr -d ' \t' | while read -r y; do expand_filter "$y"; done ;;
		*) echo "$x" ;;
		esac
	done
}

@test "under systemd as PID 1 (systemd-nspawn, an overlay of this root): starts, traces, logs, stops" {
	[[ $EUID -eq 0 ]] || skip "needs root"
	command -v systemd-nspawn >/dev/null || skip "no systemd-nspawn (Debian package systemd-container)"
	[[ -x /lib/systemd/systemd ]] || skip "no systemd to boot"
	! sanitized || skip "execsnoop is built with ASan, whose runtime the unit's SystemCallFilter does not allow for"
	local out=$WORK/out
	mkdir -p "$out"
	# what PID 1 runs once the container is up: the unit, a few execs, the results
	cat >"$WORK/check" <<SH
#!/bin/sh
systemctl start execsnoop.service
sleep 2
echo "active: \$(systemctl is-active execsnoop.service)"
pid=\$(systemctl show -p MainPID --value execsnoop.service)
grep -E '^(Uid|Cap[A-Za-z]+|NoNewPrivs|Seccomp):' /proc/\$pid/status | tr -s '\t' ' '
/bin/true $TAG in-the-container
/nonexistent-$TAG $TAG failed 2>/dev/null
sleep 1
systemctl stop execsnoop.service
systemctl show -p Result -p ExecMainStatus execsnoop.service
journalctl -u execsnoop.service --no-pager -o cat | grep -F -e PCOMM -e $TAG -e 'execsnoop:' | sed 's/^/journal: /'
SH
	cat >"$WORK/boot" <<SH
#!/bin/sh
set -e
r=$WORK/root
mkdir -p \$r $WORK/upper
mount -t tmpfs tmpfs $WORK/upper
mkdir $WORK/upper/u $WORK/upper/w
mount -t overlay overlay -o lowerdir=/,upperdir=$WORK/upper/u,workdir=$WORK/upper/w \$r
make -s -C "$E2E_ROOT" install DESTDIR=\$r PREFIX=/usr UNITDIR=/lib/systemd/system >/dev/null
install -m 755 $WORK/check \$r/usr/local/sbin/execsnoop-unit-check
printf '%s\n' '[Unit]' 'After=multi-user.target' '[Service]' 'Type=oneshot' \
	'ExecStart=/bin/sh -c "/usr/local/sbin/execsnoop-unit-check >/out/result 2>&1; systemctl poweroff"' \
	'[Install]' 'WantedBy=multi-user.target' >\$r/etc/systemd/system/execsnoop-unit-check.service
ln -sf /etc/systemd/system/execsnoop-unit-check.service \$r/etc/systemd/system/multi-user.target.wants/
exec systemd-nspawn -q -D \$r -b --register=no --keep-unit --link-journal=no --console=pipe \
	--bind=$out:/out --bind-ro=/sys/kernel/tracing \
	--capability=CAP_BPF,CAP_PERFMON,CAP_IPC_LOCK --system-call-filter='bpf perf_event_open'
SH
	chmod 755 "$WORK/boot"
	# the mounts live and die with a mount namespace of their own
	timeout 180 unshare -m --propagation private "$WORK/boot" >"$WORK/boot.log" 2>&1 ||
		[[ -s $out/result ]] || fail "the container did not run the check:" "$(tail -20 "$WORK/boot.log")"
	local r s
	r=$(cat "$out/result" 2>/dev/null)
	[[ -n $r ]] || fail "no result from the container:" "$(tail -20 "$WORK/boot.log")"
	grep -qx 'active: active' <<<"$r" || fail "execsnoop.service is not running:" "$r"
	grep -q '^Uid: [1-9]' <<<"$r" || fail "not a dynamic user:" "$r"
	for s in CapInh CapPrm CapEff CapBnd CapAmb; do
		grep -qx "$s: 0000000000000000" <<<"$r" || fail "$s not empty while tracing:" "$r"
	done
	grep -qx 'NoNewPrivs: 1' <<<"$r" || fail "no_new_privs not set:" "$r"
	grep -qx 'Seccomp: 2' <<<"$r" || fail "no seccomp filter:" "$r"
	grep -qE "^journal: true .* 0 /bin/true $TAG in-the-container\$" <<<"$r" ||
		fail "the exec is not in the journal:" "$r"
	grep -qE "^journal: .* -2 /nonexistent-$TAG $TAG failed\$" <<<"$r" ||
		fail "the failed exec is not in the journal:" "$r"
	grep -qx 'Result=success' <<<"$r" && grep -qx 'ExecMainStatus=0' <<<"$r" ||
		fail "the stop was not clean:" "$r"
	! grep -v -E '^journal: execsnoop: (so far|in total): ' <<<"$r" | grep -q '^journal: execsnoop:' ||
		fail "execsnoop reported a problem:" "$r"
}
