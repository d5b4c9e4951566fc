"""The production WSGI server: waitress, serving until SIGTERM or Ctrl-C stops it cleanly."""

from __future__ import annotations

import signal
from types import FrameType
from typing import Any

import waitress
from flask import Flask

# Request threads: each request is a few milliseconds of CPU and one SQLite write.
THREADS = 8


def create_server(app: Flask, host: str, port: int) -> Any:
    """A waitress server bound to `host`:`port` (0 picks a free port), not yet serving."""
    return waitress.create_server(app, host=host, port=port, threads=THREADS,
                                  ident="spine-stretch")


def address(server: Any) -> str:
    """The URL `server` listens on (the first, when its host name has several addresses)."""
    listen = getattr(server, "effective_listen", None)
    host, port = listen[0] if listen else (server.effective_host, server.effective_port)
    return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"


def _stop(signum: int, frame: FrameType | None) -> None:
    # waitress's loop takes SystemExit as its cue to let its workers finish and return.
    raise SystemExit(0)


def run(server: Any) -> None:
    """Serve until SIGTERM or Ctrl-C; requests already running get waitress's 5 s to end."""
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        server.run()
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.close()
