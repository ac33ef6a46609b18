#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Errors a person understands: one line on stderr, nothing on stdout, a
# non-zero status; for missing privileges, bad option values and no BTF.

load helpers

NOBODY=(setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all)

setup() {
	e2e_setup
	# a copy any user can run, wherever the tree is
	cp "$EXECSNOOP" "$WORK/execsnoop"
	chmod 755 "$WORK/execsnoop"
}

@test "an unprivileged run fails with one line that says root or CAP_BPF" {
	run_split "${NOBODY[@]}" "$WORK/execsnoop"
	assert_one_line_error "unprivileged execsnoop" 'root|CAP_BPF'
	run_split "${NOBODY[@]}" "$WORK/execsnoop" -x -t -q
	assert_one_line_error "unprivileged execsnoop -x -t -q" 'root|CAP_BPF'
}

@test "a run with all capabilities but CAP_BPF, CAP_PERFMON, CAP_SYS_ADMIN fails the same way" {
	run_split setpriv --inh-caps=-all --bounding-set=-bpf,-perfmon,-sys_admin "$WORK/execsnoop"
	assert_one_line_error "execsnoop without CAP_BPF" 'root|CAP_BPF'
}

@test "--max-args 0 and other bad --max-args values" {
	local v
	for v in 0 abc -1 1x 99999999999999999999; do
		run_split "$WORK/execsnoop" --max-args "$v"
		assert_one_line_error "--max-args $v" 'max-args'
	done
}

@test "-u nosuchuser" {
	run_split "$WORK/execsnoop" -u nosuchuser-e2e
	assert_one_line_error "-u nosuchuser-e2e" 'nosuchuser-e2e'
	run_split "$WORK/execsnoop" --uid=-5
	assert_one_line_error "--uid=-5"
}

@test "-c /not/a/cgroup, a plain directory, a file" {
	run_split "$WORK/execsnoop" -c /not/a/cgroup
	assert_one_line_error "-c /not/a/cgroup" '/not/a/cgroup'
	run_split "$WORK/execsnoop" -c "$WORK"
	assert_one_line_error "-c $WORK (not a cgroup v2 directory)" "$WORK"
	run_split "$WORK/execsnoop" --cgroup /etc/passwd
	assert_one_line_error "--cgroup /etc/passwd" '/etc/passwd'
}

@test "-P abc and other bad parent pids" {
	local v
	for v in abc -3 12x 99999999999999999999; do
		run_split "$WORK/execsnoop" -P "$v"
		assert_one_line_error "-P $v" "ppid|PID|pid|$v"
	done
}

@test "a missing option argument fails without output on stdout" {
	local o
	for o in -u -n -l -P -c --max-args; do
		run_split "$WORK/execsnoop" "$o"
		((STATUS != 0)) || fail "$o without its argument: status 0"
		assert_eq "" "$OUT" "stdout of execsnoop $o"
		[[ -n $ERR ]] || fail "$o without its argument: nothing on stderr"
	done
}

@test "a kernel without BTF: one line that says so" {
	local f
	for f in "/boot/vmlinux-$(uname -r)" "/lib/modules/$(uname -r)/vmlinux" \
		"/lib/modules/$(uname -r)/build/vmlinux" "/usr/lib/debug/boot/vmlinux-$(uname -r)"; do
		[[ -e $f ]] && skip "$f exists, where libbpf also looks for BTF"
	done
	run_split unshare --mount --propagation private \
		sh -c 'mount -t tmpfs none /sys/kernel/btf && exec "$0"' "$WORK/execsnoop"
	assert_one_line_error "execsnoop with /sys/kernel/btf hidden" 'BTF'
}
