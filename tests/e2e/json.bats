#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# -j/--json: one object per exec, valid against docs/execsnoop.schema.json,
# with the argument bytes given back exactly, identities that chain a child
# to its parent, the calling thread, and what was cut.

load helpers

JSON_CHECK=$E2E_ROOT/tests/helpers/json_check.py

# Validates every line execsnoop printed against the schema.
check_schema() {
	/usr/bin/python3 "$JSON_CHECK" "$TOOL_OUT" >"$WORK/schema.out" 2>&1 ||
		fail "lines that do not validate:" "$(head -5 "$WORK/schema.out")"
}

# Runs python3 CODE with the objects carrying TAG in obj (a list) and TAG set.
py_check() { # CODE
	HELPERS=$E2E_ROOT/tests/helpers TAG=$TAG OUT=$TOOL_OUT /usr/bin/python3 -c '
import json, os, sys
sys.path.insert(0, os.environ["HELPERS"])
from json_check import as_bytes as b
tag = os.environ["TAG"].encode()
objs = []
for line in open(os.environ["OUT"], "rb"):
    o = json.loads(line)
    if o["type"] != "exec" or not any(tag in b(a) for a in o["args"] + [o["path"] or ""]):
        continue
    # not the markers, nor the commands that ran the scenario
    if any(b(a).startswith((b"sync-", b"ready-")) for a in o["args"]):
        continue
    if o["ret"] == 0 and o["comm"] in ("timeout", "execer"):
        continue
    objs.append(o)
'"$1"
}

setup_file() {
	shared_tool_start -j -x
}

@test "the header is gone and every line is valid JSON of the schema" {
	"$NOOP" "$TAG" plain
	tool_sync
	check_schema
	head -1 "$TOOL_OUT" | grep -q '^{' || fail "the first line is not an object:" "$(head -1 "$TOOL_OUT")"
}

@test "argument bytes come back exactly: UTF-8, control bytes, invalid UTF-8, quotes, empty" {
	"$NOOP" "$TAG" $'new\nline' $'\x1b[31m' $'\xff\xfe\x80' 'q"b\s' '' 'h'$'\xc3\xa9''llo' $'\xc2\x9b'
	tool_sync
	check_schema
	py_check '
want = [tag, b"new\nline", b"\x1b[31m", b"\xff\xfe\x80", b"q\"b\\s", b"", "héllo".encode(), b"\xc2\x9b"]
assert len(objs) == 1, objs
got = [b(a) for a in objs[0]["args"]]
assert got == want, (got, want)
assert objs[0]["cut"] is None, objs[0]["cut"]
assert objs[0]["ret"] == 0 and objs[0]["errno"] is None
' || fail "argument bytes differ"
}

@test "a failed exec: ret, errno name, the caller's comm" {
	run_execer -R -2 exec "$WORK/missing-$TAG" a b
	tool_sync
	check_schema
	py_check '
assert len(objs) == 1, objs
o = objs[0]
assert o["ret"] == -2 and o["errno"] == "ENOENT", o
assert b(o["path"]).endswith(b"missing-" + tag), o["path"]
assert [b(a) for a in o["args"]] == [b"a", b"b"], o["args"]
assert o["comm"] == o["comm_before"] == "execer", o
' || fail "the failed exec's object is wrong"
}

@test "a successful exec: comm before and after, uid and user name" {
	run_execer -N before-exec exec "$NOOP" "$TAG"
	tool_sync
	py_check '
assert len(objs) == 1, objs
o = objs[0]
assert o["comm_before"] == "before-exec" and o["comm"] == "noop", o
assert o["uid"] == 0 and o["user"] == "root", o
' || fail "comm or user wrong"
}

@test "an exec from a thread: tid is the thread's, pid the process's" {
	run_execer -w thread exec "$NOOP" "$TAG" thread
	tool_sync
	py_check '
assert len(objs) == 1, objs
o = objs[0]
assert o["tid"] != o["pid"], o
' || fail "tid is not the calling thread's"
}

@test "identities chain a child's exec to its parent's, across generations" {
	"$CHAIN" -n 3 -t "$TAG" >/dev/null || fail "chain failed"
	tool_sync
	check_schema
	py_check '
by = {}
for o in objs:
    if not b(o["args"][-1]).endswith((b"-A", b"-B", b"-C")):
        continue
    g = b(o["args"][-1]).rsplit(b"-", 1)[1]
    by[(b(o["args"][-1]).rsplit(b"-", 2)[1], g)] = o
for c in (b"0", b"1", b"2"):
    a, b_, c_ = by[(c, b"A")], by[(c, b"B")], by[(c, b"C")]
    assert b_["parent_id"] == a["id"], (a, b_)
    assert c_["parent_id"] == b_["id"], (b_, c_)
    assert b_["ppid"] == a["pid"]
' || fail "identities do not chain"
}

@test "what was cut is said: max-args on the command line is not, a long argument list is" {
	run_execer gen "$NOOP" 1024 40 "$TAG"
	tool_sync
	check_schema
	py_check '
assert len(objs) == 1, objs
assert objs[0]["cut"] == ["args-limit"], objs[0]["cut"]
' || fail "the cut is not reported"
}

@test "the path as executed and as resolved: a symlink, a relative path" {
	ln -s "$NOOP" "$WORK/link"
	"$WORK/link" "$TAG" via-link
	(cd "${NOOP%/*}" && "./${NOOP##*/}" "$TAG" relative)
	tool_sync
	check_schema
	NOOP_REAL=$(readlink -f "$NOOP") WORK=$WORK py_check '
seen = {b(o["args"][-1]): o for o in objs}
a, r = seen[b"via-link"], seen[b"relative"]
assert b(a["path"]) == (os.environ["WORK"] + "/link").encode(), a["path"]
assert b(a["path_resolved"]) == os.environ["NOOP_REAL"].encode(), a["path_resolved"]
assert b(r["path"]).startswith(b"./"), r["path"]
assert b(r["path_resolved"]) == os.environ["NOOP_REAL"].encode(), r["path_resolved"]
' || fail "paths as executed and resolved are wrong"
}
