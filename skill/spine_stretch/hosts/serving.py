"""The production WSGI server: waitress, serving until SIGTERM or Ctrl-C stops it cleanly."""

from __future__ import annotations

import signal
import socket
from types import FrameType
from typing import Any

import waitress
from flask import Flask

# Request threads: each request is a few milliseconds of CPU and one SQLite write.
THREADS = 8


def listen(host: str, port: int) -> socket.socket:
    """A socket listening on `host`:`port` (0 picks a free port; a name with several addresses
    gets its first), bound before the app is built so the app may know its own URL.

    OSError when the address cannot be had (unknown host, port in use).
    """
    family, _, _, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM,
                                                  flags=socket.AI_PASSIVE)[0]
    return socket.create_server(address, family=family)


def url_of(listening: socket.socket) -> str:
    """The http:// URL a socket from `listen` is reached at, without a trailing slash."""
    host, port = listening.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in str(host) else f"http://{host}:{port}"


def create_server(app: Flask, listening: socket.socket) -> Any:
    """A waitress server for `app` on a socket from `listen`, not yet serving."""
    return waitress.create_server(app, sockets=[listening], threads=THREADS,
                                  ident="spine-stretch")


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
