#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# The Debian package: dpkg-buildpackage builds it from a copy of the tree,
# lintian finds nothing to complain about, dpkg -i installs it, the
# installed execsnoop traces, and dpkg --purge removes it and gives
# libbpf-tools' execsnoop, when it is there, its name back.

load ../e2e/helpers

setup_file() {
	DEB_DIR=$(mktemp -d /tmp/execsnoop-deb.XXXXXX)
	export DEB_DIR
}

teardown_file() {
	rm -rf "$DEB_DIR"
}

setup() {
	command -v dpkg-buildpackage >/dev/null || skip "no dpkg-buildpackage (Debian package dpkg-dev)"
	command -v dh >/dev/null || skip "no debhelper"
	WORK=$DEB_DIR
}

# The package, once built by the first test.
deb() {
	ls "$DEB_DIR"/execsnoop_*.deb 2>/dev/null | head -1
}

# dpkg ARGS..., waiting up to a minute for a dpkg lock another apt or dpkg holds.
dpkg_locked() {
	local i
	for ((i = 0; i < 60; i++)); do
		dpkg "$@" >"$DEB_DIR/dpkg.log" 2>&1 && return 0
		grep -q 'lock' "$DEB_DIR/dpkg.log" || break
		sleep 1
	done
	fail "dpkg $* failed:" "$(cat "$DEB_DIR/dpkg.log")"
}

@test "dpkg-buildpackage -us -uc -b builds the package" {
	local src=$DEB_DIR/execsnoop-src
	mkdir "$src"
	# the tree as it is, without build products
	(cd "$E2E_ROOT" && git ls-files -co --exclude-standard | tar -T - -cf -) | tar -xf - -C "$src"
	(cd "$src" && dpkg-checkbuilddeps) >"$DEB_DIR/build.log" 2>&1 ||
		skip "build dependencies missing: $(tail -1 "$DEB_DIR/build.log")"
	(cd "$src" && timeout 600 dpkg-buildpackage -us -uc -b) >"$DEB_DIR/build.log" 2>&1 ||
		fail "dpkg-buildpackage failed; the end of its log:" "$(tail -30 "$DEB_DIR/build.log")"
	[[ -n $(deb) ]] || fail "no .deb was built:" "$(ls "$DEB_DIR")"
	dpkg-deb -c "$(deb)" | grep -q ' ./usr/sbin/execsnoop$' || fail "the package has no /usr/sbin/execsnoop"
}

@test "lintian: no error and no warning" {
	[[ -n $(deb) ]] || skip "the package was not built"
	command -v lintian >/dev/null || skip "no lintian"
	local out
	out=$(lintian --pedantic "$DEB_DIR"/execsnoop_*.changes 2>&1 | grep -v '^running with root privileges' || true)
	grep -E '^[EW]:' <<<"$out" && fail "lintian complains:" "$out"
	[[ -z $out ]] || sed 's/^/# lintian: /' <<<"$out" >&3
}

@test "dpkg -i, the installed execsnoop traces, its unit verifies, dpkg --purge" {
	[[ -n $(deb) ]] || skip "the package was not built"
	local why
	why=$(cannot_run)
	[[ -z $why ]] || skip "$why"
	if dpkg-query -W -f '${Status}' execsnoop 2>/dev/null | grep -q 'installed'; then
		skip "an execsnoop package is installed here: it is left alone"
	fi
	local bcc_sum=''
	[[ -e /usr/sbin/execsnoop ]] && bcc_sum=$(md5sum </usr/sbin/execsnoop)

	e2e_setup
	dpkg_locked -i "$(deb)"
	# from here on, the package is removed whatever happens
	PURGE=1
	assert_eq "execsnoop 1.0.0" "$(/usr/sbin/execsnoop --version)" "the installed execsnoop --version"
	[[ -z $bcc_sum ]] || assert_eq "$bcc_sum" "$(md5sum </usr/sbin/execsnoop.libbpf-tools)" \
		"libbpf-tools' execsnoop, diverted"
	man -w execsnoop | grep -q '^/usr/share/man/man8/execsnoop.8' || fail "man execsnoop finds no page"
	bash --norc -c 'source /usr/share/bash-completion/bash_completion; _completion_loader execsnoop;
		complete -p execsnoop' | grep -q -- '-F _execsnoop' || fail "bash-completion does not load its completion"
	if command -v systemd-analyze >/dev/null; then
		assert_eq "" "$(systemd-analyze verify /lib/systemd/system/execsnoop.service 2>&1)" \
			"systemd-analyze verify of the installed unit"
	fi

	EXECSNOOP=/usr/sbin/execsnoop
	tool_start -x -T
	grep -q '^CapEff:[[:space:]]*0000000000000000$' "/proc/$TOOL_PID/status" ||
		fail "the installed execsnoop keeps capabilities while tracing"
	run_execer exec "$NOOP" "$TAG" from-the-package
	run_execer -R -2 exec "$WORK/missing" "$TAG" failed
	tool_sync
	tool_stop TERM
	check_records

	dpkg_locked --purge execsnoop
	PURGE=
	[[ ! -e /usr/sbin/execsnoop.libbpf-tools ]] || fail "the diverted execsnoop.libbpf-tools is left"
	[[ -z $bcc_sum ]] || assert_eq "$bcc_sum" "$(md5sum </usr/sbin/execsnoop)" \
		"libbpf-tools' execsnoop, back in place"
	[[ -n $bcc_sum || ! -e /usr/sbin/execsnoop ]] || fail "/usr/sbin/execsnoop is left after the purge"
	! dpkg-divert --list | grep -q 'by execsnoop$' || fail "a diversion is left:" "$(dpkg-divert --list | grep execsnoop)"
}

teardown() {
	if [[ -n ${PURGE:-} ]]; then
		[[ -z ${TOOL_PID:-} ]] || kill -KILL "$TOOL_PID" 2>/dev/null || true
		dpkg --purge execsnoop >/dev/null 2>&1 || true
	fi
	[[ -z ${WORK:-} || $WORK == "$DEB_DIR" ]] || rm -rf "$WORK"
}
