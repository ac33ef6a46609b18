#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Compares the successful execs in strace -f output with execsnoop -j's.

    exec_compare.py STRACE_FILE JSON_FILE

Each exec is its path and argv[1:] as bytes; the two multisets must be equal.
The names of compilers' temporary files (/tmp/ccXXXXXX.s), random in each
run, are made equal. Prints the counts, then what is missing or extra, and
exits 1 on a difference. strace must have run with -f -s 65535 -e trace=execve.
"""
import collections
import json
import re
import sys

from json_check import as_bytes

CALL = re.compile(rb'^execve\("((?:[^"\\]|\\.)*)", \[')
STRING = re.compile(rb'"((?:[^"\\]|\\.)*)"(, |\])')
RESULT = re.compile(rb'.*\)\s+=\s+(-?\d+)')
TEMP = re.compile(rb'/tmp/cc[A-Za-z0-9]{6}\.')
ESCAPES = {b"n": 10, b"t": 9, b"r": 13, b"v": 11, b"f": 12, b"\\": 92, b'"': 34}


def unescape(s):
    """strace's C escapes, back to bytes."""
    out, i = bytearray(), 0
    while i < len(s):
        c = s[i:i + 1]
        if c != b"\\":
            out += c
            i += 1
            continue
        n = s[i + 1:i + 2]
        if n == b"x":
            out.append(int(s[i + 2:i + 4], 16))
            i += 4
        elif n.isdigit():
            j = i + 1
            while j < i + 4 and s[j:j + 1].isdigit():
                j += 1
            out.append(int(s[i + 1:j], 8))
            i = j
        else:
            out.append(ESCAPES.get(n, ord(n)))
            i += 2
    return bytes(out)


def strace_execs(path):
    pending, execs = {}, collections.Counter()
    for raw in open(path, "rb"):
        pid, _, rest = raw.rstrip(b"\n").partition(b" ")
        rest = rest.lstrip()
        if rest.endswith(b"<unfinished ...>"):
            pending[pid] = rest[:-len(b"<unfinished ...>")].rstrip()
            continue
        if rest.startswith(b"<... execve resumed>"):
            rest = pending.pop(pid, b"") + rest[len(b"<... execve resumed>"):]
        m = CALL.match(rest)
        if not m:
            continue
        path, pos, argv = unescape(m.group(1)), m.end(), []
        # the strings of argv, one after the other, up to its ]
        while rest[pos:pos + 1] != b"]":
            a = STRING.match(rest, pos)
            if not a:
                break
            argv.append(unescape(a.group(1)))
            pos = a.end()
            if a.group(2) == b"]":
                break
        r = RESULT.match(rest, pos)
        if r and r.group(1) == b"0":
            execs[key(path, argv[1:])] += 1
    return execs


def key(path, args):
    return (path, tuple(TEMP.sub(b"/tmp/ccXXXXXX.", a) for a in args))


def execsnoop_execs(path):
    execs = collections.Counter()
    for raw in open(path, "rb"):
        # the command's own output shares the file
        if not raw.startswith(b'{"type":'):
            continue
        o = json.loads(raw)
        if o["type"] == "exec" and o["ret"] == 0:
            execs[key(as_bytes(o["path"]), [as_bytes(a) for a in o["args"]])] += 1
    return execs


def main():
    truth, seen = strace_execs(sys.argv[1]), execsnoop_execs(sys.argv[2])
    print("strace: %d execs, execsnoop: %d execs" % (sum(truth.values()), sum(seen.values())))
    missing, extra = truth - seen, seen - truth
    for what, diff in (("missing", missing), ("extra", extra)):
        for (path, args), n in sorted(diff.items()):
            print("%s %dx: %r %r" % (what, n, path, args))
    sys.exit(1 if missing or extra else 0)


if __name__ == "__main__":
    main()
