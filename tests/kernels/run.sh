#!/bin/sh
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Boots Debian's cloud kernels under qemu and runs this checkout's static
# ./execsnoop inside each with the feature matrix; prints one table,
# feature x kernel (tests/kernels/judge.py says what each cell means).
#
#	tests/kernels/run.sh [-v] [-k] [-a KERNEL-ARGS] [KERNEL[,KERNEL...]|all [FEATURE...]]
#
# KERNEL: 5.10 (bullseye), 6.1 (bookworm), 6.12 (trixie), or the release
# name; FEATURE: a row of the table (judge.py --features lists them; default
# all). -v: the details of each FAIL; -k: keep
# the work directory (console logs) and say where; -a: more kernel
# arguments. Status 0: no FAIL; 1: a FAIL; 2: SKIP, with the reason on stderr;
# 64: a bad command line.
# Kernels are cached in $EXECSNOOP_KERNEL_CACHE (tests/kernels/fetch.sh).
set -eu

HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
EXECSNOOP=${EXECSNOOP:-$ROOT/execsnoop}
BOOT_TIMEOUT=${EXECSNOOP_BOOT_TIMEOUT:-480}

verbose=
keep=
append=
while getopts vka: o; do
	case $o in
	v) verbose=-v ;;
	k) keep=1 ;;
	a) append=$OPTARG ;;
	*) exit 64 ;;
	esac
done
shift $((OPTIND - 1))
kernels=${1:-all}
[ $# -eq 0 ] || shift
# shellcheck disable=SC2068
features=$(python3 -B "$HERE/judge.py" --features $@) || exit 64

skip() {
	echo "SKIP: $*" >&2
	exit 2
}

release_of() {
	case $1 in
	5.10 | bullseye) echo bullseye ;;
	6.1 | bookworm) echo bookworm ;;
	6.12 | trixie) echo trixie ;;
	*)
		echo "run.sh: unknown kernel $1 (5.10, 6.1, 6.12 or all)" >&2
		exit 64
		;;
	esac
}

[ "$kernels" != all ] || kernels=5.10,6.1,6.12
releases=
for k in $(echo "$kernels" | tr , ' '); do
	releases="$releases $(release_of "$k")"
done

[ -x "$EXECSNOOP" ] || skip "no $EXECSNOOP: build it with make"
if readelf -lW "$EXECSNOOP" 2>/dev/null | grep -q 'program interpreter'; then
	skip "$EXECSNOOP is not a static binary (make SANITIZE=1 or STATIC=0 builds it dynamically)"
fi
command -v qemu-system-x86_64 >/dev/null 2>&1 || skip "no qemu-system-x86_64 (package qemu-system-x86)"
command -v cpio >/dev/null 2>&1 || skip "no cpio"
BUSYBOX=$(command -v busybox || true)
if [ -z "$BUSYBOX" ] || readelf -lW "$BUSYBOX" 2>/dev/null | grep -q 'program interpreter'; then
	skip "no static busybox (package busybox-static)"
fi
make -s -C "$ROOT" .output/tests/noop .output/tests/execer-static >&2 ||
	{ echo "run.sh: could not build the test helpers" >&2; exit 1; }
# the i386 row needs an i386 toolchain (gcc-multilib); without it, the row says so
make -s -C "$ROOT" .output/tests/noop32 >&2 2>/dev/null || true

WORK=$(mktemp -d /tmp/execsnoop-kernels.XXXXXX)
if [ -n "$keep" ]; then
	echo "run.sh: work directory $WORK" >&2
else
	trap 'rm -rf "$WORK"' EXIT
fi

status=0
# shellcheck disable=SC2086
fetched=$("$HERE/fetch.sh" $releases 2>"$WORK/fetch.err") || status=$?
cat "$WORK/fetch.err" >&2
[ $status -ne 2 ] || skip "$(tail -1 "$WORK/fetch.err" | sed 's/^fetch: //')"
[ $status -eq 0 ] || exit 1

# the initramfs: busybox, the guest's init, execsnoop and the helpers
mkdir -p "$WORK/root/bin" "$WORK/root/kt"
cp "$BUSYBOX" "$WORK/root/bin/busybox"
ln -s busybox "$WORK/root/bin/sh"
cp "$HERE/guest.sh" "$WORK/root/init"
cp "$EXECSNOOP" "$WORK/root/kt/execsnoop"
cp "$ROOT/.output/tests/noop" "$WORK/root/kt/noop"
cp "$ROOT/.output/tests/execer-static" "$WORK/root/kt/execer"
cp "$ROOT/tests/helpers/exec_probe.sh" "$WORK/root/kt/exec_probe.sh"
[ ! -x "$ROOT/.output/tests/noop32" ] || cp "$ROOT/.output/tests/noop32" "$WORK/root/kt/noop32"
(cd "$WORK/root" && find . | cpio -o -H newc --quiet | gzip -1) >"$WORK/initrd.gz"

echo "$fetched" | while read -r rel ver vmlinuz; do
	label=$rel
	case $rel in
	bullseye) label=5.10 ;; bookworm) label=6.1 ;; trixie) label=6.12 ;;
	esac
	start=$(date +%s)
	timeout -s KILL "$BOOT_TIMEOUT" qemu-system-x86_64 -nodefaults -display none -no-reboot \
		-m 1024 -smp 1 -kernel "$vmlinuz" -initrd "$WORK/initrd.gz" \
		-append "console=ttyS0 rdinit=/init panic=-1 quiet kt.features=$features $append" \
		-serial "file:$WORK/$label.console" -serial "file:$WORK/$label.data" \
		</dev/null >"$WORK/$label.qemu" 2>&1 || true
	echo "run.sh: $label ($ver): booted and ran in $(($(date +%s) - start)) s" >&2
	grep -q '^KT-END' "$WORK/$label.data" 2>/dev/null ||
		echo "run.sh: $label: the guest did not finish; console: $(tail -3 "$WORK/$label.console" | tr '\r\n' '  ')" >&2
	echo "$label=$WORK/$label.data" >>"$WORK/cols"
done
# shellcheck disable=SC2046
python3 -B "$HERE/judge.py" $verbose --only "$features" $(cat "$WORK/cols")
