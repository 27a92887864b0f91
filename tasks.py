#!/usr/bin/env python3
"""Project tasks that need nothing but Python 3.11+ (the README's quick start):

    python3 tasks.py demo    # make .venv, install ropa, build the sample notices' ROPA graph, show one notice
    python3 tasks.py test    # make .venv, install ropa with its test extras, run the whole test suite
    python3 tasks.py lint    # ruff over the package, tests and scripts
"""
from __future__ import annotations

import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if sys.platform == "win32" else "bin")


def run(*cmd: str | Path) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    subprocess.run([str(c) for c in cmd], cwd=ROOT, check=True)


def setup(extras: str = "") -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - tasks.py runs under whatever python3 the user has
        sys.exit(f"ropa needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not (BIN / "python").exists():
        venv.EnvBuilder(with_pip=True).create(VENV)
    run(BIN / "python", "-m", "pip", "install", "-q", "--disable-pip-version-check", "-e", f".{extras}")


def demo() -> None:
    setup()
    run(BIN / "ropa", "build", "data/notices", "-o", "build/ropa.trig")
    run(BIN / "ropa", "export", "build/ropa.trig", "--format", "turtle", "-o", "build/ropa.ttl")
    run(BIN / "ropa", "eval", "build/ropa.trig")
    run(BIN / "ropa", "show", "build/ropa.trig", "--notice", "004_078deb46ad01e314.txt")


def test() -> None:
    setup("[test]")
    run(BIN / "python", "-m", "pytest", "-q", *sys.argv[2:])


def lint() -> None:
    setup("[test]")
    run(BIN / "ruff", "check", "ropa", "tests", "bench", "tasks.py")


TASKS = {"demo": demo, "test": test, "lint": lint}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TASKS:
        sys.exit(__doc__)
    try:
        TASKS[sys.argv[1]]()
    except subprocess.CalledProcessError as err:
        sys.exit(err.returncode)
