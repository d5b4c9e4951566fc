"""Golden request/response envelopes for the core conversation, through the real skill.

Regenerate after an intended change with `UPDATE_GOLDEN=1 pytest tests/test_golden.py`,
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

from .conftest import FakeClock

GOLDEN = Path(__file__).parent / "golden"
UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"

# (name, how to build the request, seconds the user listens before the next one)
TURNS: list[tuple[str, Callable[[Conversation], dict[str, Any]], int]] = [
    ("launch", lambda c: c.launch(), 30),
    ("start", lambda c: c.intent("StartStretchIntent", {"reps": "3"}), 40),
    ("next", lambda c: c.intent("AMAZON.NextIntent"), 5),
    ("pause", lambda c: c.intent("AMAZON.PauseIntent"), 60),
    ("resume", lambda c: c.intent("AMAZON.ResumeIntent"), 5),
    ("stop", lambda c: c.intent("AMAZON.StopIntent"), 0),
]


def comparable(response: dict[str, Any]) -> dict[str, Any]:
    # The SDK stamps its own and Python's versions into userAgent: not ours to pin.
    return {k: v for k, v in response.items() if k != "userAgent"}


def requests() -> list[dict[str, Any]]:
    if not UPDATE:
        return [json.loads((GOLDEN / f"{name}.request.json").read_text())
                for name, _, _ in TURNS]
    clock = FakeClock()
    conversation = Conversation(clock=clock)
    built = []
    for _, make, listen in TURNS:
        built.append(make(conversation))
        clock.advance(listen)
    return built


def test_golden_conversation(content: Content, caplog: pytest.LogCaptureFixture) -> None:
    skill = build_skill(content, MemoryStore(), random.Random(7))
    for (name, _, _), request in zip(TURNS, requests(), strict=True):
        response = comparable(invoke(skill, request))
        request_file = GOLDEN / f"{name}.request.json"
        response_file = GOLDEN / f"{name}.response.json"
        if UPDATE:
            request_file.write_text(json.dumps(request, indent=2) + "\n")
            response_file.write_text(json.dumps(response, indent=2) + "\n")
        expected = json.loads(response_file.read_text())
        assert response == expected, f"{name} differs from {response_file.name}"
    assert not [r for r in caplog.records if r.levelname == "ERROR"], "a turn hit the apology"


@pytest.mark.parametrize("name", [name for name, _, _ in TURNS])
def test_golden_files_are_real_envelopes(name: str) -> None:
    request = json.loads((GOLDEN / f"{name}.request.json").read_text())
    assert request["version"] == "1.0" and request["request"]["requestId"]
    response = json.loads((GOLDEN / f"{name}.response.json").read_text())
    assert response["version"] == "1.0"
