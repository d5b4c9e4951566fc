"""A server as a real process on loopback: started on a free port, its URL read from its banner.

Shared by the serve tests and the load benchmark.
"""

from __future__ import annotations

import re
import select
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

# The banner's "on http://HOST:PORT/": printed once the socket is bound.
_BANNER_URL = re.compile(r" on (http://\S+?)/ ")


@contextmanager
def server_process(argv: Sequence[str], env: Mapping[str, str], log: Path,
                   startup_seconds: float = 60) -> Iterator[tuple[subprocess.Popen[str], str]]:
    """Run `argv` (a server started with port 0), yield it and its base URL; stop it after.

    Its log (stderr) goes to `log`. The process is terminated on the way out if the caller
    has not stopped it.
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
            yield process, found.group(1)
        finally:
            if process.poll() is None:
                process.terminate()
            process.wait(timeout=30)
