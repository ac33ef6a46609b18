#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Judges what execsnoop printed inside the test kernels; prints the table.

    judge.py [-v] [--only F,F,...] LABEL=DATA...
    judge.py --features [FEATURE...]

DATA is what a kernel's guest (tests/kernels/guest.sh) sent on its data
port; LABEL names the kernel's column. Each feature's cell is
    ok              every exec was shown exactly as it happened;
    unavailable: L  execsnoop refused the feature with the one line L on
                    stderr and a non-zero status, naming the option (allowed
                    below Linux 6.1, for the features beyond plain tracing);
    skip: WHY       the guest kernel cannot do it (ground truth: the
                    helper's status and the sched_process_exec tracepoint);
    FAIL: WHY       anything else.
--only: the features that were run (default: all). -v prints every FAIL's
details after the table. Status 1 when any cell FAILs.
--features prints the features named (default: all), comma-separated, for the
guest; status 2 for a name that is not a feature.
"""
import base64
import io
import json
import os
import re
import subprocess
import sys
import tarfile

HERE = os.path.dirname(os.path.abspath(__file__))
HELPERS = os.path.join(HERE, "..", "helpers")
sys.path.insert(0, HELPERS)
from json_check import as_bytes, validator  # noqa: E402

# the features of plain tracing, which must work on every kernel
PLAIN = ["plain", "x", "t", "T", "U", "u", "q", "n", "l", "P", "c", "j", "max-args"]
# the compat entries, traced by plain tracing too
COMPAT = ["int80", "i386"]
REST = ["e", "cwd", "tree", "s", "container", "p", "cmd", "login", "privilege", "env", "hash",
        "interp"]
FEATURES = PLAIN + REST + COMPAT
TITLES = {
    "plain": "execsnoop", "x": "-x", "t": "-t", "T": "-T", "U": "-U", "u": "-u UID", "q": "-q",
    "n": "-n NAME", "l": "-l LINE", "P": "-P PPID", "c": "-c CGROUP", "j": "-j",
    "max-args": "--max-args", "e": "-e", "cwd": "--cwd", "tree": "--tree", "s": "-s",
    "container": "--container", "p": "-p PID", "cmd": "-- COMMAND", "login": "--login",
    "privilege": "--privilege", "env": "--env LIST", "hash": "--hash", "interp": "interpreter (-j)",
    "int80": "int $0x80 exec", "i386": "i386 program",
}
# COMM PID PPID RET ARGS after the prefix columns; RET is a number or a word (end)
LINE = re.compile(r"^(\S+) +(-?\d+) +(-?\d+) +(-?\d+|[a-z]+) (.*)$")
# a refusal names the option first: "execsnoop: --cwd needs bpf_loop (...)"
REFUSAL = re.compile(r"^execsnoop: --?[^ ]*( [A-Z]+)? needs .+$")
NOOP = "/kt/noop"


class Bad(Exception):
    pass


class Run:
    """One feature's results from the guest."""

    def __init__(self, files):
        self.files = files
        self.out = files.get("out", b"").decode("utf-8", "surrogateescape")
        self.err = files.get("err", b"").decode("utf-8", "surrogateescape")
        st = files.get("status", b"").strip()
        self.status = int(st) if st else None
        self.facts = dict(
            line.split("=", 1) for line in files.get("facts", b"").decode().splitlines() if "=" in line
        )

    def fact(self, key):
        if key not in self.facts:
            raise Bad(f"the guest recorded no {key}")
        return self.facts[key]

    def lines(self, prefix=""):
        """The record lines as (comm, pid, ppid, ret, args), prefix columns dropped."""
        rows = []
        for raw in self.out.splitlines()[1:]:
            m = re.match(prefix, raw) if prefix else None
            if prefix and not m:
                continue
            rest = raw[m.end():] if m else raw
            f = LINE.match(rest)
            if f:
                rows.append((f[1], int(f[2]), int(f[3]), f[4], f[5]))
        return rows

    def one(self, args, prefix="", strip=False):
        """The one line whose ARGS are args."""
        found = [r for r in self.lines(prefix) if (r[4].lstrip(" ") if strip else r[4]) == args]
        if len(found) != 1:
            raise Bad(f"{len(found)} lines with ARGS |{args}|, expected 1; tagged lines: "
                      + repr(self.tagged()))
        return found[0]

    def tagged(self):
        return [line for line in self.out.splitlines() if "kt-" in line and "kt-ready" not in line
                and "kt-sync" not in line][:6]

    def none(self, word):
        if word in self.out:
            raise Bad(f"|{word}| was printed, and must not be: "
                      + repr([line for line in self.out.splitlines() if word in line]))


def expect(cond, what):
    if not cond:
        raise Bad(what)


def check_line(row, comm, pid=None, ppid=None, ret="0"):
    c, p, pp, r, args = row
    expect(c == comm, f"COMM {c}, expected {comm}: {row}")
    expect(pid is None or p == int(pid), f"PID {p}, expected {pid}: {row}")
    expect(ppid is None or pp == int(ppid), f"PPID {pp}, expected {ppid}: {row}")
    expect(r == ret, f"RET {r}, expected {ret}: {row}")


def header(run, start):
    first = run.out.splitlines()[0] if run.out else ""
    expect(first.startswith(start), f"the header does not start with |{start}|: |{first}|")
    return first


def plain_line(run, tag, prefix=""):
    row = run.one(f"{NOOP} {tag} two words 3", prefix)
    check_line(row, "noop", run.fact("pid"), run.fact("ppid"))
    return row


def c_plain(run):
    header(run, "PCOMM ")
    plain_line(run, "kt-plain")


def c_x(run):
    check_line(run.one("/kt/missing-kt-x arg1"), "sh", run.fact("fail_pid"), run.fact("ppid"), "-2")
    plain_line(run, "kt-x-ok")


def c_t(run):
    header(run, "TIME(s) ")
    plain_line(run, "kt-t", r"\d+\.\d{3} +")


def c_T(run):
    header(run, "TIME ")
    plain_line(run, "kt-T", r"\d{2}:\d{2}:\d{2} +")


def c_U(run):
    header(run, "UID ")
    root = [r for r in run.lines(r"0 +") if r[4] == f"{NOOP} kt-U two words 3"]
    nobody = [r for r in run.lines(r"65534 +") if r[4] == f"{NOOP} kt-U-nobody"]
    expect(len(root) == 1, "no line with UID 0 for the exec by root: " + repr(run.tagged()))
    expect(len(nobody) == 1, "no line with UID 65534 for the exec by nobody: " + repr(run.tagged()))


def c_u(run):
    check_line(run.one(f"{NOOP} kt-u-nobody"), "noop")
    run.none("kt-u-root")


def c_q(run):
    check_line(run.one(r'"/kt/noop" "kt-q" "a b" "c\"d" "e\\f"'), "noop")


def c_n(run):
    check_line(run.one(f"{NOOP} kt-n-yes"), "noop")
    run.none("kt-n-no")


def c_l(run):
    check_line(run.one(f"{NOOP} kt-l-yes"), "noop")
    run.none("kt-l-no")


def c_P(run):
    check_line(run.one(f"{NOOP} kt-P-yes"), "noop", ppid=run.fact("agent"))
    run.none("kt-P-no")


def c_c(run):
    check_line(run.one(f"{NOOP} kt-c-yes"), "noop")
    run.none("kt-c-no")


def objects(run):
    """Every line of the output as a JSON object that follows the schema."""
    objs = []
    for n, raw in enumerate(run.files.get("out", b"").splitlines(), 1):
        try:
            o = json.loads(raw)
        except ValueError:
            raise Bad(f"line {n} is not JSON: {raw[:200]!r}")
        problem = next(iter(validator().iter_errors(o)), None)
        expect(problem is None, f"line {n} does not follow the schema: {problem and problem.message}")
        objs.append(o)
    return objs


def tagged_exec(run, tag):
    """The one exec object whose last argument is tag."""
    mine = [o for o in objects(run) if o["type"] == "exec" and o["args"][-1:] == [tag]]
    expect(len(mine) == 1, f"{len(mine)} exec objects ending in {tag}, expected 1")
    return mine[0]


def c_env(run):
    o = tagged_exec(run, "kt-env")
    env = {k: as_bytes(v) for k, v in (o["env"] or {}).items()}
    expect(env == {"KT_A": b"1", "KT_B": b"x\x1by\xff"}, f"env {env!r}")


def c_hash(run):
    o = tagged_exec(run, "kt-hash")
    expect(o["sha256"] == run.fact("sha256") and o["sha256_error"] is None,
           f"sha256 {o['sha256']} ({o['sha256_error']}), expected {run.fact('sha256')}")


def c_interp(run):
    o = tagged_exec(run, "kt-interp")
    expect(o["path"] == "/tmp/kt-script" and o["interpreter"] == "/bin/sh",
           f"path {o['path']}, interpreter {o['interpreter']}")


def c_j(run):
    objs = objects(run)
    mine = [o for o in objs if o.get("pid") == int(run.fact("pid")) and o.get("path") == NOOP]
    expect(len(mine) == 1, f"{len(mine)} objects for pid {run.fact('pid')}, expected 1")
    o = mine[0]
    want = [b"" if h == "-" else bytes.fromhex(h) for h in run.fact("args").split(" ")]
    seen = [as_bytes(a) for a in o["args"]]
    expect(seen == want, f"args {seen!r}, expected {want!r}")
    expect(o["comm"] == "noop" and o["path"] == NOOP and o["ret"] == 0, f"not as executed: {o}")
    expect(o["ppid"] == int(run.fact("ppid")), f"ppid {o['ppid']}, expected {run.fact('ppid')}")
    expect(o["cut"] is None, f"cut {o['cut']}, expected null")


def c_max_args(run):
    check_line(run.one(f"{NOOP} kt-m a ..."), "noop")
    check_line(run.one(f"{NOOP} kt-m2 a"), "noop")


def c_e(run):
    ppid = run.fact("ppid")
    for pid, args, end in ((run.fact("code_pid"), "/bin/sh -c exit 3 kt-e-code", "code=3"),
                           (run.fact("signal_pid"), "/bin/sh -c kill -TERM $$ kt-e-signal",
                            "signal=SIGTERM")):
        check_line(run.one(args), "sh", pid, ppid)
        ends = [r for r in run.lines() if r[1] == int(pid) and r[3] == "end"]
        expect(len(ends) == 1, f"{len(ends)} end lines for pid {pid}, expected 1: {run.tagged()}")
        expect(re.fullmatch(end + r" lived=\d+\.\d{6}s cpu=\d+\.\d{6}s", ends[0][4]),
               f"the end of pid {pid} is not |{end} lived=S cpu=S|: {ends[0]}")


def c_cwd(run):
    expect(" CWD ARGS" in header(run, "PCOMM "), "no CWD column in the header")
    check_line(run.one(f'"/tmp/kt cwd/d" {NOOP} kt-cwd'), "noop")


def c_login(run):
    header(run, "LOGIN    TTY ")
    expect(run.fact("loginuid_status") == "0", "the guest could not set its login uid: "
           + run.files.get("loginuid.err", b"").decode(errors="replace"))
    rows = run.lines(r"1000 +- +")
    found = [r for r in rows if r[4] == f"{NOOP} kt-login"]
    expect(len(found) == 1, "no line with LOGIN 1000 and no TTY: " + repr(run.tagged()))
    check_line(found[0], "noop")


def c_privilege(run):
    header(run, "PCOMM ")
    suid = [line for line in run.out.splitlines()
            if line.startswith("kt-suid ") and line.endswith(" /tmp/kt-suid kt-priv-suid")]
    expect(len(suid) == 1 and " 0 setuid=root /tmp/kt-suid" in suid[0],
           "the setuid exec is not marked setuid=root: " + repr(suid))
    plain = [line for line in run.out.splitlines() if line.endswith(f" {NOOP} kt-priv-none two words 3")]
    expect(len(plain) == 1 and " 0 - " in plain[0], "a plain exec is not marked -: " + repr(plain))


def c_tree(run):
    rows = run.lines()

    def find(suffix):
        found = [r for r in rows if r[4].endswith(suffix)]
        expect(len(found) == 1, f"{len(found)} lines ending in |{suffix}|: {run.tagged()}")
        return found[0]

    parent, child, grand = find(" kt-tree-parent"), find(" kt-tree-child"), find(f"{NOOP} kt-tree-grandchild")
    depth = [len(r[4]) - len(r[4].lstrip(" ")) for r in (parent, child, grand)]
    expect(depth[1] == depth[0] + 2 and depth[2] == depth[1] + 2,
           f"indents {depth}, expected each 2 more than its parent's: {run.tagged()}")
    expect(child[2] == parent[1] and grand[2] == child[1], "the lines are not parent, child, grandchild")


def c_s(run):
    agent = run.fact("agent")
    out = run.out.splitlines()
    expect(any(line.startswith("SUMMARY ") for line in out), "no SUMMARY line")
    spawner = [line for line in out if re.match(rf"^ *{agent} +\S+ +3 +0 +[\d.]+ ", line)]
    expect(spawner, f"no spawner row for pid {agent} with 3 execs, 0 failed: {out[-8:]}")
    expect(any(re.match(r"^ *3 +0 +[\d.]+ /kt/summ$", line) for line in out),
           f"no command row of /kt/summ with 3 execs: {out[-8:]}")


def c_container(run):
    cid = run.fact("id")[:12]
    header(run, "CONTAINER ")
    rows = run.lines(cid + " +")
    expect(any(r[4] == f"{NOOP} kt-container-in" for r in rows),
           f"the exec in the container is not named {cid}: {run.tagged()}")
    rows = run.lines("- +")
    expect(any(r[4] == f"{NOOP} kt-container-out" for r in rows),
           f"the exec outside is not marked -: {run.tagged()}")


def c_p(run):
    child = run.one(f"/bin/sh -c {NOOP} kt-p-grandchild; true kt-p-child")
    check_line(child, "sh", ppid=run.fact("agent"))
    check_line(run.one(f"{NOOP} kt-p-grandchild"), "noop", ppid=child[1])
    run.none("kt-p-out")


def c_cmd(run):
    sh = run.one(f"/bin/sh -c {NOOP} kt-cmd-child; exit 5 kt-cmd")
    check_line(sh, "sh")
    check_line(run.one(f"{NOOP} kt-cmd-child"), "noop", ppid=sh[1])


def c_records(run):
    """execer's records against what execsnoop -j -x printed (tests/helpers/check_records.py)."""
    err = run.files.get("execer.err", b"").decode(errors="replace").strip()
    expect(not err, f"execer: {err}")
    n = len(run.files.get("records", b"").splitlines())
    expect(n >= 3, f"{n} execs recorded by execer, expected 3 or more")
    with open(run.path("records"), "wb") as f:
        f.write(run.files.get("records", b""))
    with open(run.path("out"), "wb") as f:
        f.write(run.files.get("out", b""))
    p = subprocess.run([sys.executable, "-B", os.path.join(HELPERS, "check_records.py"), "--json",
                        run.path("records"), run.path("out")], capture_output=True, text=True)
    expect(p.returncode == 0, "check_records: " + " | ".join(p.stderr.strip().splitlines()[:3]))


c_int80 = c_records
c_i386 = c_records
CHECKS = {f: globals()["c_" + f.replace("-", "_")] for f in FEATURES}


def parse(path):
    """The kernel release and {feature: {file: bytes}} from a guest's data."""
    kernel, feats, cur, b64 = None, {}, None, []
    with open(path, "rb") as f:
        for raw in f:
            line = raw.decode("ascii", "replace").strip()
            if line.startswith("KT-KERNEL "):
                kernel = line.split(" ", 1)[1]
            elif line.startswith("KT-FEATURE "):
                cur, b64 = line.split(" ", 1)[1], []
            elif line.startswith("KT-DONE ") and cur:
                try:
                    tar = tarfile.open(fileobj=io.BytesIO(base64.b64decode("".join(b64))))
                    feats[cur] = {m.name[2:]: tar.extractfile(m).read() for m in tar if m.isfile()}
                except Exception as e:  # a garbled transfer is that feature's FAIL
                    feats[cur] = {"garbled": str(e).encode()}
                cur = None
            elif cur:
                b64.append(line)
    return kernel, feats


def old_kernel(release):
    m = re.match(r"(\d+)\.(\d+)", release or "")
    return bool(m) and (int(m[1]), int(m[2])) < (6, 1)


def judge(feature, files, release, scratch):
    """The cell of one feature, and details for a FAIL."""
    if files is None:
        return "FAIL: no result (the guest stopped or timed out)", ""
    if "garbled" in files:
        return "FAIL: the result was garbled on the way", files["garbled"].decode()
    if "absent" in files:
        return "skip: " + files["absent"].decode(errors="replace").strip(), ""
    run = Run(files)
    run.path = lambda name: os.path.join(scratch, f"{feature}.{name}")
    details = f"execsnoop {files.get('args', b'').decode().strip()}: status {run.status}\n" \
              f"stderr:\n{run.err}stdout (head):\n" + "\n".join(run.out.splitlines()[:20]) \
        if run.out else ""
    err = run.err.splitlines()
    if len(err) == 1 and REFUSAL.match(err[0]) and run.status not in (None, 0) and \
            "kt-" not in run.out:
        if old_kernel(release) and feature in REST:
            return "unavailable: " + err[0], ""
        return "FAIL: refused: " + err[0], details
    if "timeout" in files:
        return "FAIL: " + files["timeout"].decode().strip(), details
    want = 5 if feature == "cmd" else 0
    if run.status != want:
        first = err[0] if err else "nothing on stderr"
        return f"FAIL: status {run.status}, expected {want}: {first}", details
    try:
        CHECKS[feature](run)
    except Bad as e:
        return "FAIL: " + str(e), details
    return "ok", ""


def short(cell):
    """A cell as the table shows it: the full text is listed under the table."""
    if cell.startswith("FAIL"):
        return "FAIL"
    return cell if len(cell) <= 40 else cell[:37] + "..."


def features(names):
    for n in names:
        if n not in FEATURES:
            sys.stderr.write(f"judge.py: unknown feature {n} (one of: {' '.join(FEATURES)})\n")
            return 2
    print(",".join(names or FEATURES))
    return 0


def main(argv):
    if argv[:1] == ["--features"]:
        return features(argv[1:])
    verbose = "-v" in argv
    argv = [a for a in argv if a != "-v"]
    wanted = FEATURES
    if argv[:1] == ["--only"] and len(argv) > 1:
        wanted = argv[1].split(",")
        argv = argv[2:]
    if not argv or any("=" not in a for a in argv):
        sys.stderr.write(__doc__)
        return 2
    scratch = os.path.dirname(os.path.abspath(argv[0].split("=", 1)[1]))
    cols = []
    for arg in argv:
        label, path = arg.split("=", 1)
        release, feats = parse(path)
        cells = {}
        for f in FEATURES:
            if f in wanted:
                cells[f] = judge(f, feats.get(f), release, scratch)
        cols.append((f"{label} ({release or 'no boot'})", cells))
    shown = [f for f in FEATURES if any(f in c for _, c in cols)]
    width = max(len(TITLES[f]) for f in shown) + 2
    colw = [max(len(label), *(len(short(c[f][0])) for f in shown if f in c)) + 2 for label, c in cols]
    print("feature".ljust(width) + "".join(label.ljust(w) for (label, _), w in zip(cols, colw)).rstrip())
    notes, failed = [], False
    for f in shown:
        row = TITLES[f].ljust(width)
        for (label, cells), w in zip(cols, colw):
            cell, details = cells.get(f, ("-", ""))
            row += short(cell).ljust(w)
            if cell != "ok":
                notes.append(f"{label.split()[0]} {TITLES[f]}: {cell}")
                if verbose and details:
                    notes.append("  " + details.rstrip().replace("\n", "\n  "))
            failed = failed or cell.startswith("FAIL")
        print(row.rstrip())
    if notes:
        print()
        print("\n".join(notes))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
