#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --metrics: the file passes promtool's check; its counters equal the execs
# of a command run under trace; a real node_exporter on 127.0.0.1 serves
# them from its textfile directory; under an exec storm, execs counted plus
# execs counted lost equal the execs made.

load helpers

STORM_UID=64998
NOBODY=(setpriv --reuid=$STORM_UID --regid=$STORM_UID --clear-groups)

setup() {
	e2e_setup
	[[ -z $(cannot_run) ]] || skip "$(cannot_run)"
	mkdir -p "$WORK/textfile"
	PROM=$WORK/textfile/execsnoop.prom
}

teardown() {
	[[ -z ${EXPORTER:-} ]] || kill "$EXPORTER" 2>/dev/null || true
	e2e_teardown
}

# The value of the series NAME{LABELS} in FILE, or 0.
series() { # FILE SERIES
	local v
	v=$(awk -v s="$2" '$1 == s { print $2 }' "$1")
	echo "${v:-0}"
}

# A command's execs, by absolute paths (a search of PATH fails on the way): sh,
# seq, 50 of true, then one that fails.
WORKLOAD='for i in $(/usr/bin/seq 50); do /bin/true; done; /nonexistent-metrics 2>/dev/null; exit 0'

@test "--metrics: promtool passes, the counters are the command's execs, node_exporter serves them" {
	command -v promtool >/dev/null || skip "no promtool (Debian package prometheus)"
	command -v prometheus-node-exporter >/dev/null ||
		skip "no node_exporter (Debian package prometheus-node-exporter)"
	local out status=0 port scraped
	out=$("$EXECSNOOP" --quiet -x --metrics "$PROM" -- /bin/sh -c "$WORKLOAD" 2>&1) || status=$?
	assert_eq 0 "$status" "exit status; output: $out"
	assert_eq "" "$out" "output with --quiet"
	promtool check metrics <"$PROM" || fail "promtool check metrics failed on:" "$(cat "$PROM")"
	# sh, seq and 50 true succeed; /nonexistent-metrics fails
	assert_eq 52 "$(series "$PROM" 'execsnoop_execs_total{result="ok"}')" "execs ok"
	assert_eq 1 "$(series "$PROM" 'execsnoop_execs_total{result="failed"}')" "execs failed"
	assert_eq 52 "$(series "$PROM" 'execsnoop_spawner_execs_total{comm="sh"}')" "execs spawned by sh"
	assert_eq 1 "$(series "$PROM" 'execsnoop_spawner_execs_total{comm="execsnoop"}')" \
		"execs spawned by execsnoop (the command)"
	grep -qE '^execsnoop_start_time_seconds [0-9]+\.[0-9]+$' "$PROM" || fail "no start time:" "$(cat "$PROM")"
	if compgen -G "$PROM.*" >/dev/null; then
		fail "a temporary file was left behind:" "$(ls "$PROM".*)"
	fi

	# a real node_exporter, on loopback only, reading the directory
	port=$((20000 + RANDOM % 20000))
	prometheus-node-exporter --web.listen-address="127.0.0.1:$port" --collector.disable-defaults \
		--collector.textfile --collector.textfile.directory="$WORK/textfile" \
		>"$WORK/exporter.log" 2>&1 &
	EXPORTER=$!
	for _ in $(seq 50); do
		scraped=$(curl -sf "http://127.0.0.1:$port/metrics" 2>/dev/null) && break
		sleep 0.1
	done
	[[ -n $scraped ]] || fail "node_exporter did not answer:" "$(cat "$WORK/exporter.log")"
	grep -q 'node_textfile_scrape_error 0' <<<"$scraped" ||
		fail "node_exporter could not read the file:" "$(grep textfile <<<"$scraped")"
	grep -qx 'execsnoop_execs_total{result="ok"} 52' <<<"$scraped" ||
		fail "the scrape does not show 52 execs:" "$(grep '^execsnoop' <<<"$scraped")"
	grep -qx 'execsnoop_execs_total{result="failed"} 1' <<<"$scraped" ||
		fail "the scrape does not show 1 failed exec:" "$(grep '^execsnoop' <<<"$scraped")"
}

@test "--metrics: written every --interval while tracing, with -s too" {
	local n1 n2
	MARKER=("${NOBODY[@]}" "$NOOP")
	tool_start -s --metrics "$PROM" --interval 1 -u "$STORM_UID"
	[[ -s $PROM ]] || fail "no metrics file at the start"
	"${NOBODY[@]}" /bin/true
	sleep 2.5
	n1=$(series "$PROM" 'execsnoop_execs_total{result="ok"}')
	((n1 >= 1)) || fail "the exec is not counted in the file within 2.5 s:" "$(cat "$PROM")"
	"${NOBODY[@]}" /bin/true
	sleep 2.5
	n2=$(series "$PROM" 'execsnoop_execs_total{result="ok"}')
	assert_eq $((n1 + 1)) "$n2" "execs counted after one more"
	tool_stop
	grep -q '^TOP SPAWNERS\|SUMMARY' "$TOOL_OUT" || fail "no summary with -s:" "$(tail "$TOOL_OUT")"
}

@test "--metrics, reader stopped for a storm with small rings: counted plus lost equal execs" {
	MARKER=("${NOBODY[@]}" "$NOOP")
	local ok lost gen markers
	tool_start -u "$STORM_UID" --ring-size=128K --metrics "$PROM"
	tool_sync
	kill -STOP "$TOOL_PID"
	"${NOBODY[@]}" "$SPAWN" -t "$TAG" -j 4 -n 1000 -a 40 -b 120 "$NOOP" >"$WORK/spawn.out" 2>&1 ||
		fail "spawn failed:" "$(cat "$WORK/spawn.out")"
	kill -CONT "$TOOL_PID"
	tool_sync
	tool_stop
	ok=$(series "$PROM" 'execsnoop_execs_total{result="ok"}')
	lost=$(($(series "$PROM" 'execsnoop_lost_total{cause="ring_full"}') + $(series "$PROM" 'execsnoop_lost_total{cause="no_buffer"}')))
	markers=$(grep -c -e "ready-$TAG" -e "sync-$TAG" "$TOOL_OUT")
	# the storm's 4000, and spawn's own exec
	gen=4001
	echo "execs $gen and $markers markers; counted $ok, lost $lost" >&2
	((lost > 0)) || fail "nothing was lost with 128 KiB rings and 4000 execs"
	assert_eq $((gen + markers)) $((ok + lost)) "execs counted plus lost"
}
