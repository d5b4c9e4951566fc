"""Table-driven tests of the pure coaching engine."""

from __future__ import annotations

from dataclasses import replace

import pytest

from spine_stretch.core import blocks
from spine_stretch.core.engine import Transition, advance, initial_state, settle
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.speech import Prompt, Text
from spine_stretch.core.state import Question, Stage, State
from spine_stretch.core.workout import Content

E = EventKind


def keys(transition: Transition) -> list[str]:
    return [p.key for p in transition.say if isinstance(p, Prompt | Text)]


def prompt_keys(transition: Transition) -> list[str]:
    return [p.key for p in transition.say if isinstance(p, Prompt)]


def run(content: Content, state: State, *kinds: EventKind, at: float | None = None) -> Transition:
    transition = Transition(state, ())
    for kind in kinds:
        transition = advance(content, transition.state, Event(kind, at=at))
    return transition


def test_launch_with_nothing_saved_starts_with_the_safety_line_and_setup(content: Content) -> None:
    t = advance(content, initial_state(content), Event(E.WHAT_NOW))
    assert prompt_keys(t)[:3] == ["welcome", "safety", "intro"]
    # The setup flows into rep one: no "next" needed.
    assert [k for k in keys(t) if k.startswith("step.")] == [
        "step.sit", "step.hands", "step.core", "step.exhale", "step.inhale"]
    assert t.state.stage is Stage.SETUP and t.state.safety_heard
    assert t.reprompt and not t.end_session


def test_safety_line_is_said_once(content: Content) -> None:
    first = advance(content, initial_state(content), Event(E.WHAT_NOW))
    again = advance(content, first.state, Event(E.START_OVER))
    assert "safety" not in prompt_keys(again)


def test_next_after_setup_speaks_every_rep_with_both_breaths_and_finishes(
        content: Content) -> None:
    t = run(content, initial_state(content), E.START, E.NEXT)
    said = keys(t)
    assert said.count("step.exhale") == 1 and said.count("step.inhale") == 1  # rep 1 in full
    assert [k for k in said if k.startswith("cue.exhale")] and "finished" in said
    assert sum(1 for p in t.say if isinstance(p, Prompt) and p.key == "rep_start") == 5
    assert not t.end_session, "the last block keeps the session so pause still reaches us"


@pytest.mark.parametrize("breath", range(2, 9))
def test_each_breath_is_counted_to_the_breath_length(content: Content, breath: int) -> None:
    state = replace(initial_state(content), breath_seconds=breath)
    t = run(content, state, E.START, E.NEXT)
    counts = [k for k in keys(t) if k.startswith("count.")]
    per_rep = [f"count.{n}" for n in range(2, breath + 1)] * len(content.workout.phases)
    assert counts[: len(per_rep)] == per_rep


@pytest.mark.parametrize(
    ("stage", "event", "expected_prompt"),
    [
        (Stage.READY, E.NEXT, "nothing_started"),
        (Stage.READY, E.RESUME, "nothing_started"),
        (Stage.READY, E.PAUSE, "nothing_started"),
        (Stage.READY, E.REPEAT, "nothing_started"),
        (Stage.READY, E.PREVIOUS, "nothing_started"),
        (Stage.FINISHED, E.NEXT, "last_rep_passed"),
        (Stage.FINISHED, E.RESUME, "where_finished"),
        (Stage.SETUP, E.RESUME, "not_paused"),
        (Stage.REPS, E.RESUME, "not_paused"),
        (Stage.SETUP, E.PREVIOUS, "already_first"),
        (Stage.SETUP, E.PAUSE, "paused"),
        (Stage.REPS, E.PAUSE, "paused"),
        (Stage.REPS, E.YES, "yes_no_unexpected"),
        (Stage.REPS, E.NO, "yes_no_unexpected"),
        (Stage.REPS, E.FALLBACK, "fallback"),
        (Stage.REPS, E.HELP, "help"),
        (Stage.REPS, E.START_OVER, "starting_over"),
        (Stage.READY, E.STOP, "goodbye"),
        (Stage.REPS, E.STOP, "goodbye_saved"),
    ],
)
def test_every_event_in_every_stage_gets_a_sensible_answer(
        content: Content, stage: Stage, event: EventKind, expected_prompt: str) -> None:
    state = replace(initial_state(content), stage=stage, safety_heard=True)
    t = advance(content, state, Event(event))
    assert prompt_keys(t)[0] == expected_prompt
    assert t.end_session or t.reprompt


@pytest.mark.parametrize(
    ("value", "reps", "lead"),
    [
        ("8", 8, "reps_set"),
        ("20", 20, "reps_set"),
        ("35", 20, "reps_clamped_high"),
        ("0", 1, "reps_clamped_low"),
        ("?", 5, "reps_not_understood"),
        ("banana", 5, "reps_not_understood"),
        (None, 5, "safety"),
    ],
)
def test_start_with_reps(content: Content, value: str | None, reps: int, lead: str) -> None:
    t = advance(content, initial_state(content), Event.of(E.START, reps=value))
    assert t.state.reps == reps
    assert prompt_keys(t)[0] == lead


def test_pause_mid_block_then_resume_replays_the_interrupted_block(content: Content) -> None:
    state = replace(initial_state(content), reps=12, safety_heard=True)
    t = run(content, state, E.START, at=0)
    t = advance(content, t.state, Event(E.NEXT, at=10))  # "next" in the setup: reps 1.. start
    first_block = blocks.block_from(content.workout, 1, 12, 4)
    assert first_block.last < 12
    paused = advance(content, t.state, Event(E.PAUSE, at=15))  # 5 s in: interrupted
    resumed = advance(content, paused.state, Event(E.RESUME, at=5000))
    assert prompt_keys(resumed)[0] == "resume_from"
    assert resumed.say[0] == Prompt.of("resume_from", rep=1)


def test_pause_after_a_block_was_heard_resumes_with_the_next_block(content: Content) -> None:
    state = replace(initial_state(content), reps=12, safety_heard=True)
    t = run(content, state, E.START, at=0)
    t = advance(content, t.state, Event(E.NEXT, at=10))
    heard_at = t.state.block_end_at + 1
    paused = advance(content, t.state, Event(E.PAUSE, at=heard_at))
    resumed = advance(content, paused.state, Event(E.RESUME, at=heard_at + 600))
    nxt = blocks.block_from(content.workout, 1, 12, 4).last + 1
    assert resumed.say[0] == Prompt.of("resume_from", rep=nxt)


def test_final_block_counts_as_finished_only_once_heard(content: Content) -> None:
    t = run(content, initial_state(content), E.START, at=0)
    t = advance(content, t.state, Event(E.NEXT, at=10))
    assert t.state.stage is Stage.REPS
    interrupted = settle(content, t.state, 101)
    assert interrupted.stage is Stage.REPS and not interrupted.heard
    done = settle(content, t.state, t.state.block_end_at + 1)
    assert done.stage is Stage.FINISHED


def test_relaunch_after_walking_away_offers_to_continue_where_they_were(content: Content) -> None:
    state = replace(initial_state(content), reps=12, safety_heard=True)
    t = run(content, state, E.START, at=0)
    t = advance(content, t.state, Event(E.NEXT, at=10))
    t = advance(content, t.state, Event(E.NEXT, at=t.state.block_end_at + 2))
    second_first = t.state.rep
    ended = advance(content, t.state, Event(E.SESSION_ENDED, at=t.state.block_end_at - 30))
    relaunch = advance(content, ended.state, Event(E.WHAT_NOW, at=90_000))
    assert relaunch.say == (Prompt.of("welcome_back", rep=second_first, reps=12),)
    assert relaunch.state.asking is Question.CONTINUE
    yes = advance(content, relaunch.state, Event(E.YES, at=90_010))
    assert yes.say[0] == Prompt.of("resume_from", rep=second_first)
    no = advance(content, relaunch.state, Event(E.NO, at=90_010))
    assert no.end_session and no.state.stage is Stage.REPS


def test_previous_walks_back_through_blocks_to_the_setup(content: Content) -> None:
    state = replace(initial_state(content), reps=12, safety_heard=True)
    t = run(content, state, E.START, E.NEXT, E.NEXT)
    assert t.state.rep > 1
    back = advance(content, t.state, Event(E.PREVIOUS))
    assert back.state.rep == 1 and back.state.stage is Stage.REPS
    setup = advance(content, back.state, Event(E.PREVIOUS))
    assert setup.state.stage is Stage.SETUP


def test_repeat_replays_the_current_block(content: Content) -> None:
    t = run(content, initial_state(content), E.START)
    again = advance(content, t.state, Event(E.REPEAT))
    assert keys(again)[1:] == keys(t)[-len(keys(again)) + 1:]


def test_stored_state_out_of_range_is_brought_back_within_limits(content: Content) -> None:
    wild = State.from_dict({"stage": "reps", "rep": 99, "reps": 500, "breath_seconds": 0,
                            "paused": "yes", "asking": "nonsense"}, initial_state(content))
    t = advance(content, wild, Event(E.REPEAT))
    assert t.state.reps == 20 and t.state.breath_seconds == 2 and 1 <= t.state.rep <= 20


def test_state_round_trips_through_its_dict(content: Content) -> None:
    t = run(content, initial_state(content), E.START, E.NEXT, at=123.5)
    assert State.from_dict(t.state.to_dict(), initial_state(content)) == t.state
