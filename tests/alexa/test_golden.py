"""Golden request/response envelopes for whole conversations, through the real skill.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/alexa/test_golden.py`,
then read the diff.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from tests.conftest import FakeClock
from tests.paths import GOLDEN

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

Make = Callable[[Conversation], dict[str, Any]]


def intent(name: str, resolved: dict[str, str] | None = None, **slots: str | None) -> Make:
    return lambda c: c.intent(name, slots, resolved)


def launch(c: Conversation) -> dict[str, Any]:
    return c.launch()


# Each turn: (name, request, seconds the user listens before the next request).
CONVERSATIONS: dict[str, list[tuple[str, Make, int]]] = {
    "core": [
        ("launch", launch, 30),
        ("start", intent("StartStretchIntent", reps="3"), 40),
        ("next", intent("AMAZON.NextIntent"), 5),
        ("pause", intent("AMAZON.PauseIntent"), 60),
        ("resume", intent("AMAZON.ResumeIntent"), 5),
        ("stop", intent("AMAZON.StopIntent"), 0),
    ],
    "asides": [
        ("launch", launch, 30),
        ("next", intent("AMAZON.NextIntent"), 6),
        ("why-during-exhale", intent("WhyIntent", topic=None), 10),
        ("why-topic", intent("WhyIntent", {"topic": "breathing"}, topic="breathe"), 10),
        ("question", intent("QuestionIntent", query="what muscles does this work"), 10),
        ("question-empty", intent("QuestionIntent", query=None), 5),
        ("modify", intent("ModifyIntent", prop=None, difficulty=None, bodyPart=None), 10),
        ("modify-prop", intent("ModifyIntent", {"prop": "band"}, prop="theraband",
                               difficulty=None, bodyPart=None), 10),
        ("modify-difficulty", intent("ModifyIntent", {"difficulty": "easier"}, prop=None,
                                     difficulty="easier", bodyPart=None), 10),
        ("modify-body", intent("ModifyIntent", {"bodyPart": "hamstrings"}, prop=None,
                               difficulty=None, bodyPart="back of my legs"), 10),
        ("modify-unknown", intent("ModifyIntent", prop="banana", difficulty=None,
                                  bodyPart=None), 10),
        ("tip", intent("TipIntent"), 10),
        ("tip-again", intent("TipIntent"), 10),
        ("resume", intent("AMAZON.ResumeIntent"), 8),
        ("pain", intent("PainIntent", bodyPart=None), 10),
        ("easier", intent("AMAZON.YesIntent"), 8),
        ("pain-neck", intent("PainIntent", {"bodyPart": "neck"}, bodyPart="neck"), 10),
        ("no-thanks", intent("AMAZON.NoIntent"), 60),
        ("relaunch", launch, 10),
        ("set-reps", intent("SetRepsIntent", count="8"), 10),
        ("set-reps-missing", intent("SetRepsIntent", count=None), 5),
        ("set-reps-nonsense", intent("SetRepsIntent", count="?"), 5),
        ("set-reps-too-many", intent("SetRepsIntent", count="50"), 10),
        ("slower", intent("PaceIntent", {"pace": "slower"}, pace="slow down"), 10),
        ("pace-missing", intent("PaceIntent", pace=None), 5),
        ("faster", intent("PaceIntent", {"pace": "faster"}, pace="faster"), 10),
        ("stop", intent("AMAZON.StopIntent"), 0),
    ],
}


def comparable(response: dict[str, Any]) -> dict[str, Any]:
    # The SDK stamps its own and Python's versions into userAgent: not ours to pin.
    return {k: v for k, v in response.items() if k != "userAgent"}


def files(conversation: str, index: int, name: str) -> tuple[Path, Path]:
    stem = GOLDEN / conversation / f"{index:02d}-{name}"
    return stem.with_suffix(".request.json"), stem.with_suffix(".response.json")


def requests(conversation: str) -> list[dict[str, Any]]:
    turns = CONVERSATIONS[conversation]
    recorded = [files(conversation, i, name)[0] for i, (name, _, _) in enumerate(turns)]
    if not UPDATE or all(path.exists() for path in recorded):
        # Requests, once recorded, stay as they are: regenerating rewrites only responses.
        return [json.loads(path.read_text()) for path in recorded]
    clock = FakeClock()
    talk = Conversation(clock=clock)
    built = []
    for _, make, listen in turns:
        built.append(make(talk))
        clock.advance(listen)
    return built


@pytest.mark.parametrize("conversation", sorted(CONVERSATIONS))
def test_golden_conversation(content: Content, caplog: pytest.LogCaptureFixture,
                             conversation: str) -> None:
    skill = build_skill(content, MemoryStore(), random.Random(7))
    turns = CONVERSATIONS[conversation]
    for index, ((name, _, _), request) in enumerate(
            zip(turns, requests(conversation), strict=True)):
        response = comparable(invoke(skill, request))
        request_file, response_file = files(conversation, index, name)
        if UPDATE:
            request_file.parent.mkdir(parents=True, exist_ok=True)
            request_file.write_text(json.dumps(request, indent=2) + "\n")
            response_file.write_text(json.dumps(response, indent=2) + "\n")
        expected = json.loads(response_file.read_text())
        assert response == expected, f"{name} differs from {response_file.name}"
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "a turn hit the apology"


def test_golden_files_are_real_envelopes() -> None:
    for conversation, turns in CONVERSATIONS.items():
        for index, (name, _, _) in enumerate(turns):
            request_file, response_file = files(conversation, index, name)
            request = json.loads(request_file.read_text())
            assert request["version"] == "1.0" and request["request"]["requestId"]
            assert json.loads(response_file.read_text())["version"] == "1.0"
