"""A server as a real process on a free loopback port, for tests and the load benchmark.

Servers start on port 0 and print a banner naming the port they got, so no port is guessed
and none can be taken in between.
"""

from __future__ import annotations

import os
import re
import select
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

# The banner's "on http://HOST:PORT/": printed once the socket is bound.
_BANNER_URL = re.compile(r" on (http://\S+?)/ ")


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:<port>, without a trailing slash
    log: Path  # the server's log (its stderr)
    process: subprocess.Popen[str]


@contextmanager
def server_process(argv: Sequence[str], env: Mapping[str, str], log: Path,
                   startup_seconds: float = 60) -> Iterator[Server]:
    """Run `argv`, a server started on port 0, until the caller is done; stop it after.

    Terminated on the way out unless the caller has already stopped it.
    """
    with log.open("w") as sink, subprocess.Popen(
        list(argv), env=dict(env), stdout=subprocess.PIPE, stderr=sink, text=True,
    ) as process:
        assert process.stdout is not None
        try:
            ready, _, _ = select.select([process.stdout], [], [], startup_seconds)
            banner = process.stdout.readline() if ready else ""
            found = _BANNER_URL.search(banner)
            if found is None:
                raise AssertionError(f"server did not start: {banner!r}\n{log.read_text()}")
            yield Server(found.group(1), log, process)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)


@contextmanager
def running_server(workdir: Path, settings: Mapping[str, str] | None = None,
                   verify: bool = False) -> Iterator[Server]:
    """`spine-stretch serve` (with --no-verify unless `verify`), its SQLite store and log in
    `workdir`; `settings` adds environment variables."""
    env = {**os.environ, "SPINE_STRETCH_STORE": f"sqlite:///{workdir / 'serve.db'}",
           **(settings or {})}
    argv = [sys.executable, "-m", "spine_stretch.cli", "serve", "--port", "0"]
    with server_process([*argv, *([] if verify else ["--no-verify"])], env,
                        workdir / "serve.log") as server:
        yield server
