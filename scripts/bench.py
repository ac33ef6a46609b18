#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
"""Side-by-side benchmark of execsnoop, libbpf-tools' execsnoop and bpftrace's execsnoop.bt.

Every tracer runs unmodified, with default options (the order run adds the time column, the idle
run a uid filter), on the same workloads in one run, its stdout going to a file (or to a pty for
the latency and idle figures), and is stopped with SIGINT before its output is counted. --tool
may be given more than once to measure several builds of execsnoop side by side, one column
each, or one build with other options ("./execsnoop --journal": its entries go to a receiver of
journald's protocol in a mount namespace of its own, which writes their text lines out). The peers are installed by scripts/install-deps.sh bench when missing. Workloads are built
from scripts/bench/ with cc: a static no-op exec target, a spawner that tags each exec's argv[1]
uniquely and can report each exec's pid, and a chain of three execs across CPUs.

The phases run in this order, the quiet ones first:
  idle           context switches per second of the tracer's threads (voluntary and not: its
                 wakeups) over 5 s (--quick 2) without workload, to a pty and to a file, all
                 tracers at once, each tracing only a uid that has no account and no process
                 (execsnoop.bt has no filter option: a copy with a uid predicate on its probe),
                 so that other execs on the machine do not wake it; the system's forks in the
                 window (/proc/stat) and its execs (the tracers' exec programs' runs) are reported
  latency        exec (stamped in the child just before execve) until its line is read from
                 the pty master, p50 and p99 at 30 execs/s (150 execs; --quick 60) and at 1000
                 execs/s (1000; --quick 300), over 3 rounds (--quick 2) that share those execs
                 out: each tracer in turn, in an order that turns each round, one session a
                 round for both rates; percentiles of all the rounds' lines together
  kernel cost    BPF run time of the tracer's programs (kernel BPF stats, read from
                 /proc/PID/fdinfo) per exec they saw
  throughput     execs/s of a serial fork+exec loop, each traced run between two untraced ones,
                 in rounds (3, --quick 2)
  tracer CPU     CPU time of the tracer process per event found in its output, median over
                 the rounds of the small and big storms
  storms         parallel vfork+exec spawners, 1250 execs each (--quick: 500) but none started
                 after 10 s (a machine that slow has smaller storms, and the table says so),
                 each storm under a fresh tracer session:
                   small, big   8 spawners, 1 argument / 40 arguments of 120 bytes
                   huge         16 spawners, 250 arguments of 120 bytes (about 30 KB an exec)
                   stopped      big with 2500 execs each (--quick: 500), the tracer SIGSTOPped
                                for 2 s mid-storm
                   throttled    big, the tracer held to 10% of a CPU by a cgroup v1 cpu quota
                                until the storm ends, then let drain
                 delivered: unique tags in the output; full / cut / missing: execs matched by
                 pid to a line with every argument whole / a line with arguments incomplete or
                 ending in " ..." / no line; the losses the tracer reported, and whether printed
                 + reported lost adds up to the execs generated
  order          share of adjacent lines whose time goes backwards in a small storm run with
                 the time column, and share of 200 three-generation exec chains (A execs on
                 CPU0, its child B on CPU1, B's child C on CPU0; 4 chains at a time, after the
                 storm in the same session) printed A, B, C in order
And from every session:
  time to ready  process start until one of its exec programs has run (run_cnt > 0) on a marker
                 exec issued every 2 ms: the same signal for all three, independent of
                 buffering; the median over all of a tracer's starts
  memory         steady RSS (VmRSS after a storm) and peak RSS (VmHWM, the higher of the small
                 and big storms), memlock of its BPF maps, its perf buffer mappings

The table ends with each phase's time and the run's wall time. kernel.pid_max is raised to
4194304 for the run, so that no pid is reused, and restored at the end; the throttling cgroup is
removed. Needs root. From the project root:
python3 scripts/bench.py [--quick] [--rounds N] [--out FILE] [--keep] [--phases LIST] [--tool PATH]...
"""

import argparse
import ctypes
import fcntl
import json
import os
import platform
import pwd
import re
import select
import shlex
import shutil
import signal
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
CLK_TCK = os.sysconf("SC_CLK_TCK")
BPF_STATS = "/proc/sys/kernel/bpf_stats_enabled"
BPF_SYSCALL = {"x86_64": 321, "aarch64": 280}
BPF_ENABLE_STATS, BPF_STATS_RUN_TIME = 32, 0
TRACEFS = "/sys/kernel/tracing"
PROG_TYPE_KPROBE = 2  # uprobes too (bpftrace's BEGIN/END): not exec hooks
READY_TIMEOUT = 30.0
STOP_TIMEOUT = 15.0

# storm_execs: per spawner (stop_execs: the stopped storm's, which must outlast the tracer's rings);
# lat: (execs/s, execs) of each pty latency run, shared out over lat_rounds; idle_s: the idle window
FULL = dict(rounds=3, tput_secs=1.0, storm_jobs=8, storm_execs=1250, stop_execs=2500, huge_jobs=16,
            lat=((30, 150), (1000, 1000)), lat_rounds=3, chains=200, idle_s=5.0)
QUICK = dict(rounds=2, tput_secs=0.5, storm_jobs=8, storm_execs=500, stop_execs=500, huge_jobs=16,
             lat=((30, 60), (1000, 300)), lat_rounds=2, chains=200, idle_s=2.0)
BIG_ARGS, BIG_BYTES = 40, 120
HUGE_ARGS, HUGE_BYTES = 250, 120
# a storm stops starting execs after this long: on a machine that slow it has fewer execs
STORM_MAX_S = 10.0
IDLE_UID_FROM = 59000  # the idle filter: the first uid from here with no account and no process
MARKER_INTERVAL_US = 2000
CHAIN_JOBS = 4  # chains running at once
# SIGSTOP this long into the storm (or once the tracer has seen this share of it), for this long
STOP_AFTER_S, STOP_AFTER_SHARE, STOP_FOR_S = 0.3, 0.25, 2.0
CPU_CGROUP = "/sys/fs/cgroup/cpu"  # cgroup v1 cpu controller
CFS_PERIOD_US, CFS_QUOTA_US = 100000, 10000  # 10% of one CPU
PID_MAX = "/proc/sys/kernel/pid_max"
PID_MAX_RUN = 4194304  # no pid reused within a run: lines are matched to execs by pid

# storms: name -> (workers and execs each: config keys, arguments, bytes each, how the tracer
# is starved)
STORMS = {
    "small": ("storm_jobs", "storm_execs", 1, 0, None),
    "big": ("storm_jobs", "storm_execs", BIG_ARGS, BIG_BYTES, None),
    "huge": ("huge_jobs", "storm_execs", HUGE_ARGS, HUGE_BYTES, None),
    "stopped": ("storm_jobs", "stop_execs", BIG_ARGS, BIG_BYTES, "sigstop"),
    "throttled": ("storm_jobs", "storm_execs", BIG_ARGS, BIG_BYTES, "cgroup"),
}


def log(msg):
    print("bench: " + msg, file=sys.stderr, flush=True)


class Tracer:
    def __init__(self, name, kind, label, argv, why=None):
        self.name = name
        self.kind = kind  # "ours", "libbpf" or "bpftrace": how its output and losses read
        self.label = label
        self.argv = argv
        self.why = why  # set when the tracer cannot run: reported as n/a
        self.raw = {"argv": argv, "ready_s": [], "throughput": [], "storm": {}, "latency": [],
                    "idle": {}, "order": None, "sessions": []}

    def timed_argv(self):
        """With a time column: execsnoop and libbpf-tools take -t, execsnoop.bt always has one."""
        return self.argv if self.kind == "bpftrace" else self.argv + ["-t"]

    def uid_argv(self, uid, workdir):
        """Tracing only uid: -u for execsnoop and libbpf-tools; execsnoop.bt, which has no filter
        option, as a copy with a uid predicate on its exec probes (None if none is found)."""
        if self.kind != "bpftrace":
            return self.argv + ["-u", str(uid)]
        try:
            with open(self.argv[-1]) as f:
                text, n = re.subn(r"^((?:tracepoint|rawtracepoint|kprobe|kretprobe|fentry|fexit):"
                                  r"\S+)[ \t]*$", r"\1 /uid == %d/" % uid, f.read(), flags=re.M)
        except OSError:
            return None
        if not n:
            return None
        path = os.path.join(workdir, "execsnoop-uid%d.bt" % uid)
        with open(path, "w") as f:
            f.write(text)
        return self.argv[:-1] + [path]

    @property
    def ok(self):
        return self.why is None


# A stand-in for journald for --journal columns: in a mount namespace of the tracer's own, a
# receiver of the native protocol at journald's socket writes each entry's MESSAGE (the text line)
# to the tracer's stdout, so that its lines are counted like the text mode's. The tracer keeps its
# pid (unshare and sh exec it); the receiver's CPU, journald's work, is not counted.
JOURNAL_WRAP = """mount -t tmpfs tmpfs /run/systemd && mkdir /run/systemd/journal || exit 1
(python3 "$0" /run/systemd/journal/socket $$ bench &)
while [ ! -S /run/systemd/journal/socket ]; do sleep 0.01; done
exec "$@"
"""


def journal_wrapped(argv):
    sink = os.path.join(ROOT, "tests", "helpers", "journal_sink.py")
    return [shutil.which("unshare") or "/usr/bin/unshare", "-m", "--propagation", "private",
            "/bin/sh", "-c", JOURNAL_WRAP, sink] + argv


# ---- the kernel's view of a process's BPF objects ----------------------------

def read_kv(path):
    out = {}
    try:
        with open(path) as f:
            for line in f:
                k, sep, v = line.partition(":")
                if sep:
                    out[k.strip()] = v.strip()
    except OSError:
        pass
    return out


def bpf_objects(pid):
    """Programs (with stats) and maps a process holds, keyed by id."""
    progs, maps, linked = {}, {}, set()
    d = "/proc/%d/fdinfo" % pid
    try:
        fds = os.listdir(d)
    except OSError:
        return progs, maps
    for fd in fds:
        kv = read_kv(os.path.join(d, fd))
        if "map_id" in kv:
            maps[int(kv["map_id"])] = {"type": int(kv.get("map_type", -1)),
                                       "memlock": int(kv.get("memlock", 0))}
        elif "prog_id" in kv and "run_cnt" in kv:
            progs[int(kv["prog_id"])] = {"type": int(kv.get("prog_type", -1)),
                                         "run_time_ns": int(kv.get("run_time_ns", 0)),
                                         "run_cnt": int(kv.get("run_cnt", 0))}
        elif "prog_id" in kv:
            linked.add(int(kv["prog_id"]))
    for prog_id in linked - set(progs):
        # program reachable only through a link fd: ask bpftool
        try:
            js = json.loads(subprocess.run(["bpftool", "-j", "prog", "show", "id", str(prog_id)],
                                           capture_output=True, text=True, timeout=10).stdout)
            progs[prog_id] = {"type": PROG_TYPE_KPROBE if js.get("type") == "kprobe" else -1,
                           "run_time_ns": int(js.get("run_time_ns", 0)),
                           "run_cnt": int(js.get("run_cnt", 0))}
        except (OSError, ValueError, subprocess.SubprocessError):
            pass
    return progs, maps


def exec_progs(progs):
    return {k: v for k, v in progs.items() if v["type"] != PROG_TYPE_KPROBE}


def kernel_delta(before, after):
    """BPF run time, execs seen (the busiest program's runs) and program runs in between."""
    ns = sum(p["run_time_ns"] - before[k]["run_time_ns"] for k, p in after.items() if k in before)
    cnts = [p["run_cnt"] - before[k]["run_cnt"] for k, p in after.items() if k in before]
    return ns, (max(cnts) if cnts else 0), sum(cnts)


def latency_runs(cfg):
    """(execs/s, execs) of one round of the pty latency runs: each rate's execs shared out."""
    return [(rate, -(-n // cfg["lat_rounds"])) for rate, n in cfg["lat"]]


def cpu_seconds(pid):
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rpartition(")")[2].split()
        return (int(fields[11]) + int(fields[12])) / CLK_TCK
    except (OSError, IndexError, ValueError):
        return None


def run_ns(pid):
    """CPU time of a process's live threads in ns (precise, unlike the tick-based stat)."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            with open("/proc/%d/task/%s/schedstat" % (pid, tid)) as f:
                total += int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return None
    return total


def context_switches(pid):
    """Voluntary and involuntary context switches of a process's live threads: its wakeups."""
    total = 0
    try:
        for tid in os.listdir("/proc/%d/task" % pid):
            kv = read_kv("/proc/%d/task/%s/status" % (pid, tid))
            total += int(kv["voluntary_ctxt_switches"]) + int(kv["nonvoluntary_ctxt_switches"])
    except (OSError, KeyError, ValueError):
        return None
    return total


def forks_so_far():
    """Processes created system-wide since boot (/proc/stat), read without BPF."""
    try:
        with open("/proc/stat") as f:
            for line in f:
                if line.startswith("processes "):
                    return int(line.split()[1])
    except (OSError, ValueError):
        pass
    return None


def unused_uid():
    """A uid with no account and no process: a filter no exec matches."""
    taken = set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            uids = read_kv("/proc/%s/status" % d).get("Uid", "").split()
            taken.update(int(u) for u in uids)
    uid = IDLE_UID_FROM
    while True:
        try:
            pwd.getpwuid(uid)
        except KeyError:
            if uid not in taken:
                return uid
        uid += 1


def irq_work_ipis():
    """System-wide irq_work interrupts: perf output wakeups raise one each."""
    try:
        with open("/proc/interrupts") as f:
            for line in f:
                if line.split(":")[0].strip() == "IWI":
                    return sum(int(x) for x in line.split(":", 1)[1].split() if x.isdigit())
    except OSError:
        pass
    return None


def vm_rss_kib(pid):
    v = read_kv("/proc/%d/status" % pid).get("VmRSS", "")
    return int(v.split()[0]) if v else None


def vm_hwm_kib(pid):
    v = read_kv("/proc/%d/status" % pid).get("VmHWM", "")
    return int(v.split()[0]) if v else None


def perf_mmap_bytes(pid):
    total = 0
    try:
        with open("/proc/%d/maps" % pid) as f:
            for line in f:
                if "anon_inode:[perf_event]" in line:
                    lo, hi = line.split()[0].split("-")
                    total += int(hi, 16) - int(lo, 16)
    except OSError:
        pass
    return total


# ---- workloads ---------------------------------------------------------------

class Workloads:
    live = set()  # started in the background, stopped at teardown

    def __init__(self, workdir):
        self.spawn = os.path.join(workdir, "spawn")
        self.noop = os.path.join(workdir, "noop")
        self.chain = os.path.join(workdir, "chain")
        cc = os.environ.get("CC", "cc")
        src = lambda n: os.path.join(HERE, "bench", n)
        self._cc([cc, "-O2", "-Wall", "-o", self.spawn, src("spawn.c")])
        self._cc([cc, "-O2", "-Wall", "-o", self.chain, src("chain.c")])
        self.noop_kind = "static, no C library"
        if not self._cc([cc, "-O2", "-static", "-nostdlib", "-o", self.noop, src("noop.c")],
                        must=False) or subprocess.run([self.noop]).returncode:
            self._cc([cc, "-O2", "-static", "-DNOOP_LIBC", "-o", self.noop, src("noop.c")])
            self.noop_kind = "static, C library"

    @staticmethod
    def _cc(argv, must=True):
        try:
            r = subprocess.run(argv, capture_output=True, text=True)
        except OSError as e:
            r = subprocess.CompletedProcess(argv, 127, "", str(e))
        if r.returncode and must:
            raise SystemExit("bench: cannot build workload: %s\n%s" % (" ".join(argv), r.stderr))
        return r.returncode == 0

    def argv(self, prefix, jobs=1, count=0, secs=0.0, interval_us=0, nargs=1, nbytes=0,
             stamps=False, pids=False, storm=False):
        a = [self.spawn, "-t", prefix, "-j", str(jobs), "-a", str(nargs)]
        if storm:
            a += ["-p", "-v"]  # as fast as this machine forks: vfork, workers spread over CPUs
        if count:
            a += ["-n", str(count)]
        if secs:
            a += ["-d", "%.3f" % secs]
        if interval_us:
            a += ["-i", str(interval_us)]
        if nbytes:
            a += ["-b", str(nbytes)]
        if stamps:
            a.append("-s")
        if pids:
            a.append("-P")
        return a + [self.noop]

    def launch(self, prefix, **kw):
        """Start spawn in the background; finish() collects its report."""
        proc = subprocess.Popen(self.argv(prefix, **kw), stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        Workloads.live.add(proc)
        proc.pids_wanted = kw.get("pids", False)
        return proc

    def finish(self, proc):
        out, err = proc.communicate()
        Workloads.live.discard(proc)
        lines = out.decode().splitlines()
        m = re.match(r"execs (\d+) failed (\d+) elapsed_ns (\d+)", lines[0] if lines else "")
        if not m:
            raise SystemExit("bench: workload failed: %s" % err.decode().strip())
        per_exec = {}  # tag -> stamp (-s) or pid (-P)
        for line in lines[1:]:
            tag, n = line.split()
            per_exec[tag] = int(n)
        res = {"execs": int(m.group(1)), "failed": int(m.group(2)),
               "elapsed_s": int(m.group(3)) / 1e9}
        if proc.pids_wanted:
            res["pids"] = {pid: tag for tag, pid in per_exec.items()}
        else:
            res["stamps"] = per_exec
        return res

    def run(self, prefix, **kw):
        return self.finish(self.launch(prefix, **kw))

    def run_chains(self, prefix, chains, jobs):
        r = subprocess.run([self.chain, "-j", str(jobs), "-n", str(chains), "-t", prefix],
                           capture_output=True, text=True)
        m = re.match(r"chains (\d+) failed (\d+) elapsed_ns (\d+)", r.stdout)
        if not m:
            raise SystemExit("bench: chain workload failed: %s" % r.stderr.strip())
        return {"chains": int(m.group(1)), "failed": int(m.group(2)),
                "elapsed_s": int(m.group(3)) / 1e9}

    def start(self, prefix, **kw):
        return subprocess.Popen(self.argv(prefix, **kw), stdout=subprocess.DEVNULL,
                                start_new_session=True)


def stop_group(proc):
    try:
        os.killpg(proc.pid, signal.SIGTERM)
    except ProcessLookupError:
        pass
    try:
        proc.wait(5)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def tag_re(prefix):
    return re.compile(rb"(?<![A-Za-z0-9])" + re.escape(prefix.encode()) + rb"-\d+-\d+")


def count_tags(path, prefix):
    try:
        with open(path, "rb") as f:
            return len(set(tag_re(prefix).findall(f.read())))
    except OSError:
        return 0


# ---- reading the tracers' output lines ---------------------------------------

# execsnoop and libbpf-tools: [TIME(s)] PCOMM PID PPID RET ARGS (PCOMM is padded to 16 columns)
COLUMNS_RE = re.compile(rb"(.{1,16}?) +(\d+) +(\d+) +(-?\d+) (.*)", re.S)
TIME_RE = re.compile(rb"(\d+\.\d+) +")
# execsnoop.bt prints "TIME(ms) PID " and then the arguments as a second event: on a busy
# machine another exec's prefix can come in between, leaving a line "T1 P1 T2 P2 ARGS"
BT_PREFIX_RE = re.compile(rb" *(\d+) +(\d+) ")


def json_record(line):
    """(time, pid, arguments) of an exec object of execsnoop -j, the arguments joined as the
    text line shows them, ending in " ..." when something was cut; None for other lines."""
    try:
        o = json.loads(line)
    except ValueError:
        return None
    if o.get("type") != "exec":
        return None
    as_bytes = lambda v: bytes.fromhex(v["hex"]) if isinstance(v, dict) else v.encode()
    args = b" ".join(as_bytes(v) for v in [o["path"] or ""] + o["args"])
    return o["ts_ns"] / 1e9, o["pid"], args + b" ..." if o["cut"] else args


def records(path, kind, timed):
    """(time or None, pid, arguments) of each line of a tracer's output that parses."""
    try:
        f = open(path, "rb")
    except OSError:
        return
    with f:
        for line in f:
            line = line.rstrip(b"\n")
            if kind == "bpftrace":
                pos, heads = 0, []
                while True:
                    m = BT_PREFIX_RE.match(line, pos)
                    if not m:
                        break
                    heads.append((int(m.group(1)), int(m.group(2))))
                    pos = m.end()
                for i, (ms, pid) in enumerate(heads):
                    yield ms / 1e3, pid, line[pos:].strip() if i == len(heads) - 1 else b""
                continue
            if line.startswith(b"{"):
                rec = json_record(line)
                if rec:
                    yield (rec[0] if timed else None,) + rec[1:]
                continue
            t, pos = None, 0
            if timed:
                m = TIME_RE.match(line)
                if not m:
                    continue
                t, pos = float(m.group(1)), m.end()
            m = COLUMNS_RE.match(line, pos)
            if m:
                yield t, int(m.group(2)), m.group(5).rstrip()


def expected_args(tag, nargs, nbytes):
    """What spawn passed after argv[0], split as (its tag, the rest)."""
    tag = tag.encode()
    if len(tag) < nbytes:
        tag += b"x" * (nbytes - len(tag))
    return tag, b"".join(b" " + b"x" * max(nbytes, 1) for _ in range(nargs - 1))


def scan_output(path, kind, timed=False, storm=None, chain_prefix=None):
    """One pass over an output file.

    storm: (pids {pid: tag}, nargs, nbytes): each exec is full (a line for its pid holds every
    argument whole and does not end in " ..."), cut (a line for its pid, arguments incomplete)
    or missing (no line for its pid); with timed, the share of adjacent lines of the storm whose
    time goes backwards. chain_prefix: the position of each chain's A, B and C lines.
    """
    pids, nargs, nbytes = storm or ({}, 1, 0)
    rest = expected_args("", nargs, nbytes)[1]
    full, cut = set(), set()
    times = []
    chain_re = re.compile(re.escape(chain_prefix.encode()) + rb"-(\d+)-([ABC])(?![\w-])") \
        if chain_prefix else None
    chains = {}
    for n, (t, pid, args) in enumerate(records(path, kind, timed)):
        tag = pids.get(pid)
        if tag is not None:
            ptag = expected_args(tag, 1, nbytes)[0]
            head = args[:len(args) - len(rest)]
            if args.endswith(rest) and head.endswith(b" " + ptag) and not args.endswith(b" ..."):
                full.add(pid)
            else:
                cut.add(pid)
            if t is not None:
                times.append(t)
        if chain_re:
            m = chain_re.search(args)
            if m:
                chains.setdefault(int(m.group(1)), {}).setdefault(m.group(2).decode(), n)
    cut -= full
    res = {"full": len(full), "cut": len(cut), "missing": len(set(pids) - full - cut)}
    if timed and storm:
        back = sum(1 for a, b in zip(times, times[1:]) if b < a)
        res.update(timed_lines=len(times), backwards=back,
                   backwards_share=back / (len(times) - 1) if len(times) > 1 else None)
    if chain_re:
        whole = [c for c in chains.values() if len(c) == 3]
        res.update(chains_complete=len(whole),
                   chains_in_order=sum(1 for c in whole if c["A"] < c["B"] < c["C"]))
    return res


# ---- one tracer process ------------------------------------------------------

class Session:
    live = set()

    def __init__(self, bench, tracer, kind, argv=None):
        self.bench = bench
        self.tracer = tracer
        self.argv = argv or tracer.argv
        bench.seq += 1
        self.id = bench.seq
        base = os.path.join(bench.workdir, "%s-%s-%d" % (tracer.name, kind, self.id))
        self.out_path, self.err_path = base + ".out", base + ".err"
        self.proc = None
        self.ready_s = None
        self.raw = {"kind": kind, "id": self.id}
        self.t_created = time.monotonic()
        tracer.raw["sessions"].append(self.raw)

    def start(self, stdout=None):
        """Start the tracer; True once its exec programs have run on a marker exec."""
        wl = self.bench.wl
        marker = wl.start("M%d" % self.id, secs=READY_TIMEOUT + 5, interval_us=MARKER_INTERVAL_US)
        time.sleep(0.05)
        outf = None if stdout is not None else open(self.out_path, "wb")
        try:
            with open(self.err_path, "wb") as errf:
                t0 = time.monotonic()
                self.proc = subprocess.Popen(self.argv, stdin=subprocess.DEVNULL,
                                             stdout=stdout if stdout is not None else outf,
                                             stderr=errf, start_new_session=True)
            Session.live.add(self)
            while time.monotonic() - t0 < READY_TIMEOUT and self.proc.poll() is None:
                progs, _ = bpf_objects(self.proc.pid)
                if any(p["run_cnt"] for p in exec_progs(progs).values()):
                    self.ready_s = time.monotonic() - t0
                    break
                time.sleep(0.002)
        finally:
            if outf:
                outf.close()
            stop_group(marker)
        self.raw["ready_s"] = self.ready_s
        if self.ready_s is None:
            why = "exited with status %s" % self.proc.returncode if self.proc.poll() is not None \
                else "its programs did not run within %.0f s" % READY_TIMEOUT
            self.stop()
            err = self.stderr_tail()
            self.tracer.why = why + (": " + err if err else "")
            log("%s: not usable: %s" % (self.tracer.label, self.tracer.why))
            return False
        self.tracer.raw["ready_s"].append(self.ready_s)
        self.settle()
        return True

    def settle(self, quiet=0.3, limit=15.0):
        """Wait until the tracer has drained its buffers: it stays under 5% of a CPU."""
        t0 = time.monotonic()
        last, still = run_ns(self.proc.pid) or 0, 0.0
        while time.monotonic() - t0 < limit and self.proc.poll() is None:
            time.sleep(0.05)
            now = run_ns(self.proc.pid) or 0
            still = still + 0.05 if now - last < 0.05 * 1e9 * 0.05 else 0.0
            last = now
            if still >= quiet:
                break
        self.raw.setdefault("settle_s", []).append(round(time.monotonic() - t0, 3))

    def snapshot(self):
        progs, _ = bpf_objects(self.proc.pid)
        return {"progs": progs, "cpu_s": cpu_seconds(self.proc.pid),
                "run_ns": run_ns(self.proc.pid), "iwi": irq_work_ipis()}

    def measure(self, before, after, execs):
        bpf_ns, seen, runs = kernel_delta(before["progs"], after["progs"])
        traced = max(execs, seen)
        d = lambda k: after[k] - before[k] if None not in (after[k], before[k]) else None
        cpu = d("run_ns") / 1e9 if d("run_ns") is not None else d("cpu_s")
        ipis = d("iwi") / execs if d("iwi") is not None and execs else None
        return {"execs": execs, "execs_seen_by_progs": seen, "prog_runs": runs,
                "bpf_run_time_ns": bpf_ns,
                "kernel_ns_per_exec": bpf_ns / traced if traced else None,
                "tracer_cpu_s": cpu, "tracer_stat_cpu_s": d("cpu_s"),
                "irq_work_ipis_per_exec": ipis}

    def memory(self):
        _, maps = bpf_objects(self.proc.pid)
        return {"vm_hwm_kib": vm_hwm_kib(self.proc.pid), "vm_rss_kib": vm_rss_kib(self.proc.pid),
                "map_memlock_bytes": sum(m["memlock"] for m in maps.values()),
                "maps": len(maps),
                "perf_mmap_bytes": perf_mmap_bytes(self.proc.pid)}

    def send(self, sig):
        """Signal the tracer's process group (bpftrace and its children alike)."""
        try:
            os.killpg(self.proc.pid, sig)
        except ProcessLookupError:
            pass

    def stop(self):
        if not self.proc or self.proc.returncode is not None:
            Session.live.discard(self)
            return
        t0 = time.monotonic()
        killed = False
        try:
            self.send(signal.SIGCONT)  # in case it was left stopped
            self.proc.send_signal(signal.SIGINT)
            self.proc.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            killed = True
            self.proc.kill()
            self.proc.wait()
        Session.live.discard(self)
        self.raw.update(exit_status=self.proc.returncode, killed=killed,
                        stop_s=time.monotonic() - t0, wall_s=time.monotonic() - self.t_created, lost_reported=self.lost_reported(),
                        output_cut_mid_line=self.cut_mid_line(), stderr_tail=self.stderr_tail())

    def cut_mid_line(self):
        try:
            with open(self.out_path, "rb") as f:
                f.seek(-1, os.SEEK_END)
                return f.read(1) != b"\n"
        except OSError:
            return False

    def stderr_tail(self):
        try:
            with open(self.err_path, "rb") as f:
                text = f.read().decode(errors="replace")
        except OSError:
            return ""
        lines = [l for l in text.splitlines() if l.strip()]
        return " | ".join(lines[-3:])[-300:]

    def lost_reported(self):
        """Losses the tracer owned up to, on stderr or (bpftrace) in its output."""
        if self.tracer.kind == "ours":
            try:
                with open(self.err_path, "rb") as f:
                    return execsnoop_lost(f.read())
            except OSError:
                return 0
        total = 0
        for path in (self.err_path, self.out_path):
            try:
                with open(path, "rb") as f:
                    total += sum(int(n) for n in re.findall(rb"\b[Ll]ost (\d+) events", f.read()))
            except OSError:
                pass
        return total


def execsnoop_lost(err):
    """Execs this execsnoop reported lost on stderr: its final count, never live ones added to it.

    Current builds: "execsnoop: in total: N execs lost (...)" at exit, "so far: N execs lost"
    while running (cumulative). Older ones: "execsnoop: N events lost in total" at exit, "lost N
    events: the reader fell behind" while running (each since the last), and "N execs not
    traced: too many in flight at once" at exit. A live count stands in only when the final one
    is missing (the tracer was killed).
    """
    last = lambda pat: ([int(n) for n in re.findall(pat, err)] or [None])[-1]
    lost = last(rb"execsnoop: in total: (\d+) execs lost")
    if lost is None:
        lost = last(rb"execsnoop: so far: (\d+) execs lost")
    if lost is not None:
        return lost
    lost = last(rb"execsnoop: (\d+) events lost in total")
    if lost is None:
        lost = sum(int(n) for n in
                   re.findall(rb"execsnoop: lost (\d+) events: the reader fell behind", err))
    return lost + (last(rb"execsnoop: (\d+) execs not traced: too many in flight") or 0)


# ---- the benchmark -----------------------------------------------------------

class Bench:
    def __init__(self, args):
        self.args = args
        self.cfg = dict(QUICK if args.quick else FULL)
        if args.rounds:
            self.cfg["rounds"] = args.rounds
        self.seq = 0
        self.workdir = tempfile.mkdtemp(prefix="execsnoop-bench.")
        self.wl = None
        self.baseline = []
        self.stats_saved = None
        self.stats_fd = None
        self.tracefs_mounted = False
        self.pid_max_saved = None
        self.cgroup = None
        self.tracers = []
        self.phase_s = {}
        self.idle_window = None
        self.t_start = time.monotonic()

    # -- setup and teardown
    def setup(self):
        if os.geteuid() != 0:
            raise SystemExit("bench: run as root: tracers load BPF programs")
        self.install_peers()
        if not os.path.isdir(os.path.join(TRACEFS, "events")):
            os.makedirs(TRACEFS, exist_ok=True)
            r = subprocess.run(["mount", "-t", "tracefs", "tracefs", TRACEFS], capture_output=True)
            self.tracefs_mounted = r.returncode == 0
        self.enable_stats()
        self.raise_pid_max()
        self.wl = Workloads(self.workdir)
        tools = []
        for spec in self.args.tool or ["./execsnoop"]:
            # a build, and options for it: --tool "./execsnoop -j"
            tool, *opts = shlex.split(spec)
            if not os.path.isabs(tool) and not os.path.exists(tool) and \
                    os.path.exists(os.path.join(ROOT, tool)):
                tool = os.path.join(ROOT, tool)
            tools.append([os.path.abspath(tool)] + opts)
        # one column per build: by file name and options, or numbered when they clash
        names = [" ".join([os.path.basename(t[0])] + t[1:]) for t in tools]
        labels = names if len(set(names)) == len(names) else \
            ["execsnoop[%d]" % (i + 1) for i in range(len(tools))]
        ours = [Tracer("ours" if len(tools) == 1 else "ours%d" % (i + 1), "ours", label,
                       journal_wrapped(tool) if "--journal" in tool else tool)
                for i, (tool, label) in enumerate(zip(tools, labels))]
        bpftrace = shutil.which("bpftrace") or "/usr/bin/bpftrace"
        self.tracers = ours + [
            Tracer("libbpf", "libbpf", "libbpf-tools", ["/usr/sbin/execsnoop"]),
            Tracer("bpftrace", "bpftrace", "bpftrace .bt", [bpftrace, "/usr/sbin/execsnoop.bt"]),
        ]
        for t in self.tracers:
            for p in t.argv:
                if p.startswith("/") and not os.access(p, os.R_OK):
                    t.why = "%s not found" % p
            if t.ok and not os.access(t.argv[0], os.X_OK):
                t.why = "%s is not executable" % t.argv[0]
        for t in ours:
            if not t.ok:
                t.why += " (build it with make)"
        for t in self.tracers:
            if not t.ok:
                log("%s: n/a: %s" % (t.label, t.why))

    def enable_stats(self):
        """Program run time accounting: held by an fd (BPF_ENABLE_STATS), else the sysctl."""
        nr = BPF_SYSCALL.get(platform.machine())
        if nr is not None:
            libc = ctypes.CDLL(None, use_errno=True)
            attr = (ctypes.c_uint32 * 4)(BPF_STATS_RUN_TIME, 0, 0, 0)
            fd = libc.syscall(nr, BPF_ENABLE_STATS, attr, ctypes.sizeof(attr))
            if fd >= 0:
                self.stats_fd = fd
                return
        with open(BPF_STATS) as f:
            self.stats_saved = f.read().strip()
        with open(BPF_STATS, "w") as f:
            f.write("1\n")

    def raise_pid_max(self):
        with open(PID_MAX) as f:
            saved = f.read().strip()
        if int(saved) < PID_MAX_RUN:
            self.pid_max_saved = saved
            with open(PID_MAX, "w") as f:
                f.write("%d\n" % PID_MAX_RUN)

    def throttle(self, pid):
        """Hold a process (all its threads) to CFS_QUOTA_US per CFS_PERIOD_US of CPU."""
        if self.cgroup is None:
            path = os.path.join(CPU_CGROUP, "execsnoop-bench.%d" % os.getpid())
            os.mkdir(path)
            self.cgroup = path
        cg_write(self.cgroup, "cpu.cfs_period_us", CFS_PERIOD_US)
        cg_write(self.cgroup, "cpu.cfs_quota_us", CFS_QUOTA_US)
        # a tracer under real-time scheduling is held by the real-time budget, to the same share
        if os.path.exists(os.path.join(self.cgroup, "cpu.rt_runtime_us")):
            cg_write(self.cgroup, "cpu.rt_period_us", CFS_PERIOD_US)
            cg_write(self.cgroup, "cpu.rt_runtime_us", CFS_QUOTA_US)
        cg_write(self.cgroup, "cgroup.procs", pid)

    def unthrottle(self):
        if self.cgroup is not None:
            cg_write(self.cgroup, "cpu.cfs_quota_us", -1)
            if os.path.exists(os.path.join(self.cgroup, "cpu.rt_runtime_us")):
                cg_write(self.cgroup, "cpu.rt_runtime_us", CFS_PERIOD_US * 95 // 100)

    def remove_cgroup(self):
        if self.cgroup is None:
            return
        try:
            self.unthrottle()
            with open(os.path.join(self.cgroup, "cgroup.procs")) as f:
                left = f.read().split()
            for pid in left:  # not ours to stop: hand them back to the root
                cg_write(CPU_CGROUP, "cgroup.procs", pid)
            os.rmdir(self.cgroup)
            self.cgroup = None
        except OSError as e:
            log("cannot remove cgroup %s: %s" % (self.cgroup, e))

    @staticmethod
    def install_peers():
        """libbpf-tools and bpftrace, by the project's installer, when one is missing."""
        if os.path.exists("/usr/sbin/execsnoop") and os.path.exists("/usr/sbin/execsnoop.bt") \
                and shutil.which("bpftrace"):
            return
        r = subprocess.run([os.path.join(HERE, "install-deps.sh"), "bench"])
        if r.returncode:
            log("scripts/install-deps.sh bench failed with status %d" % r.returncode)

    def teardown(self):
        # a second Ctrl-C must not cut the clean-up short
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        for proc in list(Workloads.live):
            proc.kill()
            proc.wait()
        try:
            self.unthrottle()  # so a throttled tracer can stop in time
        except OSError:
            pass
        for s in list(Session.live):
            try:
                s.stop()
            except Exception:  # never leave a tracer behind
                s.proc.kill()
        self.remove_cgroup()
        if self.pid_max_saved is not None:
            with open(PID_MAX, "w") as f:
                f.write(self.pid_max_saved + "\n")
        if self.stats_fd is not None:
            os.close(self.stats_fd)
        if self.stats_saved is not None:
            with open(BPF_STATS, "w") as f:
                f.write(self.stats_saved + "\n")
        if self.tracefs_mounted:
            subprocess.run(["umount", TRACEFS], capture_output=True)
        if self.args.keep:
            log("outputs kept in %s" % self.workdir)
        else:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def elapsed(self):
        return time.monotonic() - self.t_start

    # -- phases
    def throughput(self):
        """Serial fork+exec loop; every traced run sits between two untraced ones."""
        cfg = self.cfg
        secs = cfg["tput_secs"]
        n = len(self.tracers)

        def untraced():
            b = self.wl.run("U%d" % self.seq, secs=secs)
            self.baseline.append(b["execs"] / b["elapsed_s"])

        untraced()
        for r in range(cfg["rounds"]):
            for t in self.tracers[r % n:] + self.tracers[:r % n]:
                if not t.ok:
                    continue
                s = Session(self, t, "tput")
                if not s.start():
                    continue
                prefix = "P%d" % s.id
                before = s.snapshot()
                res = self.wl.run(prefix, secs=secs)
                s.settle()
                m = s.measure(before, s.snapshot(), res["execs"])
                s.stop()
                m.update(round=r, rate=res["execs"] / res["elapsed_s"],
                         delivered=count_tags(s.out_path, prefix))
                untraced()
                m["ratio"] = m["rate"] / statistics.mean(self.baseline[-2:])
                s.raw.update(m)
                t.raw["throughput"].append(m)
            log("throughput round %d/%d done (%.0f s)" % (r + 1, cfg["rounds"], self.elapsed()))

    def storms(self):
        for kind in STORMS:
            # small and big storms again, each tracer in turn: their CPU figures are medians
            for r in range(self.cfg["rounds"] if kind in ("small", "big") else 1):
                for t in self.tracers:
                    if t.ok:
                        self.storm(t, kind, first=r == 0)
            log("%s storms done (%.0f s)" % (kind, self.elapsed()))
        for t in self.tracers:
            mems = [t.raw["storm"][k].get("memory") for k in ("small", "big")
                    if k in t.raw["storm"]]
            mems = [m for m in mems if m]
            if mems:  # the peak over both storms
                t.raw["memory"] = {k: max((m[k] for m in mems if m[k] is not None), default=None)
                                   for k in mems[0]}

    def storm(self, t, kind, first=True):
        """One storm under a fresh tracer session; its output is matched to the execs by pid.
        Every figure is the first storm's but tracer CPU, whose runs are all kept."""
        cfg = self.cfg
        jobs, count, nargs, nbytes, starve = STORMS[kind]
        s = Session(self, t, kind)
        if not s.start():
            return
        prefix = "%s%d" % (kind[0].upper(), s.id)
        if starve == "cgroup":
            try:
                self.throttle(s.proc.pid)
            except OSError as e:
                log("%s: %s storm skipped: cannot throttle it in %s: %s"
                    % (t.label, kind, CPU_CGROUP, e))
                s.stop()
                return
        before = s.snapshot()
        wl = self.wl.launch(prefix, jobs=cfg[jobs], count=cfg[count], secs=STORM_MAX_S,
                            nargs=nargs, nbytes=nbytes, pids=True, storm=True)
        stop = self.pause(s, before, cfg[jobs] * cfg[count]) \
            if starve == "sigstop" else {}
        res = self.wl.finish(wl)
        if starve == "cgroup":
            self.unthrottle()  # let it drain before SIGINT
        s.settle()
        m = s.measure(before, s.snapshot(), res["execs"])
        # the kernel writes a perf buffer's loss record only in front of its next event: a few
        # execs on every CPU let the peers learn of losses at the storm's tail, as they would
        # on a machine that goes on exec'ing
        self.wl.run("F%d" % s.id, jobs=os.cpu_count(), count=2, storm=True)
        s.settle()
        m.update(size=cfg[jobs] * cfg[count], generated=res["execs"], failed=res["failed"],
                 storm_rate=res["execs"] / res["elapsed_s"], args=[nargs, nbytes],
                 workers=cfg[jobs], **stop)
        if stop:
            m["stopped_mid_storm"] = stop["seen_before_stop"] < res["execs"]
        if kind in ("small", "big"):
            m["memory"] = s.memory()
        s.stop()
        if kind != "huge":  # too big to read whole: 30 KB a line
            m["delivered"] = count_tags(s.out_path, prefix)
            m["cpu_us_per_event"] = m["tracer_cpu_s"] * 1e6 / m["delivered"] \
                if m["delivered"] and m["tracer_cpu_s"] is not None else None
        m.update(scan_output(s.out_path, t.kind, storm=(res["pids"], nargs, nbytes)))
        m["lost_reported"] = s.raw.get("lost_reported", 0)
        m["balance"] = m["full"] + m["cut"] + m["lost_reported"] - m["generated"]
        t.raw.setdefault("storm_cpu", {}).setdefault(kind, []).append(m.get("cpu_us_per_event"))
        if first:
            t.raw["storm"][kind] = m
        s.raw["storm"] = m
        if kind == "huge" and not self.args.keep:
            os.unlink(s.out_path)

    @staticmethod
    def pause(s, before, execs):
        """SIGSTOP the tracer STOP_AFTER_S into the storm, or once its programs have seen
        STOP_AFTER_SHARE of it (a fast machine is through a storm in 0.3 s), for STOP_FOR_S."""
        t0 = time.monotonic()
        while True:
            seen = kernel_delta(before["progs"], bpf_objects(s.proc.pid)[0])[1]
            if seen >= execs * STOP_AFTER_SHARE or time.monotonic() - t0 >= STOP_AFTER_S:
                break
            time.sleep(0.002)
        s.send(signal.SIGSTOP)
        at = time.monotonic() - t0
        time.sleep(STOP_FOR_S)
        s.send(signal.SIGCONT)
        return {"stopped_at_s": round(at, 3), "seen_before_stop": seen}

    def order(self):
        """Timestamps going backwards in a small storm, then exec chains across CPUs."""
        cfg = self.cfg
        for t in self.tracers:
            if not t.ok:
                continue
            s = Session(self, t, "order", argv=t.timed_argv())
            if not s.start():
                continue
            prefix, chain_prefix = "T%d" % s.id, "C%d" % s.id
            res = self.wl.run(prefix, jobs=cfg["storm_jobs"], count=cfg["storm_execs"],
                              secs=STORM_MAX_S, pids=True, storm=True)
            s.settle()
            ch = self.wl.run_chains(chain_prefix, cfg["chains"], CHAIN_JOBS)
            s.settle()
            s.stop()
            r = scan_output(s.out_path, t.kind, timed=True, storm=(res["pids"], 1, 0),
                            chain_prefix=chain_prefix)
            r.update(generated=res["execs"], chains=ch["chains"], chains_failed=ch["failed"])
            t.raw["order"] = r
            s.raw["order"] = r
        log("order runs done (%.0f s)" % self.elapsed())

    def idle(self):
        """Wakeups per second of each tracer with nothing to print, to a pty and to a file: all
        at once over one window, each tracing only a uid that never execs."""
        uid = unused_uid()
        started = []  # (tracer, output, session, pty master or None, filtered)
        try:
            for t in self.tracers:
                argv = t.uid_argv(uid, self.workdir) if t.ok else None
                for out in ("pty", "file"):
                    if not t.ok:
                        break
                    s = Session(self, t, "idle-" + out, argv=argv or t.argv)
                    master, slave = open_pty() if out == "pty" else (None, None)
                    started.append((t, out, s, master, argv is not None))
                    try:
                        s.start(stdout=slave)
                    finally:
                        if slave is not None:
                            os.close(slave)
            runs = [r for r in started if r[0].ok]
            before = [(context_switches(r[2].proc.pid), bpf_objects(r[2].proc.pid)[0],
                       time.monotonic()) for r in runs]
            forks, t0 = forks_so_far(), time.monotonic()
            time.sleep(self.cfg["idle_s"])
            forks, secs = forks_so_far() - forks, time.monotonic() - t0
            for (t, out, s, _, filtered), (cs, progs, t1) in zip(runs, before):
                now = context_switches(s.proc.pid)
                n = now - cs if None not in (now, cs) else None
                m = {"wakeups": n, "secs": time.monotonic() - t1, "uid": uid, "filtered": filtered,
                     "execs_seen": kernel_delta(progs, bpf_objects(s.proc.pid)[0])[1]}
                m["wakeups_per_s"] = n / m["secs"] if n is not None else None
                t.raw["idle"][out] = m
                s.raw["idle"] = m
            self.idle_window = {"secs": secs, "forks": forks, "uid": uid}
        finally:
            for _, _, s, master, _ in started:
                s.stop()
                if master is not None:
                    os.close(master)
        log("idle runs done (%.0f s)" % self.elapsed())

    def latency(self):
        """Exec to line on a pty at each rate, in rounds: each tracer in turn, in a turning order,
        one session a round for all rates, so that a host's drift falls on every tracer alike."""
        for r in range(self.cfg["lat_rounds"]):
            live = [t for t in self.tracers if t.ok]  # one that failed to start is left out
            if not live:
                break
            for t in live[r % len(live):] + live[:r % len(live)]:
                self.latency_round(t, r)
        log("latency done (%.0f s)" % self.elapsed())

    def latency_round(self, t, r):
        master, slave = open_pty()
        s = Session(self, t, "pty")
        runs_of = latency_runs(self.cfg)
        prefixes = ["L%dr%d" % (s.id, rate) for rate, _ in runs_of]
        pattern = re.compile(b"|".join(tag_re(p).pattern for p in prefixes))
        seen, runs = {}, []
        done = threading.Event()
        reader = threading.Thread(target=read_pty, args=(master, pattern, seen, done), daemon=True)
        reader.start()
        try:
            ok = s.start(stdout=slave)
            os.close(slave)
            slave = None
            if not ok:
                return
            for prefix, (rate, count) in zip(prefixes, runs_of):
                # a host too slow for the rate gets fewer execs, not a longer run
                res = self.wl.run(prefix, count=count, interval_us=1000000 // rate,
                                  secs=1.5 * count / rate + 1, stamps=True)
                tags = [k.encode() for k in res["stamps"]]
                deadline = time.monotonic() + 2.0
                while any(k not in seen for k in tags) and time.monotonic() < deadline:
                    time.sleep(0.05)
                runs.append((rate, res))
            s.stop()
        finally:
            done.set()
            reader.join(5)
            if slave is not None:
                os.close(slave)
            os.close(master)
        for rate, res in runs:
            lat = sorted((seen[k.encode()] - ns) / 1e6 for k, ns in res["stamps"].items()
                         if k.encode() in seen)
            t.raw["latency"].append({"rate": rate, "round": r,
                                     "reached": res["execs"] / res["elapsed_s"],
                                     "execs": len(res["stamps"]), "shown": len(lat), "ms": lat})

    def run(self):
        self.setup()
        log("workdir %s, exec target: %s" % (self.workdir, self.wl.noop_kind))
        # the quiet phases first, before the storms leave writeback behind
        for name, phase in (("idle", self.idle), ("latency", self.latency),
                            ("throughput", self.throughput), ("storms", self.storms),
                            ("order", self.order)):
            if self.args.phases and name not in self.args.phases:
                continue
            t0 = time.monotonic()
            phase()
            self.phase_s[name] = round(time.monotonic() - t0, 1)
        self.total_s = self.elapsed()

    # -- report
    def raw(self):
        return {
            "kernel": platform.release(), "machine": platform.machine(), "cpus": os.cpu_count(),
            "time": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "quick": self.args.quick,
            "config": self.cfg, "exec_target": self.wl.noop_kind if self.wl else None,
            "big_storm_args": [BIG_ARGS, BIG_BYTES], "huge_storm_args": [HUGE_ARGS, HUGE_BYTES],
            "baseline_rates": self.baseline,
            "total_s": getattr(self, "total_s", None), "phase_s": self.phase_s,
            "idle_window": self.idle_window,
            "tracers": {t.name: dict(t.raw, label=t.label, na=t.why) for t in self.tracers},
        }

    def table(self):
        ts = self.tracers
        cfg = self.cfg
        ref = next(t for t in ts if t.name == "libbpf")
        rows = []

        def med(xs):
            xs = [x for x in xs if x is not None]
            return statistics.median(xs) if xs else None

        def row(title, none, get, fmt, spread=None, ratio=True):
            cells = [none]
            rv = get(ref)
            for t in ts:
                v = get(t)
                if v is None:
                    cells.append("n/a")
                    continue
                c = fmt(v)
                if spread:
                    lo, hi = spread(t)
                    if lo is not None and hi is not None and fmt(lo) != fmt(hi):
                        c += " (%s-%s)" % (fmt(lo), fmt(hi))
                if ratio and t is not ref and rv:
                    c += " %.2fx" % (v / rv)
                cells.append(c)
            rows.append([title] + cells)

        tput = lambda t: [m.get("kernel_ns_per_exec") for m in t.raw["throughput"]]
        rng = lambda f: (lambda t: (min(f(t), default=None), max(f(t), default=None))
                         if [x for x in f(t) if x is not None] else (None, None))
        storm = lambda kind, key: lambda t: t.raw["storm"].get(kind, {}).get(key)
        row("kernel ns/exec, serial loop", "-", lambda t: med(tput(t)), lambda v: "%.0f" % v,
            rng(lambda t: [x for x in tput(t) if x is not None]))
        row("kernel ns/exec, small storm", "-", storm("small", "kernel_ns_per_exec"),
            lambda v: "%.0f" % v)
        row("kernel ns/exec, big storm", "-", storm("big", "kernel_ns_per_exec"),
            lambda v: "%.0f" % v)
        row("irq_work IPIs/exec, small storm", "-", storm("small", "irq_work_ipis_per_exec"),
            lambda v: "%.2f" % v, ratio=False)
        cpu_runs = lambda kind: lambda t: [x for x in t.raw.get("storm_cpu", {}).get(kind, [])
                                           if x is not None]
        for kind in ("small", "big"):
            row("tracer CPU us/event, %s" % kind, "-",
                lambda t, kind=kind: med(cpu_runs(kind)(t)) if cpu_runs(kind)(t) else None,
                lambda v: "%.2f" % v, rng(cpu_runs(kind)))
        ratios = lambda t: [m["ratio"] for m in t.raw["throughput"]]
        row("exec/s serial, x of untraced", "%.0f/s" % med(self.baseline) if self.baseline else "-",
            lambda t: med(ratios(t)), lambda v: "%.3f" % v, rng(ratios), ratio=False)
        size = lambda kind: cfg[STORMS[kind][0]] * cfg[STORMS[kind][1]]
        for kind in ("small", "big"):
            def deliv(t, kind=kind):
                m = t.raw["storm"].get(kind)
                return m["delivered"] / m["generated"] if m and m.get("generated") else None
            row("storm delivered, %s args" % kind, "%d execs" % size(kind), deliv,
                lambda v: "%.1f%%" % (v * 100), ratio=False)
        def storm_rates(t):
            ms = [t.raw["storm"].get(k) for k in ("small", "big")]
            return " | ".join("%.0f" % m["storm_rate"] for m in ms if m) or None
        row("storm execs/s, small | big", "-", storm_rates, lambda v: v, ratio=False)
        def storm_count(m):
            c = "%(full)d/%(cut)d/%(missing)d" % m
            return c + " of %d" % m["generated"] if m["generated"] != m["size"] else c
        for kind in STORMS:
            row("%s storm: full/cut/missing" % kind, "%d execs" % size(kind),
                lambda t, kind=kind: t.raw["storm"].get(kind) and storm_count(t.raw["storm"][kind]),
                lambda v: v, ratio=False)
            row("%s storm: lost reported, exact" % kind, "-",
                lambda t, kind=kind: t.raw["storm"].get(kind) and "%d %s" % (
                    t.raw["storm"][kind]["lost_reported"],
                    "%+d" % t.raw["storm"][kind]["balance"] if t.raw["storm"][kind]["balance"]
                    else "yes"),
                lambda v: v, ratio=False)
        order = lambda key: lambda t: (t.raw["order"] or {}).get(key)
        row("time going back, adjacent lines", "-", order("backwards_share"),
            lambda v: "%.2f%%" % (v * 100), ratio=False)
        row("exec chains in order", "%d chains" % self.cfg["chains"],
            lambda t: t.raw["order"] and "%.1f%% (%d complete)" % (
                t.raw["order"]["chains_in_order"] * 100 / t.raw["order"]["chains"],
                t.raw["order"]["chains_complete"]),
            lambda v: v, ratio=False)
        mem = lambda key, div: lambda t: t.raw.get("memory", {}).get(key) / div \
            if t.raw.get("memory", {}).get(key) is not None else None
        row("steady RSS, MiB", "-", mem("vm_rss_kib", 1024), lambda v: "%.1f" % v)
        row("peak RSS, MiB", "-", mem("vm_hwm_kib", 1024), lambda v: "%.1f" % v)
        row("BPF map memlock, MiB", "-", mem("map_memlock_bytes", 1 << 20), lambda v: "%.2f" % v)
        row("perf buffer mmaps, MiB", "-", mem("perf_mmap_bytes", 1 << 20), lambda v: "%.2f" % v)

        readys = lambda t: [x * 1e3 for x in t.raw["ready_s"]]
        row("time to ready, ms", "-", lambda t: med(readys(t)), lambda v: "%.0f" % v,
            rng(readys))

        rates = [rate for rate, _ in cfg["lat"]]
        # every round's lines together; the spread is of the rounds' own percentiles
        runs = lambda t, rate: [m for m in t.raw["latency"] if m["rate"] == rate]
        pooled = lambda t, rate: [x for m in runs(t, rate) for x in m["ms"]]
        for rate in rates:
            for q in (50, 99):
                row("pty latency p%d, %d execs/s, ms" % (q, rate), "-",
                    lambda t, q=q, rate=rate: percentile(pooled(t, rate), q)
                    if pooled(t, rate) else None, lambda v: "%.2f" % v,
                    rng(lambda t, q=q, rate=rate: [percentile(m["ms"], q)
                                                   for m in runs(t, rate) if m["ms"]]))
        row("pty lines shown, %s execs/s" % " | ".join(map(str, rates)), "-",
            lambda t: " | ".join(
                "%d/%d" % (sum(m["shown"] for m in runs(t, rate)),
                           sum(m["execs"] for m in runs(t, rate))) for rate in rates)
            if t.raw["latency"] else None, lambda v: v, ratio=False)
        win = self.idle_window
        for out in ("pty", "file"):
            row("idle wakeups/s, to a %s" % out,
                "%.1f forks/s" % (win["forks"] / win["secs"]) if win else "-",
                lambda t, out=out: t.raw["idle"].get(out, {}).get("wakeups_per_s"),
                lambda v: "%.1f" % v)

        head = ["", "untraced"] + [t.label for t in ts]
        widths = [max(len(str(r[i])) for r in rows + [head]) for i in range(len(head))]
        lines = ["  ".join(str(c).ljust(w) for c, w in zip(head, widths)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        for r in rows:
            lines.append("  ".join(str(c).ljust(w) for c, w in zip(r, widths)).rstrip())
        notes = ["medians; (min-max) over runs where repeated; Nx = ratio to libbpf-tools",
                 "kernel ns/exec: BPF run time of the tracer's programs per exec they saw, "
                 "including what they trigger (a per-event perf wakeup raises an irq_work IPI)",
                 "time to ready: start until one of its exec programs ran (bpf stats run_cnt) on "
                 "a marker exec every 2 ms, over every start of the run (%s)"
                 % ", ".join("%s %d" % (t.label, len(t.raw["ready_s"])) for t in ts),
                 "storms: vfork+exec spawners pinned round robin to CPUs, each storm under a "
                 "fresh tracer; delivered = unique argv[1] tags in the output file after SIGINT",
                 "storms %dx%d execs: small = 1 arg, big = %d args of %d bytes; huge: %dx%d, %d "
                 "args of %d bytes; stopped: big, %dx%d, tracer SIGSTOPped for %.1f s from %.1f s "
                 "in (or from when it has seen %d%% of the execs); throttled: big, tracer held to "
                 "%d%% of a CPU (cgroup v1 cpu quota) until the storm ends"
                 % (cfg["storm_jobs"], cfg["storm_execs"], BIG_ARGS, BIG_BYTES, cfg["huge_jobs"],
                    cfg["storm_execs"], HUGE_ARGS, HUGE_BYTES, cfg["storm_jobs"],
                    cfg["stop_execs"], STOP_FOR_S, STOP_AFTER_S, STOP_AFTER_SHARE * 100,
                    CFS_QUOTA_US * 100 // CFS_PERIOD_US),
                 "full/cut/missing: execs matched by pid (spawn -P) to a line holding all their "
                 "arguments whole / to a line with arguments missing, shortened or ending in "
                 "\" ...\" / to no line; lost reported: the tracer's own count (execsnoop: its "
                 "final total, taken after a few more execs on every CPU so that perf buffers write "
                 "their pending loss records); exact: full + cut + lost reported = generated, else "
                 "the difference (execsnoop.bt counts lost perf events, two per exec)",
                 "time going back: adjacent lines of a %dx%d small storm whose time column "
                 "decreases (execsnoop, libbpf-tools: -t; execsnoop.bt: its ms column)"
                 % (cfg["storm_jobs"], cfg["storm_execs"]),
                 "exec chains: A execs on CPU0, its child B on CPU1, B's child C on CPU0, %d at "
                 "a time; in order = A's line before B's before C's (complete = all three "
                 "printed), same tracer session as the time figure" % CHAIN_JOBS]
        if any(m["generated"] != m["size"] for t in ts for m in t.raw["storm"].values()):
            notes.append("storms: \" of N\": N execs generated, not the storm's size: execs that "
                         "failed, or stopped after %.0f s on a machine that slow" % STORM_MAX_S)
        notes.append("pty latency: exec (stamped in the child just before execve) until its line "
                     "is read from the pty master, percentiles of all rounds' lines (the rounds' own "
                     "in brackets); %d rounds, each tracer in turn, one session a round for %s"
                     % (cfg["lat_rounds"], ", then ".join(
                         "%d execs at %d/s" % (n, rate) for rate, n in latency_runs(cfg))))
        # per tracer and rate, the slowest round
        slow = ["%s %.0f/s" % (t.label, min(m["reached"] for m in runs(t, rate)))
                for t in ts for rate in rates
                if any(m["reached"] < 0.9 * m["rate"] for m in runs(t, rate))]
        if slow:
            notes.append("pty latency: the spawner fell behind its rate: " + ", ".join(slow))
        if win:
            unfiltered = [t.label for t in ts if t.raw["idle"] and
                          not all(m["filtered"] for m in t.raw["idle"].values())]
            execs = [m["execs_seen"] for t in ts for m in t.raw["idle"].values()]
            notes.append("idle wakeups: context switches of the tracer's threads per second over "
                         "%.0f s without workload, all tracers at once, each tracing only uid %d "
                         "(no account, no process; execsnoop.bt, which has no filter option: a "
                         "copy with /uid == %d/ on its probe); meanwhile the system forked %d "
                         "processes (/proc/stat) and exec'd %d times (the tracers' exec programs' "
                         "runs, median)" % (win["secs"], win["uid"], win["uid"], win["forks"],
                                            med(execs) or 0))
            if unfiltered:
                notes.append("idle wakeups: %s traced every uid: it also woke for those execs"
                             % ", ".join(unfiltered))
        notes.append("%s, %d CPUs, kernel %s, %d throughput rounds; phases: %s; %.0f s in all"
                     % ("quick" if self.args.quick else "full", os.cpu_count(), platform.release(),
                        cfg["rounds"], ", ".join("%s %.0f s" % kv for kv in self.phase_s.items()),
                        getattr(self, "total_s", 0)))
        for t in ts:
            if not t.ok:
                notes.append("%s: n/a: %s" % (t.label, t.why))
            if t.raw["sessions"]:
                lost = sum(s.get("lost_reported", 0) for s in t.raw["sessions"])
                killed = sum(1 for s in t.raw["sessions"] if s.get("killed"))
                bad = [s.get("exit_status") for s in t.raw["sessions"] if s.get("exit_status")]
                cut = sum(1 for s in t.raw["sessions"] if s.get("output_cut_mid_line"))
                serial = [m["delivered"] / m["execs"] for m in t.raw["throughput"] if m["execs"]]
                if lost or killed or bad or cut:
                    notes.append("%s: %d events reported lost, %d stops needed SIGKILL, %d outputs "
                                 "end mid-line, exit statuses %s" % (t.label, lost, killed, cut,
                                                                     bad or "0"))
                stopped = t.raw["storm"].get("stopped")
                if stopped and not stopped["stopped_mid_storm"]:
                    notes.append("%s: the storm was over before the tracer was stopped" % t.label)
                if serial and min(serial) < 1:
                    notes.append("%s: serial loop delivered only %.1f%% in its worst run" %
                                 (t.label, min(serial) * 100))
        return "\n".join(lines + [""] + notes)


def cg_write(cgroup, name, value):
    with open(os.path.join(cgroup, name), "w") as f:
        f.write("%s\n" % value)


def percentile(xs, q):
    xs = sorted(xs)
    k = max(0, min(len(xs) - 1, int(round(q / 100 * len(xs) + 0.5)) - 1))
    return xs[k]


def open_pty():
    """A terminal of 50 rows of 200 columns: (master, slave)."""
    master, slave = os.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, 200, 0, 0))
    return master, slave


def read_pty(master, pattern, seen, done):
    buf = b""
    while True:
        r, _, _ = select.select([master], [], [], 0.05)
        if not r:
            if done.is_set():
                return
            continue
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: no writer left
            return
        if not data:
            return
        now = time.monotonic_ns()
        buf += data
        *lines, buf = buf.split(b"\n")
        for line in lines:
            for tag in pattern.findall(line):
                seen.setdefault(tag, now)


PHASES = ("idle", "latency", "throughput", "storms", "order")


def main():
    p = argparse.ArgumentParser(description="Benchmark execsnoop side by side with "
                                "libbpf-tools' execsnoop and bpftrace's execsnoop.bt.")
    p.add_argument("--tool", action="append", metavar="PATH",
                   help="execsnoop binary (default ./execsnoop), with options if quoted "
                   "(\"./execsnoop -j\"); give it again to measure several side by side")
    p.add_argument("--out", metavar="FILE", help="write raw figures as JSON to FILE")
    p.add_argument("--quick", action="store_true", help="fewer rounds and smaller storms")
    p.add_argument("--rounds", type=int, help="throughput rounds and small and big storm "
                   "rounds (default 3, quick 2)")
    p.add_argument("--keep", action="store_true", help="keep the tracers' output files")
    p.add_argument("--phases", type=lambda v: v.split(","), metavar="LIST",
                   help="run only these phases, comma-separated: " + ",".join(PHASES))
    args = p.parse_args()
    if args.phases and not set(args.phases) <= set(PHASES):
        p.error("--phases takes some of: " + ",".join(PHASES))
    if args.rounds is not None and args.rounds < 1:
        p.error("--rounds must be at least 1")

    bench = Bench(args)
    # stop cleanly on either, even when started with SIGINT ignored
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    try:
        bench.run()
    except KeyboardInterrupt:
        log("interrupted")
        return 130
    finally:
        bench.teardown()
    print(bench.table())
    wall = time.monotonic() - bench.t_start
    print("wall time: %d min %02d s" % (wall // 60, wall % 60))
    if args.out:
        with open(args.out, "w") as f:
            json.dump(bench.raw(), f, indent=1)
            f.write("\n")
        log("raw figures in %s" % args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
