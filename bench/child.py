"""Reaping a benchmark's child process: its exit code and its own resource usage (peak RSS), with a time limit."""
from __future__ import annotations

import os
import resource
import subprocess
import time


def reap(proc: subprocess.Popen, timeout: float) -> tuple[resource.struct_rusage, bool]:
    """Wait for ``proc`` (killing it after ``timeout`` seconds); set its returncode and return its rusage (from
    wait4: the child's own peak RSS, not this process's) and whether it ran out of time."""
    deadline = time.monotonic() + timeout
    timed_out = False
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        if time.monotonic() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            timed_out = True
            break
        time.sleep(0.05)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return usage, timed_out
