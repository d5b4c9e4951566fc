"""`spine-stretch serve` as a real process on loopback, driven over HTTP."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import AbstractContextManager
from pathlib import Path

import pytest

from spine_stretch.alexa.envelopes import Conversation

from .server_process import server_process


def serve(tmp_path: Path, *args: str) -> AbstractContextManager[tuple[subprocess.Popen[str], str]]:
    env = {**os.environ, "SPINE_STRETCH_STORE": f"sqlite:///{tmp_path / 'serve.db'}"}
    argv = [sys.executable, "-m", "spine_stretch.cli", "serve", "--port", "0", *args]
    return server_process(argv, env, tmp_path / "serve.log")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with serve(tmp_path, "--no-verify") as (_, url):
        yield url


def post(url: str, body: bytes) -> tuple[int, dict[str, object]]:
    request = urllib.request.Request(f"{url}/alexa", data=body,
                                     headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as reply:
            return reply.status, json.load(reply)
    except urllib.error.HTTPError as refused:
        return refused.code, json.load(refused)


def test_posting_a_launch_request_starts_the_session(server: str) -> None:
    status, response = post(server, json.dumps(Conversation().launch()).encode())
    assert status == 200
    body = response["response"]
    assert isinstance(body, dict)
    assert "Sit on the floor" in body["outputSpeech"]["ssml"]
    assert body["shouldEndSession"] is False


def test_by_default_an_unsigned_request_is_refused(tmp_path: Path) -> None:
    with serve(tmp_path) as (_, url):
        status, answer = post(url, json.dumps(Conversation().launch()).encode())
    assert status == 400 and answer["reason"] == "missing_header"


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    with serve(tmp_path, "--no-verify") as (process, url):
        with urllib.request.urlopen(f"{url}/healthz", timeout=10) as reply:
            assert json.load(reply) == {"status": "ok"}
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    assert "Traceback" not in (tmp_path / "serve.log").read_text()
