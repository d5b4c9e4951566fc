"""The hands-free start: the setup flows into rep one; "wait" and "next" still work."""

from __future__ import annotations

from dataclasses import replace

import pytest

from spine_stretch.core import blocks
from spine_stretch.core.engine import Transition, advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.reachable import reachable_blocks
from spine_stretch.core.speech import Pause, Prompt, Text
from spine_stretch.core.state import Stage
from spine_stretch.core.workout import Content

E = EventKind


def keys(parts: tuple[object, ...]) -> list[str]:
    return [p.key for p in parts if isinstance(p, Prompt | Text)]


def launch(content: Content, reps: int = 12) -> Transition:
    state = replace(initial_state(content), reps=reps, safety_heard=True)
    return advance(content, state, Event(E.START, at=0))


def test_the_setup_flows_into_rep_one_after_a_settling_pause(content: Content) -> None:
    t = launch(content)
    assert t.block_from == 1 and keys(t.say[:1]) == ["intro"]
    said = keys(t.say)
    setup = [f"step.{step.id}" for step in content.workout.setup]
    assert said[1:4] == setup
    settle_at = t.say.index(Text(setup[-1], content.workout.setup[-1].say)) + 1
    assert t.say[settle_at] == Pause(blocks.SETTLE_SECONDS)
    # Rep one starts with its breath, not "Rep one": the setup just said where we are.
    assert said[4] == "step.exhale" and "rep_start" not in said[:5]
    assert said[-1] == "block_end"


def test_five_reps_need_no_turn_after_the_launch(content: Content) -> None:
    t = launch(content, reps=5)
    assert "finished" in keys(t.say)
    after = advance(content, t.state, Event(E.NEXT, at=t.state.block_end_at + 1))
    assert keys(after.say) == ["last_rep_passed"]


@pytest.mark.parametrize(("at", "first"), [(5, 1), (60, 6)])
def test_next_skips_to_rep_one_in_the_setup_and_on_in_the_reps(
        content: Content, at: float, first: int) -> None:
    t = advance(content, launch(content).state, Event(E.NEXT, at=at))
    assert t.state.stage is Stage.REPS and t.state.rep == first
    assert keys(t.say)[0] == ("setup_done" if first == 1 else "rep_start")


@pytest.mark.parametrize(("at", "lead"), [(5, "resume_setup"), (60, "resume_from")])
def test_wait_holds_the_place_in_the_setup_or_in_rep_one(content: Content, at: float,
                                                          lead: str) -> None:
    paused = advance(content, launch(content).state, Event(E.PAUSE, at=at))
    assert paused.state.paused
    resumed = advance(content, paused.state, Event(E.RESUME, at=at + 100))
    assert keys(resumed.say)[0] == lead
    assert resumed.say[0] != Prompt.of("resume_from", rep=6)


def test_a_heard_setup_block_counts_as_the_first_block_of_reps(content: Content) -> None:
    t = launch(content)
    heard = advance(content, t.state, Event(E.PAUSE, at=t.state.block_end_at + 1))
    resumed = advance(content, heard.state, Event(E.RESUME, at=t.state.block_end_at + 60))
    last = blocks.block_from(content.workout, 1, 12, 4).last
    assert resumed.say[0] == Prompt.of("resume_from", rep=last + 1)


def test_every_block_a_session_speaks_is_among_the_reachable_ones(content: Content) -> None:
    reachable = list(reachable_blocks(content))
    t = launch(content)
    assert t.block_from is not None and t.say[t.block_from:] in reachable
    nxt = advance(content, t.state, Event(E.NEXT, at=60))
    assert nxt.block_from is not None and nxt.say[nxt.block_from:] in reachable
    slower = advance(content, nxt.state, Event.of(E.PACE, 70, pace="slower"))
    assert slower.block_from is not None and slower.say[slower.block_from:] in reachable


@pytest.mark.parametrize(("at", "breathing"), [(5, False), (21, True)])
def test_why_follows_the_setup_block_into_its_first_breath(content: Content, at: float,
                                                           breathing: bool) -> None:
    """5 s in, the setup is being said; 21 s in, the first exhale (by the engine's estimate)."""
    why = advance(content, launch(content).state, Event.of(E.WHY, at, query="why"))
    said = keys(why.say)
    assert said[0].startswith("corpus.")
    assert (said[0] == "corpus.breath_exhale") is breathing
