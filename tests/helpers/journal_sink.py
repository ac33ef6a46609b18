#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Stands in for journald's socket in the storm tests: receives native
# protocol entries at SOCKET (datagrams, or a memfd passed with SCM_RIGHTS)
# and writes each entry's MESSAGE to its standard output, one a line, after a
# text header (a file it opened itself would keep a bind mount from being
# made read-only). Ends once process PID (the execsnoop it was started for)
# has ended and the socket is empty. LABEL only names it for pgrep.
#   journal_sink.py SOCKET PID LABEL
import array
import os
import socket
import struct
import sys

path, watched = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(path + ".new")
# as journald's: any user may send
os.chmod(path + ".new", 0o666)
os.rename(path + ".new", path)
s.settimeout(0.5)
f = os.fdopen(1, "wb", buffering=0)
f.write(b"PCOMM            PID    PPID   RET ARGS\n")


def ended(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def message(entry):
    i = 0
    while i < len(entry):
        nl = entry.index(b"\n", i)
        line = entry[i:nl]
        if b"=" in line:
            k, v = line.split(b"=", 1)
            i = nl + 1
        else:
            k = line
            (n,) = struct.unpack("<Q", entry[nl + 1:nl + 9])
            v = entry[nl + 9:nl + 9 + n]
            i = nl + 9 + n + 1
        if k == b"MESSAGE":
            return v
    return b"(no MESSAGE)"


while True:
    try:
        data, anc, _, _ = s.recvmsg(1 << 20, socket.CMSG_SPACE(4))
    except socket.timeout:
        if ended(watched):
            break
        continue
    for level, kind, fds in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fd = array.array("i", fds[:4])[0]
            data = os.pread(fd, os.fstat(fd).st_size, 0)
            os.close(fd)
    f.write(message(data) + b"\n")
