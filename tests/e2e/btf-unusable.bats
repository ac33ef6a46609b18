#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# When the kernel's BTF cannot be read or is not BTF, execsnoop says so and
# where, in one line. Each test hides /sys/kernel/btf/vmlinux in a private
# mount namespace: the host's is left alone.

load helpers

UNUSABLE='^execsnoop: the kernel.s BTF at /sys/kernel/btf/vmlinux is unusable: '

# Runs COMMAND... with FILE mounted over the kernel's BTF.
run_with_btf() { # FILE COMMAND...
	run_split unshare --mount --propagation private \
		sh -c 'mount --bind "$0" /sys/kernel/btf/vmlinux || exit 97; exec "$@"' "$@"
	((STATUS != 97)) || fail "could not mount $1 over /sys/kernel/btf/vmlinux: $ERR"
}

@test "garbage instead of BTF" {
	head -c 65536 /dev/urandom >"$WORK/garbage"
	run_with_btf "$WORK/garbage" "$EXECSNOOP"
	assert_one_line_error "execsnoop with garbage as BTF" "$UNUSABLE"
	run_with_btf "$WORK/garbage" "$EXECSNOOP" -x -t
	assert_one_line_error "execsnoop -x -t with garbage as BTF" "$UNUSABLE"
}

@test "an empty file instead of BTF" {
	: >"$WORK/empty"
	run_with_btf "$WORK/empty" "$EXECSNOOP"
	assert_one_line_error "execsnoop with an empty BTF" "$UNUSABLE"
}

@test "the kernel's BTF cut short" {
	head -c 4096 /sys/kernel/btf/vmlinux >"$WORK/short"
	run_with_btf "$WORK/short" "$EXECSNOOP"
	assert_one_line_error "execsnoop with 4 KiB of the BTF" "$UNUSABLE"
}

@test "a BTF header with nothing valid after it" {
	# the kernel's own header, then zeros
	head -c 24 /sys/kernel/btf/vmlinux >"$WORK/zeros"
	head -c "$(stat -c %s /sys/kernel/btf/vmlinux)" /dev/zero | tail -c +25 >>"$WORK/zeros"
	run_with_btf "$WORK/zeros" "$EXECSNOOP"
	assert_one_line_error "execsnoop with a zeroed BTF" "$UNUSABLE"
}

@test "a directory instead of BTF" {
	run_split unshare --mount --propagation private \
		sh -c 'mount -t tmpfs none /sys/kernel/btf && mkdir /sys/kernel/btf/vmlinux || exit 97
			exec "$@"' sh "$EXECSNOOP"
	((STATUS != 97)) || fail "could not make /sys/kernel/btf/vmlinux a directory: $ERR"
	assert_one_line_error "execsnoop with a directory as BTF" "$UNUSABLE"
}

@test "an unreadable BTF" {
	cp /sys/kernel/btf/vmlinux "$WORK/locked"
	chmod 000 "$WORK/locked"
	# root, without the capabilities that read any file
	run_with_btf "$WORK/locked" setpriv --inh-caps=-dac_override,-dac_read_search \
		--bounding-set=-dac_override,-dac_read_search "$EXECSNOOP"
	assert_one_line_error "execsnoop with an unreadable BTF" "$UNUSABLE"'Permission denied'
}
