"""GET /audio/<file>: real rendered MP3s, ranges, caching, and nothing outside the folder."""

from __future__ import annotations

import random
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.manifest import read_manifest
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor
from spine_stretch.voice.probe import probe_mp3
from spine_stretch.voice.render import render
from spine_stretch.web.app import create_app


def fetch(client: FlaskClient, path: str, **headers: str) -> TestResponse:
    # Buffered, so the served file is read whole and closed before the test looks at it.
    return client.get(path, headers=headers, buffered=True)


@pytest.fixture
def folder(tmp_path: Path, espeak: EspeakEngine, post: Postprocessor) -> Path:
    audio = tmp_path / "audio"
    render([RenderItem("count.2", "two")], espeak, post, audio)
    # Things next to the audio folder that must never be served through it.
    (tmp_path / "secret.mp3").write_bytes(b"secret")
    (tmp_path / "secret.txt").write_text("secret")
    return audio


@pytest.fixture
def name(folder: Path) -> str:
    return read_manifest(folder).entries["count.2"].file


@pytest.fixture
def client(content: Content, folder: Path) -> FlaskClient:
    skill = build_skill(content, MemoryStore(), random.Random(1))
    return create_app(skill, audio_dir=folder).test_client()


def test_a_rendered_file_is_served_as_mpeg_with_long_immutable_caching(
        client: FlaskClient, folder: Path, name: str) -> None:
    reply = fetch(client, f"/audio/{name}")
    assert reply.status_code == 200
    assert reply.mimetype == "audio/mpeg"
    assert reply.data == (folder / name).read_bytes()
    assert probe_mp3(reply.data).sample_rate == 24000
    assert reply.cache_control.max_age == 365 * 24 * 3600
    assert reply.cache_control.public and reply.cache_control.immutable
    assert reply.headers["Accept-Ranges"] == "bytes"
    assert reply.headers["ETag"]


def test_a_cool_down_track_is_served_from_the_tracks_folder(
        client: FlaskClient, folder: Path, name: str) -> None:
    (folder / "tracks").mkdir()
    track = folder / "tracks" / "cooldown-5x4-0123.mp3"
    track.write_bytes((folder / name).read_bytes())
    reply = fetch(client, "/audio/tracks/cooldown-5x4-0123.mp3", Range="bytes=0-99")
    assert reply.status_code == 206 and reply.mimetype == "audio/mpeg"
    assert reply.data == track.read_bytes()[:100]
    assert reply.cache_control.immutable
    assert fetch(client, "/audio/tracks/absent.mp3").status_code == 404


def test_a_range_request_gets_206_and_just_those_bytes(
        client: FlaskClient, folder: Path, name: str) -> None:
    whole = (folder / name).read_bytes()
    reply = fetch(client, f"/audio/{name}", Range="bytes=100-299")
    assert reply.status_code == 206
    assert reply.headers["Content-Range"] == f"bytes 100-299/{len(whole)}"
    assert reply.data == whole[100:300]
    tail = fetch(client, f"/audio/{name}", Range="bytes=-50")
    assert tail.status_code == 206 and tail.data == whole[-50:]


def test_a_range_past_the_end_is_a_json_416(client: FlaskClient, name: str) -> None:
    reply = fetch(client, f"/audio/{name}", Range="bytes=99999999-")
    assert reply.status_code == 416 and "error" in reply.get_json()


def test_a_revalidation_with_the_etag_is_304(client: FlaskClient, name: str) -> None:
    etag = fetch(client, f"/audio/{name}").headers["ETag"]
    assert fetch(client, f"/audio/{name}", **{"If-None-Match": etag}).status_code == 304


def test_an_unknown_file_is_a_json_404(client: FlaskClient) -> None:
    reply = fetch(client, "/audio/0123456789abcdef.mp3")
    assert reply.status_code == 404
    assert reply.get_json() == {"error": "no audio file 0123456789abcdef.mp3"}


@pytest.mark.parametrize("path", [
    "/audio/../secret.mp3",
    "/audio/..%2Fsecret.mp3",
    "/audio/%2e%2e%2fsecret.mp3",
    "/audio/%2E%2E/secret.txt",
    "/audio/..%5Csecret.mp3",
    "/audio/..",
    "/audio//etc/passwd",
    "/audio/%2Fetc%2Fpasswd",
    "/audio/%252e%252e%252fsecret.mp3",
    "/audio/manifest.json",
    "/audio/.hidden.mp3",
    "/audio/sub/x.mp3",
    "/audio/",
    "/audio/tracks/../secret.mp3",
    "/audio/tracks/..%2F..%2Fsecret.mp3",
    "/audio/tracks/%2e%2e/%2e%2e/secret.txt",
    "/audio/tracks/sub/x.mp3",
    "/audio/tracks//etc/passwd",
    "/audio/tracks/",
])
def test_anything_but_a_file_in_the_folder_is_refused_as_json(
        client: FlaskClient, path: str) -> None:
    reply = fetch(client, path)
    assert reply.status_code in (400, 404), path
    assert reply.is_json and "error" in reply.get_json()
    assert reply.data != b"secret" and b"root:" not in reply.data


def test_without_an_audio_folder_there_is_no_audio_route(content: Content, name: str) -> None:
    client = create_app(build_skill(content, MemoryStore())).test_client()
    assert fetch(client, f"/audio/{name}").status_code == 404
