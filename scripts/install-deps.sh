#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Installs what execsnoop needs, when it is missing (Debian/Ubuntu).
#   install-deps.sh build   what building needs (make run)
#   install-deps.sh         that, and what testing needs (make test): also what checks the
#                           man page, the completion, the unit and the package, and the
#                           engines --journal and --metrics feed (journal-remote, promtool,
#                           node_exporter; where systemd runs, installing them enables their
#                           services: the tests start their own, on 127.0.0.1)
#   install-deps.sh bench   that, and the peers the benchmark runs side by side (make bench):
#                           libbpf-tools' execsnoop and bpftrace's execsnoop.bt
set -eu

# package:command-or-file that shows it is there
build="
clang:clang
make:make
gcc:gcc
pkg-config:pkg-config
libbpf-dev:/usr/include/bpf/libbpf.h
libelf-dev:/usr/include/libelf.h
zlib1g-dev:/usr/include/zlib.h
nettle-dev:/usr/include/nettle/sha2.h
bpftool:bpftool
"
tests="
libcmocka-dev:/usr/include/cmocka.h
bats:bats
perl:prove
util-linux:setpriv
procps:pgrep
bsdutils:script
libcap2-bin:setcap
python3-jsonschema:/usr/lib/python3/dist-packages/jsonschema
mandoc:mandoc
man-db:man
groff-base:groff
bsdextrautils:col
bash-completion:/usr/share/bash-completion/bash_completion
zsh:zsh
strace:strace
systemd:systemd-analyze
systemd-container:systemd-nspawn
systemd-journal-remote:/lib/systemd/systemd-journal-remote
prometheus:promtool
prometheus-node-exporter:prometheus-node-exporter
curl:curl
dpkg-dev:dpkg-buildpackage
debhelper:dh
lintian:lintian
busybox-static:/bin/busybox
qemu-system-x86:qemu-system-x86_64
cpio:cpio
"
# i386 builds of the test helpers, for the 32-bit exec tests
if [ "$(uname -m)" = x86_64 ]; then
	tests="$tests gcc-multilib:/usr/include/asm"
fi

bench="
libbpf-tools:/usr/sbin/execsnoop
bpftrace:bpftrace
bpftrace:/usr/sbin/execsnoop.bt
"

case ${1:-all} in
build) needs=$build ;;
all) needs="$build $tests" ;;
bench) needs="$build $tests $bench" ;;
*) echo "install-deps: unknown set '$1': build, bench, or nothing for all" >&2
   exit 2 ;;
esac

missing=
for need in $needs; do
	pkg=${need%%:*}
	what=${need#*:}
	case $what in
	/*) [ -e "$what" ] && continue ;;
	*) command -v "$what" >/dev/null 2>&1 && continue
	   [ -x "/usr/sbin/$what" ] && continue ;;
	esac
	# a package named by two of its files is installed once
	case " $missing " in
	*" $pkg "*) ;;
	*) missing="$missing $pkg" ;;
	esac
done

[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	echo "install-deps: missing packages:$missing; run as root (sudo make ...) to install them" >&2
	exit 1
fi
if ! command -v apt-get >/dev/null 2>&1; then
	echo "install-deps: missing packages:$missing; install them with your package manager" >&2
	exit 1
fi

echo "install-deps: installing$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
