"""The step card's reading of transitions, checked against the SSML a player really gets."""

from __future__ import annotations

import random
import re
from dataclasses import replace

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spine_stretch import content as content_module
from spine_stretch.core import ssml
from spine_stretch.core.card import CardPhase, Segment, card_for, timeline
from spine_stretch.core.engine import Transition, advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.prompts import PromptPicker
from spine_stretch.core.state import Stage, State
from spine_stretch.core.workout import Content

BREAK_RUN = re.compile(r'(?:\s*<break time="\d+ms"/>)+\s*')
CONTENT = content_module.load()


def text_runs(transition: Transition, content: Content) -> list[str]:
    """The reply's text between runs of breaks: run i is what plays after i silences."""
    document = ssml.render(PromptPicker(content.prompts, random.Random(0)).resolve(
        transition.say))
    return BREAK_RUN.split(document.removeprefix("<speak>").removesuffix("</speak>"))


def assert_follows_the_speech(transition: Transition, content: Content) -> None:
    runs = text_runs(transition, content)
    segments = card_for(content, transition).timeline
    for segment in segments:
        assert ssml.escape(segment.text) in runs[segment.after_breaks], segment
    last = segments[-1]
    assert last.after_breaks + last.beats <= len(runs) - 1


def run(content: Content, *kinds: EventKind, state: State | None = None,
        listen: float = 1000.0) -> Transition:
    """The events in turn, each `listen` seconds after the last (long enough to hear a whole
    block by default; a short one interrupts it)."""
    transition = Transition(state or initial_state(content), ())
    for at, kind in enumerate(kinds):
        transition = advance(content, transition.state, Event(kind, at=listen * (at + 1)))
    return transition


def test_a_setup_block_runs_through_each_setup_step_into_rep_one(content: Content) -> None:
    transition = run(content, EventKind.START)
    segments = card_for(content, transition).timeline
    setup = len(content.workout.setup)
    assert segments[:setup] == tuple(
        Segment(CardPhase.SETUP, 0, step.say, after_breaks=index, beats=1)
        for index, step in enumerate(content.workout.setup))
    assert (segments[setup].rep, segments[setup].phase) == (1, CardPhase.EXHALE)
    assert_follows_the_speech(transition, content)


def test_a_block_of_reps_alternates_breaths_and_counts_every_beat(content: Content) -> None:
    transition = run(content, EventKind.START, EventKind.NEXT, listen=5)  # "next" in the setup
    card = card_for(content, transition)
    phases = [(s.rep, s.phase) for s in card.timeline]
    first = transition.state.rep
    assert phases[:4] == [(first, CardPhase.EXHALE), (first, CardPhase.INHALE),
                          (first + 1, CardPhase.EXHALE), (first + 1, CardPhase.INHALE)]
    assert {s.beats for s in card.timeline} == {transition.state.breath_seconds}
    assert card.timeline[0].text == content.workout.phases[0].step.say
    assert card.timeline[2].text == content.workout.phases[0].cues[0]
    assert (card.stage, card.rep, card.text) == (Stage.REPS, 1, card.timeline[0].text)
    assert_follows_the_speech(transition, content)


@pytest.mark.parametrize(("kinds", "listen", "stage", "phase", "rep", "paused", "has_text"), [
    ((EventKind.HELP,), 1000, Stage.READY, CardPhase.READY, 0, False, False),
    ((EventKind.START, EventKind.PAUSE), 5, Stage.SETUP, CardPhase.SETUP, 0, True, True),
    ((EventKind.START, EventKind.PAUSE), 1000, Stage.FINISHED, CardPhase.FINISHED, 5, False,
     False),
    ((EventKind.START, EventKind.NEXT, EventKind.PAUSE), 5, Stage.REPS, CardPhase.EXHALE, 1,
     True, True),
    ((EventKind.START, EventKind.NEXT, EventKind.HELP), 1000, Stage.FINISHED,
     CardPhase.FINISHED, 5, False, False),
])
def test_a_reply_without_a_block_shows_where_the_exercise_carries_on(
        content: Content, kinds: tuple[EventKind, ...], listen: float, stage: Stage,
        phase: CardPhase, rep: int, paused: bool, has_text: bool) -> None:
    card = card_for(content, run(content, *kinds, listen=listen))
    assert (card.stage, card.phase, card.rep, card.paused) == (stage, phase, rep, paused)
    assert (card.text is not None) == has_text
    assert card.timeline == ()


def test_a_heard_block_is_followed_by_the_next_rep(content: Content) -> None:
    heard = State(stage=Stage.REPS, rep=1, reps=20, breath_seconds=8, heard=True)
    card = card_for(content, Transition(heard, ()))
    assert card.stage is Stage.REPS and card.rep > 1
    assert card.text in content.workout.phases[0].cues
    after_setup = card_for(content, Transition(replace(heard, stage=Stage.SETUP), ()))
    assert (after_setup.stage, after_setup.rep) == (Stage.REPS, 1)
    unheard = card_for(content, Transition(replace(heard, heard=False), ()))
    assert (unheard.rep, unheard.text) == (1, content.workout.phases[0].step.say)


def test_speech_that_is_not_the_exercise_has_no_timeline(content: Content) -> None:
    assert timeline(content, State(), run(content, EventKind.HELP).say) == ()


@settings(max_examples=60, deadline=None)
@given(reps=st.integers(1, 20), breath=st.integers(2, 8), data=st.data())
def test_every_block_of_reps_follows_its_speech(reps: int, breath: int,
                                                 data: st.DataObject) -> None:
    first = data.draw(st.integers(1, reps))
    state = State(stage=Stage.REPS, rep=first, reps=reps, breath_seconds=breath)
    transition = run(CONTENT, EventKind.REPEAT, state=state)
    segments = card_for(CONTENT, transition).timeline
    assert segments[0].rep == first and len(segments) % 2 == 0
    assert [s.rep for s in segments] == [r for r in range(first, first + len(segments) // 2)
                                         for _ in range(2)]
    assert all(s.beats == breath for s in segments)
    assert_follows_the_speech(transition, CONTENT)
