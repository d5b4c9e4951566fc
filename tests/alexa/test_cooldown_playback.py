"""The cool-down through AudioPlayer: real envelopes in, directives out, the place kept."""

from __future__ import annotations

import json
import os
import random
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.cooldown import CoolDownConfig
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.cooldown import token_for, track_for
from spine_stretch.core.logsafe import hashed_user_id
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from spine_stretch.voice.track_index import INDEX_NAME, IndexedTracks, TrackEntry, index_json
from tests.conftest import FakeClock
from tests.paths import GOLDEN

BASE = "https://audio.example.com/spine"
CHAPTERS = (20_000, 45_000, 70_000, 95_000, 120_000)
AUDIO_DEVICE: dict[str, Any] = {"AudioPlayer": {}}
COOLDOWN_GOLDEN = GOLDEN / "cooldown"


@pytest.fixture
def entry(content: Content, tmp_path: Path) -> TrackEntry:
    """An indexed default track (its bytes don't matter here; test_cooldown_track builds real
    ones)."""
    track = track_for(content, 5, 4)
    made = TrackEntry(track.id, f"tracks/{track.id}.mp3", 5, 4, 140_000, CHAPTERS)
    (tmp_path / "tracks").mkdir()
    (tmp_path / made.file).write_bytes(b"\xff")
    (tmp_path / INDEX_NAME).write_text(index_json({made.id: made}))
    return made


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


def skill_for(content: Content, store: MemoryStore, folder: Path, base: str | None = BASE) -> Any:
    return build_skill(content, store, random.Random(3),
                       cooldown_config=CoolDownConfig(base, IndexedTracks(folder)))


@pytest.fixture
def skill(content: Content, store: MemoryStore, tmp_path: Path, entry: TrackEntry) -> Any:
    return skill_for(content, store, tmp_path)


@pytest.fixture
def device(clock: FakeClock) -> Conversation:
    return Conversation(clock=clock, interfaces=AUDIO_DEVICE)


def directives(response: dict[str, Any]) -> list[dict[str, Any]]:
    return list(response["response"].get("directives", []))


def token(device: Conversation, entry: TrackEntry) -> str:
    return token_for(hashed_user_id(device.user_id), entry.id)


def playing(device: Conversation, entry: TrackEntry, offset: int, activity: str) -> None:
    device.end()
    device.player = {"token": token(device, entry), "offsetInMilliseconds": offset,
                     "playerActivity": activity}


def saved_offset(store: MemoryStore, device: Conversation) -> int:
    record = store.get(device.user_id).record
    return int(record["playback"]["offset_ms"])


def golden(name: str, response: dict[str, Any]) -> None:
    """Compare with tests/golden/cooldown/NAME.json (UPDATE_GOLDEN=1 rewrites it)."""
    body = {k: v for k, v in response.items() if k != "userAgent"}
    path = COOLDOWN_GOLDEN / f"{name}.json"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(body, indent=2) + "\n")
    assert body == json.loads(path.read_text()), f"{name} differs from {path.name}"


def test_cool_down_plays_the_track_and_ends_the_session(skill: Any, device: Conversation,
                                                      entry: TrackEntry) -> None:
    response = invoke(skill, device.intent("CoolDownIntent"))
    play = directives(response)
    assert play == [{
        "type": "AudioPlayer.Play", "playBehavior": "REPLACE_ALL",
        "audioItem": {"stream": {"token": token(device, entry), "url": f"{BASE}/{entry.file}",
                                 "offsetInMilliseconds": 0}},
    }]
    assert response["response"]["shouldEndSession"] is True
    assert "cool-down" in to_plain(response["response"]["outputSpeech"]["ssml"])
    golden("play", response)


def test_pause_then_resume_the_next_day_in_a_new_session(
        content: Content, store: MemoryStore, tmp_path: Path, entry: TrackEntry,
        device: Conversation, clock: FakeClock) -> None:
    skill = skill_for(content, store, tmp_path)
    invoke(skill, device.intent("CoolDownIntent"))
    invoke(skill, device.player_event("AudioPlayer.PlaybackStarted", token(device, entry), 0))
    playing(device, entry, 47_500, "PLAYING")
    paused = invoke(skill, device.intent("AMAZON.PauseIntent"))
    assert directives(paused) == [{"type": "AudioPlayer.Stop"}]
    assert "outputSpeech" not in paused["response"]
    golden("stop", paused)
    invoke(skill, device.player_event("AudioPlayer.PlaybackStopped", token(device, entry),
                                      47_800))
    assert saved_offset(store, device) == 47_800

    clock.advance(86_400)  # the next day, a new process over the same store
    tomorrow = skill_for(content, store, tmp_path)
    device.end()
    device.player = None
    resumed = invoke(tomorrow, device.intent("AMAZON.ResumeIntent"))
    stream = directives(resumed)[0]["audioItem"]["stream"]
    assert stream["offsetInMilliseconds"] == 47_800 and stream["url"].startswith("https://")
    golden("resume", resumed)


@pytest.mark.parametrize(
    ("offset", "intent", "target"),
    [(47_800, "AMAZON.NextIntent", 70_000), (49_000, "AMAZON.PreviousIntent", 45_000),
     (46_000, "AMAZON.PreviousIntent", 20_000), (5_000, "AMAZON.StartOverIntent", 0),
     (125_000, "AMAZON.PreviousIntent", 120_000)],
)
def test_next_previous_and_start_over_jump_by_rep(skill: Any, device: Conversation,
                                                  entry: TrackEntry, offset: int, intent: str,
                                                  target: int) -> None:
    invoke(skill, device.intent("CoolDownIntent"))
    playing(device, entry, offset, "PLAYING")
    response = invoke(skill, device.intent(intent))
    assert directives(response)[0]["audioItem"]["stream"]["offsetInMilliseconds"] == target


@pytest.mark.parametrize(
    ("command", "expected"),
    [("PlaybackController.PauseCommandIssued", "AudioPlayer.Stop"),
     ("PlaybackController.PlayCommandIssued", "AudioPlayer.Play"),
     ("PlaybackController.NextCommandIssued", "AudioPlayer.Play"),
     ("PlaybackController.PreviousCommandIssued", "AudioPlayer.Play")],
)
def test_device_buttons_get_directives_only(skill: Any, device: Conversation,
                                            entry: TrackEntry, command: str,
                                            expected: str) -> None:
    invoke(skill, device.intent("CoolDownIntent"))
    playing(device, entry, 30_000, "PLAYING")
    response = invoke(skill, device.controller(command))
    assert [d["type"] for d in directives(response)] == [expected]
    assert set(response["response"]) <= {"directives"}


def test_loop_and_shuffle_are_politely_declined(skill: Any, device: Conversation,
                                               entry: TrackEntry) -> None:
    invoke(skill, device.intent("CoolDownIntent"))
    playing(device, entry, 30_000, "PLAYING")
    response = invoke(skill, device.intent("AMAZON.LoopOnIntent"))
    assert "looping" in to_plain(response["response"]["outputSpeech"]["ssml"])
    assert not directives(response)


def test_finished_playback_is_not_resumed_in_the_middle(skill: Any, device: Conversation,
                                                        entry: TrackEntry,
                                                        store: MemoryStore) -> None:
    invoke(skill, device.intent("CoolDownIntent"))
    invoke(skill, device.player_event("AudioPlayer.PlaybackFinished", token(device, entry),
                                      140_000))
    record = store.get(device.user_id).record
    assert record["playback"]["finished"] is True
    # The played track is in the history, once, on the request's day (no zone stored: UTC).
    assert record["state"]["history"]["totals"] == [0, 0, 0, 1]
    assert record["state"]["history"]["days"] == "2026-11-26:0,0,0,1"
    invoke(skill, device.player_event("AudioPlayer.PlaybackFinished", token(device, entry),
                                      140_000))
    assert store.get(device.user_id).record["state"]["history"]["totals"] == [0, 0, 0, 1]
    device.end()
    resumed = invoke(skill, device.intent("AMAZON.ResumeIntent"))
    assert not directives(resumed) and resumed["response"]["outputSpeech"]["ssml"]


def test_a_device_without_audioplayer_gets_the_spoken_cool_down(skill: Any,
                                                                 clock: FakeClock) -> None:
    speaker = Conversation(clock=clock)
    response = invoke(skill, speaker.intent("CoolDownIntent"))
    text = to_plain(response["response"]["outputSpeech"]["ssml"])
    assert "Welcome to your cool-down" in text and "Sit on the floor" in text
    # The setup flows into the reps: five of them fit one reply, to the closing words.
    assert text.index("Sit on the floor") < text.index("Slowly exhale")
    assert "well done today" in text.lower().rsplit(".", 2)[-2]
    assert not directives(response)
    speaker.absorb(response)
    clock.advance(5)
    more = invoke(skill, speaker.intent("AMAZON.ResumeIntent"))  # "continue" in the setup
    assert "[1 s] two" in to_plain(more["response"]["outputSpeech"]["ssml"])


def test_without_a_base_url_it_says_so_and_offers_the_spoken_version(
        content: Content, store: MemoryStore, tmp_path: Path, entry: TrackEntry,
        device: Conversation) -> None:
    skill = skill_for(content, store, tmp_path, base=None)
    response = invoke(skill, device.intent("CoolDownIntent"))
    assert not directives(response)
    assert "isn't set up" in to_plain(response["response"]["outputSpeech"]["ssml"])
    device.absorb(response)
    spoken = invoke(skill, device.intent("AMAZON.YesIntent"))
    assert "Welcome to your cool-down" in to_plain(spoken["response"]["outputSpeech"]["ssml"])


@pytest.mark.parametrize(("base", "plays"), [
    ("http://127.0.0.1:8080/audio/", True),  # the local simulator page's own server
    ("http://[::1]:8080/audio", True),
    ("http://coach.example/audio", False),  # Alexa would refuse it: so does the skill
    ("http://192.168.1.20:8080/audio", False),
])
def test_plain_http_plays_only_from_this_machine(
        content: Content, store: MemoryStore, tmp_path: Path, entry: TrackEntry,
        device: Conversation, base: str, plays: bool) -> None:
    response = invoke(skill_for(content, store, tmp_path, base=base),
                      device.intent("CoolDownIntent"))
    urls = [d["audioItem"]["stream"]["url"] for d in directives(response)]
    assert urls == ([f"{base.rstrip('/')}/{entry.file}"] if plays else [])
    if not plays:
        assert "isn't set up" in to_plain(response["response"]["outputSpeech"]["ssml"])


EVENTS = ["AudioPlayer.PlaybackStarted", "AudioPlayer.PlaybackStopped",
          "AudioPlayer.PlaybackFinished", "AudioPlayer.PlaybackNearlyFinished",
          "AudioPlayer.PlaybackFailed"]


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(EVENTS),
                          st.sampled_from(["ours", "other-user", "other-track", "garbage"]),
                          st.integers(-10**9, 10**9)), max_size=12))
def test_stale_and_out_of_order_events_never_crash_or_corrupt(
        content: Content, tmp_path: Path, entry: TrackEntry,
        events: list[tuple[str, str, int]]) -> None:
    store = MemoryStore()
    skill = skill_for(content, store, tmp_path)
    device = Conversation(interfaces=AUDIO_DEVICE)
    invoke(skill, device.intent("CoolDownIntent"))
    tokens = {"ours": token(device, entry),
              "other-user": token_for("someone-else", entry.id),
              "other-track": token_for(hashed_user_id(device.user_id), "cooldown-1x2-old"),
              "garbage": "not a token"}
    for kind, whose, offset in events:
        response = invoke(skill, device.player_event(kind, tokens[whose], offset))
        assert set(response["response"]) <= {"directives"}
        playback = store.get(device.user_id).record["playback"]
        assert playback["track"] == entry.id
        assert 0 <= playback["offset_ms"] <= entry.duration_ms
