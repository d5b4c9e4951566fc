"""gTTS at the HTTP layer: a local server answers as Google's batchexecute endpoint does.

No network: the engine's endpoint points at 127.0.0.1. The audio in each answer is a real MP3
(espeak-ng through our own post-processing), so the decode path runs for real.
"""

from __future__ import annotations

import base64
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from spine_stretch.voice.audio import RenderError
from spine_stretch.voice.engines import EspeakEngine, GttsEngine
from spine_stretch.voice.manifest import read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import probe_file
from spine_stretch.voice.render import render

PATH = "/_/TranslateWebserverUi/data/batchexecute"


def batchexecute_answer(mp3: bytes | None) -> bytes:
    """Google's answer shape: an anti-JSON prefix, then length-prefixed JSON chunks.

    gTTS finds the line holding its RPC id "jQ1olc" and base64-decodes the string inside.
    """
    chunks = ['[["di",34],["af.httprm",33,"-8006585318245011869",1]]', '[["e",4,null,null,139]]']
    if mp3 is not None:
        audio = base64.b64encode(mp3).decode()
        chunks.insert(0, '[["wrb.fr","jQ1olc","[\\"' + audio
                      + '\\"]",null,null,null,"generic"]]')
    return (")]}'\n\n" + "".join(f"{len(chunk)}\n{chunk}\n" for chunk in chunks)).encode()


class FakeGoogle:
    """Answers with the queued status codes, then 200 with audio; records what it was sent."""

    def __init__(self, mp3: bytes) -> None:
        self.mp3, self.statuses, self.bodies = mp3, list[int](), list[str]()
        self.with_audio = True

    def handler(self) -> type[BaseHTTPRequestHandler]:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"])).decode()
                fake.bodies.append(urllib.parse.unquote(body))
                status = fake.statuses.pop(0) if fake.statuses else 200
                if self.path != PATH:
                    status = 404
                answer = batchexecute_answer(fake.mp3 if fake.with_audio else None)
                data = answer if status == 200 else b"error"
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, format: str, *args: object) -> None:
                pass  # keep test output clean

        return Handler


@pytest.fixture(autouse=True)
def no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    # gTTS sends through the environment's proxies; a proxy cannot reach our 127.0.0.1 server.
    for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy",
                 "all_proxy"):
        monkeypatch.delenv(name, raising=False)


@pytest.fixture(scope="module")
def mp3(espeak: EspeakEngine, post: Postprocessor) -> bytes:
    return post.process(espeak.synthesize("Hello from the fake Google."))


@pytest.fixture
def google(mp3: bytes) -> Iterator[tuple[FakeGoogle, str]]:
    fake = FakeGoogle(mp3)
    server = ThreadingHTTPServer(("127.0.0.1", 0), fake.handler())
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              daemon=True)
    thread.start()
    yield fake, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def engine_at(endpoint: str, ffmpeg: str, sleeps: list[float]) -> GttsEngine:
    return GttsEngine(ffmpeg, endpoint=endpoint, timeout=5.0, retries=2, sleep=sleeps.append)


def test_audio_comes_back_decoded(google: tuple[FakeGoogle, str], ffmpeg: str,
                                  mp3: bytes) -> None:
    fake, url = google
    sleeps: list[float] = []
    pcm = engine_at(url, ffmpeg, sleeps).synthesize("Rep three.")
    assert (pcm.sample_rate, pcm.sample_width, pcm.channels) == (24000, 2, 1)
    assert pcm.seconds > 0.5
    assert len(fake.bodies) == 1 and "Rep three." in fake.bodies[0]
    assert sleeps == []


def test_long_text_is_sent_in_parts_and_joined(google: tuple[FakeGoogle, str],
                                               ffmpeg: str) -> None:
    fake, url = google
    text = ("Inhale as you stack your spine back up, one vertebra at a time, "
            "back to where you started, and let your shoulders soften.")
    pcm = engine_at(url, ffmpeg, []).synthesize(text)
    parts = len(fake.bodies)
    assert parts > 1  # gTTS sends at most 100 characters a request
    single = engine_at(url, ffmpeg, []).synthesize("Short.")
    # Each joined MP3 brings its encoder padding: allow about 0.1 s apiece.
    assert pcm.seconds == pytest.approx(parts * single.seconds, abs=0.1 * parts)


def test_server_errors_are_retried_a_bounded_number_of_times(
        google: tuple[FakeGoogle, str], ffmpeg: str) -> None:
    fake, url = google
    fake.statuses = [503]
    sleeps: list[float] = []
    assert engine_at(url, ffmpeg, sleeps).synthesize("Once more.").seconds > 0
    assert sleeps == [1.0] and len(fake.bodies) == 2

    fake.statuses, fake.bodies, sleeps[:] = [500] * 5, [], []
    with pytest.raises(RenderError, match="--engine piper or --engine espeak"):
        engine_at(url, ffmpeg, sleeps).synthesize("Once more.")
    assert sleeps == [1.0, 2.0] and len(fake.bodies) == 3


def test_an_answer_without_audio_fails_without_retrying(google: tuple[FakeGoogle, str],
                                                        ffmpeg: str) -> None:
    fake, url = google
    fake.with_audio = False
    sleeps: list[float] = []
    with pytest.raises(RenderError, match="without audio for 'Once more.'"):
        engine_at(url, ffmpeg, sleeps).synthesize("Once more.")
    assert sleeps == [] and len(fake.bodies) == 1


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port  # closed again: connecting is refused at once


def test_an_unreachable_service_fails_at_once_naming_the_offline_engines(
        ffmpeg: str, post: Postprocessor, tmp_path: Path) -> None:
    sleeps: list[float] = []
    engine = engine_at(f"http://127.0.0.1:{closed_port()}", ffmpeg, sleeps)
    with pytest.raises(RenderError) as caught:
        engine.synthesize("Rep one.")
    message = str(caught.value)
    assert "could not reach translate.google.com" in message
    assert "--engine piper or --engine espeak" in message
    assert sleeps == []  # no retries: a refused connection will be refused again
    with pytest.raises(RenderError, match="could not reach"):
        render([RenderItem("count.2", "two"), RenderItem("count.3", "three")], engine, post,
               tmp_path, workers=2)
    assert [path.name for path in tmp_path.iterdir()] == []


def test_render_with_gtts_writes_alexa_mp3s(google: tuple[FakeGoogle, str], ffmpeg: str,
                                            post: Postprocessor, tmp_path: Path) -> None:
    _, url = google
    engine = engine_at(url, ffmpeg, [])
    render([RenderItem("count.2", "two"), RenderItem("count.3", "three")], engine, post,
           tmp_path, workers=2)
    manifest = read_manifest(tmp_path)
    assert {entry.engine for entry in manifest.entries.values()} == {"gtts"}
    for entry in manifest.entries.values():
        info = probe_file(tmp_path / entry.file)
        assert (info.version, info.sample_rate, info.channels, info.bitrate_kbps) == (
            "MPEG-2", 24000, 1, 48)
