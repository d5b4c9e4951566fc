"""`spine-stretch serve` as a real process on loopback, driven over HTTP."""

from __future__ import annotations

import json
import re
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spine_stretch.alexa.envelopes import Conversation

from .serving import running_server


@pytest.fixture
def server_env() -> dict[str, str]:
    """Settings for the server beyond its store; a test parametrizes this to change them."""
    return {}


@pytest.fixture
def server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    with running_server(tmp_path, server_env) as running:
        yield running.url


def test_posting_a_launch_request_starts_the_session(server: str) -> None:
    body = json.dumps(Conversation().launch()).encode()
    request = urllib.request.Request(f"{server}/alexa", data=body,
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        response = json.load(reply)
    speech = response["response"]["outputSpeech"]["ssml"]
    assert "Sit on the floor" in speech and response["response"]["shouldEndSession"] is False


def post_json(url: str, envelope: dict[str, Any]) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(envelope).encode(),
                                     headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        response: dict[str, Any] = json.load(reply)
    return response


@pytest.mark.parametrize("server_env", [
    {"SPINE_STRETCH_AUDIO_BASE_URL": "https://coach.example/audio"}])
def test_a_fresh_checkout_speaks_and_serves_the_shipped_audio(server: str) -> None:
    conversation = Conversation()
    conversation.absorb(post_json(f"{server}/alexa", conversation.launch()))
    paused = post_json(f"{server}/alexa", conversation.intent("AMAZON.PauseIntent"))
    urls = re.findall(r'<audio src="([^"]+)"/>', paused["response"]["outputSpeech"]["ssml"])
    assert len(urls) == 1 and urls[0].startswith("https://coach.example/audio/")
    request = urllib.request.Request(server + urlsplit(urls[0]).path,
                                     headers={"Range": "bytes=0-1023"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 206 and reply.headers["Content-Type"] == "audio/mpeg"
        assert "immutable" in reply.headers["Cache-Control"]
        assert len(reply.read()) == 1024
