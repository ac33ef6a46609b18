#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Runs execs of PROGRAM whose arguments are hostile bytes, and writes the
# argument lists (argv[1:]) as JSON arrays of hex strings to OUT, one an exec.
#   hostile_execs.py PROGRAM TAG OUT
import json
import os
import sys

prog, tag, out = sys.argv[1], sys.argv[2].encode(), sys.argv[3]
cases = [
    [tag, b"line\nbreak", b"\x1b[31mred\x1b[0m", b"bad\xff\xfeutf8", b"tab\there", b"\x7f\x01"],
    [tag, b"x" * 100000],
    [tag] + [b""] * 5000,
    [tag, b"same", b"same", b"a=b", b"MESSAGE=forged", b"\n", b""],
]
with open(out, "w") as f:
    for args in cases:
        pid = os.fork()
        if pid == 0:
            os.execv(prog, [prog.encode()] + args)
        os.waitpid(pid, 0)
        f.write(json.dumps([a.hex() for a in args]) + "\n")
