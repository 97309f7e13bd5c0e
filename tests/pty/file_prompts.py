#!/usr/bin/env python3
"""Files an incident through sitrep's prompts on a real pseudo-terminal, answering in Chinese.

    file_prompts.py SITREP_BINARY

The environment (SITREP_DB, SITREP_NOW, …) is passed on. Prints what the terminal showed and
exits 0 only if every prompt appeared and sitrep exited 0.
"""

import fcntl
import os
import pty
import select
import struct
import sys
import termios
import time

binary = sys.argv[1]
args = [binary, "--lang", "zh", "file", "--occurred", "14:05", "--unit", "区应急管理局",
        "--facts", "2号储罐阀门泄漏", "--measures", "已疏散周边群众"]

pid, fd = pty.fork()
if pid == 0:
    os.execv(binary, args)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
seen = b""


def read(timeout):
    global seen
    ready, _, _ = select.select([fd], [], [], timeout)
    if not ready:
        return False
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        return False
    if not chunk:
        return False
    seen += chunk
    return True


def expect(text, timeout=15):
    deadline = time.time() + timeout
    while text.encode() not in seen:
        if time.time() > deadline or not read(deadline - time.time()):
            sys.stdout.write(seen.decode(errors="replace"))
            sys.exit(f"\nnever saw {text!r}")


def send(text):
    time.sleep(0.2)
    os.write(fd, text.encode())


expect("标题")
send("化工厂储罐泄漏\r")
expect("事件类型")
send("危险")
expect("危险化学品")
send("\r")
expect("地点")
send("开发区化工园\r")
while read(15):
    pass
_, status = os.waitpid(pid, 0)
sys.stdout.write(seen.decode(errors="replace"))
code = os.waitstatus_to_exitcode(status)
sys.exit(code)
