"""Persistence: a real SQLite file, and resuming in a new session after walking away."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.settings import Settings
from spine_stretch.store import Snapshot, StoreError, open_store
from spine_stretch.store.sqlite import SqliteStore
from tests.conftest import FakeClock


def test_sqlite_round_trip_and_isolation(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'deep' / 'users.db'}")
    assert store.get("a") == Snapshot({}, 0)
    store.put("a", {"state": {"rep": 3}}, 0)
    store.put("b", {"state": {"rep": 1}}, 0)
    store.put("a", {"state": {"rep": 4}}, 1)
    assert store.get("a") == Snapshot({"state": {"rep": 4}}, 2)
    assert store.get("b") == Snapshot({"state": {"rep": 1}}, 1)


def test_resume_after_session_ended_in_a_new_session_with_a_real_sqlite_file(
        tmp_path: Path, content: Content) -> None:
    db = tmp_path / "users.db"
    clock = FakeClock()
    settings = Settings.from_env({"SPINE_STRETCH_STORE": f"sqlite:///{db}"})
    first = build_skill(content, open_store(settings.store_url), random.Random(0))
    talk = Conversation(clock=clock)
    for envelope in (talk.intent("StartStretchIntent", {"reps": "12"}),):
        talk.absorb(invoke(first, envelope))
    clock.advance(10)  # "next" during the setup: on to rep one
    talk.absorb(invoke(first, talk.intent("AMAZON.NextIntent")))
    clock.advance(300)  # heard the whole first run of reps, then walked away
    talk.absorb(invoke(first, talk.intent("AMAZON.NextIntent")))
    clock.advance(10)  # interrupted a few seconds into the second run
    invoke(first, talk.session_ended("EXCEEDED_MAX_REPROMPTS"))
    talk.end()

    # A new process: a fresh skill over the same file.
    clock.advance(86_400)
    second = build_skill(content, SqliteStore(db), random.Random(0))
    welcome = invoke(second, talk.launch())
    text = to_plain(welcome["response"]["outputSpeech"]["ssml"])
    assert "rep six of twelve" in text and text.rstrip("?").endswith(("continue", "carry on"))
    talk.absorb(welcome)
    resumed = invoke(second, talk.intent("AMAZON.YesIntent"))
    assert to_plain(resumed["response"]["outputSpeech"]["ssml"]).startswith(
        ("Picking up at rep six", "Let's carry on from rep six"))


def test_a_corrupt_record_is_a_store_error(tmp_path: Path) -> None:
    db = tmp_path / "users.db"
    store = SqliteStore(db)
    store.put("a", {}, 0)
    with sqlite3.connect(db) as connection:
        connection.execute("UPDATE users SET record = 'not json'")
    with pytest.raises(StoreError, match="not valid JSON"):
        store.get("a")


def test_unknown_store_urls_are_refused() -> None:
    with pytest.raises(StoreError, match="unknown store"):
        open_store("postgres://nope")


def test_settings_default_to_a_local_sqlite_file() -> None:
    settings = Settings.from_env({"HOME": "/home/someone"})
    assert settings.store_url.startswith("sqlite:///")
    assert settings.store_url.endswith("spine-stretch/spine-stretch.db")
    assert settings.skill_id is None and settings.audio_base_url is None
