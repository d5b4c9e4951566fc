"""The one rule for where recorded audio may be played from (clips and the cool-down track)."""

from __future__ import annotations

import pytest

from spine_stretch.voice.urls import AudioBase, audio_base, is_loopback


@pytest.mark.parametrize(("url", "expected"), [
    ("https://coach.example/audio/", AudioBase("https://coach.example/audio")),
    (" https://b.s3.eu-west-1.amazonaws.com/v1 ",
     AudioBase("https://b.s3.eu-west-1.amazonaws.com/v1")),
    ("HTTPS://coach.example", AudioBase("https://coach.example")),
    ("http://127.0.0.1:8080/audio", AudioBase("http://127.0.0.1:8080/audio")),
    ("http://127.8.9.10/audio/", AudioBase("http://127.8.9.10/audio")),
    ("http://localhost:8080/audio", AudioBase("http://localhost:8080/audio")),
    ("http://[::1]:8080/audio", AudioBase("http://[::1]:8080/audio")),
    ("http://coach.example", None),
    ("http://192.168.1.20:8080/audio", None),
    ("http://0.0.0.0:8080/audio", None),
    ("http://[::]:8080/audio", None),
    ("http://localhost.example/audio", None),
    ("http://127.0.0.1/audio?x=1", None),
    ("https://coach.example/audio#top", None),
    ("https:///audio", None),
    ("ftp://127.0.0.1/audio", None),
    ("127.0.0.1:8080/audio", None),
])
def test_https_anywhere_or_http_only_on_loopback(url: str, expected: AudioBase | None) -> None:
    assert audio_base(url) == expected


def test_only_plain_http_is_local_only() -> None:
    assert audio_base("http://127.0.0.1/audio") == AudioBase("http://127.0.0.1/audio")
    assert AudioBase("http://127.0.0.1/audio").local_only
    assert not AudioBase("https://127.0.0.1/audio").local_only


@pytest.mark.parametrize(("host", "loopback"), [
    ("127.0.0.1", True), ("127.255.0.9", True), ("::1", True), ("localhost", True),
    ("LOCALHOST", True), ("0.0.0.0", False), ("::", False), ("10.0.0.1", False),
    ("example.com", False), ("", False),
])
def test_loopback_hosts(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback
