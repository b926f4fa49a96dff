"""Starting riskpath as production does, for the deploy tests: static files collected, then
gunicorn with deploy/gunicorn.conf.py in a process of its own."""

from __future__ import annotations

import socket
import subprocess
import sys
from pathlib import Path
from typing import IO

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def collect_static(env: dict[str, str]) -> None:
    subprocess.run(
        [str(BIN / "riskpath"), "collectstatic", "--no-input", "-v", "0"],
        env=env,
        cwd=ROOT,
        check=True,
        timeout=300,
    )


def start(env: dict[str, str], log: IO[str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
