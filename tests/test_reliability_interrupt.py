"""No data lost: a ``ropa build -o FILE`` killed (SIGKILL) at random moments leaves the previous file intact and
readable, and the next build completes; Ctrl-C (SIGINT to the process group) stops a build cleanly with exit code
130, one line on standard error and no output; on a terminal the build shows a progress bar.

The store variant (SIGKILL during ``ropa build --store``) is in tests/test_store_embedded.py; bench/limits.py
--kills repeats the file variant many more times.
"""
from __future__ import annotations

import os
import pty
import random
import select
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rdflib import Dataset

ROOT = Path(__file__).resolve().parent.parent
NOTICES = ROOT / "data" / "notices"


def ropa(*args: str | Path, **kw) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "ropa.cli", *map(str, args)], cwd=ROOT, **kw)


def notice_graphs(path: Path) -> int:
    ds = Dataset()
    ds.parse(path, format="trig")
    return len([g for g in ds.graphs() if len(g)])


@pytest.mark.slow
def test_sigkill_at_random_moments_keeps_the_previous_output(tmp_path):
    out = tmp_path / "ropa.trig"
    names = sorted(p.name for p in NOTICES.glob("*.txt"))
    assert ropa("build", NOTICES / names[0], NOTICES / names[1], "-o", out, "-q").wait(60) == 0
    previous = out.read_bytes()
    t0 = time.monotonic()
    assert ropa("build", NOTICES, "-o", tmp_path / "full.trig", "-q").wait(60) == 0
    full_time = time.monotonic() - t0
    complete = (tmp_path / "full.trig").read_bytes()
    rng = random.Random(6)
    for _ in range(5):
        out.write_bytes(previous)  # each kill starts from the two-notice output
        proc = ropa("build", NOTICES, "-o", out, "-q", stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(rng.uniform(0.05, full_time))
        proc.send_signal(signal.SIGKILL)
        proc.wait(10)
        now = out.read_bytes()
        assert now in (previous, complete), "a killed build left a changed, partial output"
        assert notice_graphs(out) == (2 if now == previous else 5)
    assert ropa("build", NOTICES, "-o", out, "-q").wait(60) == 0
    assert out.read_bytes() == complete and notice_graphs(out) == 5
    assert {p.name for p in tmp_path.iterdir() if not p.name.startswith(".")} == {"ropa.trig", "full.trig"}


def _many_notices(folder: Path, copies: int) -> Path:
    folder.mkdir()
    for i in range(copies):
        for p in NOTICES.glob("*.txt"):
            shutil.copy(p, folder / f"{i}-{p.name}")
    return folder


def _read_until(fd: int, marker: bytes, timeout: float) -> bytes:
    seen, deadline = b"", time.monotonic() + timeout
    while marker not in seen and time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.1)
        if ready:
            try:
                chunk = os.read(fd, 4096)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            seen += chunk
    return seen


@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_stops_cleanly_with_130_and_no_output(tmp_path, workers):
    """On a terminal the progress bar shows; Ctrl-C in the middle of extraction leaves nothing behind."""
    many = _many_notices(tmp_path / "many", 20)  # 100 notices: seconds of work, so the signal lands mid-build
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    master, slave = pty.openpty()
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    proc = ropa("build", many, "-o", out_dir / "ropa.trig", "--workers", workers, stdout=subprocess.PIPE,
                stderr=slave, env=env, start_new_session=True)
    os.close(slave)
    try:
        shown = _read_until(master, b"extracting", 60)
        assert b"extracting" in shown, "no progress bar on a terminal"
        time.sleep(0.3)
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does: the whole foreground process group
        stdout, _ = proc.communicate(timeout=30)
        rest = _read_until(master, b"nothing was written", 5)
    finally:
        os.close(master)
        if proc.poll() is None:
            proc.kill()
    assert proc.returncode == 130
    assert stdout == b""
    assert b"interrupted; nothing was written" in shown + rest
    assert b"Traceback" not in shown + rest
    assert list(out_dir.iterdir()) == []


def test_no_progress_bar_when_not_a_terminal(tmp_path):
    proc = ropa("build", NOTICES / "003_5f355bfe8382d069.txt", "-o", tmp_path / "o.trig", stdout=subprocess.PIPE,
                stderr=subprocess.PIPE)
    out, err = proc.communicate(timeout=60)
    assert proc.returncode == 0 and err == b"" and out.startswith(b"built 1 notices")
