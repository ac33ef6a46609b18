#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# make install and make uninstall, with PREFIX and DESTDIR: the binary, the
# man page, bash and zsh completion and the systemd unit, and nothing else.

load ../e2e/helpers

setup() {
	WORK=$(mktemp -d /tmp/execsnoop-install.XXXXXX)
	DEST=$WORK/dest
}

teardown() {
	rm -rf "$WORK"
}

# make TARGET VARIABLES..., quietly; its output is shown when it fails.
mk() {
	make -s -C "$E2E_ROOT" "$@" >"$WORK/make.log" 2>&1 || fail "make $* failed:" "$(cat "$WORK/make.log")"
}

# Checks that FILE exists under $DEST with MODE.
assert_installed() { # FILE MODE
	[[ -f $DEST$1 ]] || fail "not installed: $1" "installed:" "$(cd "$DEST" && find . -type f)"
	assert_eq "$2" "$(stat -c %a "$DEST$1")" "mode of $1"
}

@test "PREFIX=/usr DESTDIR=...: five files, with their modes; uninstall removes them all" {
	mk install PREFIX=/usr DESTDIR="$DEST"
	assert_installed /usr/sbin/execsnoop 755
	assert_installed /usr/share/man/man8/execsnoop.8 644
	assert_installed /usr/share/bash-completion/completions/execsnoop 644
	assert_installed /usr/share/zsh/site-functions/_execsnoop 644
	assert_installed /usr/lib/systemd/system/execsnoop.service 644
	assert_eq 5 "$(find "$DEST" -type f | wc -l)" "files installed"
	"$DEST/usr/sbin/execsnoop" --version | grep -q '^execsnoop ' || fail "the installed binary does not run"
	grep -qx 'ExecStart=/usr/sbin/execsnoop $EXECSNOOP_OPTIONS' "$DEST/usr/lib/systemd/system/execsnoop.service" ||
		fail "the unit does not start /usr/sbin/execsnoop:" "$(grep ExecStart "$DEST/usr/lib/systemd/system/execsnoop.service")"
	! grep -qE "@[a-z]+@" "$DEST/usr/lib/systemd/system/execsnoop.service" || fail "a placeholder is left in the unit"
	mk uninstall PREFIX=/usr DESTDIR="$DEST"
	assert_eq "" "$(find "$DEST" -type f)" "files left after make uninstall"
}

@test "PREFIX defaults to /usr/local" {
	mk install DESTDIR="$DEST"
	assert_installed /usr/local/sbin/execsnoop 755
	assert_installed /usr/local/share/man/man8/execsnoop.8 644
	assert_installed /usr/local/lib/systemd/system/execsnoop.service 644
	grep -qx 'ExecStart=/usr/local/sbin/execsnoop $EXECSNOOP_OPTIONS' "$DEST/usr/local/lib/systemd/system/execsnoop.service" ||
		fail "the unit does not start /usr/local/sbin/execsnoop"
	mk uninstall DESTDIR="$DEST"
	assert_eq "" "$(find "$DEST" -type f)" "files left after make uninstall"
}

@test "each directory can be chosen, as a distribution needs" {
	mk install PREFIX=/usr DESTDIR="$DEST" UNITDIR=/lib/systemd/system \
		ZSHCOMPDIR=/usr/share/zsh/vendor-completions SBINDIR=/usr/bin
	assert_installed /lib/systemd/system/execsnoop.service 644
	assert_installed /usr/share/zsh/vendor-completions/_execsnoop 644
	assert_installed /usr/bin/execsnoop 755
	grep -qx 'ExecStart=/usr/bin/execsnoop $EXECSNOOP_OPTIONS' "$DEST/lib/systemd/system/execsnoop.service" ||
		fail "the unit does not follow SBINDIR"
	mk uninstall PREFIX=/usr DESTDIR="$DEST" UNITDIR=/lib/systemd/system \
		ZSHCOMPDIR=/usr/share/zsh/vendor-completions SBINDIR=/usr/bin
	assert_eq "" "$(find "$DEST" -type f)" "files left after make uninstall"
}

@test "what is installed works: the man page renders, the completion loads" {
	mk install PREFIX=/usr DESTDIR="$DEST"
	MANWIDTH=80 man -l "$DEST/usr/share/man/man8/execsnoop.8" 2>/dev/null | grep -q '^NAME' ||
		fail "the installed man page does not render"
	bash --norc -c "source '$DEST/usr/share/bash-completion/completions/execsnoop' && complete -p execsnoop" |
		grep -q -- '-F _execsnoop execsnoop' || fail "the installed bash completion does not register"
}
