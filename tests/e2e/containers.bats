#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Containers and namespaces: JSON carries the cgroup v2 id and path, the pid
# namespace and the pid inside it, the mount namespace; --container names
# the container in a text column.

load helpers

teardown() {
	[[ -z ${CG:-} ]] || rmdir "$CG" 2>/dev/null || true
	e2e_teardown
}

# A cgroup v2 directory named like a container's scope; sets CG and ID.
make_scope() {
	local root
	root=$(cgroup2_root)
	[[ -n $root ]] || skip "no cgroup v2 mount"
	ID=$(printf '%064x' $((RANDOM * RANDOM)))
	CG=$root/docker-$ID.scope
	mkdir "$CG" || skip "cannot make a cgroup under $root"
}

@test "JSON: cgroup id and path, pid and mount namespaces, the pid inside" {
	local root
	make_scope
	root=$(cgroup2_root)
	tool_start -j
	bash -c 'echo $$ >"$1/cgroup.procs" && exec unshare -p -m -f "$2" "$3" inside' _ \
		"$CG" "$NOOP" "$TAG" || fail "could not run in the cgroup and namespaces"
	tool_sync
	tool_stop
	OUT=$TOOL_OUT CG_REL=${CG#"$root"} CG_ID=$(stat -c %i "$CG") TAG=$TAG HOST_PIDNS=$(stat -L -c %i /proc/self/ns/pid) \
		HOST_MNTNS=$(stat -L -c %i /proc/self/ns/mnt) /usr/bin/python3 -c '
import json, os
objs = [json.loads(l) for l in open(os.environ["OUT"], "rb")]
mine = [o for o in objs if o["args"] == [os.environ["TAG"], "inside"]]
assert len(mine) == 1, mine
o = mine[0]
assert o["cgroup"] == os.environ["CG_REL"], o["cgroup"]
assert o["cgroup_id"] == int(os.environ["CG_ID"]), o["cgroup_id"]
assert o["pidns"] != int(os.environ["HOST_PIDNS"]) and o["ns_pid"] == 1, o
assert o["mntns"] != int(os.environ["HOST_MNTNS"]), o
' || fail "the object does not name the cgroup and namespaces"
}

@test "--container: the container id from the cgroup path, - outside any" {
	make_scope
	tool_start --container
	bash -c 'echo $$ >"$1/cgroup.procs" && exec "$2" "$3" inside' _ "$CG" "$NOOP" "$TAG"
	"$NOOP" "$TAG" outside
	tool_sync
	tool_stop
	head -1 "$TOOL_OUT" | grep -qE '^CONTAINER +PCOMM ' ||
		fail "no CONTAINER column in the header:" "$(head -1 "$TOOL_OUT")"
	grep -qE "^${ID:0:12} +noop .* $TAG inside\$" "$TOOL_OUT" ||
		fail "the exec in the container is not named ${ID:0:12}:" "$(grep -- "$TAG" "$TOOL_OUT")"
	grep -qE "^- +noop .* $TAG outside\$" "$TOOL_OUT" ||
		fail "the exec outside is not marked -:" "$(grep -- "$TAG" "$TOOL_OUT")"
}
