"""Shared fixtures: the real content, a real skill, one envelope builder; real audio engines."""

from __future__ import annotations

import random
import shutil
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
from spine_stretch.voice.audio import find_ffmpeg
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor

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


@pytest.fixture(scope="session")
def ffmpeg() -> str:
    return find_ffmpeg()


@pytest.fixture(scope="session")
def post(ffmpeg: str) -> Postprocessor:
    return Postprocessor(ffmpeg)


@pytest.fixture(scope="session")
def espeak() -> EspeakEngine:
    if shutil.which("espeak-ng") is None:
        pytest.skip("espeak-ng is not installed (apt-get install espeak-ng; .ci/run does)")
    return EspeakEngine()


@pytest.fixture
def small_plan() -> list[RenderItem]:
    return [
        RenderItem("prompt.rep_start.0.rep=one", "Rep one."),
        RenderItem("step.sit", "Sit on the floor with your legs stretched out in front of you."),
        RenderItem("cue.exhale.0", "Exhale, round forward."),
        RenderItem("count.2", "two"),
        RenderItem("prompt.goodbye.0", "Good work. See you next time."),
    ]
