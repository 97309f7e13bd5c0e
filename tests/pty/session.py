#!/usr/bin/env python3
"""Runs a program on a real pseudo-terminal and answers it as a person would.

    session.py STEPS_JSON STDOUT_FILE PROGRAM [ARGS...]

STEPS_JSON is a list of steps, each ["expect", text] (wait until the terminal has shown text
after what the previous expect matched, escape sequences aside) or ["send", text] (type it:
"\\r" is Enter, "\\x1b" Esc, "\\x7f" Backspace, "\\x03" Ctrl-C). The program's stdout goes to
STDOUT_FILE, so the terminal shows only what it writes to stderr (prompts, errors, notes);
stdin and stderr are the terminal. The environment is passed on.

Prints everything the terminal showed (escape sequences removed), then exits with the program's exit code, or 100 (with
the reason on stderr) if an expected text never appeared.
"""

import fcntl
import json
import os
import pty
import re
import select
import struct
import sys
import termios
import time

steps = json.loads(sys.argv[1])
stdout_file = sys.argv[2]
program = sys.argv[3:]

pid, fd = pty.fork()
if pid == 0:
    out = os.open(stdout_file, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(out, 1)
    os.execv(program[0], program)

fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
seen = b""
ANSI = re.compile(rb"\x1b\[[0-9;?]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>78]")


def read(timeout):
    global seen
    ready, _, _ = select.select([fd], [], [], max(timeout, 0))
    if not ready:
        return False
    try:
        chunk = os.read(fd, 65536)
    except OSError:
        return False
    if not chunk:
        return False
    seen += chunk
    return True


def shown():
    return ANSI.sub(b"", seen).decode(errors="replace")


def finish(code):
    sys.stdout.write(shown())
    sys.stdout.flush()
    sys.exit(code)


position = 0
for action, text in steps:
    if action == "expect":
        deadline = time.time() + 20
        while True:
            found = shown().find(text, position)
            if found >= 0:
                position = found + len(text)
                break
            if time.time() > deadline or not read(deadline - time.time()):
                sys.stderr.write(f"never saw {text!r} after position {position}\n")
                os.kill(pid, 9)
                os.waitpid(pid, 0)
                finish(100)
    elif action == "send":
        time.sleep(0.15)
        os.write(fd, text.encode())
    else:
        sys.exit(f"unknown step {action!r}")

while read(20):
    pass
_, status = os.waitpid(pid, 0)
finish(os.waitstatus_to_exitcode(status))
