"""The run-time audio lookup: fresh files only, HTTPS (or loopback http), TTS whenever in doubt."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from spine_stretch.core.speech import Spoken
from spine_stretch.core.ssml import AudioClip
from spine_stretch.settings import Settings
from spine_stretch.voice.clips import AudioLibrary, load_audio
from spine_stretch.voice.manifest import MANIFEST_NAME, Entry, Manifest, write_manifest
from tests.paths import ROOT

BASE = "https://coach.example/audio"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A manifest of two sentences, and no audio files: a host that fetches them elsewhere."""
    entries = {
        "prompt.paused.0": Entry("aaaa.mp3", "Paused.", 1.25, "espeak", "en-us"),
        "count.2": Entry("bbbb.mp3", "two", 0.5, "espeak", "en-us"),
    }
    write_manifest(tmp_path, Manifest.of(entries))
    return tmp_path


def test_a_fresh_sentence_has_its_clip(folder: Path) -> None:
    lookup = load_audio(BASE + "/", folder)
    assert lookup is not None
    assert lookup(Spoken("prompt.paused.0", "Paused.")) == AudioClip(f"{BASE}/aaaa.mp3", 1.25)


def test_an_edited_sentence_is_stale_and_has_no_clip(folder: Path) -> None:
    lookup = load_audio(BASE, folder)
    assert lookup is not None
    assert lookup(Spoken("prompt.paused.0", "Paused for now.")) is None
    assert lookup(Spoken("prompt.unknown.0", "Paused.")) is None


def test_file_names_are_quoted_into_the_url() -> None:
    library = AudioLibrary({"k": Entry("a b#.mp3", "Hi.", 1.0, "espeak", "en-us")}, BASE)
    assert library(Spoken("k", "Hi.")) == AudioClip(f"{BASE}/a%20b%23.mp3", 1.0)


def test_no_base_url_means_plain_speech(folder: Path) -> None:
    assert load_audio(None, folder) is None


@pytest.mark.parametrize("url", ["http://coach.example/audio", "coach.example/audio",
                                 "https:///audio", "https://coach.example/a?x=1", "ftp://x/y",
                                 "http://10.0.0.5/audio", "http://127.0.0.1.example/audio"])
def test_a_base_url_alexa_cannot_fetch_from_is_refused_with_a_warning(
        folder: Path, url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_audio(url, folder) is None
    assert "not an https:// URL" in caplog.text


@pytest.mark.parametrize("url", ["http://127.0.0.1:8080/audio", "http://localhost:8080/audio/",
                                 "http://[::1]:8080/audio"])
def test_plain_http_on_loopback_plays_with_a_warning_that_alexa_would_refuse_it(
        folder: Path, url: str, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        lookup = load_audio(url, folder)
    assert lookup is not None
    base = url.rstrip("/")
    assert lookup(Spoken("count.2", "two")) == AudioClip(f"{base}/bbbb.mp3", 0.5)
    assert "Alexa itself would refuse" in caplog.text


def test_an_https_base_url_gives_no_warning(folder: Path,
                                            caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_audio(BASE, folder) is not None
    assert caplog.text == ""


def test_a_folder_without_a_manifest_means_speech(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING):
        assert load_audio(BASE, tmp_path / "absent") is None
    assert "no rendered audio" in caplog.text and "SPINE_STRETCH_AUDIO_DIR" in caplog.text


def test_a_broken_manifest_means_speech_with_a_warning(
        folder: Path, caplog: pytest.LogCaptureFixture) -> None:
    (folder / MANIFEST_NAME).write_text("{not json")
    with caplog.at_level(logging.WARNING):
        assert load_audio(BASE, folder) is None
    assert "unreadable" in caplog.text


def test_the_audio_folder_comes_from_the_environment() -> None:
    assert Settings.from_env({"SPINE_STRETCH_AUDIO_DIR": "/srv/coach/audio"}).audio_dir == Path(
        "/srv/coach/audio")
    # By default, the repository's own audio/ (where the shipped voice is).
    assert Settings.from_env({}).audio_dir == ROOT / "audio"


@pytest.mark.parametrize(("environ", "expected"), [
    ({}, "http://127.0.0.1:8080/audio"),  # unset: the local server's own audio
    ({"SPINE_STRETCH_AUDIO_BASE_URL": ""}, None),  # set empty: Alexa's voice
    ({"SPINE_STRETCH_AUDIO_BASE_URL": BASE}, BASE),
])
def test_a_default_audio_base_applies_only_when_none_is_set(
        environ: dict[str, str], expected: str | None) -> None:
    settings = Settings.from_env(environ).with_default_audio_base(
        "http://127.0.0.1:8080/audio", environ)
    assert settings.audio_base_url == expected
