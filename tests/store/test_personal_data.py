"""Personal data: nothing about pain or body parts is kept or logged, and "delete my data"
(with a yes) removes a user's record from every store."""

from __future__ import annotations

import logging
import random
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import boto3
import pytest
from moto import mock_aws

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.content import read_yaml
from spine_stretch.core.ssml import to_plain
from spine_stretch.core.workout import Content
from spine_stretch.store import Snapshot, UserStore
from spine_stretch.store.memory import MemoryStore
from spine_stretch.store.sqlite import SqliteStore
from tests.aws import REGION, TABLE, create_table, fake_aws
from tests.conftest import FakeClock


def health_words() -> set[str]:
    """Every body part the model knows, and every word for pain."""
    vocab = read_yaml("vocab.yaml")
    words: set[str] = {"pain", "sore", "ouch", "ache", "injury", "PainIntent"}
    for entry in vocab["slot_types"]["BODY_PART"]["values"]:
        words |= {entry["value"], *entry["synonyms"]}
    for entry in vocab["synonyms"]:
        if entry["value"] == "pain":
            words |= set(entry["synonyms"])
    return words


def found_in(text: str) -> set[str]:
    return {word for word in health_words()
            if re.search(rf"\b{re.escape(word)}\b", text, re.IGNORECASE)}


def talk(skill: Any, conversation: Conversation, name: str | None,
         slots: dict[str, str] | None = None, resolved: dict[str, str] | None = None) -> str:
    envelope = (conversation.launch() if name is None
                else conversation.intent(name, slots, resolved))
    response = invoke(skill, envelope)
    conversation.absorb(response)
    return to_plain(response["response"].get("outputSpeech", {}).get("ssml", ""))


def test_a_pain_conversation_leaves_no_health_words_in_the_database_or_the_log(
        tmp_path: Path, content: Content, caplog: pytest.LogCaptureFixture) -> None:
    db = tmp_path / "users.db"
    skill = build_skill(content, SqliteStore(db), random.Random(5))
    clock = FakeClock()
    conversation = Conversation(clock=clock)
    with caplog.at_level(logging.DEBUG):
        talk(skill, conversation, None)
        clock.advance(40)
        talk(skill, conversation, "AMAZON.NextIntent")
        clock.advance(5)
        said = talk(skill, conversation, "PainIntent", {"bodyPart": "lower back"},
                    {"bodyPart": "lower back"})
        assert "stop" in said.lower()  # the skill did hear it: it answered about the pain
        talk(skill, conversation, "ModifyIntent", {"bodyPart": "neck"}, {"bodyPart": "neck"})
        talk(skill, conversation, "PainIntent", {"bodyPart": "my hamstrings ache"})
        talk(skill, conversation, "AMAZON.NoIntent")
    stored = b"".join(path.read_bytes() for path in tmp_path.glob("users.db*"))
    assert stored and b"amzn1.ask.account" in stored  # the file does hold the user's record
    assert found_in(stored.decode("utf-8", "replace")) == set()
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "IntentRequest" in logged
    assert found_in(logged) == set(), logged


@pytest.fixture(params=["memory", "sqlite", "dynamodb"])
def any_store(request: pytest.FixtureRequest, tmp_path: Path,
              monkeypatch: pytest.MonkeyPatch) -> Iterator[UserStore]:
    if request.param == "memory":
        yield MemoryStore()
    elif request.param == "sqlite":
        yield SqliteStore(tmp_path / "users.db")
    else:
        fake_aws(monkeypatch)
        with mock_aws():
            create_table(boto3.client("dynamodb", region_name=REGION))
            from spine_stretch.store.dynamodb import DynamoStore

            yield DynamoStore(TABLE)


Start = Callable[[], tuple[Any, Conversation]]


@pytest.fixture
def start(any_store: UserStore, content: Content) -> Start:
    def _start() -> tuple[Any, Conversation]:
        return build_skill(content, any_store, random.Random(2)), Conversation(clock=FakeClock())
    return _start


def test_delete_my_data_then_yes_removes_the_record(any_store: UserStore, start: Start) -> None:
    skill, conversation = start()
    talk(skill, conversation, "StartStretchIntent", {"reps": "8"})
    user = conversation.user_id
    assert any_store.get(user).version > 0
    asked = talk(skill, conversation, "DeleteDataIntent")
    assert "delete" in asked.lower() and asked.endswith("?")
    done = talk(skill, conversation, "AMAZON.YesIntent")
    assert "deleted" in done.lower()
    assert any_store.get(user) == Snapshot()
    assert any_store.delete(user) is False  # and nothing is left anywhere to delete


def test_no_keeps_the_record(any_store: UserStore, start: Start) -> None:
    skill, conversation = start()
    talk(skill, conversation, "StartStretchIntent", {"reps": "8"})
    talk(skill, conversation, "DeleteDataIntent")
    kept = talk(skill, conversation, "AMAZON.NoIntent")
    assert "kept" in kept.lower() or "nothing deleted" in kept.lower()
    assert any_store.get(conversation.user_id).record["state"]["reps"] == 8


def test_a_user_with_no_record_hears_there_was_nothing_to_delete(
        any_store: UserStore, start: Start) -> None:
    skill, conversation = start()
    said = talk(skill, conversation, "DeleteDataIntent")
    assert "nothing to delete" in said.lower()
    assert any_store.get(conversation.user_id) == Snapshot()  # and asking made no record


def test_a_record_gone_between_the_question_and_the_yes_is_nothing_to_delete(
        content: Content) -> None:
    class Raced(MemoryStore):
        """Another request (a SkillDisabled event) deletes the record just before ours."""

        def delete(self, user_id: str) -> bool:
            super().delete(user_id)
            return False

    store = Raced()
    skill, conversation = build_skill(content, store, random.Random(2)), Conversation()
    talk(skill, conversation, "StartStretchIntent")
    talk(skill, conversation, "DeleteDataIntent")
    said = talk(skill, conversation, "AMAZON.YesIntent")
    assert "nothing to delete" in said.lower() and "deleted your data" not in said.lower()
    assert store.get(conversation.user_id) == Snapshot()  # and the turn saved nothing after
