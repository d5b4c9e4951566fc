"""The page as an AudioPlayer device, server side: the cool-down's Play, Stop and Play again
driven by the page's envelopes, and what the page reads to show it (chapters, clip words)."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any

import pytest
from flask.testing import FlaskClient

from spine_stretch.alexa.cooldown import CoolDownConfig
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.cooldown import token_for, track_for
from spine_stretch.core.workout import Content
from spine_stretch.settings import default_audio_dir
from spine_stretch.store.memory import MemoryStore
from spine_stretch.voice.manifest import read_manifest
from spine_stretch.voice.track_index import IndexedTracks, read_index
from spine_stretch.web.app import create_app

LOCAL_BASE = "http://127.0.0.1:8080/audio"
AUDIO = default_audio_dir()


@pytest.fixture
def client(content: Content) -> FlaskClient:
    """The skill as `serve --no-verify` builds it: tracks from the shipped audio/ folder."""
    config = CoolDownConfig(LOCAL_BASE, IndexedTracks(AUDIO))
    skill = build_skill(content, MemoryStore(), random.Random(1), cooldown_config=config)
    return create_app(skill, audio_dir=AUDIO).test_client()


def turn(client: FlaskClient, body: dict[str, Any]) -> dict[str, Any]:
    built = client.post("/simulator/envelope", json={"screen": True, **body})
    assert built.status_code == 200, built.get_json()
    reply = client.post("/alexa", json=built.get_json()["envelope"])
    assert reply.status_code == 200, reply.get_json()
    data: dict[str, Any] = reply.get_json()
    return data


def directive(response: dict[str, Any]) -> dict[str, Any]:
    (only,) = response["response"]["directives"]
    found: dict[str, Any] = only
    return found


def test_pause_and_resume_during_the_track_are_stop_and_play(
        client: FlaskClient, content: Content) -> None:
    play = directive(turn(client, {"intent": "CoolDownIntent"}))
    assert play["type"] == "AudioPlayer.Play"
    stream = play["audioItem"]["stream"]
    default = track_for(content, 5, 4)
    assert stream["url"] == f"{LOCAL_BASE}/tracks/{default.id}.mp3"
    assert stream["offsetInMilliseconds"] == 0
    token = stream["token"]
    player = {"token": token, "offsetInMilliseconds": 0, "playerActivity": "PLAYING"}
    started = turn(client, {"event": "AudioPlayer.PlaybackStarted", "player": player})
    assert not {"outputSpeech", "directives"} & set(started["response"])

    # "Pause" while it plays, then the device's report of where it stopped.
    paused = turn(client, {"intent": "AMAZON.PauseIntent",
                           "player": {**player, "offsetInMilliseconds": 58_000}})
    assert directive(paused) == {"type": "AudioPlayer.Stop"}
    stopped = {**player, "offsetInMilliseconds": 58_120, "playerActivity": "STOPPED"}
    turn(client, {"event": "AudioPlayer.PlaybackStopped", "player": stopped})

    resumed = directive(turn(client, {"intent": "AMAZON.ResumeIntent", "player": stopped}))
    assert resumed["type"] == "AudioPlayer.Play"
    assert resumed["audioItem"]["stream"] == {**stream, "offsetInMilliseconds": 58_120}


def test_a_tracks_chapters_by_its_token(client: FlaskClient, content: Content) -> None:
    default = track_for(content, 5, 4)
    entry = read_index(AUDIO)[default.id]
    reply = client.get("/simulator/track", query_string={"token": token_for("u", default.id)})
    assert reply.status_code == 200
    assert reply.get_json() == {"id": entry.id, "reps": 5, "breathSeconds": 4,
                                "durationMs": entry.duration_ms,
                                "chaptersMs": list(entry.chapters_ms)}
    assert len(entry.chapters_ms) == entry.reps


@pytest.mark.parametrize(("query", "status"), [
    ({}, 400), ({"token": "nonsense"}, 400), ({"token": "spine-stretch:u:"}, 400),
    ({"token": "spine-stretch:u:cooldown-9x9-0000"}, 404),
])
def test_a_track_that_is_not_there_is_a_json_error(client: FlaskClient, query: dict[str, str],
                                                   status: int) -> None:
    reply = client.get("/simulator/track", query_string=query)
    assert reply.status_code == status and "error" in reply.get_json()


def test_recorded_files_come_with_their_words(client: FlaskClient) -> None:
    clips = client.get("/simulator/clips").get_json()["clips"]
    manifest = read_manifest(AUDIO)
    assert len(clips) >= len({entry.file for entry in manifest.entries.values()}) > 1000
    for entry in list(manifest.entries.values())[:50]:
        assert clips[entry.file] == entry.text


def test_without_an_audio_folder_there_is_nothing_to_show(content: Content,
                                                          tmp_path: Path) -> None:
    plain = create_app(build_skill(content, MemoryStore())).test_client()
    assert plain.get("/simulator/clips").get_json() == {"clips": {}, "blocks": {}}
    reply = plain.get("/simulator/track", query_string={"token": "spine-stretch:u:t"})
    assert reply.status_code == 404
