"""SlowerIntent and FasterIntent ("slower please", "too fast") do exactly what PaceIntent does
with that pace: the same words, the same settings kept."""

from __future__ import annotations

import random
from typing import Any

import pytest

from spine_stretch.alexa.codec import invoke
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.names import IntentName
from spine_stretch.alexa.skill import build_skill
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from tests.conftest import FakeClock, speech_of


def session_ending_with(content: Content, intent: str,
                        slots: dict[str, str] | None = None,
                        resolved: dict[str, str] | None = None) -> tuple[str, Any]:
    store = MemoryStore()
    skill = build_skill(content, store, random.Random(7))
    talk = Conversation(clock=FakeClock())
    for envelope in (talk.launch(), talk.intent(IntentName.START_STRETCH)):
        talk.absorb(invoke(skill, envelope))
    reply = invoke(skill, talk.intent(intent, slots or {}, resolved=resolved or {}))
    return speech_of(reply), store.get(talk.user_id).record


@pytest.mark.parametrize(("alias", "pace"), [(IntentName.SLOWER, "slower"),
                                             (IntentName.FASTER, "faster")])
def test_an_alias_is_the_pace_intent_with_its_pace(content: Content, alias: str,
                                                   pace: str) -> None:
    said, kept = session_ending_with(content, alias)
    assert (said, kept) == session_ending_with(content, IntentName.PACE, {"pace": pace},
                                               {"pace": pace})
    assert said and "didn" not in said
