"""`spine-stretch serve --no-verify` as a real process on a free loopback port, for tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:<port>, without a trailing slash
    log: Path  # the server's stdout and stderr


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_server(workdir: Path) -> Iterator[Server]:
    """The server with its SQLite store and log in `workdir`, up once /healthz answers."""
    port = free_port()
    env = {**os.environ, "SPINE_STRETCH_STORE": f"sqlite:///{workdir / 'serve.db'}"}
    server = Server(f"http://127.0.0.1:{port}", workdir / "serve.log")
    with server.log.open("w") as sink, subprocess.Popen(
        [sys.executable, "-m", "spine_stretch.cli", "serve", "--no-verify", "--port", str(port)],
        env=env, stdout=sink, stderr=sink,
    ) as process:
        try:
            for _ in range(100):
                try:
                    with urllib.request.urlopen(f"{server.url}/healthz", timeout=1):
                        break
                except OSError:
                    time.sleep(0.1)
            else:
                raise AssertionError(f"server did not start: {server.log.read_text()}")
            yield server
        finally:
            process.terminate()
            process.wait(timeout=10)
