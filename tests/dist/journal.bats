#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --journal against a real journald: the installed unit (which uses
# --journal) under systemd as PID 1 of a container booted from an overlay of
# this root; hostile argument bytes come back exactly through journalctl -o
# export, -o json and a field filter; then systemd-journal-upload sends the
# journal to a systemd-journal-remote on 127.0.0.1, and the received journal
# file gives back the same bytes. Two storms of 4000 execs follow, journald
# restarted during the second: each exec has its entry, or is among the
# losses execsnoop reports. Without a journal, one line at the start.

load ../e2e/helpers

HOSTILE=$E2E_ROOT/tests/helpers/hostile_execs.py
# execs of each of the 4 spawners of the storm the unit traces into the journal
STORM_EACH=1000
JCHECK=$E2E_ROOT/tests/helpers/journal_check.py

@test "--journal without a journal: one line at the start, exit 1" {
	[[ -z $(cannot_run) ]] || skip "$(cannot_run)"
	local out status=0
	# a private /run/systemd: no journald socket in it
	out=$(unshare -m sh -c 'mount -t tmpfs tmpfs /run/systemd && exec "$@"' sh \
		"$EXECSNOOP" --journal 2>&1) || status=$?
	assert_eq 1 "$status" "exit status"
	assert_eq "execsnoop: --journal: no journal listening at /run/systemd/journal/socket: No such file or directory (is systemd-journald running?)" \
		"$out" "what it said"
}

@test "the unit with --journal in a booted container: exact bytes in the journal, and through journal-remote on 127.0.0.1; storms and a journald restart, each exec in the journal or counted" {
	[[ $EUID -eq 0 ]] || skip "needs root"
	command -v systemd-nspawn >/dev/null || skip "no systemd-nspawn (Debian package systemd-container)"
	[[ -x /lib/systemd/systemd ]] || skip "no systemd to boot"
	[[ -x /lib/systemd/systemd-journal-remote ]] || skip "no systemd-journal-remote (Debian package systemd-journal-remote)"
	! sanitized || skip "execsnoop is built with ASan, whose runtime the unit's SystemCallFilter does not allow for"
	local out=$WORK/out
	mkdir -p "$out"
	grep -q '^Environment="EXECSNOOP_OPTIONS=--journal' "$E2E_ROOT/systemd/execsnoop.service.in" ||
		fail "the unit does not use --journal"
	cat >"$WORK/check" <<SH
#!/bin/sh
systemctl start execsnoop.service
sleep 2
echo "active: \$(systemctl is-active execsnoop.service)"
python3 /usr/local/sbin/hostile-execs /bin/true $TAG /out/expected
/usr/local/sbin/spawn -t $TAG-storm -j 4 -n $STORM_EACH -v -P /bin/true >/out/spawn.out
/usr/local/sbin/spawn -t $TAG-storm -j 4 -n $STORM_EACH -v -P /bin/true >/out/spawn2.out &
sleep 0.5
systemctl restart systemd-journald
echo "journald restarted: \$?"
wait
sleep 2
systemctl stop execsnoop.service
systemctl show -p Result -p ExecMainStatus execsnoop.service
journalctl --sync
journalctl -o json MESSAGE_ID=2922cc36042b455c73f26299bea02e6d --output-fields=EXECSNOOP_NS_PID,EXECSNOOP_PATH >/out/storm.json
journalctl -o cat _COMM=systemd-journal | sed 's/^/journald: /'
journalctl -o export EXECSNOOP_ARG=$TAG >/out/local.export
journalctl -o json --all EXECSNOOP_ARG=$TAG >/out/local.json
journalctl -o json MESSAGE_ID=2922cc36042b455c73f26299bea02e6d EXECSNOOP_ARG=$TAG | wc -l | sed 's/^/by message id: /'
journalctl -u execsnoop.service --no-pager -o cat | grep 'execsnoop:' | sed 's/^/stderr: /'
/lib/systemd/systemd-journal-remote --listen-http=127.0.0.1:19532 --split-mode=none --output=/out/remote.journal &
remote=\$!
sleep 1
/lib/systemd/systemd-journal-upload --follow=no --url=http://127.0.0.1:19532 --save-state=/tmp/upload.state
echo "upload: \$?"
sleep 1
kill \$remote
wait \$remote
journalctl --file=/out/remote.journal -o export EXECSNOOP_ARG=$TAG >/out/remote.export
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
install -m 755 $WORK/check \$r/usr/local/sbin/execsnoop-journal-check
install -m 755 $HOSTILE \$r/usr/local/sbin/hostile-execs
install -m 755 $SPAWN \$r/usr/local/sbin/spawn
printf '%s\n' '[Unit]' 'After=multi-user.target' '[Service]' 'Type=oneshot' \
	'ExecStart=/bin/sh -c "/usr/local/sbin/execsnoop-journal-check >/out/result 2>&1; systemctl poweroff"' \
	'[Install]' 'WantedBy=multi-user.target' >\$r/etc/systemd/system/execsnoop-journal-check.service
ln -sf /etc/systemd/system/execsnoop-journal-check.service \$r/etc/systemd/system/multi-user.target.wants/
exec systemd-nspawn -q -D \$r -b --register=no --keep-unit --link-journal=no --console=pipe \
	--bind=$out:/out --bind-ro=/sys/kernel/tracing \
	--capability=CAP_BPF,CAP_PERFMON,CAP_IPC_LOCK --system-call-filter='bpf perf_event_open'
SH
	chmod 755 "$WORK/boot"
	timeout 240 unshare -m --propagation private "$WORK/boot" >"$WORK/boot.log" 2>&1 ||
		[[ -s $out/result ]] || fail "the container did not run the check:" "$(tail -20 "$WORK/boot.log")"
	local r
	r=$(cat "$out/result" 2>/dev/null)
	[[ -n $r ]] || fail "no result from the container:" "$(tail -20 "$WORK/boot.log")"
	grep -qx 'active: active' <<<"$r" || fail "execsnoop.service is not running:" "$r"
	grep -qx 'Result=success' <<<"$r" && grep -qx 'ExecMainStatus=0' <<<"$r" ||
		fail "the stop was not clean:" "$r"
	! grep -v -E '^stderr: execsnoop: (so far|in total): [0-9]+ execs lost' <<<"$r" | grep -q '^stderr:' ||
		fail "execsnoop reported a problem:" "$r"
	# the 4 hostile execs, and the one of the script that runs them (the tag is its argument too)
	grep -qx 'by message id: 5' <<<"$r" || fail "not 5 exec entries found by MESSAGE_ID and EXECSNOOP_ARG:" "$r"
	python3 "$JCHECK" "$out/expected" "$out/local.export" "$out/local.json" ||
		fail "the local journal does not give back the bytes (above)"
	grep -qx 'upload: 0' <<<"$r" || fail "systemd-journal-upload failed:" "$r"
	python3 "$JCHECK" "$out/expected" "$out/remote.export" ||
		fail "the journal received by systemd-journal-remote does not give back the bytes (above)"

	storm_accounted "$r"
}

# The storms in the container: each exec has its entry, or is among those
# execsnoop reported lost at its stop.
storm_accounted() { # RESULT
	local gen seen lost
	lost=$(grep -oE '^stderr: execsnoop: in total: [0-9]+ execs lost' <<<"$1" | grep -oE '[0-9]+ execs' |
		grep -oE '[0-9]+' || true)
	lost=${lost:-0}
	# the spawner's pids are the container's: an entry's EXECSNOOP_NS_PID, whether or not its
	# arguments were cut (a cut entry still has its path)
	read -r gen seen < <(TAG=$TAG python3 -c '
import json, os, sys
tag = os.environ["TAG"] + "-storm-"
pids = {l.split()[1] for f in sys.argv[1:3] for l in open(f) if l.startswith(tag)}
seen = {e.get("EXECSNOOP_NS_PID") for e in map(json.loads, open(sys.argv[3]))
        if e.get("EXECSNOOP_PATH") == "/bin/true"}
print(len(pids), len(pids & seen))' "$WORK/out/spawn.out" "$WORK/out/spawn2.out" "$WORK/out/storm.json")
	echo "# storms in the container: $gen execs, $seen entries, $lost reported lost" >&3
	grep -qx 'journald restarted: 0' <<<"$1" && (($(grep -c '^journald: Journal started' <<<"$1") >= 2)) ||
		fail "journald was not restarted:" "$1"
	((gen == 8 * STORM_EACH)) || fail "the storms made $gen execs, not $((8 * STORM_EACH))"
	((gen - seen == lost)) ||
		fail "$((gen - seen)) storm execs have no entry in the journal, but $lost were reported lost;" \
			"journald said:" "$(grep '^journald:' <<<"$1" | tail -5)" "execsnoop said:" "$(grep '^stderr:' <<<"$1")"
}
