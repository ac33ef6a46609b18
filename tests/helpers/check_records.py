#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Checks what execsnoop reported against the records execer wrote.

    check_records.py [--fails-hidden] --json RECORDS OUTPUT
    check_records.py [--fails-hidden] [--quote] --prefix RE --line RE --header RE
                     --text RECORDS OUTPUT
    check_records.py [--quote] --plain RECORDS

The records (tests/helpers/execer.c says what they hold) are bytes. --json
compares them with the bytes of execsnoop -j's exec objects, whose lines
must validate against the schema. --text checks text output, for
records that need no escaping only: printable ASCII, and with --quote (the
tool ran with -q) no quote or backslash; the REs are the regular expressions
of the prefix columns, of the columns after them (COMM PID PPID RET ARGS) and
of the header. Each record must be reported once, and no
PID of a record may have more execs reported than it has records.
--fails-hidden: the records of failed execs must not be reported at all.
--plain prints each record with ARGS as text, tab-separated, for the tests
that read the text columns themselves.

Problems go to stderr; the status is 1 when there is any.
"""
import argparse
import json
import re
import os
import sys

from jsonschema.exceptions import best_match

from json_check import as_bytes, validator

SHOWN = 10  # mismatches described in full
# reasons in "cut" about what the records do not hold (the resolved path, the cwd)
CUT_ELSEWHERE = {"path-resolved-limit", "cwd-limit"}
PID = re.compile(rb'"pid":([0-9]+),')  # the first is the pid of an exec or exit object


class Bad(Exception):
    pass


class Record:
    """One line of execer's: MODE CUT MIN COMM PID PPID RET PATH [ARG...]."""

    def __init__(self, n, raw):
        f = raw.rstrip(b"\n").split(b"\t")
        try:
            if len(f) < 8 or f[0] not in (b"=", b"~", b"+") or f[1] not in (b"0", b"1"):
                raise ValueError
            self.n = n
            self.mode = f[0].decode()
            self.cut = f[1] == b"1"
            self.min = int(f[2])
            self.comm = bytes.fromhex(f[3].decode())
            self.pid = int(f[4])
            self.ppid = int(f[5])
            self.ret = "killed" if f[6] == b"killed" else int(f[6])
            self.path = bytes.fromhex(f[7].decode())
            self.args = [bytes.fromhex(a.decode()) for a in f[8:]]
        except ValueError:
            raise Bad("record %d is malformed: %r" % (n, raw[:200]))

    def failed(self):
        return self.ret != 0

    def describe(self):
        how = {
            "=": "",
            "~": " (or, marked as cut, a prefix of the path and arguments of at least %d bytes: "
            "arguments not readable)" % self.min,
            "+": " (marked as cut, a proper prefix of the path and arguments of at least %d bytes)"
            % self.min,
        }[self.mode]
        return ("record %d: comm %r pid %d ppid %d ret %s cut %d%s\n"
                "    path %s\n    args %s" % (self.n, self.comm, self.pid, self.ppid, self.ret,
                                             self.cut, how, show(self.path), show_list(self.args)))


def read_records(path):
    try:
        with open(path, "rb") as f:
            records = [Record(n, raw) for n, raw in enumerate(f, 1)]
    except FileNotFoundError:
        records = []
    if not records:
        raise Bad("execer wrote no records to %s" % path)
    return records


def show(b, at=0, width=60):
    """Bytes as Python shows them, a window of them from a little before AT."""
    start = max(0, at - 16)
    s = repr(b[start:start + width])
    if start:
        s = "[%d:] " % start + s
    if start + width < len(b):
        s += " ... (%d bytes)" % len(b)
    return s


def show_list(args):
    s = "[%s]" % ", ".join(show(a, width=40) for a in args[:6])
    if len(args) > 6:
        s = s[:-1] + ", ... (%d arguments, %d bytes)]" % (len(args), sum(map(len, args)))
    return s


def first_diff(a, b):
    n = min(len(a), len(b))
    return next((i for i in range(n) if a[i] != b[i]), n)


def bytes_diff(what, want, seen):
    i = first_diff(want, seen)
    return "%s differs at byte %d: expected %s, seen %s" % (what, i, show(want, i), show(seen, i))


def args_diff(want, seen):
    for i, (w, s) in enumerate(zip(want, seen)):
        if w != s:
            return bytes_diff("argument %d" % (i + 1), w, s)
    return "expected %d arguments, seen %d: %s" % (len(want), len(seen), show_list(seen))


def prefix_bytes(seen, want):
    """(bytes of argument data, proper) when SEEN is WANT cut short, the last one
    possibly partial; None when it is not. A whole argument counts length + 1."""
    if len(seen) > len(want):
        return None
    partial = False
    for i, a in enumerate(seen):
        if a == want[i]:
            continue
        if i < len(seen) - 1 or not want[i].startswith(a):
            return None
        partial = True
    return sum(len(a) + 1 for a in seen) - partial, partial or len(seen) < len(want)


# JSON output

def lines_until_now(f):
    """(line number, line) of F as it is now: execs of other programs go on
    being written while the lines of the test are checked."""
    size, pos = os.fstat(f.fileno()).st_size, 0
    for n, raw in enumerate(f, 1):
        if pos >= size:
            break
        pos += len(raw)
        yield n, raw


def read_json(path, pids, problems):
    """Exec objects of PIDS by pid, as (line number, object). Their lines, and
    any line that names no pid, must be JSON valid against the schema; the
    lines of other pids (other programs; millions on a busy machine) are
    left to tool_stop, which validates every line once execsnoop has
    stopped. Bad lines go to problems."""
    check, by_pid, bad = validator(), {}, []
    with open(path, "rb") as f:
        for n, raw in lines_until_now(f):
            m = PID.search(raw)
            if m and int(m.group(1)) not in pids:
                continue
            try:
                o = json.loads(raw)
            except ValueError as e:
                bad.append("line %d is not JSON (%s): %r" % (n, e, raw[:200]))
                continue
            err = best_match(check.iter_errors(o))
            if err is not None and err.context:
                # which of exec, exit and summary: the error deepest in the line
                err = max(err.context, key=lambda e: len(e.absolute_path))
            if err is not None:
                bad.append("line %d does not validate, at %s: %s: %r"
                           % (n, err.json_path, err.message[:200], raw[:200]))
            elif o["type"] == "exec" and o["pid"] in pids:
                by_pid.setdefault(o["pid"], []).append((n, o))
    if bad:
        problems.append("execsnoop printed %d line(s) that are not valid JSON of the schema:\n  %s"
                        % (len(bad), "\n  ".join(bad[:5])))
    return by_pid


class Json:
    """What check() asks about an exec object."""

    @staticmethod
    def failed(o):
        return o["ret"] != 0 or o["killed"]

    @staticmethod
    def ppid(o):
        return o["ppid"]

    @staticmethod
    def process(o):
        return o["id"]

    @staticmethod
    def mismatch(r, o):
        return json_mismatch(r, o)

    @staticmethod
    def summary(o):
        return "ret %s%s cut %s path %s args %s" % (
            o["ret"], " killed" if o["killed"] else "", json.dumps(o["cut"]),
            "null" if o["path"] is None else show(as_bytes(o["path"])),
            show_list([as_bytes(a) for a in o["args"]]))


def json_mismatch(r, o):
    """Why exec object O is not the exec of record R; None when it is."""
    comm = as_bytes(o["comm"])
    if comm != r.comm:
        return bytes_diff("comm", r.comm, comm)
    if o["ppid"] != r.ppid:
        return "ppid: expected %d, seen %d" % (r.ppid, o["ppid"])
    if r.ret == "killed":
        if not o["killed"]:
            return "expected killed, seen ret %d, killed false" % o["ret"]
    elif o["killed"] or o["ret"] != r.ret:
        return "ret: expected %d, seen %d%s" % (r.ret, o["ret"], " (killed)" if o["killed"] else "")
    path = None if o["path"] is None else as_bytes(o["path"])
    args = [as_bytes(a) for a in o["args"]]
    cut = [c for c in o["cut"] or [] if c not in CUT_ELSEWHERE] or None
    if r.mode != "+" and path == r.path and args == r.args and (cut is None) != r.cut:
        return None
    if r.mode == "=":
        if path is None:
            return "path: expected %s, seen null (cut %s)" % (show(r.path), json.dumps(cut))
        if path != r.path:
            return bytes_diff("path", r.path, path)
        if args != r.args:
            return args_diff(r.args, args)
        return "cut: expected %s, seen %s" % ("a reason" if r.cut else "null", json.dumps(cut))
    # a prefix: "~" (arguments not readable) or "+" (more than is captured)
    if cut is None:
        return "not marked as cut (cut is null) and not exact: %s" % (
            args_diff(r.args, args) if args != r.args else bytes_diff("path", r.path, path or b""))
    if path is None:
        if r.mode == "+" or r.min:
            return "path: expected %s, seen null (cut %s)" % (show(r.path), json.dumps(cut))
    elif path != r.path:
        return bytes_diff("path", r.path, path)
    got = prefix_bytes(args, r.args)
    if got is None:
        return "the arguments are not a prefix of the expected ones: " + args_diff(r.args, args)
    size, proper = got
    # the path counts as the arguments do: it must be there when they must
    size += len(path) + 1 if path is not None else 0
    if size < r.min:
        return "only %d bytes of path and arguments (%d arguments), expected at least %d" % (
            size, len(args), r.min)
    if r.mode == "+" and not proper:
        return "all the arguments are there, expected a proper prefix (cut %s)" % json.dumps(cut)
    return None


# Text output

def plain(r, quote):
    """True when the record's bytes show as they are in a text line."""
    for b in [r.comm, r.path] + r.args:
        if any(c < 0x20 or c > 0x7e for c in b) or quote and (b'"' in b or b"\\" in b):
            return False
    return True


def text_args(r, quote):
    """ARGS of a plain record as the text output shows it."""
    words = [w.decode() for w in [r.path] + r.args]
    if quote:
        words = ['"%s"' % w for w in words]
    return " ".join(words) + (" ..." if r.cut else "")


def text_ready(r, quote):
    """Why record R can not be checked in text output, or None."""
    if r.mode != "=":
        return "record %d has mode %s (a cut prefix): check it with -j" % (r.n, r.mode)
    if not plain(r, quote):
        return "record %d is not plain ASCII%s: check it with -j" % (
            r.n, " (or holds a quote or backslash, with -q)" if quote else "")
    return None


class Line:
    """One exec's text line: its columns after the prefix ones."""

    def __init__(self, raw, m):
        self.raw = raw
        self.comm, pid, ppid, self.ret, self.args = (g.decode("latin-1") for g in m.groups())
        self.pid, self.ppid = int(pid), int(ppid)


def read_text(path, pids, prefix, line_re, header, problems):
    """Lines of PIDS by pid, as (line number, Line); lines that are neither the
    header nor an exec go to problems."""
    by_pid, bad, nbad = {}, [], 0
    prefix, line_re, header = (re.compile(r.encode()) for r in (prefix, line_re, header))
    with open(path, "rb") as f:
        for n, raw in lines_until_now(f):
            raw = raw.rstrip(b"\n")
            p = prefix.match(raw)
            m = p and line_re.match(raw[p.end():])
            if m:
                if int(m.group(2)) in pids:
                    line = Line(raw.decode("latin-1"), m)
                    by_pid.setdefault(line.pid, []).append((n, line))
            elif not header.search(raw):
                nbad += 1
                bad.append(raw[:400].decode("latin-1"))
                del bad[5:]
    if nbad:
        problems.append("execsnoop printed %d line(s) that are neither the header nor a record:\n  %s"
                        % (nbad, "\n  ".join(bad)))
    return by_pid


class Text:
    """What check() asks about a text line."""

    def __init__(self, quote):
        self.quote = quote

    @staticmethod
    def failed(line):
        return line.ret != "0"

    @staticmethod
    def ppid(line):
        return line.ppid

    @staticmethod
    def process(line):
        return line.pid, line.ppid

    def mismatch(self, r, line):
        return text_mismatch(r, line, self.quote)

    @staticmethod
    def summary(line):
        return "|%s|" % line.raw[:400]


def text_mismatch(r, line, quote):
    want = text_args(r, quote)
    if line.comm != r.comm.decode():
        return "comm: expected %r, seen %r" % (r.comm.decode(), line.comm)
    if line.ppid != r.ppid:
        return "ppid: expected %d, seen %d" % (r.ppid, line.ppid)
    if line.ret != str(r.ret):
        return "ret: expected %s, seen %s" % (r.ret, line.ret)
    if line.args != want:
        i = first_diff(want, line.args)
        return "ARGS differ at byte %d: expected |%s|, seen |%s|" % (
            i, want[i:i + 40], line.args[i:i + 40])
    return None


# Both

def check(records, by_pid, hidden, out):
    """Matches records to reported execs; returns the problems. OUT tells about
    a reported exec: why it is not a record's (mismatch), failed, its parent
    (ppid), the process it is of (process) and a summary. Pids are reused
    (execs of other programs go on meanwhile): an exec that does not match is
    counted against a record only when it is of the process of the exec that
    matched it, or for a failed exec hidden, of a process with its parent."""
    problems, unmatched, want, used, processes = [], 0, {}, set(), {}
    for r in records:
        seen = by_pid.get(r.pid, [])
        if hidden and r.failed():
            for n, item in seen:
                if out.failed(item) and out.ppid(item) == r.ppid:
                    problems.append("a failed exec was reported without -x, line %d: %s"
                                    % (n, out.summary(item)))
            continue
        want[r.pid] = want.get(r.pid, 0) + 1
        why = [(n, item, out.mismatch(r, item)) for n, item in seen if n not in used]
        match = next(((n, item) for n, item, w in why if w is None), None)
        if match is not None:
            used.add(match[0])
            processes.setdefault(r.pid, set()).add(out.process(match[1]))
            continue
        unmatched += 1
        if unmatched > SHOWN:
            continue
        msg = ["no exec reported matches " + r.describe(), "  seen with pid %d:" % r.pid]
        msg += ["    line %d: %s\n      %s" % (n, out.summary(item), w)
                for n, item, w in why] or ["    (none)"]
        problems.append("\n".join(msg))
    if unmatched > SHOWN:
        problems.append("... %d more executions not matched" % (unmatched - SHOWN))
    for pid, count in want.items():
        seen = [(n, item) for n, item in by_pid.get(pid, [])
                if out.process(item) in processes.get(pid, ())]
        if len(seen) > count:
            problems.append("pid %d: expected %d exec(s), seen %d:\n  %s" % (
                pid, count, len(seen),
                "\n  ".join("line %d: %s" % (n, out.summary(item)) for n, item in seen[:10])))
    return problems


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    how = ap.add_mutually_exclusive_group(required=True)
    how.add_argument("--json", action="store_true")
    how.add_argument("--text", action="store_true")
    how.add_argument("--plain", action="store_true")
    ap.add_argument("--fails-hidden", action="store_true")
    ap.add_argument("--quote", action="store_true")
    ap.add_argument("--prefix")
    ap.add_argument("--line")
    ap.add_argument("--header")
    ap.add_argument("records")
    ap.add_argument("output", nargs="?")
    a = ap.parse_args()
    if not a.plain and a.output is None:
        ap.error("the output to check is missing")
    if a.text and None in (a.prefix, a.line, a.header):
        ap.error("--text needs --prefix, --line and --header")
    problems = []
    try:
        records = read_records(a.records)
        if a.plain:
            for r in records:
                why = text_ready(r, a.quote)
                if why:
                    raise Bad(why)
                print("\t".join(map(str, (r.mode, int(r.cut), r.min, r.comm.decode(), r.pid,
                                          r.ppid, r.ret, text_args(r, a.quote)))))
            return 0
        if a.json:
            by_pid = read_json(a.output, {r.pid for r in records}, problems)
            problems += check(records, by_pid, a.fails_hidden, Json)
        else:
            for r in records:
                why = text_ready(r, a.quote)
                if why and not (a.fails_hidden and r.failed()):
                    raise Bad(why)
            by_pid = read_text(a.output, {r.pid for r in records}, a.prefix, a.line, a.header,
                               problems)
            problems += check(records, by_pid, a.fails_hidden, Text(a.quote))
    except Bad as e:
        problems.append(str(e))
    for p in problems:
        print(p, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
