"""`spine-stretch serve` as a real process on loopback, driven over HTTP."""

from __future__ import annotations

import json
import re
import signal
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.voice.block_store import read_block_index
from tests.hosts.serving import running_server
from tests.paths import ROOT


@pytest.fixture
def server_env() -> dict[str, str]:
    """Settings for the server beyond its store; a test parametrizes this to change them."""
    return {}


@pytest.fixture
def server(tmp_path: Path, server_env: dict[str, str]) -> Iterator[str]:
    with running_server(tmp_path, server_env) as running:
        yield running.url


def post(url: str, body: bytes) -> tuple[int, dict[str, Any]]:
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
    assert body["shouldEndSession"] is False
    # With the shipped recordings the whole launch is recorded audio served by the server
    # itself; the setup is in the assembled block, whose words the block index lists.
    sources = re.findall(r'<audio src="([^"]+)"/>', body["outputSpeech"]["ssml"])
    assert sources and all(src.startswith(f"{server}/audio/") for src in sources)
    for src in sources:
        with urllib.request.urlopen(src, timeout=10) as clip:
            assert clip.status == 200 and clip.headers["Content-Type"] == "audio/mpeg"
    blocks = read_block_index(ROOT / "audio")
    said = " ".join(blocks[src.rsplit("/", 1)[1]].text for src in sources if "/blocks/" in src)
    assert "Sit on the floor" in said


def test_by_default_an_unsigned_request_is_refused(tmp_path: Path) -> None:
    with running_server(tmp_path, verify=True) as running:
        status, answer = post(running.url, json.dumps(Conversation().launch()).encode())
    assert status == 400 and answer["reason"] == "missing_header"
    # Only the loopback-only --no-verify server points the skill's audio at itself.
    assert "Alexa itself would refuse" not in running.log.read_text()


def test_sigterm_stops_the_server_cleanly(tmp_path: Path) -> None:
    with running_server(tmp_path) as running:
        with urllib.request.urlopen(f"{running.url}/healthz", timeout=10) as reply:
            assert json.load(reply) == {"status": "ok"}
        running.process.send_signal(signal.SIGTERM)
        assert running.process.wait(timeout=10) == 0
    assert "Traceback" not in running.log.read_text()


@pytest.mark.parametrize("server_env", [
    {"SPINE_STRETCH_AUDIO_BASE_URL": "https://coach.example/audio"}])
def test_a_fresh_checkout_speaks_and_serves_the_shipped_audio(server: str) -> None:
    conversation = Conversation()
    conversation.absorb(post(server, json.dumps(conversation.launch()).encode())[1])
    _, paused = post(server, json.dumps(conversation.intent("AMAZON.PauseIntent")).encode())
    urls = re.findall(r'<audio src="([^"]+)"/>', paused["response"]["outputSpeech"]["ssml"])
    assert len(urls) == 1 and urls[0].startswith("https://coach.example/audio/")
    request = urllib.request.Request(server + urlsplit(urls[0]).path,
                                     headers={"Range": "bytes=0-1023"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        assert reply.status == 206 and reply.headers["Content-Type"] == "audio/mpeg"
        assert "immutable" in reply.headers["Cache-Control"]
        assert len(reply.read()) == 1024


def fetch_start(url: str) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, headers={"Range": "bytes=0-1023"})
    with urllib.request.urlopen(request, timeout=10) as reply:
        return reply.status, reply.headers["Content-Type"], reply.read()


def test_no_verify_plays_the_shipped_voice_and_track_from_itself(server: str,
                                                                 tmp_path: Path) -> None:
    conversation = Conversation()
    conversation.absorb(post(server, json.dumps(conversation.launch()).encode())[1])
    _, paused = post(server, json.dumps(conversation.intent("AMAZON.PauseIntent")).encode())
    urls = re.findall(r'<audio src="([^"]+)"/>', paused["response"]["outputSpeech"]["ssml"])
    assert len(urls) == 1 and urls[0].startswith(f"{server}/audio/")
    assert fetch_start(urls[0])[:2] == (206, "audio/mpeg")

    device = Conversation(user_id="amzn1.ask.account.cool", interfaces={"AudioPlayer": {}})
    _, playing = post(server, json.dumps(device.intent("CoolDownIntent")).encode())
    stream = playing["response"]["directives"][0]["audioItem"]["stream"]
    assert stream["url"].startswith(f"{server}/audio/tracks/cooldown-")
    status, kind, head = fetch_start(stream["url"])
    assert (status, kind, len(head)) == (206, "audio/mpeg", 1024)
    assert "Alexa itself would refuse" in (tmp_path / "serve.log").read_text()


@pytest.mark.parametrize("server_env", [{"SPINE_STRETCH_AUDIO_BASE_URL": ""}])
def test_an_empty_audio_base_url_keeps_alexas_voice(server: str) -> None:
    conversation = Conversation()
    conversation.absorb(post(server, json.dumps(conversation.launch()).encode())[1])
    _, paused = post(server, json.dumps(conversation.intent("AMAZON.PauseIntent")).encode())
    assert "<audio" not in paused["response"]["outputSpeech"]["ssml"]
