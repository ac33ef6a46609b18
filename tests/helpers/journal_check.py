#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Compares the argument bytes of journal entries (journalctl -o export) with
# those that were executed (hostile_execs.py): EXECSNOOP_ARGS must give back
# every argument exactly, in order, and EXECSNOOP_ARG each value; the
# arguments also come back through journalctl -o json when given.
#   journal_check.py EXPECTED EXPORT [JSON]
import json
import struct
import sys


def export_entries(data):
    """Entries of the journal export format: lists of (name, bytes)."""
    entries, cur, i = [], [], 0
    while i < len(data):
        if data[i:i + 1] == b"\n":
            if cur:
                entries.append(cur)
            cur = []
            i += 1
            continue
        nl = data.index(b"\n", i)
        line = data[i:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            cur.append((k.decode(), v))
            i = nl + 1
        else:
            (n,) = struct.unpack("<Q", data[nl + 1:nl + 9])
            cur.append((line.decode(), data[nl + 9:nl + 9 + n]))
            i = nl + 9 + n + 1
    if cur:
        entries.append(cur)
    return entries


def json_bytes(v):
    return bytes(v) if isinstance(v, list) else v.encode()


expected = [[bytes.fromhex(a) for a in json.loads(l)] for l in open(sys.argv[1])]
entries = export_entries(open(sys.argv[2], "rb").read())
# each exec's entries: the arguments exactly, or, when cut at the 32 KiB captured
# (EXECSNOOP_CUT=args-limit), exactly their first bytes
execs = [e for e in entries if dict(e).get("EXECSNOOP_TYPE") == b"exec"]
bad = 0


def matches(e, args):
    f = dict(e)
    joined = b"".join(a + b"\0" for a in args)
    got = f.get("EXECSNOOP_ARGS")
    if got is None:
        return False
    if (k := ("EXECSNOOP_CUT", b"args-limit")) in e:
        return len(got) > 30000 and joined.startswith(got[:-1])
    return got == joined


for args in expected:
    found = [e for e in execs if matches(e, args)]
    if len(found) != 1:
        print(f"{len(found)} entries with the arguments of exec {args[:3]!r}... ({len(args)} args)")
        bad += 1
        continue
    e = found[0]
    f = dict(e)
    shown = f["EXECSNOOP_ARGS"].split(b"\0")[:-1]
    if int(f["EXECSNOOP_ARGC"]) != len(shown):
        print(f"EXECSNOOP_ARGC {f['EXECSNOOP_ARGC']!r}, expected {len(shown)}")
        bad += 1
    got = {v for k, v in e if k == "EXECSNOOP_ARG"}
    if got != set(shown[:512]):
        print(f"EXECSNOOP_ARG values differ from the arguments: {sorted(got)[:4]!r}")
        bad += 1
    if f.get("SYSLOG_IDENTIFIER") != b"execsnoop" or b"\n" in f["MESSAGE"]:
        print(f"SYSLOG_IDENTIFIER or MESSAGE wrong: {f.get('SYSLOG_IDENTIFIER')!r} {f['MESSAGE'][:80]!r}")
        bad += 1
if len(sys.argv) > 3:
    seen = set()
    for line in open(sys.argv[3]):
        o = json.loads(line)
        if o.get("EXECSNOOP_TYPE") == "exec" and "EXECSNOOP_ARGS" in o:
            seen.add(json_bytes(o["EXECSNOOP_ARGS"]))
    for args in expected:
        joined = b"".join(a + b"\0" for a in args)
        if not any(joined.startswith(g[:-1]) and (g == joined or len(g) > 30000) for g in seen):
            print(f"journalctl -o json does not give back exec {args[:3]!r}...")
            bad += 1
print(f"{len(expected)} execs checked, {bad} problems")
sys.exit(1 if bad else 0)
