#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Wall time of a command untraced, under execsnoop -- and under strace -f.

    sudo scripts/bench/command.py [--rounds N] [--setup CMD] [--tool PATH] -- COMMAND [ARG...]

Runs COMMAND ROUNDS times in each way, interleaved, with --setup CMD (run by
sh, untimed) before each run, such as "make clean" before a build; prints
the median wall time of each way and its ratio to untraced. Checks that
execsnoop and strace saw the same successful execs (path and arguments;
tests/helpers/exec_compare.py) and prints their counts.
"""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, os.path.join(ROOT, "tests", "helpers"))
import exec_compare  # noqa: E402


def timed(argv, out):
    start = time.monotonic()
    with open(out, "wb") as f:
        status = subprocess.run(argv, stdout=f, stderr=subprocess.DEVNULL).returncode
    took = time.monotonic() - start
    if status:
        sys.exit("command.py: %s exited with status %d" % (argv[0], status))
    return took


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--setup", help="shell command run before each run, untimed")
    p.add_argument("--tool", default=os.path.join(ROOT, "execsnoop"))
    p.add_argument("command", nargs="+")
    a = p.parse_args()
    tmp = tempfile.mkdtemp(prefix="execsnoop-bench-")
    ways = {
        "untraced": [],
        "execsnoop --": [a.tool, "-j", "--"],
        "strace -f": ["strace", "-f", "-qq", "-s", "65535", "-e", "trace=execve", "-e",
                      "signal=none", "-o", os.path.join(tmp, "strace.txt")],
    }
    times = {w: [] for w in ways}
    for r in range(a.rounds):
        for way, prefix in ways.items():
            if a.setup:
                subprocess.run(a.setup, shell=True, check=True, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
            times[way].append(timed(prefix + a.command, os.path.join(tmp, way.split()[0] + ".out")))
            print("round %d %-13s %.3f s" % (r + 1, way, times[way][-1]), file=sys.stderr)
    base = statistics.median(times["untraced"])
    print("command: %s" % " ".join(a.command))
    for way in ways:
        m = statistics.median(times[way])
        print("%-13s %8.3f s  (%.3f-%.3f)  %.2fx" % (way, m, min(times[way]), max(times[way]),
                                                      m / base))
    truth = exec_compare.strace_execs(os.path.join(tmp, "strace.txt"))
    seen = exec_compare.execsnoop_execs(os.path.join(tmp, "execsnoop.out"))
    print("execs: strace %d, execsnoop %d, missing %d, extra %d (last round)" %
          (sum(truth.values()), sum(seen.values()), sum((truth - seen).values()),
           sum((seen - truth).values())))


if __name__ == "__main__":
    main()
