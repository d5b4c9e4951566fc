"""Shared fixtures: the real content, a real skill, and one envelope builder."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from ask_sdk_core.skill import CustomSkill

from spine_stretch import content as content_module
from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore

START = datetime(2026, 11, 26, 7, 0, 0, tzinfo=UTC)


class FakeClock:
    """Request timestamps under the test's control (seconds can be added between turns)."""

    def __init__(self, start: datetime = START) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += timedelta(seconds=seconds)


@pytest.fixture
def content() -> Content:
    return content_module.load()


@pytest.fixture
def store() -> MemoryStore:
    return MemoryStore()


@pytest.fixture
def skill(content: Content, store: MemoryStore) -> CustomSkill:
    return build_skill(content, store, random.Random(7))


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def conversation(clock: FakeClock) -> Conversation:
    return Conversation(clock=clock)


def speech_of(response: dict[str, Any]) -> str:
    return str(response["response"].get("outputSpeech", {}).get("ssml", ""))


Send = Callable[[dict[str, Any]], dict[str, Any]]


@pytest.fixture
def send(skill: CustomSkill, conversation: Conversation) -> Iterator[Send]:
    def _send(envelope: dict[str, Any]) -> dict[str, Any]:
        response = invoke(skill, envelope)
        conversation.absorb(response)
        return response

    yield _send
