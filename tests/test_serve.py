"""`spine-stretch serve` as a real process on loopback, driven over HTTP."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from spine_stretch.alexa.envelopes import Conversation

from .serving import running_server


@pytest.fixture
def server(tmp_path: Path) -> Iterator[str]:
    with running_server(tmp_path) as running:
        yield running.url


def test_posting_a_launch_request_starts_the_session(server: str) -> None:
    body = json.dumps(Conversation().launch()).encode()
    request = urllib.request.Request(f"{server}/alexa", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        response = json.load(reply)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "Sit on the floor" in speech and response["response"]["shouldEndSession"] is False
