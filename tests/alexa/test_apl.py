"""The Echo Show step card: the APL document as data, and the directive per device.

Regenerate the golden directives after an intended change with
`UPDATE_GOLDEN=1 pytest tests/alexa/test_apl.py`, then read the diff.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Callable
from typing import Any

import pytest
import yaml

from spine_stretch.alexa.apl import (
    CARD_FIELDS,
    DATASOURCE,
    SCREEN_INTERFACES,
    datasources,
    has_screen,
    load_step_card,
    parse_document,
    parse_labels,
    referenced_fields,
)
from spine_stretch.alexa.codec import invoke, parse_envelope
from spine_stretch.alexa.envelopes import Conversation
from spine_stretch.alexa.skill import build_skill
from spine_stretch.content import ContentError, read_yaml
from spine_stretch.core.card import card_for
from spine_stretch.core.engine import Transition, advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.workout import Content
from spine_stretch.store.memory import MemoryStore
from tests.conftest import FakeClock
from tests.paths import GOLDEN

UPDATE = os.environ.get("UPDATE_GOLDEN") == "1"
SEGMENT_FIELDS = {"phase", "phaseLabel", "rep", "repLabel", "stepText", "afterBreaks", "beats"}


def every_kind_of_card(content: Content) -> list[Transition]:
    """Transitions covering each stage, paused and not, with and without a timeline."""
    out = []
    for kinds, listen in [((EventKind.HELP,), 1000.0),
                          ((EventKind.START,), 1000.0),
                          ((EventKind.START, EventKind.PAUSE), 5.0),
                          ((EventKind.START, EventKind.NEXT), 1000.0),
                          ((EventKind.START, EventKind.NEXT, EventKind.PAUSE), 5.0),
                          ((EventKind.START, EventKind.NEXT, EventKind.HELP), 1000.0)]:
        transition = Transition(initial_state(content), ())
        for step, kind in enumerate(kinds):
            transition = advance(content, transition.state, Event(kind, at=listen * (step + 1)))
        out.append(transition)
    return out


def test_the_document_has_the_shape_a_device_needs() -> None:
    document = load_step_card().document
    assert document["type"] == "APL" and isinstance(document["version"], str)
    template = document["mainTemplate"]
    assert template["parameters"] == ["payload"]
    assert isinstance(template["items"], list) and template["items"]


def test_every_field_the_document_binds_is_in_every_datasource(content: Content) -> None:
    step_card = load_step_card()
    bound = referenced_fields(step_card.document)
    assert {field for _, field in bound} >= {"title", "stepText", "repLabel", "phaseLabel"}
    for transition in every_kind_of_card(content):
        sources = datasources(card_for(content, transition), step_card.labels, "Title")
        for source, field in bound:
            assert field in sources[source], f"{source}.{field} missing"
        assert set(sources[DATASOURCE]) == CARD_FIELDS
        for segment in sources[DATASOURCE]["timeline"]:
            assert set(segment) == SEGMENT_FIELDS
        assert sources[DATASOURCE]["stepText"], "every card shows some text"


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda d: d.update(type="APLA"), 'must be "APL"'),
    (lambda d: d["mainTemplate"].update(parameters=["data"]), "payload"),
    (lambda d: d["mainTemplate"].update(items=[]), "must not be empty"),
    (lambda d: d["mainTemplate"]["items"].append(
        {"type": "Text", "text": "${payload.stepCard.heartRate}"}), "stepCard.heartRate"),
])
def test_a_broken_document_is_refused_by_name(change: Any, complaint: str) -> None:
    document = json.loads(json.dumps(load_step_card().document))
    change(document)
    with pytest.raises(ContentError, match="step_card.apl.json") as raised:
        parse_document(document)
    assert complaint in str(raised.value)


@pytest.mark.parametrize(("change", "complaint"), [
    (lambda d: d.update(rep_counter="Rep {rep} of {total}"), "total"),
    (lambda d: d["phases"].pop("inhale"), "exactly the keys"),
    (lambda d: d["no_step"].update(setup="Setting up"), "exactly the keys"),
])
def test_broken_labels_are_refused_by_name(change: Any, complaint: str) -> None:
    labels = yaml.safe_load(yaml.safe_dump(read_yaml("screen.yaml")))
    change(labels)
    with pytest.raises(ContentError, match="screen.yaml") as raised:
        parse_labels(labels)
    assert complaint in str(raised.value)


# (name, request, seconds the user listens before the next one)
TURNS: list[tuple[str, Callable[[Conversation], dict[str, Any]], int]] = [
    ("launch", lambda c: c.launch(), 60),
    ("next", lambda c: c.intent("AMAZON.NextIntent"), 5),
    ("pause", lambda c: c.intent("AMAZON.PauseIntent"), 5),
]


def conversation_on(content: Content, interfaces: dict[str, Any]) -> list[dict[str, Any]]:
    skill = build_skill(content, MemoryStore(), random.Random(7))
    clock = FakeClock()
    conversation = Conversation(clock=clock, interfaces=interfaces)
    responses = []
    for _, make, listen in TURNS:
        response = invoke(skill, make(conversation))
        conversation.absorb(response)
        responses.append(response)
        clock.advance(listen)
    return responses


def test_a_screen_device_gets_the_step_card(content: Content) -> None:
    for (name, _, _), response in zip(TURNS, conversation_on(content, dict(SCREEN_INTERFACES)),
                                      strict=True):
        directives = response["response"]["directives"]
        golden = GOLDEN / f"apl.{name}.directives.json"
        if UPDATE:
            golden.write_text(json.dumps(directives, indent=2, ensure_ascii=False) + "\n")
        assert directives == json.loads(golden.read_text()), f"{name} differs from {golden}"


def test_a_device_without_a_screen_gets_no_directive(content: Content) -> None:
    for response in conversation_on(content, {}):
        assert "directives" not in response["response"]


def test_no_card_when_the_session_ends(content: Content, clock: FakeClock) -> None:
    skill = build_skill(content, MemoryStore(), random.Random(7))
    conversation = Conversation(clock=clock, interfaces=dict(SCREEN_INTERFACES))
    conversation.absorb(invoke(skill, conversation.launch()))
    session_id = conversation.session_id
    stop = invoke(skill, conversation.intent("AMAZON.StopIntent"))
    assert stop["response"]["shouldEndSession"] is True
    assert "directives" not in stop["response"]
    conversation.session_id = session_id
    ended = invoke(skill, conversation.session_ended())
    assert "directives" not in ended["response"]


def test_a_request_without_device_context_has_no_screen() -> None:
    envelope = Conversation(interfaces=dict(SCREEN_INTERFACES)).launch()
    assert has_screen(parse_envelope(envelope))
    del envelope["context"]
    assert not has_screen(parse_envelope(envelope))
