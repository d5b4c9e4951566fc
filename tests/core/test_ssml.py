"""The SSML builder: escaping, break limits, response size, for any text."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from spine_stretch.core import ssml
from spine_stretch.core.engine import advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.prompts import PromptPicker
from spine_stretch.core.speech import Pause, Spoken
from spine_stretch.core.workout import Content


@given(st.text())
def test_any_text_is_escaped_and_round_trips(text: str) -> None:
    document = ssml.render([Spoken("k", text)]) if len(text) < 1000 else None
    if document is None:
        return
    body = document.removeprefix("<speak>").removesuffix("</speak>")
    assert not re.search(r"[<>\"']", body)
    assert re.sub(r"&(?!(amp|lt|gt|quot|apos);)", "", body) == body
    assert ssml.to_plain(document) == " ".join(text.split())


@given(st.floats(min_value=0, max_value=120, allow_nan=False))
def test_breaks_never_exceed_ten_seconds_and_add_up(seconds: float) -> None:
    tags = re.findall(r'<break time="(\d+)ms"/>', ssml.breaks(seconds))
    assert all(0 < int(ms) <= 10_000 for ms in tags)
    assert sum(int(ms) for ms in tags) == round(seconds * 1000)


def test_adjacent_pauses_merge_and_show_as_one_in_plain_text() -> None:
    document = ssml.render([Spoken("a", "one"), Pause(1), Pause(2.5), Spoken("b", "two")])
    assert ssml.to_plain(document) == "one [3.5 s] two"


def test_too_long_a_response_is_refused() -> None:
    with pytest.raises(ssml.SsmlError):
        ssml.render([Spoken("k", "word " * 2000)])


@pytest.mark.parametrize("breath", range(2, 9))
@pytest.mark.parametrize("reps", [1, 5, 12, 20])
def test_every_block_for_every_setting_is_within_alexas_limits(
        content: Content, reps: int, breath: int) -> None:
    state = replace(initial_state(content), reps=reps, breath_seconds=breath)
    picker = PromptPicker(content.prompts, random.Random(0))
    transition = advance(content, state, Event(EventKind.START))
    for _ in range(reps + 2):
        document = ssml.render(picker.resolve(transition.say))
        assert len(document) < ssml.MAX_SSML_CHARS
        assert ssml.spoken_seconds(document) <= content.workout.block_seconds_max + 30
        transition = advance(content, transition.state, Event(EventKind.NEXT))
