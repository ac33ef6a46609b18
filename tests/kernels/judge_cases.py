#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""The verdicts of tests/kernels/judge.py on made-up guest results: a line
that is wrong is a FAIL, and a refusal is "unavailable" only where allowed.
Prints what differs; status 1 when anything does."""
import os
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import judge  # noqa: E402

HEADER = b"PCOMM            PID    PPID   RET ARGS\n"


def plain(line, facts=b"pid=100\nppid=1\n"):
    return {"out": HEADER + line + b"\n", "err": b"", "status": b"0\n", "facts": facts}


def refused(line, status=b"1\n"):
    return {"out": b"", "err": line + b"\n", "status": status, "facts": b""}


GOOD = b"noop             100    1        0 /kt/noop kt-plain two words 3"
NEEDS = b"execsnoop: --cwd needs bpf_loop (Linux 5.17 or newer); this kernel is 5.10"
CASES = [
    # feature, files, kernel, expected start of the cell
    ("plain", plain(GOOD), "6.1.0-1-cloud-amd64", "ok"),
    ("plain", plain(GOOD.replace(b"100", b"101")), "6.1.0", "FAIL: PID 101, expected 100"),
    ("plain", plain(GOOD.replace(b"two words", b"two")), "6.1.0", "FAIL: 0 lines"),
    ("plain", plain(GOOD + b"\n" + GOOD), "6.1.0", "FAIL: 2 lines"),
    ("plain", dict(plain(GOOD), status=b"1\n"), "6.1.0", "FAIL: status 1"),
    ("cwd", refused(NEEDS), "5.10.0-46-cloud-amd64", "unavailable: " + NEEDS.decode()),
    ("cwd", refused(NEEDS), "6.1.0-57-cloud-amd64", "FAIL: refused"),
    ("cwd", refused(NEEDS, b"0\n"), "5.10.0", "FAIL"),
    ("cwd", refused(NEEDS + b"\n" + NEEDS), "5.10.0", "FAIL"),
    ("cwd", refused(b"execsnoop: this kernel lacks bpf_loop: execsnoop needs Linux 5.17 or newer"),
     "5.10.0", "FAIL"),
    ("plain", refused(b"execsnoop: -t needs something"), "5.10.0", "FAIL: refused"),
    ("int80", refused(b"execsnoop: -j needs something"), "5.10.0", "FAIL: refused"),
    ("int80", {"absent": b"the helper was killed by signal 11\n"}, "6.12.0", "skip: the helper"),
    ("e", None, "6.1.0", "FAIL: no result"),
]


def main():
    bad = 0
    with tempfile.TemporaryDirectory() as scratch:
        for feature, files, kernel, want in CASES:
            cell, _ = judge.judge(feature, files, kernel, scratch)
            if not cell.startswith(want):
                print(f"{feature} on {kernel}: expected |{want}...|, seen |{cell}|")
                bad += 1
    print(f"{len(CASES) - bad} of {len(CASES)} verdicts as expected")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
