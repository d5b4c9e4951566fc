"""The render plan covers every key the runtime can ask for, so plan and engine never drift."""

from __future__ import annotations

import ast
import random
import sys
from collections.abc import Iterable, Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from spine_stretch import content
from spine_stretch.core.engine import advance, initial_state
from spine_stretch.core.events import Event, EventKind
from spine_stretch.core.prompts import fill
from spine_stretch.core.speech import Part, Prompt, Text
from spine_stretch.core.state import State
from spine_stretch.core.workout import Content
from spine_stretch.voice import plan as plan_module
from spine_stretch.voice.plan import PlanError, RenderItem, build_plan

CONTENT = content.load()
PLAN = {item.key: item.text for item in build_plan(CONTENT)}


def spoken_keys(parts: Iterable[Part], source: Content) -> Iterator[tuple[str, str]]:
    """Every (key, text) the parts can resolve to, across all variants a picker may choose."""
    for part in parts:
        if isinstance(part, Prompt):
            for variant in range(len(source.prompts.variants[part.key])):
                spoken = fill(source.prompts, part.key, variant, part.fields)
                yield spoken.key, spoken.text
        elif isinstance(part, Text):
            yield part.key, part.text


def run_session(state: State, events: Iterable[Event]) -> set[tuple[str, str]]:
    heard: set[tuple[str, str]] = set()
    for event in events:
        transition = advance(CONTENT, state, event)
        heard.update(spoken_keys((*transition.say, *transition.reprompt), CONTENT))
        state = transition.state
    return heard


# Weighted towards NEXT so sessions reach the later reps and their prompts.
KINDS = [*[EventKind.NEXT] * 6, *EventKind]
START_VALUES = [None, "0", "1", "2", "3", "5", "8", "12", "19", "20", "21", "40", "eight", ""]


def random_session(rng: random.Random) -> tuple[State, list[Event]]:
    limits = CONTENT.workout.breath_seconds
    state = replace(initial_state(CONTENT), breath_seconds=rng.randint(limits.min, limits.max))
    events = []
    for _ in range(rng.randint(1, 60)):
        kind = rng.choice(KINDS)
        value = rng.choice(START_VALUES) if kind is EventKind.START else None
        events.append(Event.of(kind, reps=value))
    return state, events


def test_every_key_the_engine_speaks_is_planned_with_the_same_text() -> None:
    rng = random.Random(20240605)
    heard: set[tuple[str, str]] = set()
    for _ in range(400):
        heard |= run_session(*random_session(rng))
    unplanned = sorted(key for key, _ in heard if key not in PLAN)
    assert unplanned == []
    assert sorted((k, t) for k, t in heard if PLAN[k] != t) == []
    # The walk must reach far enough to mean something: late reps, counts, cues.
    keys = {key for key, _ in heard}
    assert {f"count.{n}" for n in range(2, CONTENT.workout.breath_seconds.max + 1)} <= keys
    assert any(".remaining=" in key for key in keys)
    assert "prompt.rep_start.0.rep=twenty" in keys


def test_every_rep_count_and_breath_length_runs_to_the_end_within_the_plan() -> None:
    workout = CONTENT.workout
    for reps in range(workout.reps.min, workout.reps.max + 1):
        for breath in (workout.breath_seconds.min, workout.breath_seconds.max):
            state = replace(initial_state(CONTENT), breath_seconds=breath)
            events = [Event.of(EventKind.START, reps=str(reps)),
                      *[Event(EventKind.NEXT)] * (reps + 2),
                      Event(EventKind.PREVIOUS), Event(EventKind.REPEAT)]
            heard = run_session(state, events)
            assert {key for key, _ in heard} - PLAN.keys() == set()


@settings(max_examples=60, deadline=None)
@given(breath=st.integers(0, 12), events=st.lists(
    st.tuples(st.sampled_from(list(EventKind)),
              st.one_of(st.none(), st.integers(-3, 30).map(str), st.text(max_size=4))),
    max_size=40))
def test_any_event_sequence_speaks_only_planned_keys(
        breath: int, events: list[tuple[EventKind, str | None]]) -> None:
    state = replace(initial_state(CONTENT), breath_seconds=breath)
    heard = run_session(state, [Event.of(kind, reps=value) for kind, value in events])
    assert {key for key, _ in heard} - PLAN.keys() == set()


def test_plan_uses_the_runtime_key_scheme() -> None:
    assert PLAN["prompt.rep_done.1.remaining=four"] == "Four more to go."
    assert PLAN["prompt.where_rep.0.rep=three.reps=five"].startswith("You're on rep three of five")
    assert PLAN["step.sit"] == CONTENT.workout.steps[0].say
    assert PLAN["cue.inhale.2"] == CONTENT.workout.phases[1].cues[2]
    assert PLAN["count.8"] == "eight"
    assert "count.1" not in PLAN and "count.9" not in PLAN


def test_impossible_field_combinations_are_not_planned() -> None:
    assert "prompt.where_rep.0.rep=six.reps=five" not in PLAN
    assert "prompt.rep_done.1.remaining=twenty" not in PLAN
    assert "prompt.rep_done.1.remaining=one" not in PLAN  # one left has its own prompt


def test_every_prompt_variant_is_planned() -> None:
    for key, variants in CONTENT.prompts.variants.items():
        for variant in range(len(variants)):
            prefix = f"prompt.{key}.{variant}"
            assert any(k == prefix or k.startswith(prefix + ".") for k in PLAN), prefix


def test_a_new_generator_appends_its_items() -> None:
    def tips(_: Content) -> Iterator[RenderItem]:
        yield RenderItem("tip.posture.0", "Sit tall.")

    items = build_plan(CONTENT, (*plan_module.GENERATORS, tips))
    assert items[-1] == RenderItem("tip.posture.0", "Sit tall.")
    assert len(items) == len(PLAN) + 1


def test_one_key_with_two_texts_is_an_error() -> None:
    def clash(_: Content) -> Iterator[RenderItem]:
        yield RenderItem("step.sit", "Stand up.")

    with pytest.raises(PlanError, match="step.sit"):
        build_plan(CONTENT, (*plan_module.GENERATORS, clash))


def test_plan_module_imports_only_the_standard_library_and_core() -> None:
    source = Path(plan_module.__file__).read_text("utf-8")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.ImportFrom) and node.level:
            assert (node.module or "").startswith("core"), node.module
        elif isinstance(node, ast.Import | ast.ImportFrom):
            names = [node.module] if isinstance(node, ast.ImportFrom) else [
                alias.name for alias in node.names]
            for name in names:
                top = (name or "").split(".")[0]
                assert top in sys.stdlib_module_names or top == "__future__", name
