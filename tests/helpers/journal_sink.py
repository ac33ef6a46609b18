#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-3-Clause
# Stands in for journald's socket in the storm tests: receives native
# protocol entries at SOCKET (datagrams, or a memfd passed with SCM_RIGHTS)
# and appends each entry's MESSAGE to OUT, one a line, after a text header.
# Ends once its parent (the execsnoop it was started for) has gone and the
# socket is empty, then creates OUT.done.
#   journal_sink.py SOCKET OUT
import array
import os
import socket
import struct
import sys

path, out = sys.argv[1], sys.argv[2]
parent = os.getppid()
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 8 << 20)
s.bind(path + ".new")
os.rename(path + ".new", path)
s.settimeout(0.5)
f = open(out, "ab", buffering=0)
f.write(b"PCOMM            PID    PPID   RET ARGS\n")


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
        if os.getppid() != parent:
            break
        continue
    for level, kind, fds in anc:
        if level == socket.SOL_SOCKET and kind == socket.SCM_RIGHTS:
            fd = array.array("i", fds[:4])[0]
            data = os.pread(fd, os.fstat(fd).st_size, 0)
            os.close(fd)
    f.write(message(data) + b"\n")
open(out + ".done", "w").close()
