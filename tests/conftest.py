"""Shared fixtures. Voice: real engines and real ffmpeg, with small plans to keep runs short."""

from __future__ import annotations

import shutil

import pytest
from spine_stretch.voice.audio import find_ffmpeg
from spine_stretch.voice.engines import EspeakEngine
from spine_stretch.voice.plan import RenderItem
from spine_stretch.voice.post import Postprocessor


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
