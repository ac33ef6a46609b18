#!/usr/bin/env bats
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# --env LIST: chosen environment variables of each exec, read in the kernel
# from the new image's environment area: exact bytes in JSON, NAME=value words
# before the path in text. Environments are built with known bytes (env -i,
# and execve from python for what a shell cannot make).

load helpers

# Runs NOOP with exactly the environment strings given (bytes, in order), argv TAG ARG.
exec_with_env() { # ARG STRING...
	local arg=$1
	shift
	python3 - "$NOOP" "$TAG" "$arg" "$@" <<'EOF'
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
path, tag, arg = (a.encode("utf-8", "surrogateescape") for a in sys.argv[1:4])
# the strings: \xHH escapes give any byte
env = [bytes(s, "latin-1").decode("unicode_escape").encode("latin-1") for s in sys.argv[4:]]
argv = (ctypes.c_char_p * 4)(path, tag, arg, None)
envp = (ctypes.c_char_p * (len(env) + 1))(*env, None)
if os.fork() == 0:
    libc.execve(path, argv, envp)
    os._exit(127)
os.wait()
EOF
}

# The env object of the exec whose last argument is ARG, as Python's repr of bytes pairs.
env_of() { # ARG
	OUT=$TOOL_OUT ARG=$1 PYTHONPATH=$E2E_ROOT/tests/helpers /usr/bin/python3 -c '
import json, os
from json_check import as_bytes
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"] and o["args"][-1] == os.environ["ARG"]:
        e = o.get("env", "absent")
        if not isinstance(e, dict):
            print(e)
        else:
            print([(k, None if v is None else as_bytes(v)) for k, v in e.items()])
        print(o["cut"])
'
}

@test "names and patterns choose variables, in the environment's order, bytes exact" {
	tool_start -j --env 'LD_*,PATH,MY_VAR,NOVALUE'
	exec_with_env chosen 'OTHER=no' 'MY_VAR=a\nb\x1b[31m\xff\xfe' 'LD_PRELOAD=/x.so' \
		'PATH=/bin' 'LD_LIBRARY_PATH=' 'NOVALUE' 'LDX=no'
	tool_sync
	tool_stop
	assert_eq "[('MY_VAR', b'a\\nb\\x1b[31m\\xff\\xfe'), ('LD_PRELOAD', b'/x.so'), ('PATH', b'/bin'), ('LD_LIBRARY_PATH', b''), ('NOVALUE', None)]
None" "$(env_of chosen)" "the chosen variables"
}

@test "the first of a name wins, as getenv finds it; '*' shows all" {
	tool_start -j --env '*'
	exec_with_env dup 'A=1' 'B=2' 'A=3'
	tool_sync
	tool_stop
	assert_eq "[('A', b'1'), ('B', b'2')]
None" "$(env_of dup)" "a repeated name"
}

@test "without --env there is no env field, and a failed exec has null" {
	tool_start -j -x
	exec_with_env plain 'A=1'
	tool_sync
	tool_stop
	assert_eq "absent
None" "$(env_of plain)" "no --env"
	tool_start -j -x --env A
	python3 -c 'import os, sys
try: os.execve("/no/such/file", ["x", sys.argv[1], "failed"], {"A": "1"})
except OSError: pass' "$TAG"
	tool_sync
	tool_stop
	assert_eq "None
None" "$(env_of failed)" "a failed exec: its environment is not read"
}

@test "an environment over 16 KiB is cut: env-limit, and the cut value is a prefix" {
	local big
	big=$(head -c 20000 /dev/zero | tr '\0' v)
	tool_start -j --env 'BIG,AFTER'
	exec_with_env long "BIG=$big" 'AFTER=x'
	tool_sync
	tool_stop
	OUT=$TOOL_OUT TAG=$TAG /usr/bin/python3 -c '
import json, os, sys
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"][-1:] == ["long"]:
        e = o["env"]
        assert list(e) == ["BIG"], e.keys()
        assert 16000 < len(e["BIG"]) < 16384 and set(e["BIG"]) == {"v"}, len(e["BIG"])
        assert o["cut"] == ["env-limit"], o["cut"]
        sys.exit(0)
sys.exit("no exec")
' || fail "the cut environment"
}

@test "text: NAME=value words before the path, escaped like the arguments" {
	tool_start --env 'FOO,ESC'
	exec_with_env text 'FOO=bar baz' 'ESC=a\x1bb' 'SKIP=1'
	tool_sync
	tool_stop
	local line
	line=$(grep -F -- "$TAG text" "$TOOL_OUT")
	[[ $line == *" 0 FOO=bar baz ESC=a\\x1bb $NOOP $TAG text" ]] ||
		fail "expected the variables before the path:" "$line"
}

@test "5000 variables, all chosen: every one, in order" {
	tool_start -j --env 'V*'
	local -a vars=()
	local i
	for ((i = 0; i < 5000; i++)); do
		vars+=("V$i=")
	done
	exec_with_env many "${vars[@]}"
	tool_sync
	tool_stop
	OUT=$TOOL_OUT /usr/bin/python3 -c '
import json, os, sys
for line in open(os.environ["OUT"]):
    o = json.loads(line)
    if o["type"] == "exec" and o["args"][-1:] == ["many"]:
        e = o["env"]
        want = ["V%d" % i for i in range(5000)]
        # 5000 strings "Vn=" take 28890 bytes: those within 16 KiB are there, in order
        assert list(e) == want[:len(e)] and len(e) > 2000, len(e)
        assert all(v == "" for v in e.values())
        assert o["cut"] == ["env-limit"], o["cut"]
        sys.exit(0)
sys.exit("no exec")
' || fail "the variables"
}

@test "bad lists: one clear line and status 2" {
	run_split "$EXECSNOOP" --env ''
	assert_one_line_error "an empty list" "invalid --env"
	assert_eq 2 "$STATUS" "the status"
	run_split "$EXECSNOOP" --env 'A=B'
	assert_one_line_error "a name with =" "invalid --env 'A=B'"
	run_split "$EXECSNOOP" --env $'A\033[2J'
	assert_one_line_error "a control character" "invalid --env 'A\\\\x1b\\[2J'"
	[[ $ERR != *$'\033'* ]] || fail "the escape byte reached the terminal: $ERR"
}
